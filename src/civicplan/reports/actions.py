"""Every write of what was done: closing reports with their materials, progress entries.

Each action checks `reports.report_activity` on the activity (staff, or a coordinator of one of
its responsible organisations), writes in one transaction with its audit event — which also
tells the page cache that the execution page changed — and removes replaced files only after
the commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan.audit.actions import Actor, record, require
from civicplan.common import dates
from civicplan.common.files import file_type
from civicplan.common.images import thumbnail
from civicplan.plans import actions as plans
from civicplan.plans.models import Activity
from civicplan.reports.models import ClosingReport, ProgressEntry, ReportMaterial
from civicplan.timeframes import parse

THUMBNAIL_SIZE = (640, 640)
MAX_PROGRESS_ENTRIES = 200  # a long row's progress entries: a few a month for years
PHOTO_TYPES = (ReportMaterial.Type.JPEG, ReportMaterial.Type.PNG)


@dataclass(frozen=True)
class NewMaterial:
    """A material as the form or the command line gives it: a file's name and bytes, or a
    link (exactly one of the two)."""

    kind: str
    title: str = ""
    url: str = ""
    name: str = ""
    content: bytes | None = None


@dataclass(frozen=True)
class ReportData:
    """A closing report as its form gives it."""

    held_text: str = ""  # the actual days («12–13 мая»; empty: as planned)
    venue: str = ""
    format: str = ""
    participants: int | None = None
    member_ids: Sequence[int] = ()
    partner_ids: Sequence[int] = ()
    outcomes: str = ""
    new_materials: Sequence[NewMaterial] = field(default_factory=tuple)
    removed_materials: Sequence[int] = ()


@dataclass(frozen=True)
class _Checked:
    """A material whose file passed the checks, with what storing it needs."""

    material: NewMaterial
    type: str = ""
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None


REPORT_REFUSED = gettext_lazy(
    "Отчитываться о мероприятии могут сотрудники дирекции и координаторы его организаций."
)


def may_report(actor: Actor, activity: Activity) -> None:
    """PermissionDenied unless the actor may report on the activity."""
    require(actor, "reports.report_activity", str(REPORT_REFUSED), activity)


def save_report(actor: Actor, activity: Activity, data: ReportData) -> ClosingReport:
    """The activity's closing report, created or changed; the activity becomes held on the
    report's days."""
    may_report(actor, activity)
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("Мероприятие отменено: отчёт о нём не заполняется."))
    start, end = _held_days(activity, data.held_text)
    if start is not None and start > dates.today():
        raise ValidationError(
            _("Даты проведения ещё не наступили: отчёт заполняется после мероприятия."),
            code="held_text",
        )
    if data.participants is not None and data.participants < 0:
        raise ValidationError(_("Число участников не может быть отрицательным."))
    report = ClosingReport.objects.filter(activity=activity).first()
    kept = report.materials.exclude(pk__in=data.removed_materials).count() if report else 0
    limit = settings.CIVICPLAN_REPORT_MAX_MATERIALS
    if kept + len(data.new_materials) > limit:
        raise ValidationError(
            _("У отчёта может быть не больше %(limit)d материалов.") % {"limit": limit},
            code="materials",
        )
    checked = [_check(material) for material in data.new_materials]
    gone: list[str] = []
    with transaction.atomic():
        created = report is None
        report = report or ClosingReport(activity=activity)
        report.held_text = " ".join(data.held_text.split())
        report.held_start, report.held_end = start, end
        report.venue = " ".join(data.venue.split())[:500]
        report.format = data.format if data.format in Activity.Format.values else ""
        report.participants = data.participants
        report.outcomes = data.outcomes.strip()
        report.updated_by = actor if actor is not None and actor.is_authenticated else None
        report.save()
        report.members.set(data.member_ids)
        report.partners.set(data.partner_ids)
        for material in report.materials.filter(pk__in=data.removed_materials):
            gone += [name for name in (material.file.name, material.thumbnail.name) if name]
            material.delete()
        last = max(report.materials.values_list("position", flat=True), default=0)
        for offset, item in enumerate(checked, start=1):
            _store(report, item, last + offset)
        plans.record_held(actor, activity, start, end)
        record(
            actor,
            "report.create" if created else "report.change",
            str(activity),
            _("Участников: %(count)s") % {"count": data.participants or "—"},
            {"activity": activity.pk, "report": report.pk},
        )
        transaction.on_commit(lambda: _delete_files(gone))
    return report


def _held_days(activity: Activity, held_text: str) -> tuple[date | None, date | None]:
    if not held_text.strip():
        return activity.start, activity.end
    held = parse(held_text, default_year=activity.plan.year)
    if held.start is None:
        raise ValidationError(
            _("Не удалось прочитать даты проведения «%(text)s».") % {"text": held_text},
            code="held_text",
        )
    return held.start, held.end


def _check(material: NewMaterial) -> _Checked:
    """A material's file typed by its content and bounded in size (a photo in pixels too, and
    given its thumbnail); a link must be a web address."""
    if material.kind not in ReportMaterial.Kind.values:
        raise ValidationError(_("Неизвестный вид материала."))
    if material.content is None:
        if not material.url.startswith(("https://", "http://")):
            raise ValidationError(
                _("Ссылка «%(url)s» — не адрес в интернете.") % {"url": material.url}
            )
        return _Checked(material)
    limit = settings.CIVICPLAN_ATTACHMENT_MAX_BYTES
    if len(material.content) > limit:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)d МБ.")
            % {"name": material.name, "limit": limit // (1024 * 1024)}
        )
    kind = file_type(material.content)
    if kind not in ReportMaterial.Type.values:
        raise ValidationError(
            _(
                "Файл «%(name)s» не PDF, DOCX, XLSX, PPTX, JPEG или PNG по содержимому; "
                "такие файлы не принимаются."
            )
            % {"name": material.name}
        )
    if material.kind == ReportMaterial.Kind.PHOTO and kind not in PHOTO_TYPES:
        raise ValidationError(
            _("Фотография «%(name)s» должна быть JPEG или PNG.") % {"name": material.name}
        )
    if kind not in PHOTO_TYPES:
        return _Checked(material, kind)
    return _Checked(material, kind, *thumbnail(material.name, material.content, THUMBNAIL_SIZE))


def _store(report: ClosingReport, item: _Checked, position: int) -> ReportMaterial:
    given = item.material
    material = ReportMaterial(
        report=report,
        kind=given.kind,
        title=" ".join(given.title.split())[:300],
        url=given.url[:1000],
        position=position,
    )
    if given.content is not None:
        material.name = (given.name or "file")[:255]
        material.type = item.type
        material.size = len(given.content)
        material.sha256 = hashlib.sha256(given.content).hexdigest()
        material.width, material.height = item.width, item.height
        material.file.save(material.name, ContentFile(given.content), save=False)
        if item.thumbnail is not None:
            material.thumbnail.save("thumb.jpeg", ContentFile(item.thumbnail), save=False)
    material.save()
    return material


def _delete_files(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)


def add_progress(
    actor: Actor, activity: Activity, on: date, status: str, percent: int, text: str = ""
) -> ProgressEntry:
    """A dated step of a long row: its status and how far it has come, in per cent."""
    may_report(actor, activity)
    if status not in ProgressEntry.Status.values:
        raise ValidationError(_("Неизвестное состояние выполнения."))
    if not 0 <= percent <= 100:
        raise ValidationError(_("Процент выполнения — от 0 до 100."), code="percent")
    if on > dates.today():
        raise ValidationError(_("Дата шага выполнения ещё не наступила."), code="on")
    if activity.progress.count() >= MAX_PROGRESS_ENTRIES:
        raise ValidationError(
            _("У мероприятия уже %(limit)d шагов выполнения: удалите лишние.")
            % {"limit": MAX_PROGRESS_ENTRIES},
            code="progress",
        )
    with transaction.atomic():
        entry = ProgressEntry.objects.create(
            activity=activity,
            on=on,
            status=status,
            percent=percent,
            text=text.strip(),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record(
            actor,
            "progress.add",
            str(activity),
            f"{percent}%: {entry.get_status_display()}",
            {"activity": activity.pk, "progress": entry.pk},
        )
    return entry


def delete_progress(actor: Actor, entry: ProgressEntry) -> None:
    """Take back a progress entry made in error."""
    may_report(actor, entry.activity)
    with transaction.atomic():
        record(
            actor,
            "progress.delete",
            str(entry.activity),
            f"{entry.on}: {entry.percent}%",
            {"activity": entry.activity_id, "progress": entry.pk},
        )
        entry.delete()

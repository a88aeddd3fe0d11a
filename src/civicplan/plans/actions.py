"""Every creation and change of an activity, and of the plans that hold them.

An activity is written from a row as `civicplan.plandoc` reads it (an imported row, a member's
proposal, the staff's edit): `add_activities` links its places and responsible organisations
through `civicplan.directory.actions` (new ones created, every spelling kept), keeps the derived
search column (`searchindex`) and writes in bulk; the action that calls it checks the permission
and writes the audit event. Derived columns are kept here, never in a model's save().
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.audit.actions import Actor, record, require
from civicplan.common import bulk
from civicplan.common.files import file_type
from civicplan.directory import actions as directory
from civicplan.directory.models import Organisation
from civicplan.plandoc import jsonio
from civicplan.plandoc.activities import read_involvement, read_kind
from civicplan.plandoc.model import Activity as ActivityRow
from civicplan.plandoc.model import Place as PlaceReading
from civicplan.plandoc.model import Responsible as ActivityRowParty
from civicplan.plandoc.model import VersionLabel
from civicplan.plandoc.places import read_format, read_place
from civicplan.plandoc.writers.table import join_parties
from civicplan.plans.exporting import plan_document
from civicplan.plans.models import (
    Activity,
    ActivityPlace,
    Amendment,
    Plan,
    PlanVersion,
    Responsibility,
    Section,
)
from civicplan.plans.searchindex import index_activity, search_columns
from civicplan.plans.versions import snapshot
from civicplan.text import fold
from civicplan.timeframes import parse

SectionKey = tuple[str | None, str | None]

# A change of any of these is news for a calendar: iCalendar's SEQUENCE goes up.
SEQUENCE_FIELDS = frozenset(
    (
        *("when_text", "start", "end", "precision", "start_time", "end_time"),
        *("title", "place_text", "status"),
    )
)
# The columns read from an activity's time frame: a new time-frame text sets them all again
# unless the edit sets one of them itself.
TIMEFRAME_COLUMNS = frozenset(("start", "end", "precision", "start_time", "end_time"))


@dataclass(frozen=True)
class Identity:
    """What an activity keeps when its plan is imported again: calendars know it by `uid`."""

    uid: uuid.UUID
    sequence: int
    status: str


@dataclass(frozen=True)
class Written:
    """What `add_activities` wrote: the new activities' ids by their rows' positions, and how
    many of the organisations they name were new to the directory and how many it knew."""

    ids: dict[int, int]
    organisations_new: int
    organisations_known: int


def owner_organisation() -> Organisation:
    """The organisation whose plans these are (settings.CIVICPLAN_OWNER), created once."""
    return directory.create_organisation(None, settings.CIVICPLAN_OWNER, "association")


def add_activities(
    plan: Plan,
    rows: Sequence[ActivityRow],
    sections: Mapping[SectionKey, Section | None],
    identities: Mapping[int, Identity] | None = None,
) -> Written:
    """Write `rows` into `plan` in bulk: the activities (each in the section of its row's
    `section`, with its search column), their places and their responsible organisations.
    `identities` carries, by row position, the uid, sequence and status a replaced plan's
    activity had. No permission check or audit event: the calling action does both."""
    identities = identities or {}
    found = directory.organisations_for(party for row in rows for party in row.responsible)
    places = directory.places_for(row.place for row in rows)
    ids = _insert_activities(
        plan,
        [
            {
                "plan": plan.pk,
                "section": section.pk if (section := sections[row.section]) else None,
                **_fields(row),
                **_identity_fields(identities.get(row.position)),
            }
            for row in rows
        ],
    )
    _insert_rows(
        Responsibility,
        ("activity", "organisation", "role", "written_as", "contact", "remark", "position"),
        (
            (
                ids[row.position],
                found.id_of(party),
                party.role,
                party.name,
                party.contact or "",
                party.remark or "",
                position,
            )
            for row in rows
            for position, party in enumerate(row.responsible)
        ),
    )
    _insert_rows(
        ActivityPlace,
        ("activity", "place", "scope", "position"),
        (located for row in rows for located in _located(ids[row.position], row.place, places)),
    )
    return Written(ids, found.new, found.known)


# Writing in bulk (`common.bulk`): the values each field prepares for the database (what
# bulk_create would send), made a column at a time: a column of texts or ids is sent as it is, a
# default the same for every row is prepared once.


def _insert_activities(plan: Plan, rows: Sequence[Mapping[str, object]]) -> dict[int, int]:
    """Insert new activities of `plan`, each given by the values of its fields (a foreign key
    by its id; every other field takes its default, `uid` a new one each, the creation and
    change times now), and return their ids by position, read back from the plan."""
    if not rows:
        return {}
    connection = connections[router.db_for_write(Activity)]
    fields = [f for f in Activity._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    columns = [
        _column_values(field, [row.get(field.name, _MISSING) for row in rows], now, connection)
        for field in fields
    ]
    bulk.insert(Activity, fields, list(zip(*columns, strict=True)))
    positions = [row["position"] for row in rows]
    written = Activity.objects.using(connection.alias).filter(
        plan=plan, position__range=(min(positions), max(positions))
    )
    wanted = set(positions)
    return {
        position: pk for position, pk in written.values_list("position", "pk") if position in wanted
    }


def _insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """Insert rows of `model` given as the values of the fields `names` (a foreign key by its
    id); every other field takes its default."""
    given = list(rows)
    if not given:
        return
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    others = [f for f in model._meta.concrete_fields if not f.primary_key and f not in fields]
    now = timezone.now()
    columns = [
        *(
            _column_values(f, list(values), now, connection)
            for f, values in zip(fields, zip(*given, strict=True), strict=True)
        ),
        *(_column_values(field, [_MISSING] * len(given), now, connection) for field in others),
    ]
    bulk.insert(model, [*fields, *others], list(zip(*columns, strict=True)))


_MISSING = object()  # a row that gives no value for a field: it takes the field's default

# Fields whose values the database driver takes as Python gives them: no preparing per value.
_AS_GIVEN = frozenset(
    (
        "CharField", "TextField", "SlugField", "IntegerField", "PositiveIntegerField",
        "PositiveSmallIntegerField", "SmallIntegerField", "BigIntegerField", "BooleanField",
        "ForeignKey",
    )
)  # fmt: skip


def _column_values(
    field: models.Field, given: list[object], now: datetime, connection: BaseDatabaseWrapper
) -> list[object]:
    """A field's values for the database, one a row: the row's own, else (`_MISSING`) the
    field's default — `now` for the times it sets itself, made anew for each row when the
    default is callable (a uid, an empty list) —, each prepared as the field prepares it for
    the database (texts, numbers, booleans and ids as they are; NULL stays NULL)."""
    if field.get_internal_type() in _AS_GIVEN:
        prepare: Callable[[object], object] = _as_given
    else:
        prepare = functools.partial(_prepared, field.get_db_prep_save, connection)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        default = prepare(now)
    elif callable(field.default):
        return [prepare(field.get_default() if value is _MISSING else value) for value in given]
    else:
        default = prepare(field.get_default())
    if prepare is _as_given:
        return [default if value is _MISSING else value for value in given]
    return [default if value is _MISSING else prepare(value) for value in given]


def _as_given(value: object) -> object:
    return value


def _prepared(
    prepare: Callable[..., object], connection: BaseDatabaseWrapper, value: object
) -> object:
    """NULL is NULL for every field: only a value goes through the field's preparing."""
    return None if value is None else prepare(value, connection=connection)


def _fields(row: ActivityRow) -> dict[str, object]:
    """An activity's own columns from its row, the search columns included."""
    search = search_columns(
        title=row.title,
        place_text=row.place.text or "",
        responsible_text=row.responsible_text,
        notes=row.notes,
        kind=row.kind,
        places=[name for city in row.place.cities for name in (city.name, city.region)],
    )
    return {
        "position": row.position,
        "when_text": row.when.text,
        "start": row.when.start,
        "end": row.when.end,
        "precision": row.when.precision,
        "recurrence": row.when.recurrence or "",
        "deadline": row.when.deadline,
        "start_time": row.when.start_time,
        "end_time": row.when.end_time,
        "title": row.title,
        "kind": row.kind,
        "involvement": row.involvement,
        "format": row.format or "",
        "place_text": row.place.text or "",
        "responsible_text": row.responsible_text,
        "notes": row.notes,
        "extra": [[header, text] for header, text in row.extra],
        "search_lemmas": search.lemmas,
        "search_latin": search.latin,
    }


def _identity_fields(identity: Identity | None) -> dict[str, object]:
    if identity is None:
        return {}
    return {"uid": identity.uid, "sequence": identity.sequence, "status": identity.status}


def _located(
    activity_id: int, place: PlaceReading, places: Mapping[directory.PlaceKey, int]
) -> Iterable[tuple[object, ...]]:
    """The activity's places in the order the cell gives them: cities, the venue, the scope
    (ActivityPlace's activity, place id, scope and position)."""
    keys = directory.place_keys(place)
    for position, key in enumerate(keys):
        yield activity_id, places[key], ActivityPlace.Scope.PLACE, position
    if place.scope:
        yield activity_id, None, place.scope, len(keys)


def draft_plan(actor: Actor, year: int, title: str) -> Plan:
    """The owner's plan for `year`, locked for new rows; a new draft (with `title`) if there is
    none. A plan that is no longer a draft takes no new rows."""
    require(actor, "plans.change_plan", _("Нет права изменять планы."))
    owner = owner_organisation()
    plan = Plan.objects.select_for_update().filter(owner=owner, year=year).first()
    if plan is None:
        plan = Plan.objects.create(
            owner=owner,
            year=year,
            title=title,
            status=Plan.Status.DRAFT,
            imported_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record(actor, "plan.create", str(plan), "", {"year": year})
    elif plan.status != Plan.Status.DRAFT:
        raise ValidationError(
            _(
                "План на %(year)s год уже не черновик (%(status)s); предложения включаются "
                "только в черновик."
            )
            % {"year": year, "status": plan.get_status_display()},
            code="plan",
        )
    return plan


def append_activity(
    actor: Actor, plan: Plan, row: ActivityRow, summary: str, details: Mapping[str, object]
) -> Activity:
    """Add one row as the plan's last, in its last section; `summary` and `details` say in the
    audit log why it was added (a proposal included, a row added by staff)."""
    require(actor, "plans.change_plan", _("Нет права изменять планы."))
    with transaction.atomic():
        last = plan.activities.aggregate(last=Max("position"))["last"] or 0
        row.position = last + 1
        section = plan.sections.order_by("-position").first()
        [pk] = add_activities(plan, [row], {row.section: section}).ids.values()
        activity = Activity.objects.select_related("plan").get(pk=pk)
        index_activity(activity)  # again, now that the directory knows its places
        activity.save(update_fields=["search_lemmas", "search_latin"])
        record(
            actor,
            "activity.create",
            str(activity),
            summary,
            {"activity": activity.pk, "plan": plan.pk, **details},
        )
    return activity


def save_activity(activity: Activity, actor: Actor, changed: Iterable[str]) -> Activity:
    """Save an edited activity. A new time-frame text with unchanged dates and times is read
    again; a change of dates, times, title, place or status raises SEQUENCE so calendars take
    it."""
    require(actor, "plans.change_activity", _("Нет права изменять мероприятия."))
    return _save_activity(activity, actor, changed)


def _save_activity(activity: Activity, actor: Actor, changed: Iterable[str]) -> Activity:
    changed = set(changed)
    if "when_text" in changed and not changed & TIMEFRAME_COLUMNS:
        timeframe = parse(activity.when_text, default_year=activity.plan.year)
        activity.start, activity.end = timeframe.start, timeframe.end
        activity.precision = timeframe.precision
        activity.recurrence = timeframe.recurrence or ""
        activity.deadline = timeframe.deadline
        activity.start_time, activity.end_time = timeframe.start_time, timeframe.end_time
    if activity.pk and changed & SEQUENCE_FIELDS:
        activity.sequence += 1
    with transaction.atomic():
        index_activity(activity)
        activity.save()
        record(
            actor,
            "activity.change",
            str(activity),
            _("Изменены поля: %(fields)s") % {"fields": ", ".join(sorted(changed)) or "—"},
            {"activity": activity.pk, "sequence": activity.sequence},
        )
    return activity


# --- the plan's year: rows edited, approval, amendments and versions ------------------------------
#
# A draft is edited freely. Once the plan is approved (version 1 frozen), every change of a row
# is an Amendment with its reason, pending until staff publish the amendments as the next
# version. The public pages, feeds and files show the plan as it is now at once; the versions
# are the record of what was decided when.


@dataclass(frozen=True)
class Decision:
    """The decision that approved a plan or its amendments: «Общее собрание», its date and
    number, and the signed scan (PDF, JPEG or PNG bytes) when there is one."""

    body: str = ""
    date: date | None = None
    number: str = ""
    scan_name: str = ""
    scan: bytes = b""


@dataclass(frozen=True)
class Party:
    """A responsible party as staff pick it: a directory organisation (by id) or a new name."""

    role: str
    organisation_id: int | None = None
    name: str = ""
    contact: str = ""
    remark: str = ""


NO_SECTION = 0  # RowEdit.section_id of a row taken out of every section
NO_PARENT = 0  # RowEdit.parent_position of a row that is part of no other


@dataclass(frozen=True)
class RowEdit:
    """The parts of a row staff change; None leaves a part as it is (NO_SECTION as the
    section puts the row in none)."""

    when_text: str | None = None
    title: str | None = None
    kind: str | None = None
    involvement: str | None = None
    format: str | None = None
    place_text: str | None = None
    responsible: Sequence[Party] | None = None
    section_id: int | None = None
    parent_position: int | None = None  # the row it is part of, by number


def approve_plan(actor: Actor, plan: Plan, decision: Decision) -> PlanVersion:
    """Approve a draft: the plan becomes public and version 1 freezes its rows."""
    require(actor, "plans.approve_plan", _("Утверждать планы может только руководство."))
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != Plan.Status.DRAFT:
            raise ValidationError(
                _("Утвердить можно только черновик; план на %(year)s год — %(status)s.")
                % {"year": plan.year, "status": plan.get_status_display()},
                code="status",
            )
        plan.status = Plan.Status.APPROVED
        plan.save(update_fields=["status"])
        version = _new_version(actor, plan, _("План утверждён."), decision)
        record(
            actor,
            "plan.approve",
            str(plan),
            _decision_text(decision),
            {"plan": plan.pk, "version": version.number},
        )
    return version


def imported_version(actor: Actor, plan: Plan, source: str, replaced: bool) -> PlanVersion:
    """The version a plan imported as approved is: version 1, or the next one when the file
    replaced the rows of a plan that had versions (no permission check: the import that calls
    it has made it)."""
    reason = (
        _("Строки плана заменены файлом «%(source)s».")
        if replaced and plan.versions.exists()
        else _("План импортирован утверждённым из файла «%(source)s».")
    )
    return _new_version(actor, plan, reason % {"source": source}, Decision())


def publish_amendments(
    actor: Actor, plan: Plan, reason: str, decision: Decision | None = None
) -> PlanVersion:
    """Collect the plan's pending amendments into its next version."""
    require(actor, "plans.publish_amendments", _("Публиковать изменения может только руководство."))
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        pending = plan.amendments.filter(version__isnull=True)
        if plan.status != Plan.Status.APPROVED or not pending.exists():
            raise ValidationError(_("Нет неопубликованных изменений плана."), code="empty")
        reason = " ".join(reason.split()) or "; ".join(
            dict.fromkeys(pending.values_list("reason", flat=True))
        )
        version = _new_version(actor, plan, reason, decision or Decision())
        count = pending.update(version=version)
        record(
            actor,
            "plan.publish_amendments",
            str(plan),
            _("Версия %(number)s: изменений %(count)s")
            % {"number": version.number, "count": count},
            {"plan": plan.pk, "version": version.number},
        )
    return version


def _new_version(actor: Actor, plan: Plan, reason: str, decision: Decision) -> PlanVersion:
    number = (plan.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    published = timezone.now()
    document = snapshot(plan)
    document["plan"]["version"] = jsonio.version_json(
        VersionLabel(number, timezone.localdate(published))
    )
    version = PlanVersion(
        plan=plan,
        number=number,
        published=published,
        published_by=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        decision_body=" ".join(decision.body.split()),
        decision_date=decision.date,
        decision_number=decision.number.strip(),
        document=document,
    )
    if decision.scan:
        limit = settings.CIVICPLAN_ATTACHMENT_MAX_BYTES
        if len(decision.scan) > limit:
            raise ValidationError(
                _("Скан решения «%(name)s» больше %(limit)d МБ.")
                % {"name": decision.scan_name, "limit": limit // (1024 * 1024)},
                code="scan",
            )
        kind = file_type(decision.scan)
        if kind not in DECISION_SCAN_TYPES:
            raise ValidationError(
                _("Скан решения «%(name)s» — не PDF, JPEG или PNG по содержимому.")
                % {"name": decision.scan_name},
                code="scan",
            )
        version.decision_scan.save(
            f"plan-{plan.year}-v{number}.{kind}", ContentFile(decision.scan), save=False
        )
    version.save()
    return version


DECISION_SCAN_TYPES = ("pdf", "jpeg", "png")


def _decision_text(decision: Decision) -> str:
    parts = [decision.body]
    if decision.date:
        parts.append(_("от %(date)s") % {"date": f"{decision.date:%d.%m.%Y}"})
    if decision.number:
        parts.append(f"№ {decision.number}")
    return " ".join(part for part in parts if part)


def record_amendment(
    actor: Actor, activity: Activity, kind: str, reason: str, summary: str = ""
) -> Amendment | None:
    """An approved plan's change of `activity` as an amendment with its reason (required);
    nothing for a draft."""
    plan = activity.plan
    if plan.status != Plan.Status.APPROVED:
        return None
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("План утверждён: укажите основание изменения."), code="reason")
    return Amendment.objects.create(
        plan=plan,
        activity=activity if activity.pk else None,
        activity_uid=activity.uid,
        title=activity.title,
        kind=kind,
        reason=reason,
        summary=summary,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )


def change_activity(actor: Actor, activity: Activity, edit: RowEdit, reason: str = "") -> Activity:
    """Change a row as staff edit it in the workspace: a retyped time frame is read again, a
    new place text re-reads its places, parties picked from the directory replace the old."""
    require(actor, "plans.change_activity", _("Нет права изменять мероприятия."))
    changed: set[str] = set()
    for name in ("when_text", "title", "kind", "involvement", "format", "place_text"):
        value = getattr(edit, name)
        if value is not None and value != getattr(activity, name):
            setattr(activity, name, " ".join(value.split()) if name != "title" else value.strip())
            changed.add(name)
    changed |= _place_in_plan(activity, edit)
    if not activity.title:
        raise ValidationError(_("Нужно название мероприятия."), code="title")
    parties_changed = edit.responsible is not None and _parties_differ(activity, edit.responsible)
    if not changed and not parties_changed:
        return activity
    with transaction.atomic():
        summary = ", ".join(str(Activity._meta.get_field(n).verbose_name) for n in sorted(changed))
        if parties_changed:
            summary = ", ".join(filter(None, (summary, _("ответственные"))))
        record_amendment(actor, activity, Amendment.Kind.CHANGED, reason, summary)
        if parties_changed:
            _set_parties(actor, activity, edit.responsible)
            changed.add("responsible_text")
        if "place_text" in changed:
            _set_places(activity)
        save_activity(activity, actor, changed)
    return activity


def _place_in_plan(activity: Activity, edit: RowEdit) -> set[str]:
    """The row's section and the row it is part of, as the edit gives them: what changed."""
    changed = set()
    section_id = None if edit.section_id == NO_SECTION else edit.section_id
    if edit.section_id is not None and section_id != activity.section_id:
        if section_id is not None and not activity.plan.sections.filter(pk=section_id).exists():
            raise ValidationError(_("Такого раздела в плане нет."), code="section")
        activity.section_id = section_id
        changed.add("section")
    if edit.parent_position is not None:
        parent_id = _parent_id(activity, edit.parent_position)
        if parent_id != activity.parent_id:
            activity.parent_id = parent_id
            changed.add("parent")
    return changed


def _parent_id(activity: Activity, position: int) -> int | None:
    """The row numbered `position` of the activity's plan, which the activity becomes part of;
    one level only (a part has no parts), so that no row is its own ancestor."""
    if position == NO_PARENT:
        return None
    parent = activity.plan.activities.filter(position=position).first()
    if parent is None:
        raise ValidationError(_("В плане нет строки № %(n)d.") % {"n": position}, code="parent")
    has_parts = activity.pk is not None and activity.children.exists()
    if parent.pk == activity.pk or parent.parent_id is not None or has_parts:
        raise ValidationError(
            _(
                "Строка № %(n)d не может включать эту строку: частями бывают только "
                "самостоятельные строки без своих частей."
            )
            % {"n": position},
            code="parent",
        )
    return parent.pk


def _parties_differ(activity: Activity, parties: Sequence[Party]) -> bool:
    current = [
        (link.role, link.organisation_id, link.contact, link.remark)
        for link in activity.responsibilities.order_by("position")
    ]
    wanted = [(p.role, p.organisation_id, p.contact, p.remark) for p in parties]
    return current != wanted or any(p.organisation_id is None for p in parties)


def _set_parties(actor: Actor, activity: Activity, parties: Sequence[Party]) -> None:
    """Replace the row's responsible parties; a new name becomes a directory organisation (or
    the one it already denotes); the cell is written again from the parties."""
    organisations = Organisation.objects.in_bulk(
        [p.organisation_id for p in parties if p.organisation_id is not None]
    )
    links = []
    for position, party in enumerate(parties):
        if party.organisation_id is not None:
            organisation = organisations.get(party.organisation_id)
            if organisation is None:
                raise ValidationError(_("Такой организации в справочнике нет."), code="party")
        else:
            organisation = directory.create_organisation(actor, party.name)
        if party.role not in Responsibility.Role.values:
            raise ValidationError(_("Неизвестная роль ответственного."), code="role")
        links.append(
            Responsibility(
                activity=activity,
                organisation=organisation,
                role=party.role,
                written_as=(party.name or organisation.name)[:500],
                contact=party.contact[:200],
                remark=party.remark[:200],
                position=position,
            )
        )
    activity.responsibilities.all().delete()
    Responsibility.objects.bulk_create(links)
    activity.responsible_text = join_parties(
        ActivityRowParty(
            name=link.written_as,
            role=link.role,
            kind=link.organisation.kind,
            contact=link.contact or None,
            remark=link.remark or None,
        )
        for link in links
    )


def _set_places(activity: Activity) -> None:
    """The row's places read again from its place text (cities, venue, scope)."""
    reading = read_place(activity.place_text)
    places = directory.places_for([reading])
    activity.places.all().delete()
    _insert_rows(
        ActivityPlace,
        ("activity", "place", "scope", "position"),
        _located(activity.pk, reading, places),
    )
    if activity.format == "" and reading.text:
        activity.format = read_format(activity.place_text) or ""


def add_row(
    actor: Actor, plan: Plan, edit: RowEdit, after: Activity | None = None, reason: str = ""
) -> Activity:
    """A new row after `after` (first in the plan when None), in `after`'s section unless the
    edit names one; the rows below move down."""
    require(actor, "plans.change_activity", _("Нет права изменять мероприятия."))
    title = (edit.title or "").strip()
    if not title:
        raise ValidationError(_("Нужно название мероприятия."), code="title")
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        position = after.position + 1 if after is not None else 1
        _shift(plan, position, 1)
        timeframe = parse(edit.when_text or "", default_year=plan.year)
        activity = Activity(
            plan=plan,
            section_id=_section_of_new_row(edit, after),
            position=position,
            when_text=" ".join((edit.when_text or "").split()),
            title=title,
            kind=edit.kind or read_kind(title),
            involvement=edit.involvement or read_involvement(title),
            format=edit.format or "",
            place_text=" ".join((edit.place_text or "").split()),
            start=timeframe.start,
            end=timeframe.end,
            precision=timeframe.precision,
            recurrence=timeframe.recurrence or "",
            deadline=timeframe.deadline,
            start_time=timeframe.start_time,
            end_time=timeframe.end_time,
        )
        if edit.parent_position:  # numbered as staff saw the table, before this row came
            shown = edit.parent_position
            activity.parent_id = _parent_id(activity, shown + 1 if shown >= position else shown)
        index_activity(activity)
        activity.save()
        if edit.responsible:
            _set_parties(actor, activity, edit.responsible)
        if activity.place_text:
            _set_places(activity)
        index_activity(activity)
        activity.save()
        record_amendment(actor, activity, Amendment.Kind.ADDED, reason)
        record(
            actor,
            "activity.create",
            str(activity),
            _("Строка добавлена в план"),
            {"activity": activity.pk, "plan": plan.pk},
        )
    return activity


def _section_of_new_row(edit: RowEdit, after: Activity | None) -> int | None:
    if edit.section_id is None:
        return after.section_id if after is not None else None
    return None if edit.section_id == NO_SECTION else edit.section_id


def remove_row(actor: Actor, activity: Activity, reason: str = "") -> None:
    """Delete a row; the rows below move up. In an approved plan it is an amendment (cancelling
    keeps the row for calendars; removing says it was never part of the plan)."""
    require(actor, "plans.change_activity", _("Нет права изменять мероприятия."))
    with transaction.atomic():
        record_amendment(actor, activity, Amendment.Kind.REMOVED, reason)
        plan, position, pk = activity.plan, activity.position, activity.pk
        record(
            actor,
            "activity.delete",
            str(activity),
            _("Строка исключена из плана"),
            {"activity": pk, "plan": plan.pk, "uid": str(activity.uid)},
        )
        activity.delete()
        _shift(plan, position + 1, -1)


def move_row(actor: Actor, activity: Activity, position: int, reason: str = "") -> Activity:
    """Put the row at `position` (1 = first), the rows between moving by one."""
    require(actor, "plans.change_activity", _("Нет права изменять мероприятия."))
    with transaction.atomic():
        plan = activity.plan
        last = plan.activities.aggregate(last=Max("position"))["last"] or 1
        position = max(1, min(position, last))
        old = activity.position
        if position == old:
            return activity
        record_amendment(actor, activity, Amendment.Kind.CHANGED, reason, _("порядок строк"))
        Activity.objects.filter(pk=activity.pk).update(position=0)
        if position < old:
            _shift(plan, position, 1, below=old)
        else:
            _shift(plan, old + 1, -1, below=position + 1)
        Activity.objects.filter(pk=activity.pk).update(position=position)
        activity.position = position
        record(
            actor,
            "activity.move",
            str(activity),
            _("Строка %(old)s перемещена на место %(new)s") % {"old": old, "new": position},
            {"activity": activity.pk, "plan": plan.pk},
        )
    return activity


_SHIFT_APART = 1_000_000  # rows are moved out of the way first: positions are unique per plan


def _shift(plan: Plan, first: int, by: int, below: int | None = None) -> None:
    """Move the rows from position `first` (up to, not including, `below`) by `by`, in two
    updates so no two rows ever share a position."""
    rows = plan.activities.filter(position__gte=first)
    if below is not None:
        rows = rows.filter(position__lt=below)
    if rows.update(position=models.F("position") + _SHIFT_APART):
        plan.activities.filter(position__gte=_SHIFT_APART).update(
            position=models.F("position") - _SHIFT_APART + by
        )


def postpone_activity(actor: Actor, activity: Activity, when_text: str, reason: str) -> Activity:
    """Move an activity to a new time frame, keeping the old one to show beside it."""
    require(actor, "plans.change_activity", _("Нет права изменять мероприятия."))
    when_text = " ".join(when_text.split())
    if not when_text or when_text == activity.when_text:
        raise ValidationError(_("Укажите новые сроки."), code="when")
    if not " ".join(reason.split()):
        raise ValidationError(_("Укажите причину переноса."), code="reason")
    with transaction.atomic():
        old = activity.when_text
        record_amendment(actor, activity, Amendment.Kind.POSTPONED, reason, f"{old} → {when_text}")
        activity.previous_when_text = old
        activity.when_text = when_text
        activity.status = Activity.Status.POSTPONED
        activity.status_reason = " ".join(reason.split())
        activity.status_changed = timezone.now()
        save_activity(
            activity, actor, {"when_text", "status", "previous_when_text", "status_reason"}
        )
    return activity


def cancel_activity(actor: Actor, activity: Activity, reason: str) -> Activity:
    """Cancel an activity: it stays in the plan and the calendars, struck through."""
    require(actor, "plans.change_activity", _("Нет права изменять мероприятия."))
    if not " ".join(reason.split()):
        raise ValidationError(_("Укажите причину отмены."), code="reason")
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("Мероприятие уже отменено."), code="status")
    with transaction.atomic():
        record_amendment(actor, activity, Amendment.Kind.CANCELLED, reason)
        activity.status = Activity.Status.CANCELLED
        activity.status_reason = " ".join(reason.split())
        activity.status_changed = timezone.now()
        save_activity(activity, actor, {"status", "status_reason"})
    return activity


def mark_held(actor: Actor, activity: Activity, held_text: str = "") -> Activity:
    """Mark an activity held, on the days `held_text` gives («12–13 мая»; empty: as planned).
    Carrying out the plan is no change of it: no amendment, and the next version shows the row
    held."""
    require(actor, "plans.change_activity", _("Нет права изменять мероприятия."))
    held = parse(held_text, default_year=activity.plan.year) if held_text.strip() else None
    if held is not None and held.start is None:
        raise ValidationError(
            _("Не удалось прочитать даты проведения «%(text)s».") % {"text": held_text},
            code="when",
        )
    if held is None:
        return record_held(actor, activity, activity.start, activity.end)
    return record_held(actor, activity, held.start, held.end)


def record_held(actor: Actor, activity: Activity, start: date | None, end: date | None) -> Activity:
    """The activity held from `start` to `end`, for an action that has checked its own
    permission first (mark_held; a coordinator's closing report, civicplan.reports.actions).
    Nothing is written when it is marked held on those days already."""
    if (activity.status, activity.held_start, activity.held_end) == (
        Activity.Status.HELD,
        start,
        end,
    ):
        return activity
    with transaction.atomic():
        activity.status = Activity.Status.HELD
        activity.held_start, activity.held_end = start, end
        activity.status_changed = timezone.now()
        _save_activity(activity, actor, {"status", "held_start", "held_end"})
    return activity


def change_section(actor: Actor, section: Section, heading: str, subheading: str = "") -> Section:
    """Rename a section of the plan (its rows stay in it)."""
    require(actor, "plans.change_plan", _("Нет права изменять планы."))
    heading = " ".join(heading.split())
    if not heading:
        raise ValidationError(_("Нужно название раздела."), code="heading")
    with transaction.atomic():
        section.heading, section.subheading = heading, " ".join(subheading.split())
        section.save(update_fields=["heading", "subheading"])
        record(
            actor, "section.change", heading, "", {"plan": section.plan_id, "section": section.pk}
        )
    return section


def add_section(actor: Actor, plan: Plan, heading: str, subheading: str = "") -> Section:
    """A new section at the end of the plan's sections."""
    require(actor, "plans.change_plan", _("Нет права изменять планы."))
    heading = " ".join(heading.split())
    if not heading:
        raise ValidationError(_("Нужно название раздела."), code="heading")
    with transaction.atomic():
        last = plan.sections.aggregate(last=Max("position"))["last"] or 0
        section = Section.objects.create(
            plan=plan, position=last + 1, heading=heading, subheading=" ".join(subheading.split())
        )
        record(actor, "section.create", heading, "", {"plan": plan.pk, "section": section.pk})
    return section


def change_notes(actor: Actor, plan: Plan, texts: Sequence[str]) -> Plan:
    """The plan's closing notes (paragraphs after its rows), as staff wrote them."""
    require(actor, "plans.change_plan", _("Нет права изменять планы."))
    count = plan.activities.count()
    kept = [note for note in plan.notes if note.get("after", count) < count]
    written = [{"text": text.strip(), "after": count} for text in texts if text.strip()]
    with transaction.atomic():
        plan.notes = kept + written
        plan.save(update_fields=["notes"])
        record(actor, "plan.notes", str(plan), "", {"plan": plan.pk})
    return plan


@dataclass(frozen=True)
class CarriedRow:
    """A row of this year's plan as next year's draft sees it."""

    pk: int
    position: int
    title: str
    when_text: str


def carried_over(plan: Plan) -> tuple[list[CarriedRow], list[CarriedRow]]:
    """The plan's rows as next year's draft takes them: (recurring and year-long rows, carried
    by themselves; one-off rows, offered to staff as a checklist). One light query: a plan of
    2,000 rows is listed on one page."""
    carried, one_off = [], []
    year_long = (Activity.Precision.YEAR, Activity.Precision.YEARS)
    rows = plan.activities.order_by("position").values_list(
        "pk", "position", "title", "when_text", "recurrence", "precision"
    )
    for pk, position, title, when_text, recurrence, precision in rows:
        row = CarriedRow(pk, position, title, when_text)
        (carried if recurrence or precision in year_long else one_off).append(row)
    return carried, one_off


def next_year_draft(actor: Actor, plan: Plan, one_off_ids: Iterable[int] = ()) -> Plan:
    """Next year's draft from `plan`: its recurring and year-long rows and the one-off rows
    staff ticked, in the plan's order and sections, their time frames moved on a year; rows
    already in that draft (members' proposals included into it) stay, after them, and a row
    whose title the draft has already is not taken twice (the action may be run again)."""
    require(actor, "plans.change_plan", _("Нет права изменять планы."))
    year = plan.year + 1
    carried, one_off = carried_over(plan)
    wanted = set(one_off_ids)
    rows = sorted(
        [*carried, *(a for a in one_off if a.pk in wanted)], key=lambda activity: activity.position
    )
    source = plan_document(plan)
    by_position = {row.position: row for row in source.activities}
    with transaction.atomic():
        draft = draft_plan(actor, year, _next_title(plan.title, plan.year))
        kept = list(draft.activities.order_by("position").values_list("title", flat=True))
        present = {fold(title) for title in kept}
        rows = [activity for activity in rows if fold(activity.title) not in present]
        moved_rows = []
        for position, activity in enumerate(rows, start=1):
            row = by_position[activity.position]
            row.position = position
            row.when = parse(_next_year_text(row.when.text, plan.year), default_year=year)
            moved_rows.append(row)
        _shift(draft, 1, len(moved_rows))
        sections: dict[SectionKey, Section | None] = {}
        for row in moved_rows:
            if row.section not in sections:
                heading, subheading = row.section
                sections[row.section] = (
                    Section.objects.get_or_create(
                        plan=draft,
                        heading=heading or "",
                        subheading=subheading or "",
                        defaults={"position": len(sections) + 1},
                    )[0]
                    if heading or subheading
                    else None
                )
        written = add_activities(draft, moved_rows, sections)
        for activity in Activity.objects.filter(pk__in=written.ids.values()):
            index_activity(activity)
            activity.save(update_fields=["search_lemmas", "search_latin"])
        record(
            actor,
            "plan.next_year",
            str(draft),
            _("Перенесено строк из плана %(year)s года: %(count)s")
            % {"year": plan.year, "count": len(moved_rows)},
            {"plan": draft.pk, "from": plan.pk, "kept": len(kept)},
        )
    return draft


def _next_title(title: str, year: int) -> str:
    return re.sub(rf"(?<!\d){year}(?!\d)", str(year + 1), title)


def _next_year_text(text: str, year: int) -> str:
    """A time frame's text a year on: the plan's year written in it (2025, «2025 г.»,
    25.03.2025, 25.03.25) becomes the next."""
    text = re.sub(rf"(?<!\d){year}(?!\d)", str(year + 1), text)
    short = year % 100
    return re.sub(rf"(?<=\d\.)({short:02d})(?![\d.])", f"{(short + 1) % 100:02d}", text)

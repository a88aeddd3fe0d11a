"""Importing a plan file: the one action that turns a document into Plan, Section, Activity rows.

file -> plandoc reader -> PlanDocument -> models, in one transaction: any error leaves the
database as it was, and a dry run is the same work rolled back.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.audit.actions import Actor, record
from civicplan.directory.queries import organisation_index
from civicplan.plandoc import PlanDocument
from civicplan.plandoc.layout import Columns, arrange
from civicplan.plandoc.model import Problem
from civicplan.plandoc.organisations import organisation_key
from civicplan.plandoc.readers import read_source
from civicplan.plandoc.understand import Progress, build_plan
from civicplan.plans.actions import (
    Identity,
    SectionKey,
    Written,
    add_activities,
    imported_version,
    owner_organisation,
)
from civicplan.plans.models import ColumnMapping, Plan, Section
from civicplan.text import fold

# What a plan may be when it is imported: a draft to work on, or the approved plan as adopted.
IMPORT_STATUSES = (Plan.Status.DRAFT, Plan.Status.APPROVED)


class ImportRefused(Exception):
    """The file was read, but importing it would break a rule (a plan for that year exists)."""


@dataclass
class ImportSummary:
    source: str
    year: int
    rows: int
    activities: int
    organisations_new: int
    organisations_matched: int
    problems: list[Problem] = field(default_factory=list)
    plan_id: int | None = None
    replaced: bool = False
    dry_run: bool = False


def can_import(actor: Actor) -> bool:
    """The command line (no actor) may; on the web, staff with the right to add plans."""
    return actor is None or (actor.is_active and actor.has_perm("plans.add_plan"))


def remembered_columns() -> Columns:
    """The roles staff chose for the columns of each table header they corrected (the staff
    import's columns step): every import reads a table with such a header with them."""
    return {
        tuple(signature): tuple(roles)
        for signature, roles in ColumnMapping.objects.values_list("signature", "roles")
    }


def plan_exists(year: int) -> bool:
    """Whether the owner has a plan for that year (an import would have to replace it)."""
    owner = organisation_key(settings.CIVICPLAN_OWNER)
    return Plan.objects.filter(year=year, owner__key=owner).exists()


def read_for_import(
    data: bytes,
    source: str,
    year: int | None = None,
    progress: Progress | None = None,
    columns: Columns | None = None,
) -> PlanDocument:
    """Read and understand a plan file against the organisations already known (no writes).
    `columns` gives the roles of the columns of tables with the given headers (by default
    the remembered ones).

    The file is read before the database is touched, so a bad file fails fast."""
    document = read_source(data, source)
    raw = arrange(document, remembered_columns() if columns is None else columns)
    return build_plan(raw, year=year, index=organisation_index(), progress=progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a plan is read and written: a plan's
    hundreds of thousands of objects (cells, readings, parses, rows) live until the import
    ends, so each of the collector's full passes over them (and over everything loaded before)
    frees next to nothing, and together they cost a tenth of a 2,000-row import's time.
    Reference counting still frees what is dropped; the few cycles left (the XML reader's)
    wait for the collector's next pass after the import."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_collector_paused()
def import_plan(
    data: bytes,
    source: str,
    *,
    actor: Actor = None,
    year: int | None = None,
    status: str = Plan.Status.DRAFT,
    replace: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    columns: Columns | None = None,
) -> ImportSummary:
    """Import a plan file. Raises PlanReadError (bad file), ImportRefused (a rule), or
    PermissionDenied; otherwise the plan is in the database (unless `dry_run`). `columns`
    gives the roles of the columns of tables with the given headers (by default the ones
    staff chose for such headers before); an existing plan of the year is replaced only
    with `replace`, its activities keeping their identities."""
    if not can_import(actor):
        raise PermissionDenied(_("Нет права импортировать планы."))
    if status not in IMPORT_STATUSES:
        raise ImportRefused(
            _("Импортированный план — черновик или утверждённый, а не «%(status)s».")
            % {"status": status}
        )
    document = read_for_import(data, source, year, progress, columns)
    if document.year is None:
        raise ImportRefused(
            _("%(source)s: год плана не найден в заголовке; укажите его (--year).")
            % {"source": source}
        )
    with transaction.atomic():
        owner = owner_organisation()
        existing = Plan.objects.filter(owner=owner, year=document.year).first()
        if existing is not None and not replace:
            raise ImportRefused(_already_imported(actor, document.year))
        carried: dict[int, Identity] = {}
        plan = existing or Plan(owner=owner, year=document.year)
        if existing is not None:  # the plan stays, with its versions; its rows are replaced
            carried = _carry_identities(existing, document)
            existing.activities.all().delete()
            existing.sections.all().delete()
            plan.imported_at = timezone.now()
        plan.title = document.title
        plan.status = status
        plan.notes = [{"text": note.text, "after": note.after} for note in document.notes]
        plan.imported_by = actor if actor is not None and actor.is_authenticated else None
        plan.save()
        if not dry_run:
            plan.source_file.save(source, ContentFile(data), save=True)
        written = _write_plan(plan, document, carried)
        if status == Plan.Status.APPROVED:
            imported_version(actor, plan, source, replaced=existing is not None)
        summary = ImportSummary(
            source=source,
            year=document.year,
            rows=len(document.activities),
            activities=plan.activities.count(),
            organisations_new=written.organisations_new,
            organisations_matched=written.organisations_known,
            problems=document.problems,
            plan_id=None if dry_run else plan.pk,
            replaced=existing is not None,
            dry_run=dry_run,
        )
        record(
            actor,
            "plan.import",
            f"{source} -> {plan}",
            _("Импортировано мероприятий: %(count)s") % {"count": summary.activities},
            {"year": document.year, "replaced": summary.replaced, "status": status},
        )
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _already_imported(actor: Actor, year: int) -> str:
    """The refusal to import over a plan: the command line has --replace, the web a box."""
    if actor is None:
        return _(
            "План на %(year)s год уже импортирован. Чтобы заменить его, импортируйте с --replace."
        ) % {"year": year}
    return _(
        "План на %(year)s год уже есть. Чтобы импортировать этот вместо него, отметьте "
        "«Заменить существующий план»."
    ) % {"year": year}


def _carry_identities(old_plan: Plan, document: PlanDocument) -> dict[int, Identity]:
    """Match the new rows to the old plan's activities (same title and time frame, else same
    title), so a replaced plan keeps each activity's UID and status; SEQUENCE goes up where
    the dates, title or place changed."""
    old = list(
        old_plan.activities.values(
            "title", "when_text", "start", "end", "place_text", "uid", "sequence", "status"
        )
    )
    unused = list(range(len(old)))
    carried: dict[int, Identity] = {}
    for exact in (True, False):
        for item in document.activities:
            if item.position in carried:
                continue
            for index in unused:
                row = old[index]
                if fold(row["title"]) != fold(item.title):
                    continue
                if exact and row["when_text"] != item.when.text:
                    continue
                changed = (row["start"], row["end"], row["title"], row["place_text"]) != (
                    item.when.start,
                    item.when.end,
                    item.title,
                    item.place.text or "",
                )
                carried[item.position] = Identity(
                    row["uid"], row["sequence"] + changed, row["status"]
                )
                unused.remove(index)
                break
    return carried


def _write_plan(plan: Plan, document: PlanDocument, carried: dict[int, Identity]) -> Written:
    """The plan's sections in the order they first appear, then its rows."""
    sections: dict[SectionKey, Section] = {}
    for activity in document.activities:
        if activity.section not in sections:
            heading, subheading = activity.section
            sections[activity.section] = Section(
                plan=plan,
                position=len(sections) + 1,
                heading=heading or "",
                subheading=subheading or "",
            )
    Section.objects.bulk_create(sections.values())
    return add_activities(plan, document.activities, sections, carried)

"""Importing a plan file: the one action that turns a document into Plan, Section, Activity rows.

file -> plandoc reader -> PlanDocument -> models, in one transaction: any error leaves the
database as it was, and a dry run is the same work rolled back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from civicplan.audit.actions import record
from civicplan.directory.models import Organisation, OrganisationAlias, Place
from civicplan.plandoc import OrganisationIndex, PlanDocument
from civicplan.plandoc.model import Problem
from civicplan.plandoc.organisations import classify, organisation_key
from civicplan.plandoc.readers import read_raw
from civicplan.plandoc.understand import build_plan
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility, Section
from civicplan.plans.searchindex import activity_lemmas


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


def known_organisations() -> OrganisationIndex:
    """Every organisation and spelling in the database, so a plan's rows are matched to them."""
    aliases: dict[int, list[str]] = {}
    for organisation_id, text in OrganisationAlias.objects.values_list("organisation_id", "text"):
        aliases.setdefault(organisation_id, []).append(text)
    index = OrganisationIndex()
    for pk, name, kind in Organisation.objects.values_list("pk", "name", "kind"):
        index.add(name, kind, aliases=aliases.get(pk, ()))
    return index


def can_import(actor: AbstractBaseUser | AnonymousUser | None) -> bool:
    """The command line (no actor) may; on the web, staff with the right to add plans."""
    return actor is None or (actor.is_active and actor.has_perm("plans.add_plan"))


def read_for_import(data: bytes, source: str, year: int | None = None) -> PlanDocument:
    """Read and understand a plan file against the organisations already known (no writes).

    The file is checked before the database is touched, so a bad file fails fast."""
    raw = read_raw(data, source)
    return build_plan(raw, year=year, index=known_organisations())


def import_plan(
    data: bytes,
    source: str,
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    year: int | None = None,
    status: str = Plan.Status.DRAFT,
    replace: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Import a plan file. Raises PlanReadError (bad file), ImportRefused (a rule), or
    PermissionDenied; otherwise the plan is in the database (unless `dry_run`)."""
    if not can_import(actor):
        raise PermissionDenied(_("Нет права импортировать планы."))
    document = read_for_import(data, source, year)
    if document.year is None:
        raise ImportRefused(
            _("%(source)s: год плана не найден в заголовке; укажите его (--year).")
            % {"source": source}
        )
    with transaction.atomic():
        owner = owner_organisation()
        existing = Plan.objects.filter(owner=owner, year=document.year).first()
        if existing is not None and not replace:
            raise ImportRefused(
                _(
                    "План на %(year)s год уже импортирован. Чтобы заменить его, "
                    "импортируйте с --replace."
                )
                % {"year": document.year}
            )
        carried: dict[int, _Identity] = {}
        if existing is not None:
            carried = _carry_identities(existing, document)
            existing.delete()
        plan = Plan.objects.create(
            owner=owner,
            year=document.year,
            title=document.title,
            status=status,
            notes=[{"text": note.text, "after": note.after} for note in document.notes],
            imported_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if not dry_run:
            plan.source_file.save(source, ContentFile(data), save=True)
        new, matched = _save_activities(plan, document, carried)
        summary = ImportSummary(
            source=source,
            year=document.year,
            rows=len(document.activities),
            activities=plan.activities.count(),
            organisations_new=new,
            organisations_matched=matched,
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


def owner_organisation() -> Organisation:
    name = settings.CIVICPLAN_OWNER
    owner, _created = Organisation.objects.get_or_create(
        key=organisation_key(name),
        defaults={"name": name, "kind": Organisation.Kind.ASSOCIATION},
    )
    return owner


@dataclass(frozen=True)
class _Identity:
    """What an activity keeps when its plan is imported again: calendars know it by `uid`."""

    uid: uuid.UUID
    sequence: int
    status: str


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def _carry_identities(old_plan: Plan, document: PlanDocument) -> dict[int, _Identity]:
    """Match the new rows to the old plan's activities (same title and time frame, else same
    title), so a replaced plan keeps each activity's UID and status; SEQUENCE goes up where
    the dates, title or place changed."""
    old = list(
        old_plan.activities.values(
            "title", "when_text", "start", "end", "place_text", "uid", "sequence", "status"
        )
    )
    unused = list(range(len(old)))
    carried: dict[int, _Identity] = {}
    for exact in (True, False):
        for item in document.activities:
            if item.position in carried:
                continue
            for index in unused:
                row = old[index]
                if _title_key(row["title"]) != _title_key(item.title):
                    continue
                if exact and row["when_text"] != item.when.text:
                    continue
                changed = (row["start"], row["end"], row["title"], row["place_text"]) != (
                    item.when.start,
                    item.when.end,
                    item.title,
                    item.place.text or "",
                )
                carried[item.position] = _Identity(
                    row["uid"], row["sequence"] + changed, row["status"]
                )
                unused.remove(index)
                break
    return carried


def _save_activities(
    plan: Plan, document: PlanDocument, carried: dict[int, _Identity]
) -> tuple[int, int]:
    """Write sections, organisations, places, activities and their links in bulk.

    Returns how many of the plan's organisations were new and how many were already known.
    """
    sections: dict[tuple[str | None, str | None], Section] = {}
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

    organisations, new, matched = _organisations(document)
    places = _places(document)

    rows = [
        Activity(
            plan=plan,
            section=sections[item.section],
            position=item.position,
            when_text=item.when.text,
            start=item.when.start,
            end=item.when.end,
            precision=item.when.precision,
            recurrence=item.when.recurrence or "",
            deadline=item.when.deadline,
            title=item.title,
            kind=item.kind,
            involvement=item.involvement,
            format=item.format or "",
            place_text=item.place.text or "",
            responsible_text=item.responsible_text,
            notes=item.notes,
            search_lemmas=activity_lemmas(
                title=item.title,
                place_text=item.place.text or "",
                responsible_text=item.responsible_text,
                notes=item.notes,
                kind=item.kind,
                places=[name for city in item.place.cities for name in (city.name, city.region)],
            ),
            **_identity_fields(carried.get(item.position)),
        )
        for item in document.activities
    ]
    Activity.objects.bulk_create(rows)

    links: list[Responsibility] = []
    located: list[ActivityPlace] = []
    for row, item in zip(rows, document.activities, strict=True):
        for position, party in enumerate(item.responsible):
            links.append(
                Responsibility(
                    activity=row,
                    organisation=organisations[organisation_key(party.name)],
                    role=party.role,
                    written_as=party.name,
                    contact=party.contact or "",
                    position=position,
                )
            )
        position = 0
        for city in item.place.cities:
            located.append(
                ActivityPlace(
                    activity=row,
                    place=places[(city.name, city.region or "", city.country, "")],
                    position=position,
                )
            )
            position += 1
        if item.place.venue:
            city = item.place.cities[0] if item.place.cities else None
            venue_key = _venue_key(city, item.place.venue)
            located.append(ActivityPlace(activity=row, place=places[venue_key], position=position))
            position += 1
        if item.place.scope:
            located.append(ActivityPlace(activity=row, scope=item.place.scope, position=position))
    Responsibility.objects.bulk_create(links)
    ActivityPlace.objects.bulk_create(located)
    return new, matched


def _identity_fields(identity: _Identity | None) -> dict[str, object]:
    if identity is None:
        return {}
    return {"uid": identity.uid, "sequence": identity.sequence, "status": identity.status}


def _organisations(document: PlanDocument) -> tuple[dict[str, Organisation], int, int]:
    """Organisations by key: the known ones, plus new ones for names never seen; every spelling
    seen is kept as an alias."""
    spellings: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
    for activity in document.activities:
        for party in activity.responsible:
            key = organisation_key(party.name)
            names.setdefault(key, party.name)
            kinds.setdefault(key, party.kind if party.kind != "other" else classify(party.name))
            spellings.setdefault(key, set()).update(
                spelling for spelling in (party.name, party.written_as) if spelling
            )
    known = {org.key: org for org in Organisation.objects.filter(key__in=list(names))}
    fresh = [
        Organisation(name=names[key], key=key, kind=kinds[key]) for key in names if key not in known
    ]
    Organisation.objects.bulk_create(fresh)
    by_key = {**known, **{org.key: org for org in fresh}}
    seen = set(
        OrganisationAlias.objects.filter(
            text__in=[text for texts in spellings.values() for text in texts]
        ).values_list("text", flat=True)
    )
    OrganisationAlias.objects.bulk_create(
        [
            OrganisationAlias(organisation=by_key[key], text=text)
            for key, texts in spellings.items()
            for text in sorted(texts)
            if text not in seen
        ],
        ignore_conflicts=True,
    )
    return by_key, len(fresh), len(known)


def _venue_key(city: object, venue: str) -> tuple[str, str, str, str]:
    if city is None:
        return ("", "", "Россия", venue)
    return (city.name, city.region or "", city.country, venue)  # type: ignore[attr-defined]


def _places(document: PlanDocument) -> dict[tuple[str, str, str, str], Place]:
    wanted: set[tuple[str, str, str, str]] = set()
    for activity in document.activities:
        for city in activity.place.cities:
            wanted.add((city.name, city.region or "", city.country, ""))
        if activity.place.venue:
            first = activity.place.cities[0] if activity.place.cities else None
            wanted.add(_venue_key(first, activity.place.venue))
    existing = {
        (p.city, p.region, p.country, p.venue): p
        for p in Place.objects.filter(city__in={key[0] for key in wanted})
    }
    fresh = [
        Place(city=city, region=region, country=country, venue=venue)
        for (city, region, country, venue) in wanted
        if (city, region, country, venue) not in existing
    ]
    Place.objects.bulk_create(fresh)
    return {**existing, **{(p.city, p.region, p.country, p.venue): p for p in fresh}}

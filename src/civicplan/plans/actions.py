"""Every creation and change of an activity, and of the plans that hold them.

An activity is written from a row as `civicplan.plandoc` reads it (an imported row, a member's
proposal, the staff's edit): `add_activities` links its places and responsible organisations
through `civicplan.directory.actions` (new ones created, every spelling kept), keeps the derived
search column (`searchindex`) and writes in bulk; the action that calls it checks the permission
and writes the audit event. Derived columns are kept here, never in a model's save().
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.audit.actions import Actor, record, require
from civicplan.directory import actions as directory
from civicplan.directory.models import Organisation
from civicplan.plandoc.model import Activity as ActivityRow
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility, Section
from civicplan.plans.searchindex import activity_lemmas, index_activity, latin_column
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
    """What `add_activities` wrote: the activities, and how many of the organisations they
    name were new to the directory and how many it knew."""

    activities: list[Activity]
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
    activities = [
        Activity(
            plan=plan,
            section=sections[row.section],
            **_fields(row),
            **_identity_fields(identities.get(row.position)),
        )
        for row in rows
    ]
    _insert_activities(plan, activities)
    _insert_rows(
        Responsibility,
        ("activity", "organisation", "role", "written_as", "contact", "remark", "position"),
        (
            (
                activity.pk,
                found.id_of(party),
                party.role,
                party.name,
                party.contact or "",
                party.remark or "",
                position,
            )
            for activity, row in zip(activities, rows, strict=True)
            for position, party in enumerate(row.responsible)
        ),
    )
    _insert_rows(
        ActivityPlace,
        ("activity", "place", "scope", "position"),
        (
            located
            for activity, row in zip(activities, rows, strict=True)
            for located in _located(activity, row, places)
        ),
    )
    return Written(activities, found.new, found.known)


# Writing in bulk: bulk_create builds the SQL of every row in Python, which for the thousands of
# rows of an imported plan costs more than the data; one INSERT run for every row (executemany)
# with the values each field prepares for the database (what bulk_create sends) does not.


def _insert_activities(plan: Plan, activities: Sequence[Activity]) -> None:
    """Insert new activities of `plan` as bulk_create would (defaults, auto_now columns,
    related objects' ids) and give each its id, read back by its position in the plan."""
    if not activities:
        return
    connection = connections[router.db_for_write(Activity)]
    fields = [f for f in Activity._meta.concrete_fields if not f.primary_key]
    prepare = _preparers(fields, connection)
    values = []
    for activity in activities:
        activity._prepare_related_fields_for_save(operation_name="bulk_create")
        values.append([p(f.pre_save(activity, True)) for f, p in zip(fields, prepare, strict=True)])
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(Activity, fields, connection), values)
    by_position = {activity.position: activity for activity in activities}
    written = Activity.objects.using(connection.alias).filter(
        plan=plan, position__range=(min(by_position), max(by_position))
    )
    for position, pk in written.values_list("position", "pk"):
        if position in by_position:
            by_position[position].pk = pk
            by_position[position]._state.adding = False
            by_position[position]._state.db = connection.alias


def _insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """Insert rows of `model` given as the values of the fields `names` (a foreign key by its
    id); every other field takes its default."""
    connection = connections[router.db_for_write(model)]
    given = [model._meta.get_field(name) for name in names]
    others = [f for f in model._meta.concrete_fields if not f.primary_key and f not in given]
    fields = [*given, *others]
    prepare = _preparers(fields, connection)
    values = [
        [p(value) for p, value in zip(prepare, (*row, *map(_default, others)), strict=True)]
        for row in rows
    ]
    if values:
        with connection.cursor() as cursor:
            cursor.executemany(_insert_sql(model, fields, connection), values)


# Fields whose values the database driver takes as Python gives them: no preparing per value.
_AS_GIVEN = frozenset(
    (
        "CharField", "TextField", "SlugField", "IntegerField", "PositiveIntegerField",
        "PositiveSmallIntegerField", "SmallIntegerField", "BigIntegerField", "BooleanField",
        "ForeignKey",
    )
)  # fmt: skip


def _preparers(
    fields: Sequence[models.Field], connection: BaseDatabaseWrapper
) -> list[Callable[[object], object]]:
    """For each field, what turns a value into the database's: the value itself for text,
    numbers, booleans and ids, the field's own preparing (dates, times, JSON) for the rest."""
    return [
        _as_given
        if field.get_internal_type() in _AS_GIVEN
        else functools.partial(field.get_db_prep_save, connection=connection)
        for field in fields
    ]


def _as_given(value: object) -> object:
    return value


def _default(field: models.Field) -> object:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def _insert_sql(model: type[models.Model], fields: Sequence[models.Field], connection) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"


def _fields(row: ActivityRow) -> dict[str, object]:
    """An activity's own columns from its row, the search columns included."""
    found = activity_lemmas(
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
        "search_lemmas": found,
        "search_latin": latin_column(found),
    }


def _identity_fields(identity: Identity | None) -> dict[str, object]:
    if identity is None:
        return {}
    return {"uid": identity.uid, "sequence": identity.sequence, "status": identity.status}


def _located(
    activity: Activity, row: ActivityRow, places: Mapping[directory.PlaceKey, int]
) -> Iterable[tuple[object, ...]]:
    """The activity's places in the order the cell gives them: cities, the venue, the scope
    (ActivityPlace's activity, place id, scope and position)."""
    keys = directory.place_keys(row.place)
    for position, key in enumerate(keys):
        yield activity.pk, places[key], ActivityPlace.Scope.PLACE, position
    if row.place.scope:
        yield activity.pk, None, row.place.scope, len(keys)


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
        [activity] = add_activities(plan, [row], {row.section: section}).activities
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

"""From the database back to a PlanDocument, the shape every writer takes."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import timezone

from civicplan.plandoc.model import Activity as ActivityRow
from civicplan.plandoc.model import City, Note, Place, PlanDocument, Responsible, VersionLabel
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from civicplan.timeframes import Timeframe
from civicplan.timeframes import format as format_timeframe


def plan_document(plan: Plan, rows: slice | None = None) -> PlanDocument:
    """The plan as a PlanDocument, in four queries whatever its size; `rows` takes a slice of
    its rows in plan order (a page of the plan's web page). The whole plan is named by its
    version (two queries more)."""
    activities = (
        plan.activities.select_related("section")
        .prefetch_related(
            # Into lists (to_attr): reading a prefetched relation through its manager clones the
            # prefetch query, with its IN list of every activity, once per row.
            Prefetch(
                "places",
                queryset=ActivityPlace.objects.select_related("place"),
                to_attr="place_list",
            ),
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("organisation"),
                to_attr="responsibility_list",
            ),
        )
        .order_by("position")
    )
    if rows is not None:
        activities = activities[rows]
    document = PlanDocument(
        title=plan.title,
        year=plan.year,
        notes=[Note(note["text"], note["after"]) for note in plan.notes],
        time_zone=settings.CIVICPLAN_PLAN_TIME_ZONE,
        version=current_label(plan) if rows is None else None,
    )
    document.activities = [_row(activity) for activity in activities]
    return document


def _row(activity: Activity) -> ActivityRow:
    section = activity.section
    cities: list[City] = []
    venue: str | None = None
    scope: str | None = None
    for located in activity.place_list:
        if located.place is None:
            scope = located.scope
        elif located.place.venue:
            venue = located.place.venue
        else:
            place = located.place
            cities.append(City(place.city, place.region or None, place.country))
    return ActivityRow(
        position=activity.position,
        section=(section.heading or None, section.subheading or None) if section else (None, None),
        when=activity.timeframe,
        title=activity.title,
        kind=activity.kind,
        involvement=activity.involvement,
        format=activity.format or None,
        place=Place(
            text=activity.place_text or None, cities=tuple(cities), venue=venue, scope=scope
        ),
        responsible=[
            Responsible(
                name=link.written_as,
                role=link.role,
                kind=link.organisation.kind,
                contact=link.contact or None,
                remark=link.remark or None,
            )
            for link in activity.responsibility_list
        ],
        notes=list(activity.notes),
        responsible_text=activity.responsible_text,
        extra=[(header, text) for header, text in activity.extra],
        source_row=None,
        uid=str(activity.uid),
        sequence=activity.sequence,
        status=activity.status,
        status_note=status_note(
            activity.status,
            activity.status_reason,
            activity.previous_when_text,
            activity.held_start,
            activity.held_end,
        ),
        modified=activity.modified,
        url=activity.get_absolute_url(),
    )


def held_timeframe(start: date | None, end: date | None) -> Timeframe | None:
    """The days a held activity took place, as a time frame (None when they are not known)."""
    if start is None:
        return None
    end = end or start
    return Timeframe(text="", start=start, end=end, precision="day" if start == end else "days")


def status_note(
    status: str, reason: str, previous_when: str, held_start: date | None, held_end: date | None
) -> str:
    """What a calendar says of the activity's status beyond the word for it, in the plan's
    language as the rest of a calendar is: a postponed activity's earlier time frame and the
    reason, a cancellation's reason, the days a held one took place."""
    parts = []
    if status == Activity.Status.POSTPONED and previous_when:
        parts.append(f"Прежние сроки: {previous_when}")
    held = held_timeframe(held_start, held_end) if status == Activity.Status.HELD else None
    if held is not None:
        parts.append(f"Даты проведения: {format_timeframe(held)}")
    if status in (Activity.Status.POSTPONED, Activity.Status.CANCELLED) and reason:
        parts.append(f"Причина: {reason}")
    return " ".join(part if part.endswith(".") else f"{part}." for part in parts)


def current_label(plan: Plan) -> VersionLabel | None:
    """How the plan as it is now names itself: its last version, and the day of the latest
    amendment not yet in a version (None for a plan never approved)."""
    last = plan.versions.order_by("-number").values("number", "published").first()
    if last is None:
        return None
    pending = plan.amendments.filter(version__isnull=True).aggregate(last=Max("created"))["last"]
    return VersionLabel(
        last["number"],
        timezone.localdate(last["published"]),
        timezone.localdate(pending) if pending else None,
    )

"""Calendar feeds (iCalendar): the published plans' activities to subscribe to, filtered by
query parameters, and one activity's calendar ("add to my calendar").

    GET /calendar.ics[?city=…&region=…&kind=…&format=…&involvement=…&organisation=…&year=…
                      &period=…&from=…&to=…&q=…]
    GET /activities/<pk>.ics

The query is read by `civicplan.plans.selection`, as the public calendar pages read theirs,
so a page's "subscribe" link gives exactly what the page shows.

The writer is `civicplan.plandoc.writers.ics`; this module only chooses the activities and
reads them in a fixed number of queries (`.values()`, no model instances), so a feed of 10,000
activities takes about a second. Both views answer conditional requests (ETag and
Last-Modified from one aggregate query, 304 Not Modified) before anything is built.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from civicplan.plandoc.model import Activity as ActivityRow
from civicplan.plandoc.model import City, Responsible
from civicplan.plandoc.model import Place as PlaceRow
from civicplan.plandoc.writers import FORMATS, ics
from civicplan.plans.exporting import status_note
from civicplan.plans.links import activity_urls
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from civicplan.plans.queries import published_activities, visible_plans
from civicplan.plans.selection import BadFilter, Filters, read_filters
from civicplan.timeframes import Timeframe

CONTENT_TYPE = FORMATS["ics"].content_type
# Clients and proxies check back with If-None-Match; the data changes a few times a year.
MAX_AGE = 15 * 60
# --- reading activities -----------------------------------------------------------------------

_FIELDS = (
    *("pk", "uid", "sequence", "modified", "status", "position", "title", "kind"),
    *("involvement", "format", "place_text", "notes"),
    *("status_reason", "previous_when_text", "held_start", "held_end"),
    *Activity.TIMEFRAME_FIELDS,
)


def calendar_rows(activities: QuerySet[Activity]) -> list[ActivityRow]:
    """The activities as the writer's rows, in three queries however many there are: the
    activities, their places and their responsible parties (the last two selected by a
    subquery, not a list of ids, so the SQL stays the same size)."""
    ids = activities.values("pk")
    places: dict[int, list[tuple[str, str, str, str, str]]] = defaultdict(list)
    for activity_id, *located in (
        ActivityPlace.objects.filter(activity_id__in=ids)
        .order_by("activity_id", "position")
        .values_list(
            "activity_id", "scope", "place__city", "place__region", "place__country", "place__venue"
        )
    ):
        places[activity_id].append(located)
    parties: dict[int, list[Responsible]] = defaultdict(list)
    for activity_id, name, role, kind, contact in (
        Responsibility.objects.filter(activity_id__in=ids)
        .order_by("activity_id", "position")
        .values_list("activity_id", "written_as", "role", "organisation__kind", "contact")
    ):
        parties[activity_id].append(Responsible(name, role, kind, contact or None))
    url = activity_urls()
    return [
        _row(values, places.get(values["pk"], ()), parties.get(values["pk"], []), url)
        for values in activities.values(*_FIELDS)
    ]


def _row(
    values: dict, located, parties: list[Responsible], url: Callable[[int, str], str]
) -> ActivityRow:
    cities: list[City] = []
    venue: str | None = None
    scope: str | None = None
    for place_scope, city, region, country, place_venue in located:
        if city is None and place_venue is None:  # no Place: a scope such as all members
            scope = place_scope
        elif place_venue:
            venue = place_venue
        else:
            cities.append(City(city, region or None, country))
    return ActivityRow(
        position=values["position"],
        section=(None, None),
        when=Timeframe(
            text=values["when_text"],
            start=values["start"],
            end=values["end"],
            precision=values["precision"],
            recurrence=values["recurrence"] or None,
            deadline=values["deadline"],
            start_time=values["start_time"],
            end_time=values["end_time"],
        ),
        title=values["title"],
        kind=values["kind"],
        involvement=values["involvement"],
        format=values["format"] or None,
        place=PlaceRow(
            text=values["place_text"] or None, cities=tuple(cities), venue=venue, scope=scope
        ),
        responsible=parties,
        notes=list(values["notes"] or ()),
        uid=str(values["uid"]),
        sequence=values["sequence"],
        status=values["status"],
        status_note=status_note(
            values["status"],
            values["status_reason"],
            values["previous_when_text"],
            values["held_start"],
            values["held_end"],
        ),
        modified=values["modified"],
        url=url(values["pk"], values["title"]),
    )


# --- the feed ---------------------------------------------------------------------------------


@dataclass
class _State:
    """What a request selects, worked out once for the ETag, Last-Modified and the body."""

    activities: QuerySet[Activity] | None = None
    filters: Filters | None = None
    error: str | None = None
    public: bool = True
    etag: str | None = None
    last_modified: datetime | None = None


def _etag(*parts: object) -> str:
    zone = settings.CIVICPLAN_PLAN_TIME_ZONE  # the events' times change with it
    digest = hashlib.sha256("|".join(map(str, (ics.PRODID, zone, *parts))).encode()).hexdigest()
    # Weak: the body carries DTSTAMP, the moment it was written, so two bodies for the same
    # ETag are equivalent rather than byte for byte the same.
    return f'W/"{digest[:32]}"'


def _feed_state(request: HttpRequest) -> _State:
    state = getattr(request, "_calendar_state", None)
    if state is not None:
        return state
    state = _State()
    try:
        state.filters = read_filters(request.GET)
    except BadFilter as error:
        state.error = str(error)
    else:
        state.activities = state.filters.apply(published_activities())
        summary = state.activities.aggregate(latest=Max("modified"), count=Count("pk"))
        state.last_modified = summary["latest"]
        state.etag = _etag("feed", state.filters.key(), summary["count"], summary["latest"] or "-")
    request._calendar_state = state  # type: ignore[attr-defined]
    return state


def _calendar_response(body: bytes, filename: str, disposition: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
@condition(
    etag_func=lambda request: _feed_state(request).etag,
    last_modified_func=lambda request: _feed_state(request).last_modified,
)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The published activities, filtered by the query, as one calendar to subscribe to."""
    state = _feed_state(request)
    if state.error is not None or state.filters is None or state.activities is None:
        return HttpResponseBadRequest(state.error, content_type="text/plain; charset=utf-8")
    name = settings.CIVICPLAN_OWNER
    label = state.filters.label()
    if label:
        name = f"{name}: {label}"
    body = ics.write_calendar(
        calendar_rows(state.activities),
        name=name,
        base_url=request.build_absolute_uri("/"),
        source=request.build_absolute_uri(),
        time_zone=settings.CIVICPLAN_PLAN_TIME_ZONE,
    )
    response = _calendar_response(body, "calendar.ics", "inline")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


# --- one activity -----------------------------------------------------------------------------


def _activity_state(request: HttpRequest, pk: int) -> _State:
    state = getattr(request, "_calendar_state", None)
    if state is not None:
        return state
    activities = Activity.objects.filter(
        pk=pk, start__isnull=False, plan__in=visible_plans(request.user)
    )
    found = activities.values("modified", "sequence", "plan__status").first()
    state = _State(activities=activities if found else None)
    if found:
        state.last_modified = found["modified"]
        state.etag = _etag("activity", pk, found["sequence"], found["modified"])
        state.public = found["plan__status"] == Plan.Status.APPROVED
    request._calendar_state = state  # type: ignore[attr-defined]
    return state


@require_safe
@condition(
    etag_func=lambda request, pk: _activity_state(request, pk).etag,
    last_modified_func=lambda request, pk: _activity_state(request, pk).last_modified,
)
def activity_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity as a calendar file to open in a calendar application. Activities of plans
    that are not published are for staff who may view plans; the rest get 404."""
    state = _activity_state(request, pk)
    if state.activities is None:
        raise Http404(_("Мероприятие не найдено или у него нет дат."))
    rows = calendar_rows(state.activities)
    body = ics.write_calendar(
        rows,
        name=rows[0].title,
        base_url=request.build_absolute_uri("/"),
        time_zone=settings.CIVICPLAN_PLAN_TIME_ZONE,
    )
    response = _calendar_response(body, f"activity-{pk}.ics", "attachment")
    if not state.public:  # a draft, seen by staff
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response

"""Calendar feeds (iCalendar): the published plans' activities to subscribe to, filtered by
query parameters, and one activity's calendar ("add to my calendar").

    GET /calendar.ics[?city=…&region=…&kind=…&format=…&involvement=…&organisation=…&year=…]
    GET /activities/<pk>.ics

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
from datetime import date, datetime
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from civicplan.directory.models import Organisation, Place
from civicplan.plandoc.model import Activity as ActivityRow
from civicplan.plandoc.model import City, Responsible
from civicplan.plandoc.model import Place as PlaceRow
from civicplan.plandoc.writers import FORMATS, ics
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from civicplan.plans.views import visible_plans
from civicplan.timeframes import Timeframe

CONTENT_TYPE = FORMATS["ics"].content_type
# Clients and proxies check back with If-None-Match; the data changes a few times a year.
MAX_AGE = 15 * 60
PARAMETERS = ("city", "region", "kind", "format", "involvement", "organisation", "year")


class BadFilter(ValueError):
    """A query parameter the feed cannot answer; its message is the 400 response."""


@dataclass(frozen=True)
class Filters:
    """The feed's query, read and checked. Values of one parameter are alternatives (OR);
    different parameters all apply (AND)."""

    cities: tuple[str, ...] = ()  # as stored in Place.city
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    involvements: tuple[str, ...] = ()
    organisations: tuple[tuple[int, str], ...] = ()  # (id, name)
    years: tuple[int, ...] = ()

    def key(self) -> str:
        """A canonical text of the query, for the ETag."""
        parts = (
            self.cities,
            self.regions,
            self.kinds,
            self.formats,
            self.involvements,
            tuple(pk for pk, _name in self.organisations),
            self.years,
        )
        return "&".join(
            f"{name}={','.join(map(str, values))}"
            for name, values in zip(PARAMETERS, parts, strict=True)
            if values
        )

    def label(self) -> str:
        """What the query selects, in words, for the calendar's name ("Пермь; форум"): in
        Russian, like the rest of the calendar, whatever language the request asks for."""
        with translation.override("ru"):
            words = [
                *self.cities,
                *self.regions,
                *(ics.CATEGORIES.get(kind, kind) for kind in self.kinds),
                *(str(Activity.Format(value).label) for value in self.formats),
                *(str(Activity.Involvement(value).label) for value in self.involvements),
                *(name for _pk, name in self.organisations),
                *map(str, self.years),
            ]
        return "; ".join(words)

    def apply(self, activities: QuerySet[Activity]) -> QuerySet[Activity]:
        if self.cities:
            located = ActivityPlace.objects.filter(place__city__in=self.cities)
            activities = activities.filter(pk__in=located.values("activity_id"))
        if self.regions:
            located = ActivityPlace.objects.filter(place__region__in=self.regions)
            activities = activities.filter(pk__in=located.values("activity_id"))
        if self.kinds:
            activities = activities.filter(kind__in=self.kinds)
        if self.formats:
            activities = activities.filter(format__in=self.formats)
        if self.involvements:
            activities = activities.filter(involvement__in=self.involvements)
        if self.organisations:
            links = Responsibility.objects.filter(
                organisation_id__in=[pk for pk, _name in self.organisations]
            )
            activities = activities.filter(pk__in=links.values("activity_id"))
        if self.years:
            overlaps = Q()
            for year in self.years:
                overlaps |= Q(start__lte=date(year, 12, 31), end__gte=date(year, 1, 1))
            activities = activities.filter(overlaps)
        return activities


def read_filters(query: QueryDict) -> Filters:
    """The query parameters checked against what exists; raises BadFilter saying what is wrong.
    Costs a query for `city`, `region` and `organisation` only when they are given."""
    unknown = sorted(set(query) - set(PARAMETERS))
    if unknown:
        raise BadFilter(
            _("Неизвестный параметр «%(name)s». Можно: %(allowed)s.")
            % {"name": unknown[0], "allowed": ", ".join(PARAMETERS)}
        )

    def values(name: str) -> list[str]:
        return [value.strip() for value in query.getlist(name) if value.strip()]

    kinds = {kind: kind for kind in Activity.Kind.values}
    kinds.update({word: kind for kind, word in ics.CATEGORIES.items()})
    return Filters(
        cities=_names(values("city"), "city"),
        regions=_names(values("region"), "region"),
        kinds=_choices(values("kind"), kinds, "kind"),
        formats=_choices(values("format"), {f: f for f in Activity.Format.values}, "format"),
        involvements=_choices(
            values("involvement"), {i: i for i in Activity.Involvement.values}, "involvement"
        ),
        organisations=_organisations(values("organisation")),
        years=_years(values("year")),
    )


def _fold(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def _choices(given: list[str], allowed: dict[str, str], name: str) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in given:
        choice = allowed.get(_fold(value))
        if choice is None:
            raise BadFilter(
                _("Недопустимое значение %(name)s=«%(value)s». Можно: %(allowed)s.")
                % {"name": name, "value": value, "allowed": ", ".join(sorted(set(allowed)))}
            )
        if choice not in chosen:
            chosen.append(choice)
    return tuple(sorted(chosen))


def _names(given: list[str], field: str) -> tuple[str, ...]:
    """Cities or regions as stored, matched without regard to case or ё (in Python: SQLite
    compares only ASCII letters case-insensitively)."""
    if not given:
        return ()
    stored: dict[str, set[str]] = defaultdict(set)
    for name in Place.objects.exclude(**{field: ""}).values_list(field, flat=True).distinct():
        stored[_fold(name)].add(name)
    found: set[str] = set()
    for value in given:
        names = stored.get(_fold(value))
        if not names:
            message = (
                _("Город «%(value)s» не встречается в планах.")
                if field == "city"
                else _("Регион «%(value)s» не встречается в планах.")
            )
            raise BadFilter(message % {"value": value})
        found |= names
    return tuple(sorted(found))


def _organisations(given: list[str]) -> tuple[tuple[int, str], ...]:
    if not given:
        return ()
    ids: set[int] = set()
    for value in given:
        if not value.isdigit() or len(value) > 18:
            raise BadFilter(
                _("organisation — номер организации, а не «%(value)s».") % {"value": value}
            )
        ids.add(int(value))
    found = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    missing = sorted(ids - set(found))
    if missing:
        raise BadFilter(_("Организация номер %(value)s не найдена.") % {"value": missing[0]})
    return tuple(sorted(found.items()))


def _years(given: list[str]) -> tuple[int, ...]:
    years: set[int] = set()
    for value in given:
        if not (value.isdigit() and 1900 <= int(value) <= 2100):
            raise BadFilter(_("year — год от 1900 до 2100, а не «%(value)s».") % {"value": value})
        years.add(int(value))
    return tuple(sorted(years))


# --- reading activities -----------------------------------------------------------------------

_FIELDS = (
    "pk",
    "uid",
    "sequence",
    "modified",
    "status",
    "position",
    "when_text",
    "start",
    "end",
    "precision",
    "recurrence",
    "deadline",
    "title",
    "kind",
    "involvement",
    "format",
    "place_text",
    "notes",
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
    url = _page_urls()
    return [
        _row(values, places.get(values["pk"], ()), parties.get(values["pk"], []), url)
        for values in activities.values(*_FIELDS)
    ]


_PK, _SLUG = 987654321, "sl-ug"


def _page_urls() -> Callable[[int, str], str]:
    """`Activity.get_absolute_url()` for many activities at the cost of one `reverse()`: the
    pattern comes from reverse() with placeholders, the slug from the model's own property
    (on an instance made without __init__, which would cost more than the rest of the row)."""
    pattern = reverse("plans:activity", args=[_PK, _SLUG])
    head, _pk, rest = pattern.partition(str(_PK))
    middle, _slug, tail = rest.partition(_SLUG)

    def url(pk: int, title: str) -> str:
        page = Activity.__new__(Activity)
        page.__dict__.update(id=pk, title=title)
        return f"{head}{pk}{middle}{quote(page.slug, safe=_URL_SAFE)}{tail}"

    return url


_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


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


def published_activities() -> QuerySet[Activity]:
    """The dated activities of approved plans: what the public calendar shows."""
    return Activity.objects.filter(plan__status=Plan.Status.APPROVED, start__isnull=False)


def _etag(*parts: object) -> str:
    digest = hashlib.sha256("|".join(map(str, (ics.PRODID, *parts))).encode()).hexdigest()
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
        pk=pk, start__isnull=False, plan__in=visible_plans(request)
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
    body = ics.write_calendar(rows, name=rows[0].title, base_url=request.build_absolute_uri("/"))
    response = _calendar_response(body, f"activity-{pk}.ics", "attachment")
    if not state.public:  # a draft, seen by staff
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response

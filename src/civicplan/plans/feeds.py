"""Calendar feeds (iCalendar): the published plans' activities to subscribe to, filtered by
query parameters, and one activity's calendar ("add to my calendar").

    GET /calendar.ics[?city=…&region=…&kind=…&format=…&involvement=…&organisation=…&year=…
                      &period=…&from=…&to=…&q=…]
    GET /activities/<pk>.ics

The same filters select the activities of the public calendar pages (`civicplan.web.filters`),
so a page's "subscribe" link gives exactly what the page shows.

The writer is `civicplan.plandoc.writers.ics`; this module only chooses the activities and
reads them in a fixed number of queries (`.values()`, no model instances), so a feed of 10,000
activities takes about a second. Both views answer conditional requests (ETag and
Last-Modified from one aggregate query, 304 Not Modified) before anything is built.
"""

from __future__ import annotations

import hashlib
import re
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
from civicplan.timeframes import format as format_timeframe

CONTENT_TYPE = FORMATS["ics"].content_type
# Clients and proxies check back with If-None-Match; the data changes a few times a year.
MAX_AGE = 15 * 60
PARAMETERS = (
    "city",
    "region",
    "kind",
    "format",
    "involvement",
    "organisation",
    "year",
    "period",
    "from",
    "to",
    "q",
)
MAX_TEXT = 200  # characters of `q`


class BadFilter(ValueError):
    """A query parameter the feed cannot answer; its message is the 400 response, `parameter`
    the name of the parameter at fault."""

    def __init__(self, message: str, parameter: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Period:
    """A calendar period given as `period=`: a year (2024), a half-year (2024-H1), a quarter
    (2024-Q2) or a month (2024-05), from its first to its last day."""

    code: str
    first: date
    last: date
    precision: str  # year, half, quarter or month: the Timeframe precision of its name

    @property
    def timeframe(self) -> Timeframe:
        return Timeframe(text=self.code, start=self.first, end=self.last, precision=self.precision)


_PERIOD = re.compile(r"(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])|[Hh]([12])))?")


def read_period(text: str) -> Period | None:
    """The period a text names: a year "2024", a month "2024-05", a quarter "2024-Q2" (or
    "2024-q2"), a half-year "2024-H1"; None for anything else."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        return None
    year, month, quarter, half = match.groups()
    number = int(year)
    if not 1900 <= number <= 2100:
        return None
    if month:
        if not 1 <= int(month) <= 12:
            return None
        first, months, precision, code = int(month), 1, "month", f"{year}-{month}"
    elif quarter:
        first, months, precision, code = 3 * int(quarter) - 2, 3, "quarter", f"{year}-Q{quarter}"
    elif half:
        first, months, precision, code = 6 * int(half) - 5, 6, "half", f"{year}-H{half}"
    else:
        first, months, precision, code = 1, 12, "year", year
    last = first + months - 1
    end = date(number + last // 12, last % 12 + 1, 1).toordinal() - 1
    return Period(code, date(number, first, 1), date.fromordinal(end), precision)


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
    periods: tuple[Period, ...] = ()
    since: date | None = None  # from=: activities that end on or after it
    until: date | None = None  # to=: activities that start on or before it
    words: tuple[str, ...] = ()  # q=: every word in the title, venue or responsible cell

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
            tuple(period.code for period in self.periods),
            (self.since,) if self.since else (),
            (self.until,) if self.until else (),
            self.words,
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
                *(
                    period.code
                    if period.precision == "year"
                    else format_timeframe(period.timeframe)
                    for period in self.periods
                ),
                *([f"с {self.since:%d.%m.%Y}"] if self.since else []),
                *([f"по {self.until:%d.%m.%Y}"] if self.until else []),
                *([f"«{' '.join(self.words)}»"] if self.words else []),
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
        if self.periods:
            overlaps = Q()
            for period in self.periods:
                overlaps |= Q(start__lte=period.last, end__gte=period.first)
            activities = activities.filter(overlaps)
        if self.since:
            activities = activities.filter(end__gte=self.since)
        if self.until:
            activities = activities.filter(start__lte=self.until)
        for word in self.words:
            activities = activities.filter(_mentions(word))
        return activities


_SEARCHED = ("title", "place_text", "responsible_text")


def _mentions(word: str) -> Q:
    """The word anywhere in the title, the venue or the responsible cell, in any case. Besides
    `icontains` (which folds every letter on PostgreSQL) the word is also looked for in lower,
    Capitalised and UPPER case, because SQLite's LIKE folds only ASCII letters."""
    found = Q()
    for field in _SEARCHED:
        for form in sorted({word, word.lower(), word.capitalize(), word.upper()}):
            found |= Q(**{f"{field}__icontains": form})
    return found


def read_filters(query: QueryDict) -> Filters:
    """The query parameters checked against what exists; raises BadFilter saying what is wrong.
    Costs a query for `city`, `region` and `organisation` only when they are given."""
    unknown = sorted(set(query) - set(PARAMETERS))
    if unknown:
        raise BadFilter(
            _("Неизвестный параметр «%(name)s». Можно: %(allowed)s.")
            % {"name": unknown[0], "allowed": ", ".join(PARAMETERS)},
            unknown[0],
        )

    def values(name: str) -> list[str]:
        return [value.strip() for value in query.getlist(name) if value.strip()]

    kinds = {kind: kind for kind in Activity.Kind.values}
    kinds.update({word: kind for kind, word in ics.CATEGORIES.items()})
    filters = Filters(
        cities=_names(values("city"), "city"),
        regions=_names(values("region"), "region"),
        kinds=_choices(values("kind"), kinds, "kind"),
        formats=_choices(values("format"), {f: f for f in Activity.Format.values}, "format"),
        involvements=_choices(
            values("involvement"), {i: i for i in Activity.Involvement.values}, "involvement"
        ),
        organisations=_organisations(values("organisation")),
        years=_years(values("year")),
        periods=_periods(values("period")),
        since=min(_days(values("from"), "from"), default=None),
        until=max(_days(values("to"), "to"), default=None),
        words=_words(values("q")),
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise BadFilter(
            _("Дата from (%(since)s) позже даты to (%(until)s).")
            % {"since": filters.since.isoformat(), "until": filters.until.isoformat()},
            "from",
        )
    return filters


def _fold(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def _choices(given: list[str], allowed: dict[str, str], name: str) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in given:
        choice = allowed.get(_fold(value))
        if choice is None:
            raise BadFilter(
                _("Недопустимое значение %(name)s=«%(value)s». Можно: %(allowed)s.")
                % {"name": name, "value": value, "allowed": ", ".join(sorted(set(allowed)))},
                name,
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
            raise BadFilter(message % {"value": value}, field)
        found |= names
    return tuple(sorted(found))


def _organisations(given: list[str]) -> tuple[tuple[int, str], ...]:
    if not given:
        return ()
    ids: set[int] = set()
    for value in given:
        if not value.isdigit() or len(value) > 18:
            raise BadFilter(
                _("organisation — номер организации, а не «%(value)s».") % {"value": value},
                "organisation",
            )
        ids.add(int(value))
    found = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    missing = sorted(ids - set(found))
    if missing:
        raise BadFilter(
            _("Организация номер %(value)s не найдена.") % {"value": missing[0]}, "organisation"
        )
    return tuple(sorted(found.items()))


def _years(given: list[str]) -> tuple[int, ...]:
    years: set[int] = set()
    for value in given:
        if not (value.isdigit() and 1900 <= int(value) <= 2100):
            raise BadFilter(
                _("year — год от 1900 до 2100, а не «%(value)s».") % {"value": value}, "year"
            )
        years.add(int(value))
    return tuple(sorted(years))


def _periods(given: list[str]) -> tuple[Period, ...]:
    periods: dict[str, Period] = {}
    for value in given:
        period = read_period(value)
        if period is None:
            raise BadFilter(
                _("period — 2024, 2024-05, 2024-Q2 или 2024-H1, а не «%(value)s».")
                % {"value": value},
                "period",
            )
        periods[period.code] = period
    return tuple(sorted(periods.values(), key=lambda period: (period.first, period.last)))


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _days(given: list[str], name: str) -> list[date]:
    """`from` and `to` as dates. Repeated, they are alternatives like every parameter: the
    earliest `from` and the latest `to` count."""
    days = []
    for value in given:
        try:
            day = date.fromisoformat(value) if _ISO_DAY.fullmatch(value) else None
        except ValueError:
            day = None
        if day is None or not 1900 <= day.year <= 2100:
            raise BadFilter(
                _("%(name)s — дата вида 2024-05-31, а не «%(value)s».")
                % {"name": name, "value": value},
                name,
            )
        days.append(day)
    return days


def _words(given: list[str]) -> tuple[str, ...]:
    text = " ".join(given)
    if len(text) > MAX_TEXT:
        raise BadFilter(_("q — не длиннее %(limit)s знаков.") % {"limit": MAX_TEXT}, "q")
    return tuple(dict.fromkeys(text.split()))


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

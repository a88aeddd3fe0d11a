"""Which activities a calendar query selects: the parameters of the calendar feed
(`plans.feeds`) and of the calendar pages (`web.calendar_views`, through the form in
`web.filters`), read and checked in one place, so that a page and its "subscribe to this
selection" link select the same activities.

    city, region (names, any case)  organisation (an id)  kind  involvement  format
    year  period (2024, 2024-H1, 2024-Q2, 2024-05)  from, to (ISO dates)  q (words)

Repeating a parameter means OR, different parameters AND. An invalid value raises `BadFilter`,
which names the parameter; the views answer it with a 400. `q` is matched like the site's search
(`plans.searchindex`): every word in any of its forms ("Пермь" finds "г. Перми"), in the title,
place, responsible parties, notes, kind and cities, and Russian names typed in Latin letters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from civicplan.directory.models import Organisation, Place
from civicplan.plandoc.writers import ics
from civicplan.plans.models import Activity, ActivityPlace, Responsibility
from civicplan.plans.searchindex import MAX_QUERY, matching_all, read_query
from civicplan.text import fold
from civicplan.timeframes import Timeframe
from civicplan.timeframes import format as format_timeframe

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
    words: tuple[str, ...] = ()  # q=: every word, in any form (plans.searchindex)

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
        """The activities among `activities` that the query selects (no query run here)."""
        for condition in self._conditions():
            activities = activities.filter(condition)
        return matching_all(activities, read_query(" ".join(self.words)))

    def _conditions(self) -> list[Q]:
        """One condition per parameter given; the alternatives of a parameter OR-ed."""
        ids = [pk for pk, _name in self.organisations]
        located = ActivityPlace.objects.values("activity_id")
        linked = Responsibility.objects.values("activity_id")
        conditions = [
            Q(pk__in=located.filter(place__city__in=self.cities)) if self.cities else None,
            Q(pk__in=located.filter(place__region__in=self.regions)) if self.regions else None,
            Q(kind__in=self.kinds) if self.kinds else None,
            Q(format__in=self.formats) if self.formats else None,
            Q(involvement__in=self.involvements) if self.involvements else None,
            Q(pk__in=linked.filter(organisation_id__in=ids)) if ids else None,
            _any_overlap((date(year, 1, 1), date(year, 12, 31)) for year in self.years),
            _any_overlap((period.first, period.last) for period in self.periods),
            Q(end__gte=self.since) if self.since else None,
            Q(start__lte=self.until) if self.until else None,
        ]
        return [condition for condition in conditions if condition is not None]


def _any_overlap(spans) -> Q | None:
    """Activities overlapping any of these (first, last) days; None for no spans."""
    overlaps = None
    for first, last in spans:
        overlap = Q(start__lte=last, end__gte=first)
        overlaps = overlap if overlaps is None else overlaps | overlap
    return overlaps


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


def _choices(given: list[str], allowed: dict[str, str], name: str) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in given:
        choice = allowed.get(fold(value))
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
        stored[fold(name)].add(name)
    found: set[str] = set()
    for value in given:
        names = stored.get(fold(value))
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
    if len(text) > MAX_QUERY:
        raise BadFilter(_("q — не длиннее %(limit)s знаков.") % {"limit": MAX_QUERY}, "q")
    return tuple(dict.fromkeys(text.split()))

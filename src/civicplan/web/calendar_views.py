"""The calendar (issue 5): a list by month, a month grid and a year timeline drawn as SVG on the
server; filtered by `civicplan.web.filters`, and all of it works without JavaScript.

Where an activity goes. An activity with exact days (precision `day` or `days`, not a deadline)
is under the month of its first day, and in the grid on each of its days. One known only to a
month (`month`, a ten-day `decade`, or a deadline, by the deadline's month) is in that month's
«Дата уточняется» band, and above that month's grid. Any coarser one (a span of months, a
quarter, a half-year, a season, the year, several years) is in a band of its own named by its
period and placed right after the last month it covers: after June, the May–June band, then the
second quarter, then the first half-year; the year's band closes the year. Activities with no
dates at all close the list. The timeline draws every activity with dates as a bar from its
first to its last day, coarse ones hatched.

Every view runs a fixed number of queries whatever the number of activities (three for the
form's lists, two for the activities; the filters' own checks add one for each of `city`,
`region` and `organisation` when given), and the list and the timeline are cut into pages
(PAGE_SIZE, TIMELINE_PAGE_SIZE), so a page stays small with 10,000 activities.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, F, Func, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dates import MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from civicplan.common import dates
from civicplan.common.paging import Pager
from civicplan.plans.links import activity_urls
from civicplan.plans.models import Activity
from civicplan.timeframes import Timeframe
from civicplan.timeframes.model import month_end
from civicplan.web.filters import CalendarFilter
from civicplan.web.templatetags.civicplan import status as status_in_words
from civicplan.web.templatetags.civicplan import timeframe as in_words

PAGE_SIZE = 100  # activities a page of the list
TIMELINE_PAGE_SIZE = 50  # bars a page of the timeline
MAX_PER_DAY = 5  # activities shown in a day's cell; "N more" links to the day's list
MAX_TBC = 30  # the month's «дата уточняется» activities above the grid; "N more": the month's list
MIN_YEAR, MAX_YEAR = 1900, 2100
EXACT = ("day", "days")
MONTHLY = ("month", "decade")

# One colour per kind, for the timeline's bars and legend: each has a contrast of at least
# 4.5:1 with white (WCAG AA for text; 3:1 is enough for graphics), tested.
KIND_COLOURS = {
    "conference": "#1f5f9e",
    "forum": "#0b6e4f",
    "congress": "#6a3d9a",
    "contest": "#a63d00",
    "project": "#4d5d12",
    "campaign": "#a8175c",
    "telethon": "#7a4b00",
    "meeting": "#2f5475",
    "education": "#00707a",
    "publication": "#5a5f66",
    "ceremony": "#8a1c1c",
    "festival": "#8e2c84",
    "session": "#3e4bb0",
    "other": "#3d4247",
}

Month = tuple[int, int]


def is_exact(precision: str, deadline: bool) -> bool:
    return precision in EXACT and not deadline


def placement(start: date, end: date, precision: str, deadline: bool) -> tuple[Month, Month]:
    """The first and last month of the list's group an activity with dates belongs to."""
    if is_exact(precision, deadline):
        return (start.year, start.month), (start.year, start.month)
    if deadline or precision in MONTHLY:
        return (end.year, end.month), (end.year, end.month)
    return (start.year, start.month), (end.year, end.month)


class YearMonth(Func):
    """A date's month as text that sorts like the months ("2024-04"), in SQL: the first seven
    characters of SQLite's ISO date text, PostgreSQL's to_char (Django's TruncMonth calls back
    into Python for every row on SQLite, and strftime takes half as long again as substr)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return Func(*self.source_expressions, Value(1), Value(7), function="substr").as_sql(
            compiler, connection, **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return Func(*self.source_expressions, Value("YYYY-MM"), function="to_char").as_sql(
            compiler, connection, **extra
        )


_EXACT = Q(precision__in=EXACT, deadline=False)
_MONTHLY = Q(precision__in=MONTHLY) | Q(deadline=True)


def in_list_order(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The list's order, in SQL so that a page is read with LIMIT: groups by their last month,
    the shorter first (a month, then the bands ending with it); in a month its exact activities
    by day, then its «дата уточняется» band; activities without dates last. `placement` puts
    the rows of a page into the same groups."""
    return activities.annotate(
        group_last=Case(When(_EXACT, then=YearMonth("start")), default=YearMonth("end")),
        group_first=Case(
            When(_EXACT, then=YearMonth("start")),
            When(_MONTHLY, then=YearMonth("end")),
            default=YearMonth("start"),
        ),
        tbc=Case(When(_EXACT, then=Value(0)), default=Value(1)),
    ).order_by(
        F("group_last").asc(nulls_last=True),
        F("group_first").desc(),
        "tbc",
        "start",
        "end",
        "plan_id",
        "position",
    )


def _ends_before(day: date) -> Q:
    """Activities whose list group ends before `day`'s month."""
    first = day.replace(day=1)
    return (_EXACT & Q(start__lt=first)) | (~_EXACT & Q(end__lt=first))


def _band_precision(first: Month, last: Month) -> str:
    """The Timeframe precision that names a group's period: a year, a half, a quarter, …"""
    (year, month), (last_year, last_month) = first, last
    if year == last_year:
        if (month, last_month) == (1, 12):
            return "year"
        if (month, last_month) in ((1, 6), (7, 12)):
            return "half"
        if month in (1, 4, 7, 10) and last_month == month + 2:
            return "quarter"
        if month == last_month:
            return "month"
    elif (month, last_month) == (1, 12):
        return "years"
    return "months"


@dataclass
class Group:
    """A month (with its exact activities and its «дата уточняется» band), a band of a longer
    period, or the activities without dates (first and last None)."""

    first: Month | None
    last: Month | None
    exact: list[Activity] = field(default_factory=list)
    tbc: list[Activity] = field(default_factory=list)
    continued: bool = False  # began on the previous page
    month_url: str = ""  # a month's grid

    @property
    def key(self) -> tuple[Month | None, Month | None]:
        return self.first, self.last

    @property
    def is_month(self) -> bool:
        return self.first is not None and self.first == self.last

    @property
    def undated(self) -> bool:
        return self.first is None

    @property
    def year(self) -> int | None:
        return self.last[0] if self.last else None

    @property
    def start(self) -> date | None:
        return date(*self.first, 1) if self.first else None

    @property
    def end(self) -> date | None:
        return month_end(*self.last) if self.last else None

    @property
    def timeframe(self) -> Timeframe | None:
        if self.first is None or self.last is None:
            return None
        precision = _band_precision(self.first, self.last)
        return Timeframe(text="", start=self.start, end=self.end, precision=precision)

    @property
    def anchor(self) -> str:
        if self.first is None or self.last is None:
            return "undated"
        if self.is_month:
            return "m-{}-{:02d}".format(*self.first)
        return "b-{}-{:02d}-{}-{:02d}".format(*self.first, *self.last)


def _month_path(day: date) -> str:
    return reverse("web:calendar_month", args=[day.year, f"{day.month:02d}"])


# What the pages read of an activity (no JSON, UUID or timestamps to convert).
_SHOWN = (
    "plan_id",
    "position",
    "title",
    "kind",
    "place_text",
    *("status", "status_reason", "previous_when_text", "held_start", "held_end"),
    *Activity.TIMEFRAME_FIELDS,
)


def shown(activities: Iterable[Activity]) -> list[Activity]:
    """The activities with what the templates show worked out once: `url` (the activity's
    page, from one reverse() for all), `when` (the time frame in words), `kind_label` and
    `shown_status` (postponed, cancelled or held, in words; None when planned).
    get_absolute_url() and get_kind_display() cost more than the rest of a row's rendering."""
    url = activity_urls()
    kinds = {value: str(label) for value, label in Activity.Kind.choices}
    activities = list(activities)
    for activity in activities:
        activity.url = url(activity.pk, activity.title)
        activity.when = in_words(activity.timeframe)
        activity.kind_label = kinds.get(activity.kind, activity.kind)
        activity.shown_status = status_in_words(activity)
    return activities


def _context(request: HttpRequest, selection: CalendarFilter, view: str, anchor: date) -> dict:
    """What every calendar page shows: the form, the views of the same selection, the feed."""
    feed = request.build_absolute_uri(selection.feed_url())
    fields = selection.fields()
    return {
        "filter": selection,
        "fields": fields,
        "more_open": any(each.active for each in fields if not each.main),
        "error": selection.error,
        "view": view,
        "feed_url": feed,
        "webcal_url": "webcal://" + feed.split("://", 1)[1],
        "list_url": selection.url(reverse("web:calendar")),
        "month_url": selection.url(_month_path(anchor)),
        "timeline_url": selection.url(reverse("web:timeline", args=[anchor.year])),
        "today": dates.today(),
    }


def _anchor(selection: CalendarFilter) -> date:
    """The month the other views open at: the selected period's first, else today's."""
    known = selection.filters
    if known is not None and known.periods:
        return known.periods[0].first
    if known is not None and known.since is not None:
        return known.since
    return dates.today()


def _pager(selection: CalendarFilter, path: str, rows, size: int, default: int = 1) -> Pager:
    """The asked page (`page=`, else `default`) of `rows`; a number past the last is the last.
    Links name the page even when it is the first: without `page` the list opens at today."""
    paginator = Paginator(rows, size)
    page = paginator.get_page(selection.page or default)
    return Pager(page, lambda number: selection.url(path, page=number))


# --- the list ---------------------------------------------------------------------------------


def calendar_list(request: HttpRequest) -> HttpResponse:
    """The selected activities grouped by month, PAGE_SIZE a page. Without a page or dates in
    the query it opens at the page of the current month."""
    selection = CalendarFilter.from_request(request)
    context = _context(request, selection, "list", _anchor(selection))
    if selection.error is not None:
        return render(request, "web/calendar_list.html", context, status=400)
    selected = selection.activities()
    default = 1
    if selection.page is None and not selection.dated:
        # Open at the page of the first group not yet over (one query either way).
        counts = selected.aggregate(
            total=Count("pk"),
            dated=Count("pk", filter=Q(start__isnull=False)),
            past=Count("pk", filter=_ends_before(dates.today())),
        )
        total = counts["total"]
        if counts["dated"]:
            default = min(counts["past"], counts["dated"] - 1) // PAGE_SIZE + 1
    else:
        total = selected.count()
    pager = _pager(
        selection, reverse("web:calendar"), _ListRows(selected, total), PAGE_SIZE, default
    )
    rows = shown(pager.object_list)
    groups = _groups(rows)
    before = pager.object_list.before
    if groups and before is not None and _groups([before])[0].key == groups[0].key:
        groups[0].continued = True
    for group in groups:
        if group.is_month and group.start is not None:
            group.month_url = selection.url(_month_path(group.start))
    context.update(groups=groups, pager=pager)
    return render(request, "web/calendar_list.html", context)


class _ListRows:
    """The list's rows as the Paginator reads them: the count known, and a slice read in one
    query with the row before it (does the page's first group begin on the previous page?)."""

    def __init__(self, selected: QuerySet[Activity], total: int) -> None:
        self.selected, self.total = selected, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, rows: slice) -> _Rows:
        a, b = rows.start or 0, rows.stop
        found = _list_page(self.selected, max(a - 1, 0), b, self.total)
        before = found.pop(0) if a and found else None
        return _Rows(found, before)


class _Rows(list):
    """One page's rows, and the row before them (None on the first page)."""

    def __init__(self, rows: list[Activity], before: Activity | None) -> None:
        super().__init__(rows)
        self.before = before


def _list_page(selected: QuerySet[Activity], a: int, b: int, total: int) -> list[Activity]:
    """Rows a to b (excluded) of the list, in one query. The subquery sorts only keys and ids;
    a page past the middle is counted from the end, in reverse order, because SQLite sorting
    for LIMIT keeps just the rows up to the last one asked for."""
    ordered = in_list_order(selected).values("pk")
    far = a > total // 2
    page_ids = ordered.reverse()[max(total - b, 0) : total - a] if far else ordered[a:b]
    return list(in_list_order(Activity.objects.filter(pk__in=page_ids)).only(*_SHOWN))


def _groups(activities: list[Activity]) -> list[Group]:
    groups: list[Group] = []
    for activity in activities:
        if activity.start is None:
            first = last = None
        else:
            first, last = placement(
                activity.start, activity.end, activity.precision, activity.deadline
            )
        if not groups or groups[-1].key != (first, last):
            groups.append(Group(first, last))
        if activity.start is not None and is_exact(activity.precision, activity.deadline):
            groups[-1].exact.append(activity)
        else:
            groups[-1].tbc.append(activity)
    return groups


# --- the month grid ---------------------------------------------------------------------------


@dataclass
class Day:
    date: date
    in_month: bool
    activities: list[Activity]
    more: int = 0
    more_url: str = ""
    today: bool = False


@dataclass
class Band:
    """Activities of a period longer than the month that covers it, counted."""

    timeframe: Timeframe
    count: int
    url: str  # the month's list, at the band


def _by_day(rows: list[Activity], first: date, last: date) -> dict[date, list[Activity]]:
    """The exact activities on each day of the month (one on each of its days); on a day, those
    with a start time after the others, by their time."""
    on_day: dict[date, list[Activity]] = defaultdict(list)
    for activity in rows:
        if is_exact(activity.precision, activity.deadline):
            day = max(activity.start, first)
            while day <= min(activity.end, last):
                on_day[day].append(activity)
                day += timedelta(days=1)
    for found in on_day.values():
        found.sort(key=_time_of_day)  # stable: the rows' order otherwise
    return on_day


def _time_of_day(activity: Activity) -> tuple[bool, time]:
    timed = activity.start_time is not None and activity.precision == Activity.Precision.DAY
    return (timed, activity.start_time if timed else time.min)


def _weeks(
    selection: CalendarFilter, first: date, on_day: dict[date, list[Activity]]
) -> list[list[Day]]:
    """The month's grid, Monday first: each day with its first MAX_PER_DAY activities and a
    link to the day's list when there are more."""
    now = dates.today()
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        days = []
        for day in week:
            in_month = day.month == first.month
            found = on_day.get(day, []) if in_month else []
            cell = Day(day, in_month, found[:MAX_PER_DAY], today=day == now)
            if len(found) > MAX_PER_DAY:
                cell.more = len(found) - MAX_PER_DAY
                iso = day.isoformat()
                cell.more_url = selection.url(
                    reverse("web:calendar"), period=None, **{"from": iso, "to": iso}
                )
            days.append(cell)
        weeks.append(days)
    return weeks


def calendar_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """A month as a table of weeks: each day lists the exact activities on it; above the grid,
    the month's «дата уточняется» activities and the count of longer ones."""
    if not (1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR):
        raise Http404(_("Такого месяца в календаре нет."))
    first, last = date(year, month, 1), month_end(year, month)
    selection = CalendarFilter.from_request(request)
    previous = first - timedelta(days=1)
    following = last + timedelta(days=1)
    context = _context(request, selection, "month", first)
    context.update(
        month=first,
        previous_url=selection.url(_month_path(previous)) if previous.year >= MIN_YEAR else "",
        next_url=selection.url(_month_path(following)) if following.year <= MAX_YEAR else "",
        month_list_url=selection.url(
            reverse("web:calendar"), period=f"{year}-{month:02d}", **{"from": None, "to": None}
        ),
        weekdays=[(WEEKDAYS[day], WEEKDAYS_ABBR[day]) for day in range(7)],
    )
    if selection.error is not None:
        return render(request, "web/calendar_month.html", context, status=400)

    overlapping = selection.activities().filter(start__lte=last, end__gte=first)
    this_month = _MONTHLY & Q(end__gte=first, end__lte=last)
    rows = list(
        overlapping.filter(_EXACT | this_month)
        .order_by("start", "end", "plan_id", "position")
        .only(*_SHOWN)
    )
    longer = (
        overlapping.filter(deadline=False)
        .exclude(precision__in=EXACT + MONTHLY)
        .order_by()
        .values_list("start", "end")
        .annotate(count=Count("pk"))
    )

    weeks = _weeks(selection, first, _by_day(rows, first, last))

    tbc = [a for a in rows if not is_exact(a.precision, a.deadline)]
    displayed = {activity.pk: activity for activity in tbc[:MAX_TBC]}
    displayed.update((a.pk, a) for week in weeks for day in week for a in day.activities)
    shown(displayed.values())  # only what is shown is prepared for showing
    counted: dict[tuple[Month, Month], int] = defaultdict(int)
    for start, end, count in longer:
        counted[placement(start, end, "months", False)] += count
    bands = []  # after their last month, the shorter first, as in the list
    for (first_month, last_month), count in sorted(
        counted.items(), key=lambda item: (item[0][1], [-n for n in item[0][0]])
    ):
        group = Group(first_month, last_month)
        url = f"{context['month_list_url']}#{group.anchor}"
        bands.append(Band(group.timeframe, count, url))
    context.update(
        weeks=weeks,
        tbc=tbc[:MAX_TBC],
        tbc_more=max(len(tbc) - MAX_TBC, 0),
        exact_count=len(rows) - len(tbc),
        bands=bands,
    )
    return render(request, "web/calendar_month.html", context)


# --- the timeline -----------------------------------------------------------------------------

WIDTH, LEFT, RIGHT, TOP, ROW, BAR, BOTTOM = 720, 60, 8, 34, 28, 18, 8
MIN_BAR = 8.0


@dataclass
class Bar:
    number: int
    activity: Activity
    url: str
    when: str
    kind: str
    kind_label: str
    colour: str
    coarse: bool
    x: str
    y: str
    width: str
    text_y: str

    @property
    def label(self) -> str:
        """The bar's accessible name (its SVG <title>)."""
        return f"{self.number}. {self.activity.title} — {self.when} ({self.kind_label})"


@dataclass
class Chart:
    year: int
    width: int
    height: int
    bars: list[Bar]
    months: list[dict[str, str]]
    stripes: list[str]
    kinds: list[dict[str, str]]  # the legend: value, label, colour
    hatched: list[dict[str, str]]  # the kinds with coarse bars: a <pattern> each
    today_x: str = ""
    plot_top: int = TOP - 10
    plot_bottom: int = 0
    row: int = ROW
    bar: int = BAR
    label_y: int = 22
    number_x: int = LEFT - 8


def timeline(request: HttpRequest, year: int) -> HttpResponse:
    """The year's activities as bars on a twelve-month axis, TIMELINE_PAGE_SIZE a page, with
    the same activities as a table below (the chart's text alternative)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("Такого года в календаре нет."))
    selection = CalendarFilter.from_request(request)
    now = dates.today()
    anchor = now if now.year == year else date(year, 1, 1)
    context = _context(request, selection, "timeline", anchor)
    context.update(
        year=year,
        previous_url=selection.url(reverse("web:timeline", args=[year - 1]))
        if year > MIN_YEAR
        else "",
        next_url=selection.url(reverse("web:timeline", args=[year + 1])) if year < MAX_YEAR else "",
    )
    if selection.error is not None:
        return render(request, "web/calendar_timeline.html", context, status=400)
    first, last = date(year, 1, 1), date(year, 12, 31)
    activities = (
        selection.activities()
        .filter(start__lte=last, end__gte=first)
        .order_by("start", "end", "plan_id", "position")
    )
    path = reverse("web:timeline", args=[year])
    pager = _pager(selection, path, activities.only(*_SHOWN), TIMELINE_PAGE_SIZE)
    offset = pager.first_shown - 1 if pager.total else 0
    context.update(chart=_chart(year, shown(pager.object_list), offset, now), pager=pager)
    return render(request, "web/calendar_timeline.html", context)


def _number(value: float) -> str:
    """A coordinate for SVG: a dot for decimals whatever the page's language."""
    return f"{value:.1f}".removesuffix(".0")


def _chart(year: int, activities: list[Activity], offset: int, now: date) -> Chart:
    first = date(year, 1, 1)
    days = 366 if calendar.isleap(year) else 365
    plot = WIDTH - LEFT - RIGHT

    def x(day: date) -> float:
        return LEFT + (day - first).days / days * plot

    bars = []
    kinds: dict[str, str] = {}
    hatched: dict[str, str] = {}
    for index, activity in enumerate(activities):
        start = max(activity.start, first)
        end = min(activity.end, date(year, 12, 31)) + timedelta(days=1)
        left, right = x(start), x(end)
        if right - left < MIN_BAR:  # a day or two: wide enough to see and to point at
            middle = min(max((left + right) / 2, LEFT + MIN_BAR / 2), WIDTH - RIGHT - MIN_BAR / 2)
            left, right = middle - MIN_BAR / 2, middle + MIN_BAR / 2
        row = TOP + index * ROW
        colour = KIND_COLOURS.get(activity.kind, KIND_COLOURS["other"])
        coarse = not is_exact(activity.precision, activity.deadline)
        label = activity.kind_label
        kinds[activity.kind] = label
        if coarse:
            hatched[activity.kind] = colour
        bars.append(
            Bar(
                number=offset + index + 1,
                activity=activity,
                url=activity.url,
                when=activity.when,
                kind=activity.kind,
                kind_label=label,
                colour=colour,
                coarse=coarse,
                x=_number(left),
                y=_number(row + (ROW - BAR) / 2),
                width=_number(right - left),
                text_y=_number(row + ROW / 2 + 5),
            )
        )
    height = TOP + max(len(bars), 1) * ROW + BOTTOM
    months = []
    for month in range(1, 13):
        start = x(date(year, month, 1))
        middle = (start + x(month_end(year, month) + timedelta(days=1))) / 2
        months.append(
            {"x": _number(start), "middle": _number(middle), "label": capfirst(MONTHS_3[month])}
        )
    chart = Chart(
        year=year,
        width=WIDTH,
        height=height,
        bars=bars,
        months=months,
        stripes=[_number(TOP + index * ROW) for index in range(1, len(bars), 2)],
        kinds=[
            {"value": kind, "label": label, "colour": KIND_COLOURS.get(kind, "#3d4247")}
            for kind, label in sorted(kinds.items(), key=lambda item: item[1])
        ],
        hatched=[{"value": kind, "colour": colour} for kind, colour in sorted(hatched.items())],
        plot_bottom=height - BOTTOM,
    )
    if now.year == year:
        chart.today_x = _number(x(now) + plot / days / 2)
    return chart

"""The plan's execution: every row of a plan year with what became of it, counted by period,
kind, responsible organisation, city and member.

Each row is in exactly one state, so that the counts add up to the plan:

- held: marked held, or with a closing report (a report says it took place), or a long row
  whose latest progress says it is done;
- awaiting: its planned window has passed, neither held nor cancelled, and no report — what
  staff chase ("нет отчёта");
- postponed: moved to later dates that have not passed yet;
- cancelled;
- ahead: planned and not over yet (or with no dates at all).

The rows are read in a fixed number of queries whatever the plan's size (`read_execution`:
the rows, their responsible parties, places, the members and partners of their reports, the
progress of long rows, photos), then counted in Python.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civicplan.common import dates
from civicplan.common.urls import slug_of
from civicplan.directory.models import Membership
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from civicplan.reports.models import ClosingReport, ProgressEntry, ReportMaterial
from civicplan.timeframes import parse

STATES = ("held", "awaiting", "postponed", "cancelled", "ahead")
STATE_LABELS = {
    "held": _("проведено"),
    "awaiting": _("ждёт отчёта"),
    "postponed": _("перенесено"),
    "cancelled": _("отменено"),
    "ahead": _("впереди"),
}
# The colours of the states in the charts (contrast of at least 3:1 on white, as the timeline's).
STATE_COLOURS = {
    "held": "#1e7b4a",
    "awaiting": "#b3261e",
    "postponed": "#a15c00",
    "cancelled": "#5f6b76",
    "ahead": "#1f5fa8",
}

# The parts of a year a report covers: the whole year or one half.
PERIODS = ("year", "h1", "h2")
PERIOD_LABELS = {
    "year": _("год"),
    "h1": _("первое полугодие"),
    "h2": _("второе полугодие"),
}

# Where a row's planned window lies in the year.
QUARTERS = ("q1", "q2", "q3", "q4", "several", "undated")
QUARTER_LABELS = {
    "q1": _("I квартал"),
    "q2": _("II квартал"),
    "q3": _("III квартал"),
    "q4": _("IV квартал"),
    "several": _("несколько кварталов"),
    "undated": _("без сроков"),
}
HALVES = ("h1", "h2", "both", "undated")
HALF_LABELS = {
    "h1": _("I полугодие"),
    "h2": _("II полугодие"),
    "both": _("оба полугодия"),
    "undated": _("без сроков"),
}

Precision = Activity.Precision
LONG_PRECISIONS = {Precision.QUARTER, Precision.HALF, Precision.SEASON, Precision.YEAR}
LONG_PRECISIONS |= {Precision.YEARS}


def long_row(precision: str, recurrence: str, kind: str) -> bool:
    """A row that runs long (a project, «в течение года», a quarter's or half-year's
    programme, a recurring one): it reports its progress along the way."""
    return bool(recurrence) or precision in LONG_PRECISIONS or kind == Activity.Kind.PROJECT


@dataclass(frozen=True)
class Party:
    """An organisation as execution names it."""

    id: int
    name: str
    member: bool = False

    @property
    def url(self) -> str:
        return f"/organisations/{self.id}-{slug_of(self.name)}/"


@dataclass
class Progress:
    """A long row's progress: its latest entry, or rolled up from its parts."""

    percent: int
    status: str  # ProgressEntry.Status, or "" when rolled up
    on: date | None
    rolled_up: bool = False


@dataclass
class Photo:
    title: str
    thumbnail: str  # the storage name of the thumbnail
    file: str


@dataclass
class ExecutionRow:
    """One row of the plan with what became of it."""

    id: int
    position: int
    title: str
    when_text: str
    start: date | None
    end: date | None
    precision: str
    recurrence: str
    kind: str
    status: str
    status_reason: str
    previous_when_text: str
    held_start: date | None
    held_end: date | None
    section: str
    parent_id: int | None
    reported: bool = False
    participants: int | None = None
    outcomes: str = ""
    venue: str = ""
    report_format: str = ""
    responsible: list[Party] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    members: list[Party] = field(default_factory=list)  # members that took part (the report)
    partners: list[Party] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    progress: Progress | None = None
    state: str = "ahead"
    quarter: str = "undated"
    half: str = "undated"
    # Held inside the window first planned (before any postponement): True/False; None if
    # not held or either window is unknown.
    in_window: bool | None = None

    @property
    def url(self) -> str:
        return f"/activities/{self.id}-{slug_of(self.title)}/"

    @property
    def long(self) -> bool:
        return long_row(self.precision, self.recurrence, self.kind)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def kind_label(self) -> str:
        return str(Activity.Kind(self.kind).label)


@dataclass
class Tally:
    """How many rows are in each state, and in all."""

    counts: Counter = field(default_factory=Counter)

    def add(self, row: ExecutionRow) -> None:
        self.counts[row.state] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[tuple[str, int]]:
        """(state, count) in the order of STATES."""
        return [(state, self.counts[state]) for state in STATES]


@dataclass
class Group:
    """A line of a breakdown: what it counts (`key` is the value of the rows' filter), its
    label, and its tally."""

    key: str
    label: str
    tally: Tally = field(default_factory=Tally)


@dataclass
class MemberLine:
    """A member municipality's part in the year."""

    party: Party
    responsible: int = 0  # rows it was responsible for
    took_part: int = 0  # reports that name it among those present
    held: int = 0  # of the rows it was responsible for or took part in, held


@dataclass
class Execution:
    """A plan year's (or half-year's) execution."""

    plan: Plan
    period: str
    today: date
    rows: list[ExecutionRow]
    total: Tally
    by_quarter: list[Group]
    by_half: list[Group]
    by_kind: list[Group]
    by_organisation: list[Group]
    by_city: list[Group]
    members: list[MemberLine]
    participants: int
    reports: int
    held_in_window: int
    held_dated: int  # held rows whose planned and actual days are both known

    @property
    def window_share(self) -> int | None:
        """Per cent of the held rows (with known windows) held inside their planned window."""
        if not self.held_dated:
            return None
        return round(100 * self.held_in_window / self.held_dated)

    @property
    def held_without_report(self) -> list[ExecutionRow]:
        """Held rows that still owe a report (a long row done by its progress owes none)."""
        return [
            row
            for row in self.rows
            if row.state == "held"
            and not row.reported
            and not (row.progress and row.progress.status == ProgressEntry.Status.DONE)
        ]

    @property
    def awaiting(self) -> list[ExecutionRow]:
        return [row for row in self.rows if row.state == "awaiting"]


# -- reading -------------------------------------------------------------------------------------


ROW_FIELDS = (
    "id",
    "position",
    "title",
    "when_text",
    "start",
    "end",
    "precision",
    "recurrence",
    "kind",
    "status",
    "status_reason",
    "previous_when_text",
    "held_start",
    "held_end",
    "section__heading",
    "parent_id",
    "report__id",
    "report__participants",
    "report__outcomes",
    "report__venue",
    "report__format",
    "report__held_start",
    "report__held_end",
)


def read_execution(plan: Plan, period: str = "year", today: date | None = None) -> Execution:
    """The plan's rows with what became of them, in `period` ("year", "h1", "h2"): eight
    queries whatever the plan's size."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    today = today or dates.today()
    rows = {
        values["id"]: _row(values)
        for values in plan.activities.order_by("position").values(*ROW_FIELDS).iterator(2000)
    }
    ids = plan.activities.values("pk")
    members = set(Membership.objects.values_list("organisation_id", flat=True))
    _read_parties(rows, ids, members)
    _read_places(rows, ids)
    _read_report_organisations(rows, ids, members)
    _read_progress(rows, ids)
    _read_photos(rows, ids)
    for row in rows.values():
        _settle(row, plan.year, today)
    _roll_up(rows)
    chosen = [row for row in rows.values() if _in_period(row, period)]
    return _count(plan, period, today, chosen)


def _row(values: dict) -> ExecutionRow:
    row = ExecutionRow(
        id=values["id"],
        position=values["position"],
        title=values["title"],
        when_text=values["when_text"],
        start=values["start"],
        end=values["end"],
        precision=values["precision"],
        recurrence=values["recurrence"],
        kind=values["kind"],
        status=values["status"],
        status_reason=values["status_reason"],
        previous_when_text=values["previous_when_text"],
        held_start=values["held_start"],
        held_end=values["held_end"],
        section=values["section__heading"] or "",
        parent_id=values["parent_id"],
    )
    if values["report__id"] is not None:
        row.reported = True
        row.participants = values["report__participants"]
        row.outcomes = values["report__outcomes"]
        row.venue = values["report__venue"]
        row.report_format = values["report__format"]
        row.held_start = values["report__held_start"] or row.held_start
        row.held_end = values["report__held_end"] or row.held_end
    return row


def _read_parties(rows: dict[int, ExecutionRow], ids: QuerySet, members: set[int]) -> None:
    seen: set[tuple[int, int]] = set()
    parties = Responsibility.objects.filter(activity__in=ids, organisation__collective=False)
    for activity_id, organisation_id, name in parties.order_by("activity", "position").values_list(
        "activity_id", "organisation_id", "organisation__name"
    ):
        if (activity_id, organisation_id) in seen:  # named twice in one row
            continue
        seen.add((activity_id, organisation_id))
        rows[activity_id].responsible.append(
            Party(organisation_id, name, organisation_id in members)
        )


def _read_places(rows: dict[int, ExecutionRow], ids: QuerySet) -> None:
    places = ActivityPlace.objects.filter(activity__in=ids, place__isnull=False).exclude(
        place__city=""
    )
    for activity_id, city in places.order_by("activity", "position").values_list(
        "activity_id", "place__city"
    ):
        if city not in rows[activity_id].cities:
            rows[activity_id].cities.append(city)


def _read_report_organisations(
    rows: dict[int, ExecutionRow], ids: QuerySet, members: set[int]
) -> None:
    """The members and the partners each report names present, by name."""
    for relation in ("members", "partners"):
        through = getattr(ClosingReport, relation).through
        for activity_id, organisation_id, name in (
            through.objects.filter(closingreport__activity__in=ids)
            .order_by("organisation__name")
            .values_list("closingreport__activity_id", "organisation_id", "organisation__name")
        ):
            party = Party(organisation_id, name, organisation_id in members)
            getattr(rows[activity_id], relation).append(party)


def _read_progress(rows: dict[int, ExecutionRow], ids: QuerySet) -> None:
    """Each row's latest progress entry (by date, then entry)."""
    entries = ProgressEntry.objects.filter(activity__in=ids).order_by("activity", "on", "id")
    for activity_id, on, status, percent in entries.values_list(
        "activity_id", "on", "status", "percent"
    ):
        rows[activity_id].progress = Progress(percent, status, on)


def _read_photos(rows: dict[int, ExecutionRow], ids: QuerySet) -> None:
    photos = ReportMaterial.objects.filter(
        report__activity__in=ids, kind=ReportMaterial.Kind.PHOTO
    ).exclude(thumbnail="")
    for activity_id, title, thumbnail, file in photos.order_by(
        "report__activity", "position", "id"
    ).values_list("report__activity_id", "title", "thumbnail", "file"):
        rows[activity_id].photos.append(Photo(title, thumbnail, file))


# -- what became of each row ---------------------------------------------------------------------


def _settle(row: ExecutionRow, year: int, today: date) -> None:
    row.quarter, row.half = _periods(row.start, row.end)
    done = row.progress is not None and row.progress.status == ProgressEntry.Status.DONE
    if row.status == Activity.Status.CANCELLED:
        row.state = "cancelled"
    elif row.status == Activity.Status.HELD or row.reported or done:
        row.state = "held"
        row.in_window = _held_in_window(row, year)
    elif row.end is not None and row.end < today:
        row.state = "awaiting"
    elif row.status == Activity.Status.POSTPONED:
        row.state = "postponed"
    else:
        row.state = "ahead"


def _periods(start: date | None, end: date | None) -> tuple[str, str]:
    if start is None or end is None:
        return "undated", "undated"
    first, last = (start.month - 1) // 3, (end.month - 1) // 3
    if start.year != end.year:
        return "several", "both"
    quarter = QUARTERS[first] if first == last else "several"
    half = "h1" if last < 2 else "h2" if first >= 2 else "both"
    return quarter, half


def _held_in_window(row: ExecutionRow, year: int) -> bool | None:
    """Held inside the window the plan first gave it (before a postponement moved it)."""
    start, end = row.start, row.end
    if row.previous_when_text:
        first = parse(row.previous_when_text, default_year=year)
        start, end = first.start, first.end
    held_start, held_end = row.held_start, row.held_end or row.held_start
    if None in (start, end, held_start):
        return None
    return start <= held_start and held_end <= end


def _roll_up(rows: dict[int, ExecutionRow]) -> None:
    """A row with parts takes its progress from them: the mean of the parts' per cent (a held
    part counts 100, a cancelled one not at all)."""
    parts: dict[int, list[ExecutionRow]] = defaultdict(list)
    for row in rows.values():
        if row.parent_id in rows:
            parts[row.parent_id].append(row)
    for parent_id, children in parts.items():
        counted = [child for child in children if child.state != "cancelled"]
        if not counted:
            continue
        percents = [
            100 if child.state == "held" else (child.progress.percent if child.progress else 0)
            for child in counted
        ]
        latest = max((child.progress.on for child in counted if child.progress), default=None)
        rows[parent_id].progress = Progress(
            round(sum(percents) / len(percents)), "", latest, rolled_up=True
        )


def _in_period(row: ExecutionRow, period: str) -> bool:
    if period == "year":
        return True
    if row.half == "undated":
        return False
    return row.half in (period, "both")


# -- counting ------------------------------------------------------------------------------------


def _count(plan: Plan, period: str, today: date, rows: list[ExecutionRow]) -> Execution:
    total = Tally()
    quarters = {key: Group(key, str(QUARTER_LABELS[key])) for key in QUARTERS}
    halves = {key: Group(key, str(HALF_LABELS[key])) for key in HALVES}
    kinds = {kind.value: Group(kind.value, str(kind.label)) for kind in Activity.Kind}
    organisations: dict[int, Group] = {}
    cities: dict[str, Group] = {}
    members: dict[int, MemberLine] = {}
    participants = reports = in_window = dated = 0
    for row in rows:
        total.add(row)
        quarters[row.quarter].tally.add(row)
        halves[row.half].tally.add(row)
        kinds[row.kind].tally.add(row)
        for party in row.responsible:
            organisations.setdefault(party.id, Group(str(party.id), party.name)).tally.add(row)
        for city in row.cities:
            cities.setdefault(city, Group(city, city)).tally.add(row)
        _count_members(members, row)
        participants += row.participants or 0
        reports += row.reported
        if row.in_window is not None:
            dated += 1
            in_window += row.in_window
    return Execution(
        plan=plan,
        period=period,
        today=today,
        rows=rows,
        total=total,
        by_quarter=_present(quarters.values()),
        by_half=_present(halves.values()),
        by_kind=sorted(_present(kinds.values()), key=lambda g: (-g.tally.total, g.label)),
        by_organisation=sorted(organisations.values(), key=lambda g: (-g.tally.total, g.label)),
        by_city=sorted(cities.values(), key=lambda g: (-g.tally.total, g.label)),
        members=sorted(
            members.values(), key=lambda m: (-(m.responsible + m.took_part), m.party.name)
        ),
        participants=participants,
        reports=reports,
        held_in_window=in_window,
        held_dated=dated,
    )


def _count_members(members: dict[int, MemberLine], row: ExecutionRow) -> None:
    involved: set[int] = set()
    for party in row.responsible:
        if party.member:
            members.setdefault(party.id, MemberLine(party)).responsible += 1
            involved.add(party.id)
    present = {party.id: party for party in (*row.members, *row.partners) if party.member}
    for party in present.values():
        members.setdefault(party.id, MemberLine(party)).took_part += 1
        involved.add(party.id)
    if row.state == "held":
        for organisation_id in involved:
            members[organisation_id].held += 1


def _present(groups: Iterable[Group]) -> list[Group]:
    return [group for group in groups if group.tally.total]


# -- the rows behind a number --------------------------------------------------------------------


def _party(wanted: str, parties: Iterable[Party]) -> bool:
    return any(str(party.id) == wanted for party in parties)


# Each filter of the rows behind a number, as the pages' links give it: an organisation or a
# member by id (a member is responsible for the row or named present by its report; `present`
# only the latter), a city by name, `reported` "1" (rows with a report), `window` "in" or
# "out" (held rows held inside or outside their planned window).
_MATCHES: dict[str, Callable[[ExecutionRow, str], bool]] = {
    "state": lambda row, wanted: row.state == wanted,
    "quarter": lambda row, wanted: row.quarter == wanted,
    "half": lambda row, wanted: row.half == wanted,
    "kind": lambda row, wanted: row.kind == wanted,
    "organisation": lambda row, wanted: _party(wanted, row.responsible),
    "city": lambda row, wanted: wanted in row.cities,
    "member": lambda row, wanted: _party(wanted, (*row.responsible, *row.members, *row.partners)),
    "present": lambda row, wanted: _party(wanted, (*row.members, *row.partners)),
    "reported": lambda row, wanted: row.reported == (wanted == "1"),
    "window": lambda row, wanted: row.in_window is (wanted == "in"),
}
FILTERS = tuple(_MATCHES)


def select(rows: Iterable[ExecutionRow], **wanted: str) -> Iterator[ExecutionRow]:
    """The rows a number counts: those that match every filter given (empty ones ignored)."""
    chosen = [(_MATCHES[name], value) for name, value in wanted.items() if value]
    return (row for row in rows if all(match(row, value) for match, value in chosen))

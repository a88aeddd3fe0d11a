"""From a RawDocument to a PlanDocument: what each row means, the same for every file format."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Mapping

from civicplan import timeframes
from civicplan.i18n import gettext as _
from civicplan.plandoc.activities import read_involvement, read_kind
from civicplan.plandoc.columns import date_and_rest
from civicplan.plandoc.model import (
    Activity,
    City,
    Note,
    Place,
    PlanDocument,
    Problem,
    Responsible,
)
from civicplan.plandoc.organisations import OrganisationIndex, read_responsible
from civicplan.plandoc.period import PlanPeriod, plan_period, title_day, title_span
from civicplan.plandoc.places import read_format, read_place
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow

_EXPLICIT_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d\.\d{1,2}\.\d\d(?!\d)")


def title_period(title: str) -> tuple[int | None, int | None]:
    """The plan's year and, for a monthly plan, its month, from its title alone."""
    period = plan_period(title)
    return period.year, period.month


Progress = Callable[[int, int], None]  # (rows understood, rows in all)
PROGRESS_EVERY = 100  # rows between two reports of progress


def build_plan(
    raw: RawDocument,
    year: int | None = None,
    index: OrganisationIndex | None = None,
    progress: Progress | None = None,
) -> PlanDocument:
    """Understand every row. `year` overrides the title's year; `index` carries organisations
    already known (from the database) so that rows are matched against them too; `progress`
    hears every PROGRESS_EVERY rows how far it has got (a long plan takes seconds)."""
    whens = [
        item.cells.get("when", "") if isinstance(item, RawRow) else item.text
        for item in raw.items
        if isinstance(item, RawRow | RawHeading)
    ]
    titles = (item.cells.get("title", "") for item in raw.items if isinstance(item, RawRow))
    period = plan_period(f"{raw.title} {raw.dateline}".strip(), whens, titles)
    month = period.month
    two_years = period.two_years or _runs_into_january(raw, period)
    turn = 8 if period.school else _first_month(raw, period) if two_years else None
    year = year or period.year
    index = index if index is not None else OrganisationIndex()
    plan = PlanDocument(title=raw.title, year=year)
    section: str | None = None
    subsection: str | None = None
    span = title_span(raw.title)  # what «в течение месячника» means
    day = title_day(raw.title)  # a one-day programme's day heads all its rows
    whole_day = _period_heading(day, year) if day and _one_days(raw, year) else None
    heading = whole_day  # the period the last heading names
    rows = sum(isinstance(item, RawRow) for item in raw.items)
    for item in raw.items:
        if isinstance(item, RawHeading):
            period_above = heading
            heading = _period_heading(item.text, year)
            if heading is None:
                # a part of the one day's programme («Программа в ЦПКиО»), or of the month
                # above («Январь», then «Культурно-досуговая деятельность»): still that period
                heading = period_above or whole_day
                section, subsection = item.text, None
            elif heading.precision not in ("day", "days"):
                subsection = item.text  # a date heading is not a part of the plan
        elif isinstance(item, RawNote):
            plan.notes.append(Note(item.text, after=len(plan.activities)))
        elif isinstance(item, RawRow):
            activity, problems = read_activity(
                _in_span(_under_heading(item.cells, heading, year, month), span),
                position=len(plan.activities) + 1,
                section=(section, subsection),
                year=year,
                month=_heading_month(heading) or month,
                index=index,
                source_row=item.number,
                year_turn=turn,
            )
            activity.notes = list(item.footnotes)
            activity.extra = list(item.extra)
            plan.problems.extend(problems)
            plan.activities.append(activity)
            if progress is not None and len(plan.activities) % PROGRESS_EVERY == 0:
                progress(len(plan.activities), rows)
    return plan


@functools.lru_cache(maxsize=8192)
def _parsed(text: str, year: int | None, month: int | None = None) -> timeframes.Timeframe:
    """`timeframes.parse`, once for a phrase the reading of a plan asks about several times (a
    row's own time frame, under its heading, at the turn of a year; the frame is frozen)."""
    return timeframes.parse(text, default_year=year, default_month=month)


def _period_heading(text: str, year: int | None) -> timeframes.Timeframe | None:
    """ "1 ПОЛУГОДИЕ", "II квартал", "Январь", "15 марта": a heading that is a time frame (a
    sub-heading, or a date heading the rows under it), read, and so is the day and year a
    longer heading starts with («26 августа 2020 г. Учебно-методический сбор факультета»); None
    for other headings."""
    text = _DATE_LABEL.sub("", text, count=1)  # «Дата – 04.05.2017»
    if len(text) > 40:
        dated = _DAY_FIRST.match(text)  # «26 августа 2020 г. Учебно-методический сбор …»
        if dated is None:
            return None
        text = dated.group(1)
    period = _parsed(text, year or 2000)
    return period if period.start is not None and period.warning is None else None


# A heading that starts with its day and its year, then names what the day is for
_DAY_FIRST = re.compile(
    r"\s*(\d{1,2}\s+[а-яё]+\s+(?:19|20)\d\d\s*(?:г\.|года)?|\d{1,2}\.\d{1,2}\.(?:19|20)\d\d\s*(?:г\.)?)"
    r"\s*[-–—.,:]?\s+[А-ЯЁ«\"]",
    re.IGNORECASE,
)


# «В течение месячника», «в течение периода», «в ходе проведения месячника»: the plan's span.
_WHOLE_SPAN = re.compile(
    r"(?:в\s+течени[еи]|в\s+ходе|на\s+протяжении|весь|всего)\s+(?:всего\s+|проведения\s+)?"
    r"(?:период|месячник|декад|недел|акци|квартал|полугоди|смен)\w*\W*$",
    re.IGNORECASE,
)


def _in_span(cells: Mapping[str, str], span: str | None) -> Mapping[str, str]:
    """A row «в течение месячника» of a plan whose title names its span («с 21 января по 23
    февраля 2022 г.», «на 3 квартал 2021 года»): that span."""
    if span and _WHOLE_SPAN.match(cells.get("when", "").strip()):
        return {**cells, "when": span}
    return cells


def _heading_month(heading: timeframes.Timeframe | None) -> int | None:
    """The month a month heading gives rows that name only a part of it («3 декада»)."""
    if heading is not None and heading.precision == "month" and heading.start is not None:
        return heading.start.month
    return None


def _under_heading(
    cells: Mapping[str, str],
    heading: timeframes.Timeframe | None,
    year: int | None,
    month: int | None,
) -> Mapping[str, str]:
    """A row under a period heading whose own time frame gives no date takes the heading's: an
    empty cell is the heading's period, a time of day («10:00») is on the heading's date; other
    words («по согласованию») leave the row undated, as written."""
    if heading is None:
        return cells
    own = cells.get("when", "")
    if own and _parsed(own, year, month).start is not None:
        return cells
    joined = f"{heading.text} {own}".strip()
    frame = _parsed(joined, year, month)
    if frame.start is None or frame.warning is not None:
        return cells  # what the cell says («по согласованию») is not a time in that period
    return {**cells, "when": joined}


def read_activity(
    cells: Mapping[str, str],
    *,
    position: int,
    section: tuple[str | None, str | None] = (None, None),
    year: int | None = None,
    month: int | None = None,
    index: OrganisationIndex | None = None,
    source_row: int | None = None,
    year_turn: int | None = None,
) -> tuple[Activity, list[Problem]]:
    """One row understood from its cells by role (when, title, place, responsible): the time
    frame read in the plan's year (and month), the kind, involvement, format, places and
    responsible parties, each party matched against `index`; and what a person should check.
    A plan's rows and a member's proposal are read by this one function."""
    title = cells.get("title", "")
    when_text, place_text = _time_and_place(cells)
    when = _when(when_text, year, month, year_turn)
    activity = Activity(
        position=position,
        section=section,
        when=when,
        title=title,
        kind=read_kind(title),
        involvement=read_involvement(title),
        format=read_format(place_text),
        place=_place(place_text, cells.get("settlement", "")),
        responsible=read_responsible(cells.get("responsible", "")) + _people_of(cells),
        responsible_text=cells.get("responsible", ""),
        source_row=source_row,
    )
    problems: list[Problem] = []
    activity.responsible = _recognise(
        activity.responsible,
        index if index is not None else OrganisationIndex(),
        problems,
        source_row,
    )
    if activity.when.warning:
        problems.append(Problem(activity.when.warning, source_row, "when"))
    if not activity.title:
        problems.append(Problem(_("нет названия мероприятия"), source_row, "title"))
    return activity, problems


_TIME_PART = re.compile(
    r"(?:[вс]\s*)?(?:[01]?\d|2[0-3])(?::[0-5]\d|[.\-](?:[0-5][05]))"
    r"(?:\s*(?:[-–—]|до)\s*(?:[01]?\d|2[0-3])(?::[0-5]\d|[.\-](?:[0-5][05])))?"
    r"\s*(?:ч\.?|час\w*)?",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(r"^(?:дата|число|день)\s*[-–—:.]\s*", re.IGNORECASE)
# A settlement in brackets in an activity's title, for a row without a place of its own.
_PLACE_IN_BRACKETS = re.compile(
    r"\(((?:г|с|п|пгт|рп|д|х|ст|пос|дер)\.\s?[А-ЯЁ][^()]{1,60})\)", re.IGNORECASE
)
# A time of day closing a title cell that holds the venue too, after a comma, perhaps before a
# remark in brackets («…, Большой зал ДК «Современник», 13.00 (Цена билетов: 200 руб.)»).
_TIME_CLOSING_TITLE = re.compile(r",\s*((?:[01]?\d|2[0-3])[.:][0-5]\d)(?:\s*\([^()]*\))?\s*$")
# A street, building or room before «, 10-15»: the number is an address, not a time of day.
_ADDRESS = re.compile(
    r"(?:^|\s)(?:ул|улица|пр|просп|проспект|пер|переулок|пл|площадь|шоссе|наб|набережная|бульв"
    r"|б-р|мкр|микрорайон|д|дом|корп|стр|каб|кабинет|ауд|оф|кв)\.?(?:\s|$)|№\s*$",
    re.IGNORECASE,
)


# A time of day or a span of them closing the place after a space, no comma («администрация
# района 15.00 - 17.00», «лесопарк «Лососно» 12.00»); written with a dot or a colon, as a
# house or a room number («д. 10-15») is not.
_CLOSING_TIME = re.compile(
    r"(?P<place>.*?[^\d\s.,:;–—-])\s+(?P<time>(?:[01]?\d|2[0-3])[.:][0-5]\d"
    r"(?:\s*[-–—]\s*(?:[01]?\d|2[0-3])[.:][0-5]\d)?)\s*(?:ч\.?|час\w*)?\.?"
)
_LEADING_TIME = re.compile(rf"({_TIME_PART.pattern})\s+(?=\S)", re.IGNORECASE)


def _time_and_place(cells: Mapping[str, str]) -> tuple[str, str]:
    """The time frame's and the place's text, as plans mix them: a «Срок и место проведения»
    cell (the time frame at its start or end, the place the rest), a «Место и дата» column in a
    table without a time frame column, and a time of day written in the place cell as a part of
    its own («Кощинская СБ, 13-30»; not a house number: «ул. Ленина, 10-15»); a row without a
    place takes a settlement its title names in brackets («… (г. Полесск)»); a «Время и место»
    cell of a time and a place («08:15, ПС»)."""
    when_text, place_text = cells.get("when", ""), cells.get("place", "")
    if when_text and not place_text and _parsed(when_text, 2000).warning:
        split = _time_and_rest(when_text)
        if split is not None:
            return split
    if "when" not in cells and place_text:
        split = _time_and_rest(place_text)
        if split is not None:
            return split
    if when_text and place_text:
        moved = _time_from_place(when_text, place_text)
        if moved is not None:
            return moved
    if not place_text:
        title = cells.get("title", "")
        timed = _TIME_CLOSING_TITLE.search(title)
        if timed and _parsed(when_text, 2000).start_time is None:
            # «Спектакль «Бабоньки» Большой зал ДК «Современник», 13.00 (Цена билетов: …)»
            when_text = f"{when_text} {timed.group(1)}".strip()
        bracketed = _PLACE_IN_BRACKETS.search(title)
        if bracketed:  # «Чемпионат области по армреслингу (г. Полесск)»
            return when_text, bracketed.group(1)
    return when_text, place_text


def _time_and_rest(text: str) -> tuple[str, str] | None:
    """A cell of a time frame and a place: a date at its start or end («03 января ДК …»), or a
    time of day as a part of its own («08:15, ПС»)."""
    split = date_and_rest(text)
    if split is not None:
        return _time_from_place(*split) or split
    timed = _time_from_place("", text)
    return (timed[0].strip(), timed[1]) if timed is not None else None


def _place(text: str, settlement: str) -> Place:
    """The place cell understood; a settlement the layout names as one (a list line that begins
    with it: «Черусти. В 16.30 …») is its city though no marker or list of towns tells so."""
    place = read_place(text)
    if not settlement or place.cities:
        return place
    venue = None if place.venue == settlement else place.venue
    return dataclasses.replace(place, cities=(City(settlement),), venue=venue)


def _people_of(cells: Mapping[str, str]) -> list[Responsible]:
    """The people and groups of people named in a «Место проведения, ответственные» cell: its
    bodies are the venue, not parties, and so is its town («г. Богданович» is no «Г. Богданович»
    of the address)."""
    return [
        party
        for party in read_responsible(cells.get("people", ""))
        if party.kind in ("person", "collective") and not _names_a_town(party.name)
    ]


def _names_a_town(text: str) -> bool:
    place = read_place(text)
    return bool(place.cities) and place.venue is None


def _time_from_place(when_text: str, place_text: str) -> tuple[str, str] | None:
    """A time of day that is a comma-separated part of its own at the end or the start of the
    place cell, or closes it after a space, moved to the time frame; not a house number after
    a street."""
    parts = [part.strip() for part in place_text.split(",")]
    if len(parts) == 1 and _TIME_PART.fullmatch(parts[0]):
        return f"{when_text} {parts[0]}".strip(), ""  # «10.00» alone in the place cell
    leading = _LEADING_TIME.match(place_text)
    if leading:  # «10.00 229 кабинет»: the time, then the room
        return f"{when_text} {leading.group(1)}".strip(), place_text[leading.end() :].strip()
    for index in (len(parts) - 1, 0):
        if len(parts) < 2 or not _TIME_PART.fullmatch(parts[index]):
            continue
        if index and _ADDRESS.search(parts[index - 1]):
            continue
        rest = parts[:index] + parts[index + 1 :]
        return f"{when_text} {parts[index]}", ", ".join(rest)
    closing = _CLOSING_TIME.fullmatch(place_text)
    if closing and not _ADDRESS.search(closing["place"].split()[-1]):
        return f"{when_text} {closing['time']}".strip(), closing[
            "place"
        ]  # «… района 15.00 - 17.00»
    return None


def _one_days(raw: RawDocument, year: int | None) -> bool:
    """Whether the rows' own dates leave the plan one day's programme: they name at most one
    day (a page's stamp «13.02.2026 16:20» above a year's calendar whose rows give months is no
    day of its rows)."""
    days = set()
    for item in raw.items:
        if isinstance(item, RawRow):
            frame = _parsed(item.cells.get("when", ""), year or 2000)
            if frame.start is not None and frame.warning is None:
                days.add((frame.start, frame.end))
    return len(days) <= 1


def _runs_into_january(raw: RawDocument, period: PlanPeriod) -> bool:
    """Whether a plan's dated rows run from December straight into January («Бокс 27-29
    декабря», then «Турнир 3, 5, 7 января»; or a row «25.12.2007-13.01.2008»): it spans the New
    Year, and its dates without a year after the turn are in the next one."""
    months = []
    for item in raw.items:
        if isinstance(item, RawRow):
            frame = _parsed(item.cells.get("when", ""), period.year or 2000)
            if frame.start is not None and frame.warning is None:
                months.append((frame.start.month, frame.end.month if frame.end else 0))
    return any(
        start == 12 and (end == 1 or (index + 1 < len(months) and months[index + 1][0] == 1))
        for index, (start, end) in enumerate(months)
    )


def _first_month(raw: RawDocument, period: PlanPeriod) -> int | None:
    """The month a plan over two years in turn starts in: its first month heading's or dated
    row's (the time frame of a cell that mixes it with the place)."""
    for item in raw.items:
        if isinstance(item, RawHeading):
            frame = _period_heading(item.text, period.year)
        elif isinstance(item, RawRow):
            when_text, _rest = _time_and_place(item.cells)
            frame = _parsed(when_text, period.year)
        else:
            continue
        if frame is not None and frame.start is not None and frame.warning is None:
            return frame.start.month
    return None


def _when(text: str, year: int | None, month: int | None, turn: int | None) -> timeframes.Timeframe:
    """The time frame in the plan's year. A plan over the turn of a year — a school year («на
    2024/2025 учебный год», `turn` 8: August is the year's preparation) or two years in turn
    («2019-2020 г.г.», `turn` its first row's month) — has a date without its year before the
    turn month in the second year (and a span that reaches past it in the first). A deadline's
    start (the year's first day) is no date of the plan's: its end tells the year."""
    when = _parsed(text, year, month)
    if (
        turn
        and year is not None
        and when.start is not None
        and when.end is not None
        and (when.end if when.deadline else when.start).month < turn
        and when.end.month < turn + 1
        and not _EXPLICIT_YEAR.search(text)
    ):
        when = _parsed(text, year + 1, month)
    return when


def _recognise(
    parties: list[Responsible],
    index: OrganisationIndex,
    problems: list[Problem],
    row: int | None,
) -> list[Responsible]:
    """Match each party against the organisations seen so far. A spelling that matches an
    organisation exactly (by key) is kept as written; a near miss (a typo) takes the known
    organisation's name, and the importer is told."""
    recognised = []
    for party in parties:
        if party.kind == "person":
            recognised.append(party)
            continue
        match = index.resolve(party.name, nearest=False)  # a new name's near miss is not told
        if match.how == "fuzzy":
            problems.append(
                Problem(
                    _("«%(written)s» сопоставлено с «%(known)s» (сходство %(score).0f%%)")
                    % {"written": party.name, "known": match.name, "score": match.score},
                    row,
                    "responsible",
                )
            )
            party = dataclasses.replace(party, name=match.name, written_as=party.name)
        recognised.append(party)
    return recognised

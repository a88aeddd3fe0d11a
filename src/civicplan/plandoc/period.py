"""The year (and month) a plan is for, from what the document says, in the order Russian plans
say it most reliably:

1. its title: «на 2026 год», «в 2025 году», «на 2026/2027 учебный год» (a school year: September
   to August), «на 2020–2024 годы» and «(2007 – 2008 г.г.)» (the first year), «на март 2026
   года», «на май месяц» (a month, its year found below); a New Year it celebrates («Нового
   2018 года») is two years in turn from the year before;
2. a programme over several years whose rows give only years («2005 г.», «2004 - 2005 гг.»,
   «2013 2015 гг.»): the year it was approved in when that is one of them, else its first (a
   Victory anniversary it prepares for comes later);
3. the anniversary of the Victory it celebrates: «65-й годовщины Победы», «к 80-летию Победы»,
   «77-й победный май» (1945 + N), as Victory Day plans name their year so, or of another event
   whose year it writes («80-летию … Сталинградской битве в 1943 году»: 1943 + 80);
4. the dates in its rows and headings: the year most of them write («15.03.2026», «01.05.15г.»),
   or, when they run from December into January, the year they start in; then a Victory
   anniversary an activity names;
5. the date it was approved or issued: «утверждён распоряжением от 12 января 2026 г. № 5»,
   «Приложение к постановлению от 28.04.2008 № 717»;
6. any other year of the title from 1990 on (older ones are history: «1941–1945 годов»);
7. the year the anniversaries of people its activities mark fall in («к 100-летию со д.р Б. Ш.
   Окуджавы (1924-1997)»: 2024), else the year its activities name their events for («Семья
   года-2004», «Сабантуй-2016»).

The title's own line («План …», «Программа …», «Календарь …») is searched first: a lead
paragraph before it tells history («в 1992 году явилась инициатором …»), and so does a sentence
anywhere that tells how a holiday came to be («Указом … от 30 января 1998 года … был учреждён
праздник Дня матери»): its years are left out.

When none of these gives a year the importer asks for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from civicplan.timeframes.lexicon import MONTH_WORDS

_YEAR = r"(19\d\d|20\d\d)"
_MONTH_NAMES = "|".join(sorted((w for w in MONTH_WORDS if len(w) >= 3), key=len, reverse=True))
_SCHOOL_YEAR = re.compile(
    rf"(?<!\d){_YEAR}\s*[/\-–—]\s*(?:19|20)?\d\d\s*(?:г\.?\s*)?(?:г\.?\s*)?учебн", re.IGNORECASE
)
_MONTH_YEAR = re.compile(rf"\bна\s+({_MONTH_NAMES})\s+{_YEAR}(?!\d)", re.IGNORECASE)
_MONTH_ALONE = re.compile(rf"\bна\s+({_MONTH_NAMES})(?:\s+месяц\w*)?(?!\w)", re.IGNORECASE)
_YEARS_RANGE = re.compile(
    rf"(?<!\d){_YEAR}\s*(?:[-–—]|\s)\s*(?:{_YEAR}|\d\d)(?!\d)\s*(?:гг|г\.\s*г|год|годы|годах)",
    re.IGNORECASE,
)
_FOR_YEAR = re.compile(rf"\b(?:на|в|во)\s+{_YEAR}(?!\d)\s*(?:г\b|год)", re.IGNORECASE)
_BARE_YEAR = re.compile(rf"(?<!\d){_YEAR}\s*(?:г\.|год\b|году\b)", re.IGNORECASE)
_VICTORY = re.compile(
    r"(\d{1,3})\s*[-–]?\s*(?:й|ой|ей|ая|я|ю|ти|ию|летия|летию|летие)?\s*(?:(?:годовщин\w*|лети\w*)"
    r"(?:\s+\S+){0,3}?\s+(?:велик\w+\s+)?побед|победн\w+\s+ма[йяюе])",
    re.IGNORECASE,
)
_ANNIVERSARY = re.compile(
    r"(\d{1,3})\s*[-–]?\s*(?:й|ой|ей|ая|я|ю|ти|ию)?\s*(?:годовщин\w*|лети\w*)"
    r"[^.;]{0,150}?\bв\s+(1[0-9]{3}|20\d\d)\s*(?:г\.|год)",
    re.IGNORECASE,
)
_APPROVED = re.compile(
    rf"\bот\s+(?:«?\d{{1,2}}»?\s*(?:{_MONTH_NAMES})\s+{_YEAR}|\d{{1,2}}\.\d{{1,2}}\.{_YEAR})",
    re.IGNORECASE,
)
_ROW_YEAR = re.compile(
    rf"(?<![\d.])\d{{1,2}}\.(\d{{1,2}})\.(\d{{4}}|\d\d)(?!\d)|(?<!\d){_YEAR}(?!\d)", re.IGNORECASE
)
_NEW_YEAR = re.compile(rf"\bнов\w*\s+{_YEAR}\s*(?:г\.|год)", re.IGNORECASE)
_ANY_YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
# A sentence of a lead that tells how a holiday or an event came to be («Указом президента … от
# 30 января 1998 года … был учреждён праздник Дня матери.», «… впервые состоялся в 1993 году»):
# history, none of its years the plan's.
_HISTORY = re.compile(
    r"[^.!?]*\b(?:учрежд[её]н[аоы]?|установлен[аоы]?|основан[аоы]?|впервые)\b[^.!?]*[.!?]?",
    re.IGNORECASE,
)
_TITLE_LINE = re.compile(r"\b(?:план|программа|календар\w*|перечень|график)\b", re.IGNORECASE)
VICTORY_YEAR = 1945
# A place named after an anniversary: «площадь 30-летия Победы», «ул. 50 лет Октября».
_PLACE_NAMED = re.compile(
    r"(?:площад\w*|пл\.|улиц\w*|ул\.|проспект\w*|пр-т|просп\.|парк\w*|сквер\w*|бульвар\w*"
    r"|микрорайон\w*|мкр\.?|переул\w*|набережн\w*|имени|им\.)\s*$",
    re.IGNORECASE,
)


_DAY = re.compile(
    rf"(?<![\d.])(?:\d{{1,2}}\s+(?:{_MONTH_NAMES})\s+{_YEAR}|\d{{1,2}}\.\d{{1,2}}\.{_YEAR})(?!\d)",
    re.IGNORECASE,
)
_SPANS = (
    re.compile(
        rf"\bс\s+\d{{1,2}}(?:\.\d{{1,2}}(?:\.{_YEAR})?|\s+(?:{_MONTH_NAMES}))"
        rf"(?:\s+{_YEAR}\s*(?:г\.|года?)?)?\s+по\s+\d{{1,2}}(?:\.\d{{1,2}}\.|\s+(?:{_MONTH_NAMES})\s+)"
        rf"\s*{_YEAR}(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:[1-4]|I{{1,3}}|IV)\s*(?:-?й\s+)?(?:квартал|полугоди)\w*\s+{_YEAR}", re.I),
    re.compile(rf"{_YEAR}\s*[-–—/]\s*{_YEAR}\s+учебн\w+\s+год\w*", re.IGNORECASE),
)
# Words before a day that make it the end of a span or a list of days.
_SPAN_BEFORE = re.compile(r"(?:\b(?:и|по|до)|\d\s*[,–—-])$", re.IGNORECASE)
_ISSUED = re.compile(r"(?:\bот|№|N)\s*«?$", re.IGNORECASE)
_DEADLINE_HOUR = re.compile(r"\bдо\s+\d{1,2}[.:]\d\d(?:\s*(?:час\w*|ч)\.?)?$", re.IGNORECASE)


def title_span(title: str) -> str | None:
    """The period a plan's title names finer than a year («с 21 января по 23 февраля 2022 г.»,
    «на 3 квартал 2021 года», «2022 - 2023 учебный год»): what «в течение месячника», «в
    течение квартала» in its rows mean. None when the title names none."""
    for pattern in _SPANS:
        found = pattern.search(title)
        if found:
            return found.group().strip()
    return None


def title_day(title: str) -> str | None:
    """The one day a plan's title names («Программа праздника /1 июня 2015 года/»): a
    one-day programme's rows that give only a time are on it. None when the title names no
    day or several, or only the date a document was issued («от 12 января 2026 г.»)."""
    days = set()
    for found in _DAY.finditer(title):
        before = title[: found.start()].rstrip()
        if _ISSUED.search(before) or _DEADLINE_HOUR.search(before):
            continue  # «от 12 января 2026 г.», «до 15.00 час. 11 февраля 2021 г.»
        if _SPAN_BEFORE.search(before):
            return None  # «24 и 25 июня 2023 года», «с 28 февраля по 3 марта»: several days
        days.add(found.group().lower())
    return days.pop() if len(days) == 1 else None


@dataclass(frozen=True, slots=True)
class PlanPeriod:
    year: int | None
    month: int | None = None  # a monthly plan's month
    school: bool = False  # a school year: September–December in `year`, January–August after
    # Two years in turn («Новогодние праздники 2019-2020 г.г.»): the plan runs from its first
    # row's month into the next year.
    two_years: bool = False


def plan_period(
    title: str, whens: Iterable[str] = (), titles: Iterable[str] = (), around: str = ""
) -> PlanPeriod:
    """The year a plan is for (and its month, and whether it is a school year), from its title,
    its rows' time frames and headings as written, and its rows' activities (a Victory
    anniversary). The title's own line («План …», «Программа …») is searched before the text
    around it (a lead paragraph's «в 1992 году» is history; `around` is that text, where an
    approval line may be)."""
    titles, whens = list(titles), list(whens)
    title = _HISTORY.sub(" ", title)
    named = _TITLE_LINE.search(title)
    if named and named.start() > 0:
        period = plan_period(title[named.start() :], whens, titles, title[: named.start()])
        if period.year is not None:
            return period
    school = _SCHOOL_YEAR.search(title)
    if school:
        return PlanPeriod(int(school.group(1)), None, True)
    month = _MONTH_YEAR.search(title)
    if month:
        return PlanPeriod(int(month.group(2)), _month(month.group(1)))
    alone = _MONTH_ALONE.search(title)
    month_number = _month(alone.group(1)) if alone else None
    new_year = _NEW_YEAR.search(title)
    if new_year and not _FOR_YEAR.search(title):
        # «к празднованию Нового 2018 года»: December 2017 and January 2018
        return PlanPeriod(int(new_year.group(1)) - 1, month_number, False, True)
    pair = _YEARS_RANGE.search(title)
    if (
        pair
        and pair.group(2)
        and int(pair.group(2)) == int(pair.group(1)) + 1
        and not _FOR_YEAR.search(title)  # «… на 2023 год» names its one year
    ):
        return PlanPeriod(int(pair.group(1)), month_number, False, True)
    approved = _APPROVED.search(title) or _APPROVED.search(around)
    year = _title_year(title) or _years_plan(whens, approved)
    year = year or _victory_year(title) or _anniversary_year(title)
    year = year or _rows_year(whens)
    year = year or next(filter(None, map(_victory_year, titles)), None)
    if year is None:
        approved = _APPROVED.search(title)
        if approved:
            year = int(approved.group(1) or approved.group(2))
    if year is None:
        recent = [int(found) for found in _ANY_YEAR.findall(title) if int(found) >= 1990]
        year = recent[0] if recent else None
    return PlanPeriod(year or _life_anniversary_year(titles) or _event_year(titles), month_number)


def _month(name: str) -> int | None:
    return MONTH_WORDS.get(name.lower())


def _title_year(title: str) -> int | None:
    """A year the title gives the plan, from 1990 on (an earlier one is history)."""
    for pattern in (_YEARS_RANGE, _FOR_YEAR, _BARE_YEAR):  # «на 2017 год» before «2016 г.»
        for found in pattern.finditer(title):
            year = int(found.group(1))
            if year >= 1990:
                return year
    return None


def _anniversary_year(title: str) -> int | None:
    """The year of an anniversary the plan marks, of an event whose year it writes («80-летию
    … Сталинградской битве в 1943 году»: 1943 + 80)."""
    found = _ANNIVERSARY.search(title)
    if found and 1 <= int(found.group(1)) <= 300:
        year = int(found.group(2)) + int(found.group(1))
        return year if 1990 <= year <= 2100 else None
    return None


def _victory_year(title: str) -> int | None:
    """The year of the Victory anniversary a plan marks («к 80-летию Победы»: 2025), not of one
    a street or square is named after («Площадь 30-летия Победы»), nor one before 1990."""
    for found in _VICTORY.finditer(title):
        if _PLACE_NAMED.search(title, max(0, found.start() - 20), found.start()):
            continue
        year = VICTORY_YEAR + int(found.group(1))
        if 1990 <= year <= 2100:
            return year
    return None


# «2014-2013 г.р.», «2010 года рождения»: who takes part, not when
_BIRTH_YEARS = re.compile(
    rf"{_YEAR}(?:\s*[-–—]\s*{_YEAR})?\s*(?:г\.\s?р\.?|гг?\.\s?р\.?|годов?\s+рождения|г\.\s*рожд)",
    re.IGNORECASE,
)


def _life_anniversary_year(titles: Iterable[str]) -> int | None:
    """The year most activities' anniversaries of people fall in («к 100-летию со д.р Б. Ш.
    Окуджавы (1924-1997)»: 2024), when nothing else gives one: a plan marks the anniversaries
    of its own year."""
    counts = Counter(
        int(found.group(2)) + int(found.group(1))
        for title in titles
        for found in _LIFE_ANNIVERSARY.finditer(title)
        if 1 <= int(found.group(1)) <= 300
    )
    years = [(count, year) for year, count in counts.items() if 1990 <= year <= 2100]
    return max(years)[1] if years else None


# «к 100-летию со д.р Б. Ш. Окуджавы (1924-1997)», «130 лет со дня рождения … (1894 – 1972)»
_LIFE_ANNIVERSARY = re.compile(
    r"(\d{1,3})\s*[-–]?\s*(?:лети\w*|лет)\b[^()]{0,120}?\(\s*(1[5-9]\d\d|20\d\d)\s*[-–—]",
    re.IGNORECASE,
)


def _event_year(titles: Iterable[str]) -> int | None:
    """The year most activities name as their event's («Семья года-2004», «Ретро Лыжня 2024»,
    «Сабантуй-2016»), when nothing else gives one: an event is named for the year it is held;
    the years its participants were born in («2014-2013 г.р.») are none of the plan's."""
    counts = Counter(
        int(found)
        for title in titles
        for found in _ANY_YEAR.findall(_BIRTH_YEARS.sub(" ", title))
        if 1990 <= int(found) <= 2100
    )
    return counts.most_common(1)[0][0] if counts else None


def _years_plan(whens: list[str], approved: re.Match[str] | None) -> int | None:
    """The year of a plan over several years whose rows give only years («2005 г.», «2004 -
    2005 гг.», «2013 2015 гг.»), one of them at least a span: a programme, of the year it was
    approved in when that is one of its years, else of its first (a Victory anniversary it
    prepares for comes later)."""
    cells = [text.strip() for text in whens if text.strip()]
    years = [found for text in cells if (found := _YEARS_CELL.fullmatch(text))]
    if not years or len(years) * 2 < len(cells) or not any(found.group(2) for found in years):
        return None
    first = min(int(found.group(1)) for found in years)
    last = max(int(found.group(2) or found.group(1)) for found in years)
    year = int(approved.group(1) or approved.group(2)) if approved else None
    return year if year is not None and first <= year <= last else first


# A cell of years only: «2005 г.», «2004 - 2005 гг.», «2013 2015 гг.», «2024–2026 годы»
_YEARS_CELL = re.compile(
    rf"{_YEAR}(?:\s*(?:[-–—]|\s)\s*{_YEAR})?\s*(?:гг?\.?|г\.\s*г\.?|годы?|год(?:а|ах))?\.?",
    re.IGNORECASE,
)


def _rows_year(whens: Iterable[str]) -> int | None:
    """The year most of the rows' dates write, two-digit years read as 20xx; the first year
    of rows that run from December into January."""
    counts: Counter[int] = Counter()
    months: set[tuple[int, int]] = set()  # (year, month) of the full numeric dates
    for text in whens:
        for match in _ROW_YEAR.finditer(text):
            written = match.group(2) or match.group(3)
            year = int(written) if len(written) == 4 else 2000 + int(written)
            if 1990 <= year <= 2100:
                counts[year] += 1
                if match.group(1):
                    months.add((year, int(match.group(1))))
    # A plan over the New Year (25.12.2007 – 14.01.2008) is of the year it starts in.
    turns = [year for year, month in months if month == 12 and (year + 1, 1) in months]
    if turns:
        return min(turns)
    return counts.most_common(1)[0][0] if counts else None

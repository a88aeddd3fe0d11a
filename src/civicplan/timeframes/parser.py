"""Reading Russian plan time frames: text -> tokens -> points -> one interval.

The reader is a small hand-written grammar rather than a list of whole-phrase patterns, so that
unseen combinations ("с 28 февраля по 3 марта", "I–II квартал 2025 г.", "весна-лето") work: each
side of a span is a *point* (a day, a month, a quarter, a season, a year…) that may borrow the
month or year it lacks from its neighbour, and the two points' bounds make the interval.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from civicplan.i18n import gettext as _
from civicplan.timeframes import lexicon as lx
from civicplan.timeframes.model import Timeframe, month_end

_DASHES = re.compile(r"[‐‑‒–—―−]")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_CURRENT_YEAR = re.compile(r"\bт\.\s?г\.?")
_ONCE_PER = re.compile(r"(?:\b1\s*|\bодин\s+)?\bраз\s+в\s+(недел\w*|месяц\w*|квартал\w*|год\w*)")
_ONCE_PER_WORDS = {
    "нед": "еженедельно",
    "мес": "ежемесячно",
    "ква": "ежеквартально",
    "год": "ежегодно",
}
_RECURRENCE_WORDS = {
    "weekly": "еженедельно",
    "monthly": "ежемесячно",
    "quarterly": "ежеквартально",
    "yearly": "ежегодно",
}
_TOKEN = re.compile(
    r"""
    (?P<iso>\d{4}-\d{1,2}-\d{1,2})(?!\d)
  | (?P<dmy>\d{1,2}(?P<dsep>[./-])\d{1,2}(?P=dsep)\d{2,4})(?!\d)
  | (?P<my>\d{1,2}[./]\d{4})(?!\d)
  | (?P<dm>\d{1,2}\.\d{1,2})(?![\d])
  | (?P<ordnum>\d{1,2})-?(?:го|ое|ый|ий|ой|ая|ья|ом|й|я|е|м)(?![а-яa-z])
  | (?P<num>\d+)
  | (?P<dash>[-/])
  | (?P<sep>[,;])
  | (?P<word>[а-яa-zі]+)
    """,
    re.VERBOSE,
)

_DAY_LIKE = frozenset(("day", "days", "decade"))
_YEAR_LIKE = frozenset(("year", "years"))


class _NotUnderstood(Exception):
    """A phrase that reads as a date but gives none: the message becomes the warning."""


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    value: object = None
    raw: str = ""


@dataclass(slots=True)
class _Point:
    """One end of a span, or a whole time frame: the fields the words set, all optional."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    unit: str | None = None  # quarter, half, decade
    index: int | None = None  # which quarter/half/decade
    part: int | None = None  # начало/середина/конец of a month: decade 1/2/3
    halfpart: int | None = None  # первая/вторая половина (of a month or a year)
    season: str | None = None
    academic: bool = False
    whole: bool = False  # "года", "весь период": the (default) year
    this_month: bool = False  # "месяца": the (default) month
    year_borrowed: str | None = None  # "right"/"left"/"default": where the year came from

    def is_empty(self) -> bool:
        return not (
            self.day
            or self.month
            or self.year
            or self.index
            or self.part
            or self.halfpart
            or self.season
            or self.academic
            or self.whole
            or self.this_month
        )


@dataclass(frozen=True, slots=True)
class _Interval:
    start: date
    end: date
    precision: str


def parse(
    text: str, default_year: int | None = None, default_month: int | None = None
) -> Timeframe:
    """Read a Russian time-frame phrase. Never raises: what is not understood becomes a warning.

    `default_year` (the plan's year) fills a phrase without a year; `default_month` fills a day
    without a month ("5 (четверг)" in a monthly plan).
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    normal = _normalise(text)
    if normal in lx.UNDATED_EXACT:
        return Timeframe(text=text)
    normal, asides = _take_asides(normal)
    tokens, ignored = _tokenise(normal)
    ignored = asides + ignored
    recurrence = _take_recurrence(tokens)
    try:
        interval, deadline = _read(tokens, default_year, default_month, recurrence)
    except _NotUnderstood as problem:
        if recurrence and default_year:
            # "ежеквартально, до 10 числа месяца, следующего за отчетным": the year still holds.
            return Timeframe(
                text=text,
                start=date(default_year, 1, 1),
                end=date(default_year, 12, 31),
                precision="year",
                recurrence=recurrence,
                warning=_("%(problem)s; прочитано только «%(recurrence)s»")
                % {"problem": problem, "recurrence": _RECURRENCE_WORDS[recurrence]},
            )
        return Timeframe(text=text, recurrence=recurrence, warning=str(problem))
    if interval is None:
        if ignored and not normal.startswith(lx.UNDATED_STARTS):
            warning = _("не распознано: «%(text)s»") % {"text": text.strip()}
            return Timeframe(text=text, recurrence=recurrence, warning=warning)
        return Timeframe(text=text, recurrence=recurrence)
    warning = _("проигнорировано: «%(words)s»") % {"words": " ".join(ignored)} if ignored else None
    return Timeframe(
        text=text,
        start=interval.start,
        end=interval.end,
        precision=interval.precision,
        recurrence=recurrence,
        deadline=deadline,
        warning=warning,
    )


def _normalise(text: str) -> str:
    text = _DASHES.sub("-", text.lower().replace("ё", "е"))
    if "т." in text:
        text = _CURRENT_YEAR.sub(" тг ", text)
    if "раз" in text:
        text = _ONCE_PER.sub(lambda m: f" {_ONCE_PER_WORDS[m.group(1)[:3]]} ", text)
    return _SPACES.sub(" ", text).strip().rstrip(".").strip()


def _take_asides(text: str) -> tuple[str, list[str]]:
    """Remove parenthesised remarks; a weekday "(четверг)" is dropped, anything else reported."""
    asides: list[str] = []
    if "(" not in text:
        return text, asides

    def aside(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        words = re.findall(r"[а-яa-z]+", inner)
        if not all(_is_weekday(word) or word in lx.FILLER_WORDS for word in words):
            asides.append(f"({inner})")
        return " "

    return _PARENTHESES.sub(aside, text), asides


def _is_weekday(word: str) -> bool:
    return word in lx.WEEKDAY_ABBREVIATIONS or word.startswith(lx.WEEKDAY_PREFIXES)


def _tokenise(text: str) -> tuple[list[_Token], list[str]]:
    tokens: list[_Token] = []
    ignored: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        raw = match.group(0)
        if kind == "word":
            token = _word_token(raw)
            if token is None:
                ignored.append(raw)
                continue
            tokens.append(token)
        elif kind == "iso":
            year, month, day = (int(part) for part in raw.split("-"))
            tokens.append(_Token("date", (day, month, year), raw))
        elif kind == "dmy":
            day, month, year = (int(part) for part in re.split(r"[./-]", raw))
            tokens.append(_Token("date", (day, month, year + 2000 if year < 100 else year), raw))
        elif kind == "my":
            month, year = (int(part) for part in re.split(r"[./]", raw))
            tokens.append(_Token("monthyear", (month, year), raw))
        elif kind == "dm":
            day, month = (int(part) for part in raw.split("."))
            tokens.append(_Token("date", (day, month, None), raw))
        elif kind == "ordnum":
            tokens.append(_Token("ordinal", int(match.group("ordnum")), raw))
        elif kind == "num":
            tokens.append(_Token("num", int(raw), raw))
        else:  # dash, sep
            tokens.append(_Token(kind, None, raw))
    return tokens, ignored


# Words listed exactly, by what they mean: (words, kind), where a dict gives each word's value
# and a set stands for words without one. The first table listing a word wins. Exact words are
# looked up before the prefixes below; no listed word starts with a weekday's prefix, so this is
# the order of the grammar.
_EXACT_WORDS: tuple[tuple[dict[str, object] | frozenset[str], str], ...] = (
    (lx.MONTH_WORDS, "month"),
    (lx.YEAR_WORDS, "yearword"),
    (lx.THIS_MONTH_WORDS, "monthword"),
    (lx.FILLER_WORDS | lx.CURRENT_YEAR_WORDS | lx.WEEKDAY_ABBREVIATIONS, "filler"),
    (lx.ORDINAL_WORDS, "ordinal"),
    (dict.fromkeys(lx.LAST_WORDS, 3), "ordinal"),  # "последняя декада"
    (lx.ROMAN_NUMERALS, "ordinal"),
    (lx.PART_WORDS, "part"),
    (lx.UNIT_WORDS, "unit"),
    (lx.SEASON_WORDS, "season"),
    (lx.BEFORE_WORDS, "before"),
    (lx.NOT_LATER_WORDS, "notlater"),
    (lx.FROM_WORDS, "from"),
    (lx.THROUGH_WORDS, "dash"),
    (lx.LIST_WORDS, "sep"),
    (lx.WHOLE_PERIOD_WORDS, "whole"),
)
# Words known by how they start, tried in this order when the exact form is not listed.
_PREFIXES: tuple[tuple[str, str, object], ...] = (
    *((prefix, "filler", None) for prefix in lx.WEEKDAY_PREFIXES),
    *((prefix, "unit", unit) for prefix, unit in lx.UNIT_PREFIXES),
    *((prefix, "season", season) for prefix, season in lx.SEASON_PREFIXES),
    *((prefix, "recurrence", recurrence) for prefix, recurrence in lx.RECURRENCE_PREFIXES),
    (lx.ACADEMIC_PREFIX, "academic", None),
)


def _meanings() -> dict[str, tuple[str, object]]:
    """Every exactly listed word -> (kind, value), built once: one dict lookup for a word
    instead of a membership test per table."""
    meanings: dict[str, tuple[str, object]] = {}
    for words, kind in _EXACT_WORDS:
        for word in words:
            value = words[word] if isinstance(words, dict) else None
            meanings.setdefault(word, (kind, value))
    return meanings


_MEANINGS = _meanings()


@functools.lru_cache(maxsize=4096)
def _word_token(word: str) -> _Token | None:
    """What one word means, or None for a word that is not part of a time frame."""
    meaning = _MEANINGS.get(word)
    if meaning is None:
        meaning = next(
            ((kind, value) for prefix, kind, value in _PREFIXES if word.startswith(prefix)), None
        )
    return None if meaning is None else _Token(meaning[0], meaning[1], word)


def _take_recurrence(tokens: list[_Token]) -> str | None:
    found = [token for token in tokens if token.kind == "recurrence"]
    for token in found:
        tokens.remove(token)
    return found[0].value if found else None  # type: ignore[return-value]


def _read(
    tokens: list[_Token],
    default_year: int | None,
    default_month: int | None,
    recurrence: str | None,
) -> tuple[_Interval | None, bool]:
    """The interval the tokens describe and whether it is a deadline."""
    meaningful = [token for token in tokens if token.kind not in ("filler", "sep", "dash")]
    if meaningful and meaningful[0].kind in ("before", "notlater"):
        inclusive = meaningful[0].kind == "notlater"
        rest = tokens[tokens.index(meaningful[0]) + 1 :]
        return _read_deadline(rest, inclusive, default_year, default_month), True
    opened = bool(meaningful) and meaningful[0].kind == "from"
    points, connectors = _points(tokens)
    if not points:
        if recurrence is None:
            return None, False
        points, connectors = [_Point(whole=True)], []
    _merge_year_pair(points, connectors)
    _share_fields(points, default_year, default_month)
    intervals = _resolve_all(points, connectors)
    if len(intervals) == 1 and opened:
        # "с 1 марта 2024 г.": from that day to the end of its year.
        only = intervals[0]
        year_end = date(only.start.year, 12, 31)
        if only.precision in _DAY_LIKE:
            until = _Interval(year_end, year_end, "day")
        else:
            until = _Interval(date(year_end.year, 12, 1), year_end, "month")
        return _combine([only, until]), False
    return _combine(intervals), False


def _read_deadline(
    tokens: list[_Token], inclusive: bool, default_year: int | None, default_month: int | None
) -> _Interval:
    """ "до 15 марта" ends on that day; "до марта" the day before March; "до конца марта" on 31."""
    until_end = any(token.kind == "part" and token.value == 3 for token in tokens)
    tokens = [token for token in tokens if token.kind != "part"]
    points, connectors = _points(tokens)
    if not points:
        raise _NotUnderstood(_("не указана дата срока"))
    _share_fields(points, default_year, default_month)
    point = _resolve_all(points, connectors)[-1]
    if point.precision in ("day", "days") or inclusive or until_end:
        end = point.end
    else:
        end = point.start - timedelta(days=1)
        if point.precision == "month":
            end = month_end(end.year, end.month)
    precision = {"days": "day", "months": "month", "years": "year"}.get(
        point.precision, point.precision
    )
    start_year = default_year if default_year and default_year <= end.year else end.year
    return _Interval(date(start_year, 1, 1), end, precision)


def _points(tokens: list[_Token]) -> tuple[list[_Point], list[str]]:
    """Group tokens into points, with the connector ("span" or "list") between each pair."""
    grouping = _Grouping()
    for position, token in enumerate(tokens):
        kind = token.kind
        read = _VALUE_READERS.get(kind)
        if read is not None:
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            read(grouping, token, following)
        elif kind in _CONNECTOR_OF:
            grouping.begin(_CONNECTOR_OF[kind])
        elif kind in _FLAG_OF:
            setattr(grouping.points[-1], _FLAG_OF[kind], True)
    return grouping.finish()


class _Grouping:
    """The points read so far, the connectors between them and an ordinal waiting for its unit
    ("I" in "I–II квартал"): what the token readers below share while `_points` runs."""

    __slots__ = ("connectors", "pending", "points")

    def __init__(self) -> None:
        self.points = [_Point()]
        self.connectors: list[str] = []
        self.pending: int | None = None

    def begin(self, connector: str) -> None:
        """Start the next point after `connector`, unless nothing has been said yet."""
        if self.points[-1].is_empty() and self.pending is None:
            return
        _close(self.points[-1], self.pending)
        self.pending = None
        self.points.append(_Point())
        self.connectors.append(connector)

    def next_in_list(self) -> _Point:
        """For a value the current point has already: the next point of a list begins, though
        no comma or "и" came between ("май июнь")."""
        self.begin("list")
        return self.points[-1]

    def finish(self) -> tuple[list[_Point], list[str]]:
        """The points that say something, each with the connector before it."""
        _close(self.points[-1], self.pending)
        points, connectors = self.points, self.connectors
        kept = [0] + [i + 1 for i in range(len(connectors))]
        pairs = [
            (points[i], connectors[i - 1] if i else "") for i in kept if not points[i].is_empty()
        ]
        return [point for point, _ in pairs], [connector for _, connector in pairs[1:]]

    # -- one reader per kind of token that carries a value ---------------------------------------

    def on_date(self, token: _Token, following: _Token | None) -> None:
        """ "28.02.2024", "28.02"; a second date right after one starts the next point."""
        point = self.points[-1]
        if point.day or point.month:
            point = self.next_in_list()
        point.day, point.month, year = token.value  # type: ignore[misc]
        if year is not None:
            point.year = year

    def on_month_year(self, token: _Token, following: _Token | None) -> None:
        """ "03.2025": a month and its year at once."""
        point = self.points[-1]
        if point.month:
            point = self.next_in_list()
        point.month, point.year = token.value  # type: ignore[misc]

    def on_number(self, token: _Token, following: _Token | None) -> None:
        """A year ("2024"), a count before its unit ("1-2 квартал") or a day ("5 марта")."""
        number = int(token.value)  # type: ignore[arg-type]
        point = self.points[-1]
        if len(token.raw) == 4 and 1000 <= number <= 2999:
            if point.year:
                point = self.next_in_list()
            point.year = number
        elif following is not None and following.kind == "unit":
            self.pending = number
        elif 1 <= number <= 31 and len(token.raw) <= 2:
            if point.day:
                point = self.next_in_list()
            point.day = number
        else:
            raise _NotUnderstood(_("не распознано число «%(number)s»") % {"number": token.raw})

    def on_ordinal(self, token: _Token, following: _Token | None) -> None:
        """A day before its month ("15-го марта"), otherwise the number of a unit to come."""
        number = int(token.value)  # type: ignore[arg-type]
        if following is not None and following.kind == "month" and token.raw[0].isdigit():
            self.points[-1].day = number
        else:
            self.pending = number

    def on_unit(self, token: _Token, following: _Token | None) -> None:
        """ "квартал", "декада", "половина": the waiting number says which one."""
        point = self.points[-1]
        if token.value == "halfpart":
            point.halfpart = self.pending
        else:
            point.unit, point.index = str(token.value), self.pending
        self.pending = None

    def on_part(self, token: _Token, following: _Token | None) -> None:
        """ "начало", "середина", "конец": a third of the month (a decade)."""
        self.points[-1].part = int(token.value)  # type: ignore[arg-type]

    def on_month(self, token: _Token, following: _Token | None) -> None:
        """ "марта"; a second month right after one starts the next point."""
        point = self.points[-1]
        if point.month:
            point = self.next_in_list()
        point.month = int(token.value)  # type: ignore[arg-type]

    def on_season(self, token: _Token, following: _Token | None) -> None:
        """ "весна", "летом"; a second season right after one starts the next point."""
        point = self.points[-1]
        if point.season:
            point = self.next_in_list()
        point.season = str(token.value)


# Tokens that separate points, by the connector they make.
_CONNECTOR_OF = {"dash": "span", "before": "span", "sep": "list"}
# Tokens that only set a flag of the current point, by the flag.
_FLAG_OF = {
    "yearword": "whole",
    "whole": "whole",
    "monthword": "this_month",
    "academic": "academic",
}
_VALUE_READERS = {
    "date": _Grouping.on_date,
    "monthyear": _Grouping.on_month_year,
    "num": _Grouping.on_number,
    "ordinal": _Grouping.on_ordinal,
    "unit": _Grouping.on_unit,
    "part": _Grouping.on_part,
    "month": _Grouping.on_month,
    "season": _Grouping.on_season,
}


def _close(point: _Point, pending: int | None) -> None:
    """An ordinal with no unit after it ("I" in "I–II квартал") waits for its neighbour's."""
    if pending is not None and point.index is None and point.unit is None:
        point.index = pending


def _share_fields(
    points: list[_Point], default_year: int | None, default_month: int | None
) -> None:
    """Fill what each point lacks from its neighbours, then from the defaults."""
    for left, right in zip(reversed(points[:-1]), reversed(points[1:]), strict=True):
        _borrow_from_right(left, right)
    for left, right in itertools.pairwise(points):
        if right.year is None and left.year is not None:
            right.year, right.year_borrowed = left.year, "left"
    for point in points:
        _fill_from_defaults(point, default_year, default_month)


def _borrow_from_right(left: _Point, right: _Point) -> None:
    """A start takes what only its end says: "1-2 кв.", "28 февраля – 3 марта 2024 г."."""
    if right.unit and left.day and not (left.month or left.index or left.year):
        left.day, left.index = None, left.day  # "1-2 кв.", "1-2 декада мая"
    if left.unit is None and left.index is not None:
        left.unit = right.unit
    if left.month is None and (left.day or left.part or left.unit == "decade"):
        left.month = right.month
    if left.month is None and left.halfpart and right.month:
        left.month = right.month
    if left.year is None and right.year is not None:
        left.year, left.year_borrowed = right.year, "right"


def _fill_from_defaults(point: _Point, default_year: int | None, default_month: int | None) -> None:
    """The plan's year for a point without one, and its month for a day or "месяца" without
    one; a phrase that needs a default it was not given is not understood."""
    if point.year is None:
        if default_year is None:
            raise _NotUnderstood(_("год не указан"))
        point.year, point.year_borrowed = default_year, "default"
    if (point.this_month or point.day) and point.month is None:
        if default_month is None:
            raise _NotUnderstood(_("месяц не указан"))
        point.month = default_month


def _merge_year_pair(points: list[_Point], connectors: list[str]) -> None:
    """ "2024–2025 учебный год" and "зима 2024–2025": two years that name one period."""
    if len(points) != 2:
        return
    left, right = points
    years_only = all(
        p.year and not (p.day or p.month or p.index or p.part or p.halfpart) for p in points
    )
    if not years_only or left.year is None or right.year is None:
        return
    if left.academic or right.academic:
        points[:], connectors[:] = [_Point(year=right.year, academic=True)], []
    elif "winter" in (left.season, right.season) and right.year == left.year + 1:
        points[:], connectors[:] = [_Point(year=right.year, season="winter")], []


def _resolve_all(points: list[_Point], connectors: list[str]) -> list[_Interval]:
    intervals = [_resolve(point) for point in points]
    # "декабрь – январь 2025 г.": a start that borrowed its year and lands after the end moves
    # to the year before; an end that borrowed its year from the start moves to the year after.
    for i, connector in enumerate(connectors):
        if connector != "span" or intervals[i].start <= intervals[i + 1].end:
            continue
        left, right = points[i], points[i + 1]
        if left.year_borrowed == "right" and left.year is not None:
            left.year -= 1
            intervals[i] = _resolve(left)
        elif right.year_borrowed in ("left", "default") and right.year is not None:
            right.year += 1
            intervals[i + 1] = _resolve(right)
        if intervals[i].start > intervals[i + 1].end:
            raise _NotUnderstood(_("начало позже конца"))
    return intervals


def _resolve(point: _Point) -> _Interval:
    """The interval of one point: a day, a part of a month, a month, or a longer period."""
    year = point.year
    assert year is not None  # _share_fields filled it or raised
    month = point.month
    if point.day:
        return _resolve_day(point.day, month, year)
    if month is not None and not 1 <= month <= 12:
        raise _NotUnderstood(_("несуществующий месяц: %(month)s") % {"month": month})
    if point.halfpart:
        return _resolve_halfpart(point.halfpart, month, year)
    if point.part or point.unit == "decade":
        return _resolve_decade(point, month, year)
    if month is not None:
        return _Interval(date(year, month, 1), month_end(year, month), "month")
    return _resolve_period(point, year)


def _resolve_day(day: int, month: int | None, year: int) -> _Interval:
    """A day must have a month and exist ("31 июня" does not)."""
    if month is None:
        raise _NotUnderstood(_("месяц не указан"))
    try:
        found = date(year, month, day)
    except ValueError:
        raise _NotUnderstood(
            _("несуществующая дата: %(day)02d.%(month)02d.%(year)s")
            % {"day": day, "month": month, "year": year}
        ) from None
    return _Interval(found, found, "day")


def _resolve_halfpart(half: int, month: int | None, year: int) -> _Interval:
    """ "первая половина мая" is 1–15 May; without a month the half is of the year."""
    if half not in (1, 2):
        raise _NotUnderstood(_("половина может быть только первой или второй"))
    if month is None:
        return _half_year(year, half)
    if half == 1:
        return _Interval(date(year, month, 1), date(year, month, 15), "days")
    return _Interval(date(year, month, 16), month_end(year, month), "days")


def _resolve_decade(point: _Point, month: int | None, year: int) -> _Interval:
    """ "начало марта", "II декада мая": days 1–10, 11–20 or 21 to the month's end."""
    decade = point.part or (point.index if point.unit == "decade" else None)
    if month is None:
        raise _NotUnderstood(_("не указан месяц декады"))
    if decade not in (1, 2, 3):
        raise _NotUnderstood(_("декада может быть только I, II или III"))
    first = date(year, month, 1 + 10 * (decade - 1))
    last = month_end(year, month) if decade == 3 else date(year, month, 10 * decade)
    return _Interval(first, last, "decade")


def _resolve_period(point: _Point, year: int) -> _Interval:
    """A point without a month: a quarter, a half-year, a season, an academic year or the year."""
    if point.unit == "quarter":
        if point.index not in (1, 2, 3, 4):
            raise _NotUnderstood(_("квартал может быть только I–IV"))
        first_month = 3 * point.index - 2
        return _Interval(date(year, first_month, 1), month_end(year, first_month + 2), "quarter")
    if point.unit == "half":
        if point.index not in (1, 2):
            raise _NotUnderstood(_("полугодие может быть только первым или вторым"))
        return _half_year(year, point.index)
    if point.index is not None:
        raise _NotUnderstood(
            _("не понятно, к чему относится номер %(number)s") % {"number": point.index}
        )
    if point.season:
        return _season(point.season, year)
    if point.academic:
        return _Interval(date(year - 1, 9, 1), date(year, 5, 31), "months")
    return _Interval(date(year, 1, 1), date(year, 12, 31), "year")


def _season(season: str, year: int) -> _Interval:
    """A season of the year; winter is the one that ends in it (December of the year before)."""
    if season == "winter":
        return _Interval(date(year - 1, 12, 1), month_end(year, 2), "season")
    first_month, last_month = lx.SEASON_MONTHS[season]
    return _Interval(date(year, first_month, 1), month_end(year, last_month), "season")


def _half_year(year: int, half: int) -> _Interval:
    if half == 1:
        return _Interval(date(year, 1, 1), date(year, 6, 30), "half")
    return _Interval(date(year, 7, 1), date(year, 12, 31), "half")


def _combine(intervals: list[_Interval]) -> _Interval:
    """One interval from several points: from the earliest start to the latest end."""
    if len(intervals) == 1:
        return intervals[0]
    start = min(interval.start for interval in intervals)
    end = max(interval.end for interval in intervals)
    precisions = {interval.precision for interval in intervals}
    if precisions <= _YEAR_LIKE:
        precision = "year" if start.year == end.year else "years"
    elif precisions & _DAY_LIKE:
        precision = "day" if start == end else "days"
    else:
        same_month = (start.year, start.month) == (end.year, end.month)
        precision = "month" if same_month else "months"
    return _Interval(start, end, precision)

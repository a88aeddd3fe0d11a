"""Writing a Timeframe back as text, in the plan's own Russian style or in English."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from civicplan.timeframes.lexicon import MONTHS_EN, MONTHS_GENITIVE, MONTHS_NOMINATIVE
from civicplan.timeframes.model import Timeframe

_ROMAN = ("I", "II", "III", "IV")
_SEASONS_RU_GENITIVE = {3: "весны", 6: "лета", 9: "осени", 12: "зимы"}
_HALVES_RU_GENITIVE = ("первого полугодия", "второго полугодия")
_RECURRENCE_RU = {
    "weekly": "Еженедельно",
    "monthly": "Ежемесячно",
    "quarterly": "Ежеквартально",
    "yearly": "Ежегодно",
}
_RECURRENCE_EN = {
    "weekly": "Weekly",
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "yearly": "Yearly",
}
_UNKNOWN = {"ru": "Дата уточняется", "en": "Date to be confirmed"}


@dataclass(frozen=True, slots=True)
class _Words:
    """What the Russian and the English text of an interval differ in: the words and the year's
    form. The shapes (a day, a span of days or months, a period and its year) are the same."""

    months: tuple[str, ...]  # a month standing alone, capitalised at the start: "Май", "May"
    day_months: tuple[str, ...]  # a month after its day: "5 мая", "5 May"
    dash: str  # between two days or two months of one year
    year: str  # "2025 г.", "2025"
    years: str  # "2024–2025 гг."
    whole_year: str  # "В течение 2025 г."
    quarters: tuple[str, ...]
    halves: tuple[str, ...]
    seasons: dict[int, str]  # by the season's first month
    decades: tuple[str, ...] | None  # None: a decade is written as its days


_RU = _Words(
    months=MONTHS_NOMINATIVE,
    day_months=MONTHS_GENITIVE,
    dash="-",
    year="{} г.",
    years="{}–{} гг.",
    whole_year="В течение {} г.",
    quarters=tuple(f"{roman} квартал" for roman in _ROMAN),
    halves=("Первое полугодие", "Второе полугодие"),
    seasons={3: "Весна", 6: "Лето", 9: "Осень", 12: "Зима"},
    decades=tuple(f"{roman} декада" for roman in _ROMAN),
)
_EN = _Words(
    months=MONTHS_EN,
    day_months=MONTHS_EN,
    dash="–",
    year="{}",
    years="{}–{}",
    whole_year="{}",
    quarters=("Q1", "Q2", "Q3", "Q4"),
    halves=("H1", "H2"),
    seasons={3: "Spring", 6: "Summer", 9: "Autumn", 12: "Winter"},
    decades=None,
)


def format(tf: Timeframe, lang: str = "ru") -> str:
    """The canonical text of a time frame; `parse(format(tf))` reads back the same dates and
    times. Times of day follow the dates after a comma ("15 марта 2026 г., 10:00–12:00"); a
    phrase with times and no date is just the times ("10:00–12:00")."""
    if lang not in ("ru", "en"):
        raise ValueError(f"unsupported language: {lang!r}")
    recurrences = _RECURRENCE_RU if lang == "ru" else _RECURRENCE_EN
    recurrence = recurrences.get(tf.recurrence or "")
    clock = _clock(tf, lang) if tf.start_time or tf.end_time else ""
    if tf.start is None or tf.end is None:
        if clock:
            return f"{recurrence}, {clock}" if recurrence else clock[:1].upper() + clock[1:]
        return recurrence or _UNKNOWN[lang]
    if lang == "ru":
        body = _deadline_ru(tf) if tf.deadline else _interval(tf.start, tf.end, tf.precision, _RU)
        if recurrence:
            body = f"{recurrence}, {_lower_first(body)}"
    else:
        body = _deadline_en(tf) if tf.deadline else _interval(tf.start, tf.end, tf.precision, _EN)
        if recurrence:
            body = f"{recurrence}, {body}"
    return f"{body}, {clock}" if clock else body


def _clock(tf: Timeframe, lang: str) -> str:
    """ "10:00–12:00", "10:00", "до 14:00" / "until 14:00". After a deadline a lone time is its
    hour ("До 15 марта 2026 г., 18:00"), so a lone start time says "с" / "from" there."""
    start, end = tf.start_time, tf.end_time
    if start is not None and end is not None:
        return f"{_hh_mm(start)}–{_hh_mm(end)}"
    if start is not None:
        if tf.deadline and tf.start is not None:
            return ("с " if lang == "ru" else "from ") + _hh_mm(start)
        return _hh_mm(start)
    assert end is not None
    if tf.deadline and tf.start is not None:
        return _hh_mm(end)
    return ("до " if lang == "ru" else "until ") + _hh_mm(end)


def _hh_mm(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _interval(start: date, end: date, precision: str, words: _Words) -> str:
    """The interval in the language of `words`: most precisions are a named period and its
    year ("Май 2025 г.", "Q1 2025"); the others have shapes of their own."""
    name = _PERIOD_NAMES.get(precision)
    if name is not None:
        return f"{name(start, words)} {words.year.format(start.year)}"
    return _SHAPES.get(precision, _days)(start, end, words)


def _day(day: date, words: _Words) -> str:
    return f"{day.day} {words.day_months[day.month - 1]}"


def _months(start: date, end: date, words: _Words) -> str:
    """ "Май-июнь 2025 г."; across a new year each month keeps its own year."""
    first = words.months[start.month - 1].capitalize()
    last = words.months[end.month - 1]
    if start.year == end.year:
        return f"{first}{words.dash}{last} {words.year.format(start.year)}"
    return f"{first} {words.year.format(start.year)} – {last} {words.year.format(end.year)}"


def _decade(start: date, end: date, words: _Words) -> str:
    """ "II декада мая 2025 г."; a language without decades names the days."""
    if words.decades is None:
        return _days(start, end, words)
    decade = words.decades[(start.day - 1) // 10]
    return f"{decade} {words.day_months[start.month - 1]} {words.year.format(start.year)}"


def _season(start: date, end: date, words: _Words) -> str:
    """ "Весна 2025 г."; winter spans two years and names both."""
    if start.month == 12:
        return f"{words.seasons[12]} {words.years.format(start.year, end.year)}"
    return f"{words.seasons[start.month]} {words.year.format(start.year)}"


def _days(start: date, end: date, words: _Words) -> str:
    """ "4-5 апреля 2025 г."; a span across months or years names each end's month or year."""
    if start.year != end.year:
        return (
            f"{_day(start, words)} {words.year.format(start.year)} – "
            f"{_day(end, words)} {words.year.format(end.year)}"
        )
    if start.month != end.month:
        return f"{_day(start, words)} – {_day(end, words)} {words.year.format(start.year)}"
    month = words.day_months[start.month - 1]
    return f"{start.day}{words.dash}{end.day} {month} {words.year.format(start.year)}"


# Precisions written as the name of the period and its year: "5 мая", "Май", "I квартал",
# "Первое полугодие" + "2025 г.".
_PERIOD_NAMES: dict[str, Callable[[date, _Words], str]] = {
    "day": _day,
    "month": lambda start, words: words.months[start.month - 1].capitalize(),
    "quarter": lambda start, words: words.quarters[(start.month - 1) // 3],
    "half": lambda start, words: words.halves[start.month // 7],
}
# The other precisions' shapes; "days", and anything unforeseen, is written as days.
_SHAPES: dict[str, Callable[[date, date, _Words], str]] = {
    "months": _months,
    "decade": _decade,
    "season": _season,
    "year": lambda start, end, words: words.whole_year.format(start.year),
    "years": lambda start, end, words: words.years.format(start.year, end.year),
}


def _deadline_ru(tf: Timeframe) -> str:
    end = tf.end
    assert end is not None
    if tf.precision == "month":
        return f"До конца {MONTHS_GENITIVE[end.month - 1]} {end.year} г."
    if tf.precision == "decade":
        decade = _ROMAN[(end.day - 1) // 10]
        return f"До конца {decade} декады {MONTHS_GENITIVE[end.month - 1]} {end.year} г."
    if tf.precision == "quarter":
        return f"До конца {_ROMAN[(end.month - 1) // 3]} квартала {end.year} г."
    if tf.precision == "half":
        return f"До конца {_HALVES_RU_GENITIVE[end.month // 7]} {end.year} г."
    if tf.precision == "season":
        return f"До конца {_SEASONS_RU_GENITIVE[_season_start_month(end)]} {end.year} г."
    if tf.precision in ("year", "years"):
        return f"До конца {end.year} г."
    return f"До {_interval(end, end, 'day', _RU)}"


def _season_start_month(end: date) -> int:
    return {5: 3, 8: 6, 11: 9, 2: 12}[end.month]


def _deadline_en(tf: Timeframe) -> str:
    end = tf.end
    assert end is not None
    if tf.precision == "day":
        return f"By {_interval(end, end, 'day', _EN)}"
    return f"By the end of {_interval(*_period_of(end, tf.precision), _EN)}"


def _period_of(end: date, precision: str) -> tuple[date, date, str]:
    """The period a coarse deadline closes ("the end of March 2025"), for its English name."""
    if precision == "month":
        return date(end.year, end.month, 1), end, "month"
    if precision == "decade":
        return date(end.year, end.month, (end.day - 1) // 10 * 10 + 1), end, "days"
    if precision == "quarter":
        return date(end.year, end.month - 2, 1), end, "quarter"
    if precision == "half":
        return date(end.year, end.month - 5, 1), end, "half"
    if precision == "season":
        first = _season_start_month(end)
        return date(end.year - (first == 12), first, 1), end, "season"
    return date(end.year, 1, 1), end, "year"

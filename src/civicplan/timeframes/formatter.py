"""Writing a Timeframe back as text, in the plan's own Russian style or in English."""

from __future__ import annotations

from datetime import date

from civicplan.timeframes.lexicon import MONTHS_EN, MONTHS_GENITIVE, MONTHS_NOMINATIVE
from civicplan.timeframes.model import Timeframe

_ROMAN = ("I", "II", "III", "IV")
_SEASONS_RU = {3: "Весна", 6: "Лето", 9: "Осень", 12: "Зима"}
_SEASONS_RU_GENITIVE = {3: "весны", 6: "лета", 9: "осени", 12: "зимы"}
_SEASONS_EN = {3: "Spring", 6: "Summer", 9: "Autumn", 12: "Winter"}
_HALVES_RU = ("Первое полугодие", "Второе полугодие")
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


def format(tf: Timeframe, lang: str = "ru") -> str:
    """The canonical text of a time frame; `parse(format(tf))` reads back the same dates."""
    if lang not in ("ru", "en"):
        raise ValueError(f"unsupported language: {lang!r}")
    if tf.start is None or tf.end is None:
        body = _UNKNOWN[lang]
        recurrence = (_RECURRENCE_RU if lang == "ru" else _RECURRENCE_EN).get(tf.recurrence or "")
        return recurrence or body
    if lang == "ru":
        body = _deadline_ru(tf) if tf.deadline else _interval_ru(tf.start, tf.end, tf.precision)
        if tf.recurrence:
            return f"{_RECURRENCE_RU[tf.recurrence]}, {_lower_first(body)}"
        return body
    body = _deadline_en(tf) if tf.deadline else _interval_en(tf.start, tf.end, tf.precision)
    if tf.recurrence:
        return f"{_RECURRENCE_EN[tf.recurrence]}, {body}"
    return body


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _day_ru(day: date) -> str:
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]}"


def _interval_ru(start: date, end: date, precision: str) -> str:
    year = start.year
    if precision == "day":
        return f"{_day_ru(start)} {year} г."
    if precision == "month":
        return f"{MONTHS_NOMINATIVE[start.month - 1].capitalize()} {year} г."
    if precision == "months":
        first = MONTHS_NOMINATIVE[start.month - 1].capitalize()
        last = MONTHS_NOMINATIVE[end.month - 1]
        if start.year == end.year:
            return f"{first}-{last} {year} г."
        return f"{first} {year} г. – {last} {end.year} г."
    if precision == "decade":
        return (
            f"{_ROMAN[(start.day - 1) // 10]} декада {MONTHS_GENITIVE[start.month - 1]} {year} г."
        )
    if precision == "quarter":
        return f"{_ROMAN[(start.month - 1) // 3]} квартал {year} г."
    if precision == "half":
        return f"{_HALVES_RU[start.month // 7]} {year} г."
    if precision == "season":
        if start.month == 12:
            return f"Зима {start.year}–{end.year} гг."
        return f"{_SEASONS_RU[start.month]} {year} г."
    if precision == "year":
        return f"В течение {year} г."
    if precision == "years":
        return f"{start.year}–{end.year} гг."
    # days
    if start.year != end.year:
        return f"{_day_ru(start)} {start.year} г. – {_day_ru(end)} {end.year} г."
    if start.month != end.month:
        return f"{_day_ru(start)} – {_day_ru(end)} {year} г."
    return f"{start.day}-{end.day} {MONTHS_GENITIVE[start.month - 1]} {year} г."


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
    return f"До {_day_ru(end)} {end.year} г."


def _season_start_month(end: date) -> int:
    return {5: 3, 8: 6, 11: 9, 2: 12}[end.month]


def _day_en(day: date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]}"


def _interval_en(start: date, end: date, precision: str) -> str:
    year = start.year
    if precision == "day":
        return f"{_day_en(start)} {year}"
    if precision == "month":
        return f"{MONTHS_EN[start.month - 1]} {year}"
    if precision == "months":
        if start.year == end.year:
            return f"{MONTHS_EN[start.month - 1]}–{MONTHS_EN[end.month - 1]} {year}"
        return f"{MONTHS_EN[start.month - 1]} {year} – {MONTHS_EN[end.month - 1]} {end.year}"
    if precision == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {year}"
    if precision == "half":
        return f"H{start.month // 7 + 1} {year}"
    if precision == "season":
        if start.month == 12:
            return f"Winter {start.year}–{end.year}"
        return f"{_SEASONS_EN[start.month]} {year}"
    if precision == "year":
        return str(year)
    if precision == "years":
        return f"{start.year}–{end.year}"
    # days and decades
    if start.year != end.year:
        return f"{_day_en(start)} {start.year} – {_day_en(end)} {end.year}"
    if start.month != end.month:
        return f"{_day_en(start)} – {_day_en(end)} {year}"
    return f"{start.day}–{end.day} {MONTHS_EN[start.month - 1]} {year}"


def _deadline_en(tf: Timeframe) -> str:
    end = tf.end
    assert end is not None
    if tf.precision == "day":
        return f"By {_day_en(end)} {end.year}"
    return f"By the end of {_interval_en(*_period_of(end, tf.precision))}"


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

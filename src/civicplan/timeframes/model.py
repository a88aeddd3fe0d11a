"""The Timeframe value: what a plan's «Сроки» cell means, as dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

PRECISIONS = (
    "day",
    "days",
    "month",
    "months",
    "decade",
    "quarter",
    "half",
    "season",
    "year",
    "years",
    "unknown",
)
RECURRENCES = ("weekly", "monthly", "quarterly", "yearly")


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_end(year: int, month: int) -> date:
    """The last day of a month (ValueError for a month that does not exist)."""
    if not 1 <= month <= 12:
        raise ValueError(f"bad month number {month}; must be 1-12")
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return date(year, 2, 29)
    return date(year, month, _MONTH_DAYS[month - 1])


@dataclass(frozen=True, slots=True)
class Timeframe:
    """A time frame read from text: the earliest and latest day it allows, and how coarse it is.

    `start`/`end` are inclusive and both None when the phrase gives no date. `precision` is the
    granularity of that interval, so a month stays a month rather than becoming its first day.
    `start_time`/`end_time` are the times of day the phrase gives ("15.03.2026 10:00-12:00"),
    naive local times (the plan's time zone is applied by its user); either may be None, and
    they are kept even when the phrase gives no date ("16.00-16.45"). A time never changes the
    dates or the precision.
    """

    text: str
    start: date | None = None
    end: date | None = None
    precision: str = "unknown"
    recurrence: str | None = None
    deadline: bool = False
    warning: str | None = None
    start_time: time | None = None
    end_time: time | None = None

    @property
    def edtf(self) -> str | None:
        """The interval in EDTF; every value parses with the `edtf` package to start..end."""
        start, end = self.start, self.end
        if start is None or end is None:
            return None
        if self.deadline:
            return _edtf_days(start, end)
        return _EDTF.get(self.precision, _edtf_days)(start, end)

    def interval_dict(self) -> dict[str, object]:
        """The text and the interval (ISO dates, times as "HH:MM", None where absent) as the
        JSON forms write them: the start of `as_dict` and of a plan's JSON (`plandoc.jsonio`)."""
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "start_time": _hh_mm(self.start_time),
            "end_time": _hh_mm(self.end_time),
        }

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the CLI and the exports (ISO dates, None where absent)."""
        from civicplan.timeframes.formatter import format as format_timeframe

        return {
            **self.interval_dict(),
            "recurrence": self.recurrence,
            "deadline": self.deadline,
            "edtf": self.edtf,
            "display": format_timeframe(self, "ru"),
            "warning": self.warning,
        }


# The slots of Timeframe, set directly: what its generated __init__ does (a frozen dataclass sets
# each field through object.__setattr__), at half the cost, for the parser's hot path.
_NEW = object.__new__
(
    _SET_TEXT,
    _SET_START,
    _SET_END,
    _SET_PRECISION,
    _SET_RECURRENCE,
    _SET_DEADLINE,
    _SET_WARNING,
    _SET_START_TIME,
    _SET_END_TIME,
) = (
    Timeframe.__dict__[name].__set__
    for name in (
        "text",
        "start",
        "end",
        "precision",
        "recurrence",
        "deadline",
        "warning",
        "start_time",
        "end_time",
    )
)


def make_timeframe(
    text: str,
    start: date | None,
    end: date | None,
    precision: str,
    recurrence: str | None,
    deadline: bool,
    warning: str | None,
    start_time: time | None,
    end_time: time | None,
) -> Timeframe:
    """`Timeframe(...)` with every field given in order, built faster (the parser makes one
    for every cell of every plan)."""
    tf = _NEW(Timeframe)
    _SET_TEXT(tf, text)
    _SET_START(tf, start)
    _SET_END(tf, end)
    _SET_PRECISION(tf, precision)
    _SET_RECURRENCE(tf, recurrence)
    _SET_DEADLINE(tf, deadline)
    _SET_WARNING(tf, warning)
    _SET_START_TIME(tf, start_time)
    _SET_END_TIME(tf, end_time)
    return tf


def _hh_mm(moment: time | None) -> str | None:
    return None if moment is None else f"{moment.hour:02d}:{moment.minute:02d}"


def _edtf_days(start: date, end: date) -> str:
    """Any interval as its days: what a deadline, a span of days and a decade are in EDTF."""
    return f"{start.isoformat()}/{end.isoformat()}"


def _edtf_season(start: date, end: date) -> str:
    """EDTF's season codes (21–24) name a season within one year; winter spans two, so it is
    written as its months."""
    if start.year == end.year:
        return f"{start.year:04d}-{21 + (start.month - 3) // 3}"
    return _edtf_months(start, end)


def _edtf_months(start: date, end: date) -> str:
    return f"{start.year:04d}-{start.month:02d}/{end.year:04d}-{end.month:02d}"


# EDTF of each precision that has a shorter form than its days; quarters and halves are EDTF's
# sub-year groupings 33–36 and 40–41.
_EDTF: dict[str, Callable[[date, date], str]] = {
    "day": lambda start, end: start.isoformat(),
    "month": lambda start, end: f"{start.year:04d}-{start.month:02d}",
    "year": lambda start, end: f"{start.year:04d}",
    "years": lambda start, end: f"{start.year:04d}/{end.year:04d}",
    "quarter": lambda start, end: f"{start.year:04d}-{33 + (start.month - 1) // 3}",
    "half": lambda start, end: f"{start.year:04d}-{40 if start.month == 1 else 41}",
    "season": _edtf_season,
    "months": _edtf_months,
}

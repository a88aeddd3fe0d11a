"""The Timeframe value: what a plan's «Сроки» cell means, as dates."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True)
class Timeframe:
    """A time frame read from text: the earliest and latest day it allows, and how coarse it is.

    `start`/`end` are inclusive and both None when the phrase gives no date. `precision` is the
    granularity of that interval, so a month stays a month rather than becoming its first day.
    """

    text: str
    start: date | None = None
    end: date | None = None
    precision: str = "unknown"
    recurrence: str | None = None
    deadline: bool = False
    warning: str | None = None

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
        """The text and the interval (ISO dates, None where absent) as the JSON forms write them:
        the start of `as_dict` and of a plan's JSON (`plandoc.jsonio`)."""
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
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

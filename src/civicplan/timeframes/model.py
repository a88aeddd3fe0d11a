"""The Timeframe value: what a plan's «Сроки» cell means, as dates."""

from __future__ import annotations

import calendar
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
        precision = self.precision
        if self.deadline:
            return f"{start.isoformat()}/{end.isoformat()}"
        if precision == "day":
            return start.isoformat()
        if precision == "month":
            return f"{start.year:04d}-{start.month:02d}"
        if precision == "year":
            return f"{start.year:04d}"
        if precision == "years":
            return f"{start.year:04d}/{end.year:04d}"
        if precision == "quarter":
            return f"{start.year:04d}-{33 + (start.month - 1) // 3}"
        if precision == "half":
            return f"{start.year:04d}-{40 if start.month == 1 else 41}"
        if precision == "season" and start.year == end.year:
            return f"{start.year:04d}-{21 + (start.month - 3) // 3}"
        if precision in ("months", "season"):
            return f"{start.year:04d}-{start.month:02d}/{end.year:04d}-{end.month:02d}"
        return f"{start.isoformat()}/{end.isoformat()}"

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the CLI and the exports (ISO dates, None where absent)."""
        from civicplan.timeframes.formatter import format as format_timeframe

        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "recurrence": self.recurrence,
            "deadline": self.deadline,
            "edtf": self.edtf,
            "display": format_timeframe(self, "ru"),
            "warning": self.warning,
        }

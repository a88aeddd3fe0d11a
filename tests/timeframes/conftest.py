"""Shared helpers for the time-frame tests: the phrase table and the EDTF cross-check."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from datetime import time as time_of_day
from pathlib import Path

import edtf

TABLE = Path(__file__).with_name("phrases.tsv")


@dataclass(frozen=True)
class Row:
    phrase: str
    default_year: int | None
    start: date | None
    end: date | None
    precision: str
    recurrence: str | None
    deadline: bool
    start_time: time_of_day | None = None
    end_time: time_of_day | None = None

    def __str__(self) -> str:
        return f"{self.phrase!r}@{self.default_year}"


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _time(value: str) -> time_of_day | None:
    return time_of_day.fromisoformat(value) if value else None


def load_table() -> list[Row]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines()[1:]:
        if not line or line.startswith("#"):
            continue
        phrase, year, start, end, precision, recurrence, deadline, start_time, end_time = (
            line.split("\t")
        )
        rows.append(
            Row(
                phrase,
                int(year) if year else None,
                _date(start),
                _date(end),
                precision,
                recurrence or None,
                deadline == "1",
                _time(start_time),
                _time(end_time),
            )
        )
    return rows


def edtf_bounds(value: str) -> tuple[date, date]:
    """The earliest and latest day the `edtf` package reads from an EDTF string."""
    parsed = edtf.parse_edtf(value)
    lower, upper = parsed.lower_strict(), parsed.upper_strict()
    return (
        date(*time.struct_time(lower)[:3]),
        date(*time.struct_time(upper)[:3]),
    )

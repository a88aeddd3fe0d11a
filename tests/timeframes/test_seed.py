"""Every «Сроки» cell of the 2024 plan reads to the expected start, end and precision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicplan.timeframes import parse

EXPECTED = Path(__file__).parents[1] / "data" / "plan-2024.expected.json"
CELLS = sorted(
    {
        (a["when"]["text"], a["when"]["start"], a["when"]["end"], a["when"]["precision"])
        for a in json.loads(EXPECTED.read_text(encoding="utf-8"))["activities"]
    }
)


def test_the_seed_has_its_24_distinct_time_frames() -> None:
    assert len(CELLS) == 24


@pytest.mark.parametrize(("text", "start", "end", "precision"), CELLS)
def test_seed_cell(text: str, start: str, end: str, precision: str) -> None:
    for default_year in (None, 2024):
        tf = parse(text, default_year=default_year)
        assert (tf.start.isoformat(), tf.end.isoformat(), tf.precision) == (start, end, precision)
        assert (tf.start_time, tf.end_time, tf.warning) == (None, None, None)

"""The phrase table: every form of Russian time frame with its expected reading."""

from __future__ import annotations

from collections import Counter

import pytest

from civicplan.timeframes import PRECISIONS, format, parse
from tests.timeframes.conftest import Row, edtf_bounds, load_table

ROWS = load_table()


def test_table_is_large_and_covers_every_precision_and_recurrence() -> None:
    assert len(ROWS) >= 200
    assert sum(row.start_time is not None or row.end_time is not None for row in ROWS) >= 40
    assert len({(row.phrase, row.default_year) for row in ROWS}) == len(ROWS)
    counts = Counter(row.precision for row in ROWS)
    assert set(counts) == set(PRECISIONS), counts
    assert {row.recurrence for row in ROWS} >= {"weekly", "monthly", "quarterly", "yearly"}
    assert any(row.deadline for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_phrase_reads_as_expected(row: Row) -> None:
    tf = parse(row.phrase, default_year=row.default_year)
    assert (tf.start, tf.end, tf.precision, tf.recurrence, tf.deadline) == (
        row.start,
        row.end,
        row.precision,
        row.recurrence,
        row.deadline,
    ), tf.warning
    assert (tf.start_time, tf.end_time) == (row.start_time, row.end_time), tf.warning


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_edtf_has_the_same_bounds(row: Row) -> None:
    tf = parse(row.phrase, default_year=row.default_year)
    if tf.start is None:
        assert tf.edtf is None
    else:
        assert edtf_bounds(tf.edtf) == (tf.start, tf.end)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_canonical_text_reads_back_the_same(row: Row) -> None:
    tf = parse(row.phrase, default_year=row.default_year)
    again = parse(format(tf), default_year=row.default_year if tf.deadline else None)
    assert (again.start, again.end, again.precision, again.recurrence) == (
        tf.start,
        tf.end,
        tf.precision,
        tf.recurrence,
    ), format(tf)
    assert (again.start_time, again.end_time) == (tf.start_time, tf.end_time), format(tf)
    assert format(tf, lang="en")

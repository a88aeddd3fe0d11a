"""Benchmark: civicplan.timeframes against dateparser on the phrase table of the tests.

Prints phrases per second and the share of phrases whose whole start..end interval is right,
for both readers on the same phrases in the same run, and the throughput ratio.
Target (issue 2): every phrase right, at least 50 times dateparser's throughput.
"""

from __future__ import annotations

import time
import warnings
from datetime import date, datetime

from civicplan.timeframes import parse
from tests.timeframes.conftest import Row, load_table

ROUNDS = 50


def civicplan_interval(row: Row) -> tuple[date | None, date | None]:
    tf = parse(row.phrase, default_year=row.default_year)
    return tf.start, tf.end


def dateparser_interval(row: Row) -> tuple[date | None, date | None]:
    from dateparser.search import search_dates

    base = datetime(row.default_year or datetime.now().year, 1, 1)
    try:
        found = search_dates(row.phrase, languages=["ru"], settings={"RELATIVE_BASE": base})
    except Exception:  # dateparser raises on some inputs; that is a miss, not a crash here
        found = None
    if not found:
        return None, None
    days = [moment.date() for _, moment in found]
    return min(days), max(days)


def measure(reader, rows: list[Row], rounds: int) -> tuple[float, float]:
    """(phrases per second, share of phrases read to the exact expected interval)."""
    right = sum(reader(row) == (row.start, row.end) for row in rows)
    started = time.perf_counter()
    for _ in range(rounds):
        for row in rows:
            reader(row)
    elapsed = time.perf_counter() - started
    return rounds * len(rows) / elapsed, right / len(rows)


def main() -> None:
    warnings.simplefilter("ignore")
    rows = load_table()
    dateparser_interval(rows[0])  # load dateparser's language data outside the timing
    ours = measure(civicplan_interval, rows, ROUNDS)
    theirs = measure(dateparser_interval, rows, 1)
    print(f"timeframes benchmark: {len(rows)} phrases of tests/timeframes/phrases.tsv")
    print(f"{'reader':<28}{'phrases/s':>12}{'interval right':>16}")
    print(f"{'civicplan.timeframes.parse':<28}{ours[0]:>12,.0f}{ours[1]:>15.1%}")
    print(f"{'dateparser.search_dates':<28}{theirs[0]:>12,.0f}{theirs[1]:>15.1%}")
    print(f"throughput ratio civicplan/dateparser: {ours[0] / theirs[0]:.0f}x (target >= 50x)")


if __name__ == "__main__":
    main()

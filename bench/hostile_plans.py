"""Benchmark: hostile plan files against the reader's limits (`civicplan.plandoc.readers.limits`).

Each file of `tests.plandoc.hostile.PROBES` (the tracker's probes and their kin), the largest
plans the limits allow, and OpenDocument and PDF files that try them, is read by `read_raw` in a
process of its own, so that the peak memory (max RSS, the interpreter and its imports included)
is that read's alone (a PDF's: the larger of it and the limited process that reads the PDF); the
time is that of `read_raw`, after the imports. Target (the tracker): a hostile plan file never
takes more than 300 MB or 30 s of a web worker.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TARGET_SECONDS = 30.0
TARGET_MB = 300.0


def _largest_plans() -> dict[str, Callable[[], bytes]]:
    """Plans at the row limit, read in full: what the limits still let through."""
    from civicplan.plandoc.readers.limits import MAX_ROWS, MAX_TREE_PART_BYTES
    from tests.plandoc.hostile import (
        long_sheet_xlsx,
        long_table_docx,
        styled_docx,
        wordy_sheet_xlsx,
        wordy_table_docx,
    )

    return {
        f"DOCX, {MAX_ROWS - 1:,} rows (limit, read)": lambda: long_table_docx(MAX_ROWS - 1),
        f"XLSX, {MAX_ROWS - 1:,} rows (limit, read)": lambda: long_sheet_xlsx(MAX_ROWS - 1),
        # Cyrillic words of 3,300 characters a row: a body of about 60 MB, under its limit
        "DOCX, 9,000 rows of 3,300 characters": lambda: wordy_table_docx(9000, 3300),
        # 9,000 shared strings of 3,000 characters: a 50 MB shared strings part
        "XLSX, 9,000 rows of 3,000 characters": lambda: wordy_sheet_xlsx(9000, 3000),
        "DOCX, styles part at its 4 MB limit": lambda: styled_docx(MAX_TREE_PART_BYTES - 1024),
    }


def _other_formats() -> dict[str, Callable[[], bytes]]:
    """OpenDocument and PDF files that try the limits: repeated rows and cells, a stream that
    inflates to gigabytes, a page of a few hundred thousand characters."""
    from tests.plandoc.test_readers_odf import HEADER_ROW, _c, _row, _sheet, odf_package
    from tests.plandoc.test_readers_pdf import crowded_pdf, inflating_pdf

    def repeated(rows: int, columns: int = 3) -> bytes:
        row = _row(_c("Май 2025 г."), _c("Форум", number_columns_repeated=columns), repeated=rows)
        return odf_package(_sheet(HEADER_ROW + row))

    return {
        "ODS, a filled row repeated 10^9 times": lambda: repeated(1_000_000_000),
        "ODS, 3,000 rows of 64 cells by repeats (read)": lambda: repeated(3000, 63),
        "PDF, a stream inflating to 2 GB": lambda: inflating_pdf(2000),
        "PDF, a page of 300,000 characters": crowded_pdf,
    }


def files() -> dict[str, Callable[[], bytes]]:
    from tests.plandoc.hostile import PROBES

    return {**PROBES, **_largest_plans(), **_other_formats()}


def measure(path: Path) -> dict[str, object]:
    """Read the file once, in this process: seconds, peak MB and what came of it."""
    from civicplan.plandoc.errors import PlanReadError
    from civicplan.plandoc.readers import docx, read_raw, xlsx  # noqa: F401 (imported first)

    data = path.read_bytes()
    started = time.perf_counter()
    try:
        outcome = f"read: {len(read_raw(data, path.name).items):,} items"
    except PlanReadError as error:
        outcome = f"refused: {error.message}"
    return {
        "seconds": time.perf_counter() - started,
        # a PDF is read in a process of its own: the larger of the two peaks
        "peak_mb": max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024,
        "outcome": outcome,
    }


def _run(path: Path) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.hostile_plans", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _verdict(result: dict[str, object]) -> str:
    seconds, peak = float(result["seconds"]), float(result["peak_mb"])  # type: ignore[arg-type]
    met = seconds < TARGET_SECONDS and peak < TARGET_MB
    return "met" if met else "MISSED"


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        for number, (name, build) in enumerate(files().items()):
            path = Path(temporary) / f"hostile-{number}"
            path.write_bytes(build())
            rows.append((name, path.stat().st_size, _run(path)))
    print(
        f"hostile plan files: read_raw in a process of its own each, {os.cpu_count()} CPUs; "
        f"target < {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB (peak RSS, interpreter included)"
    )
    print(f"{'file':<42}{'size':>10}{'seconds':>9}{'peak MB':>9}  {'target':<7} outcome")
    for name, size, result in rows:
        print(
            f"{name:<42}{size / 1024:>8,.0f}KB{float(result['seconds']):>9.2f}"  # type: ignore[arg-type]
            f"{float(result['peak_mb']):>9.0f}  {_verdict(result):<7} {result['outcome']}"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    if len(sys.argv) == 2:
        print(json.dumps(measure(Path(sys.argv[1])), ensure_ascii=False))
    else:
        main()

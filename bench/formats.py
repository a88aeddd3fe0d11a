"""Benchmark: one generated 2,000-row plan (`generated_plan`, as bench/plan_import.py's) in every
file kind the importer reads — DOCX, XLSX, ODT, ODS, PDF, and .doc, .xls and RTF through
LibreOffice — each read by `readers.read_raw` (the file's blocks, then the plan laid out) in a
process of its own, so that its peak memory is that read's alone: the process's peak RSS (the
interpreter and its imports included) and, apart, that of the processes it started (PDF is read
in a limited process of its own; LibreOffice converts the legacy kinds). LibreOffice's
conversion is timed apart and is part of the total. The ratio is to DOCX's total time. The
legacy files are made by LibreOffice from the DOCX and XLSX (ODT for .doc: its DOCX export of
python-docx's second table is lossy); without LibreOffice those rows say so.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROWS = 2000


def _builders() -> dict[str, Callable[[], bytes]]:
    from tests.plandoc.builders import build_docx, build_xlsx, generated_plan
    from tests.plandoc.test_readers_odf import build_ods, build_odt
    from tests.plandoc.test_readers_pdf import build_pdf

    title, blocks = generated_plan(ROWS)
    return {
        "docx": lambda: build_docx(title, blocks),
        "xlsx": lambda: build_xlsx(title, blocks),
        "odt": lambda: build_odt(title, blocks),
        "ods": lambda: build_ods(title, blocks),
        "pdf": lambda: build_pdf(title, blocks),
    }


# kind -> (the file it is made from, LibreOffice's target)
_LEGACY = {"doc": ("odt", "doc"), "rtf": ("docx", "rtf"), "xls": ("xlsx", "xls")}


def _make_legacy(folder: Path, kind: str) -> Path | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    source, target = _LEGACY[kind]
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "legacy"),
            str(folder / f"plan.{source}"),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return folder / "legacy" / f"plan.{target}"


def measure(path: Path) -> dict[str, object]:
    """Read the file once, in this process: seconds (LibreOffice's apart), peak MB, items."""
    # imported before the timing
    from civicplan.plandoc.readers import convert, docx, odf, pdf, read_raw, xlsx  # noqa: F401

    data = path.read_bytes()
    kind = path.suffix[1:]
    converting = 0.0
    started = time.perf_counter()
    if kind in _LEGACY:
        data = convert.convert(data, path.name, kind)
        converting = time.perf_counter() - started
    document = read_raw(data, path.name)
    return {
        "convert": converting,
        "seconds": time.perf_counter() - started,
        "peak_mb": _high_water_mb(),
        "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "rows": sum(1 for item in document.items if type(item).__name__ == "RawRow"),
    }


def _high_water_mb() -> float:
    """This process's peak RSS since it started (VmHWM: ru_maxrss would keep the parent's peak
    across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(path: Path) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.formats", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    results: dict[str, tuple[int, dict[str, object] | None]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for kind, build in _builders().items():
            path = folder / f"plan.{kind}"
            path.write_bytes(build())
        for kind in ("docx", "xlsx", "odt", "ods", "pdf", "doc", "xls", "rtf"):
            path = folder / f"plan.{kind}" if kind not in _LEGACY else _make_legacy(folder, kind)
            if path is None:
                results[kind] = (0, None)
                continue
            results[kind] = (path.stat().st_size, _run(path))
    docx = float(results["docx"][1]["seconds"])  # type: ignore[index]
    print(
        f"plan file formats: one generated plan of {ROWS:,} rows in each kind, read by read_raw "
        f"in a process of its own each, {os.cpu_count()} CPUs"
    )
    print(
        f"{'kind':<6}{'size':>10}{'convert s':>11}{'read s':>9}{'total s':>9}{'x DOCX':>8}"
        f"{'peak MB':>9}{'child MB':>10}{'rows':>7}"
    )
    for kind, (size, result) in results.items():
        if result is None:
            print(f"{kind:<6}  LibreOffice (soffice) not installed: not measured")
            continue
        total, converting = float(result["seconds"]), float(result["convert"])  # type: ignore[arg-type]
        print(
            f"{kind:<6}{size / 1024:>8,.0f}KB{converting:>11.2f}{total - converting:>9.2f}"
            f"{total:>9.2f}{total / docx:>7.1f}x{float(result['peak_mb']):>9.0f}"  # type: ignore[arg-type]
            f"{float(result['children_mb']):>10.0f}{int(result['rows']):>7,}"  # type: ignore[call-overload]
        )


if __name__ == "__main__":
    if len(sys.argv) == 2:
        print(json.dumps(measure(Path(sys.argv[1]))))
    else:
        main()

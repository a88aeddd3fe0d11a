"""Benchmark: importing a generated 2,000-row DOCX plan, against merely reading it.

Each measurement runs in its own process so that its peak memory (max RSS) is its own:
- peer: python-docx opens the file and reads the text of every cell;
- import: `civicplan.plans.importing.import_plan` reads, understands and writes the plan into a
  fresh SQLite database (migrated before the timing starts).
Target (issue 3): under 10 s and 400 MB for 2,000 rows on a 2-core machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 2000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_peer(path: Path) -> dict[str, float]:
    import docx

    started = time.perf_counter()
    document = docx.Document(str(path))
    cells = sum(
        len(cell.text) >= 0 for table in document.tables for row in table.rows for cell in row.cells
    )
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "cells": cells}


def measure_import(path: Path) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplan.settings")
    django.setup()
    from django.core.management import call_command

    from civicplan.plans.importing import import_plan

    call_command("migrate", verbosity=0)
    data = path.read_bytes()
    started = time.perf_counter()
    summary = import_plan(data, path.name)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(),
        "activities": summary.activities,
    }


def _run(kind: str, path: Path, var_dir: str) -> dict[str, float]:
    env = {**os.environ, "CIVICPLAN_VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)  # the embedded SQLite database, fresh in var_dir
    output = subprocess.run(
        [sys.executable, "-m", "bench.plan_import", kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    from tests.plandoc.builders import generated_docx

    with tempfile.TemporaryDirectory() as var_dir:
        path = Path(var_dir) / f"generated-{ROWS}.docx"
        path.write_bytes(generated_docx(ROWS))
        size_kb = path.stat().st_size / 1024
        peer = _run("peer", path, var_dir)
        ours = _run("import", path, var_dir)
    print(f"plan import benchmark: generated DOCX with {ROWS} rows {size_kb:.0f} KB")
    print(f"{'step':<44}{'seconds':>9}{'rows/s':>10}{'peak MB':>10}")
    print(
        f"{'python-docx: open and read every cell':<44}{peer['seconds']:>9.2f}"
        f"{ROWS / peer['seconds']:>10,.0f}{peer['peak_mb']:>10.0f}"
    )
    print(
        f"{'civicplan import_plan (read+understand+save)':<44}{ours['seconds']:>9.2f}"
        f"{ROWS / ours['seconds']:>10,.0f}{ours['peak_mb']:>10.0f}"
    )
    print(
        f"ratio import/python-docx time: {ours['seconds'] / peer['seconds']:.1f}x; "
        f"activities imported: {ours['activities']:.0f} (target < 10 s, < 400 MB)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3:
        measure = {"peer": measure_peer, "import": measure_import}[sys.argv[1]]
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        main()

"""Benchmark: importing a generated 2,000-row DOCX plan, against merely reading it, for two plans
of the same layout and size:
- warm: rows drawn from small word lists (`generated_docx`), so after a few rows every
  organisation is known and the organisation index only ever hits;
- varied: organisations composed from a kind of body and a town or region, venues in many
  towns, time frames of every shape (`varied_docx`), so most organisations are new to the plan,
  as in a real plan of many municipalities.

Each measurement runs in its own process so that its peak memory (max RSS) is its own:
- peer: python-docx opens the file and reads the text of every cell;
- import: `civicplan.plans.importing.import_plan` reads, understands and writes the plan into a
  fresh SQLite database of its own (migrated before the timing starts).
Each is run RUNS times, the peer and the import in turn, and the best time of each counts (a
busy machine slows single runs, not the best one); the peak memory is the largest of the runs.
Target (issue 12): for each plan, the import within 3x of the peer's time, under 400 MB.
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

ROWS = 2000
RUNS = 3
TARGET_RATIO = 3.0
TARGET_MB = 400.0


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

    from civicplan.directory.models import Place
    from civicplan.plans.importing import import_plan
    from civicplan.plans.models import Responsibility

    call_command("migrate", verbosity=0)
    data = path.read_bytes()
    started = time.perf_counter()
    summary = import_plan(data, path.name)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "rows": summary.rows,
        "activities": summary.activities,
        "organisations_new": summary.organisations_new,
        "mentions": Responsibility.objects.count(),
        "places": Place.objects.count(),
        "problems": len(summary.problems),
    }


def _run(kind: str, path: Path, var_dir: Path) -> dict[str, float]:
    var_dir.mkdir(parents=True)
    env = {**os.environ, "CIVICPLAN_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)  # the embedded SQLite database, fresh in var_dir
    done = subprocess.run(
        [sys.executable, "-m", "bench.plan_import", kind, str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode:
        raise SystemExit(f"bench.plan_import {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(path: Path, var_dir: Path) -> tuple[dict[str, float], dict[str, float]]:
    """The peer and the import, each run RUNS times in turn: the run with the least time of
    each, with the largest peak memory of its runs."""
    runs: dict[str, list[dict[str, float]]] = {"peer": [], "import": []}
    for number in range(RUNS):
        for kind, done in runs.items():
            done.append(_run(kind, path, var_dir / f"{kind}-{number}"))
    return _best(runs["peer"]), _best(runs["import"])


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    best = min(runs, key=lambda run: run["seconds"])
    return {**best, "peak_mb": max(run["peak_mb"] for run in runs)}


def _verdict(peer: dict[str, float], result: dict[str, float]) -> str:
    missed = []
    ratio = result["seconds"] / peer["seconds"]
    if ratio > TARGET_RATIO:
        missed.append(f"{ratio:.1f}x")
    if result["peak_mb"] >= TARGET_MB:
        missed.append(f"{result['peak_mb']:.0f} MB")
    return "met" if not missed else "MISSED: " + ", ".join(missed)


def main() -> None:
    from tests.plandoc.builders import generated_docx, varied_docx

    plans: dict[str, Callable[[int], bytes]] = {
        "warm (word lists)": generated_docx,
        "varied (new names)": varied_docx,
    }
    results = []
    with tempfile.TemporaryDirectory() as temporary:
        for number, build in enumerate(plans.values()):
            path = Path(temporary) / f"{build.__name__}-{ROWS}.docx"
            path.write_bytes(build(ROWS))
            peer, ours = _measure(path, Path(temporary) / f"plan-{number}")
            results.append((path.stat().st_size / 1024, peer, ours))

    def line(label: str, cells: list[str]) -> None:
        print(f"{label:<46}" + "".join(f"{cell:>22}" for cell in cells))

    print(
        f"plan import benchmark: two generated DOCX plans of {ROWS:,} rows, "
        f"each step in its own process, best of {RUNS}, {os.cpu_count()} CPUs"
    )
    line("", list(plans))
    line("DOCX size", [f"{size:.0f} KB" for size, _, _ in results])
    line(
        "python-docx: open and read every cell",
        [f"{peer['seconds']:.2f} s {peer['peak_mb']:5.0f} MB" for _, peer, _ in results],
    )
    line(
        "civicplan import_plan (read+understand+save)",
        [f"{ours['seconds']:.2f} s {ours['peak_mb']:5.0f} MB" for _, _, ours in results],
    )
    line("  rows imported", [f"{ours['rows']:,.0f}" for _, _, ours in results])
    line("  rows per second", [f"{ours['rows'] / ours['seconds']:,.0f}" for _, _, ours in results])
    line(
        "  import / python-docx time",
        [f"{ours['seconds'] / peer['seconds']:.1f}x" for _, peer, ours in results],
    )
    line(
        "  organisations created / named in rows",
        [f"{ours['organisations_new']:,.0f} / {ours['mentions']:,.0f}" for _, _, ours in results],
    )
    line("  places created", [f"{ours['places']:,.0f}" for _, _, ours in results])
    line("  problems reported", [f"{ours['problems']:,.0f}" for _, _, ours in results])
    line(
        f"target: import <= {TARGET_RATIO:.0f}x python-docx, < {TARGET_MB:.0f} MB (issue 12)",
        [_verdict(peer, ours) for _, peer, ours in results],
    )
    (_, _, warm), (_, _, varied) = results
    print(f"varied / warm import time: {varied['seconds'] / warm['seconds']:.1f}x")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        measure = {"peer": measure_peer, "import": measure_import}[sys.argv[1]]
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        main()

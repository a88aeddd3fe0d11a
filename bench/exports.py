"""Benchmark: the exports of a generated plan, and the ICS feed against a static file.

- DOCX, XLSX, PDF and CSV of 2,000 rows and the ICS of 10,000 activities, each written in its
  own process (so its peak memory, max RSS, is its own, plan loading included);
- the ICS feed of 10,000 activities served by gunicorn over HTTP, against the same bytes served
  as a static file by the same server (WhiteNoise) in the same run.
The 10,000 activities are two years' plans of 5,000 rows: one document may hold at most
10,000 table rows, headings included (civicplan.plandoc.readers.limits.MAX_ROWS).
Targets (issue 4): ICS of 10,000 activities under 2 s, DOCX/XLSX of 2,000 rows under 5 s, PDF of
2,000 rows under 30 s.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.processes import free_port

FEED_ROWS = 10_000
FEED_YEARS = (2025, 2026)  # FEED_ROWS split between two plans
EXPORT_ROWS = 2_000
REQUESTS = 5


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_writer(format_name: str, plan_file: Path) -> dict[str, float]:
    from civicplan.plandoc.writers import write_plan

    plan = pickle.loads(plan_file.read_bytes())
    started = time.perf_counter()
    data = write_plan(plan, format_name)
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "bytes": len(data)}


def _in_subprocess(args: list[str], env: dict[str, str]) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.exports", *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _get(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    return time.perf_counter() - started, body


def _serve_and_measure(
    var_dir: Path, documents: dict[int, bytes], env: dict[str, str]
) -> dict[str, float]:
    """Import the plans into a fresh database, start gunicorn, time the feed and the file."""
    var_dir.mkdir(parents=True, exist_ok=True)
    imports = []
    for year, data in documents.items():
        path = var_dir / f"feed-{year}.docx"
        path.write_bytes(data)
        imports.append(
            f"import_plan(open({str(path)!r}, 'rb').read(), {path.name!r}, status='approved');"
        )
    setup = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from civicplan.plans.importing import import_plan;" + "".join(imports)
    )
    subprocess.run([sys.executable, "-c", setup], check=True, env=env)
    static_dir = Path(env["CIVICPLAN_VAR_DIR"]) / "static"
    with _gunicorn(env) as base:
        _seconds, feed = _get(base + "/calendar.ics")
    # WhiteNoise indexes the static files when the server starts: write the file, then restart.
    (static_dir / "bench-calendar.ics").write_bytes(feed)
    with _gunicorn(env) as base:
        _get(base + "/calendar.ics")  # warm-up
        feed_times = [_get(base + "/calendar.ics")[0] for _ in range(REQUESTS)]
        static_times = []
        for _ in range(REQUESTS):
            seconds, body = _get(base + "/static/bench-calendar.ics")
            assert len(body) == len(feed)
            static_times.append(seconds)
        rss = _workers_peak_kb()
    return {
        "feed_seconds": statistics.median(feed_times),
        "static_seconds": statistics.median(static_times),
        "bytes": len(feed),
        "events": feed.count(b"BEGIN:VEVENT"),
        "workers_peak_mb": rss / 1024,
    }


_SERVER: list[subprocess.Popen] = []


@contextlib.contextmanager
def _gunicorn(env: dict[str, str]) -> Iterator[str]:
    """gunicorn with two workers on a free loopback port, stopped on exit."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "civicplan.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _SERVER[:] = [server]
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                _get(base + "/")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _workers_peak_kb() -> int:
    """The peak RSS (VmHWM) of the running server's worker processes, added up."""
    pid = _SERVER[0].pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(
        int(line.split()[1])
        for child in children
        for line in Path(f"/proc/{child}/status").read_text().splitlines()
        if line.startswith("VmHWM:")
    )


def main() -> None:
    from civicplan.plandoc import read_plan
    from tests.plandoc.builders import generated_docx, generated_plans

    documents = generated_plans(FEED_ROWS, FEED_YEARS)
    plans = [read_plan(data, f"plan-{year}.docx") for year, data in documents.items()]
    plan = dataclasses.replace(
        plans[0], activities=[activity for each in plans for activity in each.activities]
    )
    small = read_plan(generated_docx(EXPORT_ROWS), "generated.docx")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        env = {
            **os.environ,
            "CIVICPLAN_VAR_DIR": str(tmp_dir / "var"),
            "DJANGO_SETTINGS_MODULE": "civicplan.settings",
        }
        env.pop("DATABASE_URL", None)
        big_file, small_file = tmp_dir / "big.pickle", tmp_dir / "small.pickle"
        big_file.write_bytes(pickle.dumps(plan))
        small_file.write_bytes(pickle.dumps(small))
        for format_name, plan_file, count in (
            ("docx", small_file, EXPORT_ROWS),
            ("xlsx", small_file, EXPORT_ROWS),
            ("csv", small_file, EXPORT_ROWS),
            ("pdf", small_file, EXPORT_ROWS),
            ("ics", big_file, FEED_ROWS),
        ):
            result = _in_subprocess(["writer", format_name, str(plan_file)], env)
            rows.append((f"{format_name.upper()} of {count:,} rows", result))
        served = _serve_and_measure(tmp_dir / "var", documents, env)
    print("export benchmark (each writer in its own process; peak = max RSS incl. the plan)")
    print(f"{'export':<26}{'seconds':>9}{'peak MB':>10}{'size KB':>10}")
    for name, result in rows:
        print(
            f"{name:<26}{result['seconds']:>9.2f}{result['peak_mb']:>10.0f}"
            f"{result['bytes'] / 1024:>10.0f}"
        )
    print(
        f"\nICS feed over HTTP (gunicorn, 2 workers, {served['events']:.0f} events, "
        f"{served['bytes'] / 1024:.0f} KB), median of {REQUESTS}:"
    )
    print(f"{'GET /calendar.ics':<34}{served['feed_seconds']:>8.3f} s")
    print(f"{'GET the same bytes as static file':<34}{served['static_seconds']:>8.3f} s")
    print(
        f"ratio feed/static: {served['feed_seconds'] / served['static_seconds']:.1f}x; "
        f"workers' peak RSS {served['workers_peak_mb']:.0f} MB "
        "(targets: ICS 10,000 < 2 s, DOCX/XLSX 2,000 < 5 s, PDF 2,000 < 30 s)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "writer":
        print(json.dumps(measure_writer(sys.argv[2], Path(sys.argv[3]))))
    else:
        main()

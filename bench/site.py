"""Benchmark: the public site with 10,000 activities and 500 organisations, under load.

gunicorn (2 workers) serves a fresh SQLite database holding two generated plans of 5,000 rows
(2025, 2026) plus organisations up to 500; wrk (Debian's package), a second process, loads each
page type for a few seconds and reports p50/p95 latency and requests per second; in the same run
the same server serves the calendar list's bytes as a static file (WhiteNoise), for the ratio.
Each page is measured twice: with the page cache off (rendered for every request) and on (what
anonymous visitors get; civicplan.common.pagecache). Targets (issue 5): p95 under 100 ms for every
page; the calendar list at least a third of the static file's throughput.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from bench.exports import _get, _gunicorn

ACTIVITIES = 10_000
YEARS = (2025, 2026)  # the activities split between two years' plans
ORGANISATIONS = 500
SECONDS = 5
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %d %d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.requests, summary.duration))
end
"""


def _setup(var_dir: Path, env: dict[str, str]) -> dict[str, str]:
    """Migrate, import the plan, add organisations; return the paths of one page of each type."""
    script = f"""
import django, json, random
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Responsibility
from civicplan.directory.models import Organisation
from civicplan.plandoc.organisations import organisation_key
from tests.plandoc.builders import generated_plans
for year, data in generated_plans({ACTIVITIES}, {YEARS!r}).items():
    import_plan(data, f"plan-{{year}}.docx", status="approved")
missing = {ORGANISATIONS} - Organisation.objects.count()
fresh = [Organisation(name=f"Администрация муниципального образования № {{n}}",
                      key=organisation_key(f"Администрация муниципального образования № {{n}}"),
                      kind="municipal") for n in range(max(missing, 0))]
Organisation.objects.bulk_create(fresh)
ids = list(Activity.objects.values_list("pk", flat=True))
rng = random.Random(1)
Responsibility.objects.bulk_create([
    Responsibility(activity_id=rng.choice(ids), organisation=org, role="responsible",
                   written_as=org.name, position=9)
    for org in fresh for _ in range(3)])
activity = Activity.objects.filter(start__isnull=False).order_by("pk").first()
organisation = Organisation.objects.get(key=organisation_key("дирекция Ассоциации"))
print(json.dumps({{"activity": activity.get_absolute_url(),
                  "organisation": organisation.get_absolute_url(),
                  "year": activity.start.year, "month": activity.start.month}}))
"""
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env
    ).stdout
    found = json.loads(output.strip().splitlines()[-1])
    year, month = found["year"], found["month"]
    return {
        "home": "/",
        "calendar list": "/calendar/",
        "calendar list, filtered": "/calendar/?" + urllib.parse.urlencode({"city": "Пермь"}),
        "month grid": f"/calendar/{year}-{month}/",
        "timeline": f"/calendar/timeline/{year}/",
        "activity": found["activity"],
        "organisation": found["organisation"],
        "city": "/cities/" + urllib.parse.quote("пермь") + "/",
        "search": "/search/?" + urllib.parse.urlencode({"q": "форум здоровья"}),
        "search in Latin letters (en)": "/en/search/?" + urllib.parse.urlencode({"q": "Perm"}),
        "plan page": f"/plans/{year}/",
        "plan page, page 50": f"/plans/{year}/?page=50",
        "calendar.ics (one city)": "/calendar.ics?" + urllib.parse.urlencode({"city": "Пермь"}),
    }


def _wrk(url: str, script: Path) -> tuple[float, float, float]:
    """(p50 ms, p95 ms, requests per second) of `url` under wrk for a few seconds."""
    output = subprocess.run(
        ["wrk", "-t1", "-c4", f"-d{SECONDS}s", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"RESULT (\S+) (\S+) (\d+) (\d+)", output)
    if match is None:
        raise RuntimeError(f"wrk said: {output}")
    p50, p95, requests, micros = match.groups()
    return float(p50), float(p95), int(requests) / (int(micros) / 1e6)


def main() -> None:
    if shutil.which("wrk") is None:
        print("site benchmark skipped: wrk is not installed (apt-get install wrk)")
        return
    random.seed(1)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        env = {
            **os.environ,
            "CIVICPLAN_VAR_DIR": str(tmp_dir / "var"),
            "DJANGO_SETTINGS_MODULE": "civicplan.settings",
            "PYTHONPATH": str(Path.cwd()),
        }
        env.pop("DATABASE_URL", None)
        paths = _setup(tmp_dir / "var", env)
        script = tmp_dir / "report.lua"
        script.write_text(LUA)
        static_dir = tmp_dir / "var" / "static"
        with _gunicorn(env) as base:
            _seconds, page = _get(base + paths["calendar list"])
        (static_dir / "bench-calendar.html").write_bytes(page)
        # Each page twice: rendered for every request (the page cache off: what a signed-in
        # user or the first visitor after a change waits), then as anonymous visitors get it.
        rows: dict[str, list[tuple[float, float, float]]] = {name: [] for name in paths}
        for cache in ("off", "on"):
            with _gunicorn({**env, "CIVICPLAN_PAGE_CACHE": cache}) as base:
                for name, path in paths.items():
                    _get(base + path)  # warm-up (and a failure here stops the benchmark)
                    rows[name].append(_wrk(base + path, script))
                static = _wrk(base + "/static/bench-calendar.html", script)
    print(
        f"site benchmark: {ACTIVITIES:,} activities, {ORGANISATIONS} organisations; gunicorn "
        f"2 workers; wrk 1 thread, 4 connections, {SECONDS} s per page"
    )
    print(f"{'':<26}{'rendered every time':>27}  {'from the page cache':>27}")
    print(f"{'page':<26}" + f"{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}" * 2)
    for name, ((p50, p95, rps), (c50, c95, crps)) in rows.items():
        flag = "" if p95 < 100 else "  (rendered p95 over 100 ms)"
        print(
            f"{name:<26}{p50:>9.1f}{p95:>9.1f}{rps:>9.0f}{c50:>9.1f}{c95:>9.1f}{crps:>9.0f}{flag}"
        )
    s50, s95, srps = static
    print(f"{'static file (same bytes)':<26}{'':>27}{s50:>9.1f}{s95:>9.1f}{srps:>9.0f}")
    calendar_rps = rows["calendar list"][1][2]
    print(
        f"calendar list (page cache) / static file throughput: {calendar_rps / srps:.2f} "
        "(target >= 0.33); p95 target < 100 ms on every page"
    )


if __name__ == "__main__":
    main()

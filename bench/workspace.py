"""Benchmark: the staff's plan workspace with a 2,000-row plan, against Django's admin.

A fresh SQLite database holds a generated plan of 2,000 rows, approved (version 1) with a few
amendments pending; a staff member of the head's role asks each workspace page many times
through Django's test client in this process (server time: the view, its queries and its
template, without a network), and the same run asks the admin's list of those activities (a
page of 100 rows, the peer every Django project has) for the ratio. Target (issue 13): every
workspace page under 100 ms at p95 with a 2,000-row plan.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROWS = 2_000
YEAR = 2025
REQUESTS = 60
TARGET_MS = 100.0


def _setup() -> tuple[object, dict[str, str]]:
    """The database, the plan and a logged-in client; the pages to measure."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from civicplan.plans import actions
    from civicplan.plans.importing import import_plan
    from civicplan.plans.models import Plan
    from tests.plandoc.builders import generated_plans

    call_command("migrate", verbosity=0)
    data = generated_plans(ROWS, (YEAR,))[YEAR]
    plan = Plan.objects.get(pk=import_plan(data, f"plan-{YEAR}.docx").plan_id)
    head = User.objects.create_superuser("head", "head@example.org", "x-secret-42")
    actions.approve_plan(head, plan, actions.Decision("Общее собрание", None, "1"))
    rows = list(plan.activities.order_by("position")[:3])
    actions.postpone_activity(head, rows[0], "декабрь", "Перенос")
    actions.cancel_activity(head, rows[1], "Отмена")
    client = Client(HTTP_HOST="localhost")
    client.force_login(head)
    row = rows[2]
    pages = {
        "workspace, page 1": f"/staff/plans/{YEAR}/",
        "workspace, page 20": f"/staff/plans/{YEAR}/?page=20",
        "a row's form": f"/staff/plans/{YEAR}/rows/{row.pk}/",
        "time frame read back": f"/staff/plans/{YEAR}/timeframe?text=4–5+апреля",
        "postpone form": f"/staff/plans/{YEAR}/rows/{row.pk}/postpone/",
        "sections": f"/staff/plans/{YEAR}/sections/",
        "next year's draft": f"/staff/plans/{YEAR}/next/",
        "plans": "/staff/plans/",
        "organisations": "/staff/organisations/",
        "admin: activities (peer)": f"/admin/plans/activity/?plan__id__exact={plan.pk}",
    }
    return client, pages


def _measure(client: object, path: str) -> tuple[float, float]:
    """(p50 ms, p95 ms) of `path` over REQUESTS requests after one to warm up."""
    response = client.get(path)  # type: ignore[attr-defined]
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(path)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(times, n=20)
    return statistics.median(times), quantiles[18]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            {
                "CIVICPLAN_VAR_DIR": str(Path(tmp) / "var"),
                "DJANGO_SETTINGS_MODULE": "civicplan.settings",
                "CIVICPLAN_SECRET_KEY": "bench-only",
            }
        )
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path.cwd()))
        client, pages = _setup()
        results = {name: _measure(client, path) for name, path in pages.items()}
    print(
        f"workspace benchmark: a plan of {ROWS:,} rows, approved, amendments pending; "
        f"{REQUESTS} requests a page through Django's test client (server time)"
    )
    print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}")
    for name, (p50, p95) in results.items():
        flag = "" if p95 < TARGET_MS or "peer" in name else f"  (p95 over {TARGET_MS:.0f} ms)"
        print(f"{name:<28}{p50:>9.1f}{p95:>9.1f}{flag}")
    peer = results["admin: activities (peer)"][0]
    table = results["workspace, page 1"][0]
    print(
        f"workspace table / admin list (p50): {table / peer:.2f}; "
        f"target: p95 < {TARGET_MS:.0f} ms on every workspace page"
    )


if __name__ == "__main__":
    main()

"""Benchmark: two web instances of one installation on PostgreSQL and Redis, under load.

Two gunicorn processes (2 workers each, as on two machines) share a fresh PostgreSQL database
with the seed plan and one Redis (the page cache, login throttling). Eight client threads ask
for each page type, half of them from each instance, for a few seconds, and report p50 and p95
latency; the same load on one instance alone is the peer (the ratio says what the second
instance and the shared cache cost or gain). In the middle of the run staff publish a news item
through the first instance: every /news/ answered by either instance after that must show it
(stale pages counted: the target is none). Targets: p95 under 100 ms for every page, no stale
page.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from tests.processes import civicplan, free_port, installation, reachable, serve

SECONDS = 4
THREADS = 8
PASSWORD = "bench-admin-password-42"
TITLE = "Новость посреди нагрузки"
PAGES = {
    "home": "/",
    "calendar": "/calendar/",
    "plan": "/plans/2024/",
    "search": "/search/?q=форум",
    "news": "/news/",
    "activity": None,  # found in the calendar
}


def _p(latencies: list[float], share: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _load(sites: list[str], path: str, seconds: float) -> list[float]:
    """Latencies (s) of `path` asked by THREADS threads, spread over `sites`, for `seconds`."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(site: str) -> None:
        session = requests.Session()
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            response = session.get(site + path)
            mine.append(time.perf_counter() - started)
            response.raise_for_status()
        with lock:
            latencies.extend(mine)

    threads = [
        threading.Thread(target=client, args=(sites[n % len(sites)],)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def _publish_during_load(env: dict[str, str], sites: list[str]) -> tuple[int, int]:
    """Readers ask for /news/ on both instances while staff publish through the first; how
    many answers started after the publication were stale, of how many."""
    pk = civicplan(
        env,
        "shell",
        "-c",
        "from civicplan.newsroom.models import Submission as S; print(S.objects.create("
        f"kind='press_release', title='{TITLE}', source='form', status='in_review').pk)",
    ).split()[-1]
    staff = requests.Session()
    login = staff.get(f"{sites[0]}/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    staff.post(
        f"{sites[0]}/account/login/",
        data={"csrfmiddlewaretoken": token, "username": "admin", "password": PASSWORD},
        headers={"Referer": f"{sites[0]}/account/login/"},
    )
    page = staff.get(f"{sites[0]}/staff/newsroom/{pk}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    published_at: list[float] = []
    answers: list[tuple[float, bool]] = []
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def reader(site: str) -> None:
        session = requests.Session()
        while time.monotonic() < stop:
            started = time.monotonic()
            fresh = TITLE in session.get(f"{site}/news/").text
            with lock:
                answers.append((started, fresh))

    threads = [threading.Thread(target=reader, args=(sites[n % 2],)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(SECONDS / 2)
    staff.post(
        f"{sites[0]}/staff/newsroom/{pk}/publish/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{sites[0]}/staff/newsroom/{pk}/"},
    )
    published_at.append(time.monotonic())
    for thread in threads:
        thread.join()
    after = [fresh for started, fresh in answers if started > published_at[0]]
    return sum(not fresh for fresh in after), len(after)


def main() -> None:
    if not reachable("127.0.0.1", 5432) or not reachable("127.0.0.1", 6379):
        print("two-instance benchmark skipped: PostgreSQL (5432) or Redis (6379) not reachable")
        return
    settings = {
        "CIVICPLAN_CACHE_URL": "redis://127.0.0.1:6379/0",
        "CIVICPLAN_CACHE_PREFIX": f"civicplan-bench-{time.time_ns()}",
        "CIVICPLAN_ADMIN_PASSWORD": PASSWORD,
    }
    with (
        tempfile.TemporaryDirectory() as var_dir,
        installation(Path(var_dir), postgres=True, **settings) as env,
    ):
        civicplan(env, "bootstrap")
        ports = free_port(), free_port()
        servers = [serve(env, port, workers=2) for port in ports]
        sites = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            listed = requests.get(sites[0] + "/calendar/?period=2024").text
            PAGES["activity"] = re.search(r'href="(/activities/\d+-[^"]+/)"', listed).group(1)
            _report(sites)
            stale, after = _publish_during_load(env, sites)
            print(
                f"a news item published through instance 1 during the load: "
                f"{stale} stale of {after} /news/ answers after it (target: 0) — "
                f"{'met' if stale == 0 else 'MISSED'}"
            )
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


def _report(sites: list[str]) -> None:
    print(
        f"two web instances (gunicorn, 2 workers each) on PostgreSQL + Redis; {THREADS} client "
        f"threads, {SECONDS} s per page; peer: the same load on one instance"
    )
    print(
        f"{'page':10} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'one: p95':>9} {'ratio':>6}  target"
    )
    for name, path in PAGES.items():
        _load(sites, path, 0.5)  # warm both instances and the shared cache
        both = _load(sites, path, SECONDS)
        one = _load(sites[:1], path, SECONDS)
        p95, peer = _p(both, 0.95), _p(one, 0.95)
        print(
            f"{name:10} {statistics.median(both) * 1000:8.1f} {p95:8.1f} "
            f"{len(both) / SECONDS:8.0f} {peer:9.1f} {p95 / peer:6.2f}  "
            f"{'met' if p95 < 100 else 'MISSED'} (p95 < 100 ms)"
        )


if __name__ == "__main__":
    main()

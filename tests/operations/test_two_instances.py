"""Two web instances of one installation, as on two machines: on different ports, the same
PostgreSQL database and the same Redis. A change made through one is on the other's cached pages
at once, a session made on one works on the other, and login throttling counts on both."""

from __future__ import annotations

import re
import secrets

import pytest
import requests

from tests.processes import (
    POSTGRES,
    REDIS,
    civicplan,
    free_port,
    installation,
    reachable,
    serve,
)

PASSWORD = "an-admin-password-42"


@pytest.fixture
def instances(tmp_path):
    if not reachable("127.0.0.1", 5432):
        pytest.skip(f"PostgreSQL is not reachable ({POSTGRES}): the two instances share it")
    if not reachable(*REDIS):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379: the two instances share it")
    shared = {
        "CIVICPLAN_CACHE_URL": "redis://127.0.0.1:6379/0",
        "CIVICPLAN_CACHE_PREFIX": f"civicplan-test-{secrets.token_hex(4)}",
        "CIVICPLAN_ADMIN_PASSWORD": PASSWORD,
    }
    with installation(tmp_path / "var", postgres=True, **shared) as env:
        civicplan(env, "bootstrap")
        ports = free_port(), free_port()
        servers = [serve(env, port) for port in ports]
        try:
            yield env, [f"http://127.0.0.1:{port}" for port in ports]
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


def _login(session: requests.Session, site: str, password: str) -> requests.Response:
    page = session.get(f"{site}/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{site}/account/login/",
        data={"csrfmiddlewaretoken": token, "username": "admin", "password": password},
        headers={"Referer": f"{site}/account/login/"},
        allow_redirects=False,
    )


def test_two_instances_share_the_cache_the_sessions_and_the_throttling(instances) -> None:
    env, (first, second) = instances
    # The page cache is shared: a page made by one instance is served by the other.
    assert requests.get(f"{first}/news/").headers["X-Page-Cache"] == "miss"
    assert requests.get(f"{second}/news/").headers["X-Page-Cache"] == "hit"

    # A session made on one instance works on the other.
    staff = requests.Session()
    assert _login(staff, first, PASSWORD).status_code == 302
    home = staff.get(f"{second}/account/", allow_redirects=False)
    assert home.status_code == 200

    # A change made through one instance is on the other's cached pages at once.
    pk = civicplan(
        env,
        "shell",
        "-c",
        "from civicplan.newsroom.models import Submission as S; print(S.objects.create("
        "kind='press_release', title='Новость с первого сервера', source='form', "
        "status='in_review').pk)",
    ).split()[-1]
    page = staff.get(f"{first}/staff/newsroom/{pk}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    published = staff.post(
        f"{first}/staff/newsroom/{pk}/publish/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{first}/staff/newsroom/{pk}/"},
        allow_redirects=False,
    )
    assert published.status_code == 302
    news = requests.get(f"{second}/news/")
    assert news.headers["X-Page-Cache"] == "miss"  # the data changed: a new version
    assert "Новость с первого сервера" in news.text

    # Wrong passwords count on both: five, half on each, and the sixth try is refused on both.
    attacker = requests.Session()
    for attempt in range(5):
        _login(attacker, (first, second)[attempt % 2], "wrong-password")
    assert _login(attacker, first, PASSWORD).status_code == 429
    assert _login(attacker, second, PASSWORD).status_code == 429

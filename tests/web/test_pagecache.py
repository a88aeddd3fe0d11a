"""The cache of public pages (civicplan.common.pagecache): shared by anonymous visitors only, and
never older than the data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civicplan.plans.actions import save_activity
from civicplan.plans.models import Activity, Plan

pytestmark = pytest.mark.django_db

CALENDAR = "/calendar/?city=Пермь"


def get(client: Client, url: str, **headers: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    response.queries = len(queries)
    return response


def test_a_second_visitor_gets_the_page_from_the_cache_in_one_query(plan: Plan) -> None:
    first = get(Client(), CALENDAR)
    second = get(Client(), CALENDAR)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.queries == 1  # the data version
    assert first.queries > 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "ru"
    english = get(Client(), "/en" + CALENDAR)
    assert english["X-Page-Cache"] == "miss"  # another language, another page
    assert english["Content-Language"] == "en"


def test_a_change_through_an_action_is_seen_at_once(plan: Plan) -> None:
    client = Client()
    activity = Activity.objects.filter(places__place__city="Пермь").first()
    assert activity.title in get(client, CALENDAR).content.decode()
    activity.title = "Переименованный форум"
    save_activity(activity, None, ["title"])
    fresh = get(client, CALENDAR)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Переименованный форум" in fresh.content.decode()


def test_conditional_requests_get_304(plan: Plan) -> None:
    client = Client()
    first = get(client, CALENDAR)
    etag = first["ETag"]
    assert get(client, CALENDAR, if_none_match=etag).status_code == 304
    assert get(client, CALENDAR, if_none_match='"other"').status_code == 200
    activity = Activity.objects.filter(places__place__city="Пермь").first()
    save_activity(activity, None, ["title"])
    assert get(client, CALENDAR, if_none_match=etag).status_code == 200


def test_signed_in_users_are_never_served_or_stored(plan: Plan) -> None:
    """Staff see drafts: their pages must never reach the public, nor the public's reach them."""
    draft = Plan.objects.create(owner=plan.owner, year=2031, title="Черновик 2031")
    Activity.objects.create(plan=draft, position=1, title="Тайное совещание", when_text="2031")
    staff = User.objects.create_user("staff", is_staff=True)
    client = Client()
    client.force_login(staff)
    for _ in range(2):
        page = get(client, "/plans/2031/")
        assert page.status_code == 200
        assert "X-Page-Cache" not in page
    assert "Тайное совещание" in page.content.decode()
    assert get(Client(), "/plans/2031/").status_code == 404


def test_only_shareable_responses_are_stored(plan: Plan) -> None:
    client = Client()
    assert get(client, "/calendar/?city=Нигдебург").status_code == 400
    assert "X-Page-Cache" not in get(client, "/calendar/?city=Нигдебург")
    missing = get(client, "/plans/1999/")
    assert missing.status_code == 404
    assert "X-Page-Cache" not in get(client, "/plans/1999/")
    # A page that is not marked public (the staff's import form) is not stored either.
    get(client, "/staff/import/")
    assert "X-Page-Cache" not in get(client, "/staff/import/")


def test_large_responses_are_not_kept(plan: Plan, settings) -> None:
    """Made-up query strings must not fill the memory: only pages up to the size limit."""
    client = Client()
    size = len(get(client, CALENDAR).content)
    caches["pages"].clear()
    settings.CIVICPLAN_PAGE_CACHE_MAX_BYTES = size - 1
    assert "X-Page-Cache" not in get(client, CALENDAR)
    assert "X-Page-Cache" not in get(client, CALENDAR)
    settings.CIVICPLAN_PAGE_CACHE_MAX_BYTES = size
    assert get(client, CALENDAR)["X-Page-Cache"] == "miss"
    assert get(client, CALENDAR)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("url", [CALENDAR, "/", "/plans/2024/"])
def test_a_page_from_the_cache_carries_every_security_header(plan: Plan, url: str) -> None:
    """The headers are added outside the cache, so a hit has them as a miss does."""
    miss = get(Client(), url)
    hit = get(Client(), url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for response in (miss, hit):
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

"""The newsroom's pages in Chromium: no WCAG 2.1 A/AA (or best-practice) violations found by
axe-core on the news list, a news page, the queue and a submission's page, and no sideways
scroll on a phone. Skips with the reason without Chromium or axe-core (tests/browser)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User

from civicplan.newsroom.attachments import IncomingFile
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Activity
from tests.conftest import AXE_TAGS, describe, log_in
from tests.newsroom.conftest import PDF, Make, png, publish

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def pages(
    live_server: Any,
    make: Make,
    staff: User,
    activity: Activity,
    quarantined: Submission,
) -> dict[str, str]:
    item = publish(
        make,
        staff,
        "Форум здоровых городов прошёл в Перми",
        datetime(2025, 3, 5, 12, 0),
        html="<p>Итоги <b>форума</b>: <a href='https://perm.example/'>сайт</a></p>",
        activity=activity,
        files=(IncomingFile("форум.png", png(40, 30)), IncomingFile("программа.pdf", PDF)),
    )
    waiting = make(
        "Пост-релиз о зарядке",
        text="Прошла зарядка.\n\nСпасибо участникам.",
        activity_guess=activity,
        activity_guess_reason="город Пермь, слово «форум»",
        files=(IncomingFile("зарядка.png", png(40, 30)),),
    )
    return {
        "news-list": "/news/",
        "news-item": item.get_absolute_url(),
        "queue": "/staff/newsroom/",
        "submission": f"/staff/newsroom/{waiting.pk}/",
        "quarantine": f"/staff/newsroom/{quarantined.pk}/",
    }


@pytest.mark.parametrize("name", ["news-list", "news-item", "queue", "submission", "quarantine"])
def test_no_accessibility_violations(
    name: str,
    page: Any,
    axe: Any,
    screenshot: Any,
    live_server: Any,
    pages: dict[str, str],
    staff: User,
) -> None:
    if name in ("queue", "submission", "quarantine"):
        log_in(page, live_server, staff)
    page.goto(live_server.url + pages[name])
    assert page.locator("h1").count() == 1
    screenshot(page, f"newsroom-a11y-{name}")
    violations = axe(page, tags=[*AXE_TAGS, "best-practice"])
    assert violations == [], describe(violations)


@pytest.mark.parametrize("name", ["news-list", "news-item", "submission"])
def test_pages_fit_a_phone(
    name: str,
    mobile_page: Any,
    screenshot: Any,
    live_server: Any,
    pages: dict[str, str],
    staff: User,
) -> None:
    if name == "submission":
        log_in(mobile_page, live_server, staff)
    mobile_page.goto(live_server.url + pages[name])
    screenshot(mobile_page, f"newsroom-a11y-{name}-phone")
    overflow = mobile_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

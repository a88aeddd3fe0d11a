"""The public «Изменения плана» page and the plan's versions as files: approve a draft (version
1), postpone, cancel and change rows as amendments, publish them as version 2; the page shows
what changed and why, each version downloads as it stood, drafts and unknown versions are not
found, decision scans only of published versions, and the page's queries do not grow."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civicplan.plandoc import read_plan
from civicplan.plans.actions import (
    Decision,
    RowEdit,
    approve_plan,
    cancel_activity,
    change_activity,
    mark_held,
    postpone_activity,
    publish_amendments,
    record_amendment,
)
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan, PlanVersion

pytestmark = pytest.mark.django_db

FORUM = "Всероссийский форум «Здоровые города на страже здоровья семьи»"
PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
MAY_WEEK = "Неделя технологий укрепления общественного здоровья"
SCAN = b"%PDF-1.4\n% the signed decision\n%%EOF\n"


@pytest.fixture
def head() -> User:
    return User.objects.create_user(
        "head@example.org", first_name="Анна", last_name="Петрова", is_staff=True, is_superuser=True
    )


@pytest.fixture
def draft(seed_bytes: bytes) -> Plan:
    return Plan.objects.get(pk=import_plan(seed_bytes, "plan-2024.txt").plan_id)


def activity(title: str) -> Activity:
    return Activity.objects.select_related("plan").get(title__startswith=title)


def approve(head: User, plan: Plan) -> PlanVersion:
    decision = Decision("Общее собрание Ассоциации", date(2024, 1, 25), "3", "scan.pdf", SCAN)
    return approve_plan(head, plan, decision)


@pytest.fixture
def amended(head: User, draft: Plan) -> Plan:
    """The seed approved as version 1, then version 2: the April forum moved a week, the Perm
    forum cancelled, the May week moved to another place."""
    approve(head, draft)
    postpone_activity(head, activity(FORUM), "11-12 апреля 2024 г.", "Зал занят в эти дни")
    cancel_activity(head, activity(PERM_FORUM), "Нет финансирования")
    change_activity(
        head, activity(MAY_WEEK), RowEdit(place_text="г. Казань"), "Перенос в Казань по просьбе"
    )
    publish_amendments(head, draft, "Решение Совета", Decision("Совет Ассоциации", number="7"))
    return draft


def test_the_changes_page_lists_each_version_with_its_diff(client: Client, amended: Plan) -> None:
    page = client.get("/plans/2024/changes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Изменения плана" in html
    assert html.index('id="v2"') < html.index('id="v1"')  # newest first
    version_2 = html[html.index('id="v2"') : html.index('id="v1"')]
    version_1 = html[html.index('id="v1"') :]
    assert "Совет Ассоциации" in version_2
    assert "№ 7" in version_2
    assert "Решение Совета" in version_2
    # dates moved, with the amendment's reason
    assert "4-5 апреля 2024 г." in version_2
    assert "11-12 апреля 2024 г." in version_2
    assert "Зал занят в эти дни" in version_2
    assert "Перенесено" in version_2
    # cancelled: struck through and said, with the reason
    assert "<del>II Всероссийский форум" in version_2
    assert "Отменено" in version_2
    assert "Нет финансирования" in version_2
    # the venue changed
    assert "г. Казань" in version_2
    assert "Перенос в Казань по просьбе" in version_2
    assert "Место проведения" in version_2
    # version 1: the plan approved, by whom, and the scan
    assert "План утверждён" in version_1
    assert "Общее собрание Ассоциации" in version_1
    assert "25.01.2024" in version_1
    assert "/plans/2024/v1/decision" in version_1
    assert "/plans/2024/v2/decision" not in html
    assert "/plans/2024/v1.docx" in version_1
    assert "/plans/2024/v2.pdf" in version_2
    assert "head@example.org" not in html  # who pressed the button is not public


def test_the_plan_page_links_to_its_changes(client: Client, amended: Plan) -> None:
    assert "/plans/2024/changes/" in client.get("/plans/2024/").content.decode()


def test_version_1_still_holds_the_old_dates(client: Client, amended: Plan) -> None:
    response = client.get("/plans/2024/v1.docx")
    assert response.status_code == 200
    assert 'filename="plan-2024-v1.docx"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    old = read_plan(response.content, "plan-2024-v1.docx")
    forum = next(row for row in old.activities if row.title.startswith(FORUM))
    assert forum.when.text == "4-5 апреля 2024 г."
    assert forum.when.start == date(2024, 4, 4)
    now = read_plan(client.get("/plans/2024/v2.docx").content, "plan-2024-v2.docx")
    forum = next(row for row in now.activities if row.title.startswith(FORUM))
    assert forum.when.start == date(2024, 4, 11)


def test_version_2_downloads_as_pdf(client: Client, amended: Plan) -> None:
    response = client.get("/plans/2024/v2.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="plan-2024-v2.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_unknown_versions_are_not_found(client: Client, amended: Plan) -> None:
    assert client.get("/plans/2024/v3.docx").status_code == 404
    assert client.get("/plans/2024/v0.pdf").status_code == 404
    assert client.get("/plans/2023/v1.pdf").status_code == 404
    assert client.get("/plans/2023/changes/").status_code == 404


def test_a_draft_has_no_public_changes(client: Client, draft: Plan, head: User) -> None:
    assert client.get("/plans/2024/changes/").status_code == 404
    assert client.get("/plans/2024/v1.docx").status_code == 404
    staff = Client()
    staff.force_login(head)
    page = staff.get("/plans/2024/changes/")
    assert page.status_code == 200
    assert "План ещё не утверждён" in page.content.decode()


def test_the_decision_scan_is_served_for_published_versions_only(
    client: Client, amended: Plan, head: User
) -> None:
    response = client.get("/plans/2024/v1/decision")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "plan-2024-v1-decision.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == SCAN
    assert client.get("/plans/2024/v2/decision").status_code == 404  # no scan
    assert client.get("/plans/2024/v9/decision").status_code == 404
    # a plan that is a draft again (never through the actions) serves no scan, not even to staff
    Plan.objects.filter(pk=amended.pk).update(status=Plan.Status.DRAFT)
    staff = Client()
    staff.force_login(head)
    assert client.get("/plans/2024/v1/decision").status_code == 404
    assert staff.get("/plans/2024/v1/decision").status_code == 404


def test_a_scan_is_typed_by_its_content(client: Client, head: User, draft: Plan) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    approve_plan(head, draft, Decision("Общее собрание", scan_name="scan.pdf", scan=png))
    response = client.get("/plans/2024/v1/decision")
    assert response["Content-Type"] == "image/png"
    assert "plan-2024-v1-decision.png" in response["Content-Disposition"]


def queries_for(client: Client, url: str) -> int:
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_changes_page_runs_a_fixed_number_of_queries(
    client: Client, amended: Plan, head: User
) -> None:
    # the page cache's data version, the plan, its versions, their amendments
    assert queries_for(client, "/plans/2024/changes/") == 4
    for title in (FORUM, PERM_FORUM, MAY_WEEK):
        mark_held(head, activity(title))
    record_amendment(head, activity(MAY_WEEK), "changed", "Итоги полугодия")
    publish_amendments(head, amended, "Итоги полугодия")
    page = client.get("/plans/2024/changes/").content.decode()
    assert 'id="v3"' in page
    assert "Проведено" in page
    assert queries_for(client, "/plans/2024/changes/") == 4


def test_the_changes_page_in_english(client: Client, amended: Plan) -> None:
    html = client.get("/en/plans/2024/changes/").content.decode()
    version_2 = html[html.index('id="v2"') : html.index('id="v1"')]
    assert 'class="change change-postponed"' in version_2
    assert 'class="change change-cancelled"' in version_2
    assert '<del lang="ru">II Всероссийский форум' in version_2

"""The members' pages in Chromium: no WCAG 2.1 A/AA (or best-practice) violations found by
axe-core, no sideways scroll on a phone, and a coordinator who logs in through the form and sends
a post-release with a photo. Skips with the reason without Chromium or axe-core (tests/browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from civicplan.accounts import actions as account_actions
from civicplan.newsroom import actions
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.attachments import IncomingFile
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Activity, Plan
from tests.accounts.conftest import PASSWORD, pdf_bytes, png_bytes
from tests.conftest import AXE_TAGS, describe, log_in

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def pages(
    coordinator: User, staff: User, cherepovets, plan: Plan, django_capture_on_commit_callbacks
) -> dict[str, tuple[str, User | None]]:
    held = Activity.objects.get(plan=plan, position=1)
    waiting = actions.submit(
        coordinator,
        Draft(
            kind="post_release",
            title="Форум «Здоровый Череповец» прошёл",
            text="Собрались 300 человек.\n\nСпасибо участникам.",
            activity=held,
            files=[IncomingFile("фото.png", png_bytes()), IncomingFile("отчёт.pdf", pdf_bytes())],
        ),
    )
    actions.request_changes(staff, waiting, "Добавьте, пожалуйста, число участников по районам.")
    actions.submit(
        coordinator,
        Draft(kind="proposal", title="Фестиваль здоровья", proposal_year=2027, proposal_when="май"),
    )
    account_actions.invite(staff, "new@example.org", "coordinator", cherepovets)
    with django_capture_on_commit_callbacks(execute=True):
        account_actions.invite(staff, "next@example.org", "staff")
    link = mail.outbox[-1].body.split("https://plan.example.org")[1].split()[0]
    return {
        "login": ("/account/login/", None),
        "password-reset": ("/account/password/reset/", None),
        "home-coordinator": ("/account/", coordinator),
        "home-staff": ("/account/", staff),
        "submit": ("/account/submit/", coordinator),
        "propose": ("/account/propose/", coordinator),
        "submission": (f"/account/submissions/{waiting.pk}/", coordinator),
        "invitations": ("/account/invitations/", staff),
        "accept": (link, None),
        "gone": ("/account/invitation/no-such-token/", None),
        "password-change": ("/account/password/change/", coordinator),
    }


NAMES = [
    "login",
    "password-reset",
    "home-coordinator",
    "home-staff",
    "submit",
    "propose",
    "submission",
    "invitations",
    "accept",
    "gone",
    "password-change",
]


@pytest.mark.parametrize("name", NAMES)
def test_no_accessibility_violations(
    name: str,
    page: Any,
    axe: Any,
    screenshot: Any,
    live_server: Any,
    pages: dict[str, tuple[str, User | None]],
) -> None:
    path, user = pages[name]
    if user is not None:
        log_in(page, live_server, user)
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    screenshot(page, f"accounts-{name}")
    violations = axe(page, tags=[*AXE_TAGS, "best-practice"])
    assert violations == [], describe(violations)


@pytest.mark.parametrize("name", ["home-coordinator", "submit", "submission", "invitations"])
def test_pages_fit_a_phone(
    name: str,
    mobile_page: Any,
    screenshot: Any,
    live_server: Any,
    pages: dict[str, tuple[str, User | None]],
) -> None:
    path, user = pages[name]
    log_in(mobile_page, live_server, user)
    mobile_page.goto(live_server.url + path)
    screenshot(mobile_page, f"accounts-{name}-phone")
    overflow = mobile_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_the_locked_out_page(
    page: Any,
    axe: Any,
    live_server: Any,
    coordinator: User,
) -> None:
    for _attempt in range(5):
        page.goto(live_server.url + "/account/login/")
        page.fill("#id_username", coordinator.username)
        page.fill("#id_password", "не тот пароль")
        with page.expect_navigation() as navigation:
            page.click("button[type=submit]")
    assert navigation.value.status == 429
    assert page.locator("h1").inner_text() == "Вход временно закрыт"
    violations = axe(page, tags=[*AXE_TAGS, "best-practice"])
    assert violations == [], describe(violations)


def test_a_coordinator_logs_in_and_sends_a_post_release_with_a_photo(
    page: Any,
    screenshot: Any,
    live_server: Any,
    coordinator: User,
    plan: Plan,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "форум.png"
    photo.write_bytes(png_bytes())
    page.goto(live_server.url + "/")
    page.click("header a.account")
    page.fill("#id_username", coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/account/")
    page.click("text=Отправить пост-релиз")
    assert page.input_value("#id_kind") == "post_release"
    page.fill("#id_title", "Форум прошёл")
    page.fill("#id_text", "Собрались 300 человек.")
    page.set_input_files("#id_files", str(photo))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/account/submissions/*/")
    screenshot(page, "accounts-sent")
    assert "на рассмотрении" in page.inner_text("main")
    submission = Submission.objects.get()
    assert submission.activity.title.startswith("Форум «Здоровый Череповец»")
    assert [a.name for a in submission.attachments.all()] == ["форум.png"]
    with page.expect_download() as download:
        page.click("text=форум.png")
    assert Path(download.value.path()).read_bytes() == png_bytes()

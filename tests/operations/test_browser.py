"""The staff's operations pages in Chromium: the outbox and a held invitation's letter, an
import's progress and preview, a long plan's file being written, a person's data request. No
WCAG 2.1 A/AA (or best-practice) violations found by axe-core, no refusal by the
Content-Security-Policy, nothing wider than a phone. Skips with the reason without Chromium or
axe-core (tests/conftest.py)."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from django.contrib.auth.models import User

from civicplan.accounts import actions as account_actions
from civicplan.outbox.models import OutgoingMessage
from civicplan.plans import uploads
from civicplan.plans.importing import import_plan
from civicplan.plans.models import ImportJob, Plan
from tests.conftest import AXE_TAGS, describe, log_in

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def pages(settings, seed_bytes: bytes, django_capture_on_commit_callbacks) -> dict[str, str]:
    settings.EMAIL_BACKEND = "civicplan.outbox.delivery.HeldBackend"  # a fresh machine: no SMTP
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CIVICPLAN_EXPORT_INLINE_ROWS = 10
    staff = User.objects.create_user(
        "director@example.org", "director@example.org", "x", is_staff=True, first_name="Анна"
    )
    with django_capture_on_commit_callbacks(execute=True):
        account_actions.invite(staff, "new.coordinator@example.org", "staff")
    letter = OutgoingMessage.objects.get()
    import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED)
    ready = uploads.start(staff, seed_bytes, "plan-2024.txt", None)
    reading = ImportJob.objects.create(
        token=secrets.token_urlsafe(8),
        created_by=staff,
        source="план-2025.docx",
        rows_done=1200,
        rows_total=3400,
    )
    return {
        "staff": staff,
        "outbox": "/staff/outbox/",
        "letter": f"/staff/outbox/{letter.pk}/",
        "import-preview": f"/staff/import/{ready.token}/",
        "import-progress": f"/staff/import/{reading.token}/",
        "export-wait": "/plans/2024.pdf",
        "people": "/staff/people/?q=example.org",
        "person": f"/staff/people/{staff.pk}/",
    }


NAMES = [
    "outbox",
    "letter",
    "import-preview",
    "import-progress",
    "export-wait",
    "people",
    "person",
]


@pytest.mark.parametrize("name", NAMES)
def test_no_accessibility_violations(
    name: str, page: Any, axe: Any, screenshot: Any, live_server: Any, pages: dict
) -> None:
    log_in(page, live_server, pages["staff"])
    page.goto(live_server.url + pages[name])
    assert page.locator("h1").count() == 1
    screenshot(page, f"operations-{name}")
    violations = axe(page, tags=[*AXE_TAGS, "best-practice"])
    assert violations == [], describe(violations)


def test_a_held_invitation_can_be_read_and_its_link_copied(
    page: Any, live_server: Any, pages: dict
) -> None:
    """On a machine with no SMTP, the invitation's letter waits in the outbox with its link."""
    log_in(page, live_server, pages["staff"])
    page.goto(live_server.url + "/account/invitations/")
    page.click("text=письмо в исходящих")
    assert "Приглашение" in page.locator("h1").inner_text()
    text = page.locator("pre.letter").inner_text()
    assert "/account/invitation/" in text
    assert "не отправлено: почта не настроена" in page.content()


@pytest.mark.parametrize("name", ["outbox", "letter", "import-preview", "person"])
def test_pages_fit_a_phone(
    name: str, mobile_page: Any, screenshot: Any, live_server: Any, pages: dict
) -> None:
    log_in(mobile_page, live_server, pages["staff"])
    mobile_page.goto(live_server.url + pages[name])
    screenshot(mobile_page, f"operations-{name}-phone")
    overflow = mobile_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

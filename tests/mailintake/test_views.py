"""The directorate's list of failed letters at /staff/mail/ and its retry button."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from civicplan.mailintake import actions, processing
from civicplan.mailintake.models import InboundMessage
from tests.mailintake.letters import COORDINATOR, NEWS, modern

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status


@pytest.fixture
def failed(coordinator, monkeypatch: pytest.MonkeyPatch) -> InboundMessage:
    """A letter whose processing broke (the cause is gone once the test has it)."""
    with monkeypatch.context() as patched:
        patched.setattr(processing, "check_files", lambda mail: 1 / 0)
        message = actions.process(actions.receive(modern(), mail_from=COORDINATOR, rcpt_tos=[NEWS]))
    assert message.status == Status.FAILED
    return message


def test_the_list_shows_failed_letters_with_their_error(
    client: Client, staff: User, failed: InboundMessage
) -> None:
    other = actions.receive(modern(subject="Другое письмо"), mail_from=COORDINATOR)
    processed = actions.process(other)
    assert processed.status == Status.PROCESSED
    client.force_login(staff)
    response = client.get(reverse("mailintake:failed"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ZeroDivisionError: division by zero" in page
    assert failed.subject in page
    assert failed.raw_path in page
    assert "Другое письмо" not in page
    assert reverse("mailintake:retry", args=[failed.pk]) in page


def test_retry_with_the_csrf_token(staff: User, failed: InboundMessage) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    url = reverse("mailintake:retry", args=[failed.pk])
    assert client.post(url).status_code == 403  # no token
    failed.refresh_from_db()
    assert failed.status == Status.FAILED

    page = client.get(reverse("mailintake:failed"))
    token = page.context["csrf_token"]
    response = client.post(url, {"csrfmiddlewaretoken": str(token)}, follow=True)
    assert response.redirect_chain == [(reverse("mailintake:failed"), 302)]
    failed.refresh_from_db()
    assert failed.status == Status.PROCESSED
    assert failed.attempts == 2
    assert failed.submission is not None
    assert "разобрано" in response.content.decode()
    assert "Писем с ошибкой нет." in response.content.decode()


def test_a_retry_that_fails_again_says_so(
    client: Client, staff: User, failed: InboundMessage, mail_settings
) -> None:
    failed.path.unlink()
    client.force_login(staff)
    response = client.post(reverse("mailintake:retry", args=[failed.pk]), follow=True)
    failed.refresh_from_db()
    assert failed.status == Status.FAILED
    assert failed.error.startswith("Файл письма не найден")
    assert "снова не разобрано" in response.content.decode()


def test_retry_of_a_processed_letter_is_refused(client: Client, staff: User, coordinator) -> None:
    done = actions.process(actions.receive(modern()))
    client.force_login(staff)
    response = client.post(reverse("mailintake:retry", args=[done.pk]), follow=True)
    assert "Это письмо уже разобрано." in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_directorate(
    client: Client, coordinator: User, failed: InboundMessage, method: str
) -> None:
    list_url = reverse("mailintake:failed")
    retry_url = reverse("mailintake:retry", args=[failed.pk])
    url = list_url if method == "get" else retry_url
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(coordinator)
    assert getattr(client, method)(url).status_code == 403
    failed.refresh_from_db()
    assert failed.status == Status.FAILED


def test_retry_is_post_only(client: Client, staff: User, failed: InboundMessage) -> None:
    client.force_login(staff)
    assert client.get(reverse("mailintake:retry", args=[failed.pk])).status_code == 405


def test_the_retry_action_checks_permission(coordinator: User, failed: InboundMessage) -> None:
    with pytest.raises(PermissionDenied):
        actions.retry(coordinator, failed)


def test_the_admin_lists_letters_read_only(client: Client, coordinator: User) -> None:
    message = actions.process(actions.receive(modern(), mail_from=COORDINATOR))
    admin = User.objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(admin)
    listing = client.get(reverse("admin:mailintake_inboundmessage_changelist"))
    assert listing.status_code == 200
    assert message.subject in listing.content.decode()
    page = client.get(reverse("admin:mailintake_inboundmessage_change", args=[message.pk]))
    assert page.status_code == 200
    assert (
        client.post(
            reverse("admin:mailintake_inboundmessage_delete", args=[message.pk])
        ).status_code
        == 403
    )

"""Every form of the accounts app refuses a POST without the CSRF token and takes it with one,
including the upload forms, whose CSRF check runs in the view (see common/uploads.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civicplan.accounts import actions as account_actions
from civicplan.newsroom import actions
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.models import Submission
from tests.accounts.conftest import png_bytes

pytestmark = pytest.mark.django_db


def _csrf_client(user: User | None, page: str) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    response = client.get(page)
    assert response.status_code == 200
    return client, response.cookies["csrftoken"].value


def _refused_then_taken(client: Client, url: str, data: dict, token: str, taken: int = 302):
    refused = client.post(url, data)
    assert refused.status_code == 403
    assert b"CSRF" in refused.content
    accepted = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert accepted.status_code == taken, accepted.content.decode()[:2000]
    return accepted


def test_submission_form_with_a_file(coordinator: User) -> None:
    client, token = _csrf_client(coordinator, "/account/submit/")

    def data() -> dict:
        return {
            "kind": "press_release",
            "title": "Новость",
            "files": SimpleUploadedFile("photo.png", png_bytes(), "image/png"),
        }

    assert client.post("/account/submit/", data()).status_code == 403
    assert not Submission.objects.exists()
    response = client.post("/account/submit/", {**data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Submission.objects.get().attachments.count() == 1


def test_resubmission(coordinator: User, staff: User) -> None:
    submission = actions.submit(coordinator, Draft(kind="press_release", title="Новость"))
    actions.request_changes(staff, submission, "Нужна дата.")
    url = f"/account/submissions/{submission.pk}/"
    client, token = _csrf_client(coordinator, url)
    _refused_then_taken(client, url, {"title": "Новость 12 мая", "text": "", "activity": ""}, token)


def test_proposal(coordinator: User) -> None:
    client, token = _csrf_client(coordinator, "/account/propose/")
    _refused_then_taken(client, "/account/propose/", {"when": "май", "title": "Форум"}, token)


def test_invitations_resend_and_revoke(
    staff: User, cherepovets, django_capture_on_commit_callbacks
) -> None:
    client, token = _csrf_client(staff, "/account/invitations/")
    data = {"email": "new@example.org", "role": "coordinator", "organisation": cherepovets.pk}
    with django_capture_on_commit_callbacks(execute=True):
        _refused_then_taken(client, "/account/invitations/", data, token)
    invitation = account_actions.Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        _refused_then_taken(client, f"/account/invitations/{invitation.pk}/resend/", {}, token)
    _refused_then_taken(client, f"/account/invitations/{invitation.pk}/revoke/", {}, token)


def test_accepting_an_invitation(staff: User, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        account_actions.invite(staff, "new@example.org", "staff")
    link = "/account/invitation/" + mail.outbox[0].body.split("/account/invitation/")[1].split()[0]
    client, token = _csrf_client(None, link)
    data = {
        "first_name": "Нина",
        "last_name": "Орлова",
        "password1": "Серебряный-бор-51",
        "password2": "Серебряный-бор-51",
    }
    _refused_then_taken(client, link, data, token)


def test_password_reset_and_logout(coordinator: User) -> None:
    client, token = _csrf_client(None, "/account/password/reset/")
    _refused_then_taken(client, "/account/password/reset/", {"email": coordinator.email}, token)
    client, token = _csrf_client(coordinator, "/account/")
    _refused_then_taken(client, "/account/logout/", {}, token)

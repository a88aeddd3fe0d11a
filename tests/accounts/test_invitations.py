"""Invitations end to end: staff invite, the letter carries a one-time link, the invited person
sets a name and password and is a coordinator of the organisation; dead links are 404/410."""

from __future__ import annotations

import re
import socket
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from civicplan.accounts import actions
from civicplan.accounts.models import Invitation
from civicplan.audit.models import Event
from civicplan.directory.models import Organisation

pytestmark = pytest.mark.django_db

INVITEE = "health@cherepovets.example.ru"
NEW_PASSWORD = "Здоровый-Череповец-2025"


def _link(message) -> str:
    links = re.findall(r"https://plan\.example\.org(/account/invitation/[\w-]+/)", message.body)
    assert len(links) == 1, message.body
    return links[0]


def _invite(client: Client, capture, **data) -> object:
    with capture(execute=True):
        return client.post("/account/invitations/", data)


def _accept(client: Client, link: str, **extra):
    data = {
        "first_name": "Елена",
        "last_name": "Петрова",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }
    return client.post(link, data)


def test_invitation_end_to_end(
    client: Client,
    staff: User,
    cherepovets: Organisation,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(staff)
    form = client.get("/account/invitations/")
    assert form.status_code == 200
    response = _invite(
        client,
        django_capture_on_commit_callbacks,
        email=INVITEE.upper(),
        role="coordinator",
        organisation=cherepovets.pk,
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == INVITEE
    assert invitation.sent is not None
    assert timedelta(days=6, hours=23) < invitation.expires - timezone.now() <= timedelta(days=7)
    assert Event.objects.filter(action="invitation.create", actor=staff).exists()

    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [INVITEE]
    assert letter.subject.startswith("Приглашение в CivicPlan")
    assert "Мэрия города Череповца" in letter.body
    link = _link(letter)
    html = letter.alternatives[0][0]
    assert f"https://plan.example.org{link}" in html
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in Invitation.objects.values_list("token_hash", flat=True)[0]

    listing = client.get("/account/invitations/").content.decode()
    assert INVITEE in listing
    client.post("/account/logout/")

    page = client.get(link)
    assert page.status_code == 200
    assert INVITEE in page.content.decode()
    accepted = _accept(client, link)
    assert accepted.status_code == 302
    assert accepted["Location"] == "/account/"
    user = User.objects.get(username=INVITEE)
    assert user.email == INVITEE
    assert user.get_full_name() == "Елена Петрова"
    assert not user.is_staff
    assert user.coordinator.organisation == cherepovets
    assert user.has_perm("newsroom.add_submission")
    invitation.refresh_from_db()
    assert invitation.accepted is not None
    assert invitation.user == user
    # Logged in as the new user.
    home = client.get("/account/")
    assert home.status_code == 200
    assert "Мэрия города Череповца" in home.content.decode()

    # The link is dead now: 410 Gone, and no second user.
    client.post("/account/logout/")
    assert client.get(link).status_code == 410
    again = _accept(client, link, first_name="Второй")
    assert again.status_code == 410
    assert "уже воспользовались" in again.content.decode()
    assert User.objects.filter(username=INVITEE).count() == 1


def test_staff_invitation_makes_a_member_of_staff(
    client: Client, staff: User, django_capture_on_commit_callbacks
) -> None:
    client.force_login(staff)
    _invite(
        client, django_capture_on_commit_callbacks, email="new@zdorovye.example.ru", role="staff"
    )
    client.post("/account/logout/")
    assert _accept(client, _link(mail.outbox[0])).status_code == 302
    user = User.objects.get(username="new@zdorovye.example.ru")
    assert user.is_staff
    assert not hasattr(user, "coordinator")
    assert user.has_perm("accounts.invite")
    assert not user.has_perm("plans.approve_plan")


def test_only_the_head_invites_a_head_who_may_approve_plans(
    client: Client, staff: User, django_capture_on_commit_callbacks
) -> None:
    with pytest.raises(PermissionDenied):
        actions.invite(staff, "deputy@zdorovye.example.ru", "head")
    head = User.objects.create_superuser("head", "head@zdorovye.example.ru", "x-secret-42")
    client.force_login(head)
    _invite(
        client, django_capture_on_commit_callbacks, email="deputy@zdorovye.example.ru", role="head"
    )
    client.post("/account/logout/")
    assert _accept(client, _link(mail.outbox[0])).status_code == 302
    user = User.objects.get(username="deputy@zdorovye.example.ru")
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert user.has_perm("plans.approve_plan")
    assert user.has_perm("plans.publish_amendments")


def test_expired_and_revoked_links_are_gone_and_unknown_ones_not_found(
    client: Client, staff: User, cherepovets: Organisation, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.invite(staff, INVITEE, "coordinator", cherepovets)
    link = _link(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    expired = client.get(link)
    assert expired.status_code == 410
    assert "Срок действия приглашения истёк" in expired.content.decode()
    assert _accept(client, link).status_code == 410
    assert not User.objects.filter(username=INVITEE).exists()

    missing = client.get("/account/invitation/not-a-real-token/")
    assert missing.status_code == 404
    assert "Такого приглашения нет" in missing.content.decode()

    # Re-sent: a new link, the old one stays dead.
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/account/invitations/{invitation.pk}/resend/")
    new_link = _link(mail.outbox[1])
    assert new_link != link
    client.post("/account/logout/")
    assert client.get(link).status_code == 404  # its hash is gone from the row: unknown now
    assert client.get(new_link).status_code == 200

    # Revoked: 410 at once.
    client.force_login(staff)
    assert client.post(f"/account/invitations/{invitation.pk}/revoke/").status_code == 302
    client.post("/account/logout/")
    revoked = client.get(new_link)
    assert revoked.status_code == 410
    assert "отозвано" in revoked.content.decode()


def test_the_password_must_pass_the_validators(
    client: Client, staff: User, cherepovets: Organisation, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite(staff, INVITEE, "coordinator", cherepovets)
    link = _link(mail.outbox[0])
    weak = _accept(client, link, password1="12345678", password2="12345678")
    assert weak.status_code == 400
    assert weak.context["form"].errors["password1"]
    mismatch = _accept(client, link, password2=NEW_PASSWORD + "x")
    assert mismatch.status_code == 400
    assert mismatch.context["form"].errors["password2"] == ["Пароли не совпадают."]
    like_address = _accept(
        client, link, password1="health.cherepovets", password2="health.cherepovets"
    )
    assert like_address.status_code == 400
    assert not User.objects.filter(username=INVITEE).exists()
    assert Invitation.objects.get().is_usable


def test_invite_refuses_what_makes_no_sense(
    staff: User, coordinator: User, cherepovets: Organisation, django_capture_on_commit_callbacks
) -> None:
    with pytest.raises(PermissionDenied):
        actions.invite(coordinator, INVITEE, "coordinator", cherepovets)
    with pytest.raises(ValidationError, match="Координатору нужна организация"):
        actions.invite(staff, INVITEE, "coordinator", None)
    with pytest.raises(ValidationError, match="уже есть учётная запись"):
        actions.invite(staff, coordinator.email.upper(), "coordinator", cherepovets)
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite(staff, INVITEE, "coordinator", cherepovets)
    with pytest.raises(ValidationError, match="уже есть действующее приглашение"):
        actions.invite(staff, INVITEE, "staff")


def test_form_needs_an_organisation_for_a_coordinator_and_lists_members_first(
    client: Client, staff: User, cherepovets: Organisation, perm: Organisation, fund: Organisation
) -> None:
    client.force_login(staff)
    page = client.get("/account/invitations/")
    choices = page.context["form"].fields["organisation"].choices
    assert [group for group, _options in choices[1:]] == ["Члены Ассоциации", "Другие организации"]
    assert [name for _pk, name in choices[1][1]] == [
        "Администрация города Перми",
        "Мэрия города Череповца",
    ]
    assert [name for _pk, name in choices[2][1]] == ["Благотворительный фонд «Анна»"]
    response = client.post("/account/invitations/", {"email": INVITEE, "role": "coordinator"})
    assert response.status_code == 400
    assert response.context["form"].errors["organisation"]
    assert not Invitation.objects.exists()


def test_a_failed_letter_is_reported_and_can_be_sent_again(
    client: Client,
    staff: User,
    cherepovets: Organisation,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    client.force_login(staff)
    response = _invite(
        client,
        django_capture_on_commit_callbacks,
        email=INVITEE,
        role="coordinator",
        organisation=cherepovets.pk,
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.sent is None
    listing = client.get("/account/invitations/").content.decode()
    assert "письмо не отправлено" in listing
    assert "письмо не отправилось" in listing  # the message after the redirect

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/account/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert invitation.sent is not None
    assert len(mail.outbox) == 1

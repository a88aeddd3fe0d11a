"""A person's data on their request: staff find them, export everything kept about them as one
file, and erase it; what the association published stays, unlinked from the person."""

from __future__ import annotations

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from civicplan.accounts.models import Coordinator, Invitation, SenderAddress
from civicplan.audit.models import Event
from civicplan.directory.models import Organisation
from civicplan.mailintake.models import InboundMessage
from civicplan.newsroom.models import Submission
from civicplan.operations import privacy
from civicplan.outbox.mail import send_templated
from civicplan.outbox.models import MailPreference, OutgoingMessage
from civicplan.plans.models import Activity, Plan
from civicplan.reports.models import ClosingReport, ProgressEntry

pytestmark = pytest.mark.django_db

EMAIL = "maria@cherepovets.example.ru"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("director", "director@example.org", "x", is_staff=True)


@pytest.fixture
def maria(tmp_path, settings) -> User:
    """A coordinator with something of hers in every place CivicPlan keeps data."""
    settings.CIVICPLAN_MAIL_DIR = tmp_path / "mail"
    city = Organisation.objects.create(name="Мэрия г. Череповца", key="череповец")
    user = User.objects.create_user(EMAIL, EMAIL, "x", first_name="Мария", last_name="Иванова")
    Coordinator.objects.create(user=user, organisation=city)
    Invitation.objects.create(
        email=EMAIL,
        role="coordinator",
        organisation=city,
        token_hash="h" * 64,
        expires=timezone.now(),
        user=user,
    )
    SenderAddress.objects.create(email=EMAIL, organisation=city)
    MailPreference.for_address(EMAIL)
    send_templated(EMAIL, "newsroom/mail/rejected", {"submission": None, "kind": "", "reason": ""})
    raw = settings.CIVICPLAN_MAIL_DIR / "2025/01/01/letter.eml"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(f"From: {EMAIL}\r\n\r\nтекст".encode())
    InboundMessage.objects.create(
        received=timezone.now(),
        size=10,
        sha256="0" * 64,
        raw_path="2025/01/01/letter.eml",
        mail_from=EMAIL,
        subject="Новость",
    )
    Submission.objects.create(
        kind="press_release",
        title="День здоровья",
        source="form",
        author=user,
        status="published",
        sender_email=EMAIL,
    )
    Event.objects.create(actor=user, action="submission.receive", subject="День здоровья")
    AccessAttempt.objects.create(username=EMAIL, ip_address="192.0.2.1", failures_since_start=2)
    plan = Plan.objects.create(owner=city, year=2024, title="План")
    forum = Activity.objects.create(plan=plan, position=1, title="Форум здоровья")
    ClosingReport.objects.create(activity=forum, participants=40, updated_by=user)
    ProgressEntry.objects.create(
        activity=forum, on=datetime.date(2024, 5, 1), percent=30, created_by=user
    )
    return user


def test_the_export_holds_everything_kept(client: Client, staff: User, maria: User) -> None:
    client.force_login(staff)
    found = client.get("/staff/people/", {"q": "Иванова"}).content.decode()
    assert f'href="/staff/people/{maria.pk}/"' in found
    page = client.get(f"/staff/people/{maria.pk}/").content.decode()
    assert "Что хранится" in page
    response = client.get(f"/staff/people/{maria.pk}/export.json")
    assert response["Content-Disposition"] == f'attachment; filename="person-{maria.pk}.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == EMAIL
    assert data["coordinator"][0]["organisation"] == "Мэрия г. Череповца"
    for kept in ("invitations", "sender_addresses", "mail_preferences", "letters_to"):
        assert len(data[kept]) == 1, kept
    assert data["letters_from"][0]["subject"] == "Новость"
    assert data["submissions"][0]["title"] == "День здоровья"
    assert data["failed_logins"] == 1
    assert data["reports"][0]["activity__title"] == "Форум здоровья"
    assert data["progress"][0]["percent"] == 30
    assert Event.objects.filter(action="person.export").exists()


def test_erasing_leaves_nothing_of_the_person(
    client: Client, staff: User, maria: User, django_capture_on_commit_callbacks
) -> None:
    raw = InboundMessage.objects.get().path
    client.force_login(staff)
    assert client.post(f"/staff/people/{maria.pk}/erase/").status_code == 302  # unconfirmed
    assert User.objects.get(pk=maria.pk).email == EMAIL
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/people/{maria.pk}/erase/", {"confirm": "1"})
    maria.refresh_from_db()
    assert (maria.email, maria.first_name, maria.last_name) == ("", "", "")
    assert maria.username == f"erased-{maria.pk}"
    assert not maria.is_active
    assert not maria.has_usable_password()
    for model in (Coordinator, Invitation, SenderAddress, MailPreference, AccessAttempt):
        assert not model.objects.exists(), model
    assert not OutgoingMessage.objects.filter(recipients__icontains=EMAIL).exists()
    letter = InboundMessage.objects.get()
    assert (letter.mail_from, letter.subject) == (privacy.ERASED, privacy.ERASED)
    assert not raw.exists()
    news = Submission.objects.get()  # published: it stays, unlinked
    assert (news.author, news.sender_email, news.title) == (None, "", "День здоровья")
    assert not Event.objects.filter(actor=maria.pk).exists()
    assert ClosingReport.objects.get().updated_by is None  # the report stays, unlinked
    assert ProgressEntry.objects.get().created_by is None
    erased = Event.objects.get(action="person.erase")
    assert EMAIL not in json.dumps(erased.data, ensure_ascii=False) + erased.subject


def test_letters_to_an_address_that_ends_with_hers_are_not_hers(
    staff: User, maria: User, django_capture_on_commit_callbacks
) -> None:
    """Another person's letters stay: "anna.maria@…" is not "maria@…"."""
    other = f"anna.{EMAIL}"
    send_templated(other, "newsroom/mail/rejected", {"submission": None, "kind": "", "reason": ""})
    person = privacy.Person(maria)
    assert [letter.recipients for letter in person.letters_to()] == [[EMAIL]]
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase(staff, maria)
    assert OutgoingMessage.objects.get().recipients == [other]


def test_only_the_directorate_and_not_about_oneself(staff: User, maria: User) -> None:
    with pytest.raises(PermissionDenied):
        privacy.erase(maria, staff)
    with pytest.raises(PermissionDenied):
        privacy.erase(staff, staff)
    assert User.objects.get(pk=staff.pk).is_active

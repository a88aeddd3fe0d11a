"""A person's data on their request: staff find them, export everything kept about them as one
file, and erase it; what the association published stays, unlinked from the person."""

from __future__ import annotations

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
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
from tests.contests.conftest import _mail_and_media, clock, world  # noqa: F401 (fixtures)

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


@pytest.fixture
def entries(request, maria: User, django_capture_on_commit_callbacks):
    """Maria's contest entries: her own drawing (with its file) as a signed-in user, a guest's
    entry for her child from her address, and one for her municipality as its coordinator; and
    someone else's entry that is none of hers."""
    from civicplan.contests import actions as contests
    from civicplan.contests.rules import Guest
    from tests.contests.conftest import entry

    contest = request.getfixturevalue("world")
    Coordinator.objects.filter(user=maria).update(organisation=contest.member)
    maria = User.objects.get(pk=maria.pk)
    with django_capture_on_commit_callbacks(execute=True):
        own = contests.save_application(maria, contest.contest, entry(contest), submit=True)
        child = contests.save_application(
            Guest(),
            contest.contest,
            entry(
                contest,
                email=EMAIL.upper(),
                first_name="Петя",
                last_name="Иванов",
                minor=True,
                age=9,
                guardian_name="Иванова Мария",
                guardian_consent=True,
            ),
        )
        city = contests.save_application(
            maria,
            contest.contest,
            entry(contest, kind="municipality", first_name="Мария"),
            submit=True,
        )
        other = contests.save_application(
            contest.nobody, contest.contest, entry(contest, email="nobody@example.org")
        )
    return own, child, city, other


def test_contest_entries_are_in_the_export(
    client: Client, staff: User, maria: User, entries
) -> None:
    client.force_login(staff)
    page = client.get(f"/staff/people/{maria.pk}/").content.decode()
    assert "заявки на конкурсы" in page
    data = json.loads(client.get(f"/staff/people/{maria.pk}/export.json").content)
    found = {item["first_name"]: item for item in data["contest_applications"]}
    assert set(found) == {"Анна", "Петя", "Мария"}
    drawing = found["Анна"]
    assert drawing["contest"] == "Здоровые города глазами детей"
    assert drawing["nomination"] == "Рисунок"
    assert drawing["answers"]["Название работы"] == "Мой двор"
    assert drawing["files"][0]["name"] == "двор.jpg"
    assert drawing["files"][0]["type"] == "jpeg"
    assert found["Петя"]["guardian_name"] == "Иванова Мария"
    assert found["Петя"]["age"] == 9


def test_erasing_takes_her_own_entries_with_their_files_and_unlinks_her_citys(
    staff: User, maria: User, entries, django_capture_on_commit_callbacks
) -> None:
    from civicplan.contests.models import Application, ApplicationFile

    own, child, city, other = entries
    stored = [own.files.get().file.name, own.files.get().thumbnail.name]
    assert all(default_storage.exists(name) for name in stored)
    assert city.counts
    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy.erase(staff, maria)
    assert counts["contest_applications"] == 3
    assert not Application.objects.filter(pk__in=[own.pk, child.pk]).exists()
    assert not ApplicationFile.objects.filter(application=own.pk).exists()
    assert not any(default_storage.exists(name) for name in stored)
    city.refresh_from_db()  # the municipality's entry stays, still counted, without her
    assert (city.user, city.email, city.first_name, city.last_name) == (
        None, "", privacy.ERASED, privacy.ERASED,
    )  # fmt: skip
    assert city.counts
    assert city.organisation_id is not None
    other.refresh_from_db()
    assert (other.user, other.first_name) == (User.objects.get(pk=other.user_id), "Анна")
    assert EMAIL not in json.dumps(
        list(Application.objects.values()), cls=DjangoJSONEncoder, ensure_ascii=False
    )

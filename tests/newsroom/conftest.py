"""Fixtures of the newsroom's tests: people in each role, a small plan, submissions made
through the actions (so each has its history), files that are what they claim."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from civicplan.accounts.models import Coordinator
from civicplan.directory.models import Organisation
from civicplan.newsroom import actions
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.attachments import IncomingFile
from civicplan.newsroom.models import Submission
from civicplan.plandoc.organisations import organisation_key
from civicplan.plans.actions import owner_organisation
from civicplan.plans.models import Activity, Plan, Responsibility, Section
from tests.helpers import data_changed

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def _newsroom_settings(settings, tmp_path: Path) -> None:
    """Mail tasks are only recorded (the notifications are tested on their own) and files go to
    a temporary directory."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


def png(width: int = 2, height: int = 1) -> bytes:
    """A real (tiny) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x0b\x5d\x3b" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def organisation(name: str, kind: str = Organisation.Kind.MUNICIPAL) -> Organisation:
    return Organisation.objects.create(name=name, key=organisation_key(name), kind=kind)


@pytest.fixture
def perm_city() -> Organisation:
    return organisation("Администрация города Перми")


@pytest.fixture
def kazan() -> Organisation:
    return organisation("Исполнительный комитет муниципального образования г. Казани")


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("staff", "staff@example.org", is_staff=True, first_name="Анна")


@pytest.fixture
def coordinator(perm_city: Organisation) -> User:
    user = User.objects.create_user("perm", "perm@example.org")
    Coordinator.objects.create(user=user, organisation=perm_city)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def other_coordinator(kazan: Organisation) -> User:
    user = User.objects.create_user("kazan", "kazan@example.org")
    Coordinator.objects.create(user=user, organisation=kazan)
    return User.objects.get(pk=user.pk)


def small_plan(year: int, status: str = Plan.Status.APPROVED) -> Plan:
    """A plan of two sections and three activities."""
    plan = Plan.objects.create(
        owner=owner_organisation(), year=year, title=f"План на {year} год", status=status
    )
    first = Section.objects.create(plan=plan, position=1, heading="I. Конференции")
    second = Section.objects.create(plan=plan, position=2, heading="II. Проекты")
    rows = [
        (first, "Региональная конференция «Здоровый город»", date(year, 4, 4), "4 апреля"),
        (first, "Форум здоровых городов в Перми", date(year, 5, 20), "20 мая"),
        (second, "Проект «Активное долголетие»", date(year, 9, 1), "сентябрь"),
    ]
    for position, (section, title, day, when) in enumerate(rows, start=1):
        Activity.objects.create(
            plan=plan,
            section=section,
            position=position,
            when_text=when,
            start=day,
            end=day,
            precision=Activity.Precision.DAY,
            title=title,
        )
    return plan


@pytest.fixture
def plan() -> Plan:
    return small_plan(date.today().year)


@pytest.fixture
def activity(plan: Plan, perm_city: Organisation) -> Activity:
    found = plan.activities.get(position=2)
    Responsibility.objects.create(activity=found, organisation=perm_city, written_as=perm_city.name)
    return found


Make = Callable[..., Submission]


@pytest.fixture
def make(coordinator: User) -> Make:
    """A submission sent by the coordinator through `actions.submit` (in review), then moved
    to `status` by updating the row where a test needs another state."""

    def make(
        title: str = "Пост-релиз форума",
        *,
        kind: str = Submission.Kind.POST_RELEASE,
        status: str | None = None,
        files: tuple[IncomingFile, ...] = (),
        **fields: object,
    ) -> Submission:
        draft = Draft(kind=kind, title=title, files=files, **fields)
        submission = actions.submit(coordinator, draft)
        if status is not None and status != submission.status:
            Submission.objects.filter(pk=submission.pk).update(status=status)
            submission.refresh_from_db()
        return submission

    return make


@pytest.fixture
def quarantined(perm_city: Organisation) -> Submission:
    return actions.quarantine(
        Draft(
            kind=Submission.Kind.PRESS_RELEASE,
            title="Письмо с незнакомого адреса",
            text="Просим опубликовать.",
            sender_email="Press@Perm.example",
        )
    )


def publish(make: Make, staff: User, title: str, when: datetime, **fields: object) -> Submission:
    """A submission published through the action, then dated `when` (Moscow time)."""
    submission = make(title, **fields)
    actions.publish(staff, submission)
    Submission.objects.filter(pk=submission.pk).update(published=when.replace(tzinfo=MOSCOW))
    data_changed()
    submission.refresh_from_db()
    return submission

"""Fixtures of the mail intake tests: the intake server on a free port (SMTP or LMTP) over a
database the test can see, a temporary mail directory and media root, the approved seed plan,
and a coordinator with a known address."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from civicplan.accounts.models import Coordinator
from civicplan.directory.models import Organisation
from civicplan.mailintake.server import IntakeServer
from civicplan.plandoc.organisations import organisation_key
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Plan
from tests.mailintake.letters import COORDINATOR, NEWS


@pytest.fixture(autouse=True)
def mail_settings(settings, tmp_path: Path) -> Path:
    """A fresh mail directory and media root; tasks run at once; mail stays in memory."""
    settings.CIVICPLAN_MAIL_DIR = tmp_path / "mail"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICPLAN_NEWS_ADDRESSES = [NEWS, "press-releases@zdorovye-goroda.example"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return tmp_path / "mail"


class Intake:
    """A running intake server and a way to send it a letter and wait until it is processed."""

    def __init__(self, server: IntakeServer) -> None:
        self.server = server

    def client(self) -> smtplib.SMTP:
        protocol = smtplib.LMTP if self.server.lmtp else smtplib.SMTP
        return protocol(self.server.host, self.server.port, timeout=60)

    def send(self, raw: bytes, *, mail_from: str = COORDINATOR, to: str = NEWS) -> dict:
        with self.client() as client:
            refused = client.sendmail(mail_from, [to], raw)
        self.server.drain()
        return refused


def _start(lmtp: bool) -> Iterator[Intake]:
    server = IntakeServer("127.0.0.1", 0, lmtp=lmtp)
    server.start()
    try:
        yield Intake(server)
    finally:
        server.stop()


@pytest.fixture
def intake(transactional_db) -> Iterator[Intake]:
    """The SMTP server; the database is shared with its threads, so the test sees their rows."""
    yield from _start(lmtp=False)


@pytest.fixture
def lmtp_intake(transactional_db) -> Iterator[Intake]:
    yield from _start(lmtp=True)


@pytest.fixture
def plan(seed_bytes: bytes, db) -> Plan:
    return Plan.objects.get(
        pk=import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED).plan_id
    )


@pytest.fixture
def organisation(db) -> Organisation:
    name = "Администрация г. Перми"
    organisation, _created = Organisation.objects.get_or_create(
        key=organisation_key(name), defaults={"name": name, "kind": "municipal"}
    )
    return organisation


@pytest.fixture
def coordinator(organisation: Organisation) -> User:
    user = User.objects.create_user("perm", email="Press@Perm.example", password="x" * 20)
    Coordinator.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user("staff", email="staff@example.org", is_staff=True)

"""Fixtures of the notification tests: a real SMTP sink (aiosmtpd) that outgoing mail goes to,
the approved seed plan, and a coordinator of an organisation responsible for its activities."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.db import connection

from civicplan.accounts.models import Coordinator
from civicplan.directory.models import Organisation
from civicplan.notifications import schedule
from civicplan.notifications.schedule import Due
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan


@dataclass
class Received:
    """One envelope as the sink got it, with the message parsed (modern policy: decoded headers)."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def header(self, name: str) -> str | None:
        # Python folds a long header onto the next line ("Subject: \n =?utf-8?…"); the parser
        # keeps the fold's blank, which mail programs drop.
        value = self.message[name]
        return None if value is None else str(value).strip()

    @property
    def subject(self) -> str:
        return self.header("Subject")

    def body(self, subtype: str) -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None
        assert part.get_content_type() == f"text/{subtype}"
        return part.get_content()


@dataclass
class SinkHandler:
    envelopes: list[Received]

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.envelopes.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink(list):
    """The letters the SMTP server received. Letters leave the outbox when their transaction
    commits, and a test runs inside one that never does: reading the sink first runs what is
    waiting for the commit, as the end of a real transaction would."""

    def _commit(self) -> None:
        pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for _savepoints, callback, _robust in pending:
            callback()

    def __iter__(self):
        self._commit()
        return super().__iter__()

    def __len__(self) -> int:
        self._commit()
        return super().__len__()

    def __getitem__(self, index):
        self._commit()
        return super().__getitem__(index)

    def __eq__(self, other: object) -> bool:
        self._commit()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


@pytest.fixture
def sink(settings) -> Iterator[list[Received]]:
    """Outgoing mail goes over SMTP to an aiosmtpd server on a free port; the list fills as
    messages arrive (the server answers 250 only after its handler has stored the message)."""
    handler = SinkHandler(Sink())
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield handler.envelopes
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    """Links in mail go to the site's address."""
    settings.CIVICPLAN_SITE_URL = "https://plan.example.org"


@pytest.fixture
def plan(seed_bytes: bytes) -> Plan:
    return Plan.objects.get(
        pk=import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED).plan_id
    )


def make_coordinator(organisation: Organisation, email: str, name: str = "Анна") -> User:
    user = User.objects.create_user(
        username=email, email=email, password="x-secret-42", first_name=name
    )
    Coordinator.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def dated(plan: Plan) -> Activity:
    """An activity of the seed with exact dates (day or days) and an organisation responsible."""
    return (
        plan.activities.filter(precision__in=("day", "days"), responsibilities__isnull=False)
        .order_by("start", "position")
        .first()
    )


@pytest.fixture
def coordinator(dated: Activity) -> User:
    """The coordinator of the first organisation responsible for `dated`."""
    return make_coordinator(dated.responsibilities.first().organisation, "anna@city.example.org")


@pytest.fixture
def bystander(dated: Activity) -> User:
    """A coordinator of an organisation that is responsible for nothing."""
    organisation = Organisation.objects.create(name="Администрация г. Нигдеева", key="nigdeev")
    return make_coordinator(organisation, "boris@nigdeev.example.org", "Борис")


def run_scheduler(today: date) -> list[Due]:
    """What `civicplan worker` does on a tick, without the queue: each due task, run."""
    found = schedule.due(today)
    for item in found:
        item.task.call(*item.args)
    return found


def to(envelopes: list[Received], address: str) -> list[Received]:
    return [e for e in envelopes if e.rcpt_tos == [address]]

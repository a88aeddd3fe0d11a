"""A worker killed in the middle of a batch loses no letter and sends none twice: the task it was
running is taken up again after its lease, the letter it was sending is sent by the next
worker's sweep, and the letters the dead worker had sent are not written again."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from tests.processes import civicplan, free_port, installation, start, wait_for

LETTERS = 12
HELD_AT = 5  # the fifth letter's SMTP conversation is where the worker dies

SEED = """
from civicplan.newsroom import tasks
from civicplan.newsroom.models import Submission
for number in range({count}):
    submission = Submission.objects.create(
        kind="press_release", title=f"Материал {{number}}", source="form",
        status="in_review", sender_email=f"author{{number}}@example.org",
    )
    tasks.acknowledge.enqueue(submission.pk, [])
"""


class Gate:
    """An SMTP server that accepts letters, except one it holds unanswered until told: the
    sender is then in the middle of sending it."""

    def __init__(self, held_at: int) -> None:
        self.accepted: list[str] = []
        self.arrived = 0
        self.held_at = held_at
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.arrived += 1
        if self.arrived == self.held_at:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "451 4.3.0 the sender is gone"
        self.accepted.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def gate():
    handler = Gate(HELD_AT)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    handler.release.set()
    controller.stop()


def test_every_letter_is_sent_exactly_once_after_a_worker_is_killed(tmp_path, gate) -> None:
    handler, port = gate
    settings = {
        "CIVICPLAN_SMTP_HOST": "127.0.0.1",
        "CIVICPLAN_SMTP_PORT": str(port),
        "CIVICPLAN_TASK_LEASE_SECONDS": "1",
        "CIVICPLAN_MAIL_LEASE_SECONDS": "1",
    }
    with installation(tmp_path / "var", **settings) as env:
        civicplan(env, "shell", "-c", SEED.format(count=LETTERS))
        worker = start(env, "worker", "--interval", "0.1")
        try:
            wait_for(handler.holding.is_set, what="the worker to be sending a letter")
            worker.kill()  # SIGKILL: no chance to finish anything
            worker.wait(timeout=10)
        finally:
            handler.release.set()
        assert len(handler.accepted) == HELD_AT - 1

        time.sleep(1.5)  # the dead worker's leases (1 s) run out
        civicplan(env, "worker", "--once")

    expected = [f"author{number}@example.org" for number in range(LETTERS)]
    assert sorted(handler.accepted) == sorted(expected)  # each once, none lost


ABANDON = """
from datetime import timedelta
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now() - timedelta(seconds={age}))
"""


@pytest.mark.parametrize(("age", "sent"), [(5, True), (0, False)])
def test_a_task_left_running_is_run_again_after_its_lease(tmp_path, gate, age, sent) -> None:
    """A task its worker left "running" before it wrote anything: the next worker runs it once
    the lease has run out, and not before."""
    handler, port = gate
    handler.held_at = 0  # hold nothing
    settings = {
        "CIVICPLAN_SMTP_HOST": "127.0.0.1",
        "CIVICPLAN_SMTP_PORT": str(port),
        "CIVICPLAN_TASK_LEASE_SECONDS": "2",
    }
    with installation(tmp_path / "var", **settings) as env:
        civicplan(env, "shell", "-c", SEED.format(count=1))
        civicplan(env, "shell", "-c", ABANDON.format(age=age))
        civicplan(env, "worker", "--once")
    assert handler.accepted == (["author0@example.org"] if sent else [])

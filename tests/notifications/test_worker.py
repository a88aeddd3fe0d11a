"""`civicplan worker --once` end to end: tasks queued in the database, the worker runs them in
this process, the mail arrives at the SMTP sink."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civicplan.newsroom import actions
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.models import Submission
from civicplan.notifications import schedule
from civicplan.outbox.models import OutgoingMessage
from tests.notifications.conftest import to

# Real commits: tasks are queued on commit, and the worker takes them in its own transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def worker_once() -> str:
    out = StringIO()
    call_command("worker", "--once", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_queued_tasks_are_run_and_the_mail_arrives(settings, sink, dated, coordinator) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    queued = schedule.enqueue_due(dated.start - timedelta(days=7))
    actions.submit(coordinator, Draft(kind=Submission.Kind.PRESS_RELEASE, title="Весенний забег"))
    assert queued >= 1
    assert DBTaskResult.objects.ready().count() == queued + 1
    assert not sink

    worker_once()
    assert DBTaskResult.objects.ready().count() == 0
    assert DBTaskResult.objects.failed().count() == 0
    subjects = sorted(m.subject for m in to(sink, coordinator.email))
    assert subjects[0] == "Материал получен: «Весенний забег»"
    assert any(s.startswith("Напоминание: ") and dated.when_text in s for s in subjects)

    worker_once()  # nothing left to do
    assert len(sink) == len(subjects)


def test_the_worker_queues_what_is_due_today(settings, sink, dated, coordinator) -> None:
    """The activity moved to a week from today: --once finds the reminder and sends it."""
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    settings.CIVICPLAN_DIGEST_WEEKDAY = (timezone.localdate().weekday() + 1) % 7  # not today
    length = dated.end - dated.start
    dated.start = timezone.localdate() + timedelta(days=7)
    dated.end = dated.start + length
    dated.save()
    assert "Уведомлений поставлено в очередь: 1" in worker_once()
    [reminder] = to(sink, coordinator.email)
    assert reminder.subject.startswith("Напоминание: ")
    worker_once()
    assert len(sink) == 1


def test_a_failed_send_waits_in_the_outbox_and_goes_on_a_later_run(
    settings, sink, dated, coordinator
) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    today = dated.start - timedelta(days=7)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    schedule.enqueue_due(today)
    worker_once()
    assert DBTaskResult.objects.failed().count() == 0  # the task did its part: the letter
    [letter] = OutgoingMessage.objects.all()
    assert letter.status == OutgoingMessage.Status.FAILED
    assert "Connection refused" in letter.error
    assert letter.next_attempt is not None
    assert not sink
    settings.EMAIL_PORT = port
    schedule.enqueue_due(today)  # the scheduler does not write it again
    worker_once()
    assert not sink  # not before its time
    OutgoingMessage.objects.update(next_attempt=timezone.now())
    worker_once()
    assert [m.subject.startswith("Напоминание") for m in to(sink, coordinator.email)] == [True]
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (OutgoingMessage.Status.SENT, 1)


def test_without_the_database_backend_the_worker_refuses(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="Задачи не хранятся в базе"):
        call_command("worker", "--once")

"""The scheduled notifications as background tasks. Each takes ids and an ISO date, reads what
is true when it runs, and sends at most once (civicplan.notifications.schedule): safe to retry.

A task whose worker died stays "running" in the database; `release_lost_tasks` puts it back in
the queue once its lease has run out, and it runs again: each message is recorded under its key
(SentNotification) in the transaction that writes the letter, so it is written once."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from civicplan.notifications import schedule


@task()
def send_reminder(activity_id: int, user_id: int, days: int, today: str) -> bool:
    return schedule.send_reminder(activity_id, user_id, days, date.fromisoformat(today))


@task()
def send_post_release_request(activity_id: int, user_id: int, round_: int, today: str) -> bool:
    return schedule.send_post_release_request(
        activity_id, user_id, round_, date.fromisoformat(today)
    )


@task()
def send_digest(user_id: int, today: str) -> bool:
    return schedule.send_digest(user_id, date.fromisoformat(today))


def release_lost_tasks() -> int:
    """Tasks running for longer than the lease (their worker died) ready to run again. A
    task is short (it writes letters; sending is the outbox's), so the lease is generous."""
    lease = timedelta(seconds=settings.CIVICPLAN_TASK_LEASE_SECONDS)
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - lease
    ).update(status=TaskResultStatus.READY, started_at=None)

"""What the worker does besides running tasks: taking up the tasks a dead worker left, and
pruning what is kept past its retention once a day."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from civicplan.operations.retention import prune


def release_lost_tasks() -> int:
    """Tasks running for longer than the lease (CIVICPLAN_TASK_LEASE_SECONDS: their worker
    died) ready to run again. A task is short (it writes letters; sending is the outbox's),
    so the lease is generous; what a task writes is keyed, so running it again is safe."""
    lease = timedelta(seconds=settings.CIVICPLAN_TASK_LEASE_SECONDS)
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - lease
    ).update(status=TaskResultStatus.READY, started_at=None)


class DailyPrune:
    """`civicplan prune`'s work, at most once a day in a running worker."""

    def __init__(self) -> None:
        self.done_on: date | None = None

    def __call__(self) -> bool:
        today = timezone.localdate()
        if self.done_on == today:
            return False
        prune()
        self.done_on = today
        return True

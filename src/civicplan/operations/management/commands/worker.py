"""`civicplan worker [--once] [--schedule-interval 300] [--interval 1] [--queue-name default]`.

One process for everything that happens in the background: it runs the tasks queued in the
database (django-tasks-db's worker, in this process), sends the letters waiting in the outbox
(civicplan.outbox.delivery.deliver_due: queued, due for another try, or left half-sent by a
process that died) and, every `--schedule-interval` seconds, queues the notifications that are
due (civicplan.notifications.schedule), and once a day prunes what is kept past its retention
(`civicplan prune`). A task left running by a worker that died is taken up again once its lease
(CIVICPLAN_TASK_LEASE_SECONDS) has run out; the letters it wrote are keyed by the task
(civicplan.outbox.delivery.keyed), so running it again sends nothing twice. With `--once` it
does each of these once and exits: for cron, and for tests.
"""

from __future__ import annotations

import logging
import time
from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from civicplan.notifications import schedule
from civicplan.operations.background import DailyPrune, release_lost_tasks
from civicplan.outbox.delivery import deliver_due


def _seconds(value: str) -> float:
    seconds = float(value)
    if not 0 <= seconds < float("inf"):
        raise ArgumentTypeError(_("нужно неотрицательное число секунд"))
    return seconds


class Command(BaseCommand):
    help = _(
        "Выполняет фоновые задачи (письма) и раз в несколько минут ставит в очередь "
        "запланированные уведомления: напоминания, просьбы о пост-релизах, обзор недели."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help=_("поставить в очередь то, что пора, выполнить все задачи и выйти"),
        )
        parser.add_argument(
            "--schedule-interval",
            type=_seconds,
            default=300,
            help=_("как часто проверять расписание уведомлений, секунд (по умолчанию 300)"),
        )
        parser.add_argument(
            "--interval",
            type=_seconds,
            default=1,
            help=_("пауза, когда очередь пуста, секунд (по умолчанию 1)"),
        )
        parser.add_argument(
            "--queue-name",
            default="default",
            help=_("очереди через запятую, * — все (по умолчанию default)"),
        )

    def handle(self, *args: object, **options: object) -> None:
        self.prune = DailyPrune()
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                _("Задачи не хранятся в базе (TASKS: %(backend)s): работнику нечего делать.")
                % {"backend": type(backend).__name__},
                returncode=2,
            )
        self._log_tasks(int(options["verbosity"]))  # type: ignore[arg-type]
        # Batch mode: each run() takes every ready task, then returns when the queue is empty.
        worker = Worker(
            queue_names=str(options["queue_name"]).split(","),
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if options["once"]:
            self._tick(worker)
            return
        worker.configure_signals()  # SIGTERM: finish the current task, then stop
        every: float = options["schedule_interval"]  # type: ignore[assignment]
        pause: float = options["interval"]  # type: ignore[assignment]
        next_schedule = 0.0
        while worker.running:
            scheduled = time.monotonic() >= next_schedule
            self._tick(worker, schedule_too=scheduled)
            if scheduled:
                next_schedule = time.monotonic() + every
            if worker.running:
                time.sleep(pause)

    def _tick(self, worker: Worker, schedule_too: bool = True) -> None:
        """One round: the queue run and the outbox swept; with `schedule_too` (every few
        minutes, against leases of many), first tasks lost by a dead worker back in the queue,
        what is due queued, and the daily prune."""
        if schedule_too:
            released = release_lost_tasks()
            if released:
                self.stderr.write(
                    _("Задач, брошенных остановленным работником: %(n)s") % {"n": released}
                )
            self._schedule()
            self.prune()
        worker.run()
        deliver_due()

    def _schedule(self) -> None:
        queued = schedule.enqueue_due()
        if queued:
            self.stdout.write(_("Уведомлений поставлено в очередь: %(n)s") % {"n": queued})

    def _log_tasks(self, verbosity: int) -> None:
        """The worker's own log (each task started and finished) at -v 2 and above."""
        level = logging.DEBUG if verbosity >= 2 else logging.WARNING
        for name in ("django_tasks", "django_tasks_db"):
            logger = logging.getLogger(name)
            logger.setLevel(level)
            if not logger.handlers:
                logger.addHandler(logging.StreamHandler(self.stderr))

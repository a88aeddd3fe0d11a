"""Mail about a submission, sent by the worker after the change commits. Each task takes the
submission's id and reads it again, so a retry sends what is true now; its letters are keyed by
the task (civicplan.outbox.delivery.keyed), so a task run again after its worker died writes
no second letter."""

from __future__ import annotations

from collections.abc import Callable

from django_tasks import TaskContext, task

from civicplan.newsroom import letters
from civicplan.newsroom.models import Submission
from civicplan.outbox.delivery import keyed


def _send(
    context: TaskContext, submission_id: int, letter: Callable[..., None], **details: object
) -> None:
    """The letter about the submission as it is now; nothing if it was deleted meanwhile."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is not None:
        with keyed(f"task:{context.task_result.id}"):
            letter(submission, **details)


@task(takes_context=True)
def acknowledge(
    context: TaskContext, submission_id: int, refused: list[dict[str, str]] | None = None
) -> None:
    """Tell the sender their material arrived (and, from an unknown address, that it waits);
    `refused` are the attached files the mail intake did not keep, with the reason."""
    _send(context, submission_id, letters.send_acknowledgement, refused=refused or [])


@task(takes_context=True)
def changes_requested(context: TaskContext, submission_id: int) -> None:
    _send(context, submission_id, letters.send_changes_requested)


@task(takes_context=True)
def rejected(context: TaskContext, submission_id: int) -> None:
    _send(context, submission_id, letters.send_rejected)


@task(takes_context=True)
def accepted(context: TaskContext, submission_id: int) -> None:
    """Published, or (a proposal) included in the draft plan."""
    _send(context, submission_id, letters.send_accepted)

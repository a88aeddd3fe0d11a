"""Mail about a submission, sent by the worker after the change commits. Each task takes the
submission's id and reads it again, so a retry sends what is true now."""

from __future__ import annotations

from collections.abc import Callable

from django_tasks import task

from civicplan.newsroom import letters
from civicplan.newsroom.models import Submission


def _send(submission_id: int, letter: Callable[..., None], **details: object) -> None:
    """The letter about the submission as it is now; nothing if it was deleted meanwhile."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is not None:
        letter(submission, **details)


@task()
def acknowledge(submission_id: int, refused: list[dict[str, str]] | None = None) -> None:
    """Tell the sender their material arrived (and, from an unknown address, that it waits);
    `refused` are the attached files the mail intake did not keep, with the reason."""
    _send(submission_id, letters.send_acknowledgement, refused=refused or [])


@task()
def changes_requested(submission_id: int) -> None:
    _send(submission_id, letters.send_changes_requested)


@task()
def rejected(submission_id: int) -> None:
    _send(submission_id, letters.send_rejected)


@task()
def accepted(submission_id: int) -> None:
    """Published, or (a proposal) included in the draft plan."""
    _send(submission_id, letters.send_accepted)

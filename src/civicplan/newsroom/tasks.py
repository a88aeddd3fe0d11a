"""Mail about a submission, sent by the worker after the change commits. Each task takes the
submission's id and reads it again, so a retry sends what is true now."""

from __future__ import annotations

from django_tasks import task

from civicplan.newsroom.models import Submission
from civicplan.notifications import messages


@task()
def acknowledge(submission_id: int) -> None:
    """Tell the sender their material arrived (and, from an unknown address, that it waits)."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is not None:
        messages.send_acknowledgement(submission)


@task()
def changes_requested(submission_id: int) -> None:
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is not None:
        messages.send_changes_requested(submission)


@task()
def rejected(submission_id: int) -> None:
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is not None:
        messages.send_rejected(submission)


@task()
def accepted(submission_id: int) -> None:
    """Published, or (a proposal) included in the draft plan."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is not None:
        messages.send_accepted(submission)

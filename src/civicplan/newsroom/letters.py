"""Mail about one submission, to the person who sent it: that it arrived, that it needs
changes, that it was published (or, a proposal, included in the plan), that it was rejected.
Sent by the tasks in civicplan.newsroom.tasks, after the change commits."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from civicplan.newsroom.models import Submission
from civicplan.outbox.mail import absolute, send_templated


def _recipient(submission: Submission) -> str:
    if submission.sender_email:
        return submission.sender_email
    return submission.author.email if submission.author else ""


def _account_url(submission: Submission) -> str | None:
    """The submission's page in the sender's account, if the sender has an account to log in
    to (a letter from an address bound to an organisation may come from someone without one)."""
    email = _recipient(submission)
    has_account = submission.author_id is not None or (
        email and get_user_model().objects.filter(email__iexact=email, is_active=True).exists()
    )
    if not has_account:
        return None
    with translation.override("ru"):
        return absolute(reverse("newsroom:member_submission", args=[submission.pk]))


def _reason(submission: Submission, action: str) -> str:
    event = submission.history.filter(action=action).order_by("at", "id").last()
    if event is None:
        event = submission.history.order_by("at", "id").last()
    return event.reason if event is not None else ""


def _context(submission: Submission) -> dict:
    return {
        "submission": submission,
        "kind": submission.get_kind_display(),
        "account_url": _account_url(submission),
    }


def send_acknowledgement(submission: Submission, refused: list[dict[str, str]]) -> None:
    """Tell the sender the material arrived; from an unknown address, that the directorate
    will look at it first; from e-mail, which attached files were refused and why."""
    to = _recipient(submission)
    if not to:
        return
    send_templated(
        to,
        "newsroom/mail/acknowledgement",
        {
            **_context(submission),
            "quarantined": submission.status == Submission.Status.QUARANTINE,
            "attachments": list(submission.attachments.all()),
            "refused": refused,
        },
    )


def send_changes_requested(submission: Submission) -> None:
    """The reason staff gave, and where to send the corrected version."""
    _send_with_reason(submission, "newsroom/mail/changes_requested", "request_changes")


def _send_with_reason(submission: Submission, template: str, action: str) -> None:
    """A decision's letter with the reason staff gave for it (the history's `action` row)."""
    to = _recipient(submission)
    if to:
        send_templated(
            to, template, {**_context(submission), "reason": _reason(submission, action)}
        )


def send_accepted(submission: Submission) -> None:
    """The news page of what was published, or the plan row a proposal became."""
    to = _recipient(submission)
    if not to:
        return
    included = submission.included_activity
    with translation.override("ru"):
        if included is not None:
            url = (
                absolute(included.get_absolute_url()) if included.plan.status == "approved" else ""
            )
        else:
            url = absolute(submission.get_absolute_url())
    send_templated(
        to,
        "newsroom/mail/accepted",
        {**_context(submission), "included": included, "url": url},
    )


def send_rejected(submission: Submission) -> None:
    _send_with_reason(submission, "newsroom/mail/rejected", "reject")

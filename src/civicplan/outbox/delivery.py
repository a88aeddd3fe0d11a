"""Letters into the outbox, and out of it through the mail transport.

Every letter is first a row (`OutgoingMessage`, its MIME bytes kept), written in the caller's
transaction, and is handed to the transport once that commits: the Django e-mail backend of
the settings, SMTP when CIVICPLAN_SMTP_HOST is set. Without one (`HeldBackend`) the letter stays
in the outbox as "held", readable by staff. A row is delivered by whoever claims it first (a
lease in the row), so the process that wrote it and the worker's sweep never both send it; a
process that dies while sending leaves a lease that runs out, and the sweep takes the row up
again. Temporary failures are tried again with a growing pause; a permanent one (a 5xx answer)
waits for staff to send it again.

At most once: a row exists once per `key`. A background task gives its letters keys from its
own id (`keyed`), so when a task killed half-way is run again it finds the letters it already
wrote and writes no second copy.
"""

from __future__ import annotations

import contextlib
import contextvars
import email
import email.policy
import logging
import smtplib
from collections.abc import Iterator, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from civicplan.outbox.models import OutgoingMessage

logger = logging.getLogger(__name__)
Status = OutgoingMessage.Status

RETRY_PAUSES = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
SWEEP_BATCH = 100


class MailHeld(Exception):
    """No way out is configured: the letter is kept, not sent."""


class HeldBackend(BaseEmailBackend):
    """The transport of an installation without SMTP: nothing leaves, every letter is held."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise MailHeld


class OutboxBackend(BaseEmailBackend):
    """For Django's own senders (error reports to ADMINS): their letters go through the
    outbox too."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        return len(queue(list(email_messages), kind="django"))


# --- keys -------------------------------------------------------------------------------------

_prefix: contextvars.ContextVar[tuple[str, list[int]] | None] = contextvars.ContextVar(
    "outbox_key_prefix", default=None
)


@contextlib.contextmanager
def keyed(prefix: str) -> Iterator[None]:
    """Letters written inside get the keys "<prefix>:1", "<prefix>:2", … in the order they are
    written: the same work done again writes the same keys, and no second letter."""
    token = _prefix.set((prefix, [0]))
    try:
        yield
    finally:
        _prefix.reset(token)


def _next_key() -> str | None:
    current = _prefix.get()
    if current is None:
        return None
    prefix, counter = current
    counter[0] += 1
    return f"{prefix}:{counter[0]}"


# --- writing ----------------------------------------------------------------------------------


def queue(
    messages: list[EmailMessage], *, kind: str = "", private: bool = False
) -> list[OutgoingMessage]:
    """Keep the letters in the outbox and send them once the caller's transaction commits (at
    once outside one: the rows returned then say how it went); a letter whose key an earlier
    run of the same task wrote is not written or sent again."""
    written = [_write(message, kind, private) for message in messages]
    fresh = [row for row, new in written if new]
    transaction.on_commit(lambda: [deliver(row) for row in fresh])
    return [row for row, _new in written]


def _write(message: EmailMessage, kind: str, private: bool) -> tuple[OutgoingMessage, bool]:
    key = _next_key()
    if key is not None:
        found = OutgoingMessage.objects.filter(key=key).first()
        if found is not None:
            return found, False
    row = OutgoingMessage.objects.create(
        key=key,
        kind=kind,
        subject=str(message.subject)[:500],
        from_email=str(message.from_email)[:300],
        recipients=list(message.recipients()),
        text=_plain_text(message),
        raw=message.message().as_bytes(linesep="\r\n"),
        private=private,
    )
    return row, True


def _plain_text(message: EmailMessage) -> str:
    return message.body if message.content_subtype == "plain" else ""


# --- sending ----------------------------------------------------------------------------------


def deliver(row: OutgoingMessage) -> OutgoingMessage:
    """Send one letter if no one else is sending it: claimed by its lease, handed to the
    transport as kept (the same bytes, Message-ID included, on every try), and marked sent,
    held or failed (with the error and the next attempt)."""
    if not _claim(row):
        return row
    try:
        get_connection(fail_silently=False).send_messages([StoredMessage(row)])
    except MailHeld:
        _finish(row, Status.HELD)
    except (OSError, smtplib.SMTPException) as error:
        _failed(row, error)
    else:
        _finish(row, Status.SENT, sent=timezone.now())
    row.refresh_from_db()
    return row


def _claim(row: OutgoingMessage) -> bool:
    now = timezone.now()
    claimable = Q(status__in=(Status.QUEUED, Status.FAILED)) | Q(
        status=Status.SENDING, lease_until__lt=now
    )
    claimed = (
        OutgoingMessage.objects.filter(claimable, pk=row.pk)
        .filter(Q(next_attempt__isnull=True) | Q(next_attempt__lte=now))
        .update(status=Status.SENDING, lease_until=now + _lease())
    )
    return claimed == 1


def _lease() -> timedelta:
    """How long a sender may take before its letter is taken to be lost with it: longer than
    any SMTP conversation (EMAIL_TIMEOUT is 30 s)."""
    return timedelta(seconds=settings.CIVICPLAN_MAIL_LEASE_SECONDS)


def _finish(row: OutgoingMessage, status: str, **fields: object) -> None:
    OutgoingMessage.objects.filter(pk=row.pk).update(
        status=status, lease_until=None, next_attempt=None, error="", **fields
    )


def _failed(row: OutgoingMessage, error: Exception) -> None:
    """A temporary failure is tried again after a pause that grows; a permanent one (the
    server refused the letter for good) and the last try wait for staff."""
    logger.warning("outbox: letter %s not sent: %s", row.pk, error)
    attempts = row.attempts + 1
    permanent = isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
    permanent = permanent or isinstance(error, smtplib.SMTPRecipientsRefused)
    again = None if permanent or attempts > len(RETRY_PAUSES) else RETRY_PAUSES[attempts - 1]
    OutgoingMessage.objects.filter(pk=row.pk).update(
        status=Status.FAILED,
        attempts=attempts,
        error=f"{type(error).__name__}: {error}"[:2000],
        lease_until=None,
        next_attempt=timezone.now() + again if again else None,
    )


def deliver_due(limit: int = SWEEP_BATCH) -> int:
    """The worker's sweep: letters waiting in the queue, failed ones whose next attempt has
    come, and those whose sender died while sending (the lease ran out). How many it tried."""
    now = timezone.now()
    due = OutgoingMessage.objects.filter(
        Q(status=Status.QUEUED)
        | Q(status=Status.FAILED, next_attempt__lte=now)
        | Q(status=Status.SENDING, lease_until__lt=now)
    ).order_by("created", "id")[:limit]
    rows = list(due)
    for row in rows:
        deliver(row)
    return len(rows)


class StoredMessage(EmailMultiAlternatives):
    """A kept letter handed to a transport again: its exact bytes go out; its parts are read
    back too, for transports that look inside (the test suite's memory backend)."""

    def __init__(self, row: OutgoingMessage) -> None:
        self.raw = bytes(row.raw)
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        plain = parsed.get_body(preferencelist=("plain",))
        html = parsed.get_body(preferencelist=("html",))
        super().__init__(
            subject=row.subject,
            body=plain.get_content() if plain is not None else row.text,
            from_email=row.from_email,
            to=row.recipients,
            headers={name: str(value) for name, value in parsed.items() if name in _KEPT},
        )
        if html is not None:
            self.attach_alternative(html.get_content(), "text/html")

    def message(self) -> _RawMessage:  # type: ignore[override]
        return _RawMessage(self.raw)


_KEPT = ("Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted")


class _RawMessage:
    """What Django's transports ask of a message: its bytes."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\r\n") -> bytes:
        return self.raw


def send_again(row: OutgoingMessage) -> OutgoingMessage:
    """Staff send a held or failed letter again, now."""
    OutgoingMessage.objects.filter(pk=row.pk, status__in=(Status.HELD, Status.FAILED)).update(
        status=Status.QUEUED, next_attempt=None
    )
    return deliver(row)


def held_reason() -> str:
    """Why letters are held, for the pages that show it ("" when mail goes out)."""
    backend = settings.EMAIL_BACKEND
    return "" if not backend.endswith(".HeldBackend") else "CIVICPLAN_SMTP_HOST"

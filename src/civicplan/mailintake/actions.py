"""What happens to a letter: `receive` keeps it (the .eml first, then its row), `process` makes
a submission of it, `retry` tries a failed one again. A failure never loses the letter: the row
goes to "failed" with the error, the .eml stays, and a retry reads it again."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.audit.actions import record
from civicplan.mailintake.models import InboundMessage
from civicplan.mailintake.parsing import ParseError, header_summary, parse_mail
from civicplan.mailintake.processing import Prepared, prepare
from civicplan.mailintake.storage import write_eml
from civicplan.newsroom.actions import quarantine, submit
from civicplan.newsroom.models import Submission

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None
Status = InboundMessage.Status


def receive(
    raw: bytes,
    *,
    peer: str = "",
    mail_from: str = "",
    rcpt_tos: list[str] | tuple[str, ...] = (),
    received: datetime | None = None,
) -> InboundMessage:
    """Keep a letter the server is about to accept: the .eml written durably, then its row.
    Raises if either fails (the server then answers 451 and the sender tries again later)."""
    received = received or timezone.now()
    mail_dir = Path(settings.CIVICPLAN_MAIL_DIR)
    relative = write_eml(mail_dir, raw, timezone.localtime(received))
    message_id, subject = header_summary(raw)
    try:
        return InboundMessage.objects.create(
            received=received,
            peer=peer[:100],
            mail_from=mail_from[:320],
            rcpt_tos=list(rcpt_tos),
            size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
            raw_path=relative,
            message_id=message_id[:500],
            subject=subject[:500],
        )
    except BaseException:
        # Not accepted after all (the sender will send it again): no orphan file.
        (mail_dir / relative).unlink(missing_ok=True)
        raise


def process(message: InboundMessage) -> InboundMessage:
    """Parse the stored letter and hand it to the newsroom (a coordinator's or a known address's
    letter goes to review, anyone else's to quarantine). Any error leaves the row failed with
    the error text, for a retry; the letter itself is untouched."""
    try:
        mail = parse_mail(message.read_raw())
        prepared = prepare(
            mail,
            envelope_sender=message.mail_from,
            received=timezone.localdate(message.received),
        )
        with transaction.atomic():
            locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
            if locked.status not in (Status.STORED, Status.FAILED):
                return locked  # processed meanwhile (a retry beside the server)
            locked.message_id = mail.message_id[:500] or locked.message_id
            locked.subject = mail.subject[:500] or locked.subject
            locked.refused_attachments = prepared.refused
            locked.attempts += 1
            locked.processed = timezone.now()
            locked.error = ""
            earlier = _earlier_copy(locked)
            if earlier is not None:
                locked.status = Status.PROCESSED
                locked.error = _(
                    "То же письмо уже получено (№ %(number)d); второй раз не разобрано."
                ) % {"number": earlier.pk}
            else:
                locked.submission = _submit(prepared)
                is_quarantined = locked.submission.status == Submission.Status.QUARANTINE
                locked.status = Status.QUARANTINED if is_quarantined else Status.PROCESSED
            locked.save()
        return locked
    except Exception as error:
        logger.exception("mail intake: message %s failed", message.pk)
        InboundMessage.objects.filter(pk=message.pk).update(
            status=Status.FAILED, error=_describe(error), attempts=F("attempts") + 1
        )
        message.refresh_from_db()
        return message


def retry(actor: Actor, message: InboundMessage) -> InboundMessage:
    """Staff (or the command line, actor None) process a failed letter again from its .eml."""
    if actor is not None and not actor.has_perm("newsroom.moderate_submission"):
        raise PermissionDenied(_("Нет права на это действие."))
    if message.status != Status.FAILED:
        raise ValidationError(_("Это письмо уже разобрано."))
    record(actor, "mail.retry", str(message), "", {"message": message.pk})
    return process(message)


def retry_failed(actor: Actor = None) -> list[InboundMessage]:
    """Every failed letter processed again, oldest first."""
    failed = InboundMessage.objects.filter(status=Status.FAILED).order_by("received", "pk")
    return [retry(actor, message) for message in failed]


def _submit(prepared: Prepared) -> Submission:
    """A coordinator's letter as theirs; one from a bound address, or an automatic one from a
    coordinator, as the organisation's; anyone else's to quarantine."""
    sender, draft = prepared.sender, prepared.draft
    if sender.user is not None and not prepared.automatic:
        return submit(sender.user, draft, source=Submission.Source.EMAIL)
    if sender.organisation is not None:
        return submit(None, draft, source=Submission.Source.EMAIL)
    return quarantine(draft)


def _earlier_copy(message: InboundMessage) -> InboundMessage | None:
    """The same bytes accepted before and already made a submission (a sender that sent again
    because it missed our 250)."""
    return (
        InboundMessage.objects.filter(
            sha256=message.sha256, size=message.size, submission__isnull=False
        )
        .exclude(pk=message.pk)
        .order_by("pk")
        .first()
    )


def _describe(error: Exception) -> str:
    if isinstance(error, ParseError):
        return str(error)
    if isinstance(error, FileNotFoundError):
        return _("Файл письма не найден: %(path)s") % {"path": error.filename}
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return f"{type(error).__name__}: {error}"

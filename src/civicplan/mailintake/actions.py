"""What happens to a letter: `receive` keeps it (the .eml first, then its row), `process` makes
a submission of it, `retry` tries a failed one again. A failure never loses the letter: the .eml
stays and the row keeps the error. An error of the machine rather than of the letter (a full
disk, a locked or unreachable database) leaves a stored letter "stored", and the intake server
tries it again after RETRY_DELAYS; any other error, or the last of those tries, makes it
"failed", for staff to retry from /staff/mail/."""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.audit.actions import Actor, record
from civicplan.mailintake.models import InboundMessage
from civicplan.mailintake.parsing import ParsedMail, ParseError, header_summary, parse_mail_file
from civicplan.mailintake.processing import Prepared, prepare
from civicplan.mailintake.storage import Spool
from civicplan.newsroom.actions import quarantine, submit
from civicplan.newsroom.member_forms import MAX_FILES
from civicplan.newsroom.models import Submission

logger = logging.getLogger(__name__)

Status = InboundMessage.Status

# Seconds before each new try of a letter that failed on a temporary error; after the last try
# fails too (about eight hours on), the letter is "failed" and waits for staff.
RETRY_DELAYS = (5, 30, 120, 600, 1800, 3600, 7200, 14400)


def retry_delay(tries: int) -> float:
    """The wait before the next try, after `tries` tries (the longest one after them all)."""
    return RETRY_DELAYS[max(1, min(tries, len(RETRY_DELAYS))) - 1]


def receive(
    letter: bytes | Spool,
    *,
    peer: str = "",
    mail_from: str = "",
    rcpt_tos: list[str] | tuple[str, ...] = (),
    received: datetime | None = None,
) -> InboundMessage:
    """Keep a letter the server is about to accept (the server's spool, or bytes): the .eml made
    durable, then its row. Raises if either fails (the server then answers 451 and the sender
    tries again later)."""
    received = received or timezone.now()
    mail_dir = Path(settings.CIVICPLAN_MAIL_DIR)
    spool = letter if isinstance(letter, Spool) else Spool.of(mail_dir, letter)
    relative = spool.keep(timezone.localtime(received))
    message_id, subject = header_summary(spool.head)
    try:
        return InboundMessage.objects.create(
            received=received,
            peer=peer[:100],
            mail_from=mail_from[:320],
            rcpt_tos=list(rcpt_tos),
            size=spool.size,
            sha256=spool.sha256,
            raw_path=relative,
            message_id=message_id[:500],
            subject=subject[:500],
        )
    except BaseException:
        # Not accepted after all (the sender will send it again): no orphan file.
        (spool.mail_dir / relative).unlink(missing_ok=True)
        raise


def process(message: InboundMessage) -> InboundMessage:
    """Parse the stored letter and hand it to the newsroom (a coordinator's or a known address's
    letter goes to review, anyone else's to quarantine). An error leaves the row with the error
    text, "stored" for the intake's next try (see RETRY_DELAYS) or "failed" for staff; the
    letter itself is untouched."""
    try:
        mail = _parse(message)
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
            locked.refused_attachments = prepared.draft.refused_files
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
        _note_failure(message, error)
        message.refresh_from_db()
        return message


def _note_failure(message: InboundMessage, error: Exception) -> None:
    """The error on the row: still "stored" when the intake will try again, else "failed". A
    row that has its submission already (the error came after the commit: the acknowledgement's
    task) keeps its status, so that no try makes a second submission."""
    tries = message.attempts + 1
    again = message.status == Status.STORED and is_temporary(error) and tries <= len(RETRY_DELAYS)
    InboundMessage.objects.filter(pk=message.pk, submission__isnull=True).update(
        status=Status.STORED if again else Status.FAILED,
        error=_describe(error),
        attempts=F("attempts") + 1,
    )


def is_temporary(error: Exception) -> bool:
    """An error of the machine, not of the letter: it passes (a full disk, a database locked or
    away), and the same letter then goes through. A missing .eml does not come back."""
    if isinstance(error, FileNotFoundError | IsADirectoryError | NotADirectoryError):
        return False
    return isinstance(error, OSError | OperationalError | InterfaceError)


def _parse(message: InboundMessage) -> ParsedMail:
    """The stored letter parsed from its file, if it is no bigger than the server takes (the
    parse costs a few times a letter's size in memory); attachments past the MAX_FILES the
    newsroom takes are not decoded, only listed."""
    limit = settings.CIVICPLAN_MAIL_MAX_BYTES
    with message.path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise ParseError(
                _("Письмо больше %(limit)d байт; такие не разбираются.") % {"limit": limit}
            )
        return parse_mail_file(handle, max_files=MAX_FILES)


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
    coordinator, as the organisation's; anyone else's, and any letter whose sender is in doubt,
    to quarantine with the reason."""
    sender, draft = prepared.sender, prepared.draft
    if sender.user is not None and not prepared.automatic:
        return submit(sender.user, draft, source=Submission.Source.EMAIL)
    if sender.organisation is not None:
        return submit(None, draft, source=Submission.Source.EMAIL)
    unknown = _("Адрес %(address)s не связан ни с одной организацией.") % {
        "address": sender.address or "<>"
    }
    return quarantine(draft, reason=prepared.doubt or unknown)


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

"""From a parsed letter to what the newsroom takes: who sent it, what kind of material it is,
which activity it may report on, and which of its attachments can be kept.

Who sent it: the From header names an address, but anyone can write any From. A letter counts
as a coordinator's (or a bound address's) only when its From is the envelope sender (MAIL FROM,
which the sending server's SPF covers) and no server on its way reported a failed check
(Authentication-Results, RFC 8601: spf=fail, dkim=fail with no dkim=pass, dmarc=fail); else it
goes to quarantine with the reason, and is not answered: its From may be someone else's.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicplan.accounts.models import Coordinator, SenderAddress
from civicplan.directory.models import Organisation
from civicplan.mailintake.guess import guess_activity
from civicplan.mailintake.parsing import ParsedMail
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.attachments import IncomingFile, check_file
from civicplan.newsroom.member_forms import MAX_FILES
from civicplan.newsroom.models import Submission

Kind = Submission.Kind

# Words that say what a letter is; the first found in the subject wins, then in the text.
_KINDS = (
    (re.compile(r"пост[\s-]?релиз", re.I), Kind.POST_RELEASE),
    (re.compile(r"пресс[\s-]?релиз|анонс", re.I), Kind.PRESS_RELEASE),
    (re.compile(r"методическ", re.I), Kind.METHODOLOGY),
    (re.compile(r"практик", re.I), Kind.BEST_PRACTICE),
)
_KIND_TEXT = 1000  # how much of the text is looked at for the kind


@dataclass
class Sender:
    """Who a letter is from, as far as the directory knows."""

    address: str
    user: AbstractBaseUser | None = None  # a coordinator
    organisation: Organisation | None = None


@dataclass
class Prepared:
    draft: Draft
    sender: Sender
    # Not to be answered (RFC 3834): the submission gets no author and no sender address, so
    # no acknowledgement goes out and an autoresponder cannot start a loop with us.
    automatic: bool = False
    # Why the letter cannot be taken as from its From address ("" when it can): it goes to
    # quarantine whoever it names, unanswered, and staff see why.
    doubt: str = ""


def find_sender(address: str) -> Sender:
    """A coordinator whose account has this address, else an address bound to an organisation
    (accounts.SenderAddress), else nobody."""
    address = address.strip().lower()
    if not address:
        return Sender(address)
    coordinator = (
        Coordinator.objects.select_related("user", "organisation")
        .filter(user__email__iexact=address, user__is_active=True)
        .order_by("pk")
        .first()
    )
    if coordinator is not None:
        return Sender(address, coordinator.user, coordinator.organisation)
    known = SenderAddress.objects.select_related("organisation").filter(email=address).first()
    return Sender(address, organisation=known.organisation if known else None)


def guess_kind(subject: str, text: str) -> str:
    """The kind the sender names: "пост-релиз", "пресс-релиз", "методические материалы",
    "лучшие практики"; a press release when the letter says nothing."""
    for where in (subject, text[:_KIND_TEXT]):
        found = [(m.start(), kind) for pattern, kind in _KINDS if (m := pattern.search(where))]
        if found:
            return min(found)[1]
    return Kind.PRESS_RELEASE


def title_of(mail: ParsedMail, sender: str) -> str:
    """The subject; without one, the text's first line or the first file's name."""
    for candidate in (mail.subject, *mail.text.splitlines()[:5]):
        if candidate.strip():
            return candidate.strip()[:300]
    if mail.files:
        return mail.files[0].name[:300]
    return _("Письмо от %(sender)s") % {"sender": sender or _("неизвестного отправителя")}


def check_files(mail: ParsedMail) -> tuple[list[IncomingFile], list[dict[str, str]]]:
    """The attachments the newsroom takes (by content, civicplan.newsroom.attachments; no more
    than the web form takes at once), and the others with the reason each was refused; those
    the parser did not even read (past MAX_FILES) by name."""
    kept, refused = [], []
    for file in mail.files:
        incoming = IncomingFile(name=file.name, content=file.content)
        reason = _refusal(incoming, len(kept))
        if reason:
            refused.append({"name": file.name, "reason": reason})
        else:
            kept.append(incoming)
    refused += [{"name": name, "reason": _too_many()} for name in mail.unread]
    return kept, refused


def _too_many() -> str:
    """The reason for a file past MAX_FILES, read or not: one text for both."""
    return _("больше %(count)d вложений в одном письме; пришлите этот файл отдельным письмом") % {
        "count": MAX_FILES
    }


def _refusal(incoming: IncomingFile, kept: int) -> str:
    """Why a file is not taken, when `kept` are taken already; "" when it is taken."""
    if kept >= MAX_FILES:
        return _too_many()
    try:
        check_file(incoming)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def same_address(one: str, other: str) -> bool:
    """Whether two addresses are the same mailbox, in any letter case and with the domain in
    Unicode or in its xn-- form (a .рф domain may come either way); "" is nobody's."""
    return bool(one.strip()) and _comparable(one) == _comparable(other)


def _comparable(address: str) -> str:
    local, _at, domain = address.strip().strip("<>").lower().rpartition("@")
    with contextlib.suppress(UnicodeError):  # not a domain IDNA can write: compared as it is
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


def sender_doubt(mail: ParsedMail, envelope_sender: str) -> str:
    """Why the letter cannot be taken as from its From address, for staff; "" when it can."""
    reasons = []
    if mail.auth_failures:
        reasons.append(
            _(
                "Сервер, через который пришло письмо, сообщает, что оно не прошло проверку "
                "подлинности (Authentication-Results: %(checks)s): отправитель мог быть подделан."
            )
            % {"checks": ", ".join(f"{check}=fail" for check in mail.auth_failures)}
        )
    if not same_address(mail.sender, envelope_sender):
        reasons.append(
            _(
                "Адрес в поле «От» (%(header)s) не совпадает с адресом отправителя в конверте "
                "(MAIL FROM: %(envelope)s)."
            )
            % {"header": mail.sender or _("нет"), "envelope": envelope_sender or "<>"}
        )
    return " ".join(reasons)


def prepare(mail: ParsedMail, *, envelope_sender: str, received: date) -> Prepared:
    """Everything a submission needs from a letter, read before anything is written."""
    envelope_sender = envelope_sender.strip().strip("<>").lower()
    address = mail.sender or envelope_sender
    automatic = mail.automatic or not envelope_sender  # a null reverse path: a bounce
    doubt = sender_doubt(mail, envelope_sender)
    sender = Sender(address) if doubt else find_sender(address)
    files, refused = check_files(mail)
    about = f"{mail.comment}\n{mail.text}" if mail.comment else mail.text
    guess = guess_activity(mail.subject, about, received=received)
    draft = Draft(
        kind=guess_kind(mail.subject, about),
        title=title_of(mail, address),
        text=mail.text,
        html=mail.html,
        organisation=sender.organisation,
        sender_email="" if automatic or doubt else address,
        activity_guess=guess.activity if guess else None,
        activity_guess_reason=guess.reason if guess else "",
        files=files,
        refused_files=refused,
    )
    return Prepared(draft, sender, automatic, doubt)

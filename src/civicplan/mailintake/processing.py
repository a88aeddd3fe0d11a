"""From a parsed letter to what the newsroom takes: who sent it, what kind of material it is,
which activity it may report on, and which of its attachments can be kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
    refused: list[dict[str, str]] = field(default_factory=list)
    # Not to be answered (RFC 3834): the submission gets no author and no sender address, so
    # no acknowledgement goes out and an autoresponder cannot start a loop with us.
    automatic: bool = False


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
    """The attachments the newsroom takes (by content, civicplan.newsroom.attachments), and the
    others with the reason each was refused."""
    kept, refused = [], []
    for file in mail.files:
        incoming = IncomingFile(name=file.name, content=file.content)
        try:
            check_file(incoming)
        except ValidationError as error:
            refused.append({"name": file.name, "reason": " ".join(error.messages)})
        else:
            kept.append(incoming)
    return kept, refused


def prepare(mail: ParsedMail, *, envelope_sender: str, received: date) -> Prepared:
    """Everything a submission needs from a letter, read before anything is written."""
    envelope_sender = envelope_sender.strip().strip("<>").lower()
    address = mail.sender or envelope_sender
    automatic = mail.automatic or not envelope_sender  # a null reverse path: a bounce
    sender = find_sender(address)
    files, refused = check_files(mail)
    about = f"{mail.comment}\n{mail.text}" if mail.comment else mail.text
    guess = guess_activity(mail.subject, about, received=received)
    draft = Draft(
        kind=guess_kind(mail.subject, about),
        title=title_of(mail, address),
        text=mail.text,
        html=mail.html,
        organisation=sender.organisation,
        sender_email="" if automatic else address,
        activity_guess=guess.activity if guess else None,
        activity_guess_reason=guess.reason if guess else "",
        files=files,
        refused_files=refused,
    )
    return Prepared(draft, sender, refused, automatic)

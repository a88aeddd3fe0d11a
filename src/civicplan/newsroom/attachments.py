"""Which files a submission may carry, decided by their content and size, never by their name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from civicplan.common.files import file_type
from civicplan.newsroom.models import Attachment, Submission


@dataclass(frozen=True)
class IncomingFile:
    """A file as it arrives (form upload or e-mail part): the sender's name and the bytes."""

    name: str
    content: bytes


def check_file(incoming: IncomingFile) -> str:
    """The file's type, or ValidationError saying what is wrong with which file."""
    limit = settings.CIVICPLAN_ATTACHMENT_MAX_BYTES
    if len(incoming.content) > limit:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)d МБ.")
            % {"name": incoming.name, "limit": limit // (1024 * 1024)}
        )
    kind = file_type(incoming.content)
    if kind not in Attachment.Type.values:
        raise ValidationError(
            _(
                "Файл «%(name)s» не PDF, DOCX, XLSX, JPEG или PNG по содержимому; "
                "такие файлы не принимаются."
            )
            % {"name": incoming.name}
        )
    return kind


def store(submission: Submission, incoming: IncomingFile, kind: str) -> Attachment:
    content = incoming.content
    attachment = Attachment(
        submission=submission,
        name=(incoming.name or "file")[:255],
        type=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.file.save(attachment.name, ContentFile(content), save=False)
    attachment.save()
    return attachment

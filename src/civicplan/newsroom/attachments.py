"""Which files a submission may carry, decided by their content and size, never by their name."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from civicplan.newsroom.models import Attachment, Submission


@dataclass(frozen=True)
class IncomingFile:
    """A file as it arrives (form upload or e-mail part): the sender's name and the bytes."""

    name: str
    content: bytes


def sniff(content: bytes) -> str | None:
    """The attachment type the bytes really are (Attachment.Type value), or None."""
    if content.startswith(b"%PDF-"):
        return Attachment.Type.PDF
    if content.startswith(b"\xff\xd8\xff"):
        return Attachment.Type.JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return Attachment.Type.PNG
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return Attachment.Type.DOCX
            if "xl/workbook.xml" in names:
                return Attachment.Type.XLSX
    return None


def check_file(incoming: IncomingFile) -> str:
    """The file's type, or ValidationError saying what is wrong with which file."""
    limit = settings.CIVICPLAN_ATTACHMENT_MAX_BYTES
    if len(incoming.content) > limit:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)d МБ.")
            % {"name": incoming.name, "limit": limit // (1024 * 1024)}
        )
    kind = sniff(incoming.content)
    if kind is None:
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

"""Files given to a contest — its documents, the applications' files — checked by their content
and size, never by their name; a picture gets a thumbnail (Pillow), its size read from its
header first so that a decompression bomb is refused undecoded."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicplan.common.files import file_type
from civicplan.common.images import thumbnail
from civicplan.contests.models import IMAGE_TYPES, FileType

THUMBNAIL_SIZE = (480, 480)
MB = 1024 * 1024


@dataclass(frozen=True)
class IncomingFile:
    """A file as the form gives it: the sender's name and the bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with what storing it needs."""

    name: str
    content: bytes
    type: str
    sha256: str
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None


def type_names(types: Collection[str]) -> str:
    return ", ".join(FileType(kind).label for kind in FileType.values if kind in types)


def check_file(incoming: IncomingFile, allowed: Collection[str], max_bytes: int) -> CheckedFile:
    """The file typed by its content, within `max_bytes` and of one of the `allowed` types;
    ValidationError saying what is wrong with which file otherwise."""
    name = (incoming.name or "file")[:255]
    if not incoming.content:
        raise ValidationError(_("Файл «%(name)s» пуст.") % {"name": name})
    if len(incoming.content) > max_bytes:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)s МБ.") % {"name": name, "limit": _mb(max_bytes)}
        )
    kind = file_type(incoming.content)
    if kind not in allowed:
        raise ValidationError(
            _("Файл «%(name)s» по содержимому не %(types)s; такие файлы здесь не принимаются.")
            % {"name": name, "types": type_names(allowed)}
        )
    digest = hashlib.sha256(incoming.content).hexdigest()
    if kind not in IMAGE_TYPES:
        return CheckedFile(name, incoming.content, kind, digest)
    return CheckedFile(
        name, incoming.content, kind, digest, *thumbnail(name, incoming.content, THUMBNAIL_SIZE)
    )


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value >= 1 else f"{value:.1f}"

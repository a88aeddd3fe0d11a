"""Files given to a contest — its documents, the applications' files — checked by their content
and size, never by their name; a picture gets a thumbnail (Pillow), its size read from its
header first so that a decompression bomb is refused undecoded."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicplan.common.files import file_type
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
    return CheckedFile(name, incoming.content, kind, digest, *_thumbnail(name, incoming.content))


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value >= 1 else f"{value:.1f}"


def _thumbnail(name: str, content: bytes) -> tuple[bytes, int, int]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > settings.CIVICPLAN_REPORT_MAX_PIXELS:
                raise ValidationError(
                    _("Изображение «%(name)s» слишком велико: %(width)d × %(height)d точек.")
                    % {"name": name, "width": width, "height": height}
                )
            picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Изображение «%(name)s» не читается.") % {"name": name}) from error
    return out.getvalue(), width, height

"""Reading a plan file of any supported format into a RawDocument, safely.

The format is sniffed from the content, never trusted from the name; files over the size limit,
ZIP bombs and XML with entity declarations are refused before any parser sees them.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import IO

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawDocument

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # unpacked/packed size of one ZIP member
MAX_MEMBERS = 2000


def read_raw(data: bytes, source: str) -> RawDocument:
    """A RawDocument from the bytes of a text, DOCX or XLSX plan."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanReadError(source, _too_big(len(data)))
    if not data.strip():
        raise PlanReadError(source, _("файл пустой"))
    if data.startswith(b"PK\x03\x04"):
        archive = _open_zip(data, source)
        names = set(archive.namelist())
        if "word/document.xml" in names:
            from civicplan.plandoc.readers.docx import read_docx

            return read_docx(archive, source)
        if "xl/workbook.xml" in names:
            from civicplan.plandoc.readers.xlsx import read_xlsx

            return read_xlsx(archive, source)
        raise PlanReadError(
            source, _("архив ZIP не является документом Word (DOCX) или Excel (XLSX)")
        )
    if data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"{\\rtf")):
        raise PlanReadError(
            source, _("формат не поддерживается: сохраните план как DOCX, XLSX или текст")
        )
    from civicplan.plandoc.readers.text import read_text

    return read_text(data, source)


def read_raw_file(path: str | Path) -> RawDocument:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlanReadError(path.name, _too_big(size))
        data = path.read_bytes()
    except OSError as error:
        raise PlanReadError(
            path.name, _("файл не читается: %(reason)s") % {"reason": error.strerror}
        ) from None
    return read_raw(data, path.name)


def _too_big(size: int) -> str:
    return _("файл больше %(limit)s МБ (%(size)s байт)") % {
        "limit": MAX_FILE_BYTES // (1024 * 1024),
        "size": f"{size:,}",
    }


def package_stream(archive: zipfile.ZipFile) -> IO[bytes] | str:
    """What the archive was opened on, for python-docx or openpyxl to open the same package."""
    stream = archive.fp
    if stream is None:
        if isinstance(archive.filename, str):
            return archive.filename
        raise ValueError("the archive is closed")
    stream.seek(0)
    return stream


def _open_zip(data: bytes, source: str) -> zipfile.ZipFile:
    """Open a DOCX/XLSX container after checking it cannot unpack into something huge."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PlanReadError(source, _("повреждённый архив DOCX/XLSX")) from None
    if len(members) > MAX_MEMBERS:
        raise PlanReadError(source, _("слишком много частей в архиве"))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (member.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise PlanReadError(
                source, _("архив распаковывается в слишком большой объём (ZIP-бомба)")
            )
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            head = _read_member(archive, member, source)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise PlanReadError(
                    source,
                    _("часть %(part)s содержит объявление XML-сущностей (DOCTYPE)")
                    % {"part": member.filename},
                )
    return archive


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, source: str) -> bytes:
    try:
        with archive.open(member) as stream:
            return stream.read(MAX_UNPACKED_BYTES)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError):
        raise PlanReadError(
            source, _("повреждённая часть архива: %(part)s") % {"part": member.filename}
        ) from None

"""Reading a plan file of any supported format into a RawDocument, safely.

The format is sniffed from the content, never trusted from the name; files over the size limit,
ZIP bombs and XML with entity declarations are refused before any parser sees them, and the
readers stop at the limits of what a plan may hold (`package` for the ZIP parts, each reader
for its rows, columns and cells), so a hostile file costs at most a few hundred MB and seconds.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawDocument
from civicplan.plandoc.readers.package import check_package

MAX_FILE_BYTES = 20 * 1024 * 1024


def read_raw(data: bytes, source: str) -> RawDocument:
    """A RawDocument from the bytes of a text, DOCX or XLSX plan."""
    kind, archive = _format(data, source)
    if kind == "docx":
        from civicplan.plandoc.readers.docx import read_docx

        return read_docx(archive, source)
    if kind == "xlsx":
        from civicplan.plandoc.readers.xlsx import read_xlsx

        return read_xlsx(archive, source)
    from civicplan.plandoc.readers.text import read_text

    return read_text(data, source)


def check_file(data: bytes, source: str) -> None:
    """What can be told of a plan file at once, without reading its text: its size, its
    format and, for DOCX and XLSX, its package (damaged, a ZIP bomb, a DTD). PlanReadError
    says what is wrong; the limits of what the text holds are met by `read_raw`."""
    _format(data, source)


def _format(data: bytes, source: str) -> tuple[str, zipfile.ZipFile | None]:
    """The file's format sniffed from its content ("docx", "xlsx" or "text"), with the opened
    package of the first two."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanReadError(source, _too_big(len(data)))
    if not data.strip():
        raise PlanReadError(source, _("файл пустой"))
    if data.startswith(b"PK\x03\x04"):
        archive = _open_zip(data, source)
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return "docx", archive
        if "xl/workbook.xml" in names:
            return "xlsx", archive
        raise PlanReadError(
            source, _("архив ZIP не является документом Word (DOCX) или Excel (XLSX)")
        )
    if data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"{\\rtf")):
        raise PlanReadError(
            source, _("формат не поддерживается: сохраните план как DOCX, XLSX или текст")
        )
    return "text", None


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


def _open_zip(data: bytes, source: str) -> zipfile.ZipFile:
    """Open a DOCX/XLSX container after checking it cannot unpack into something huge and has
    no XML part with a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PlanReadError(source, _("повреждённый архив DOCX/XLSX")) from None
    check_package(archive, source)
    return archive

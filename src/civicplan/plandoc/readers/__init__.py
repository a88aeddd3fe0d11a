"""Reading a plan file of any supported format, safely: its blocks, then the plan laid out.

The formats: DOCX, XLSX, ODT and ODS (`docx`, `xlsx`, `odf`: packages read as a stream), PDF
with a text layer (`pdf`, read in a process of its own with its memory and time limited),
legacy .doc, .xls and RTF (`convert`: through LibreOffice to DOCX or XLSX), and text (`text`).
The format is sniffed from the content, never trusted from the name; files over the size limit,
ZIP bombs and XML with entity declarations are refused before any parser sees them, and the
readers stop at the limits of what a plan may hold (`package` for the ZIP parts, each reader
for its rows, columns and cells), so a hostile file costs at most a few hundred MB and seconds.
Each reader gives a `source.SourceDocument` (paragraphs and tables, no meaning);
`layout.arrange` finds the plan in it the same way for every format.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawDocument
from civicplan.plandoc.readers.package import check_package
from civicplan.plandoc.source import SourceDocument

MAX_FILE_BYTES = 20 * 1024 * 1024

Columns = Mapping[tuple[str, ...], Sequence[str]]  # a table's header -> each column's role


def read_source(data: bytes, source: str) -> SourceDocument:
    """The paragraphs and tables of a plan file of any supported format."""
    kind, archive = _format(data, source)
    if kind == "docx":
        from civicplan.plandoc.readers.docx import read_docx

        return read_docx(archive, source)
    if kind == "xlsx":
        from civicplan.plandoc.readers.xlsx import read_xlsx

        return read_xlsx(archive, source)
    if kind in ("odt", "ods"):
        from civicplan.plandoc.readers.odf import read_ods, read_odt

        return (read_odt if kind == "odt" else read_ods)(archive, source)
    if kind == "pdf":
        from civicplan.plandoc.readers.pdf import read_pdf

        return read_pdf(data, source)
    if kind in ("doc", "xls", "rtf"):
        from civicplan.plandoc.readers.convert import read_converted

        return read_converted(data, source, kind)
    from civicplan.plandoc.readers.text import read_text

    return read_text(data, source)


def read_raw(data: bytes, source: str, columns: Columns | None = None) -> RawDocument:
    """The plan in a file, laid out: its title, headings, rows by column role and notes.
    `columns` overrides the guessed role of each column of a table with the given header."""
    from civicplan.plandoc.layout import arrange  # the readers alone need no layout

    return arrange(read_source(data, source), columns)


def check_file(data: bytes, source: str) -> None:
    """What can be told of a plan file at once, without reading its text: its size, its
    format and, for packages, whether they are damaged, a ZIP bomb or hold a DTD; a PDF's
    pages, password and text layer (in a process of its own, a second or so); for a file
    LibreOffice is to convert, whether it is installed. PlanReadError says what is wrong; the
    limits of what the text holds are met by `read_source`."""
    kind, _archive = _format(data, source)
    if kind == "pdf":
        from civicplan.plandoc.readers.pdf import check_pdf

        check_pdf(data, source)
    elif kind in ("doc", "xls", "rtf"):
        from civicplan.plandoc.readers.convert import check_converter

        check_converter(kind, source)


# Files that are certainly not plans: images and other archives.
_OTHER_BINARIES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")


def _format(data: bytes, source: str) -> tuple[str, zipfile.ZipFile | None]:
    """The file's format sniffed from its content ("docx", "xlsx", "odt", "ods", "pdf", "doc",
    "xls", "rtf" or "text"), with the opened package of the first four."""
    from civicplan.plandoc.readers import convert

    if len(data) > MAX_FILE_BYTES:
        raise PlanReadError(source, _too_big(len(data)))
    if not data.strip():
        raise PlanReadError(source, _("файл пустой"))
    if data.startswith(b"PK\x03\x04"):
        return _package_format(data, source)
    if b"%PDF-" in data[:1024]:
        return "pdf", None
    kind = convert.sniff(data, source)
    if kind is not None:
        return kind, None
    if data.startswith(_OTHER_BINARIES):
        raise PlanReadError(source, convert.unsupported())
    return "text", None


def _package_format(data: bytes, source: str) -> tuple[str, zipfile.ZipFile]:
    from civicplan.plandoc.readers.convert import unsupported

    archive = _open_zip(data, source)
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx", archive
    if "xl/workbook.xml" in names:
        return "xlsx", archive
    # imported only here: the OpenDocument reader loads openpyxl, which a DOCX does not need
    from civicplan.plandoc.readers.odf import odf_kind

    kind = odf_kind(archive, source)
    if kind is not None:
        return kind, archive
    raise PlanReadError(source, unsupported())


def read_raw_file(path: str | Path, columns: Columns | None = None) -> RawDocument:
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
    return read_raw(data, path.name, columns)


def _too_big(size: int) -> str:
    return _("файл больше %(limit)s МБ (%(size)s байт)") % {
        "limit": MAX_FILE_BYTES // (1024 * 1024),
        "size": f"{size:,}",
    }


def _open_zip(data: bytes, source: str) -> zipfile.ZipFile:
    """Open a package after checking it cannot unpack into something huge and has no XML
    part with a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PlanReadError(source, _("повреждённый архив DOCX/XLSX/ODT/ODS")) from None
    check_package(archive, source)
    return archive

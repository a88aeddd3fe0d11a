"""Plans as text: a Word table saved as tab-separated text, as in the 2024 seed.

Lines before the header row are the title (`**bold**` and `<i>` marks dropped); lines with tabs
are table rows; a row with one filled first cell is a heading; a row whose first cells are empty
continues the row before it (a page break inside a Word row); a line without tabs is a footnote
text when it starts with the footnote mark, otherwise a note of the plan.

Footnote marks and continued rows are read the same way in every format: the DOCX and XLSX
readers take those rules from here.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from civicplan.i18n import gettext as _
from civicplan.plandoc.columns import column_roles
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow

_MARKUP = re.compile(r"\*\*|</?(?:i|b|u|em|strong)>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
FOOTNOTE_MARK = re.compile(r"(?<=\S)\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})(?=\s|$|[.,;:)])")
FOOTNOTE_TEXT = re.compile(r"^\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})\s*(\S.*)$")


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or whatever legacy encoding the bytes are
    in — Windows-1251 and KOI8-R in practice — detected by charset-normalizer."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    if codecs.BOM_UTF16_BE and data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise PlanReadError(source, _("файл не текстовый и не документ Word или Excel"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp866"]).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise PlanReadError(source, _("не удалось определить кодировку текста"))
    return str(best)


def clean(text: str) -> str:
    """A cell's text without markup and with single spaces."""
    return _SPACES.sub(" ", _MARKUP.sub("", text)).strip()


def take_footnote_marks(text: str) -> tuple[str, list[str]]:
    """Remove footnote marks ("…членов Ассоциации ¹") and say which they were."""
    marks = [match.group(1) for match in FOOTNOTE_MARK.finditer(text)]
    return (FOOTNOTE_MARK.sub("", text).strip(), marks) if marks else (text, [])


def take_row_footnote_marks(cells: dict[str, str]) -> list[str]:
    """Remove the footnote marks from each of a row's cells and say which they were, so that
    the row gets the footnotes' texts once they are read."""
    marks: list[str] = []
    for role, value in cells.items():
        cells[role], found = take_footnote_marks(value)
        marks.extend(found)
    return marks


def continued_row(document: RawDocument, cells: dict[str, str]) -> RawRow | None:
    """The row that a row without a time frame, whose activity does not start with a capital
    letter, continues (a page break inside a Word row): the document's last item, if a row."""
    previous = document.items[-1] if document.items else None
    if (
        isinstance(previous, RawRow)
        and not cells.get("when")
        and not cells.get("title", "")[:1].isupper()
    ):
        return previous
    return None


def attach_footnotes(wanted: list[tuple[RawRow, list[str]]], footnotes: dict[str, str]) -> None:
    """Give each row the texts of the footnotes its marks refer to (they come after the table)."""
    for row, marks in wanted:
        row.footnotes.extend(footnotes[mark] for mark in marks if mark in footnotes)


def read_text(data: bytes, source: str) -> RawDocument:
    text = decode(data, source)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise PlanReadError(source, _("файл пустой"))
    header_at, roles = _find_header(lines, source)
    title = clean(" ".join(line for line in lines[:header_at] if line.strip()))
    document = RawDocument(source=source, title=title)
    footnotes: dict[str, str] = {}
    wanted: list[tuple[RawRow, list[str]]] = []
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not line.strip():
            continue
        if "\t" not in line:
            _read_paragraph(document, footnotes, number, line)
            continue
        row = _read_row(document, roles, number, line)
        if row is not None:
            wanted.append(row)
    attach_footnotes(wanted, footnotes)
    return document


def _read_paragraph(
    document: RawDocument, footnotes: dict[str, str], number: int, line: str
) -> None:
    """A line without tabs: a footnote's text when it starts with the mark, else a note."""
    footnote = FOOTNOTE_TEXT.match(clean(line))
    if footnote:
        footnotes[footnote.group(1)] = footnote.group(2).strip()
    else:
        document.items.append(RawNote(number, clean(line)))


def _read_row(
    document: RawDocument, roles: dict[str, int], number: int, line: str
) -> tuple[RawRow, list[str]] | None:
    """A table line: a heading, more of the row before it, or an activity row, which is given
    back with the footnote marks it carries."""
    cells = [clean(cell) for cell in line.split("\t")]
    filled = [index for index, cell in enumerate(cells) if cell]
    if not filled:
        return None
    if len(filled) == 1 and filled[0] <= min(roles.values()):
        document.items.append(RawHeading(number, cells[filled[0]]))
        return None
    by_role = {role: cells[i] if i < len(cells) else "" for role, i in roles.items()}
    previous = continued_row(document, by_role)
    if previous is not None:
        _continue_row(previous, by_role)
        return None
    marks = take_row_footnote_marks(by_role)
    row = RawRow(number, by_role)
    document.items.append(row)
    return row, marks


def _find_header(lines: list[str], source: str) -> tuple[int, dict[str, int]]:
    for index, line in enumerate(lines[:200]):
        if "\t" in line:
            roles = column_roles([clean(cell) for cell in line.split("\t")])
            if roles:
                return index, roles
    raise PlanReadError(
        source,
        _(
            "не найдена строка заголовка таблицы: нужны столбцы «Мероприятия» и хотя бы один из "
            "«Сроки», «Место проведения», «Ответственный»"
        ),
    )


def _continue_row(row: RawRow, cells: dict[str, str]) -> None:
    for role, value in cells.items():
        if value:
            row.cells[role] = f"{row.cells.get(role, '')} {value}".strip()

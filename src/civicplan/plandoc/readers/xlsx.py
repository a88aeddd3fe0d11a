"""Plans as Excel workbooks (XLSX): the first worksheet, laid out as people lay plans out there.

The header row is the first of the sheet's first 50 rows that names the columns
(`columns.column_roles`); the non-empty cells of the rows above it are the title. Below it:

- a row with text in one cell only, in or left of the first column of the table, is a heading
  when that cell is merged across the table, or, not merged, when it reads like one (no
  lower-case letters, or short); a long unmerged sentence is a note (the seed's note between
  rows). Such rows after the table's last activity row are notes, and a row starting with a
  footnote mark ("¹ В соответствии …") is the text of that footnote;
- a row whose time frame and activity cells are empty continues the activity row right above it
  (as in text); other rows after the table's last activity row are notes (a signature, say);
- every other row is an activity. Real Excel dates are written "DD.MM.YYYY" for the time-frame
  parser; a value merged down over several rows (the same time frame for a group of rows)
  belongs to each of them. Columns without a role ("№ п/п", "Примечание") are ignored, and so
  are the row of column numbers under the header and a repeated header.

`RawRow.number`, `RawHeading.number` and `RawNote.number` are Excel row numbers.

openpyxl reads the cells in read-only mode, which does not see merged cells; their ranges are
taken from the sheet's `<mergeCell ref="A5:D5"/>` elements.
"""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
from lxml import etree
from openpyxl.utils.cell import column_index_from_string

from civicplan.i18n import gettext as _
from civicplan.plandoc.columns import column_roles
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.readers import package_stream
from civicplan.plandoc.readers.text import (
    FOOTNOTE_TEXT,
    attach_footnotes,
    continued_row,
    take_footnote_marks,
    take_row_footnote_marks,
)

HEADER_SEARCH_ROWS = 50
MAX_COLUMNS = 64
SHORT_HEADING = 80  # an unmerged one-cell row this short, or without lower case, is a heading
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")
_DIGITS = re.compile(r"\d{1,3}\.?")
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(slots=True)
class _Merges:
    across: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> last col
    down: list[tuple[int, int, int]] = field(default_factory=list)  # (row, col, last row)


def read_xlsx(archive: zipfile.ZipFile, source: str) -> RawDocument:
    """The RawDocument of an XLSX plan; `archive` is the opened, already size-checked package."""
    sheet_name, rows = _read_cells(archive, source)
    try:
        merges = _merges(archive, sheet_name)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, etree.LxmlError):
        merges = _Merges()  # merged ranges only refine headings; the cells were read
    return _Reader(source, rows, merges).read()


def _read_cells(archive: zipfile.ZipFile, source: str) -> tuple[str, list[list[str]]]:
    """The first worksheet's name and cell texts, row by row from row 1."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        try:
            workbook = openpyxl.load_workbook(
                package_stream(archive), read_only=True, data_only=True
            )
        except Exception as error:  # openpyxl raises anything at all on a damaged package
            raise PlanReadError(
                source,
                _(
                    "повреждённая книга Excel (XLSX): откройте её в Excel и сохраните заново "
                    "(%(error)s)"
                )
                % {"error": type(error).__name__},
            ) from None
        try:
            if not workbook.worksheets:
                raise PlanReadError(source, _("в книге Excel нет листов с таблицей"))
            sheet = workbook.worksheets[0]
            rows = [
                [_text(value) for value in values[:MAX_COLUMNS]]
                for values in sheet.iter_rows(values_only=True)
            ]
            return sheet.title, rows
        except PlanReadError:
            raise
        except Exception as error:  # a damaged sheet part surfaces only while rows are read
            raise PlanReadError(
                source,
                _(
                    "повреждён первый лист книги Excel (XLSX): откройте её в Excel и сохраните "
                    "заново (%(error)s)"
                )
                % {"error": type(error).__name__},
            ) from None
        finally:
            workbook.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


@dataclass(frozen=True, slots=True)
class _Table:
    """Where the plan's table is on the sheet and what its rows hold, found once."""

    header_at: int  # row index of the header
    header: list[str]
    columns: list[tuple[str, int]]  # (role, column), left to right
    role_columns: frozenset[int]
    below: set[tuple[int, int]]  # (row index, column) given by a merge from above
    owned: list[list[tuple[int, str]]]  # each row's filled cells, without those merged from above
    last_row: int  # the last activity row: the table's end


class _Reader:
    def __init__(self, source: str, rows: list[list[str]], merges: _Merges) -> None:
        self.source, self.rows, self.merges = source, rows, merges
        self.footnotes: dict[str, str] = {}  # footnote texts under the table, by mark
        self.wanted: list[tuple[RawRow, list[str]]] = []  # rows and the marks they carry
        self.previous_at = (
            -1
        )  # the sheet row of the last activity row, which a next row may continue

    def read(self) -> RawDocument:
        if not any(any(row) for row in self.rows):
            raise PlanReadError(self.source, _("первый лист книги Excel пустой"))
        header_at, roles = self.find_header()
        title = " ".join(text for row in self.rows[:header_at] for text in row if text)
        document = RawDocument(source=self.source, title=title)
        table = self.table(header_at, roles)
        for index in range(header_at + 1, len(self.rows)):
            self.read_row(document, table, index)
        attach_footnotes(self.wanted, self.footnotes)
        return document

    def table(self, header_at: int, roles: dict[str, int]) -> _Table:
        """The table under the header: values merged down copied into their rows, and where
        the activity rows end (the last row with text in two of the table's columns)."""
        columns = sorted(roles.items(), key=lambda item: item[1])
        role_columns = frozenset(column for _, column in columns)
        header = self.rows[header_at]
        below = self.fill_down(header_at)
        owned = [
            [
                (column, text)
                for column, text in enumerate(row)
                if text and (index, column) not in below and column <= max(role_columns)
            ]
            for index, row in enumerate(self.rows)
        ]
        last_row = max(
            (
                index
                for index in range(header_at + 1, len(self.rows))
                if sum(1 for column, _ in owned[index] if column in role_columns) >= 2
            ),
            default=header_at,
        )
        return _Table(header_at, header, columns, role_columns, below, owned, last_row)

    def read_row(self, document: RawDocument, table: _Table, index: int) -> None:
        """One sheet row below the header, into the document (or into the row it continues)."""
        number, row = index + 1, self.rows[index]
        in_roles = [(c, text) for c, text in table.owned[index] if c in table.role_columns]
        cells = in_roles or table.owned[index]
        if self.skipped(table, index, cells, in_roles):
            return
        if len(cells) == 1 and self.read_lone_cell(document, table, index, cells[0]):
            return
        by_role = {role: row[c] if c < len(row) else "" for role, c in table.columns}
        previous = continued_row(document, by_role) if self.previous_at == index - 1 else None
        if previous is not None:
            self.continue_row(previous, table, index, by_role)
        elif index > table.last_row:  # after the table: a signature, say
            document.items.append(RawNote(number, " ".join(text for _, text in cells)))
        else:
            marks = take_row_footnote_marks(by_role)
            raw = RawRow(number, by_role)
            document.items.append(raw)
            self.wanted.append((raw, marks))
            self.previous_at = index

    def skipped(
        self,
        table: _Table,
        index: int,
        cells: list[tuple[int, str]],
        in_roles: list[tuple[int, str]],
    ) -> bool:
        """Rows that say nothing: empty ones, the "1 2 3 4" row under a header, the header
        repeated, and a row number alone."""
        if not cells:
            return True
        if (index == table.header_at + 1 and _is_numbering(cells)) or self.rows[
            index
        ] == table.header:
            return True
        return not in_roles and all(_DIGITS.fullmatch(text) for _, text in cells)

    def read_lone_cell(
        self, document: RawDocument, table: _Table, index: int, cell: tuple[int, str]
    ) -> bool:
        """A row with text in one cell: a footnote's text, or, merged across or in the first
        column, a heading or a note. False when it is an activity row after all."""
        column, text = cell
        number = index + 1
        footnote = FOOTNOTE_TEXT.match(text)
        if footnote:
            self.footnotes[footnote.group(1)] = footnote.group(2).strip()
            return True
        merged = self.merges.across.get((number, column), column) > column
        if not (merged or column <= table.columns[0][1]):
            return False
        if index > table.last_row or not (merged or _reads_like_heading(text)):
            document.items.append(RawNote(number, text))
        else:
            document.items.append(RawHeading(number, text))
        return True

    def continue_row(
        self, previous: RawRow, table: _Table, index: int, by_role: dict[str, str]
    ) -> None:
        """Add a continuing row's own cells (not the values merged down into it) to the row
        above, and their footnote marks."""
        marks: list[str] = []
        for role, column in table.columns:
            if (index, column) not in table.below and by_role[role]:
                value, found = take_footnote_marks(by_role[role])
                previous.cells[role] = f"{previous.cells.get(role, '')} {value}".strip()
                marks.extend(found)
        self.wanted.append((previous, marks))
        self.previous_at = index

    def find_header(self) -> tuple[int, dict[str, int]]:
        for index, row in enumerate(self.rows[:HEADER_SEARCH_ROWS]):
            roles = column_roles(row)
            if roles:
                return index, roles
        raise PlanReadError(
            self.source,
            _(
                "не найдена строка заголовка таблицы на первом листе (в первых %(rows)s "
                "строках): нужны столбцы «Мероприятия» и хотя бы один из "
                "«Сроки», «Место проведения», «Ответственный»"
            )
            % {"rows": HEADER_SEARCH_ROWS},
        )

    def fill_down(self, header_at: int) -> set[tuple[int, int]]:
        """Copy a value merged down over rows below the header into each row; say where."""
        below: set[tuple[int, int]] = set()
        for first, column, last in self.merges.down:
            top = first - 1
            if top <= header_at or top >= len(self.rows) or column >= len(self.rows[top]):
                continue
            value = self.rows[top][column]
            for index in range(first, min(last, len(self.rows))):
                row = self.rows[index]
                if column < len(row) and not row[column]:
                    row[column] = value
                    below.add((index, column))
        return below


def _merges(archive: zipfile.ZipFile, sheet_name: str) -> _Merges:
    """The merged ranges of the named sheet (read-only openpyxl does not report them)."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), _XML)
    rel_id = next(
        (
            sheet.get(_R_ID)
            for sheet in workbook.iter("{*}sheet")
            if sheet.get("name") == sheet_name
        ),
        None,
    )
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), _XML)
    target = next((rel.get("Target") for rel in rels.iter(_RELS) if rel.get("Id") == rel_id), None)
    merges = _Merges()
    if not target:
        return merges
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    # The sheet can be large and its <mergeCells> comes after all the cells: a pattern finds
    # them without building the sheet's tree a second time. Markup inside cell text is escaped,
    # so "<mergeCell" only matches the element.
    for match in _MERGE.finditer(archive.read(posixpath.normpath(path))):
        first_col = column_index_from_string(match.group(1).decode()) - 1
        last_col = column_index_from_string(match.group(3).decode()) - 1
        first_row, last_row = int(match.group(2)), int(match.group(4))
        if last_col > first_col:
            merges.across[(first_row, first_col)] = last_col
        if last_row > first_row:
            merges.down.append((first_row, first_col, last_row))
    return merges


def _reads_like_heading(text: str) -> bool:
    return text == text.upper() or len(text) <= SHORT_HEADING


def _is_numbering(cells: list[tuple[int, str]]) -> bool:
    """The row of column numbers ("1", "2", "3", "4") Russian tables often have under the header."""
    return len(cells) >= 2 and all(_DIGITS.fullmatch(text) for _, text in cells)

"""Plans as Excel workbooks (XLSX): the first worksheet as one table, for `layout.arrange`.

Each sheet row with text is a row of the table, numbered as Excel numbers it; a merged range
fills the columns it covers (the same cell in each) and the rows below its first (so a time
frame merged down over a group of rows belongs to each of them). Real Excel dates are written
"DD.MM.YYYY" ("DD.MM.YYYY HH:MM" with a time of day, "HH:MM" for a time alone). Blank rows
stay in the table: a row right under another may continue it, one after a blank row may not.

The sheet is read as a stream: each row is read when its end tag is parsed and then dropped
from the tree, merged ranges (`<mergeCell ref="A5:D5"/>`) likewise, and the limits of `limits`
(rows, cells, merged cells, elements of one row, shared strings) are checked as it goes. The
sheet's declared dimension (`<dimension ref="A1:XFD1048576"/>`) is not read at all: rows hold
what their cells hold, and columns right of MAX_COLUMNS are ignored. Cell values are
openpyxl's (`WorkSheetParser.parse_cell`, `Text` for shared strings, its date formats), as its
read-only mode gives them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from lxml import etree
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH
from openpyxl.worksheet._reader import WorkSheetParser

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers.limits import (
    MAX_BLOCK_ELEMENTS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_MERGED_CELLS,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    spaced,
)
from civicplan.plandoc.readers.package import (
    content_types,
    drop_read,
    parse_part,
    relationships,
    stream_part,
)
from civicplan.plandoc.source import Cell, Row, SourceDocument, Table

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _CELL, _STRING = _MAIN + "row", _MAIN + "c", _MAIN + "si"
_TEXT, _RUN = _MAIN + "t", _MAIN + "r"
_MERGE = re.compile(r"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)")
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WHITESPACE = re.compile(r"\s+")
_DAMAGED = (KeyError, ValueError, IndexError, TypeError, AttributeError, etree.LxmlError)


@dataclass(slots=True)
class _Merges:
    across: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> last col
    down: list[tuple[int, int, int]] = field(default_factory=list)  # (row, col, last row)


@dataclass(frozen=True, slots=True)
class _Book:
    """What reading the first worksheet's cells needs from the rest of the workbook."""

    sheet_name: str
    sheet_part: str
    strings_part: str | None
    date1904: bool
    date_styles: set[int]  # cell style indexes whose number format is a date or time
    duration_styles: set[int]  # ... or a duration ("[h]:mm")


def read_xlsx(archive: zipfile.ZipFile, source: str) -> SourceDocument:
    """The first worksheet of an XLSX file as a table; `archive` is the opened, size-checked
    package."""
    book = _open_book(archive, source)
    try:
        strings = _shared_strings(archive, book.strings_part, source)
    except PlanReadError:
        raise
    except _DAMAGED as error:
        raise _damaged_book(source, error) from None
    sheet = _Sheet(source, book, strings)
    try:
        sheet.read(stream_part(archive, book.sheet_part, source, comments=False))
    except PlanReadError:
        raise
    except _DAMAGED as error:  # a damaged sheet part surfaces only while rows are read
        raise PlanReadError(
            source,
            _(
                "повреждён первый лист книги Excel (XLSX): откройте её в Excel и сохраните "
                "заново (%(error)s)"
            )
            % {"error": type(error).__name__},
        ) from None
    sheet.refuse_if_only_ignored()
    if not any(any(row) for row in sheet.rows):
        raise PlanReadError(source, _("первый лист книги Excel пустой"))
    return SourceDocument(source, [_table(sheet.rows, sheet.merges)], paragraphs=False)


def _damaged_book(source: str, error: Exception) -> PlanReadError:
    return PlanReadError(
        source,
        _("повреждённая книга Excel (XLSX): откройте её в Excel и сохраните заново (%(error)s)")
        % {"error": type(error).__name__},
    )


# -- the workbook ---------------------------------------------------------------------------------


def _open_book(archive: zipfile.ZipFile, source: str) -> _Book:
    """The first worksheet, and the shared strings and date formats its cells need, found as
    openpyxl finds them."""
    try:
        workbook = parse_part(archive, "xl/workbook.xml", source)
        sheet = _first_worksheet(archive, workbook, source)
        if sheet is None:
            raise PlanReadError(source, _("в книге Excel нет листов с таблицей"))
        overrides, _defaults = content_types(archive, source)
        strings = next((name for name, kind in overrides.items() if kind == _SHARED_STRINGS), None)
        properties = workbook.find(_MAIN + "workbookPr")
        date1904 = properties is not None and properties.get("date1904", "0") not in (
            "false",
            "f",
            "0",
        )
        dates, durations = _date_styles(archive, source)
    except PlanReadError:
        raise
    except _DAMAGED as error:
        raise _damaged_book(source, error) from None
    part_name = strings[1:] if strings else None
    return _Book(sheet[0], sheet[1], part_name, date1904, dates, durations)


def _first_worksheet(
    archive: zipfile.ZipFile, workbook: etree._Element, source: str
) -> tuple[str, str] | None:
    """The name and part of the workbook's first worksheet (chart sheets are not worksheets)."""
    targets = {
        rel_id: (kind, target)
        for rel_id, kind, target in relationships(archive, "xl/workbook.xml", source)
    }
    names = set(archive.namelist())
    for sheet in workbook.iterfind(f"{_MAIN}sheets/{_MAIN}sheet"):
        kind, target = targets.get(sheet.get(_R_ID, ""), ("", ""))
        if target in names and "chartsheet" not in kind:
            return sheet.get("name", ""), target
    return None


def _date_styles(archive: zipfile.ZipFile, source: str) -> tuple[set[int], set[int]]:
    """The cell styles whose number format shows a date (or a duration), as openpyxl reads
    them: a real Excel date is a number in such a style."""
    if "xl/styles.xml" not in archive.namelist():
        return set(), set()
    styles = parse_part(archive, "xl/styles.xml", source)
    custom = {
        int(item.get("numFmtId", "")): item.get("formatCode")
        for item in styles.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")
    }
    dates: set[int] = set()
    durations: set[int] = set()
    for index, style in enumerate(styles.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
        number = int(style.get("numFmtId", 0))
        code = custom[number] if number in custom else builtin_format_code(number)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def _shared_strings(archive: zipfile.ZipFile, part: str | None, source: str) -> list[str]:
    """The workbook's shared strings, as openpyxl reads them, streamed and at most
    MAX_SHARED_STRINGS of them."""
    strings: list[str] = []
    if part is None:
        return strings
    for _event, element in stream_part(archive, part, source, comments=False):
        if element.tag != _STRING:
            continue
        if len(strings) >= MAX_SHARED_STRINGS:
            raise PlanReadError(
                source,
                _("в части %(part)s больше %(limit)s строк текста")
                % {"part": part, "limit": spaced(MAX_SHARED_STRINGS)},
            )
        strings.append(_string_text(element))
        drop_read(element)
    return strings


def _string_text(item: etree._Element) -> str:
    """A shared string's text as openpyxl's `Text.content` gives it: the plain text, then each
    formatted run's (the last <t> of each), without the phonetic runs; "_x005F_" unescaped."""
    plain: str | None = None
    runs: list[str] = []
    for child in item:
        if child.tag == _TEXT:
            plain = child.text
        elif child.tag == _RUN:
            text = None
            for part in child.iterchildren(_TEXT):
                text = part.text
            if text is not None:
                runs.append(text)
    texts = [plain, *runs] if plain is not None else runs
    return "".join(texts).replace("x005F_", "")


# -- the first worksheet --------------------------------------------------------------------------


class _Sheet:
    """The first worksheet's cell texts, row by row from row 1, and its merged ranges, read as
    the sheet part is parsed; each row is dropped from the tree once read."""

    def __init__(self, source: str, book: _Book, strings: list[str]) -> None:
        self.source, self.name = source, book.sheet_name
        self.cells = WorkSheetParser(
            None,
            strings,
            data_only=True,
            epoch=MAC_EPOCH if book.date1904 else WINDOWS_EPOCH,
            date_formats=book.date_styles,
            timedelta_formats=book.duration_styles,
        )
        self.rows: list[list[str]] = []  # up to the last row with text
        self.next_row = 1  # openpyxl skips a row numbered below the rows read before it
        self.filled = 0
        self.ignored: str | None = None  # the first filled cell right of MAX_COLUMNS
        self.merges = _Merges()
        self.merged = 0  # merged ranges, and then the cells merged down
        self.held = 0  # elements parsed and still in the tree

    def read(self, events: Iterable[tuple[str, etree._Element]]) -> None:
        for _event, element in events:
            self.held += 1
            if self.held > MAX_BLOCK_ELEMENTS:
                raise self.over_limit(
                    _("на листе «%(sheet)s» в одной строке больше %(limit)s элементов XML"),
                    MAX_BLOCK_ELEMENTS,
                )
            tag = element.tag
            if tag == _ROW:
                self.take_row(element)
            elif isinstance(tag, str) and tag.endswith("}mergeCell"):
                self.take_merge(element.get("ref", ""))
            elif element.getparent() is not None and element.getparent().getparent() is not None:
                continue  # inside a row or another element: read with it
            self.held = 0
            drop_read(element)

    def take_row(self, row: etree._Element) -> None:
        """A row's cells, as openpyxl numbers them (a row without "r" follows the one before)."""
        number = _row_number(row.get("r"), self.cells.row_counter)
        self.cells.row_counter, self.cells.col_counter = number, 0
        texts = self.texts(row)
        if number < self.next_row:
            return
        self.next_row = number + 1
        filled = sum(1 for text in texts if text)
        if not filled:
            return
        if number > MAX_ROWS:
            message = _("на листе «%(sheet)s» больше %(limit)s строк")
            raise self.over_limit(message, MAX_ROWS, number)
        self.filled += filled
        if self.filled > MAX_CELLS:
            raise self.over_limit(
                _("на листе «%(sheet)s» больше %(limit)s заполненных ячеек"), MAX_CELLS, number
            )
        while len(self.rows) < number - 1:
            self.rows.append([""] * MAX_COLUMNS)
        self.rows.append(texts)

    def texts(self, row: etree._Element) -> list[str]:
        """The texts of the row's first MAX_COLUMNS columns; cells right of them are only
        noted (the first filled one, for the message if nothing else is filled)."""
        texts = [""] * MAX_COLUMNS
        for cell in row.iterchildren(_CELL):
            coordinate = cell.get("r")
            column = (
                coordinate_to_tuple(coordinate)[1] if coordinate else self.cells.col_counter + 1
            )
            if column > MAX_COLUMNS:
                self.cells.col_counter = column
                if self.ignored is None and len(cell):
                    self.ignored = coordinate or f"#{column}"
                continue
            texts[column - 1] = _text(self.cells.parse_cell(cell)["value"])
        return texts

    def take_merge(self, ref: str) -> None:
        """A merged range ("A5:D5") inside the limits; its count, and the cells it merges
        down, count against MAX_MERGED_CELLS (filling them in is work for each)."""
        match = _MERGE.fullmatch(ref)
        if not match:
            return
        first_col = column_index_from_string(match.group(1)) - 1
        last_col = column_index_from_string(match.group(3)) - 1
        first_row, last_row = int(match.group(2)), min(int(match.group(4)), MAX_ROWS)
        if first_row > MAX_ROWS or first_col >= MAX_COLUMNS:
            return
        self.merged += 1 + max(0, last_row - first_row)
        if self.merged > MAX_MERGED_CELLS:
            raise self.over_limit(
                _("на листе «%(sheet)s» больше %(limit)s объединённых ячеек"),
                MAX_MERGED_CELLS,
                first_row,
            )
        if last_col > first_col:
            self.merges.across[(first_row, first_col)] = last_col
        if last_row > first_row:
            self.merges.down.append((first_row, first_col, last_row))

    def refuse_if_only_ignored(self) -> None:
        """A sheet whose only filled cells are right of the columns read says so, not "empty"."""
        if not self.rows and self.ignored is not None:
            raise PlanReadError(
                self.source,
                _(
                    "на листе «%(sheet)s» заполнены только ячейки правее %(limit)s-го столбца "
                    "(первая из них: %(cell)s)"
                )
                % {"sheet": self.name, "limit": MAX_COLUMNS, "cell": self.ignored},
            )

    def over_limit(self, message: str, limit: int, row: int | None = None) -> PlanReadError:
        return PlanReadError(
            self.source, message % {"sheet": self.name, "limit": spaced(limit)}, row
        )


def _row_number(r: str | None, previous: int) -> int:
    """The number of a row element, as openpyxl reads "r" ("5", "5.0"), or the next one."""
    if r is None:
        return previous + 1
    try:
        return int(r)
    except ValueError:
        number = float(r)
        if not number.is_integer():
            raise ValueError(f"{r} is not a valid row number") from None
        return int(number)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and (value.hour or value.minute):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, datetime | date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _WHITESPACE.sub(" ", str(value)).strip()


def _table(texts: list[list[str]], merges: _Merges) -> Table:
    """The sheet's rows on the grid, merged ranges by identity: across from their first cell,
    and down into the rows below it."""
    down: dict[tuple[int, int], int] = {}  # (first row index, column) -> last row index
    for first, column, last in merges.down:
        down[(first - 1, column)] = min(last, len(texts)) - 1
    carried: dict[tuple[int, int], Cell] = {}  # (row index, column) -> the cell merged down
    table = Table()
    for index, row in enumerate(texts):
        slots: list[Cell | None] = [None] * len(row)
        own: list[Cell] = []
        for column, text in enumerate(row):
            cell = carried.pop((index, column), None)
            if cell is None and text and slots[column] is None:
                cell = Cell(text)
                own.append(cell)
                last = merges.across.get((index + 1, column), column)
                for covered in range(column + 1, min(last + 1, len(row))):
                    slots[covered] = cell
            if cell is not None:
                slots[column] = cell
                for below in range(index + 1, down.get((index, column), index) + 1):
                    carried[(below, column)] = cell
        while slots and slots[-1] is None:
            slots.pop()
        table.rows.append(Row(index + 1, slots, own))  # a blank row too: it parts two rows
    while table.rows and not table.rows[-1].slots:
        table.rows.pop()
    return table

"""The plan as an Excel workbook (XLSX) that the importer reads back to the same plan.

One sheet, "План 2024": the plan's title in the first row, the header in the second, then one
row per activity (columns: `writers.table`). The layout is the one the XLSX reader
(`readers/xlsx.py`) reads, so that `read_plan(write(plan))` gives the same plan JSON:

- a section or sub-heading ("1 ПОЛУГОДИЕ") is a row merged across the table, written where the
  activities' `section` changes (the parsed «Раздел»/«Подраздел» columns repeat it on every row
  for filters);
- an activity's notes are footnotes: marks ¹ ² … after its title in «Мероприятия», and one row
  per footnote text ("¹ В соответствии …") under the table; «Сноски» repeats the texts;
- the plan's notes keep their place between the rows when the reader will take them for notes
  again (a long sentence: a short or upper-case one-cell row reads as a heading); from the
  first note that would not, the notes follow the table, in order;
- «Начало» and «Окончание» are real Excel dates, «Время начала» and «Время окончания» real
  Excel times (HH:MM);
- the activities' extra fields (the source plan's other columns) are columns after all the
  others, one per distinct header, read back as extra fields under the same headers.

The header is frozen with the first two columns (№, Сроки); an autofilter covers the table.
"""

from __future__ import annotations

import io
import math
from datetime import date, time

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from civicplan.plandoc.layout import FOOTNOTE_TEXT, SHORT_HEADING
from civicplan.plandoc.model import Activity, PlanDocument
from civicplan.plandoc.writers.table import TITLE_COLUMN, Column, columns_for, row

DATE_FORMAT = "DD.MM.YYYY"
TIME_FORMAT = "HH:MM"
LINE_HEIGHT = 15.0  # points, one line of the default 11-point font
MAX_ROW_HEIGHT = 409.0  # Excel's limit
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FROZEN_COLUMNS = 2  # № and Сроки stay in view when scrolling right

_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
HEADER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", start_color="D9E1F2")
_SECTION_FILL = PatternFill("solid", start_color="F2F2F2")
BOLD = Font(bold=True)


def write(plan: PlanDocument) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"План {plan.year}" if plan.year else "План"
    _properties(workbook, sheet, plan)
    columns = columns_for(plan.activities)
    last_column = len(columns)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    number = 1
    if plan.title.strip():
        cell = put(sheet, number, 1, plan.title)
        cell.font = Font(bold=True, size=13)
        cell.alignment = Alignment(vertical="center")
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=last_column)
        sheet.row_dimensions[number].height = 2 * LINE_HEIGHT
        number += 1
    header_at = number
    for index, column in enumerate(columns, start=1):
        cell = put(sheet, header_at, index, column.header)
        cell.font, cell.alignment, cell.fill, cell.border = BOLD, HEADER, HEADER_FILL, BORDER
    sheet.row_dimensions[header_at].height = 2 * LINE_HEIGHT

    marks = _footnote_marks(plan.activities)
    in_place, after_table = _place_notes(plan)
    section: tuple[str | None, str | None] = (None, None)
    last_activity = header_at
    for position, activity in enumerate(plan.activities):
        for text in in_place.get(position, ()):
            number += 1
            _note_row(sheet, number, text)
        for text, bold in _headings(section, activity.section):
            number += 1
            _heading_row(sheet, number, text, columns, bold)
        section = activity.section
        number += 1
        _activity_row(
            sheet,
            number,
            activity,
            columns,
            [marks[note] for note in activity.notes if note in marks],
        )
        last_activity = number

    for text in after_table:
        number += 1
        _note_row(sheet, number, text)
    if marks:
        number += 1  # an empty row between the table and the footnotes
        for text, mark in marks.items():
            number += 1
            _note_row(sheet, number, f"{mark} {text}")

    sheet.freeze_panes = sheet.cell(header_at + 1, FROZEN_COLUMNS + 1).coordinate
    sheet.auto_filter.ref = f"A{header_at}:{get_column_letter(last_column)}{last_activity}"
    sheet.print_title_rows = f"{header_at}:{header_at}"
    sheet.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _properties(workbook: Workbook, sheet: Worksheet, plan: PlanDocument) -> None:
    """The file's title and author; a stored plan's version in the properties and at the top
    of each printed page."""
    workbook.properties.title = plan.title or None
    workbook.properties.creator = "CivicPlan"
    if plan.version is not None:
        workbook.properties.version = str(plan.version)
        workbook.properties.revision = str(plan.version.number)
        sheet.oddHeader.right.text = str(plan.version)


def _footnote_marks(activities: list[Activity]) -> dict[str, str]:
    """A footnote mark for each distinct note text of the activities: ¹, ², …, ¹⁰, …"""
    marks: dict[str, str] = {}
    for activity in activities:
        for note in activity.notes:
            if note.strip():  # an empty footnote has no text to write
                marks.setdefault(note, str(len(marks) + 1).translate(SUPERSCRIPTS))
    return marks


def _place_notes(plan: PlanDocument) -> tuple[dict[int, list[str]], list[str]]:
    """The plan's notes to write before the activity at each index, and those after the table.

    A one-cell row inside the table reads back as a note only when it does not read like a
    heading (see `readers/xlsx.py`); the first note that would, and every note after it, go
    under the table, so that the notes come back in their order."""
    in_place: dict[int, list[str]] = {}
    after_table: list[str] = []
    previous = 0
    for note in plan.notes:
        text = _text(note.text)
        if (
            not after_table
            and previous <= note.after < len(plan.activities)
            and _reads_as_note(text)
        ):
            in_place.setdefault(note.after, []).append(text)
            previous = note.after
        else:
            after_table.append(text)
    return in_place, after_table


def _reads_as_note(text: str) -> bool:
    """What the XLSX reader takes for a note, not a heading, inside the table."""
    collapsed = " ".join(text.split())
    return (
        len(collapsed) > SHORT_HEADING
        and collapsed != collapsed.upper()
        and not FOOTNOTE_TEXT.match(collapsed)
    )


def _headings(
    before: tuple[str | None, str | None], after: tuple[str | None, str | None]
) -> list[tuple[str, bool]]:
    """The heading rows that turn section `before` into `after`: (text, is a section heading).

    The reader takes a heading that is a time frame ("1 ПОЛУГОДИЕ") for a sub-heading under the
    current section, and any other for a new section with no sub-heading."""
    if before == after:
        return []
    heading, subheading = after
    rows: list[tuple[str, bool]] = []
    if heading and (heading != before[0] or subheading is None):
        rows.append((heading, True))
    if subheading:
        rows.append((subheading, False))
    return rows


def _activity_row(
    sheet: Worksheet,
    number: int,
    activity: Activity,
    columns: tuple[Column, ...],
    marks: list[str],
) -> None:
    lines = 1
    values = row(activity, columns)
    for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        if index - 1 == TITLE_COLUMN and marks:
            value = f"{value} {' '.join(marks)}"
        cell = sheet.cell(number, index)
        cell.border = BORDER
        cell.alignment = WRAP if column.wrap else TOP
        if value is None or value == "":
            continue
        if isinstance(value, date):
            cell.value = value
            cell.number_format = DATE_FORMAT
            continue
        if isinstance(value, time):
            cell.value = value
            cell.number_format = TIME_FORMAT
            continue
        put(sheet, number, index, value)
        if isinstance(value, str) and column.wrap:
            lines = max(lines, _lines(value, column.width))
    sheet.row_dimensions[number].height = min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)


def _heading_row(
    sheet: Worksheet, number: int, text: str, columns: tuple[Column, ...], bold: bool
) -> None:
    cell = put(sheet, number, 1, text)
    cell.font = Font(bold=bold, italic=not bold)
    cell.fill = _SECTION_FILL
    cell.alignment = WRAP
    cell.border = BORDER
    sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(columns))
    width = sum(column.width for column in columns)
    sheet.row_dimensions[number].height = min(_lines(text, width) * LINE_HEIGHT, MAX_ROW_HEIGHT)


def _note_row(sheet: Worksheet, number: int, text: str) -> None:
    """A paragraph in the first column, not wrapped: it shows across the empty row. Not merged,
    or the reader would take it for a heading."""
    put(sheet, number, 1, text).font = Font(italic=True)


def put(sheet: Worksheet, number: int, column: int, value: str | int) -> Cell:
    """Write a value; text is always text, never a formula ("=…")."""
    cell = sheet.cell(number, column)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _text(value: str) -> str:
    """Cell text without the control characters XML (and so XLSX) cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _lines(text: str, width: float) -> int:
    """About how many lines `text` takes wrapped in a column `width` characters wide."""
    per_line = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))

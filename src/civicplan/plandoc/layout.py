"""Finding the plan in a document's paragraphs and tables, the same for every file format.

The plan is the first table with a header row — a row whose cells name at least two roles
(`columns.header_score`), searched in its first HEADER_SEARCH_ROWS rows — or, failing that, the
first table whose cells alone tell a time frame column and an activity column. Paragraphs and
rows above it are the title; other tables before it (an approval block) are skipped. A header of
two rows (a «Сроки» merged over «начало | окончание») is read as one. Each column's role comes
from `columns.assign_roles`, unless the caller gives the roles for that header (a mapping the
staff chose and the site remembers).

In the table:
- a row with text in one cell only is a heading when that cell is merged across two columns or
  more, stands in or left of the table's first column and reads like a heading (no lower-case
  letters, or short; in a format without merged cells, text, any such cell), or is a time frame
  alone (a date heading the rows below it); a footnote's
  text («¹ В соответствии …») goes to the rows carrying its mark; in a spreadsheet (no
  paragraphs), rows after the last activity row of its table are notes (a signature);
- a row whose time frame is empty and whose activity does not start with a capital letter
  continues the row before it (a page break inside a Word row); only the cells that start in it
  are added;
- the row of column numbers under the header, a repeated header and a row number alone are
  skipped; row numbers typed in the activity's cell («1. Акция») are taken out when they count
  up; a text file's row pushed past the header by a stray empty cell loses it; a numbered row
  («1.») holding only an activity, followed by its sub-rows («1.1»), is a heading;
- every other row is an activity: its cells by role, a start and an end column joined into one
  time frame («01.03.2026 – 05.03.2026»), a time column added to it, several responsible
  columns joined, and the cells of columns of no known role kept under their headers.

A later table with a header, or wide enough for the plan's columns, continues the plan (a
table per month, or a paragraph splitting a Word table); a short paragraph just before such a
table is a heading when it is a time frame, in capitals or a numbered part («Январь»,
«Раздел 2. …»), other paragraphs are notes; a narrower table (a
signature block) becomes notes. A document with no plan table is read as a list plan (`lists`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from civicplan import timeframes
from civicplan.plandoc.columns import (
    EXTRA_ROLES,
    NUMBER,
    ColumnSet,
    assign_roles,
    header_score,
    header_scores,
    normal,
)
from civicplan.plandoc.lists import (
    SHORT_HEADING,
    SHORT_LIST_DATE,
    read_list_plan,
    reads_as_date,
    spaces,
)
from civicplan.plandoc.morphology import to_nominative
from civicplan.plandoc.places import place_at_end
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.source import Cell, Mark, Paragraph, Row, SourceDocument, Table
from civicplan.plandoc.writers.table import HEADERS as EXPORT_HEADERS
from civicplan.plandoc.writers.table import OWN_COLUMNS

HEADER_SEARCH_ROWS = 50  # rows of the first table searched for the header (a sheet's title)
LATER_HEADER_ROWS = 10  # ... of a later table (its own header, or the first repeated)
SHORT_HEADER_CELL = 80  # a header's cells are at most this long («Наименование мероприятия»)
SHORT_PARAGRAPH_HEADING = 150  # a paragraph before a continuing table this short is a heading
SAMPLE_ROWS = 60  # rows under the header whose cells tell the columns' roles
_SPACES = re.compile(r"\s+")
_NUMBERED_PART = re.compile(
    r"(?:раздел|глава|часть|направление)\s+\S+|[IVXLC]{1,5}\.\s|\d{1,2}\.\s+[А-ЯЁ]", re.IGNORECASE
)
_DIGITS = re.compile(r"\d{1,3}\.?")
# A settlement or a municipality alone, heading the rows of its events («г/п Руза», «с/п
# Дороховское», «Сельское поселение Тучково», «с. Матвеевка»): never the end of the row above.
_SETTLEMENT_HEADING = re.compile(
    r"(?:[гс]\.?\s?/\s?п\.?|[гс]\.\s?п\.|(?:городское|сельское)\s+поселение|пгт\.?|рп\.?|"
    r"г\.|с\.|п\.|пос\.|д\.|ст\.|ст-ца)\s*(?-i:[А-ЯЁ][\w-]*(?:\s+[А-ЯЁ][\w-]*)?)",
    re.IGNORECASE,
)
# «График проведения Дня пожилого человека.»: the event a schedule is of, in the genitive.
_SCHEDULE_OF = re.compile(
    r"(?:график|план|программа|расписание)\s+(?:проведения|мероприятий)?\s*(.+?)[.:]?$",
    re.IGNORECASE,
)
_ROLE_FAMILY = {"start": "when", "end": "when", "time": "when"}
# A row number at the start of an activity's cell: «1. Акция», «3.Акция», «2) Конкурс», «1.2. …».
_TITLE_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)[.)]\s*(?=[^\d\s.,)])")
FOOTNOTE_MARK = re.compile(r"(?<=\S)\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})(?=\s|$|[.,;:)])")
_MARK_SIGN = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*]")  # what every FOOTNOTE_MARK has
_DITTO = re.compile(
    r"\s*(?:[-–—]\s*/\s*/?\s*[-–—]|[-–—]\s*[\"“”«»]\s*[-–—]|[\"“”]|то\s+же)\s*\.?\s*"
)
_MARK_ENDS_PARTY = re.compile(r"(?<=\w)\*{1,3}\s+(?=[А-ЯЁ])")
FOOTNOTE_TEXT = re.compile(r"^\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})\s*(\S.*)$")
_SUB_WORDS = frozenset({"с", "от", "по", "до", "дата", "время", "п/п"})
_SUB_STEMS = ("начал", "окончан", "завершен")
_DATE_LABEL = re.compile(r"^(?:дата|число|день)\s*[-–—:.]?\s*", re.IGNORECASE)
# The roles of an activity row's own text (a row with two of them is an activity row).
_ROW_ROLES = ("when", "start", "end", "time", "title", "place", "responsible", "place_people")

Columns = Mapping[tuple[str, ...], Sequence[str]]
_EXPORTED = ("number", "when", "title", "place", "responsible")[:OWN_COLUMNS]
_EXPORTED_ALL = tuple(normal(header) for header in EXPORT_HEADERS)


def arrange(document: SourceDocument, columns: Columns | None = None) -> RawDocument:
    """The plan in a document: title, headings, activity rows by role, notes, footnotes.
    `columns` gives the roles of the columns of a table with the given header signature."""
    return _Layout(document, columns or {}).arrange()


def take_footnote_marks(text: str) -> tuple[str, list[str]]:
    """Remove footnote marks ("…членов Ассоциации ¹") and say which they were."""
    if not _MARK_SIGN.search(text):  # most cells: no sign of a mark to look around
        return text, []
    marks = [match.group(1) for match in FOOTNOTE_MARK.finditer(text)]
    return (FOOTNOTE_MARK.sub("", text).strip(), marks) if marks else (text, [])


@dataclass(slots=True)
class _Plan:
    """Where the plan table's rows start and what its columns hold."""

    top: int  # the first header row's index (the first row's, for a table without a header)
    header_at: int  # the last header row's index; top - 1 for a table without a header
    columns: ColumnSet
    width: int = 0  # a table without a header: the columns most of its rows fill


class _Layout:
    def __init__(self, document: SourceDocument, columns: Columns) -> None:
        self.document, self.given = document, columns
        self.raw = RawDocument(source=document.source, title="")
        self.footnotes: dict[str, str] = {}  # footnote texts typed under the table, by mark
        self.wanted: list[tuple[RawRow, list[Mark]]] = []
        self.columns: ColumnSet | None = None
        self.header: list[str] = []
        self.named = 0  # the columns a text file's row fills: its header's named ones
        self.width = 0  # ... any file's row of a table without a header: most rows' columns
        # (table, index) of the row being read and of the last one read: a row may continue
        # only the row right above it
        self.position = self.last = (0, -1)
        self.dates_above = ""  # the date cells' text of the last activity row, in its table
        self.numbered_above = False  # whether that row has a number
        self.last_row: RawRow | None = None  # the last activity row: what a ditto mark repeats
        tables = [block for block in document.blocks if isinstance(block, Table)]
        self.final_table = tables[-1] if tables else None  # rows after its last row are notes

    def arrange(self) -> RawDocument:
        blocks = self.document.blocks
        title: list[str] = []
        for index, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                title.append(block.text)
                continue
            plan = self.find_plan(block, HEADER_SEARCH_ROWS, first=True)
            if plan is not None:
                day = _dated_paragraph(blocks[index - 1]) if index and title else None
                if day is not None:  # «Дата – 03.05.2017» over a table per day
                    title.pop()
                    self.date_above(block, plan, blocks[index - 1].number, day)
                above = self.above_header(block, plan)
                day = _dated_text(above[-1]) if above and day is None else None
                if day is not None:  # the same line in a sheet's rows above the header
                    above.pop()
                    self.date_above(block, plan, block.rows[plan.top - 1].number, day)
                title.extend(above)
                self.raw.title = spaces(" ".join(self.without_dateline(title)))
                self.start_table(plan, block)
                self.read_rows(block.rows[plan.header_at + 1 :], block, plan.header_at + 1)
                if "title" not in plan.columns.roles and title:
                    _name_rows(self.raw.items, title[-1])
                self.read_rest(blocks[index + 1 :])
                self.attach_footnotes()
                for item in self.raw.items:
                    if isinstance(item, RawRow):
                        item.cells.pop("number", None)  # it served to group sub-rows
                return self.raw
        return read_list_plan(self.document)

    def date_above(self, table: Table, plan: _Plan, number: int, day: str) -> None:
        """A date alone right above the table: the day of its rows (a table per day), or, when
        it is one day and the rows give days of their own, the page's dateline (the day it was
        written); a span of days («с 25.01.2021 по 28.02.2021г.») is the rows' period."""
        if _is_dateline(day) and self.rows_have_days(table, plan):
            self.raw.dateline = day
        else:
            self.raw.items.append(RawHeading(number, day))

    def rows_have_days(self, table: Table, plan: _Plan) -> bool:
        dated = [c for c, role in enumerate(plan.columns.roles) if role in ("when", "start")]
        cells = [
            text
            for row in table.rows[plan.header_at + 1 : plan.header_at + 1 + SAMPLE_ROWS]
            for c in dated
            if (text := _text(row.slot(c)))
        ]
        days = sum(timeframes.parse(text, default_year=2000).start is not None for text in cells)
        return bool(cells) and days * 2 >= len(cells)

    def without_dateline(self, title: list[str]) -> list[str]:
        """The title without a web page's dateline: a date alone (and its time) between the
        page's heading and the heading repeated («План … 2017 года», «17 февраля 2017», «План
        …»), kept as the document's dateline (its year counts, its day is no one's)."""
        lines = [spaces(line) for line in title]
        for at, line in enumerate(lines[1:-1], start=1):
            if not _is_dateline(line):
                continue
            heading = normal(" ".join(lines[:at]))
            after = ""
            for following in lines[at + 1 :]:
                after = normal(f"{after} {following}")
                if after == heading:
                    self.raw.dateline = line
                    return lines[:at] + lines[at + 1 :]
                if not heading.startswith(after):
                    break
        return lines

    # -- the plan's table ---------------------------------------------------------------------

    def find_plan(self, table: Table, search: int, first: bool) -> _Plan | None:
        """The header and the columns of a table, or, for the first plan table, the columns
        its cells tell when it has no header; None when the table is not (part of) a plan."""
        for index, row in enumerate(table.rows[:search]):
            if header_score(row.texts()):
                return self.header_plan(table, index)
        if first:
            return self.headerless_plan(table)
        return None

    def header_plan(self, table: Table, index: int) -> _Plan:
        headers = table.rows[index].texts()
        header_at = index
        below = table.rows[index + 1] if index + 1 < len(table.rows) else None
        if below is not None and _is_sub_header(table.rows[index], below):
            headers = _joined_headers(table.rows[index], below)
            header_at = index + 1
        width = table.width
        headers += [""] * (width - len(headers))
        roles = self.roles_for(headers, table.rows[header_at + 1 : header_at + 1 + SAMPLE_ROWS])
        return _Plan(index, header_at, ColumnSet(tuple(headers), roles))

    def headerless_plan(self, table: Table) -> _Plan | None:
        rows = [row for row in table.rows if sum(1 for cell in row.own if cell.text) >= 2]
        if len(rows) < 3:
            return None
        # a row whose cells stand past the others' after empty ones (a doubled tab in a text
        # file, a stray cell in a sheet) makes no column of its own
        width = _typical_width(rows)
        rows = [_unshifted(row, width) for row in rows]
        headers = [""] * width
        roles = self.roles_for(headers, rows[:SAMPLE_ROWS])
        if "title" not in roles:
            return None
        if not {"when", "start", "time"} & set(roles) and _date_rows(table) < 2:
            # a programme's table of times («10.00-17.00 | … | …») counts, and so does a table
            # whose dates are rows of their own over its activities («06 мая (понедельник)»)
            return None
        first_row = table.rows.index(rows[0])
        return _Plan(first_row, first_row - 1, ColumnSet(tuple(headers), roles), width)

    def roles_for(self, headers: list[str], rows: list[Row]) -> tuple[str, ...]:
        signature = tuple(normal(header) for header in headers)
        given = self.given.get(signature) or exported_roles(signature)
        if given is not None and len(given) == len(headers):
            return tuple(given)
        cells = [[_text(row.slot(c)) for row in rows] for c in range(len(headers))]
        return assign_roles(headers, cells)

    def above_header(self, table: Table, plan: _Plan) -> list[str]:
        return [
            " ".join(cell.text for cell in row.own if cell.text) for row in table.rows[: plan.top]
        ]

    def start_table(self, plan: _Plan, table: Table) -> None:
        self.dates_above = ""
        self.columns = plan.columns
        self.raw.columns.append(plan.columns)
        self.header = table.rows[plan.header_at].texts() if plan.header_at >= 0 else []
        self.named = max((c + 1 for c, text in enumerate(self.header) if text), default=0)
        self.width = plan.width

    def read_rest(self, blocks: Sequence[Paragraph | Table]) -> None:
        """Paragraphs and tables after the plan table."""
        pending: list[Paragraph] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                pending.append(block)
                continue
            assert self.columns is not None
            plan = self.find_plan(block, LATER_HEADER_ROWS, first=False)
            if plan is not None:
                self.paragraphs(pending, before_table=True)
                for row in block.rows[: plan.top]:
                    self.add_note(" ".join(cell.text for cell in row.own), row.number)
                self.start_table(plan, block)
                self.read_rows(block.rows[plan.header_at + 1 :], block, plan.header_at + 1)
            elif block.width > max(self.role_columns(), default=0):
                self.paragraphs(pending, before_table=True)
                self.read_rows(block.rows, block, 0)
            else:
                self.paragraphs(pending, before_table=False)
                for row in block.rows:
                    self.add_note(" ".join(cell.text for cell in row.own), row.number)
            pending = []
        self.paragraphs(pending, before_table=False)

    def paragraphs(self, paragraphs: list[Paragraph], before_table: bool) -> None:
        for paragraph in paragraphs:
            text = spaces(paragraph.text)
            day = _dated_paragraph(paragraph) if before_table else None
            if day is not None:
                self.raw.items.append(RawHeading(paragraph.number, day))
            elif before_table and _reads_as_paragraph_heading(text):
                self.raw.items.append(RawHeading(paragraph.number, text))
            else:
                self.add_note(text, paragraph.number)

    def role_columns(self) -> list[int]:
        assert self.columns is not None
        return [i for i, role in enumerate(self.columns.roles) if role in _ROW_ROLES]

    # -- rows -------------------------------------------------------------------------------------

    def read_rows(self, rows: list[Row], table: Table, offset: int) -> None:
        columns = self.columns
        assert columns is not None
        if self.width:  # a table without a header: a stray wide row makes no column
            rows = [_unshifted(row, self.width) for row in rows]
        used = [i for i, role in enumerate(columns.roles) if role in _ROW_ROLES]
        last = max(
            (index for index, row in enumerate(rows) if _is_activity_row(row, used)), default=-1
        )
        # A sheet has no paragraphs: what is under the plan (a signature) is in its rows.
        final = table is self.final_table and not self.document.paragraphs
        first_item = len(self.raw.items)
        named = self.named or self.width
        above: Row | None = None
        for index, row in enumerate(rows):
            if index and self.starts_new_header(row):
                # a sheet's next part under a header of its own columns («Название мероприятия
                # | Дата* | Ответственный» after a part with «№ п/п» first): read as a table's
                self.finish_rows(first_item)
                plan = self.header_plan(table, offset + index)
                self.start_table(plan, table)
                self.read_rows(table.rows[plan.header_at + 1 :], table, plan.header_at + 1)
                return
            if not self.document.merges and named:
                row = _unshifted(row, named)
                row = above = _under_lost_merge(row, columns, named, above)
            self.position = (id(table), offset + index)
            self.read_row(row, index == 0 and offset > 0, final and index > last, index > last)
        self.finish_rows(first_item)

    def finish_rows(self, first_item: int) -> None:
        """What a table's rows tell together: row numbers typed in the titles, headings ending
        in a colon, sub-rows."""
        _take_title_numbers([i for i in self.raw.items[first_item:] if isinstance(i, RawRow)])
        _colon_headings(self.raw.items, first_item)
        self.group_sub_rows()

    def starts_new_header(self, row: Row) -> bool:
        """A row that is a header of other columns than the table's: its cells name roles as a
        header's do, not in the places the table's header names them."""
        texts = row.texts()
        if (
            not self.header
            or texts == self.header
            or any(len(text) > SHORT_HEADER_CELL for text in texts)
            or self.repeats_header(row)
        ):
            return False
        return header_score(texts) > 0

    def read_row(self, row: Row, first: bool, after: bool, trailing: bool) -> None:
        """One table row: skipped, a heading, a note, more of the row before it, or an
        activity row. `after`: a sheet's row after its table's last activity row (a note);
        `trailing`: any table's."""
        columns = self.columns
        assert columns is not None
        filled = [cell for cell in dict.fromkeys(row.own) if cell.text or cell.marks]
        if not filled:
            return
        if (first and _is_numbering(filled)) or self.repeats_header(row):
            return
        cells = _cells_by_column(row, columns)
        in_roles = [cell for cell in filled if any(cell is c for c in cells.values())]
        numbers = {id(cells[c]) for c in columns.columns("number") if c in cells}
        in_roles = [cell for cell in in_roles if id(cell) not in numbers]
        if not in_roles and all(_DIGITS.fullmatch(cell.text) for cell in filled):
            return  # only a row number
        alone = in_roles or filled
        # a numbered row that gives only its activity, among the table's activity rows, is one
        # (in a text copy its other cells were merged from above), unless rows numbered under
        # it follow (`group_sub_rows`); after them it heads rows the copy cut
        numbered = any(cells[c].text for c in columns.columns("number") if c in cells)
        titled = (
            numbered
            and not trailing
            and any(cells.get(c) is alone[0] for c in columns.columns("title"))
        )
        if len(alone) == 1 and not titled and self.read_lone_cell(row, alone[0], cells, after):
            return
        by_role, extra, marks = _values(cells, columns, own=None)
        table, index = self.position
        follows = self.last == (table, index - 1)
        self.last = self.position
        previous = _continued_row(self.raw, by_role) if follows else None
        if previous is None and after:
            self.add_note(" ".join(cell.text for cell in filled), row.number)
            return
        if previous is not None:
            own_by_role, own_extra, marks = _values(cells, columns, own=row.own)
            for role, value in own_by_role.items():
                if value:
                    previous.cells[role] = f"{previous.cells.get(role, '')} {value}".strip()
            _merge_extra(previous.extra, own_extra)
            self.wanted.append((previous, marks))
            return
        self.add_rows(row.number, _date_text(cells, columns), by_role, extra, marks)

    def add_rows(
        self,
        number: int,
        dates: str,
        by_role: dict[str, str],
        extra: list[tuple[str, str]],
        marks: list[Mark],
    ) -> None:
        """The activity rows of a table row: one, or one per activity its cell numbers. A cell
        that is a ditto mark («-//-», «-“-», «то же») says what the cell above says."""
        previous = self.last_row
        for role, value in by_role.items():
            if previous is not None and _DITTO.fullmatch(value):
                by_role[role] = previous.cells.get(role, "")
        unnumbered = "number" in by_role and not by_role["number"] and self.numbered_above
        if (
            not dates
            and (by_role.get("when") or unnumbered)
            and not self.document.merges
            and self.dates_above
        ):
            # A text or PDF file lost the merge of a date cell over several rows: a row that
            # gives a time but no date is on the date of the row above it («11 июня | 16-00 |
            # …» then «| По согл. | …»), and so is a row without a number under a numbered
            # one (its number was merged too: a part of the same item); a row that gives
            # neither is undated.
            by_role["when"] = spaces(f"{self.dates_above} {by_role.get('when', '')}")
        else:
            self.dates_above = dates
        self.numbered_above = bool(by_role.get("number"))
        for cells_of_item in _numbered_items(by_role):
            raw = RawRow(number, cells_of_item, extra=list(extra))
            self.raw.items.append(raw)
            self.wanted.append((raw, marks))
            self.last_row = raw

    def repeats_header(self, row: Row) -> bool:
        """The header again (a page's, or the next month's in the same sheet: «Наименование
        мероприятия на май 2015г.» under «… на июнь 2015г.»): the same cells, or cells that
        name the same roles in the same columns."""
        if not self.header:
            return False
        texts = row.texts()
        if texts == self.header:
            return True
        if any(len(text) > SHORT_HEADER_CELL for text in texts):
            return False  # an activity row: long cells
        assert self.columns is not None
        for column in self.columns.columns("title")[:1]:  # most rows fail here, at once
            text = texts[column] if column < len(texts) else ""
            if text and not header_scores(text):
                return False  # an activity, no header word
        if not header_score(texts):
            return False  # cells that name no roles
        return all(
            not text or normal(text) == normal(header) or _names_role_of(text, header)
            for text, header in zip(texts, self.header, strict=False)
        )

    def read_lone_cell(self, row: Row, cell: Cell, cells: dict[int, Cell], after: bool) -> bool:
        """A row whose only text is one cell: a footnote's text, a heading, a date heading the
        rows below, or a note after the table. False when it is an activity row after all."""
        columns = self.columns
        assert columns is not None
        footnote = FOOTNOTE_TEXT.match(cell.text)
        if footnote:
            self.footnotes[footnote.group(1)] = footnote.group(2).strip()
            return True
        covered = [c for c in columns.used() if row.slot(c) is cell]
        column = row.slots.index(cell)
        merged = len(covered) >= 2
        when = [
            c for c in columns.columns("when") + columns.columns("start") if cells.get(c) is cell
        ]
        if when and not merged and reads_as_date(cell.text):
            self.raw.items.append(RawHeading(row.number, cell.text))
            self.dates_above = ""
            return True
        settlement = _SETTLEMENT_HEADING.fullmatch(cell.text) is not None
        if not (merged or column <= columns.first() or settlement):
            return False
        heading = merged or not self.document.merges or _reads_like_heading(cell.text)
        if after or not heading:
            self.raw.items.append(RawNote(row.number, cell.text))
        else:
            self.raw.items.append(RawHeading(row.number, cell.text))
            self.dates_above = ""  # a heading starts rows of their own dates
        return True

    def group_sub_rows(self) -> None:
        """A numbered row («1.») holding only its activity, followed by rows numbered under it
        («1.1»), is the heading of those rows."""
        items = self.raw.items
        for index, item in enumerate(items[:-1]):
            following = items[index + 1]
            if not (isinstance(item, RawRow) and isinstance(following, RawRow)):
                continue
            number = item.cells.get("number", "").strip().rstrip(".")
            after = following.cells.get("number", "").strip()
            if (
                number.isdigit()
                and after.startswith(f"{number}.")
                and after[len(number) + 1 : len(number) + 2].isdigit()
                and not any(item.cells.get(role) for role in ("when", "place", "responsible"))
                and not any(text for _label, text in item.extra)
            ):
                items[index] = RawHeading(item.number, item.cells.get("title", ""))

    # -- paragraphs and footnotes -----------------------------------------------------------------

    def add_note(self, text: str, number: int) -> None:
        text = spaces(text)
        footnote = FOOTNOTE_TEXT.match(text)
        if footnote:
            self.footnotes[footnote.group(1)] = footnote.group(2).strip()
        elif text:
            self.raw.items.append(RawNote(number, text))

    def attach_footnotes(self) -> None:
        """Give each row the texts of the footnotes its marks refer to (they come after it)."""
        notes = self.document.notes
        for row, marks in self.wanted:
            for mark in marks:
                text = notes.get(mark) if isinstance(mark, tuple) else self.footnotes.get(mark)
                if text:
                    row.footnotes.append(text)


def exported_roles(signature: tuple[str, ...]) -> tuple[str, ...] | None:
    """The roles of the columns of CivicPlan's own XLSX/CSV export: the plan's own cells, the
    parsed columns skipped, any later column an extra field."""
    own = len(_EXPORTED)
    if signature[: len(_EXPORTED_ALL)] != _EXPORTED_ALL:
        return None
    skipped = ("skip",) * (len(_EXPORTED_ALL) - own)
    return _EXPORTED + skipped + ("other",) * (len(signature) - len(_EXPORTED_ALL))


# -- helpers --------------------------------------------------------------------------------------


def _cells_by_column(row: Row, columns: ColumnSet) -> dict[int, Cell]:
    """The cell of each column; a cell merged across several columns is the first's."""
    cells: dict[int, Cell] = {}
    seen: set[int] = set()
    for column in range(len(columns.roles)):
        cell = row.slot(column)
        if cell is not None and id(cell) not in seen:
            seen.add(id(cell))
            cells[column] = cell
    return cells


def _values(
    cells: dict[int, Cell], columns: ColumnSet, own: list[Cell] | None
) -> tuple[dict[str, str], list[tuple[str, str]], list[Mark]]:
    """A row's texts by role and its extra fields, footnote marks taken out; with `own`, only
    the cells that start in the row."""
    texts: dict[str, list[str]] = {}
    extra: list[tuple[str, str]] = []
    marks: list[Mark] = []
    for column, role in enumerate(columns.roles):
        cell = cells.get(column)
        if role == "skip" or cell is None or (own is not None and not _among(cell, own)):
            continue
        text = spaces(cell.text)
        if role == "responsible" and "*" in text:
            text = _MARK_ENDS_PARTY.sub("*; ", text)  # «Старосты* Депутаты*»: a party a line
        text, typed = take_footnote_marks(text)
        marks.extend(cell.marks)
        marks.extend(typed)
        if role in EXTRA_ROLES:
            if text:
                extra.append((columns.label(column), text))
        else:
            texts.setdefault(role, []).append(text)
    return _by_role(texts, columns), extra, marks


def _among(cell: Cell, cells: list[Cell]) -> bool:
    return any(cell is other for other in cells)


def _by_role(texts: dict[str, list[str]], columns: ColumnSet) -> dict[str, str]:
    """One text per role of the row's own: several responsible columns joined, the time frame
    from its columns. Every role the table has is there, empty when its cell is."""
    present = set(columns.roles)
    by_role: dict[str, str] = {}
    for role in ("number", "title", "place"):
        if role in present:
            by_role[role] = " ".join(text for text in texts.get(role, []) if text)
    if "responsible" in present:
        by_role["responsible"] = "; ".join(text for text in texts.get("responsible", []) if text)
    if "place_people" in present:  # the place, and the people named in it, in one column
        joined = " ".join(text for text in texts.get("place_people", []) if text)
        by_role["place"] = spaces(f"{by_role.get('place', '')} {joined}")
        by_role["people"] = joined
    if present & {"when", "start", "end", "time"}:
        by_role["when"] = _when(texts)
    if "place" not in present and _names_place_too(columns):
        # «Наименование мероприятий и место проведения»: the place at the end of the activity
        title, place, time = place_at_end(by_role.get("title", ""))
        by_role["title"], by_role["place"] = title, place
        if time:
            by_role["when"] = spaces(f"{by_role.get('when', '')} {time}")
    return by_role


def _name_rows(items: list[RawRow | RawHeading | RawNote], line: str) -> None:
    """A schedule of one event with no activity column («График проведения Дня пожилого
    человека.» over «Дата | Время | Место проведения»): each row is that event."""
    named = _SCHEDULE_OF.match(spaces(line))
    event = to_nominative(named.group(1), "gent") if named else spaces(line).rstrip(".:")
    for item in items:
        if isinstance(item, RawRow) and not item.cells.get("title"):
            item.cells["title"] = event


@functools.lru_cache(maxsize=256)
def _names_place_too(columns: ColumnSet) -> bool:
    """Whether the activity column's header names the place as well."""
    if "title" not in columns.roles:
        return False
    return header_scores(columns.headers[columns.roles.index("title")]).get("place", 0.0) >= 0.4


def _when(texts: dict[str, list[str]]) -> str:
    """The time frame from a when column, or a start and an end column, and a time column."""
    when = " ".join(t for t in texts.get("when", []) if t)
    start = " ".join(t for t in texts.get("start", []) if t)
    end = " ".join(t for t in texts.get("end", []) if t)
    if start and end and start != end:
        when = spaces(f"{when} {start} – {end}")
    elif start or end:
        when = spaces(f"{when} {start or end}")
    time = " ".join(t for t in texts.get("time", []) if t)
    return spaces(f"{when} {time}") if time else when


def _date_text(cells: dict[int, Cell], columns: ColumnSet) -> str:
    """The text of a row's date columns (the time frame, or its start and end; not a time)."""
    return spaces(
        " ".join(
            cells[column].text
            for column, role in enumerate(columns.roles)
            if role in ("when", "start", "end") and column in cells
        )
    )


def _merge_extra(previous: list[tuple[str, str]], more: list[tuple[str, str]]) -> None:
    for label, text in more:
        for index, (known, value) in enumerate(previous):
            if known == label:
                previous[index] = (known, f"{value} {text}".strip())
                break
        else:
            previous.append((label, text))


def _continued_row(document: RawDocument, cells: dict[str, str]) -> RawRow | None:
    """The row that a row without a time frame, whose activity does not start with a capital
    letter, continues (a page break inside a Word row): the document's last item, if a row."""
    previous = document.items[-1] if document.items else None
    if (
        isinstance(previous, RawRow)
        and not cells.get("when")
        and not cells.get("title", "")[:1].isupper()
        and not NUMBER.fullmatch(cells.get("number", "") or "x")
    ):
        return previous
    return None


def _unshifted(row: Row, named: int) -> Row:
    """A row of a text file with a stray empty cell (a doubled tab) that pushes its last cells
    past the header's last named column: the empty cells inside it are dropped until it fits."""
    filled = [c for c, cell in enumerate(row.slots) if cell is not None and cell.text]
    overflow = (filled[-1] + 1 - named) if filled else 0
    if overflow <= 0:
        return row
    empty = [c for c in range(1, filled[-1]) if row.slots[c] is None or not row.slots[c].text]
    if len(empty) < overflow:
        return row
    dropped = set(empty[:overflow])
    slots = [cell for c, cell in enumerate(row.slots) if c not in dropped]
    return Row(row.number, slots, [cell for cell in row.own if cell in slots])


def _typical_width(rows: list[Row]) -> int:
    """The number of columns most rows fill up to their last text."""
    ends = Counter(
        max(c for c, cell in enumerate(row.slots) if cell is not None and cell.text) + 1
        for row in rows
    )
    return ends.most_common(1)[0][0]


def _under_lost_merge(row: Row, columns: ColumnSet, named: int, above: Row | None) -> Row:
    """A row of a text file whose first cells were merged down from the row above and lost
    («Ардатовский р-н | 1. | …» then «2. | …»; «Новогодние праздники | Младшая «Цыплята» | 26.12
    в 10.10» then «Младшая «Солнышко» | 26.12 в 9.15»): its number, or its time frame, stands
    that many columns left of its column, and the row above's first cells are its again."""
    if above is None:
        return row
    shift = _lost_cells(row, columns, named)
    if not shift:
        return row
    return Row(row.number, [above.slot(c) for c in range(shift)] + row.slots, row.own)


def _lost_cells(row: Row, columns: ColumnSet, named: int) -> int:
    """How many first cells a text file's row lost to a merge above (0 when none)."""
    numbered = columns.columns("number")
    if numbered and numbered[0] > 0:
        first, at_number = row.slot(0), row.slot(numbered[0])
        if (
            first is not None
            and _DIGITS.fullmatch(first.text)
            and not (at_number is not None and _DIGITS.fullmatch(at_number.text))
        ):
            return numbered[0]
    dated = columns.columns("when") or columns.columns("start")
    filled = [c for c, cell in enumerate(row.slots) if cell is not None and cell.text]
    if not dated or len(filled) < 2 or row.slot(dated[0]) is not None:
        return 0
    for column in filled:
        if column >= dated[0]:
            return 0
        text = row.slots[column].text  # type: ignore[union-attr]
        if _reads_as_time_frame(text):
            shift = dated[0] - column
            return shift if filled[-1] + shift < max(named, len(columns.roles)) else 0
    return 0


def _reads_as_time_frame(text: str) -> bool:
    if len(text) > SHORT_HEADER_CELL:
        return False
    frame = timeframes.parse(text, default_year=2000)
    return frame.warning is None and (frame.start is not None or frame.start_time is not None)


def _names_role_of(text: str, header: str) -> bool:
    """Whether a cell names the role the header cell above names most (the time frame's
    roles counted as one: «Срок исполнения» under «Время проведения»)."""
    mine, theirs = header_scores(text), header_scores(header)
    if not mine or not theirs:
        return False
    top = max(mine, key=mine.__getitem__), max(theirs, key=theirs.__getitem__)
    return _ROLE_FAMILY.get(top[0], top[0]) == _ROLE_FAMILY.get(top[1], top[1])


def _colon_headings(items: list[RawRow | RawHeading | RawNote], first: int) -> None:
    """A row that only names what follows, with a colon («14.00-16.00 | Работа площадок:»), over
    rows with no time of their own: the heading of those rows, which take its time frame."""
    for index in range(first, len(items) - 1):
        row, below = items[index], items[index + 1]
        if not (isinstance(row, RawRow) and isinstance(below, RawRow)):
            continue
        title = row.cells.get("title", "")
        others = [
            text for role, text in row.cells.items() if role not in ("title", "when", "number")
        ]
        if not title.endswith(":") or any(others) or any(text for _, text in row.extra):
            continue
        if below.cells.get("when"):
            continue
        items[index] = RawHeading(row.number, title.rstrip(":").strip())
        when = row.cells.get("when", "")
        for following in items[index + 1 :]:
            if not isinstance(following, RawRow) or following.cells.get("when"):
                break
            if when:
                following.cells["when"] = when


def _take_title_numbers(rows: list[RawRow]) -> None:
    """A table without a number column often numbers its rows in the activity's cell («1.
    Акция …», «2.Выставка …»): when most rows of the table start so, and their numbers count
    up, the number is the row's, not the title's."""
    numbered = [
        (row, match)
        for row in rows
        if not row.cells.get("number")
        and (match := _TITLE_NUMBER.match(row.cells.get("title", ""))) is not None
    ]
    if len(numbered) < 2 or len(numbered) * 2 < len(rows):
        return
    tops = [int(match.group(1).split(".")[0]) for _row, match in numbered]
    if (
        tops != sorted(tops)
        or sum(b - a == 1 for a, b in itertools.pairwise(tops)) * 2 < len(tops) - 1
    ):
        return
    for row, match in numbered:
        row.cells["number"] = match.group(1)
        row.cells["title"] = row.cells["title"][match.end() :]


def _numbered_items(cells: dict[str, str]) -> list[dict[str, str]]:
    """A row whose activity cell lists several activities numbered from one («1.Праздник …
    2.Физкультурный досуг … 3.Конкурс …»: a cell's lines run together) is a row per activity.
    Another cell that lists as many items — numbered the same way, or lines each starting with
    a capital letter that no comma joins to the one before («Музыкальный руководитель
    Воспитатели групп»), or failing that each starting with a capital letter — gives each
    activity its own item; any other cell is every activity's."""
    titles = _numbered(cells.get("title", ""))
    if titles is None:
        return [cells]
    count = len(titles)
    items = [dict(cells, title=title) for title in titles]
    for role in ("when", "place", "responsible", "people"):
        text = cells.get(role, "")
        pieces = _numbered(text)
        if (pieces is None or len(pieces) != count) and role != "when":
            pieces = _CAPITALISED_LINE.split(text)
            if len(pieces) != count:  # «Музыкальный руководитель, | Воспитатели групп»
                pieces = _CAPITALISED_WORD.split(text)
        if pieces is not None and len(pieces) == count:
            for item, piece in zip(items, pieces, strict=True):
                item[role] = piece.strip().rstrip(",;").strip()
    return items


def _numbered(text: str) -> list[str] | None:
    """The items of a text numbered 1., 2., 3. … from its start, or None."""
    expected, kept = 1, []
    for match in _ITEM_NUMBER.finditer(text):
        if int(match.group(1)) == expected:
            kept.append(match)
            expected += 1
    if len(kept) < 2 or kept[0].start() != 0:
        return None
    ends = [match.start() for match in kept[1:]] + [len(text)]
    return [text[match.end() : end].strip() for match, end in zip(kept, ends, strict=True)]


# «1.Праздник», «2. «Праздник мыльных пузырей»», «3) Конкурс»: an item's number before a capital
# letter or a quote, at the start of the cell or after a space.
_ITEM_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)]\s*(?=[«\"А-ЯЁA-Z])")
# Where a cell's next line starts when its lines ran together: a space before a capitalised
# word that is not an initial («И.И.»), with no comma before it.
_CAPITALISED_LINE = re.compile(r"(?<=[^\s,;])\s+(?=[А-ЯЁ][а-яё]+(?:\s|$|[.,]))")
# ... or before any capitalised word, when the lines end with commas.
_CAPITALISED_WORD = re.compile(r"(?<=\S)\s+(?=[А-ЯЁ][а-яё]+(?:\s|$|[.,]))")


def _is_numbering(cells: list[Cell]) -> bool:
    """The row of column numbers ("1", "2", "3", "4") Russian tables often have under the header."""
    return len(cells) >= 2 and all(_DIGITS.fullmatch(cell.text) for cell in cells)


def _reads_like_heading(text: str) -> bool:
    return text == text.upper() or len(text) <= SHORT_HEADING


def _is_dateline(text: str) -> bool:
    """A date alone, with or without the time it was posted («17 февраля 2017», «11 дек. 2019
    г., 12:26»)."""
    frame = timeframes.parse(text, default_year=2000)
    return (
        len(text) <= SHORT_LIST_DATE
        and frame.warning is None
        and frame.precision == "day"
        and frame.start is not None
    )


def _is_activity_row(row: Row, used: list[int]) -> bool:
    """Whether a row reads as an activity's: two cells of the plan's columns with text, or, in
    a table whose only such column is the activity's («title | age mark»), that cell and
    another."""
    filled = {id(row.slot(c)) for c in used if row.slot(c) and row.slot(c).text}
    if len(used) >= 2:
        return len(filled) >= 2
    return bool(filled) and sum(1 for cell in row.own if cell.text) >= 2


def _date_rows(table: Table) -> int:
    """How many rows of a table are a day or a span alone in one cell (the date heading the
    rows below it)."""
    count = 0
    for row in table.rows:
        texts = [cell.text for cell in row.own if cell.text.strip()]
        if len(texts) == 1 and _dated_text(texts[0]) is not None:
            count += 1
    return count


def _dated_paragraph(block: Paragraph | Table) -> str | None:
    """A paragraph that gives the date of the table under it: a date alone, finer than a year
    (the plan's year is its title's), with or without a «Дата:» label; the date, else None."""
    if not isinstance(block, Paragraph):
        return None
    return _dated_text(block.text)


def _dated_text(text: str) -> str | None:
    text = _DATE_LABEL.sub("", spaces(text), count=1).strip(" /\\")
    if text[:1] + text[-1:] in ("()", "[]"):  # «(15 марта)», not «25 августа (четверг)»
        text = text[1:-1].strip()
    if not reads_as_date(text, finer_than_year=True):
        return None
    frame = timeframes.parse(text, default_year=2000)
    return text if frame.precision in ("day", "days") else None


def _reads_as_paragraph_heading(text: str) -> bool:
    """A paragraph before a table of the plan that heads it: a time frame alone («Январь»,
    «I квартал»), a line in capitals, or a numbered part («Раздел 2. …», «II. …», «3. …»)."""
    if not text or len(text) > SHORT_PARAGRAPH_HEADING or FOOTNOTE_TEXT.match(text):
        return False
    return reads_as_date(text) or text == text.upper() or _NUMBERED_PART.match(text) is not None


def _is_sub_header(header: Row, below: Row) -> bool:
    """The second row of a two-row header: short cells, some under a header cell that spans
    columns («Сроки» over «начала | окончания»: merged, or followed by empty header cells where
    a text file lost the merge), at least one of them a header's words, none a date or a
    number."""
    cells = [cell for cell in below.own if cell.text]
    if not cells or any(len(cell.text) > 40 or NUMBER.fullmatch(cell.text) for cell in cells):
        return False
    owners = _header_owners(header)
    spanning = {column for column in owners if owners.count(column) > 1}
    under = [
        c
        for c in range(len(below.slots))
        if _among_cells(below.slot(c), cells) and c < len(owners) and owners[c] in spanning
    ]
    worded = any(header_scores(cell.text) or _sub_word(cell.text) for cell in cells)
    return bool(under) and worded and not any(reads_as_date(cell.text) for cell in cells)


def _sub_word(text: str) -> bool:
    """«с», «по», «начала …», «окончания …», «дата», «время»: a second header row's word."""
    words = normal(text).split()
    return bool(words) and (words[0] in _SUB_WORDS or words[0].startswith(_SUB_STEMS))


def _header_owners(header: Row) -> list[int]:
    """For each column, the column whose header cell names it: its own, the first column of a
    cell merged across it, or the nearest named column to its left when its cell is empty."""
    owners: list[int] = []
    for column in range(len(header.slots)):
        cell = header.slot(column)
        merged = cell is not None and column > 0 and header.slot(column - 1) is cell
        if owners and (merged or cell is None or not cell.text):
            owners.append(owners[-1])
        else:
            owners.append(column)
    return owners


def _among_cells(cell: Cell | None, cells: list[Cell]) -> bool:
    return cell is not None and any(cell is other for other in cells)


def _joined_headers(header: Row, below: Row) -> list[str]:
    """Each column's header of a two-row header: the spanning top cell and the one under it
    («Срок начала реализации»); «с»/«по» under it are the start and the end."""
    owners = _header_owners(header)
    headers = []
    for column in range(max(len(header.slots), len(below.slots))):
        top = header.slot(owners[column]) if column < len(owners) else None
        sub = below.slot(column)
        top_text = top.text if top else ""
        sub_text = sub.text if sub is not None and sub is not top else ""
        word = normal(sub_text)
        if word in ("с", "от"):
            sub_text = "начало"
        elif word in ("по", "до"):
            sub_text = "окончание"
        headers.append(spaces(f"{top_text} {sub_text}"))
    return headers


def _text(cell: Cell | None) -> str:
    return cell.text if cell is not None else ""

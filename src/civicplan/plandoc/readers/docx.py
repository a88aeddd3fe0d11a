"""Plans as Word documents (DOCX), read the way Word writes them.

The plan is the first table whose header row (not necessarily its first row) names the columns
(`columns.column_roles`); tables before it (an approval block, say) are skipped. Paragraphs
before it, and its rows above the header, are the title. In the table a row merged across the
columns (or with text in its first column only) is a heading, a row whose time frame and
activity cells are empty continues the row before it, and every other row is an activity; a
cell of several paragraphs is their text joined with single spaces. Paragraphs after the table
are notes, except footnote texts ("¹ В соответствии …"), which go to the rows carrying their
mark. A later table with a header, or wide enough for the plan's columns, continues the plan (a
paragraph between rows splits a Word table in two); a narrower one (a signature block) becomes
notes. Rows of column numbers ("1 2 3 4") under the header and repeated header rows are skipped.

Footnote marks are superscript or raised runs ("1", "¹", "*"; LibreOffice raises rather than
superscripts) or the characters ¹²³… typed in the text, and real Word footnotes
(`w:footnoteReference` -> `word/footnotes.xml`, endnotes likewise).

Numbers, for messages: `RawRow.number` and `RawHeading.number` are 1-based table row numbers,
the plan table's first row being 1 and a continuing table going on counting; `RawNote.number`
is the 1-based number of the paragraph among the document body's paragraphs.

python-docx opens the package; the body, styles and footnotes are then read as XML, which is
both faster than python-docx's cell objects and sees what they do not (footnotes, superscript
runs given by a character style, merged cells by grid column).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from civicplan.i18n import gettext as _
from civicplan.plandoc.columns import column_roles
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.readers import package_stream
from civicplan.plandoc.readers.text import FOOTNOTE_TEXT, continued_row, take_footnote_marks

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _R, _T = (_W + name for name in ("p", "tbl", "tr", "tc", "r", "t"))
_VAL, _ID, _TYPE = _W + "val", _W + "id", _W + "type"
# Containers that hold blocks, rows or cells of their parent (content controls, custom XML).
_WRAPPERS = frozenset(_W + name for name in ("sdt", "sdtContent", "customXml"))
# Inline content that is not the paragraph's visible text: properties, tracked deletions, the
# fallback copy of alternate content, drawings and text boxes, comments' anchors.
_SKIP_INLINE = frozenset(
    [_W + name for name in ("pPr", "rPr", "del", "moveFrom", "drawing", "pict", "object")]
    + [_W + "sdtPr", _W + "sdtEndPr", _MC + "Fallback"]
)
_SPACE_TAGS = frozenset(_W + name for name in ("tab", "ptab", "br", "cr"))
_NOTE_REFS = {_W + "footnoteReference": "footnote", _W + "endnoteReference": "endnote"}
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MARK = re.compile(r"[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|\*{1,3}")
_DIGITS = re.compile(r"\d{1,3}\.?")
MAX_COLUMNS = 64  # grid columns of a table row; more is a damaged or hostile file
HEADER_SEARCH_ROWS = 10
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

NoteRef = tuple[str, str]  # ("footnote" | "endnote", w:id)
Mark = str | NoteRef


@dataclass(slots=True, eq=False)
class _Cell:
    text: str
    marks: list[Mark] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    number: int
    slots: list[_Cell | None]  # one per grid column; a merged cell fills all its columns
    own: list[_Cell]  # the cells that start in this row (not continued from the row above)

    def texts(self) -> list[str]:
        return [cell.text if cell else "" for cell in self.slots]


def read_docx(archive: zipfile.ZipFile, source: str) -> RawDocument:
    """The RawDocument of a DOCX plan; `archive` is the opened, already size-checked package."""
    document = _open(archive, source)
    try:
        return _Reader(document, source).read()
    except PlanReadError:
        raise
    except (KeyError, ValueError, IndexError, AttributeError, TypeError, etree.LxmlError) as error:
        raise PlanReadError(
            source,
            _(
                "документ Word повреждён или устроен необычно: откройте его в Word и сохраните "
                "заново (%(error)s)"
            )
            % {"error": type(error).__name__},
        ) from None


def _open(archive: zipfile.ZipFile, source: str) -> WordDocument:
    try:
        return docx.Document(package_stream(archive))
    except Exception as error:  # python-docx raises anything at all on a damaged package
        if isinstance(error, ValueError) and "not a Word file" in str(error):
            message = _(
                "файл не является документом Word (DOCX): сохраните его как «Документ Word»"
            )
        else:
            message = _(
                "повреждённый документ Word (DOCX): откройте его в Word и сохраните заново "
                "(%(error)s)"
            ) % {"error": type(error).__name__}
        raise PlanReadError(source, message) from None


class _Reader:
    def __init__(self, document: WordDocument, source: str) -> None:
        self.source = source
        self.superscript_styles = _superscript_styles(document)
        self.notes = _note_texts(document, self)
        self.body = document.element.body
        self.footnotes: dict[str, str] = {}  # footnote texts under the table, by mark
        self.wanted: list[tuple[RawRow, list[Mark]]] = []
        self.row_number = 0
        self.header: list[str] = []
        self.paragraph_number = 0

    def read(self) -> RawDocument:
        blocks = list(_blocks(self.body))
        title: list[str] = []
        for position, block in enumerate(blocks):
            if block.tag == _P:
                self.paragraph_number += 1
                title.append(self.paragraph_text(block))
                continue
            self.row_number = 0  # the plan table's rows count from 1
            rows = self.table_rows(block)
            found = _find_header(rows)
            if found:
                header_at, roles = found
                title.extend(" ".join(cell.text for cell in row.own) for row in rows[:header_at])
                self.header = rows[header_at].texts()
                document = RawDocument(source=self.source, title=_spaces(" ".join(title)))
                self.read_rows(document, rows[header_at + 1 :], roles)
                self.read_rest(document, blocks[position + 1 :], roles)
                return document
        if not any(block.tag == _TBL for block in blocks):
            raise PlanReadError(self.source, _("в документе нет таблицы плана"))
        raise PlanReadError(
            self.source,
            _(
                "не найдена строка заголовка таблицы: нужны столбцы «Мероприятия» и хотя бы один "
                "из «Сроки», «Место проведения», «Ответственный»"
            ),
        )

    def read_rest(
        self, document: RawDocument, blocks: list[etree._Element], roles: dict[str, int]
    ) -> None:
        """Paragraphs and tables after the plan table; then the footnotes to their rows."""
        for block in blocks:
            if block.tag == _P:
                self.paragraph_number += 1
                self.add_note(document, self.paragraph_text(block), self.paragraph_number)
                continue
            rows = self.table_rows(block)
            found = _find_header(rows)
            if found:
                header_at, roles = found
                self.header = rows[header_at].texts()
                for row in rows[:header_at]:
                    self.add_note(document, " ".join(cell.text for cell in row.own), row.number)
                self.read_rows(document, rows[header_at + 1 :], roles)
            elif max((len(row.slots) for row in rows), default=0) > max(roles.values()):
                self.read_rows(document, rows, roles)
            else:
                for row in rows:
                    self.add_note(document, " ".join(cell.text for cell in row.own), row.number)
        for row, marks in self.wanted:
            for mark in marks:
                text = self.notes.get(mark) if isinstance(mark, tuple) else self.footnotes.get(mark)
                if text:
                    row.footnotes.append(text)

    # -- the table ------------------------------------------------------------------------------

    def table_rows(self, table: etree._Element) -> list[_Row]:
        """The table's rows by grid column, numbered on from the plan's earlier rows."""
        rows: list[_Row] = []
        above: dict[int, _Cell] = {}  # the cell over each grid column, for vertical merges
        for tr in _children(table, _TR):
            self.row_number += 1
            if tr.find(f"{_W}trPr/{_W}del") is not None:  # a row deleted with tracked changes
                continue
            before = _int_val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
            slots: list[_Cell | None] = [None] * min(before, MAX_COLUMNS)
            own: list[_Cell] = []
            for tc in _children(tr, _TC):
                if len(slots) >= MAX_COLUMNS:
                    break
                properties = tc.find(_W + "tcPr")
                span = _int_val(_find(properties, "gridSpan"), 1)
                vmerge = _find(properties, "vMerge")
                hmerge = _find(properties, "hMerge")
                column = len(slots)
                if vmerge is not None and vmerge.get(_VAL, "continue") == "continue":
                    cell = above.get(column) or _Cell("")
                elif hmerge is not None and hmerge.get(_VAL, "continue") == "continue" and slots:
                    cell = slots[-1] or _Cell("")
                else:
                    cell = self.cell(tc)
                    own.append(cell)
                for _slot_copy in range(max(1, min(span, MAX_COLUMNS - column))):
                    above[len(slots)] = cell
                    slots.append(cell)
            rows.append(_Row(self.row_number, slots, own))
        return rows

    def read_rows(self, document: RawDocument, rows: list[_Row], roles: dict[str, int]) -> None:
        columns = sorted(roles.items(), key=lambda item: item[1])
        for index, row in enumerate(rows):
            self.read_row(document, row, index == 0, columns)

    def read_row(
        self, document: RawDocument, row: _Row, first: bool, columns: list[tuple[str, int]]
    ) -> None:
        """One table row: skipped, a heading, more of the row before it, or an activity row."""
        filled = [cell for cell in dict.fromkeys(row.own) if cell.text or cell.marks]
        if not filled:
            return
        if (first and _is_numbering(filled)) or row.texts() == self.header:
            return  # the "1 2 3 4" row under a header, or the header repeated
        cells = _role_cells(row, columns)
        by_role = {role: cells[role].text if role in cells else "" for role, _ in columns}
        # A number ("1.") beside a heading merged over the rest of the row, or a remark
        # beside it, does not make the heading a row.
        in_roles = [cell for cell in filled if cell in cells.values()]
        if not in_roles and all(_DIGITS.fullmatch(cell.text) for cell in filled):
            return  # only a row number
        alone = in_roles or filled
        if len(alone) == 1 and _is_heading(row, alone[0], columns):
            document.items.append(RawHeading(row.number, alone[0].text))
            return
        previous = continued_row(document, by_role)
        if previous is not None:
            self.continue_row(previous, row, cells)
            return
        raw = RawRow(row.number, by_role)
        document.items.append(raw)
        self.wanted.append((raw, [mark for cell in cells.values() for mark in cell.marks]))

    def continue_row(self, previous: RawRow, row: _Row, cells: dict[str, _Cell]) -> None:
        """Add the cells that start in this row (not those merged down into it) to the row it
        continues, and their footnote marks."""
        marks: list[Mark] = []
        for role, cell in cells.items():
            if cell in row.own:
                if cell.text:
                    joined = f"{previous.cells.get(role, '')} {cell.text}"
                    previous.cells[role] = joined.strip()
                marks.extend(cell.marks)
        self.wanted.append((previous, marks))

    def cell(self, tc: etree._Element) -> _Cell:
        """A cell's text (its paragraphs joined with spaces) without its footnote marks."""
        parts: list[str] = []
        marks: list[Mark] = []
        for paragraph in _cell_paragraphs(tc):
            for text, superscript in self.inline(paragraph):
                if isinstance(text, tuple):
                    marks.append(text)
                elif superscript and _MARK.fullmatch(text.strip()):
                    marks.append(text.strip().translate(_SUPERSCRIPT_DIGITS))
                    parts.append(" ")
                else:
                    parts.append(text)
            parts.append(" ")
        text, typed = take_footnote_marks(_spaces("".join(parts)))
        return _Cell(text, marks + typed)

    # -- paragraphs -----------------------------------------------------------------------------

    def add_note(self, document: RawDocument, text: str, number: int) -> None:
        text = _spaces(text)
        footnote = FOOTNOTE_TEXT.match(text)
        if footnote:
            self.footnotes[footnote.group(1)] = footnote.group(2).strip()
        elif text:
            document.items.append(RawNote(number, text))

    def paragraph_text(self, paragraph: etree._Element) -> str:
        """A paragraph's text; a superscript footnote mark is written as ¹²³ so that a footnote
        text starting with one ("¹ В соответствии …") is recognised."""
        parts: list[str] = []
        for text, superscript in self.inline(paragraph):
            if isinstance(text, tuple):
                continue
            if superscript and _MARK.fullmatch(text.strip()):
                text = text.translate(_SUPERSCRIPT_DIGITS)
            parts.append(text)
        return _spaces("".join(parts))

    def inline(self, element: etree._Element) -> list[tuple[str | NoteRef, bool]]:
        """The paragraph's text pieces with whether each is superscript, adjacent superscript
        pieces joined (Word splits runs at every edit); note references as (kind, id)."""
        pieces: list[tuple[str | NoteRef, bool]] = []
        self._inline(element, pieces)
        joined: list[tuple[str | NoteRef, bool]] = []
        for text, superscript in pieces:
            if (
                superscript
                and joined
                and joined[-1][1]
                and isinstance(text, str)
                and isinstance(joined[-1][0], str)
            ):
                joined[-1] = (joined[-1][0] + text, True)
            else:
                joined.append((text, superscript))
        return joined

    def _inline(self, element: etree._Element, pieces: list[tuple[str | NoteRef, bool]]) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                self._run(child, pieces)
            elif isinstance(tag, str) and tag not in _SKIP_INLINE and tag != _P:
                self._inline(child, pieces)

    def _run(self, run: etree._Element, pieces: list[tuple[str | NoteRef, bool]]) -> None:
        superscript = self.is_superscript(run)
        for child in run:
            tag = child.tag
            if tag == _T:
                if child.text:
                    pieces.append((child.text, superscript))
            elif tag in _SPACE_TAGS:
                pieces.append((" ", False))
            elif tag == _W + "noBreakHyphen":
                pieces.append(("-", superscript))
            elif tag in _NOTE_REFS:
                pieces.append(((_NOTE_REFS[tag], child.get(_ID, "")), False))

    def is_superscript(self, run: etree._Element) -> bool:
        """Superscript (Word's vertAlign) or raised (LibreOffice writes superscript so), directly
        or through the run's character style."""
        properties = run.find(_W + "rPr")
        if properties is None:
            return False
        raised = _raised(properties)
        if raised is not None:
            return raised
        style = properties.find(_W + "rStyle")
        return style is not None and style.get(_VAL) in self.superscript_styles


# -- the package's other parts --------------------------------------------------------------------


def _superscript_styles(document: WordDocument) -> frozenset[str]:
    """The character styles that raise text to superscript (Word's footnote reference style)."""
    part = document.part
    styles_part = next(
        (rel.target_part for rel in part.rels.values() if rel.reltype == RT.STYLES), None
    )
    if styles_part is None:
        return frozenset()
    aligned: dict[str, bool | None] = {}
    based_on: dict[str, str] = {}
    for style in styles_part.element.iterchildren(_W + "style"):
        style_id = style.get(_W + "styleId")
        if not style_id:
            continue
        properties = style.find(_W + "rPr")
        aligned[style_id] = None if properties is None else _raised(properties)
        parent = style.find(_W + "basedOn")
        if parent is not None and parent.get(_VAL):
            based_on[style_id] = parent.get(_VAL)
    result = set()
    for style_id in aligned:
        current: str | None = style_id
        for _depth in range(20):  # basedOn chains are short; a loop is a damaged file
            if current is None or aligned.get(current) is not None:
                break
            current = based_on.get(current)
        if current is not None and aligned.get(current):
            result.add(style_id)
    return frozenset(result)


def _note_texts(document: WordDocument, reader: _Reader) -> dict[NoteRef, str]:
    """The texts of the document's real footnotes and endnotes, by (kind, id)."""
    texts: dict[NoteRef, str] = {}
    for rel in document.part.rels.values():
        kind = {RT.FOOTNOTES: "footnote", RT.ENDNOTES: "endnote"}.get(rel.reltype)
        if kind is None or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob, _XML)
        for note in root.iterchildren(_W + kind):
            if note.get(_TYPE, "normal") != "normal":
                continue  # the separator lines
            text = " ".join(reader.paragraph_text(p) for p in note.iter(_P))
            texts[(kind, note.get(_ID, ""))] = _spaces(text)
    return texts


# -- XML walking ----------------------------------------------------------------------------------


def _blocks(parent: etree._Element):
    """The paragraphs and tables of a body or cell, in order, through content controls."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _children(parent: etree._Element, tag: str):
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _cell_paragraphs(tc: etree._Element):
    for block in _blocks(tc):
        if block.tag == _P:
            yield block
        else:  # a table nested in the cell: its paragraphs in reading order
            yield from block.iter(_P)


def _raised(properties: etree._Element) -> bool | None:
    """Whether run properties raise the text (superscript); None when they do not say."""
    align = properties.find(_W + "vertAlign")
    if align is not None and align.get(_VAL) == "superscript":
        return True
    if _int_val(properties.find(_W + "position"), 0) > 0:
        return True
    return False if align is not None else None


def _find(properties: etree._Element | None, name: str) -> etree._Element | None:
    return None if properties is None else properties.find(_W + name)


def _int_val(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(0, int(element.get(_VAL, default)))
    except ValueError:
        return default


def _slot(row: _Row, column: int) -> _Cell | None:
    return row.slots[column] if column < len(row.slots) else None


def _role_cells(row: _Row, columns: list[tuple[str, int]]) -> dict[str, _Cell]:
    """The cell of each role; a cell merged across several roles' columns is the first's."""
    cells: dict[str, _Cell] = {}
    for role, column in columns:
        cell = _slot(row, column)
        if cell is not None and cell not in cells.values():
            cells[role] = cell
    return cells


def _is_heading(row: _Row, cell: _Cell, columns: list[tuple[str, int]]) -> bool:
    """A row's only cell is a heading when it is merged across two roles' columns or more, or
    stands in (or left of) the table's first column."""
    covered = sum(1 for _, column in columns if _slot(row, column) is cell)
    return covered >= 2 or row.slots.index(cell) <= columns[0][1]


def _find_header(rows: list[_Row]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = column_roles(row.texts())
        if roles:
            return index, roles
    return None


def _is_numbering(cells: list[_Cell]) -> bool:
    """The row of column numbers ("1", "2", "3", "4") Russian tables often have under the header."""
    return len(cells) >= 2 and all(_DIGITS.fullmatch(cell.text) for cell in cells)


def _spaces(text: str) -> str:
    return " ".join(text.split())

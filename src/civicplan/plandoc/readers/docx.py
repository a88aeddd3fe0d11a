"""Plans as Word documents (DOCX), read the way Word writes them: the body's paragraphs and
tables in order, for `layout.arrange` to find the plan in.

A cell's text is its paragraphs joined with single spaces (a table nested in it read in reading
order); a cell merged across grid columns (gridSpan, hMerge) fills each of them, and one merged
down (vMerge) is the same cell in the rows below. Rows deleted with tracked changes are left out.

Footnote marks are superscript or raised runs ("1", "¹", "*"; LibreOffice raises rather than
superscripts) or the characters ¹²³… typed in the text, and real Word footnotes
(`w:footnoteReference` -> `word/footnotes.xml`, endnotes likewise).

Numbers, for messages: a row's is its 1-based number among all the body's table rows (deleted
ones counted); a paragraph's is its 1-based number among the body's paragraphs.

The package is read as Word opens it (the main part from the package's relationships, its
content type from `[Content_Types].xml`, styles and notes from the main part's relationships);
styles and notes are parsed whole, the body as a stream: each body paragraph and each row of a
body table is read when it ends and then dropped from the tree, so a plan's XML is never held
whole, and the limits of `limits` (rows, cells, paragraphs, elements of one row) are checked as
it goes. Reading the XML directly is faster than python-docx's objects and sees what they do
not (footnotes, superscript runs given by a character style, merged cells by grid column).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers.limits import (
    MAX_BLOCK_ELEMENTS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_PARAGRAPHS,
    MAX_ROWS,
    spaced,
)
from civicplan.plandoc.readers.package import (
    content_types,
    drop_read,
    parse_part,
    relationships,
    stream_part,
)
from civicplan.plandoc.source import (
    Cell,
    NoteRef,
    Paragraph,
    Row,
    SourceDocument,
    Table,
    cell_of,
    paragraph_of,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _R, _T = (_W + name for name in ("p", "tbl", "tr", "tc", "r", "t"))
_BODY = _W + "body"
_TC_PR, _R_PR, _TR_PR = _W + "tcPr", _W + "rPr", _W + "trPr"
_DEL, _GRID_BEFORE, _GRID_SPAN = _W + "del", _W + "gridBefore", _W + "gridSpan"
_V_MERGE, _H_MERGE = _W + "vMerge", _W + "hMerge"
_CELL_LAYOUT = frozenset((_GRID_SPAN, _V_MERGE, _H_MERGE))
_BLOCK_TAGS = frozenset((_P, _TBL, _TR))
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
_WHITESPACE = re.compile(r"\s+")
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_NOTE_PARTS = {"footnotes": "footnote", "endnotes": "endnote"}  # relationship -> element


@dataclass(frozen=True, slots=True)
class _Table:
    """A body table's rows (deleted ones left out) and how many it has (deleted ones too)."""

    rows: list[Row]
    count: int


@dataclass(frozen=True, slots=True)
class _WordParts:
    main: str
    styles: str | None
    notes: list[tuple[str, str]]  # ("footnote" | "endnote", part name)


def read_docx(archive: zipfile.ZipFile, source: str) -> SourceDocument:
    """The paragraphs and tables of a DOCX file; `archive` is the opened, size-checked package."""
    parts = _word_parts(archive, source)
    try:
        styles = parse_part(archive, parts.styles, source) if parts.styles else None
        reader = _Reader(source, parts.main, _superscript_styles(styles))
        notes = _note_texts(archive, parts.notes, reader)
        events = stream_part(archive, parts.main, source)
        return reader.read(_BodyStream(reader, events).blocks(), notes)
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


# -- the package ----------------------------------------------------------------------------------


def _word_parts(archive: zipfile.ZipFile, source: str) -> _WordParts:
    """The main document part and its styles and notes, as Word finds them."""
    try:
        main = _main_part(archive, source)
        related = relationships(archive, main, source)
    except PlanReadError:
        raise
    except (KeyError, ValueError, AttributeError, etree.LxmlError) as error:
        raise PlanReadError(
            source,
            _(
                "повреждённый документ Word (DOCX): откройте его в Word и сохраните заново "
                "(%(error)s)"
            )
            % {"error": type(error).__name__},
        ) from None
    styles = next((target for _id, kind, target in related if kind == "styles"), None)
    notes = [(_NOTE_PARTS[kind], target) for _id, kind, target in related if kind in _NOTE_PARTS]
    return _WordParts(main, styles, notes)


def _main_part(archive: zipfile.ZipFile, source: str) -> str:
    """The part the package's officeDocument relationship names, if it is a Word document."""
    package = relationships(archive, "", source)
    main = next((target for _id, kind, target in package if kind == "officeDocument"), None)
    if main is None:
        raise KeyError("officeDocument")
    overrides, defaults = content_types(archive, source)
    by_name = {name.lower(): kind for name, kind in overrides.items()}  # names ignore case
    content_type = by_name.get(f"/{main}".lower(), defaults.get(main.rpartition(".")[2].lower()))
    if content_type != _WORD_MAIN:
        raise PlanReadError(
            source, _("файл не является документом Word (DOCX): сохраните его как «Документ Word»")
        )
    return main


# -- the body, as a stream -------------------------------------------------------------------------


class _BodyStream:
    """The body's blocks in order as the part is parsed: a paragraph's text, or a table's rows.

    A body paragraph or a row of a body table is read when its end tag is parsed, then cleared,
    and what came before it in the tree is dropped: the tree holds one row or paragraph at a
    time, and no more than MAX_BLOCK_ELEMENTS elements of it."""

    def __init__(self, reader: _Reader, events: Iterable[tuple[str, etree._Element]]) -> None:
        self.reader, self.events = reader, events
        self.held = 0  # elements parsed and still in the tree
        self.table: _TableRows | None = None

    def blocks(self) -> Iterator[str | _Table]:
        for _event, element in self.events:
            self.held += 1
            if self.held > MAX_BLOCK_ELEMENTS:
                raise self.reader.over_limit(
                    _(
                        "в одной строке таблицы или абзаце больше %(limit)s элементов XML "
                        "(часть %(part)s)"
                    ),
                    MAX_BLOCK_ELEMENTS,
                )
            if element.tag in _BLOCK_TAGS:
                block = self.take(element)
                if block is not None:
                    yield block

    def take(self, element: etree._Element) -> str | _Table | None:
        """What a paragraph, table or row that has just ended gives: a block when it is one."""
        tag = element.tag
        if tag == _TR:
            self.take_row(element)
            return None
        if not _in_body(element):
            return None
        if tag == _P:
            text = self.reader.body_paragraph(element)
            self.drop(element)
            return text
        table = self.table.finish() if self.table is not None else _Table([], 0)
        self.table = None
        self.drop(element)
        return table

    def take_row(self, tr: etree._Element) -> None:
        table = _row_table(tr)
        if table is None:
            return  # a row of a table nested in a cell: read with its cell
        if self.table is None or self.table.element is not table:
            self.table = _TableRows(self.reader, table)
        self.table.add(tr)
        self.drop(tr)

    def drop(self, element: etree._Element) -> None:
        """Let go of what has been read (the part holds only what is being read)."""
        drop_read(element)
        self.held = 0


def _in_body(element: etree._Element) -> bool:
    """Whether the element is a block of the body, in content controls or not."""
    parent = element.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        parent = parent.getparent()
    return parent is not None and parent.tag == _BODY


def _row_table(tr: etree._Element) -> etree._Element | None:
    """The body table a row belongs to; None for a row of a table nested in a cell."""
    parent = tr.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        parent = parent.getparent()
    return parent if parent is not None and parent.tag == _TBL and _in_body(parent) else None


class _TableRows:
    """A body table's rows by grid column, read one by one as they are parsed."""

    def __init__(self, reader: _Reader, element: etree._Element) -> None:
        self.reader, self.element = reader, element
        self.rows: list[Row] = []
        self.count = 0
        self.above: dict[int, Cell] = {}  # the cell over each grid column, for vertical merges

    def add(self, tr: etree._Element) -> None:
        self.count += 1
        self.reader.count_row()
        row_properties = tr.find(_TR_PR)
        before = 0
        if row_properties is not None:
            if row_properties.find(_DEL) is not None:  # a row deleted with tracked changes
                return
            before = _int_val(row_properties.find(_GRID_BEFORE), 0)
        slots: list[Cell | None] = [None] * min(before, MAX_COLUMNS)
        own: list[Cell] = []
        for tc in _children(tr, _TC):
            if len(slots) >= MAX_COLUMNS:
                break
            merges, span = _merges_and_span(tc.find(_TC_PR))
            cell = self.cell(merges, slots) if merges else None
            if cell is None:
                cell = self.reader.cell(tc)
                own.append(cell)
            for _slot_copy in range(max(1, min(span, MAX_COLUMNS - len(slots)))):
                self.above[len(slots)] = cell
                slots.append(cell)
        self.reader.count_cells(len(own))
        self.rows.append(Row(self.count, slots, own))

    def cell(self, merges: dict[str, etree._Element], slots: list[Cell | None]) -> Cell | None:
        """The cell a merged cell (of these merge properties) continues (from above, or from
        the left); None for a cell that starts here."""
        vmerge = merges.get(_V_MERGE)
        if vmerge is not None and vmerge.get(_VAL, "continue") == "continue":
            return self.above.get(len(slots)) or Cell("")
        hmerge = merges.get(_H_MERGE)
        if hmerge is not None and hmerge.get(_VAL, "continue") == "continue" and slots:
            return slots[-1] or Cell("")
        return None

    def finish(self) -> _Table:
        return _Table(self.rows, self.count)


class _Reader:
    def __init__(self, source: str, part: str, superscript_styles: frozenset[str]) -> None:
        self.source, self.part = source, part
        self.superscript_styles = superscript_styles
        self.rows_read = self.cells_read = self.paragraphs_read = 0  # for the limits

    def read(self, blocks: Iterator[str | _Table], notes: dict[NoteRef, str]) -> SourceDocument:
        """The body's blocks numbered for messages: paragraphs among paragraphs, rows among
        all the tables' rows."""
        document = SourceDocument(self.source, notes=notes)
        paragraphs = rows = 0
        for block in blocks:
            if isinstance(block, str):
                paragraphs += 1
                document.blocks.append(Paragraph(paragraphs, block))
                continue
            for row in block.rows:
                row.number += rows
            rows += block.count
            document.blocks.append(Table(block.rows))
        return document

    # -- the limits -----------------------------------------------------------------------------

    def count_row(self) -> None:
        self.rows_read += 1
        if self.rows_read > MAX_ROWS:
            raise self.over_limit(
                _("в таблицах документа больше %(limit)s строк (часть %(part)s)"),
                MAX_ROWS,
                row=self.rows_read,
            )

    def count_cells(self, cells: int) -> None:
        self.cells_read += cells
        if self.cells_read > MAX_CELLS:
            raise self.over_limit(
                _("в таблицах документа больше %(limit)s заполненных ячеек (часть %(part)s)"),
                MAX_CELLS,
                row=self.rows_read,
            )

    def body_paragraph(self, paragraph: etree._Element) -> str:
        """A paragraph of the body (outside tables): its text, counted against the limit."""
        self.paragraphs_read += 1
        if self.paragraphs_read > MAX_PARAGRAPHS:
            raise self.over_limit(
                _("в документе больше %(limit)s абзацев вне таблиц (часть %(part)s)"),
                MAX_PARAGRAPHS,
            )
        return self.paragraph_text(paragraph)

    def over_limit(self, message: str, limit: int, row: int | None = None) -> PlanReadError:
        return PlanReadError(
            self.source, message % {"limit": spaced(limit), "part": self.part}, row
        )

    # -- cells and paragraphs ----------------------------------------------------------------

    def cell(self, tc: etree._Element) -> Cell:
        """A cell's text (its paragraphs joined with spaces) and its footnote marks."""
        return cell_of(self.inline(paragraph) for paragraph in _cell_paragraphs(tc))

    def paragraph_text(self, paragraph: etree._Element) -> str:
        """A paragraph's text; a superscript footnote mark is written as ¹²³."""
        return paragraph_of(self.inline(paragraph))

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
        properties = run.find(_R_PR)
        if properties is None:
            return False
        raised = _raised(properties)
        if raised is not None:
            return raised
        style = properties.find(_W + "rStyle")
        return style is not None and style.get(_VAL) in self.superscript_styles


# -- the package's other parts --------------------------------------------------------------------


def _superscript_styles(styles: etree._Element | None) -> frozenset[str]:
    """The character styles that raise text to superscript (Word's footnote reference style)."""
    if styles is None:
        return frozenset()
    aligned: dict[str, bool | None] = {}
    based_on: dict[str, str] = {}
    for style in styles.iterchildren(_W + "style"):
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


def _note_texts(
    archive: zipfile.ZipFile, parts: list[tuple[str, str]], reader: _Reader
) -> dict[NoteRef, str]:
    """The texts of the document's real footnotes and endnotes, by (kind, id)."""
    texts: dict[NoteRef, str] = {}
    for kind, part in parts:
        root = parse_part(archive, part, reader.source)
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


def _merges_and_span(properties: etree._Element | None) -> tuple[dict[str, etree._Element], int]:
    """A cell's merge properties (vMerge, hMerge) by tag and its gridSpan, in one look at its
    properties (a plan has thousands of cells, most without either)."""
    found: dict[str, etree._Element] = {}
    if properties is not None:
        for child in properties:
            if child.tag in _CELL_LAYOUT:
                found.setdefault(child.tag, child)
    span = _int_val(found.pop(_GRID_SPAN, None), 1)
    return found, span


def _int_val(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(0, int(element.get(_VAL, default)))
    except ValueError:
        return default


def _spaces(text: str) -> str:
    """Single spaces, none at the ends (as " ".join(text.split()), without a list of words)."""
    return _WHITESPACE.sub(" ", text).strip()

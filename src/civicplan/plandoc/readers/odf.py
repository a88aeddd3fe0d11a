"""Plans as OpenDocument files: ODT text documents and ODS spreadsheets (LibreOffice, МойОфис and
Р7-Офис write them), read into a SourceDocument.

An OpenDocument package is a ZIP whose `mimetype` member (or, failing it, the manifest's root
entry) names its kind, and whose `content.xml` holds the body. The package passes the same
guards as DOCX and XLSX (`package`: sizes, ZIP bombs, no DTD in any XML part), and content.xml
is parsed as a stream with lxml as the Word body is: each body paragraph and each row of a body
table is read when its end tag is parsed and then dropped from the tree, and the limits of
`limits` are checked as it goes. A document with its content encrypted (saved with a password)
is refused by its manifest.

ODT: the body's paragraphs and headings (in sections and lists too) and its tables, in order.
A cell's text is its paragraphs joined by single spaces; a table nested in a cell is read into
that cell's text. `table:number-columns-spanned` / `number-rows-spanned` with the
`table:covered-table-cell`s they cover are merges (the same Cell in every slot it covers). A
footnote or endnote (`text:note`) is taken out of the text: its citation becomes the cell's
mark (note class, note id) and its body the note's text in `SourceDocument.notes`, as Word's
notes are. Superscript or raised text (`style:text-position`, directly or through the span's
style and its parents) that is a footnote mark ("1", "*") is a mark too; in a paragraph it is
written ¹²³ so that a footnote's text ("¹ В соответствии …") is recognised. Comments, drawings,
text boxes, tracked deletions and tables of contents are not text of the plan.

ODS: the first sheet, as one Table whose row numbers are the sheet's. Repeated rows and cells
(`table:number-rows-repeated`, `number-columns-repeated`: LibreOffice ends every sheet with a
million empty rows of 16,384 cells) cost nothing while empty; filled ones are expanded only
within MAX_ROWS, MAX_COLUMNS and MAX_CELLS (a filled row past MAX_ROWS is refused, cells right
of MAX_COLUMNS are ignored). A date cell is written "DD.MM.YYYY" from `office:date-value` (with
" HH:MM" when it has a time of day), a time cell "HH:MM" from `office:time-value`; other cells
are their text as shown.

The reading is lxml's rather than odfpy's: odfpy builds the whole document as Python objects (a
2,000-row plan's content.xml takes several hundred MB that way) with no place to stop at a
limit or drop what has been read, where this is the Word reader's streaming and guards.
"""

from __future__ import annotations

import re
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.utils.cell import get_column_letter

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
from civicplan.plandoc.readers.package import drop_read, open_part, parse_part, stream_part
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

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
CONTENT = "content.xml"
KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_ODF_MIMETYPE = "application/vnd.oasis.opendocument."

_P, _H, _SPAN, _NOTE = (_TEXT + name for name in ("p", "h", "span", "note"))
_TBL, _ROW, _CELL = _TABLE + "table", _TABLE + "table-row", _TABLE + "table-cell"
_COVERED = _TABLE + "covered-table-cell"
_PARAGRAPHS = frozenset((_P, _H))
_SPACE_TAGS = frozenset((_TEXT + "s", _TEXT + "tab", _TEXT + "line-break"))
# Inline elements of the text namespace whose content is not the paragraph's text.
_SKIP_INLINE = frozenset(
    _TEXT + name for name in ("note-citation", "note-body", "ruby-text", "tracked-changes")
)
# Containers of body paragraphs and tables, and of a table's rows.
_BODY_WRAPPERS = frozenset(
    [_TEXT + name for name in ("section", "list", "list-item", "list-header")]
)
_ROW_WRAPPERS = frozenset(
    _TABLE + name for name in ("table-rows", "table-header-rows", "table-row-group")
)
# What a cell's paragraphs may be nested in: lists, sections, a table nested in the cell.
_CELL_WRAPPERS = _BODY_WRAPPERS | _ROW_WRAPPERS | frozenset((_TBL, _ROW, _CELL, _COVERED))
_BODIES = frozenset((_OFFICE + "text", _OFFICE + "spreadsheet"))
_STYLE_LISTS = frozenset((_OFFICE + "automatic-styles", _OFFICE + "styles"))
_WHITESPACE = re.compile(r"\s+")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d))?")
_DURATION = re.compile(r"PT(\d+)H(\d+)M")
_DAMAGED = (KeyError, ValueError, IndexError, TypeError, AttributeError, etree.LxmlError)


# -- the package ----------------------------------------------------------------------------------


def odf_kind(archive: zipfile.ZipFile, source: str) -> str | None:
    """ "odt" or "ods" for an OpenDocument text or spreadsheet, None for a ZIP that is not an
    OpenDocument package; another OpenDocument kind (a presentation, a drawing) or a document
    saved with a password is refused. The package has passed `package.check_package`."""
    mimetype = _mimetype(archive, source)
    if mimetype is None:
        return None
    kind = KINDS.get(mimetype)
    if kind is None:
        raise PlanReadError(
            source,
            _(
                "документ OpenDocument этого вида (%(kind)s) не поддерживается: нужен текстовый "
                "документ (ODT) или электронная таблица (ODS)"
            )
            % {"kind": mimetype.removeprefix(_ODF_MIMETYPE)[:40]},
        )
    _refuse_encrypted(archive, source)
    if CONTENT not in archive.NameToInfo:
        raise _damaged(source, "content.xml")
    return kind


def _mimetype(archive: zipfile.ZipFile, source: str) -> str | None:
    """The package's media type: its `mimetype` member, else its manifest's root entry."""
    if "mimetype" in archive.NameToInfo:
        stream = open_part(archive, "mimetype", source, 256)
        try:
            text = stream.read(200).decode("ascii", "replace").strip()
        finally:
            stream.close()
        return text if text.startswith(_ODF_MIMETYPE) else None
    if "META-INF/manifest.xml" not in archive.NameToInfo or CONTENT not in archive.NameToInfo:
        return None
    for entry in _manifest(archive, source):
        if entry.get(_MANIFEST + "full-path") == "/":
            media_type = entry.get(_MANIFEST + "media-type", "")
            return media_type if media_type.startswith(_ODF_MIMETYPE) else None
    return None


def _manifest(archive: zipfile.ZipFile, source: str) -> list[etree._Element]:
    try:
        root = parse_part(archive, "META-INF/manifest.xml", source)
    except KeyError:
        return []
    except _DAMAGED:
        raise _damaged(source, "META-INF/manifest.xml") from None
    return list(root.iterchildren(_MANIFEST + "file-entry"))


def _refuse_encrypted(archive: zipfile.ZipFile, source: str) -> None:
    for entry in _manifest(archive, source):
        if entry.get(_MANIFEST + "full-path") == CONTENT and (
            entry.find(_MANIFEST + "encryption-data") is not None
        ):
            from civicplan.plandoc.readers.convert import password_protected

            raise PlanReadError(source, password_protected())


def _damaged(source: str, what: str) -> PlanReadError:
    return PlanReadError(
        source,
        _("документ OpenDocument повреждён: откройте его и сохраните заново (%(error)s)")
        % {"error": what},
    )


def read_odt(archive: zipfile.ZipFile, source: str) -> SourceDocument:
    """The paragraphs and tables of an ODT document, checked by `odf_kind`."""
    return _read(archive, source, _TextBody)


def read_ods(archive: zipfile.ZipFile, source: str) -> SourceDocument:
    """The first sheet of an ODS workbook as one table, checked by `odf_kind`."""
    return _read(archive, source, _SheetBody)


def _read(archive: zipfile.ZipFile, source: str, body: type[_Body]) -> SourceDocument:
    try:
        styles = _Styles()
        if "styles.xml" in archive.NameToInfo:
            styles.add_all(parse_part(archive, "styles.xml", source))
        reader = body(SourceDocument(source), _Inline(styles))
        reader.read(stream_part(archive, CONTENT, source, comments=False))
        return reader.document
    except PlanReadError:
        raise
    except _DAMAGED as error:
        raise _damaged(source, type(error).__name__) from None


# -- styles: which text is raised -----------------------------------------------------------------


class _Styles:
    """The text styles and whether each raises its text (`style:text-position` "super …" or a
    positive percentage), directly or through the styles it is based on."""

    def __init__(self) -> None:
        self.raised: dict[str, bool | None] = {}
        self.parents: dict[str, str] = {}
        self.resolved: dict[str, bool] = {}

    def add_all(self, root: etree._Element) -> None:
        for styles in root.iterchildren(*_STYLE_LISTS):
            for style in styles.iterchildren(_STYLE + "style"):
                self.add(style)

    def add(self, style: etree._Element) -> None:
        name = style.get(_STYLE + "name")
        if not name or style.get(_STYLE + "family") not in ("text", "paragraph"):
            return
        properties = style.find(_STYLE + "text-properties")
        position = None if properties is None else properties.get(_STYLE + "text-position")
        self.raised[name] = _raised(position)
        parent = style.get(_STYLE + "parent-style-name")
        if parent:
            self.parents[name] = parent

    def is_raised(self, name: str | None) -> bool | None:
        """Whether the named style raises its text; None when neither it nor its parents say."""
        if not name:
            return None
        if name not in self.resolved:
            current: str | None = name
            for _depth in range(20):  # parent chains are short; a loop is a damaged file
                if current is None or self.raised.get(current) is not None:
                    break
                current = self.parents.get(current)
            self.resolved[name] = bool(current is not None and self.raised.get(current))
        return self.resolved[name] if name in self.raised else None


def _raised(position: str | None) -> bool | None:
    if not position:
        return None
    first = position.split()[0]
    if first == "super":
        return True
    if first == "sub":
        return False
    try:
        return float(first.rstrip("%")) > 0
    except ValueError:
        return None


# -- inline text ----------------------------------------------------------------------------------

Piece = tuple[str | NoteRef, bool]  # a piece of text and whether it is raised, or a note


class _Inline:
    """Paragraphs' text: their pieces, a cell's text and marks, and the notes met on the way."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.notes: dict[NoteRef, str] = {}

    def pieces(self, paragraph: etree._Element) -> list[Piece]:
        """The paragraph's pieces, adjacent raised pieces joined (an editor splits spans at
        every edit); a note as its (class, id)."""
        pieces: list[Piece] = []
        raised = self.styles.is_raised(paragraph.get(_TEXT + "style-name"))
        self._walk(paragraph, pieces, bool(raised))
        joined: list[Piece] = []
        for text, up in pieces:
            previous = joined[-1] if joined else None
            if (
                up
                and previous is not None
                and previous[1]
                and isinstance(text, str)
                and isinstance(previous[0], str)
            ):
                joined[-1] = (previous[0] + text, True)
            else:
                joined.append((text, up))
        return joined

    def _walk(self, element: etree._Element, pieces: list[Piece], raised: bool) -> None:
        if element.text:
            pieces.append((element.text, raised))
        for child in element:
            tag = child.tag
            if tag == _SPAN:
                up = self.styles.is_raised(child.get(_TEXT + "style-name"))
                self._walk(child, pieces, raised if up is None else up)
            elif tag in _SPACE_TAGS:
                pieces.append((" ", False))
            elif tag == _NOTE:
                pieces.append((self.note(child), False))
            elif isinstance(tag, str) and tag.startswith(_TEXT) and tag not in _SKIP_INLINE:
                self._walk(child, pieces, raised)  # links, fields, bookmarks, ruby bases
            # comments (office:annotation), drawings and text boxes are not the text
            if child.tail:
                pieces.append((child.tail, raised))

    def note(self, note: etree._Element) -> NoteRef:
        """A footnote or endnote: its text kept by its (class, id), which the text refers to."""
        kind = "endnote" if note.get(_TEXT + "note-class") == "endnote" else "footnote"
        ref = (kind, note.get(_TEXT + "id") or f"note-{len(self.notes) + 1}")
        body = note.find(_TEXT + "note-body")
        texts = [self.paragraph(p) for p in paragraphs(body)] if body is not None else []
        self.notes[ref] = spaces(" ".join(texts))
        return ref

    def paragraph(self, paragraph: etree._Element) -> str:
        """A paragraph's text, a raised footnote mark written as ¹²³."""
        return paragraph_of(self.pieces(paragraph))

    def cell(self, cell: etree._Element) -> Cell:
        """A cell's text (its paragraphs joined by spaces) and the marks taken out of it."""
        return cell_of(self.pieces(paragraph) for paragraph in paragraphs(cell))


def paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    """The paragraphs of a cell (or a note's body) in reading order, through lists, sections
    and nested tables; not those of comments or drawings."""
    for child in container:
        if child.tag in _PARAGRAPHS:
            yield child
        elif child.tag in _CELL_WRAPPERS:
            yield from paragraphs(child)


def spaces(text: str) -> str:
    """Single spaces, none at the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def _count(element: etree._Element, name: str, limit: int) -> int:
    """A repetition or span attribute: at least 1, at most `limit` (a damaged or hostile
    number is not trusted further)."""
    value = element.get(_TABLE + name)
    if value is None:
        return 1
    try:
        return max(1, min(int(value), limit))
    except ValueError:
        return 1


# -- a table on its grid -------------------------------------------------------------------------


@dataclass(slots=True)
class _Grid:
    """A table's rows by grid column, read one by one; merges by identity."""

    table: Table = field(default_factory=Table)
    trim: bool = False  # leave out the empty slots at a row's end (a sheet's 16,384 columns)
    # column -> the cell merged over it and the last row number it covers
    spans: dict[int, tuple[Cell, int]] = field(default_factory=dict)

    def row(self, number: int, cells: list[tuple[etree._Element, Cell | None]]) -> Row | None:
        """The row numbered `number` from its cell elements, each with the text it gives (None
        for a covered or an empty one); None when nothing is in it. Every cell that starts
        here is a new Cell, a repeated one too."""
        slots: list[Cell | None] = []
        own: list[Cell] = []
        for element, given in cells:
            width = _count(element, "number-columns-repeated", MAX_COLUMNS)
            for _repeat in range(min(width, MAX_COLUMNS - len(slots))):
                if element.tag == _COVERED:
                    span = self.spans.get(len(slots))
                    slots.append(span[0] if span is not None and span[1] >= number else None)
                else:
                    slots.append(self.start(element, given, number, len(slots)))
                    if slots[-1] is not None:
                        own.append(slots[-1])  # type: ignore[arg-type]
        if self.trim or not own:
            while slots and slots[-1] is None:
                slots.pop()
        return Row(number, slots, own) if slots else None

    def start(
        self, element: etree._Element, given: Cell | None, number: int, column: int
    ) -> Cell | None:
        """A cell that starts in this row, registered over the columns and rows it is merged
        across or down for the covered cells there."""
        across = _count(element, "number-columns-spanned", MAX_COLUMNS)
        down = _count(element, "number-rows-spanned", MAX_ROWS)
        merged = across > 1 or down > 1
        cell = None
        if given is not None or merged:
            cell = Cell(given.text, list(given.marks)) if given is not None else Cell("")
        for covered in range(column, min(column + across, MAX_COLUMNS)):
            if cell is not None and merged:
                self.spans[covered] = (cell, number + down - 1)
            else:
                self.spans.pop(covered, None)
        return cell


# -- the body, as a stream -------------------------------------------------------------------------


class _Body(ABC):
    """content.xml's events: automatic styles, then the body, each block dropped once read.
    A text document's body and a spreadsheet's each say what their blocks are."""

    def __init__(self, document: SourceDocument, inline: _Inline) -> None:
        self.document, self.inline = document, inline
        self.held = 0  # elements parsed and still in the tree
        self.cells = 0  # filled cells read, for the limit

    def read(self, events: Iterable[tuple[str, etree._Element]]) -> None:
        for _event, element in events:
            self.held += 1
            if self.held > MAX_BLOCK_ELEMENTS:
                raise self.too_many_elements()
            parent = element.getparent()
            if parent is not None and parent.tag in _STYLE_LISTS:
                self.inline.styles.add(element)
                self.drop(element)
                continue
            taken = self.take(element)
            if taken == "stop":
                break
            if taken is None and (
                parent is None or parent.getparent() is None or parent.tag in _BODIES
            ):
                self.drop(element)  # a part of the document that is not the plan's
        self.document.notes.update(self.inline.notes)

    @abstractmethod
    def take(self, element: etree._Element) -> str | None:
        """Read a block that has ended: "taken" (and dropped), "stop" (nothing more to read),
        or None (not a block)."""

    def drop(self, element: etree._Element) -> None:
        drop_read(element)
        self.held = 0

    def count_cells(self, row: Row, limit_message: str) -> None:
        self.cells += sum(1 for cell in row.own if cell.text or cell.marks)
        if self.cells > MAX_CELLS:
            raise self.over_limit(limit_message, MAX_CELLS, row.number)

    @abstractmethod
    def over_limit(self, message: str, limit: int, row: int | None = None) -> PlanReadError:
        """The refusal, naming the part of the document."""

    @abstractmethod
    def too_many_elements(self) -> PlanReadError:
        """The refusal, naming the part of the document."""

    def cells_of(self, tr: etree._Element) -> list[tuple[etree._Element, Cell | None]]:
        """A row's cell elements with their Cells (None: covered, or empty and unmerged)."""
        cells: list[tuple[etree._Element, Cell | None]] = []
        columns = 0
        for child in tr:
            if child.tag not in (_CELL, _COVERED):
                continue
            if columns >= MAX_COLUMNS:
                self.right_of_limit(child, columns)
                columns += _count(child, "number-columns-repeated", 2**31)
                continue
            cell = self.value(child) if child.tag == _CELL else None
            if cell is not None and not (cell.text or cell.marks):
                cell = None
            cells.append((child, cell))
            columns += _count(child, "number-columns-repeated", 2**31)
        return cells

    def value(self, cell: etree._Element) -> Cell:
        return self.inline.cell(cell)

    def right_of_limit(self, cell: etree._Element, column: int) -> None:  # noqa: B027
        """A cell right of MAX_COLUMNS: ignored (a sheet notes the first, for its refusal)."""


def _table_of(row: etree._Element) -> etree._Element | None:
    parent = row.getparent()
    while parent is not None and parent.tag in _ROW_WRAPPERS:
        parent = parent.getparent()
    return parent if parent is not None and parent.tag == _TBL else None


def _in_body(element: etree._Element) -> bool:
    """Whether a paragraph or table is a block of the body (in sections and lists too)."""
    parent = element.getparent()
    while parent is not None and parent.tag in _BODY_WRAPPERS:
        parent = parent.getparent()
    return parent is not None and parent.tag in _BODIES


class _TextBody(_Body):
    """An ODT body: paragraphs and tables in order; tables' rows counted on across tables."""

    def __init__(self, document: SourceDocument, inline: _Inline) -> None:
        super().__init__(document, inline)
        self.grid: _Grid | None = None
        self.grid_of: etree._Element | None = None
        self.rows = 0  # table rows of the document, repeated ones too
        self.paragraphs = 0  # body paragraphs, empty ones too

    def take(self, element: etree._Element) -> str | None:
        tag = element.tag
        if tag == _ROW:
            table = _table_of(element)
            if table is None or not _in_body(table):
                return None  # a row of a table nested in a cell: read with its cell
            if self.grid is None or self.grid_of is not table:
                self.grid, self.grid_of = _Grid(), table
            self.take_row(element, self.grid)
        elif tag in _PARAGRAPHS and _in_body(element):
            self.paragraphs += 1
            if self.paragraphs > MAX_PARAGRAPHS:
                raise self.over_limit(
                    _("в документе больше %(limit)s абзацев вне таблиц (часть %(part)s)"),
                    MAX_PARAGRAPHS,
                )
            text = self.inline.paragraph(element)
            if text:
                self.document.blocks.append(Paragraph(self.paragraphs, text))
        elif tag == _TBL and _in_body(element):
            if self.grid is not None and self.grid_of is element and self.grid.table.rows:
                self.document.blocks.append(self.grid.table)
            self.grid = self.grid_of = None
        else:
            return None
        self.drop(element)
        return "taken"

    def take_row(self, tr: etree._Element, grid: _Grid) -> None:
        """A row, and its copies if repeated; an empty row's copies are only counted."""
        repeat = _count(tr, "number-rows-repeated", 2**31)
        cells = self.cells_of(tr)
        first = self.rows + 1
        self.rows += repeat
        for number in range(first, first + repeat):
            row = grid.row(number, cells)
            if row is None:
                break
            if number > MAX_ROWS:
                raise self.over_limit(
                    _("в таблицах документа больше %(limit)s строк (часть %(part)s)"),
                    MAX_ROWS,
                    number,
                )
            self.count_cells(
                row, _("в таблицах документа больше %(limit)s заполненных ячеек (часть %(part)s)")
            )
            grid.table.rows.append(row)

    def over_limit(self, message: str, limit: int, row: int | None = None) -> PlanReadError:
        return PlanReadError(
            self.document.source, message % {"limit": spaced(limit), "part": CONTENT}, row
        )

    def too_many_elements(self) -> PlanReadError:
        return self.over_limit(
            _("в одной строке таблицы или абзаце больше %(limit)s элементов XML (часть %(part)s)"),
            MAX_BLOCK_ELEMENTS,
        )


class _SheetBody(_Body):
    """An ODS body: the first sheet's rows, numbered as the sheet numbers them."""

    def __init__(self, document: SourceDocument, inline: _Inline) -> None:
        super().__init__(document, inline)
        self.grid = _Grid(trim=True)
        self.sheet: etree._Element | None = None
        self.name = ""
        self.number = 0  # the sheet row last read
        self.ignored: str | None = None  # the first filled cell right of MAX_COLUMNS

    def take(self, element: etree._Element) -> str | None:
        if element.tag == _TBL and element is self.sheet:
            return "stop"  # the first sheet has ended: the others are not read
        if element.tag != _ROW:
            return None
        table = _table_of(element)
        if table is None or table.getparent() is None or table.getparent().tag not in _BODIES:
            return None
        if self.sheet is None:
            self.sheet, self.name = table, table.get(_TABLE + "name", "")
        if table is self.sheet:
            self.take_row(element)
        self.drop(element)
        return "taken"

    def take_row(self, tr: etree._Element) -> None:
        """A row, and its copies if repeated; empty rows, however many, are only counted."""
        repeat = _count(tr, "number-rows-repeated", 2**31)
        cells = self.cells_of(tr)
        first = self.number + 1
        self.number += repeat
        for number in range(first, first + repeat):
            row = self.grid.row(number, cells)
            if row is None:
                break
            if number > MAX_ROWS:
                raise self.over_limit(
                    _("на листе «%(sheet)s» больше %(limit)s строк"), MAX_ROWS, number
                )
            self.count_cells(row, _("на листе «%(sheet)s» больше %(limit)s заполненных ячеек"))
            self.grid.table.rows.append(row)

    def read(self, events: Iterable[tuple[str, etree._Element]]) -> None:
        super().read(events)
        if self.grid.table.rows:
            self.document.blocks.append(self.grid.table)
        elif self.ignored is not None:
            raise PlanReadError(
                self.document.source,
                _(
                    "на листе «%(sheet)s» заполнены только ячейки правее %(limit)s-го столбца "
                    "(первая из них: %(cell)s)"
                )
                % {"sheet": self.name, "limit": MAX_COLUMNS, "cell": self.ignored},
            )

    def value(self, cell: etree._Element) -> Cell:
        """A date or a time as the plan's time frames write them; anything else as shown."""
        kind = cell.get(_OFFICE + "value-type")
        if kind == "date":
            match = _DATE.match(cell.get(_OFFICE + "date-value", ""))
            if match:
                year, month, day, hour, minute = match.groups()
                text = f"{day}.{month}.{year}"
                if hour is not None and (hour, minute) != ("00", "00"):
                    text += f" {hour}:{minute}"
                return Cell(text)
        elif kind == "time":
            match = _DURATION.match(cell.get(_OFFICE + "time-value", ""))
            if match:
                return Cell(f"{int(match.group(1)):02d}:{match.group(2)}")
        shown = self.inline.cell(cell)
        if not shown.text and kind in ("float", "percentage", "currency"):
            return Cell(cell.get(_OFFICE + "value", ""))
        return shown

    def right_of_limit(self, cell: etree._Element, column: int) -> None:
        if self.ignored is None and cell.tag == _CELL and len(cell):
            self.ignored = f"{get_column_letter(min(column + 1, 16384))}{self.number + 1}"

    def over_limit(self, message: str, limit: int, row: int | None = None) -> PlanReadError:
        return PlanReadError(
            self.document.source, message % {"sheet": self.name, "limit": spaced(limit)}, row
        )

    def too_many_elements(self) -> PlanReadError:
        return self.over_limit(
            _("на листе «%(sheet)s» в одной строке больше %(limit)s элементов XML"),
            MAX_BLOCK_ELEMENTS,
        )

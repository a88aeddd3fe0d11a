"""What a file reader hands over: the document's paragraphs and tables in order, before meaning.

Readers know file formats (text, DOCX, XLSX, ODT/ODS, PDF); they do not know what a plan is.
Each gives a SourceDocument: its blocks in reading order, a paragraph as its text, a table as
its rows on the table's grid. `layout.arrange` then finds the plan in it — which table, which
row is the header, what each column holds, which rows are headings, notes or continuations —
the same way for every format.

Merged cells are kept by identity: a cell merged across several grid columns is the same Cell
object in each of its slots, and a cell merged down over several rows (Word's vMerge, an Excel
merged range) is the same object in the rows below; `Row.own` lists only the cells that start
in the row, so a value merged down is read in every row it covers but continues none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

NoteRef = tuple[str, str]  # a real Word footnote or endnote: ("footnote" | "endnote", its id)
Mark = str | NoteRef  # a footnote mark typed or raised in the text ("¹", "*"), or a NoteRef
Piece = tuple[str | NoteRef, bool]  # a run of a paragraph's text and whether it is raised
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_RAISED_MARK = re.compile(r"[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|\*{1,3}")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True, eq=False)
class Cell:
    """A cell's text (paragraphs joined with single spaces) and the footnote marks taken out
    of it."""

    text: str
    marks: list[Mark] = field(default_factory=list)


@dataclass(slots=True)
class Row:
    """A table row on the grid: one slot per column, None where the row has no cell."""

    number: int  # 1-based, as the format counts (a table row, a sheet row, a line), for messages
    slots: list[Cell | None]
    own: list[Cell] = field(default_factory=list)  # the cells that start in this row

    def texts(self) -> list[str]:
        return [cell.text if cell else "" for cell in self.slots]

    def slot(self, column: int) -> Cell | None:
        return self.slots[column] if column < len(self.slots) else None


@dataclass(slots=True)
class Table:
    rows: list[Row] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(row.slots) for row in self.rows), default=0)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph outside the tables (a line of a text file)."""

    number: int  # 1-based among the document's paragraphs (lines), for messages
    text: str


Block = Paragraph | Table


@dataclass(slots=True)
class SourceDocument:
    source: str  # the file name, for messages
    blocks: list[Block] = field(default_factory=list)
    notes: dict[NoteRef, str] = field(default_factory=dict)  # real footnotes' texts (Word)
    merges: bool = True  # whether the format can merge cells (a text file cannot)
    paragraphs: bool = True  # whether it has paragraphs outside tables (a spreadsheet has not)


def row_of(number: int, texts: list[str]) -> Row:
    """A row of unmerged cells from their texts (empty text: no cell), for the readers of
    formats without merges and for tests."""
    slots: list[Cell | None] = [Cell(text) if text else None for text in texts]
    return Row(number, slots, [cell for cell in slots if cell is not None])


def cell_of(paragraphs: Iterable[Iterable[Piece]]) -> Cell:
    """A cell from its paragraphs' runs (Word's and OpenDocument's alike): their text joined
    with single spaces, a raised mark ("1", "*") and a note reference taken out as marks."""
    parts: list[str] = []
    marks: list[Mark] = []
    for pieces in paragraphs:
        for text, raised in pieces:
            if isinstance(text, tuple):
                marks.append(text)
            elif raised and _RAISED_MARK.fullmatch(text.strip()):
                marks.append(text.strip().translate(_SUPERSCRIPT_DIGITS))
                parts.append(" ")
            else:
                parts.append(text)
        parts.append(" ")
    return Cell(" ".join("".join(parts).split()), marks)


def paragraph_of(pieces: Iterable[Piece]) -> str:
    """A paragraph's text from its runs, a raised mark written as ¹²³ so that a footnote's text
    starting with one ("¹ В соответствии …") is known; note references left out."""
    parts: list[str] = []
    for text, raised in pieces:
        if isinstance(text, tuple):
            continue
        if raised and _RAISED_MARK.fullmatch(text.strip()):
            text = text.translate(_SUPERSCRIPT_DIGITS)
        parts.append(text)
    return _SPACES.sub(" ", "".join(parts)).strip()

"""What a reader hands over: the table's rows by column role, before any understanding.

Readers know file formats (text, DOCX, XLSX); they do not know what a cell means. They find the
header, cut the document into title, headings, rows, notes and footnotes, and stop there.
`understand.build_plan` turns a RawDocument into a PlanDocument the same way for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMN_ROLES = ("when", "title", "place", "responsible")


@dataclass(slots=True)
class RawRow:
    """An activity row: cell text by column role, and the footnotes its marks refer to."""

    number: int  # row (or line) number in the source, 1-based, for messages
    cells: dict[str, str]
    footnotes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawHeading:
    """A row merged across the table: a section heading or a sub-heading such as "1 ПОЛУГОДИЕ"."""

    number: int
    text: str


@dataclass(slots=True)
class RawNote:
    """A paragraph between or after the rows, kept as a note of the plan."""

    number: int
    text: str


@dataclass(slots=True)
class RawDocument:
    source: str  # the file name, for messages
    title: str
    items: list[RawRow | RawHeading | RawNote] = field(default_factory=list)

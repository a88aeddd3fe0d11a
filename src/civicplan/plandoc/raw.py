"""The plan laid out: the table's rows by column role, before any understanding.

`layout.arrange` finds the plan in a reader's SourceDocument and cuts it into title, headings,
rows, notes and footnotes; `understand.build_plan` turns the RawDocument into a PlanDocument.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from civicplan.plandoc.columns import ColumnSet


@dataclass(slots=True)
class RawRow:
    """An activity row: cell text by column role (when, title, place, responsible, number; a
    start and an end column are joined into "when", a time column is added to it), the cells of
    other columns by their header, and the footnotes its marks refer to."""

    number: int  # row (or line) number in the source, 1-based, for messages
    cells: dict[str, str]
    footnotes: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # (column header, text)


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
    columns: list[ColumnSet] = field(default_factory=list)  # each plan table's, in order
    # A web page's dateline («17 февраля 2017» under its heading, a date over a table whose rows
    # have their own, a list's «04 июля 2023 года 08:31», its tag line «Метки 73-летие Победы»):
    # its year may be the plan's, its day is no activity's.
    dateline: str = ""

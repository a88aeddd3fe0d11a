"""The plan as a Word document (DOCX) in the association's official layout: what the
directorate prints and signs.

Layout: A4 landscape; margins 2 cm left and top, 1.5 cm right and bottom; Times New Roman, 14 pt
for the title, 12 pt for the notes, 11 pt in the table, 10 pt for the footnotes; the page
number centred at the top from page 2. The title is centred in bold on the lines the seed uses
("ПЛАН ДЕЯТЕЛЬНОСТИ" / the body / «the name» and the year). Then ONE bordered table, Сроки ·
Мероприятия · Место проведения · Ответственный (4, 9.7, 5 and 7.5 cm), whose header row repeats
on every page (`w:tblHeader`) and whose rows never break across pages (`w:cantSplit`; a row too
tall for a page may break, as Word would have to break it anyway). A plan whose activities have
extra fields (the source plan's other columns: participants, expected result, …) gets one more
column for each distinct header after «Ответственный», narrowing the four (`table.
official_columns`); the DOCX reader reads them back as extra fields. A change of section is a
row merged across the columns: the heading bold, the half-year sub-heading ("1 ПОЛУГОДИЕ")
italic. A note of the plan (`Note.after == k`) is a paragraph right after the k-th activity:
between rows it splits the table, which goes on below it under its header row again; notes
before the first activity go under its heading rows.

Footnotes are written as the seed writes them: a superscript number after the activity's title,
one number per distinct text (so the rows a footnote serves share it), and the numbered texts in
10 pt under the table part where each is first used ("¹ В соответствии …"). Real Word footnotes
(`word_footnotes=True`: `word/footnotes.xml`, one footnote per reference since Word cannot point
two references at one footnote) are not the default because LibreOffice — common in Russian
municipalities — lays out long tables with many footnotes badly: a 2,000-row plan with 90
footnotes took 1,084 pages instead of 258, most of them holding a single row.

The DOCX reader (`readers/docx.py`) reads the file back to the same plan: the same title, rows,
sections, footnotes and notes in place (tests/plandoc/test_writer_docx.py checks the seed and
generated plans). Pure Python: python-docx opens its default template and writes the package;
the body, styles and footnotes are built with lxml, much faster than python-docx's cell
objects for a plan of thousands of rows.
"""

from __future__ import annotations

import abc
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

import docx
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from civicplan.plandoc.model import Activity, PlanDocument
from civicplan.plandoc.writers.table import (
    OFFICIAL_HEADERS,
    OFFICIAL_WIDTHS,
    extra_cell,
    official_columns,
    responsible_cell,
)

__all__ = ["COLUMNS", "write"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COLUMNS = OFFICIAL_HEADERS

# Twentieths of a point (dxa): A4 landscape, margins, the four columns' widths.
PAGE_WIDTH, PAGE_HEIGHT = 16838, 11906
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 1134, 851, 1134, 851
# Сроки, Мероприятия, Место проведения, Ответственный: together the text width, 14,853.
WIDTHS = OFFICIAL_WIDTHS
FONT = "Times New Roman"
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, FOOTNOTE_SIZE = 28, 24, 22, 20  # half-points: 14, 12, 11, 10 pt

# Style ids (Word's own ids for the footnote styles, so Word treats them as its built-ins).
TABLE_STYLE = "PlanTableText"
FOOTNOTE_TEXT = "FootnoteText"
FOOTNOTE_REFERENCE = "FootnoteReference"

# Characters XML 1.0 cannot hold (C0 controls other than tab and newline, lone surrogates, …).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
YEAR_MARK = re.compile(r"(?<=\d) (?=гг?\.)")  # "2024 г." keeps "г." on the year's line
_LINE_BREAKS = re.compile(r"\r\n?|[\n\u2028\u2029\x0b\x0c]")
# "ПЛАН ДЕЯТЕЛЬНОСТИ", "План мероприятий", "ПЛАН РАБОТЫ": a line of its own in a long title.
_TITLE_FIRST_LINE = re.compile(r"^(план\s+[а-яё]{4,})\s(?=\S)", re.IGNORECASE)
TITLE_LINE = 60  # characters: a longer title is cut into lines


def tag(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def sub_element(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    """A w:<name> child with w:-namespaced attributes (`val="x"` is w:val="x")."""
    element = etree.SubElement(parent, tag(name))
    for key, value in attributes.items():
        element.set(tag(key), value)
    return element


def write(plan: PlanDocument, *, word_footnotes: bool = False) -> bytes:
    """The plan as DOCX bytes. Footnotes are numbered notes under the table, as the seed has
    them; `word_footnotes` makes them real Word footnotes at the foot of the page instead."""
    document = docx.Document()
    set_up(document, plan)
    notes = _WordFootnotes() if word_footnotes else _NumberedNotes()
    body = document.element.body
    section_properties = body.find(tag("sectPr"))
    for child in list(body):
        if child is not section_properties:
            body.remove(child)
    for block in [*_title(plan.title), *_body(plan, notes)]:
        section_properties.addprevious(block)
    notes.finish(document)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


# -- the document's settings, styles and page -----------------------------------------------------


def set_up(document: WordDocument, plan: PlanDocument) -> None:
    section = document.sections[0]
    properties = section._sectPr
    size = properties.find(tag("pgSz"))
    size.set(tag("w"), str(PAGE_WIDTH))
    size.set(tag("h"), str(PAGE_HEIGHT))
    size.set(tag("orient"), "landscape")
    margins = properties.find(tag("pgMar"))
    for side, value in (
        ("top", MARGIN_TOP),
        ("right", MARGIN_RIGHT),
        ("bottom", MARGIN_BOTTOM),
        ("left", MARGIN_LEFT),
        ("header", 567),
        ("footer", 567),
    ):
        margins.set(tag(side), str(value))
    # The page number at the top centre, from the second page on (the Russian custom).
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]._p
    header_properties = header.find(tag("pPr"))
    if header_properties is None:
        header_properties = etree.Element(tag("pPr"))
        header.insert(0, header_properties)
    sub_element(header_properties, "jc", val="center")
    field = sub_element(header, "fldSimple", instr=" PAGE ")
    run = sub_element(field, "r")
    _text(run, "2")
    if plan.version is not None:  # on the first page, above the title: which plan this is
        label = section.first_page_header.paragraphs[0]
        label.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        label.add_run(str(plan.version))
    _styles(document)
    _settings(document)
    core = document.core_properties
    core.title = _NOT_XML.sub("", plan.title)[:255]
    core.author = core.last_modified_by = "CivicPlan"
    core.language = "ru-RU"
    core.created = core.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    core.revision = plan.version.number if plan.version else 1
    core.version = str(plan.version) if plan.version else ""


def _styles(document: WordDocument) -> None:
    styles = document.styles.element
    defaults = styles.find(f"{tag('docDefaults')}/{tag('rPrDefault')}/{tag('rPr')}")
    for child in list(defaults):
        defaults.remove(child)
    sub_element(defaults, "rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT)
    sub_element(defaults, "sz", val=str(BODY_SIZE))
    sub_element(defaults, "szCs", val=str(BODY_SIZE))
    sub_element(defaults, "lang", val="ru-RU", eastAsia="en-US", bidi="ar-SA")
    spacing = styles.find(f"{tag('docDefaults')}/{tag('pPrDefault')}/{tag('pPr')}/{tag('spacing')}")
    spacing.attrib.clear()
    spacing.set(tag("after"), "0")
    spacing.set(tag("line"), "240")
    spacing.set(tag("lineRule"), "auto")
    namespace = f'xmlns:w="{W_NS}"'
    for xml in (
        f'<w:style {namespace} w:type="paragraph" w:customStyle="1" w:styleId="{TABLE_STYLE}">'
        '<w:name w:val="Таблица плана"/><w:basedOn w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="20" w:after="20"/></w:pPr>'
        f'<w:rPr><w:sz w:val="{TABLE_SIZE}"/><w:szCs w:val="{TABLE_SIZE}"/></w:rPr></w:style>',
        f'<w:style {namespace} w:type="paragraph" w:styleId="{FOOTNOTE_TEXT}">'
        '<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>'
        '<w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:jc w:val="both"/></w:pPr>'
        f'<w:rPr><w:sz w:val="{FOOTNOTE_SIZE}"/><w:szCs w:val="{FOOTNOTE_SIZE}"/></w:rPr>'
        "</w:style>",
        f'<w:style {namespace} w:type="character" w:styleId="{FOOTNOTE_REFERENCE}">'
        '<w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
    ):
        styles.append(etree.fromstring(xml))


def _settings(document: WordDocument) -> None:
    settings = document.settings.element
    language = settings.find(tag("themeFontLang"))
    if language is not None:
        language.set(tag("val"), "ru-RU")


# -- the body -------------------------------------------------------------------------------------


def _title(title: str) -> Iterable[etree._Element]:
    lines = _title_lines(title)
    for number, line in enumerate(lines, start=1):
        paragraph = paragraph_element(
            line,
            align="center",
            bold=True,
            size=TITLE_SIZE,
            keep_next=True,
            after=240 if number == len(lines) else 0,
        )
        yield paragraph


def _title_lines(title: str) -> list[str]:
    """The title on the seed's lines: "ПЛАН ДЕЯТЕЛЬНОСТИ" / who / «the name» and the year, when
    it is too long for one. Lines are cut at single spaces only, so that the lines joined by
    spaces are the title again (the DOCX reader joins title paragraphs so)."""
    title = title.strip()
    if len(title) <= TITLE_LINE:
        return [title] if title else []
    lines = []
    first = _TITLE_FIRST_LINE.match(title)
    if first:
        lines.append(first.group(1))
        title = title[first.end() :]
    quote = title.find(" «")
    if quote >= 20 and len(title) > TITLE_LINE:
        lines += [title[:quote], title[quote + 1 :]]
    else:
        lines.append(title)
    return lines


class _Grid:
    """The table's columns: their headers and widths, and the extra fields' headers."""

    def __init__(self, plan: PlanDocument) -> None:
        self.headers, self.widths = official_columns(plan.activities)
        self.extras = self.headers[len(COLUMNS) :]


def _body(plan: PlanDocument, footnotes: _Footnotes) -> Iterable[etree._Element]:
    """The table (split where notes come between rows), the notes, the footnote texts."""
    count = len(plan.activities)
    notes: dict[int, list[str]] = defaultdict(list)
    for note in plan.notes:
        notes[min(max(note.after, 0), count)].append(note.text)
    grid = _Grid(plan)
    table = _table(grid)
    section: tuple[str | None, str | None] = (None, None)
    after_row = False  # whether the table's last row is an activity
    for position, activity in enumerate(plan.activities, start=1):
        if activity.section != section:
            _section_rows(table, grid, section, activity.section)
            section = activity.section
        elif after_row and _reads_as_continued(activity):
            # A row with no time frame and a lower-case title reads as the rest of the row
            # above (a row broken across pages); a heading row between them says it is not.
            _section_rows(table, grid, (None, None), section)
        if position == 1 and notes.get(0):
            yield table
            yield from footnotes.texts()
            yield from _notes(notes.pop(0))
            table = _table(grid)
        _activity_row(table, grid, activity, footnotes)
        after_row = True
        if position < count and notes.get(position):
            yield table
            yield from footnotes.texts()
            yield from _notes(notes.pop(position))
            table = _table(grid)
            after_row = False
    yield table
    yield from footnotes.texts()
    rest = [text for after in sorted(notes) for text in notes[after]]
    if rest:
        yield from _notes(rest)
    else:
        # A document ends with a paragraph (Word adds one otherwise): a tiny empty one.
        paragraph = paragraph_element("", after=0)
        properties = sub_element(paragraph.find(tag("pPr")), "rPr")
        sub_element(properties, "sz", val="2")
        yield paragraph


def _reads_as_continued(activity: Activity) -> bool:
    return not activity.when.text.strip() and not activity.title.strip()[:1].isupper()


def _notes(texts: list[str]) -> Iterable[etree._Element]:
    for text in texts:
        yield paragraph_element(text, align="both", before=120, after=120, indent=709)


def _section_rows(
    table: etree._Element,
    grid: _Grid,
    before: tuple[str | None, str | None],
    after: tuple[str | None, str | None],
) -> None:
    """Heading rows for a change of section: the heading when it changes (or when the
    sub-heading ends, which only a new heading row says), then the sub-heading if any. A plan
    cannot say "no heading" after a heading: such rows stay under the heading before."""
    heading, subheading = after
    new_heading = heading != before[0] or (subheading is None and before[1] is not None)
    if new_heading and heading:
        _merged_row(table, grid, heading, bold=True)
    if subheading and (new_heading or subheading != before[1]):
        _merged_row(table, grid, subheading, italic=True)


# -- the table ------------------------------------------------------------------------------------


def _table(grid: _Grid) -> etree._Element:
    """A new plan table with its header row (repeated on every page)."""
    table = etree.Element(tag("tbl"))
    properties = sub_element(table, "tblPr")
    sub_element(properties, "tblW", w=str(sum(grid.widths)), type="dxa")
    sub_element(properties, "jc", val="center")
    borders = sub_element(properties, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub_element(borders, side, val="single", sz="4", space="0", color="000000")
    sub_element(properties, "tblLayout", type="fixed")
    margins = sub_element(properties, "tblCellMar")
    sub_element(margins, "left", w="85", type="dxa")
    sub_element(margins, "right", w="85", type="dxa")
    columns = sub_element(table, "tblGrid")
    for width in grid.widths:
        sub_element(columns, "gridCol", w=str(width))
    row = table_row(table, header=True)
    for name, width in zip(grid.headers, grid.widths, strict=True):
        table_cell(row, width, [name], align="center", bold=True, v_align="center")
    return table


def table_row(
    table: etree._Element, *, header: bool = False, can_split: bool = False
) -> etree._Element:
    row = sub_element(table, "tr")
    properties = sub_element(row, "trPr")
    if not can_split:
        sub_element(properties, "cantSplit")
    if header:
        sub_element(properties, "tblHeader")
    return row


def _merged_row(
    table: etree._Element, grid: _Grid, text: str, *, bold: bool = False, italic: bool = False
) -> None:
    row = table_row(table)
    # keep_next: a heading stays on the page of the row below it.
    table_cell(
        row,
        sum(grid.widths),
        [text],
        span=len(grid.widths),
        align="center",
        bold=bold,
        italic=italic,
        keep_next=True,
    )


def _activity_row(
    table: etree._Element, grid: _Grid, activity: Activity, footnotes: _Footnotes
) -> None:
    cells = (
        YEAR_MARK.sub("\u00a0", activity.when.text or ""),
        activity.title or "",
        activity.place.text or "",
        responsible_cell(activity),
        *(extra_cell(activity, header) for header in grid.extras),
    )
    row = table_row(table, can_split=too_tall(cells, grid.widths))
    for index, (text, width) in enumerate(zip(cells, grid.widths, strict=True)):
        cell = table_cell(row, width, [text], align="center" if index == 0 else "left")
        if index == 1:
            footnotes.mark(cell.findall(tag("p"))[-1], activity.notes)


def too_tall(cells: tuple[str, ...], widths: list[int]) -> bool:
    """Whether the row might not fit on a page (then it may break, or it would be cut off)."""
    page_lines = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) // 260 - 4  # 11 pt lines, header
    for text, width in zip(cells, widths, strict=True):
        per_line = max((width - 170) // 95, 1)  # a generous 4.75 pt per character
        lines = sum(len(line) // per_line + 1 for line in _LINE_BREAKS.split(text))
        if lines > page_lines * 0.8:
            return True
    return False


def table_cell(
    row: etree._Element,
    width: int,
    paragraphs: list[str],
    *,
    span: int = 1,
    align: str = "left",
    bold: bool = False,
    italic: bool = False,
    v_align: str = "top",
    keep_next: bool = False,
) -> etree._Element:
    cell = sub_element(row, "tc")
    properties = sub_element(cell, "tcPr")
    sub_element(properties, "tcW", w=str(width), type="dxa")
    if span > 1:
        sub_element(properties, "gridSpan", val=str(span))
    sub_element(properties, "vAlign", val=v_align)
    for text in paragraphs:
        paragraph = paragraph_element(
            text, align=align, bold=bold, italic=italic, style=TABLE_STYLE, keep_next=keep_next
        )
        cell.append(paragraph)
    return cell


# -- paragraphs and runs --------------------------------------------------------------------------


def paragraph_element(
    text: str,
    *,
    align: str | None = None,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
    keep_next: bool = False,
    before: int | None = None,
    after: int | None = None,
    indent: int | None = None,
    size: int | None = None,
) -> etree._Element:
    """A w:p with its properties in the schema's order and the text as runs."""
    paragraph = etree.Element(tag("p"))
    _paragraph_properties(
        sub_element(paragraph, "pPr"),
        style=style,
        keep_next=keep_next,
        before=before,
        after=after,
        indent=indent,
        align=align,
    )
    if text:
        run = sub_element(paragraph, "r")
        if bold or italic or size:
            _run_properties(sub_element(run, "rPr"), bold=bold, italic=italic, size=size)
        _text(run, text)
    return paragraph


def _paragraph_properties(
    properties: etree._Element,
    *,
    style: str | None,
    keep_next: bool,
    before: int | None,
    after: int | None,
    indent: int | None,
    align: str | None,
) -> None:
    """The children of w:pPr that are asked for, in the order the schema requires (w:pPr is a
    sequence, not a set)."""
    if style:
        sub_element(properties, "pStyle", val=style)
    if keep_next:
        sub_element(properties, "keepNext")
    if before is not None or after is not None:
        spacing = sub_element(properties, "spacing")
        if before is not None:
            spacing.set(tag("before"), str(before))
        if after is not None:
            spacing.set(tag("after"), str(after))
    if indent:
        sub_element(properties, "ind", firstLine=str(indent))
    if align:
        sub_element(properties, "jc", val=align)


def _run_properties(
    properties: etree._Element, *, bold: bool, italic: bool, size: int | None
) -> None:
    """The children of w:rPr, in the schema's order; the size (in half-points) is given for
    complex scripts too."""
    if bold:
        sub_element(properties, "b")
    if italic:
        sub_element(properties, "i")
    if size:
        sub_element(properties, "sz", val=str(size))
        sub_element(properties, "szCs", val=str(size))


def _text(run: etree._Element, text: str) -> None:
    """The text into a run: line breaks as w:br, tabs as w:tab, what XML cannot hold dropped."""
    for number, line in enumerate(_LINE_BREAKS.split(text)):
        if number:
            sub_element(run, "br")
        for piece_number, piece in enumerate(_NOT_XML.sub("", line).split("\t")):
            if piece_number:
                sub_element(run, "tab")
            if piece:
                element = sub_element(run, "t")
                element.text = piece
                if piece[0].isspace() or piece[-1].isspace():
                    element.set(XML_SPACE, "preserve")


# -- footnotes ------------------------------------------------------------------------------------


class _Footnotes(abc.ABC):
    """How an activity's footnotes are written: `mark` puts the marks after the title,
    `texts` gives the paragraphs due under the table so far, `finish` adds package parts."""

    @abc.abstractmethod
    def mark(self, paragraph: etree._Element, notes: list[str]) -> None:
        """Write the marks of `notes` at the end of the title's paragraph."""

    def texts(self) -> list[etree._Element]:
        return []

    def finish(self, document: WordDocument) -> None:  # noqa: B027 - most kinds add nothing
        """Add the package parts the footnotes need (none, unless they are Word footnotes)."""


class _NumberedNotes(_Footnotes):
    """As the seed: a superscript number after the title, one per distinct text (the rows
    that share a footnote share its number), and the numbered texts under the table part
    where each is first used ("¹ В соответствии …"). Works the same in every word processor."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.unwritten: list[str] = []

    def mark(self, paragraph: etree._Element, notes: list[str]) -> None:
        for index, note in enumerate(text for text in map(str.strip, notes) if text):
            if note not in self.numbers:
                self.numbers[note] = len(self.numbers) + 1
                self.unwritten.append(note)
            if index:  # "¹ ²": two marks apart, or they would read as one mark "¹²"
                _text(sub_element(paragraph, "r"), " ")
            _superscript(sub_element(paragraph, "r"), str(self.numbers[note]))

    def texts(self) -> list[etree._Element]:
        paragraphs = []
        for index, note in enumerate(self.unwritten):
            paragraph = paragraph_element(
                "", style=FOOTNOTE_TEXT, before=120 if index == 0 else None
            )
            _superscript(sub_element(paragraph, "r"), str(self.numbers[note]))
            _text(sub_element(paragraph, "r"), f" {note}")
            paragraphs.append(paragraph)
        self.unwritten = []
        return paragraphs


class _WordFootnotes(_Footnotes):
    """Real Word footnotes: one per reference (Word cannot point two references at one
    footnote), numbered by the word processor and printed at the foot of the page."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def mark(self, paragraph: etree._Element, notes: list[str]) -> None:
        for note in notes:
            self.notes.append(note)
            run = sub_element(paragraph, "r")
            sub_element(sub_element(run, "rPr"), "rStyle", val=FOOTNOTE_REFERENCE)
            # ids 1, 2, …; -1 and 0 are the separators
            sub_element(run, "footnoteReference", id=str(len(self.notes)))

    def finish(self, document: WordDocument) -> None:
        """word/footnotes.xml as Word writes it (the two separators, then the footnotes),
        related to the document and announced in its settings."""
        if not self.notes:
            return
        root = etree.Element(tag("footnotes"), nsmap={"w": W_NS})
        for note_id, kind in (("-1", "separator"), ("0", "continuationSeparator")):
            paragraph = sub_element(sub_element(root, "footnote", type=kind, id=note_id), "p")
            sub_element(
                sub_element(paragraph, "pPr"), "spacing", after="0", line="240", lineRule="auto"
            )
            sub_element(sub_element(paragraph, "r"), kind)
        for number, text in enumerate(self.notes, start=1):
            paragraph = sub_element(sub_element(root, "footnote", id=str(number)), "p")
            sub_element(sub_element(paragraph, "pPr"), "pStyle", val=FOOTNOTE_TEXT)
            run = sub_element(paragraph, "r")
            sub_element(sub_element(run, "rPr"), "rStyle", val=FOOTNOTE_REFERENCE)
            sub_element(run, "footnoteRef")
            _text(sub_element(paragraph, "r"), f" {text}")
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        package = document.part.package
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, package)
        document.part.relate_to(part, RT.FOOTNOTES)
        properties = etree.Element(tag("footnotePr"))
        sub_element(properties, "footnote", id="-1")
        sub_element(properties, "footnote", id="0")
        settings = document.settings.element
        compat = settings.find(tag("compat"))
        if compat is not None:
            compat.addprevious(properties)
        else:
            settings.append(properties)


def _superscript(run: etree._Element, text: str) -> None:
    sub_element(sub_element(run, "rPr"), "vertAlign", val="superscript")
    _text(run, text)

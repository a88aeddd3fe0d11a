"""Plan documents built for tests and benchmarks: DOCX the way Word writes plans, XLSX the way
Excel users lay them out, from the 2024 seed or from generated rows.

A plan to build is a list of title lines and a list of blocks: a `Table` (rows of cells, or
`Merged` rows spanning the table) or a paragraph (a `str`). In cell and paragraph text the
characters ¹²³… become superscript runs, and "[fn:N]" a real Word footnote reference to the
footnote N given to `build_docx`.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from openpyxl.styles import Alignment, Font

from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.readers.text import clean, read_text
from civicplan.timeframes.lexicon import MONTHS_GENITIVE, MONTHS_NOMINATIVE

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "plan-2024.txt"
HEADER = ("Сроки", "Мероприятия", "Место проведения", "Ответственный")
MARKS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

Cell = str | datetime | date | list[str] | None  # a list: the cell's paragraphs


@dataclass
class Merged:
    """A row merged across the whole table: a section heading or "1 ПОЛУГОДИЕ"."""

    text: str
    italic: bool = False
    number: str = ""  # set: the first column holds it and the rest of the row is merged


@dataclass
class Table:
    rows: list[Sequence[Cell] | Merged] = field(default_factory=list)


Block = Table | str


# -- the 2024 seed --------------------------------------------------------------------------------


def seed_raw() -> RawDocument:
    """The seed as the text reader reads it: what every other form must read back to."""
    return read_text(SEED.read_bytes(), SEED.name)


def seed_title_lines() -> list[str]:
    """The seed's three bold title lines, as Word has them (one paragraph each)."""
    lines = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            break
        if clean(line):
            lines.append(clean(line))
    return lines


# Where the seed's multi-paragraph activity cells break ("… с международным участием" /
# "Общее собрание Ассоциации"): the text file has them on one line.
_PARAGRAPH_BREAKS = re.compile(r" (?=Общее собрание Ассоциации|Подведение итогов)")


def plan_blocks(document: RawDocument, header: Sequence[str] = HEADER) -> list[Block]:
    """A RawDocument laid out as Word has it: one table, headings merged across it; a note
    between rows splits the table, with the footnote texts used so far above the note."""
    marks: dict[str, str] = {}  # footnote text -> its mark
    written: set[str] = set()
    blocks: list[Block] = []
    table = Table([list(header)])

    def footnote_paragraphs() -> None:
        for text, mark in marks.items():
            if mark not in written:
                written.add(mark)
                blocks.append(f"{mark} {text}")

    for item in document.items:
        if isinstance(item, RawHeading):
            table.rows.append(Merged(item.text, italic=item.text == "1 ПОЛУГОДИЕ"))
        elif isinstance(item, RawNote):
            if table.rows:
                blocks.append(table)
            footnote_paragraphs()
            blocks.append(item.text)
            table = Table()
        elif isinstance(item, RawRow):
            table.rows.append(_word_row(item, marks))
    if table.rows:
        blocks.append(table)
    footnote_paragraphs()
    return blocks


def _word_row(row: RawRow, marks: dict[str, str]) -> list[Cell]:
    """An activity row's cells as Word has them: the footnotes' marks after the activity (a
    footnote seen first gets the next mark), whose cell may be several paragraphs."""
    cells = [row.cells.get(role, "") for role in ("when", "title", "place", "responsible")]
    for footnote in row.footnotes:
        mark = marks.setdefault(footnote, MARKS[len(marks) + 1])
        cells[1] = f"{cells[1]} {mark}"
    parts = _PARAGRAPH_BREAKS.split(cells[1])
    return [cells[0], parts if len(parts) > 1 else cells[1], *cells[2:]]


def seed_docx() -> bytes:
    return build_docx(seed_title_lines(), plan_blocks(seed_raw()))


def seed_xlsx() -> bytes:
    return build_xlsx(seed_title_lines(), plan_blocks(seed_raw()))


# -- DOCX -----------------------------------------------------------------------------------------

_INLINE = re.compile(r"(\[fn:\d+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")


def build_docx(
    title: Sequence[str],
    blocks: Sequence[Block],
    *,
    footnotes: dict[int, str] | None = None,
    ascii_marks: bool = False,
    mark_style: str | None = None,
) -> bytes:
    """A DOCX plan: title lines bold and centred, then the blocks. `ascii_marks` writes a mark
    "¹" as a superscript "1" (as most people type it); `mark_style` makes the mark superscript
    through a character style of that name rather than directly."""
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12)
    if mark_style:
        document.styles.add_style(mark_style, WD_STYLE_TYPE.CHARACTER).font.superscript = True
    writer = _DocxWriter(ascii_marks, mark_style)
    for line in title:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    for block in blocks:
        if isinstance(block, str):
            writer.text(document.add_paragraph(), block)
        else:
            writer.table(document, block)
    if footnotes:
        _add_footnotes(document, footnotes)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


@dataclass
class _DocxWriter:
    ascii_marks: bool
    mark_style: str | None

    def table(self, document: docx.document.Document, table: Table) -> None:
        width = max((len(row) for row in table.rows if not isinstance(row, Merged)), default=4)
        word_table: WordTable = document.add_table(rows=0, cols=width)
        word_table.style = "Table Grid"
        for row in table.rows:
            cells = word_table.add_row().cells
            if isinstance(row, Merged):
                if row.number:
                    cells[0].text = row.number
                merged = cells[1 if row.number else 0].merge(cells[-1])
                paragraph = merged.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(row.text)
                run.bold, run.italic = True, row.italic
                continue
            for cell, value in zip(cells, row, strict=False):
                paragraphs = value if isinstance(value, list) else [_cell_text(value)]
                self.text(cell.paragraphs[0], paragraphs[0])
                for more in paragraphs[1:]:
                    self.text(cell.add_paragraph(), more)

    def text(self, paragraph: Paragraph, text: str) -> None:
        """Plain runs, with footnote marks as superscript runs and [fn:N] as references."""
        for piece in _INLINE.split(text):
            if not piece:
                continue
            if piece.startswith("[fn:"):
                run = paragraph.add_run()
                run.font.superscript = True
                run._r.append(parse_xml(f'<w:footnoteReference {_ns()} w:id="{piece[4:-1]}"/>'))
            elif piece[0] in MARKS:
                mark = piece.translate(str.maketrans(MARKS, "0123456789"))
                run = paragraph.add_run(mark if self.ascii_marks else piece)
                if self.mark_style:
                    run.style = self.mark_style
                else:
                    run.font.superscript = True
            else:
                paragraph.add_run(piece)


def _ns() -> str:
    return f'xmlns:w="{W_NS}"'


def _add_footnotes(document: docx.document.Document, footnotes: dict[int, str]) -> None:
    """word/footnotes.xml as Word writes it (separators first), related to the document."""
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for number, text in footnotes.items():
        notes.append(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {_ns()}>'
    blob = (xml + "".join(notes) + "</w:footnotes>").encode("utf-8")
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _cell_text(value: Cell) -> str:
    if isinstance(value, datetime | date):
        return f"{value:%d.%m.%Y}"
    return value or ""


# -- XLSX -----------------------------------------------------------------------------------------


def build_xlsx(
    title: Sequence[str],
    blocks: Sequence[Block],
    *,
    merges: Sequence[str] = (),
    extra_sheets: int = 0,
    blank_rows_after_title: int = 1,
) -> bytes:
    """An XLSX plan on the first sheet: title rows merged across the table, a blank row, the
    header, headings merged across, paragraphs as text in column A (not merged). A cell given
    as a date or datetime is written as a real Excel date; `merges` ("A8:A10") are merged
    too; `extra_sheets` empty sheets follow the plan's."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "План"
    width = max(
        (
            len(row)
            for b in blocks
            if isinstance(b, Table)
            for row in b.rows
            if isinstance(row, list)
        ),
        default=4,
    )
    _append_title(sheet, title, width)
    for _ in range(blank_rows_after_title if title else 0):
        sheet.append([])
    for block in blocks:
        if isinstance(block, str):
            sheet.append([block])
        else:
            _append_table(sheet, block, width)
    for cells in merges:
        sheet.merge_cells(cells)
    for index in range(extra_sheets):
        workbook.create_sheet(f"Лист{index + 2}")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _append_title(sheet: Any, title: Sequence[str], width: int) -> None:
    """Each title line in a row of its own, bold, centred and merged across the table."""
    for line in title:
        sheet.append([line])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row, 1).font = Font(bold=True)
        sheet.cell(row, 1).alignment = Alignment(horizontal="center")


def _append_table(sheet: Any, table: Table, width: int) -> None:
    """A table's rows: headings bold and merged across (right of their number, if any), cells
    of several paragraphs joined, dates as real Excel dates."""
    for row in table.rows:
        if isinstance(row, Merged):
            sheet.append([row.number, row.text] if row.number else [row.text])
            number, first = sheet.max_row, 2 if row.number else 1
            sheet.merge_cells(
                start_row=number, start_column=first, end_row=number, end_column=width
            )
            sheet.cell(number, first).font = Font(bold=True, italic=row.italic)
            continue
        sheet.append([" ".join(v) if isinstance(v, list) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime | date):
                cell.number_format = "DD.MM.YYYY"


# -- generated plans, for the benchmark -----------------------------------------------------------

_KINDS = (
    "Региональная конференция",
    "Всероссийский форум",
    "Международный конгресс",
    "Круглый стол",
    "Вебинар",
    "Семинар-совещание",
    "Открытый конкурс",
    "Фестиваль",
    "Телемарафон",
    "Профилактическая акция",
    "Совещание координаторов",
)
_THEMES = (
    "Здоровые города для здоровых поколений",
    "Укрепление общественного здоровья",
    "Активное долголетие",
    "Здоровое питание – здоровым городам",
    "Город, дружественный к пожилым людям",
    "Здоровый работник – здоровая компания",
    "Будь здоров",
    "Зарядка для всех!",
    "Психическое здоровье в меняющемся мире",
    "Муниципальные практики профилактики",
)
_CITIES = (
    "г. Череповец Вологодской области",
    "г. Москва",
    "г. Санкт-Петербург",
    "г. Пермь",
    "г. Хабаровск",
    "г. Владивосток Приморского края",
    "г. Новосибирск",
    "г. Ульяновск",
    "г. Южно-Сахалинск",
    "г. Казань Республики Татарстан",
    "г. Астана Республики Казахстан",
    "г. Екатеринбург",
)
_VENUES = (
    "Муниципальные образования – члены Ассоциации",
    "Офлайн/онлайн формат",
    "Электронная площадка Ассоциации",
    "г. Санкт-Петербург, КВЦ «Экспофорум»",
    "г. Москва, Общественная палата РФ",
)
_ORGANISATIONS = (
    "дирекция Ассоциации",
    "Министерство здравоохранения Российской Федерации",
    "органы власти муниципальных образований – члены Ассоциации",
    "Мэрия г. Череповца",
    "Администрация г. Перми",
    "Представительство ВОЗ в Российской Федерации",
    "ФГБУ «НМИЦ терапии и профилактической медицины» Минздрава России",
    "региональные центры общественного здоровья и медицинской профилактики",
    "АНО «Здоровье 360»",
    "ВОД «Волонтеры-медики»",
    "партнеры Ассоциации",
)


def _timeframe(rng: random.Random, year: int) -> str:
    month = rng.randrange(12)
    day = rng.randint(1, 27)
    choices = (
        f"{day} {MONTHS_GENITIVE[month]} {year} г.",
        f"{day}-{day + 1} {MONTHS_GENITIVE[month]} {year} г.",
        f"{MONTHS_NOMINATIVE[month].capitalize()} {year} г.",
        f"{MONTHS_NOMINATIVE[month].capitalize()}-{MONTHS_NOMINATIVE[min(month + 1, 11)]}"
        f" {year} г.",
        f"{rng.choice(['I', 'II', 'III'])} декада {MONTHS_GENITIVE[month]}",
        f"{rng.choice(['I', 'II', 'III', 'IV'])} квартал {year} г.",
        f"{rng.choice(['Первое', 'Второе'])} полугодие {year} г.",
        f"В течение {year} г.",
        f"до {day} {MONTHS_GENITIVE[month]} {year} г.",
        f"{day:02d}.{month + 1:02d}.{year}",
        "ежемесячно",
        "по согласованию",
    )
    return rng.choice(choices)


def generated_plan(rows: int, seed: int = 2025, year: int = 2025) -> tuple[list[str], list[Block]]:
    """`rows` realistic activity rows under section and half-year headings, with a footnote
    and a note; the same rows for the same seed."""
    rng = random.Random(seed)
    table = Table([list(HEADER), Merged("ОРГАНИЗАЦИОННАЯ И ПРОЕКТНАЯ ДЕЯТЕЛЬНОСТЬ АССОЦИАЦИИ")])
    for number in range(rows):
        if number % max(rows // 4, 1) == 0:
            table.rows.append(Merged(f"{['I', 'II'][number * 2 // max(rows, 1)]} ПОЛУГОДИЕ"))
        kind, theme = rng.choice(_KINDS), rng.choice(_THEMES)
        title = f"{kind} «{theme}»"
        if rng.random() < 0.3:
            title = f"Участие в мероприятии: {title}"
        cell: str | list[str] = title
        if rng.random() < 0.1:
            cell = [title, "Общее собрание Ассоциации"]
        elif rng.random() < 0.05:
            cell = f"{title} ¹"
        place = rng.choice(_CITIES) if rng.random() < 0.7 else rng.choice(_VENUES)
        organisations = rng.sample(_ORGANISATIONS, rng.randint(1, 4))
        responsible = ", ".join(organisations)
        if rng.random() < 0.2:
            responsible = f"Организаторы: {responsible}"
        table.rows.append([_timeframe(rng, year), cell, place, responsible])
    title = ["ПЛАН ДЕЯТЕЛЬНОСТИ", f"АССОЦИАЦИИ «ЗДОРОВЫЕ ГОРОДА, РАЙОНЫ И ПОСЁЛКИ» НА {year} ГОД"]
    footnote = "¹ В соответствии с предложениями глав/мэров муниципальных образований."
    note = "Предоставление информации на электронную почту news@zdorovyegoroda.ru."
    return title, [table, footnote, note]


def generated_docx(rows: int, seed: int = 2025) -> bytes:
    """A generated DOCX plan of `rows` activity rows (2,000 for the benchmark)."""
    return build_docx(*generated_plan(rows, seed))

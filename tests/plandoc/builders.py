"""Plan documents built for tests and benchmarks: DOCX the way Word writes plans, XLSX the way
Excel users lay them out, from the 2024 seed or from generated rows.

A plan to build is a list of title lines and a list of blocks: a `Table` (rows of cells, or
`Merged` rows spanning the table) or a paragraph (a `str`). In cell and paragraph text the
characters ¹²³… become superscript runs, and "[fn:N]" a real Word footnote reference to the
footnote N given to `build_docx`.
"""

from __future__ import annotations

import calendar
import io
import random
import re
from collections.abc import Callable, Sequence
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

from civicplan.plandoc.places import SETTLEMENTS
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.readers import read_raw
from civicplan.plandoc.readers.text import clean
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
    return read_raw(SEED.read_bytes(), SEED.name)


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
        "после ремонта зала",  # no time frame the reader knows: undated, with a warning
    )
    return rng.choice(choices)


def generated_plan(rows: int, seed: int = 2025, year: int = 2025) -> tuple[list[str], list[Block]]:
    """`rows` realistic activity rows under section and half-year headings, with a footnote
    and a note; the same rows for the same seed."""
    rng = random.Random(seed)
    table = Table([list(HEADER), Merged("ОРГАНИЗАЦИОННАЯ И ПРОЕКТНАЯ ДЕЯТЕЛЬНОСТЬ АССОЦИАЦИИ")])
    for number in range(rows):
        _half_year_heading(table, number, rows)
        cell = _activity_cell(rng)
        place = rng.choice(_CITIES) if rng.random() < 0.7 else rng.choice(_VENUES)
        organisations = rng.sample(_ORGANISATIONS, rng.randint(1, 4))
        responsible = ", ".join(organisations)
        if rng.random() < 0.2:
            responsible = f"Организаторы: {responsible}"
        table.rows.append([_timeframe(rng, year), cell, place, responsible])
    return _generated_title(year), [table, *_GENERATED_TAIL]


def _half_year_heading(table: Table, number: int, rows: int) -> None:
    if number % max(rows // 4, 1) == 0:
        table.rows.append(Merged(f"{['I', 'II'][number * 2 // max(rows, 1)]} ПОЛУГОДИЕ"))


def _activity_cell(rng: random.Random) -> str | list[str]:
    kind, theme = rng.choice(_KINDS), rng.choice(_THEMES)
    title = f"{kind} «{theme}»"
    if rng.random() < 0.3:
        title = f"Участие в мероприятии: {title}"
    if rng.random() < 0.1:
        return [title, "Общее собрание Ассоциации"]
    if rng.random() < 0.05:
        return f"{title} ¹"
    return title


def _generated_title(year: int) -> list[str]:
    return ["ПЛАН ДЕЯТЕЛЬНОСТИ", f"АССОЦИАЦИИ «ЗДОРОВЫЕ ГОРОДА, РАЙОНЫ И ПОСЁЛКИ» НА {year} ГОД"]


_GENERATED_TAIL = (  # the footnote of the rows marked ¹, then a note after the table
    "¹ В соответствии с предложениями глав/мэров муниципальных образований.",
    "Предоставление информации на электронную почту news@zdorovyegoroda.ru.",
)


def generated_docx(rows: int, seed: int = 2025) -> bytes:
    """A generated DOCX plan of `rows` activity rows (2,000 for the benchmark)."""
    return build_docx(*generated_plan(rows, seed))


def generated_plans(total: int, years: Sequence[int]) -> dict[int, bytes]:
    """`total` generated activity rows as DOCX plans of `years`, shared out evenly: one document
    holds at most 10,000 table rows (readers.limits.MAX_ROWS), so the benchmarks' 10,000
    activities take two years' plans."""
    return {
        year: build_docx(*generated_plan(total // len(years), seed=year, year=year))
        for year in years
    }


# -- varied plans: organisations, places and time frames mostly never seen before -----------------
#
# The word lists above keep the organisation index warm: after a few rows every name is known.
# A real plan of many municipalities names new bodies in most rows, so the benchmark also
# imports one composed from parts: a kind of body and a place in the genitive.

# Regions by their adjective (masculine) and what they are; the genitive is made by rule.
_OBLASTS = (
    "Архангельский", "Астраханский", "Белгородский", "Брянский", "Владимирский", "Волгоградский",
    "Вологодский", "Воронежский", "Ивановский", "Иркутский", "Калининградский", "Калужский",
    "Кемеровский", "Кировский", "Костромской", "Курганский", "Курский", "Ленинградский",
    "Липецкий", "Магаданский", "Московский", "Мурманский", "Нижегородский", "Новгородский",
    "Новосибирский", "Омский", "Оренбургский", "Орловский", "Пензенский", "Псковский",
    "Ростовский", "Рязанский", "Самарский", "Саратовский", "Сахалинский", "Свердловский",
    "Смоленский", "Тамбовский", "Тверской", "Томский", "Тульский", "Тюменский", "Ульяновский",
    "Челябинский", "Ярославский",
)  # fmt: skip
_KRAIS = (
    "Алтайский", "Забайкальский", "Камчатский", "Краснодарский", "Красноярский", "Пермский",
    "Приморский", "Ставропольский", "Хабаровский",
)  # fmt: skip
_REGIONS = (
    *((adjective, "область") for adjective in _OBLASTS),
    *((adjective, "край") for adjective in _KRAIS),
    *((adjective, "Республика") for adjective in ("Удмуртский", "Чувашский", "Чеченский")),
)
# Republics named by a noun keep it in the nominative: "Министерство … Республики Коми".
_REPUBLICS = ("Татарстан", "Башкортостан", "Коми", "Карелия", "Дагестан", "Марий Эл", "Тыва")
_FOREIGN = {  # country code -> the country in the genitive, as a venue names it
    "KZ": "Республики Казахстан",
    "BY": "Республики Беларусь",
    "UZ": "Республики Узбекистан",
    "KG": "Кыргызской Республики",
    "AM": "Республики Армения",
    "TJ": "Республики Таджикистан",
}

# (nominative, genitive) of a body's name; {city} is a city in the genitive, {region} a region
# in the genitive, {adjective} a region's adjective, {n} a number.
_MUNICIPAL_BODIES = (
    ("Администрация г. {city}", "Администрации г. {city}"),
    ("Мэрия г. {city}", "Мэрии г. {city}"),
    ("Городская Дума г. {city}", "Городской Думы г. {city}"),
    (
        "Управление образования администрации г. {city}",
        "Управления образования администрации г. {city}",
    ),
    (
        "Управление здравоохранения администрации г. {city}",
        "Управления здравоохранения администрации г. {city}",
    ),
    (
        "Комитет по физической культуре и спорту администрации г. {city}",
        "Комитета по физической культуре и спорту администрации г. {city}",
    ),
    ("Молодёжный совет г. {city}", "Молодёжного совета г. {city}"),
    ("ГБУЗ «Городская поликлиника № {n}» г. {city}",) * 2,
    ("ГБУЗ «Городская больница № {n}» г. {city}",) * 2,
    ("МАОУ «Средняя общеобразовательная школа № {n}» г. {city}",) * 2,
    ("МБУ ДО «Спортивная школа № {n}» г. {city}",) * 2,
    ("АНО «Центр социальных инициатив г. {city}»",) * 2,
)
_REGIONAL_BODIES = (
    ("Министерство здравоохранения {region}", "Министерства здравоохранения {region}"),
    ("Министерство образования {region}", "Министерства образования {region}"),
    (
        "Министерство физической культуры и спорта {region}",
        "Министерства физической культуры и спорта {region}",
    ),
    ("Министерство социального развития {region}", "Министерства социального развития {region}"),
    ("Правительство {region}", "Правительства {region}"),
    ("Законодательное Собрание {region}", "Законодательного Собрания {region}"),
    ("Общественная палата {region}", "Общественной палаты {region}"),
    (
        "Территориальный фонд обязательного медицинского страхования {region}",
        "Территориального фонда обязательного медицинского страхования {region}",
    ),
    ("ГБУЗ «Центр общественного здоровья и медицинской профилактики {region}»",) * 2,
    (
        "Региональное отделение ВОД «Волонтеры-медики» {region}",
        "Регионального отделения ВОД «Волонтеры-медики» {region}",
    ),
)
_UNIVERSITIES = (
    ("ФГБОУ ВО «{adjective} государственный медицинский университет» Минздрава России",) * 2,
    ("{adjective} государственный университет", "{adjective_gen} государственного университета"),
    (
        "{adjective} государственный педагогический университет",
        "{adjective_gen} государственного педагогического университета",
    ),
)
_NGO_NAMES = (
    "Здоровое поколение", "Активное долголетие", "Город без барьеров", "Серебряный возраст",
    "Движение вперёд", "Забота", "Открытые сердца", "Шаг навстречу", "Молодая семья", "Вместе",
)  # fmt: skip
_NGOS = (
    ("АНО «{name}» г. {city}",) * 2,
    ("Благотворительный фонд «{name}» г. {city}", "Благотворительного фонда «{name}» г. {city}"),
)
_SHARED = (  # the few a real plan repeats in many rows
    ("дирекция Ассоциации", "дирекции Ассоциации"),
    (
        "органы власти муниципальных образований – члены Ассоциации",
        "органов власти муниципальных образований – членов Ассоциации",
    ),
    (
        "Министерство здравоохранения Российской Федерации",
        "Министерства здравоохранения Российской Федерации",
    ),
    ("партнеры Ассоциации", "партнеров Ассоциации"),
)
_VENUE_KINDS = ("ДК", "Дворец культуры", "Конгресс-холл", "КВЦ", "Дворец спорта", "Гостиница")
_VENUE_NAMES = (
    "Октябрь", "Юбилейный", "Металлург", "Россия", "Звёздный", "Дружба", "Энергетик", "Олимп",
    "Молодёжный", "Химик", "Горизонт", "Юность", "Экспофорум", "Сибирь", "Волга", "Север",
)  # fmt: skip
_NOT_A_CITY = (
    "Муниципальные образования – члены Ассоциации",
    "Офлайн/онлайн формат",
    "Электронная площадка Ассоциации",
    "Муниципальные образования – участники Конкурса",
)
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class _Places:
    """Russian cities (nominative, genitive) and foreign ones (name, country code)."""

    cities: tuple[tuple[str, str], ...]
    foreign: tuple[tuple[str, str], ...]


def _settlement_places() -> _Places:
    """The shipped settlements list: every Russian town whose genitive pymorphy3 knows (a
    geographical noun in the singular; names in -о stay as written, as official texts keep
    "г. Лыткарино"), and the towns of the neighbours a plan invites. `morphology` only turns
    names to the nominative, so its shared analyzer inflects them here."""
    from civicplan.plandoc.morphology import analyzer

    cities, foreign = [], []
    for line in SETTLEMENTS.read_text(encoding="utf-8").splitlines()[1:]:
        name, code, _population = line.split("\t")
        if code in _FOREIGN and " " not in name:
            foreign.append((name, code))
        if code != "RU" or " " in name:
            continue
        if name.endswith("о"):
            cities.append((name, name))
            continue
        parse = next(
            (
                p
                for p in analyzer().parse(name)
                if {"Geox", "NOUN", "sing"} in p.tag and p.tag.case == "nomn"
            ),
            None,
        )
        inflected = parse.inflect({"gent"}) if parse is not None else None
        if inflected is not None and inflected.word != name.lower():
            cities.append((name, _capitalised_as(name, inflected.word)))
    return _Places(tuple(cities), tuple(foreign))


def _capitalised_as(original: str, word: str) -> str:
    """ "ростова-на-дону" written as "Ростов-на-Дону" is: "Ростова-на-Дону"."""
    return "-".join(
        part.capitalize() if source[:1].isupper() else part
        for part, source in zip(word.split("-"), original.split("-"), strict=False)
    )


def _region_genitive(adjective: str, kind: str) -> str:
    stem = adjective[:-2]  # "Вологодский", "Тверской" -> "Вологодск", "Тверск"
    if kind == "край":
        return f"{stem}ого края"
    return f"{stem}ой {'области' if kind == 'область' else 'Республики'}"


def _body(rng: random.Random, places: _Places) -> tuple[str, str]:
    """One organisation, (nominative, genitive): mostly a municipality's body, then a region's,
    a university, an NGO, now and then one of the few every plan repeats."""
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(_SHARED)
    if roll < 0.6:
        templates = _MUNICIPAL_BODIES
    elif roll < 0.8:
        templates = _REGIONAL_BODIES
    elif roll < 0.9:
        templates = _UNIVERSITIES
    else:
        templates = _NGOS
    adjective, kind = rng.choice(_REGIONS)
    if rng.random() < 0.15:
        region = f"Республики {rng.choice(_REPUBLICS)}"
    else:
        region = _region_genitive(adjective, kind)
    words = {
        "city": rng.choice(places.cities)[1],
        "region": region,
        "adjective": adjective,
        "adjective_gen": adjective[:-2] + "ого",
        "n": rng.randint(1, 60),
        "name": rng.choice(_NGO_NAMES),
    }
    nominative, genitive = rng.choice(templates)
    return nominative.format(**words), genitive.format(**words)


def _varied_responsible(rng: random.Random, places: _Places) -> str:
    """1-4 organisations, laid out as plans do: a plain list, "Организаторы: …", a second
    group after a semicolon, "(организатор)", or "при поддержке" and the genitive."""
    bodies: list[tuple[str, str]] = []
    for _ in range(rng.choices((1, 2, 3, 4), weights=(25, 35, 25, 15))[0]):
        body = _body(rng, places)
        if body not in bodies:
            bodies.append(body)
    names = [nominative for nominative, _ in bodies]
    layout = rng.random()
    if len(bodies) > 1 and layout < 0.15:
        supporters = rng.randint(1, min(2, len(bodies) - 1))
        return (
            ", ".join(names[:-supporters])
            + ", при поддержке "
            + ", ".join(genitive for _, genitive in bodies[-supporters:])
        )
    if len(bodies) > 1 and layout < 0.3:
        cut = rng.randint(1, len(bodies) - 1)
        return f"Организаторы: {', '.join(names[:cut])}; {', '.join(names[cut:])}"
    if layout < 0.45:
        return f"Организаторы: {', '.join(names)}"
    if len(bodies) > 1 and layout < 0.5:
        return f"{names[0]} (организатор); {', '.join(names[1:])}"
    return ", ".join(names)


def _varied_place(rng: random.Random, places: _Places) -> str:
    """A town (mostly marked "г."), often with a venue, sometimes two towns, a neighbour's
    town with its country, or no town at all."""
    city, city_genitive = rng.choice(places.cities)
    roll = rng.random()
    if roll < 0.4:
        return f"г. {city}"
    if roll < 0.6:
        venue = f"{rng.choice(_VENUE_KINDS)} «{rng.choice(_VENUE_NAMES)}»"
        if rng.random() < 0.2:
            venue = f"Администрация г. {city_genitive}"
        return f"г. {city}, {venue}"
    if roll < 0.68:
        return f"г. {city}, г. {rng.choice(places.cities)[0]}"
    if roll < 0.74:
        town, code = rng.choice(places.foreign)
        return f"г. {town} {_FOREIGN[code]}"
    if roll < 0.82:
        return city
    if roll < 0.88:
        return f"г. {city}, онлайн-трансляция"
    if roll < 0.97:
        return rng.choice(_NOT_A_CITY)
    return ""


@dataclass
class _When:
    """The random parts one generated time frame is built from."""

    rng: random.Random
    year: int
    month: int
    days: int
    day: int
    suffix: str
    dash: str
    later: int

    @property
    def of_month(self) -> str:
        return MONTHS_GENITIVE[self.month]

    @property
    def month_name(self) -> str:
        return MONTHS_NOMINATIVE[self.month]


def _span_across_months(w: _When) -> str:
    first, last = w.rng.randint(w.days - 3, w.days), w.rng.randint(1, 4)
    return f"{first} {w.of_month} – {last} {MONTHS_GENITIVE[w.month + 1]}{w.suffix}"


_HALVES = ("Первое полугодие", "Второе полугодие", "I полугодие", "II полугодие")
# (share up to, whether it fits, the shape): tried in order until the roll is under the share.
_SHAPES: tuple[tuple[float, Callable[[_When], bool], Callable[[_When], str]], ...] = (
    (0.2, lambda w: True, lambda w: f"{w.day} {w.of_month}{w.suffix}"),
    (
        0.35,
        lambda w: True,
        lambda w: f"{w.day}{w.dash}{w.day + w.rng.randint(1, 3)} {w.of_month}{w.suffix}",
    ),
    (0.42, lambda w: w.month < 11, _span_across_months),
    (0.55, lambda w: True, lambda w: f"{w.month_name.capitalize()}{w.suffix}"),
    (
        0.65,
        lambda w: w.later > w.month,
        lambda w: f"{w.month_name.capitalize()}{w.dash}{MONTHS_NOMINATIVE[w.later]}{w.suffix}",
    ),
    (
        0.73,
        lambda w: True,
        lambda w: f"{w.rng.choice((*_ROMAN, '1', '2', '3', '4'))} квартал{w.suffix}",
    ),
    (0.8, lambda w: True, lambda w: f"{w.rng.choice(_HALVES)}{w.suffix}"),
    (
        0.86,
        lambda w: True,
        lambda w: w.rng.choice(("В течение года", f"В течение {w.year} г.", "в течение года")),
    ),
    (
        0.93,
        lambda w: True,
        lambda w: f"{w.rng.choice(('до', 'не позднее'))} {w.day} {w.of_month}{w.suffix}",
    ),
    (0.96, lambda w: True, lambda w: f"{w.rng.choice(_ROMAN[:3])} декада {w.of_month}"),
    (0.98, lambda w: True, lambda w: f"{w.day:02d}.{w.month + 1:02d}.{w.year}"),
    (1.0, lambda w: True, lambda w: w.rng.choice(("Ежемесячно", "Ежеквартально"))),
)


def _varied_timeframe(rng: random.Random, year: int) -> str:
    """Days, spans of days (across months too), months, quarters, half-years, the whole year,
    deadlines, decades, recurrences: with and without the year, with hyphens and dashes."""
    month = rng.randrange(12)
    days = calendar.monthrange(year, month + 1)[1]
    when = _When(
        rng=rng,
        year=year,
        month=month,
        days=days,
        day=rng.randint(1, days - 3),
        suffix=rng.choice((f" {year} г.", f" {year} г.", "")),
        dash=rng.choice(("-", "–", " – ")),
        later=min(month + rng.randint(1, 3), 11),
    )
    roll = rng.random()
    return next(build(when) for share, fits, build in _SHAPES if roll < share and fits(when))


def varied_plan(rows: int, seed: int = 2025, year: int = 2025) -> tuple[list[str], list[Block]]:
    """`rows` rows laid out as `generated_plan` lays them out, but with responsible cells of
    1-4 organisations composed from a kind of body and a town or region (most never seen
    before in the plan), venues in many towns, and time frames of every shape plans use."""
    rng = random.Random(seed)
    places = _settlement_places()
    table = Table([list(HEADER), Merged("ОРГАНИЗАЦИОННАЯ И ПРОЕКТНАЯ ДЕЯТЕЛЬНОСТЬ АССОЦИАЦИИ")])
    for number in range(rows):
        _half_year_heading(table, number, rows)
        table.rows.append(
            [
                _varied_timeframe(rng, year),
                _activity_cell(rng),
                _varied_place(rng, places),
                _varied_responsible(rng, places),
            ]
        )
    return _generated_title(year), [table, *_GENERATED_TAIL]


def varied_docx(rows: int, seed: int = 2025) -> bytes:
    """A varied DOCX plan of `rows` rows, in the layout of `generated_docx`."""
    return build_docx(*varied_plan(rows, seed))

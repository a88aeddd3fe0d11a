"""The XLSX and CSV writers: an exported workbook reads back to the same plan, its layout is
what people and the importer expect, and the CSV opens right in Excel and in code."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles.numbers import is_date_format

from civicplan.plandoc import read_plan
from civicplan.plandoc.jsonio import plan_from_json, plan_to_json
from civicplan.plandoc.layout import exported_roles
from civicplan.plandoc.model import PlanDocument
from civicplan.plandoc.readers.text import clean
from civicplan.plandoc.writers import csv as csv_writer
from civicplan.plandoc.writers import write_plan
from civicplan.plandoc.writers import xlsx as xlsx_writer
from civicplan.plandoc.writers.table import HEADERS
from tests.plandoc.builders import generated_docx, seed_docx
from tests.plandoc.builders import seed_xlsx as seed_xlsx_as_people_lay_it_out

LIBREOFFICE_DOCX = Path(__file__).parents[1] / "data" / "plan-2024.libreoffice.docx"
HEADER_LINE = "Сроки\tМероприятия\tМесто проведения\tОтветственный"


@pytest.fixture(scope="module")
def seed_plan(seed_bytes: bytes) -> PlanDocument:
    return read_plan(seed_bytes, "plan-2024.txt")


@pytest.fixture(scope="module")
def seed_xlsx(seed_plan: PlanDocument) -> bytes:
    return xlsx_writer.write(seed_plan)


@pytest.fixture(scope="module")
def seed_csv_rows(seed_plan: PlanDocument) -> list[dict[str, str]]:
    text = csv_writer.write(seed_plan).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def round_trip(plan: PlanDocument) -> dict[str, Any]:
    return plan_to_json(read_plan(xlsx_writer.write(plan), "x.xlsx"))


def sheet_of(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def header_row(sheet: Any) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "№")


# -- XLSX: the seed --------------------------------------------------------------------------------


def test_the_importer_takes_the_original_columns_not_the_parsed_ones() -> None:
    roles = exported_roles(tuple(header.lower() for header in HEADERS))
    assert roles is not None
    assert roles[:5] == ("number", "when", "title", "place", "responsible")
    assert set(roles[5:]) == {"skip"}


def test_seed_reads_back_to_the_same_plan(seed_plan: PlanDocument, seed_xlsx: bytes) -> None:
    expected = plan_to_json(seed_plan)
    assert round_trip(seed_plan) == expected
    # The parts a flat table would lose are really there: sections, footnotes, the plan's note.
    assert len(expected["activities"]) == 37
    assert {tuple(a["section"]) for a in expected["activities"]} >= {
        (expected["activities"][0]["section"][0], "1 ПОЛУГОДИЕ"),
        (expected["activities"][0]["section"][0], "II ПОЛУГОДИЕ"),
    }
    assert sum(1 for a in expected["activities"] if a["notes"]) == 2
    assert len(expected["notes"]) == 1


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("plan-2024.docx", seed_docx),
        ("plan-2024.libreoffice.docx", lambda: LIBREOFFICE_DOCX.read_bytes()),
        ("plan-2024.xlsx", seed_xlsx_as_people_lay_it_out),
        ("generated.docx", lambda: generated_docx(120)),
    ],
)
def test_plans_read_from_other_formats_read_back_the_same(name: str, make: Any) -> None:
    plan = read_plan(make(), name)
    assert round_trip(plan) == plan_to_json(plan)


def test_write_plan_picks_the_xlsx_and_csv_writers(seed_plan: PlanDocument) -> None:
    assert write_plan(seed_plan, "xlsx").startswith(b"PK\x03\x04")
    assert write_plan(seed_plan, "csv").startswith(codecs.BOM_UTF8 + "№,Сроки".encode())


def test_seed_layout(seed_plan: PlanDocument, seed_xlsx: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(seed_xlsx))
    assert workbook.sheetnames == ["План 2024"]
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == seed_plan.title
    header = header_row(sheet)
    assert header == 2
    assert [cell.value for cell in sheet[header]] == list(HEADERS)
    assert all(cell.font.bold for cell in sheet[header])
    assert sheet.freeze_panes == f"C{header + 1}"
    activity_rows = [
        row[0].row for row in sheet.iter_rows(min_row=header + 1) if isinstance(row[0].value, int)
    ]
    assert len(activity_rows) == 37
    assert sheet.auto_filter.ref == f"A{header}:X{activity_rows[-1]}"
    assert sheet.column_dimensions["C"].width == 60
    assert sheet.cell(activity_rows[0], 3).alignment.wrap_text
    # The section and the half-years are rows merged across the table.
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {f"A{header + 1}:X{header + 1}", f"A{header + 2}:X{header + 2}"} <= merged
    assert sheet.cell(header + 2, 1).value == "1 ПОЛУГОДИЕ"


def test_dates_are_real_excel_dates(seed_plan: PlanDocument, seed_xlsx: bytes) -> None:
    sheet = sheet_of(seed_xlsx)
    header = header_row(sheet)
    start, end = HEADERS.index("Начало") + 1, HEADERS.index("Окончание") + 1
    first = header + 3  # under the section and "1 ПОЛУГОДИЕ"
    for column, expected in ((start, date(2024, 2, 28)), (end, date(2024, 2, 28))):
        cell = sheet.cell(first, column)
        assert isinstance(cell.value, datetime)
        assert cell.value.date() == expected
        assert cell.number_format == "DD.MM.YYYY"
        assert is_date_format(cell.number_format)
    # A month: the first and the last day.
    assert sheet.cell(first + 1, start).value == datetime(2024, 3, 1)
    assert sheet.cell(first + 1, end).value == datetime(2024, 3, 31)


def test_parsed_columns_of_a_row(seed_xlsx: bytes) -> None:
    sheet = sheet_of(seed_xlsx)
    header = header_row(sheet)
    rows = {
        row[0]: dict(zip(HEADERS, row, strict=True))
        for row in sheet.iter_rows(min_row=header + 1, values_only=True)
        if isinstance(row[0], int)
    }
    cherepovets = rows[1]
    assert cherepovets["Сроки"] == "28 февраля 2024 г."
    assert cherepovets["Города"] == "Череповец"
    assert cherepovets["Регионы"] == "Вологодская область"
    assert cherepovets["Страны"] == "Россия"
    assert (
        cherepovets["Точность"],
        cherepovets["Вид"],
        cherepovets["Участие"],
        cherepovets["Формат"],
    ) == (
        "day",
        "conference",
        "organiser",
        "offline",
    )
    assert cherepovets["Подраздел"] == "1 ПОЛУГОДИЕ"
    telethon = rows[10]
    assert "при поддержке" in telethon["Ответственный"]
    assert "Совет Федерации" in telethon["При поддержке"]
    # The footnoted row: a mark after its title, the text in «Сноски» and under the table.
    footnoted = rows[32]
    assert footnoted["Мероприятия"].endswith("Ассоциации ¹")
    assert footnoted["Сноски"].startswith("В соответствии с предложениями")
    assert rows[37]["Место проведения"] is None  # an empty venue is an empty cell
    texts = [row[0] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)]
    assert any(text.startswith("¹ В соответствии") for text in texts)


# -- XLSX: edges --------------------------------------------------------------------------------


def tsv_plan(lines: list[str], title: str = "ПЛАН НА 2025 ГОД") -> PlanDocument:
    text = "\n".join([title, HEADER_LINE, *lines]) + "\n"
    return read_plan(text.encode("utf-8"), "plan.txt")


def test_short_notes_between_rows_go_under_the_table_in_their_order() -> None:
    long_note = "Предоставление информации о мероприятиях муниципальных образований на адрес " * 2
    plan = tsv_plan(
        [
            "Март\tКонференция «А»\tг. Пермь\tдирекция Ассоциации",
            long_note,
            "Апрель\tФорум «Б»\tг. Москва\tдирекция Ассоциации",
            "Внимание!",  # short: inside the table it would read as a heading
            "Май\tСеминар «В»\t\t",
            long_note + "(повторно)",
            "Июнь\tСовещание\tОнлайн\tдирекция Ассоциации",
            "Подпись: директор",
        ]
    )
    assert [note.after for note in plan.notes] == [1, 2, 3, 4]
    assert round_trip(plan) == plan_to_json(plan)
    sheet = sheet_of(xlsx_writer.write(plan))
    column_a = [row[0] for row in sheet.iter_rows(values_only=True)]
    # The long note keeps its place; from the short one on, the notes follow the table.
    assert column_a.index(clean(long_note)) < column_a.index(2)
    assert column_a.index("Внимание!") > column_a.index(4)


def test_section_changes_are_headings() -> None:
    plan = tsv_plan(
        [
            "РАЗДЕЛ ПЕРВЫЙ\t\t\t",
            "I квартал\t\t\t",
            "Март\tКонференция «А»\tг. Пермь\tдирекция Ассоциации",
            "Раздел второй, со строчными буквами и длинный, длиннее восьмидесяти знаков, чтобы "
            "читаться только как объединённая строка\t\t\t",
            "Апрель\tФорум «Б»\tг. Москва\tдирекция Ассоциации",
            "II квартал\t\t\t",
            "Май\tСеминар «В»\t\t",
        ]
    )
    sections = [tuple(a["section"]) for a in plan_to_json(plan)["activities"]]
    assert sections[0] == ("РАЗДЕЛ ПЕРВЫЙ", "I квартал")
    assert sections[1][1] is None
    assert sections[2] == (sections[1][0], "II квартал")
    assert round_trip(plan) == plan_to_json(plan)


def test_formula_like_and_control_characters_are_plain_text() -> None:
    plan = tsv_plan(['Март\t=HYPERLINK("http://x")\x01 и\t@г. Пермь\t+7 дирекция'])
    data = xlsx_writer.write(plan)
    sheet = sheet_of(data)
    cell = sheet.cell(header_row(sheet) + 1, 3)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x") и'
    assert round_trip(plan)["activities"][0]["title"] == '=HYPERLINK("http://x") и'


def test_a_plan_from_json_lists_its_responsible_names() -> None:
    source = tsv_plan(["Март\tКонференция\tг. Пермь\tМэрия г. Перми, дирекция Ассоциации"])
    plan = plan_from_json(plan_to_json(source))  # the JSON keeps no cell text
    sheet = sheet_of(xlsx_writer.write(plan))
    names = [party.name for party in plan.activities[0].responsible]
    assert names == ["Мэрия г. Перми", "Дирекция Ассоциации"]
    assert sheet.cell(header_row(sheet) + 1, 5).value == ", ".join(names)


def test_an_untitled_plan_starts_with_its_header() -> None:
    plan = read_plan(f"{HEADER_LINE}\nМарт 2025 г.\tКонференция\t\t\n".encode(), "plan.txt")
    data = xlsx_writer.write(plan)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["План 2025"]  # no title: the year its rows give
    assert workbook.worksheets[0]["A1"].value == "№"
    assert workbook.worksheets[0].freeze_panes == "C2"
    assert round_trip(plan) == plan_to_json(plan)


# -- XLSX: generated plans ----------------------------------------------------------------------

LETTERS = "абвгдеёжзиклмнопрстуфхцчшщыэюяАБВГДЕЖЗИКЛМНОПРСТУФХЭЮЯabcXYZ"
ODD = " «»\"'-–—,;:.()/№=+@!?%&<>0123456789¹²"
WHEN = (
    "28 февраля 2025 г.",
    "Март 2025 г.",
    "4-5 апреля",
    "30 сентября – 2 октября 2025 г.",
    "I квартал",
    "Первое полугодие 2025 г.",
    "В течение 2025 г.",
    "до 15 марта",
    "ежемесячно",
    "по согласованию",
    "12.03.2025",
    "декабрь – январь",
    "—",
    "-",
    "весна",
    "31 февраля 2025 г.",
)
PLACES = (
    "г. Череповец Вологодской области",
    "г. Москва, Общественная палата РФ",
    "г. Санкт-Петербург, КВЦ «Экспофорум»",
    "Муниципальные образования – члены Ассоциации",
    "Офлайн/онлайн формат",
    "Электронная площадка Ассоциации",
    "г. Астана Республики Казахстан",
)
PARTIES = (
    "дирекция Ассоциации",
    "Дирекция Ассоциации",
    "дирекция Ассоциация",
    "Мэрия г. Череповца",
    "Фонд Росконгресс (организатор)",
    "Организаторы: Министерство здравоохранения Российской Федерации",
    "при поддержке Совета Федерации ФС РФ, Общественной палаты РФ",
    "АНО «Здоровье 360»",
    'ООО "Ромашка"',
    "органы власти муниципальных образований – члены Ассоциации",
)
HEADINGS = ("1 ПОЛУГОДИЕ", "II ПОЛУГОДИЕ", "II квартал", "Январь")


def text(min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    """Cell text with quotes, dashes and marks, that has a letter (a reader skips rows of bare
    numbers) and no tab or line break (TSV)."""
    return st.text(LETTERS + ODD, min_size=min_size, max_size=max_size).filter(
        lambda value: any(char.isalpha() for char in clean(value))
    )


long_text = st.one_of(
    st.lists(text(max_size=80), min_size=4, max_size=15).map(" ".join),
    text(min_size=200, max_size=600),
)
cell = st.one_of(text(), long_text)
when_cell = st.one_of(st.sampled_from(WHEN), text(max_size=30))
place_cell = st.one_of(st.just(""), st.sampled_from(PLACES), cell)
responsible_cell = st.one_of(
    st.just(""),
    st.lists(st.sampled_from(PARTIES), min_size=1, max_size=4).map(", ".join),
    st.lists(st.sampled_from(PARTIES), min_size=2, max_size=4).map("; ".join),
    cell,
)
mark = st.sampled_from(["", "", "", " ¹", " ²", "¹", " *"])


@st.composite
def activity_line(draw: st.DrawFn) -> str:
    cells = (draw(when_cell), draw(cell) + draw(mark), draw(place_cell), draw(responsible_cell))
    return "\t".join(cells)


@st.composite
def heading_line(draw: st.DrawFn) -> str:
    heading = draw(st.one_of(st.sampled_from(HEADINGS), cell.map(str.upper), long_text))
    first = next(char for char in heading if char.isalpha())  # no mark or digit first
    return heading[heading.index(first) :] + "\t\t\t"


note_line = st.one_of(long_text, text()).filter(lambda value: clean(value)[:1].isalpha())
footnote_line = st.tuples(st.sampled_from(["¹", "²", "*"]), long_text).map(" ".join)


@st.composite
def tsv_plans(draw: st.DrawFn) -> bytes:
    year = draw(st.sampled_from(["НА 2025 ГОД", "на март 2025 года", "2024", ""]))
    title = draw(st.one_of(st.just(""), text())) + " " + year
    lines = [title, HEADER_LINE]
    blocks = st.one_of(
        activity_line(),
        activity_line(),
        activity_line(),
        heading_line(),
        note_line,
        footnote_line,
    )
    lines += draw(st.lists(blocks, min_size=1, max_size=15))
    lines.append(draw(activity_line()))
    lines += draw(st.lists(st.one_of(note_line, footnote_line), max_size=3))
    return "\n".join(lines).encode("utf-8")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(tsv_plans())
def test_generated_plans_read_back_the_same(data: bytes) -> None:
    plan = read_plan(data, "plan.txt")
    assert round_trip(plan) == plan_to_json(plan)


# -- CSV ----------------------------------------------------------------------------------------


def test_csv_starts_with_the_bom_and_opens_as_utf8(seed_plan: PlanDocument) -> None:
    data = csv_writer.write(seed_plan)
    assert data.startswith(codecs.BOM_UTF8)
    assert not data[3:].startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    first = next(csv.reader(io.StringIO(text, newline="")))[0]
    assert first == "№"  # no "\ufeff№": the mark is not part of the first header
    lines = text.split("\r\n")
    assert len(lines) == 1 + 37 + 1  # CRLF after every row, the last too
    assert lines[-1] == ""
    assert "\n" not in text.replace("\r\n", "")


def test_csv_has_the_xlsx_columns_and_one_row_per_activity(
    seed_csv_rows: list[dict[str, str]], seed_xlsx: bytes
) -> None:
    sheet = sheet_of(seed_xlsx)
    assert tuple(seed_csv_rows[0]) == tuple(cell.value for cell in sheet[header_row(sheet)])
    assert len(seed_csv_rows) == 37
    assert [row["№"] for row in seed_csv_rows] == [str(n) for n in range(1, 38)]


def test_csv_values(seed_csv_rows: list[dict[str, str]]) -> None:
    first = seed_csv_rows[0]
    assert (first["Начало"], first["Окончание"]) == ("2024-02-28", "2024-02-28")
    assert seed_csv_rows[1]["Окончание"] == "2024-03-31"
    assert first["Мероприятия"].startswith("Региональная конференция «Укрепление")
    assert first["Раздел"].startswith("ОРГАНИЗАЦИОННАЯ")
    assert first["Подраздел"] == "1 ПОЛУГОДИЕ"
    assert seed_csv_rows[36]["Место проведения"] == ""
    assert seed_csv_rows[36]["Формат"] == ""
    # The footnote is in «Сноски», and no mark is left in the title.
    assert seed_csv_rows[31]["Сноски"].startswith("В соответствии")
    assert seed_csv_rows[31]["Мероприятия"].endswith("Ассоциации")
    for row in seed_csv_rows:
        for column in ("Начало", "Окончание"):
            assert row[column] == "" or date.fromisoformat(row[column])


def test_csv_quotes_commas_quotes_and_line_breaks() -> None:
    plan = tsv_plan(['Март\tФорум «А», "Б" и C\tг. Пермь\tдирекция Ассоциации'])
    plan.activities[0].notes = ["первая сноска", 'вторая, с "кавычками"']
    data = csv_writer.write(plan)
    assert '"Форум «А», ""Б"" и C"'.encode() in data
    (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert row["Мероприятия"] == 'Форум «А», "Б" и C'
    assert row["Сноски"] == 'первая сноска\nвторая, с "кавычками"'


def test_csv_cells_never_run_as_formulas() -> None:
    plan = tsv_plan(['-\t=HYPERLINK("http://x")\t@г. Пермь\t+7 дирекция'])
    (row,) = csv.DictReader(io.StringIO(csv_writer.write(plan).decode("utf-8-sig"), newline=""))
    assert row["Мероприятия"] == '\'=HYPERLINK("http://x")'
    assert row["Место проведения"] == "'@г. Пермь"
    assert row["Ответственный"] == "'+7 дирекция"
    assert row["Сроки"] == "-"  # a lone dash is text to Excel

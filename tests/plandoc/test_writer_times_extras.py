"""Times of day and extra fields in every export: a plan whose rows give times («15.03.2026
10:00», «с 11-00 до 14-00») and whose table has columns of no known role (participants,
expected result, mark of completion) reads back from its JSON, XLSX and DOCX with the same times
and the same extra fields under the same headers; the CSV and the PDF show them too."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import replace
from datetime import time

import openpyxl
import pytest

from civicplan.plandoc import PlanDocument, read_plan
from civicplan.plandoc.jsonio import plan_from_json, plan_to_json
from civicplan.plandoc.layout import exported_roles
from civicplan.plandoc.writers import csv as csv_writer
from civicplan.plandoc.writers import docx as docx_writer
from civicplan.plandoc.writers import pdf as pdf_writer
from civicplan.plandoc.writers import xlsx as xlsx_writer
from civicplan.plandoc.writers.table import (
    HEADERS,
    OFFICIAL_WIDTHS,
    columns_for,
    official_columns,
)
from tests.plandoc.test_writer_docx import part, reading, text_of
from tests.plandoc.test_writer_pdf import norm, render, table_rows

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
EXTRA_HEADERS = ["Участники", "Ожидаемый результат", "Отметка о выполнении"]
SOURCE = "\n".join(
    [
        "ПЛАН МЕРОПРИЯТИЙ НА 2026 ГОД",
        "\t".join(["Сроки", "Мероприятия", "Место проведения", "Ответственный", *EXTRA_HEADERS]),
        "15.03.2026 10:00\tКонференция «Здоровый город»\tг. Пермь\tМэрия г. Перми"
        "\tспециалисты администраций, 120 человек\tрезолюция конференции\t",
        "22.05.2026 г. с 11-00 до 14-00\tСеминар для координаторов\tонлайн"
        "\tДирекция Ассоциации\tкоординаторы\t\tвыполнено",
        "Март 2026 г.\tВыставка «Здоровье»\tг. Москва\tДирекция Ассоциации\t\tкаталог выставки\t",
        "",
    ]
)


@pytest.fixture(scope="module")
def plan() -> PlanDocument:
    return read_plan(SOURCE.encode("utf-8"), "plan.txt")


def test_the_source_plan_has_times_and_extra_fields(plan: PlanDocument) -> None:
    """The premise of the round trips below (the reading is another module's)."""
    conference, seminar, exhibition = plan.activities
    assert (conference.when.start_time, conference.when.end_time) == (time(10), None)
    assert (seminar.when.start_time, seminar.when.end_time) == (time(11), time(14))
    assert conference.extra == [
        ("Участники", "специалисты администраций, 120 человек"),
        ("Ожидаемый результат", "резолюция конференции"),
    ]
    assert seminar.extra == [("Участники", "координаторы"), ("Отметка о выполнении", "выполнено")]
    assert exhibition.extra == [("Ожидаемый результат", "каталог выставки")]


# -- JSON -----------------------------------------------------------------------------------------


def test_json_carries_times_and_extra_fields(plan: PlanDocument) -> None:
    data = plan_to_json(plan)
    assert data["format"] == "civicplan.plan/1"
    conference, seminar, exhibition = data["activities"]
    assert conference["when"]["start_time"] == "10:00"
    assert conference["when"]["end_time"] is None
    assert (seminar["when"]["start_time"], seminar["when"]["end_time"]) == ("11:00", "14:00")
    assert exhibition["when"]["start_time"] is None
    assert conference["extra"] == [
        {"header": "Участники", "text": "специалисты администраций, 120 человек"},
        {"header": "Ожидаемый результат", "text": "резолюция конференции"},
    ]
    assert exhibition["extra"] == [{"header": "Ожидаемый результат", "text": "каталог выставки"}]
    back = plan_from_json(data)
    assert plan_to_json(back) == data
    assert back.activities[1].when.end_time == time(14)
    assert back.activities[1].extra == plan.activities[1].extra


def test_json_without_the_later_keys_still_reads(plan: PlanDocument) -> None:
    """A civicplan.plan/1 document written before times and extra fields existed."""
    data = plan_to_json(plan)
    for item in data["activities"]:
        del item["extra"], item["when"]["start_time"], item["when"]["end_time"]
    back = plan_from_json(data)
    assert [activity.extra for activity in back.activities] == [[], [], []]
    assert {activity.when.start_time for activity in back.activities} == {None}


# -- XLSX and CSV ---------------------------------------------------------------------------------


def test_xlsx_reads_back_with_the_same_times_and_extra_fields(plan: PlanDocument) -> None:
    back = read_plan(xlsx_writer.write(plan), "plan.xlsx")
    assert reading(back) == reading(plan)  # the JSON: times and extra fields included
    assert back.activities[1].extra == plan.activities[1].extra


def test_xlsx_columns_times_and_extras(plan: PlanDocument) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_writer.write(plan))).worksheets[0]
    header = [cell.value for cell in sheet[2]]
    assert header == [*HEADERS, *EXTRA_HEADERS]
    assert HEADERS.index("Время начала") == HEADERS.index("Окончание") + 1
    assert HEADERS.index("Время окончания") == HEADERS.index("Окончание") + 2
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=3, values_only=True)
        if isinstance(row[0], int)
    }
    assert (rows[1]["Время начала"], rows[1]["Время окончания"]) == (time(10), None)
    assert (rows[2]["Время начала"], rows[2]["Время окончания"]) == (time(11), time(14))
    assert rows[2]["Сроки"] == "22.05.2026 г. с 11-00 до 14-00"  # the times as written, too
    start = HEADERS.index("Время начала") + 1
    assert sheet.cell(3, start).number_format == "HH:MM"
    assert rows[1]["Участники"] == "специалисты администраций, 120 человек"
    assert rows[1]["Отметка о выполнении"] is None
    assert rows[3]["Ожидаемый результат"] == "каталог выставки"
    # The importer skips the parsed columns and takes every column after them as extra.
    roles = exported_roles(tuple(header.lower() for header in [*HEADERS, *EXTRA_HEADERS]))
    assert roles is not None
    assert roles[-3:] == ("other", "other", "other")


def test_csv_columns_times_and_extras(plan: PlanDocument) -> None:
    data = csv_writer.write(plan)
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == [*HEADERS, *EXTRA_HEADERS]
    assert (rows[0]["Время начала"], rows[0]["Время окончания"]) == ("10:00", "")
    assert (rows[1]["Время начала"], rows[1]["Время окончания"]) == ("11:00", "14:00")
    assert rows[1]["Участники"] == "координаторы"
    assert rows[1]["Ожидаемый результат"] == ""


def test_one_column_per_header_several_texts_joined(plan: PlanDocument) -> None:
    activity = replace(
        plan.activities[0], extra=[("Примечание", "первое"), ("Примечание", "второе")]
    )
    twice = PlanDocument("План", 2026, [activity])
    columns = columns_for(twice.activities)
    assert [column.header for column in columns[len(HEADERS) :]] == ["Примечание"]
    assert columns[-1].value(twice.activities[0]) == "первое; второе"
    rows = list(csv.reader(io.StringIO(csv_writer.write(twice).decode("utf-8-sig"))))
    assert rows[1][-1] == "первое; второе"


def test_a_header_like_a_formula_is_inert_in_the_csv(plan: PlanDocument) -> None:
    odd = PlanDocument("План", 2026, [replace(plan.activities[2], extra=[("=СУММ(A1)", "x")])])
    header = next(csv.reader(io.StringIO(csv_writer.write(odd).decode("utf-8-sig"))))
    assert header[-1] == "'=СУММ(A1)"


# -- DOCX and PDF: the official layout -------------------------------------------------------------


def test_docx_reads_back_with_the_same_times_and_extra_fields(plan: PlanDocument) -> None:
    back = read_plan(docx_writer.write(plan), "plan.docx")
    assert reading(back) == reading(plan)
    assert [activity.extra for activity in back.activities] == [
        activity.extra for activity in plan.activities
    ]


def test_docx_adds_a_column_per_extra_header_after_the_four(plan: PlanDocument) -> None:
    body = part(docx_writer.write(plan), "word/document.xml")
    (table,) = body.findall(".//w:tbl", NS)
    header, *rows = table.findall("w:tr", NS)
    assert [text_of(cell) for cell in header.findall("w:tc", NS)] == [
        *docx_writer.COLUMNS,
        *EXTRA_HEADERS,
    ]
    widths = [int(col.get(f"{W}w")) for col in table.findall("w:tblGrid/w:gridCol", NS)]
    assert len(widths) == 7
    assert sum(widths) == sum(OFFICIAL_WIDTHS)  # still the text's width
    assert widths[4:] == [widths[4]] * 3
    cells = [[text_of(cell) for cell in row.findall("w:tc", NS)] for row in rows]
    conference = next(row for row in cells if row[1].startswith("Конференция"))
    assert conference[0] == "15.03.2026 10:00"  # the times are in the time frame as written
    assert conference[4:] == ["специалисты администраций, 120 человек", "резолюция конференции", ""]
    # A heading row spans every column.
    spans = [int(span.get(f"{W}val")) for span in table.findall("w:tr/w:tc/w:tcPr/w:gridSpan", NS)]
    assert set(spans) <= {7}


def test_a_plan_without_extra_fields_keeps_the_four_columns(plan: PlanDocument) -> None:
    plain = PlanDocument("План", 2026, [])
    assert official_columns(plain.activities) == (list(docx_writer.COLUMNS), list(OFFICIAL_WIDTHS))
    headers, widths = official_columns(plan.activities)
    assert headers[4:] == EXTRA_HEADERS
    assert sum(widths) == sum(OFFICIAL_WIDTHS)
    assert widths[0] == OFFICIAL_WIDTHS[0]  # «Сроки» keeps its width
    assert widths[1] > widths[3] > widths[2] > widths[4]  # «Мероприятия» still the widest


def test_pdf_html_has_the_extra_columns(plan: PlanDocument) -> None:
    html = pdf_writer.render_html(plan)
    assert "<th>Ответственный</th><th>Участники</th><th>Ожидаемый результат</th>" in html
    assert html.count("<col ") == 7
    assert "<td>специалисты администраций, 120 человек</td>" in html
    assert "<td>22.05.2026 г. с 11-00 до 14-00</td>" in html


def test_pdf_table_has_the_extra_columns(plan: PlanDocument) -> None:
    rows = [row for page in table_rows(render(plan)) for row in page]
    assert [norm(cell) for cell in rows[0]] == [
        "Сроки",
        "Мероприятия",
        "Место проведения",
        "Ответственный",
        *EXTRA_HEADERS,
    ]
    seminar = next(row for row in rows if norm(row[1]).startswith("Семинар"))
    assert norm(seminar[0]).startswith("22.05.2026")
    # (a narrow column may break a long word: compared without spaces)
    assert norm(seminar[4]).replace(" ", "") == "координаторы"
    assert norm(seminar[6]).replace(" ", "") == "выполнено"

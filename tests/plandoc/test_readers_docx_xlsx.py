"""The DOCX and XLSX readers: the seed in every form reads as the text reader reads it, plans
laid out other ways read the same, and damaged or unsuitable files give a PlanReadError."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml

from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.readers import read_raw
from civicplan.timeframes import parse
from tests.conftest import only_expected_keys
from tests.plandoc.builders import (
    HEADER,
    Merged,
    Table,
    build_docx,
    build_xlsx,
    generated_docx,
    generated_plan,
    plan_blocks,
    seed_docx,
    seed_raw,
    seed_title_lines,
    seed_xlsx,
)

LIBREOFFICE_DOCX = Path(__file__).parents[1] / "data" / "plan-2024.libreoffice.docx"
FOOTNOTE = (
    "В соответствии с предложениями глав/мэров муниципальных образований - членов Ассоциации."
)
ROW = ["Март 2025 г.", "Региональная конференция", "г. Пермь", "дирекция Ассоциации"]


def content(document: RawDocument) -> list[tuple[Any, ...]]:
    """What a reading says, without the row numbers that differ between formats."""
    items: list[tuple[Any, ...]] = []
    for item in document.items:
        if isinstance(item, RawRow):
            items.append(("row", item.cells, item.footnotes))
        elif isinstance(item, RawHeading):
            items.append(("heading", item.text))
        else:
            items.append(("note", item.text))
    return items


def rows(document: RawDocument) -> list[RawRow]:
    return [item for item in document.items if isinstance(item, RawRow)]


def headings(document: RawDocument) -> list[str]:
    return [item.text for item in document.items if isinstance(item, RawHeading)]


def notes(document: RawDocument) -> list[str]:
    return [item.text for item in document.items if isinstance(item, RawNote)]


@pytest.fixture(scope="module")
def seed() -> RawDocument:
    return seed_raw()


SEED_FORMS = {
    "python-docx.docx": seed_docx,
    "libreoffice.docx": LIBREOFFICE_DOCX.read_bytes,
    "openpyxl.xlsx": seed_xlsx,
}


@pytest.fixture(scope="module", params=sorted(SEED_FORMS))
def seed_form(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    return request.param, SEED_FORMS[request.param]()


# -- the seed, in every form ----------------------------------------------------------------------


def test_seed_forms_read_like_the_text(seed_form: tuple[str, bytes], seed: RawDocument) -> None:
    name, data = seed_form
    document = read_raw(data, name)
    assert document.source == name
    assert document.title == seed.title
    assert headings(document) == headings(seed)
    assert notes(document) == notes(seed)
    assert [row.cells for row in rows(document)] == [row.cells for row in rows(seed)]
    assert [row.footnotes for row in rows(document)] == [row.footnotes for row in rows(seed)]
    assert content(document) == content(seed)  # and in the same order


def test_seed_title_is_the_three_bold_lines_joined(seed: RawDocument) -> None:
    assert len(seed_title_lines()) == 3
    assert read_raw(seed_docx(), "plan.docx").title == " ".join(seed_title_lines()) == seed.title


def test_cell_paragraphs_are_joined_with_one_space() -> None:
    document = read_raw(seed_docx(), "plan.docx")
    assert rows(document)[2].cells["title"] == (
        "Всероссийский форум «Здоровые города на страже здоровья семьи» с международным "
        "участием Общее собрание Ассоциации"
    )


def test_seed_forms_give_the_expected_json(
    seed_form: tuple[str, bytes], expected_plan: dict[str, Any]
) -> None:
    from civicplan.plandoc import read_plan
    from civicplan.plandoc.jsonio import plan_to_json

    name, data = seed_form
    actual = plan_to_json(read_plan(data, name))
    assert actual["plan"] == expected_plan["plan"]
    assert actual["notes"] == expected_plan["notes"]
    assert len(actual["activities"]) == len(expected_plan["activities"])
    for expected, activity in zip(expected_plan["activities"], actual["activities"], strict=True):
        assert only_expected_keys(expected, activity) == expected


def test_docx_row_numbers_are_table_rows() -> None:
    document = read_raw(seed_docx(), "plan.docx")
    assert [item.number for item in document.items[:3]] == [2, 3, 4]  # the header is row 1
    first, second = (row for row in rows(document) if row.footnotes)
    assert second.number == first.number + 1  # the table after the note goes on counting


def test_xlsx_row_numbers_are_excel_rows() -> None:
    document = read_raw(seed_xlsx(), "plan.xlsx")
    # three title rows, a blank row, the header in row 5
    assert [item.number for item in document.items[:3]] == [6, 7, 8]


# -- footnotes ------------------------------------------------------------------------------------


def _footnoted_plan(title: str) -> list[Table | str]:
    return [Table([list(HEADER), ["В течение 2025 г.", title, "г. Москва", "дирекция"]])]


@pytest.mark.parametrize(
    "options",
    [{}, {"ascii_marks": True}, {"mark_style": "Знак сноски"}],
    ids=["superscript ¹", "superscript 1", "style superscript"],
)
def test_superscript_marks_are_footnotes(options: dict[str, Any]) -> None:
    blocks = [*_footnoted_plan("Реализация проектов ¹"), f"¹ {FOOTNOTE}"]
    (row,) = rows(read_raw(build_docx(["План"], blocks, **options), "plan.docx"))
    assert row.cells["title"] == "Реализация проектов"
    assert row.footnotes == [FOOTNOTE]


def test_real_word_footnotes() -> None:
    data = build_docx(
        ["План"],
        _footnoted_plan("Реализация проектов[fn:1]"),
        footnotes={1: FOOTNOTE},
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"footnoteReference" in archive.read("word/document.xml")
        assert "word/footnotes.xml" in archive.namelist()
    (row,) = rows(read_raw(data, "plan.docx"))
    assert row.cells["title"] == "Реализация проектов"
    assert row.footnotes == [FOOTNOTE]  # not the separator "footnotes" Word writes first


def test_footnote_text_can_come_before_the_mark_and_marks_can_repeat() -> None:
    blocks = [
        Table([list(HEADER), ["Май 2025 г.", "Форум ¹", "г. Пермь", "дирекция ²"]]),
        f"¹ {FOOTNOTE}",
        "² По согласованию.",
        Table([["Июнь 2025 г.", "Конференция ¹", "г. Тверь", "дирекция"]]),
    ]
    document = read_raw(build_docx([], blocks), "plan.docx")
    assert [row.footnotes for row in rows(document)] == [[FOOTNOTE, "По согласованию."], [FOOTNOTE]]
    assert [row.cells["responsible"] for row in rows(document)] == ["дирекция", "дирекция"]
    assert document.title == ""


def test_xlsx_footnote_marks_and_texts() -> None:
    blocks = [
        Table([list(HEADER), ["В течение 2025 г.", "Реализация проектов ¹", "г. Москва", "Д"]]),
        f"¹ {FOOTNOTE}",
    ]
    (row,) = rows(read_raw(build_xlsx(["План"], blocks), "plan.xlsx"))
    assert row.cells["title"] == "Реализация проектов"
    assert row.footnotes == [FOOTNOTE]


# -- layouts --------------------------------------------------------------------------------------


def test_docx_header_not_in_the_first_row_after_another_table() -> None:
    approval = Table([["", "УТВЕРЖДАЮ"], ["", "Президент Ассоциации"]])
    plan = Table([Merged("ПЛАН НА 2025 ГОД"), ["", "", "", ""], list(HEADER), ROW])
    document = read_raw(build_docx([], [approval, "Согласовано", plan]), "plan.docx")
    assert document.title == "Согласовано ПЛАН НА 2025 ГОД"
    (row,) = rows(document)
    assert row.cells["title"] == "Региональная конференция"
    assert row.number == 6  # among all the document's table rows


def test_xlsx_header_below_title_rows() -> None:
    blocks: list[Table | str] = [Table([list(HEADER), ROW])]
    document = read_raw(
        build_xlsx(["УТВЕРЖДАЮ", "ПЛАН", "на 2025 год"], blocks, blank_rows_after_title=3), "p.xlsx"
    )
    assert document.title == "УТВЕРЖДАЮ ПЛАН на 2025 год"
    (row,) = rows(document)
    assert row.number == 8
    assert row.cells["place"] == "г. Пермь"


def test_xlsx_header_beyond_row_50_is_not_searched() -> None:
    blocks: list[Table | str] = [Table([list(HEADER), ROW])]
    data = build_xlsx(["ПЛАН"], blocks, blank_rows_after_title=60)
    with pytest.raises(PlanReadError, match="не найдена таблица плана"):
        read_raw(data, "p.xlsx")


ENGLISH = [
    ["Activity", "Venue", "Dates", "Responsible"],
    Merged("FIRST HALF"),
    ["Regional conference", "Perm", "March 2025", "Association"],
]


@pytest.mark.parametrize("build", [build_docx, build_xlsx], ids=["docx", "xlsx"])
def test_columns_in_another_order_with_english_names(build: Any) -> None:
    document = read_raw(build(["Plan"], [Table(list(ENGLISH))]), "plan")
    assert content(document) == [
        ("heading", "FIRST HALF"),
        (
            "row",
            {
                "title": "Regional conference",
                "place": "Perm",
                "when": "March 2025",
                "responsible": "Association",
            },
            [],
        ),
    ]


NUMBERED = [
    ["№ п/п", "Сроки", "Мероприятия", "Место проведения", "Ответственный", "Примечание"],
    ["1", "2", "3", "4", "5", "6"],
    Merged("I ПОЛУГОДИЕ"),
    ["1.", *ROW, "перенесено"],
    ["2.", "", "", "", "", ""],
    Merged("II ПОЛУГОДИЕ", number="II."),
    ["3.", "Июль 2025 г.", "Вебинар", "онлайн", "дирекция", ""],
]


@pytest.mark.parametrize("build", [build_docx, build_xlsx], ids=["docx", "xlsx"])
def test_number_and_remarks_columns_are_ignored(build: Any) -> None:
    document = read_raw(build(["План"], [Table(list(NUMBERED))]), "plan")
    # the "1 2 3 …" row and the row with a number only are not rows; a numbered heading is one
    assert headings(document) == ["I ПОЛУГОДИЕ", "II ПОЛУГОДИЕ"]
    assert [row.cells for row in rows(document)] == [
        dict(zip(("when", "title", "place", "responsible"), ROW, strict=True)),
        {
            "when": "Июль 2025 г.",
            "title": "Вебинар",
            "place": "онлайн",
            "responsible": "дирекция",
        },
    ]


@pytest.mark.parametrize("build", [build_docx, build_xlsx], ids=["docx", "xlsx"])
def test_a_row_without_time_frame_and_activity_continues_the_one_before(build: Any) -> None:
    table = Table(
        [list(HEADER), ["Сентябрь 2025 г.", "Форум", "г. Южно-Сахалинск", "ГБУЗ «Сахалинский"]]
    )
    table.rows.append(["", "", "", "областной центр»"])
    document = read_raw(build([], [table]), "plan")
    (row,) = rows(document)
    assert row.cells["responsible"] == "ГБУЗ «Сахалинский областной центр»"


def test_docx_time_frame_merged_down_belongs_to_each_row() -> None:
    document = docx.Document()
    table = document.add_table(rows=4, cols=4)
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    merged = table.cell(1, 0).merge(table.cell(3, 0))
    merged.text = "В течение 2025 г."
    for index, title in enumerate(["Совещания", "Вебинары", "издание сборников"], start=1):
        table.cell(index, 1).text = title
        table.cell(index, 3).text = "дирекция"
    stream = io.BytesIO()
    document.save(stream)
    read = read_raw(stream.getvalue(), "plan.docx")
    assert [(row.cells["when"], row.cells["title"]) for row in rows(read)] == [
        ("В течение 2025 г.", "Совещания"),
        ("В течение 2025 г.", "Вебинары"),
        ("В течение 2025 г.", "издание сборников"),  # lower case: still its own row
    ]


def test_xlsx_time_frame_merged_down_belongs_to_each_row() -> None:
    table = Table([list(HEADER)])
    table.rows += [["В течение 2025 г.", "Совещания", "", "Д"], ["", "Вебинары", "онлайн", "Д"]]
    data = build_xlsx(["План"], [table], merges=["A4:A5"])
    read = read_raw(data, "plan.xlsx")
    assert [row.cells["when"] for row in rows(read)] == ["В течение 2025 г."] * 2


def test_docx_signature_table_after_the_plan_is_a_note() -> None:
    blocks = [Table([list(HEADER), ROW]), Table([["Исполнительный директор", "И. И. Иванов"]])]
    document = read_raw(build_docx([], blocks), "plan.docx")
    assert notes(document) == ["Исполнительный директор И. И. Иванов"]


def test_docx_hyperlinks_and_tracked_changes() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph = table.cell(1, 1).paragraphs[0]._p
    for xml in (
        f"<w:r {w}><w:t xml:space='preserve'>Вебинар на </w:t></w:r>",
        f"<w:hyperlink {w}><w:r><w:t>площадке</w:t></w:r></w:hyperlink>",
        f"<w:del {w}><w:r><w:delText> старой</w:delText></w:r></w:del>",
        f"<w:ins {w}><w:r><w:t xml:space='preserve'> Ассоциации</w:t></w:r></w:ins>",
        f"<w:r {w}><w:fldChar w:fldCharType='begin'/></w:r>",
        f"<w:r {w}><w:instrText> PAGE </w:instrText></w:r>",
    ):
        paragraph.append(parse_xml(xml))
    table.cell(1, 0).text = "Май 2025 г."
    stream = io.BytesIO()
    document.save(stream)
    (row,) = rows(read_raw(stream.getvalue(), "plan.docx"))
    assert row.cells["title"] == "Вебинар на площадке Ассоциации"


def test_xlsx_notes_after_the_table_and_headings_between_rows() -> None:
    table = Table([list(HEADER), ROW, ["II ПОЛУГОДИЕ"], ["Июль 2025 г.", "Форум", "г. Тверь", "Д"]])
    long_note = "Предоставление информации о проектах " * 3
    data = build_xlsx(["План"], [table, "Примечание: сроки уточняются.", long_note.strip()])
    document = read_raw(data, "plan.xlsx")
    assert headings(document) == ["II ПОЛУГОДИЕ"]  # not merged, but reads as a heading
    assert notes(document) == ["Примечание: сроки уточняются.", long_note.strip()]


def test_xlsx_excel_dates_are_written_for_the_timeframe_parser() -> None:
    table = Table([list(HEADER)])
    table.rows.append([datetime(2025, 3, 12), "Конференция", "г. Пермь", "Д"])
    table.rows.append([date(2025, 4, 1), "Вебинар", "онлайн", "Д"])
    table.rows.append([datetime(2025, 5, 20, 10, 30), "Форум", "г. Москва", "Д"])
    data = build_xlsx(["План"], [table])
    assert openpyxl.load_workbook(io.BytesIO(data)).active["A4"].is_date
    whens = [row.cells["when"] for row in rows(read_raw(data, "plan.xlsx"))]
    assert whens == ["12.03.2025", "01.04.2025", "20.05.2025 10:30"]
    timeframe = parse(whens[0])
    assert (timeframe.start, timeframe.end) == (date(2025, 3, 12), date(2025, 3, 12))


# -- the generated plan (the 2,000-row benchmark's input) -----------------------------------------


def test_generated_plan_is_deterministic_and_reads_back() -> None:
    assert generated_plan(50, seed=7) == generated_plan(50, seed=7)
    assert generated_plan(50, seed=7) != generated_plan(50, seed=8)
    document = read_raw(generated_docx(300, seed=7), "generated.docx")
    assert len(rows(document)) == 300
    assert headings(document)[:2] == [
        "ОРГАНИЗАЦИОННАЯ И ПРОЕКТНАЯ ДЕЯТЕЛЬНОСТЬ АССОЦИАЦИИ",
        "I ПОЛУГОДИЕ",
    ]
    assert any(row.footnotes for row in rows(document))
    assert all(row.cells["when"] and row.cells["title"] for row in rows(document))


def test_plan_blocks_split_the_table_at_the_note(seed: RawDocument) -> None:
    blocks = plan_blocks(seed)
    assert [type(block).__name__ for block in blocks] == ["Table", "str", "str", "Table"]
    assert blocks[1].startswith("¹ ")


# -- bad input ------------------------------------------------------------------------------------


def test_docx_without_a_table() -> None:
    data = build_docx(["ПЛАН НА 2025 ГОД"], ["Мероприятия будут определены позже."])
    with pytest.raises(PlanReadError, match="нет таблицы плана") as error:
        read_raw(data, "plan.docx")
    assert error.value.source == "plan.docx"


def test_docx_table_without_recognisable_columns() -> None:
    data = build_docx(["Список"], [Table([["Фамилия", "Телефон"], ["Иванов", "123"]])])
    with pytest.raises(PlanReadError, match="не найдена таблица плана"):
        read_raw(data, "plan.docx")


def test_xlsx_with_an_empty_first_sheet() -> None:
    book = openpyxl.Workbook()
    book.active.title = "Пустой"
    book.create_sheet("План").append(list(HEADER))
    stream = io.BytesIO()
    book.save(stream)
    with pytest.raises(PlanReadError, match="первый лист книги Excel пустой"):
        read_raw(stream.getvalue(), "plan.xlsx")


def test_xlsx_first_sheet_without_header() -> None:
    data = build_xlsx(["План"], ["Таблица на втором листе"], extra_sheets=1)
    with pytest.raises(PlanReadError, match="не найдена таблица плана"):
        read_raw(data, "plan.xlsx")


def _replace(data: bytes, member: str, content: bytes | None) -> bytes:
    """The package with one member's content replaced (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
            elif content is not None:
                target.writestr(info, content)
    return out.getvalue()


def _corrupt_member(data: bytes, member: str) -> bytes:
    """Flip bytes inside a member's compressed data (its CRC no longer matches)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    broken = bytearray(data)
    for offset in range(start, start + 40):
        broken[offset] ^= 0x5A
    return bytes(broken)


DOCX_DAMAGE = {
    "truncated": lambda data: data[: len(data) // 2],
    "broken xml": lambda data: _replace(data, "word/document.xml", b"<w:document><w:body>"),
    "no content types": lambda data: _replace(data, "[Content_Types].xml", None),
    "no package relationships": lambda data: _replace(data, "_rels/.rels", None),
    "corrupt deflate data": lambda data: _corrupt_member(data, "word/document.xml"),
    "macro-enabled": lambda data: _replace(
        data,
        "[Content_Types].xml",
        zipfile.ZipFile(io.BytesIO(data))
        .read("[Content_Types].xml")
        .replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"),
    ),
}


@pytest.mark.parametrize("damage", sorted(DOCX_DAMAGE))
def test_damaged_docx_gives_a_plan_read_error(damage: str) -> None:
    data = DOCX_DAMAGE[damage](seed_docx())
    with pytest.raises(PlanReadError) as error:
        read_raw(data, "plan.docx")
    assert error.value.source == "plan.docx"
    assert "Traceback" not in str(error.value)


XLSX_DAMAGE = {
    "truncated": lambda data: data[: len(data) // 2],
    "broken sheet xml": lambda data: _replace(data, "xl/worksheets/sheet1.xml", b"<worksheet>"),
    "no workbook relationships": lambda data: _replace(data, "xl/_rels/workbook.xml.rels", None),
    "corrupt deflate data": lambda data: _corrupt_member(data, "xl/worksheets/sheet1.xml"),
}


@pytest.mark.parametrize("damage", sorted(XLSX_DAMAGE))
def test_damaged_xlsx_gives_a_plan_read_error(damage: str) -> None:
    data = XLSX_DAMAGE[damage](seed_xlsx())
    with pytest.raises(PlanReadError) as error:
        read_raw(data, "plan.xlsx")
    assert error.value.source == "plan.xlsx"


def test_docx_with_entity_declarations_is_refused() -> None:
    data = seed_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    bomb = xml.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaa">]>', 1)
    with pytest.raises(PlanReadError, match="DOCTYPE"):
        read_raw(_replace(data, "word/document.xml", bomb), "plan.docx")


def test_docx_with_a_broken_footnotes_part() -> None:
    data = build_docx(["План"], _footnoted_plan("Проекты[fn:1]"), footnotes={1: FOOTNOTE})
    with pytest.raises(PlanReadError, match="документ Word повреждён"):
        read_raw(_replace(data, "word/footnotes.xml", b"<w:footnotes"), "plan.docx")


def test_xlsx_signature_below_the_table_is_a_note_not_a_continuation() -> None:
    table = Table([list(HEADER), ROW])
    data = build_xlsx([], [table, ""])  # a blank row after the table
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active.append(["", "", "", "И. И. Иванов"])
    stream = io.BytesIO()
    book.save(stream)
    document = read_raw(stream.getvalue(), "plan.xlsx")
    assert notes(document) == ["И. И. Иванов"]
    assert rows(document)[0].cells["responsible"] == "дирекция Ассоциации"

"""The DOCX writer: the official layout (A4 landscape, one bordered table with a repeated
header, merged heading rows, real footnotes, notes in place), and round trips: what it writes
reads back, with the DOCX reader, to the plan it was written from, for the seed, for a plan
built from JSON and for generated plans of odd texts. LibreOffice renders the seed (the DOCX,
its PDF and page 1 as PNG are kept under test-artifacts/plan-2024.docx* for a person to look
at)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from civicplan.plandoc import read_plan
from civicplan.plandoc.jsonio import plan_from_json, plan_to_json
from civicplan.plandoc.model import Activity, Note, Place, PlanDocument, Responsible
from civicplan.plandoc.writers import write_plan
from civicplan.plandoc.writers.docx import (
    COLUMNS,
    WIDTHS,
    _title_lines,
    write,
)
from civicplan.plandoc.writers.table import join_parties, responsible_cell
from civicplan.timeframes import parse
from tests.helpers import libreoffice_pdf, run_tool
from tests.plandoc.builders import SEED, generated_docx, seed_title_lines

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


def seed_plan() -> PlanDocument:
    return read_plan(SEED.read_bytes(), SEED.name)


def reading(plan: PlanDocument) -> dict[str, Any]:
    """Everything a reading says that a writer must carry: the JSON, the notes' places and the
    «Ответственный» cells as written."""
    return {
        "json": plan_to_json(plan),
        "notes": [(note.text, note.after) for note in plan.notes],
        "responsible_text": [activity.responsible_text for activity in plan.activities],
    }


def round_trip(plan: PlanDocument, **options: Any) -> PlanDocument:
    return read_plan(write(plan, **options), "x.docx")


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def activity(title: str, section=(None, None), **fields: Any) -> Activity:
    when = fields.pop("when", "Март 2025 г.")
    return Activity(
        position=fields.pop("position", 1),
        section=section,
        when=parse(when, default_year=2025),
        title=title,
        kind="other",
        involvement="organiser",
        format=None,
        place=fields.pop("place", Place()),
        responsible=fields.pop("responsible", []),
        **fields,
    )


@pytest.fixture(scope="module")
def seed() -> PlanDocument:
    return seed_plan()


@pytest.fixture(scope="module")
def seed_docx(seed: PlanDocument) -> bytes:
    return write(seed)


# -- round trips ----------------------------------------------------------------------------------


def test_the_seed_reads_back_to_the_same_plan(seed: PlanDocument, seed_docx: bytes) -> None:
    back = read_plan(seed_docx, "plan-2024.docx")
    assert reading(back) == reading(seed)
    assert reading(round_trip(seed, word_footnotes=True)) == reading(seed)
    assert back.notes == [Note(seed.notes[0].text, after=32)]  # between rows 32 and 33
    assert [a.notes for a in back.activities if a.notes] == [
        ["В соответствии с предложениями глав/мэров муниципальных образований - членов Ассоциации."]
    ] * 2


def test_write_plan_finds_the_docx_writer(seed: PlanDocument, seed_docx: bytes) -> None:
    data = write_plan(seed, "docx")
    assert data[:2] == b"PK"
    assert reading(read_plan(data, "x.docx")) == reading(read_plan(seed_docx, "x.docx"))


def test_a_plan_from_json_is_written_with_its_parties_joined(seed: PlanDocument) -> None:
    """No «Ответственный» cell as written: the parties are joined by role, in the nominative,
    and read back as the same parties with the same roles."""
    plan = plan_from_json(plan_to_json(seed))
    assert not any(a.responsible_text for a in plan.activities)
    back = round_trip(plan)
    assert plan_to_json(back) == plan_to_json(plan)
    cells = [a.responsible_text for a in back.activities]
    assert (
        "Организаторы: ООО «Лига здоровья нации», Министерство здравоохранения Российской Федерации"
    ) in cells
    assert any("; при поддержке: Совет Федерации" in cell for cell in cells)


def test_parties_are_joined_in_order_by_runs_of_one_role() -> None:
    parties = [
        Responsible("Фонд Росконгресс", "organiser"),
        Responsible("Дирекция Ассоциации"),
        Responsible("Мэрия г. Череповца", contact="Иванов И. И."),
        Responsible("Общественная палата РФ", "supporter"),
        Responsible("Минздрав России", "supporter"),
        Responsible("Партнеры Ассоциации"),
    ]
    assert join_parties(parties) == (
        "Организатор: Фонд Росконгресс; Дирекция Ассоциации, Мэрия г. Череповца (Иванов И. И.); "
        "при поддержке: Общественная палата РФ, Минздрав России; Партнеры Ассоциации"
    )
    assert join_parties([]) == ""
    written = activity("Форум", responsible=parties, responsible_text="дирекция Ассоциации")
    assert responsible_cell(written) == "дирекция Ассоциации"


def test_a_generated_word_plan_reads_back_the_same() -> None:
    """A plan laid out as Word users lay it out (tests.plandoc.builders) -> plan -> our DOCX."""
    plan = read_plan(generated_docx(150), "generated.docx")
    assert len(plan.activities) == 150
    assert reading(round_trip(plan)) == reading(plan)


def test_notes_in_every_place_and_sections_that_change_every_way() -> None:
    h1, h2, half1, half2 = "РАЗДЕЛ ПЕРВЫЙ", "РАЗДЕЛ ВТОРОЙ", "1 ПОЛУГОДИЕ", "II ПОЛУГОДИЕ"
    sections = [
        (None, None),
        (None, half1),
        (h1, half1),
        (h1, half2),
        (h1, None),  # the sub-heading ends: only the heading repeated says so
        (h2, half2),
        (h2, half2),
        (h1, half2),  # a heading comes back with the same sub-heading
    ]
    activities = [
        activity(f"Мероприятие {n}", section, position=n)
        for n, section in enumerate(sections, start=1)
    ]
    notes = [Note("Перед всеми строками.", 0), Note("Вторая заметка там же.", 0)]
    notes += [Note("После третьей строки.", 3), Note("После пятой.", 5), Note("В конце.", 8)]
    plan = PlanDocument("ПЛАН ДЕЯТЕЛЬНОСТИ НА 2025 ГОД", 2025, activities=activities, notes=notes)
    back = round_trip(plan)
    assert [a.section for a in back.activities] == sections
    assert [(n.text, n.after) for n in back.notes] == [(n.text, n.after) for n in notes]
    assert [a.title for a in back.activities] == [a.title for a in activities]


def test_a_plan_without_activities_keeps_its_title_and_notes() -> None:
    plan = PlanDocument("ПЛАН НА 2025 ГОД", 2025, notes=[Note("Только заметка.", 0)])
    back = round_trip(plan)
    assert (back.title, back.year, back.activities) == (plan.title, 2025, [])
    assert back.notes == plan.notes


def test_a_row_that_would_read_as_the_rest_of_the_row_above_stays_a_row() -> None:
    """No time frame and a lower-case title is how a row broken across pages looks; a heading
    row repeated between the two keeps them apart."""
    rows = [
        activity("Форум", ("РАЗДЕЛ", None), position=1),
        activity("и другие мероприятия", ("РАЗДЕЛ", None), position=2, when=""),
    ]
    back = round_trip(PlanDocument("ПЛАН НА 2025 ГОД", 2025, activities=rows))
    assert [(a.title, a.section) for a in back.activities] == [
        ("Форум", ("РАЗДЕЛ", None)),
        ("и другие мероприятия", ("РАЗДЕЛ", None)),
    ]


def test_texts_word_cannot_hold_are_dropped_and_line_breaks_kept_as_spaces() -> None:
    plan = PlanDocument(
        "ПЛАН НА 2025 ГОД",
        2025,
        activities=[
            activity("Форум\x00 «Здоровье»\x0b\nвторая строка\tпосле табуляции\ufffe", position=1)
        ],
    )
    back = round_trip(plan)
    assert back.activities[0].title == "Форум «Здоровье» вторая строка после табуляции"


# -- generated plans: odd texts through the text reader, then DOCX and back -----------------------

_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
_ODD = "«»\"„“”'’–—-…№%&<>@#/()[]:;,.!?+=\u00a0 abcXYZ0123456789"
_WORDS = (
    "Всероссийский",
    "форум",
    "«Здоровые города»",
    '"Будь здоров"',
    "„Зарядка“",
    "—",
    "–",
    "-",
    "…",
    "и т. д.",
    "(онлайн)",
    "#ВМЕСТЕЗДОРОВО",
    "news@zdorovyegoroda.ru",
    "<https://zdorovyegoroda.ru/>",
    "№ 5",
    "50 %",
    "г. Череповец",
    "Вологодской области",
    "XII",
    "2024–2025 гг.",
)
_WHEN = (
    "28 февраля 2025 г.",
    "Май-июнь 2025 г.",
    "30 сентября – 2 октября 2025 г.",
    "II декада мая",
    "I квартал 2025 г.",
    "Первое полугодие 2025 г.",
    "В течение 2025 г.",
    "до 15 марта",
    "ежемесячно",
    "по согласованию",
    "12.03.2025",
    "—",
    "",
    "Весной (предварительно)",
)
_PLACES = (
    "г. Москва",
    "г. Санкт-Петербург, КВЦ «Экспофорум»",
    "г. Астана Республики Казахстан",
    "Офлайн/онлайн формат",
    "Муниципальные образования – члены Ассоциации",
    "Электронная площадка Ассоциации",
    "",
)
_PARTIES = (
    "дирекция Ассоциации",
    "Дирекция Ассоциации",
    "дирекция Ассоциация",
    "Мэрия г. Череповца",
    "Министерство здравоохранения Российской Федерации",
    "Фонд Росконгресс (организатор)",
    "АНО «Здоровье 360»",
    "органы власти муниципальных образований – члены Ассоциации",
    "МГТУ им. Н. Э. Баумана",
)
_STARTS = ("Конференция", "Участие в", "Форум", "Вебинар", "Конкурс", "Акция", "Издание", "Ф")

word = st.one_of(st.sampled_from(_WORDS), st.text(_LETTERS + _ODD, min_size=1, max_size=12))
short_text = st.lists(word, min_size=1, max_size=10).map(" ".join)
long_text = st.tuples(short_text, st.integers(15, 40)).map(
    lambda pair: " ".join([pair[0] + " «длинная ячейка» — текст"] * pair[1])
)
text = st.one_of(short_text, short_text, short_text, long_text)
title = st.tuples(st.sampled_from(_STARTS), text).map(" ".join)
parties = st.lists(st.sampled_from(_PARTIES), min_size=1, max_size=4).map(", ".join)
responsible = st.one_of(
    st.just(""),
    parties,
    parties.map("Организаторы: {}".format),
    st.tuples(parties, parties).map(lambda p: f"{p[0]}; при поддержке {p[1]}"),
    text,
)
place = st.one_of(st.sampled_from(_PLACES), text)
mark = st.sampled_from(["", "", "", " ¹", " ²", "¹", " ¹ ²", " ³"])  # ³ has no footnote text
row = st.tuples(st.sampled_from(_WHEN), title, mark, place, responsible).map(
    lambda r: f"{r[0]}\t{r[1]}{r[2]}\t{r[3]}\t{r[4]}"
)
heading = st.one_of(  # mostly a few headings, so that one comes back (its rows start anew)
    st.sampled_from(["ОРГАНИЗАЦИОННАЯ ДЕЯТЕЛЬНОСТЬ", "ИЗДАТЕЛЬСКАЯ ДЕЯТЕЛЬНОСТЬ"]),
    st.sampled_from(["ОРГАНИЗАЦИОННАЯ ДЕЯТЕЛЬНОСТЬ", "ИЗДАТЕЛЬСКАЯ ДЕЯТЕЛЬНОСТЬ"]),
    short_text.map(lambda t: f"РАЗДЕЛ {t.upper()}"),
).map(lambda t: f"{t}\t\t\t")
subheading = st.sampled_from(
    ["<i>1 ПОЛУГОДИЕ</i>\t\t\t", "II ПОЛУГОДИЕ\t\t\t", "I квартал\t\t\t", "Январь\t\t\t"]
)
note = st.tuples(st.sampled_from(_STARTS), text).map(" ".join)
continuation = short_text.map(lambda t: f"\t\t\tи ещё {t}")
item = st.one_of(row, row, row, row, heading, subheading, note, continuation)


@st.composite
def text_plans(draw: st.DrawFn) -> str:
    """A plan as a Word table saved as text (like examples/plan-2024.txt)."""
    year = draw(st.integers(2023, 2027))
    lines = ["**ПЛАН ДЕЯТЕЛЬНОСТИ", f"{draw(short_text)} «ЗДОРОВЫЕ ГОРОДА» НА {year} ГОД**", ""]
    lines.append("\t".join(COLUMNS))
    lines += draw(st.lists(item, min_size=8, max_size=30))
    lines.append("")
    lines += [f"¹ {draw(text)}", f"² {draw(short_text)}"]
    return "\n".join(lines) + "\n"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text_plans())
def test_generated_plans_read_back_the_same(source: str) -> None:
    plan = read_plan(source.encode("utf-8"), "plan.txt")
    assert reading(round_trip(plan)) == reading(plan)
    assert reading(round_trip(plan, word_footnotes=True)) == reading(plan)


# -- the layout -----------------------------------------------------------------------------------


def test_the_page_is_a4_landscape(seed_docx: bytes) -> None:
    section = docx.Document(io.BytesIO(seed_docx)).sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((297, 210), abs=0.5)
    assert section.orientation == 1  # WD_ORIENT.LANDSCAPE
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        assert 10 <= getattr(section, margin).mm <= 30
    text_width = section.page_width - section.left_margin - section.right_margin
    assert sum(WIDTHS) * 635 == text_width  # the table fills the text width exactly (EMU)


def test_the_title_is_centred_bold_on_the_seeds_lines(seed: PlanDocument, seed_docx: bytes):
    body = part(seed_docx, "word/document.xml").find("w:body", NS)
    title = []
    for paragraph in body:
        if paragraph.tag != W + "p":
            break
        title.append(paragraph)
    assert [text_of(p) for p in title] == seed_title_lines()
    assert " ".join(text_of(p) for p in title) == seed.title
    for paragraph in title:
        assert paragraph.find("w:pPr/w:jc", NS).get(W + "val") == "center"
        assert all(run.find("w:rPr/w:b", NS) is not None for run in paragraph.iter(W + "r"))


def test_one_table_with_a_repeated_header_unsplittable_rows_and_borders() -> None:
    plan = read_plan(generated_docx(40), "generated.docx")
    plan.notes = []
    body = part(write(plan), "word/document.xml").find("w:body", NS)
    tables = body.findall("w:tbl", NS)
    assert len(tables) == 1
    table = tables[0]
    widths = [int(col.get(W + "w")) for col in table.findall("w:tblGrid/w:gridCol", NS)]
    assert widths == list(WIDTHS)
    assert widths[0] < widths[2] < widths[3] < widths[1]  # narrow dates, wide activity
    borders = table.find("w:tblPr/w:tblBorders", NS)
    assert {b.tag[len(W) :]: b.get(W + "val") for b in borders} == dict.fromkeys(
        ("top", "left", "bottom", "right", "insideH", "insideV"), "single"
    )
    rows = table.findall("w:tr", NS)
    header = rows[0]
    assert [text_of(cell) for cell in header.findall("w:tc", NS)] == list(COLUMNS)
    assert header.find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
    activity_rows = [row for row in rows[1:] if len(row.findall("w:tc", NS)) == 4]
    assert len(activity_rows) == 40


def test_headings_are_merged_rows_bold_and_sub_headings_italic(seed_docx: bytes) -> None:
    rows = part(seed_docx, "word/document.xml").iterfind(".//w:tr", NS)
    merged = [row for row in rows if row.find("w:tc/w:tcPr/w:gridSpan", NS) is not None]
    found = []
    for row in merged:
        (cell,) = row.findall("w:tc", NS)
        assert cell.find("w:tcPr/w:gridSpan", NS).get(W + "val") == "4"
        run = cell.find(".//w:r", NS)
        found.append(
            (text_of(cell)[:20], run.find("w:rPr/w:b", NS) is not None, run.find("w:rPr/w:i", NS))
        )
    assert [(text, bold, italic is not None) for text, bold, italic in found] == [
        ("ОРГАНИЗАЦИОННАЯ, ПРО", True, False),
        ("1 ПОЛУГОДИЕ", False, True),
        ("II ПОЛУГОДИЕ", False, True),
    ]


def test_footnotes_are_numbered_as_in_the_seed_one_number_per_text(seed_docx: bytes) -> None:
    body = part(seed_docx, "word/document.xml").find("w:body", NS)
    marks = [
        run
        for run in body.iterfind(".//w:tc//w:r", NS)
        if run.find("w:rPr/w:vertAlign[@w:val='superscript']", NS) is not None
    ]
    assert [text_of(run) for run in marks] == ["1", "1"]  # two rows, one footnote
    for run in marks:  # right after the title, in the «Мероприятия» cell
        paragraph = run.getparent()
        assert paragraph.index(run) == len(paragraph) - 1
        assert text_of(paragraph).endswith("членов Ассоциации1")
    texts = [p for p in body.iterfind("w:p", NS) if p.find("w:pPr/w:pStyle", NS) is not None]
    assert [text_of(p) for p in texts if text_of(p)[:1] == "1"] == [
        "1 В соответствии с предложениями глав/мэров муниципальных образований - членов Ассоциации."
    ]
    with zipfile.ZipFile(io.BytesIO(seed_docx)) as archive:
        assert "word/footnotes.xml" not in archive.namelist()


def test_rows_sharing_footnotes_share_their_numbers() -> None:
    rows = [
        activity("Первое", position=1, notes=["Примечание А.", "Примечание Б."]),
        activity("Второе", position=2, notes=["Примечание Б."]),
        activity("Третье", position=3, notes=["Примечание А.", "Примечание А."]),
        activity("Четвёртое", position=4, notes=["  ", "Примечание В."]),
    ]
    plan = PlanDocument("ПЛАН НА 2025 ГОД", 2025, activities=rows)
    data = write(plan)
    body = part(data, "word/document.xml").find("w:body", NS)
    cells = [row.findall("w:tc", NS)[1] for row in body.findall("w:tbl/w:tr", NS)[1:]]
    assert [text_of(cell) for cell in cells] == [
        "Первое1 2",
        "Второе2",
        "Третье1 1",
        "Четвёртое3",
    ]
    notes = [text_of(p) for p in body.findall("w:p", NS)[1:] if text_of(p)]
    assert notes == ["1 Примечание А.", "2 Примечание Б.", "3 Примечание В."]
    back = read_plan(data, "x.docx")
    assert [a.notes for a in back.activities] == [
        ["Примечание А.", "Примечание Б."],
        ["Примечание Б."],
        ["Примечание А.", "Примечание А."],
        ["Примечание В."],
    ]


def test_word_footnotes_are_real_footnotes_one_per_reference(seed: PlanDocument) -> None:
    data = write(seed, word_footnotes=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
        document = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
        settings_xml = etree.fromstring(archive.read("word/settings.xml"))
    assert 'PartName="/word/footnotes.xml"' in types
    assert "wordprocessingml.footnotes+xml" in types
    assert 'relationships/footnotes" Target="footnotes.xml"' in rels
    references = document.findall(".//w:footnoteReference", NS)
    assert len(references) == 2  # one footnote per reference, though the two texts are one
    for reference in references:
        style = reference.getparent().find("w:rPr/w:rStyle", NS)
        assert style.get(W + "val") == "FootnoteReference"
    reference_style = styles.find("w:style[@w:styleId='FootnoteReference']", NS)
    assert reference_style.find("w:rPr/w:vertAlign", NS).get(W + "val") == "superscript"
    bodies = {
        note.get(W + "id"): text_of(note).strip()
        for note in notes.findall("w:footnote", NS)
        if note.get(W + "type") is None
    }
    assert sorted(bodies) == sorted(r.get(W + "id") for r in references)
    assert set(bodies.values()) == {
        "В соответствии с предложениями глав/мэров муниципальных образований - членов Ассоциации."
    }
    assert settings_xml.find("w:footnotePr", NS) is not None
    # no numbered texts under the table: the footnotes are at the foot of the page
    assert not [p for p in document.iterfind(".//w:body/w:p", NS) if "В соответствии" in text_of(p)]


def test_a_note_between_rows_splits_the_table_which_goes_on_under_its_header(seed_docx: bytes):
    body = part(seed_docx, "word/document.xml").find("w:body", NS)
    blocks = [child for child in body if child.tag in (W + "p", W + "tbl")]
    tables = [index for index, block in enumerate(blocks) if block.tag == W + "tbl"]
    assert len(tables) == 2
    between = blocks[tables[0] + 1 : tables[1]]
    assert [text_of(p)[:25] for p in between] == [
        "1 В соответствии с предло",  # the footnote used so far, under its table part
        "Предоставление информации",
    ]
    second = blocks[tables[1]].findall("w:tr", NS)
    assert [text_of(cell) for cell in second[0].findall("w:tc", NS)] == list(COLUMNS)
    assert second[0].find("w:trPr/w:tblHeader", NS) is not None


def test_a_row_too_tall_for_a_page_may_break() -> None:
    rows = [
        activity("Короткое", position=1),
        activity("Очень длинное описание. " * 400, position=2),
    ]
    data = write(PlanDocument("ПЛАН НА 2025 ГОД", 2025, activities=rows))
    table_rows = part(data, "word/document.xml").findall(".//w:tr", NS)
    assert [row.find("w:trPr/w:cantSplit", NS) is not None for row in table_rows] == [
        True,
        True,
        False,
    ]


def test_the_time_frame_keeps_its_year_mark_on_one_line(seed: PlanDocument) -> None:
    data = write(replace(seed, activities=seed.activities[:1], notes=[]))
    cells = part(data, "word/document.xml").findall(".//w:tr", NS)[-1].findall("w:tc", NS)
    assert text_of(cells[0]) == "28 февраля 2024\u00a0г."
    assert read_plan(data, "x.docx").activities[0].when.text == "28 февраля 2024 г."


# -- LibreOffice renders it -----------------------------------------------------------------------


def test_libreoffice_renders_the_seed(seed: PlanDocument, seed_docx: bytes, tmp_path: Path):
    tools = ("soffice", "pdftoppm", "pdfinfo", "pdftotext", "pdffonts")
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (apt-get install libreoffice-writer poppler-utils)"
        )
    # Converted in a directory of its own, then kept under test-artifacts/ with names that are
    # this test's only (the PDF writer's test keeps its plan-2024.pdf there).
    source = tmp_path / "plan-2024.docx"
    source.write_bytes(seed_docx)
    converted = libreoffice_pdf(source, tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(source, ARTIFACTS / "plan-2024.docx")
    pdf = ARTIFACTS / "plan-2024.docx.pdf"
    shutil.copyfile(converted, pdf)

    info = run_tool("pdfinfo", str(pdf))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (width, height) == pytest.approx((842, 595), abs=2)  # A4 landscape
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > 1
    fonts = run_tool("pdffonts", str(pdf))
    assert "LiberationSerif-Bold" in fonts  # Times New Roman's metrics: pages break as in Word
    assert "LiberationSerif-Italic" in fonts

    page_two = run_tool("pdftotext", "-f", "2", "-l", "2", str(pdf), "-")
    assert "Мероприятия" in page_two  # the header row repeated on page 2
    everything = re.sub(r"\s+", "", run_tool("pdftotext", str(pdf), "-"))
    for activity_ in seed.activities:
        assert re.sub(r"\s+", "", activity_.title[:30]) in everything, activity_.title
    assert "Всоответствииспредложениямиглав/мэров" in everything  # the footnote's text
    assert "Предоставлениеинформации(пресс-релизы" in everything  # the note between rows

    run_tool("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    (rendered,) = tmp_path.glob("page*.png")
    png = ARTIFACTS / "plan-2024.docx-page1.png"
    shutil.copyfile(rendered, png)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    png_width, png_height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (png_width, png_height) == pytest.approx((702, 496), abs=3)  # landscape at 60 dpi
    assert len(data) > 20_000  # a page of text and rules, not a blank one


@pytest.mark.parametrize(
    "title",
    [
        "ПЛАН НА 2025 ГОД",
        "ПЛАН ДЕЯТЕЛЬНОСТИ АССОЦИАЦИИ «ЗДОРОВЫЕ ГОРОДА, РАЙОНЫ И ПОСЁЛКИ» НА 2025 ГОД",
        "План мероприятий администрации города Перми по укреплению здоровья на 2025 год",
        "«Здоровые города» — план на 2025 год, утверждённый решением Координационного комитета",
    ],
)
def test_title_lines_join_back_to_the_title(title: str) -> None:
    lines = _title_lines(title)
    assert " ".join(lines) == title
    assert len(lines) == 1 or len(title) > 60
    assert read_plan(write(PlanDocument(title, 2025)), "x.docx").title == title

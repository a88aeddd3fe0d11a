"""The PDF export: the official layout of the Word plan, with the project's own font.

The PDFs are read back with pdfplumber: tables by their ruled lines (a cell's lines joined by
"\\n"), text, fonts and page sizes. The seed's PDF and a PNG of its first page are saved under
test-artifacts/ for a person to look at. Tests that render skip, with the reason printed, where
WeasyPrint's system libraries (Pango) are missing.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdftypes import resolve1

from civicplan.plandoc import PlanDocument, read_plan
from civicplan.plandoc.model import Activity, Note, Place, Responsible
from civicplan.plandoc.writers import pdf, write_plan
from civicplan.timeframes import Timeframe

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
HEADER = ["Сроки", "Мероприятия", "Место проведения", "Ответственный"]
A4_LANDSCAPE = (841.89, 595.28)
FOOTNOTE = (
    "В соответствии с предложениями глав/мэров муниципальных образований - членов Ассоциации."
)
FONT_NAME = re.compile(r"^[A-Z]{6}\+Liberation-?Serif(-Bold|-Italic|-BoldItalic)?$")
BODY_SIZE = 11  # pt; footnote marks are smaller


def render(plan: PlanDocument) -> bytes:
    try:
        return pdf.write(plan)
    except RuntimeError as exc:  # no Pango on this machine
        pytest.skip(str(exc))


def norm(text: str | None) -> str:
    """Whitespace made single spaces; a line broken after a word's hyphen joined back."""
    return " ".join(re.sub(r"(?<=\w)-\n", "-", text or "").split())


@pytest.fixture(scope="session")
def seed_plan(seed_bytes: bytes) -> PlanDocument:
    return read_plan(seed_bytes, "plan-2024.txt")


@pytest.fixture(scope="session")
def seed_pdf(seed_plan: PlanDocument) -> bytes:
    data = render(seed_plan)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "plan-2024.pdf"
    target.write_bytes(data)
    png = ARTIFACTS / "plan-2024-1"
    if shutil.which("pdftoppm"):
        args = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*args, str(target), str(png)], check=True)
    else:  # pdfplumber renders with pdfium
        with pdfplumber.open(io.BytesIO(data)) as document:
            document.pages[0].to_image(resolution=60).save(f"{png}.png")
    return data


@pytest.fixture(scope="session")
def long_plan(seed_plan: PlanDocument) -> PlanDocument:
    """The seed's rows five times over (185 rows), its note after the first copy's 32nd row."""
    activities = [
        dataclasses.replace(activity, position=copy * 1000 + activity.position)
        for copy in range(5)
        for activity in seed_plan.activities
    ]
    return dataclasses.replace(seed_plan, activities=activities)


@pytest.fixture(scope="session")
def long_pdf(long_plan: PlanDocument) -> bytes:
    return render(long_plan)


@functools.cache
def table_rows(data: bytes, small: bool = True) -> list[list[list[str | None]]]:
    """Each page's table rows, cells as pdfplumber reads them; without `small`, the
    superscript footnote marks are left out so that titles read as written."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            if not small:
                page = page.filter(
                    lambda obj: obj.get("object_type") != "char" or obj["size"] > BODY_SIZE - 1
                )
            pages.append([row for table in page.extract_tables() for row in table])
    return pages


@functools.cache
def page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [page.extract_text() for page in document.pages]


# -- the seed -------------------------------------------------------------------------------------


def test_pages_are_a4_landscape(seed_pdf: bytes, long_pdf: bytes) -> None:
    for data in (seed_pdf, long_pdf):
        with pdfplumber.open(io.BytesIO(data)) as document:
            assert document.pages
            for page in document.pages:
                assert page.width == pytest.approx(A4_LANDSCAPE[0], abs=1)
                assert page.height == pytest.approx(A4_LANDSCAPE[1], abs=1)


def test_every_row_is_in_the_table_as_written(seed_plan: PlanDocument, seed_pdf: bytes) -> None:
    rows = [row for page in table_rows(seed_pdf, small=False) for row in page]
    activity_rows = [[norm(cell) for cell in row] for row in rows if row[1] is not None]
    activity_rows = [row for row in activity_rows if row != HEADER]
    assert len(activity_rows) == len(seed_plan.activities)
    for row, activity in zip(activity_rows, seed_plan.activities, strict=True):
        assert row == [
            norm(activity.when.text),
            norm(activity.title),
            norm(activity.place.text),
            norm(activity.responsible_text),
        ]


def test_title_headings_and_plan_note(seed_plan: PlanDocument, seed_pdf: bytes) -> None:
    text = norm(" ".join(page_texts(seed_pdf)))
    assert norm(seed_plan.title) in text
    wide = [norm(row[0]) for page in table_rows(seed_pdf) for row in page if row[1] is None]
    heading = seed_plan.activities[0].section[0]
    # the section heading once, then each half-year where it begins, then the note in place
    assert wide == [norm(heading), "1 ПОЛУГОДИЕ", "II ПОЛУГОДИЕ", norm(seed_plan.notes[0].text)]
    rows = [row for page in table_rows(seed_pdf, small=False) for row in page]
    note_at = [norm(row[0]) for row in rows].index(norm(seed_plan.notes[0].text))
    assert norm(rows[note_at - 1][1]) == norm(
        seed_plan.activities[seed_plan.notes[0].after - 1].title
    )


def test_footnote_marks_share_one_number_and_the_note_is_under_the_table(
    seed_plan: PlanDocument, seed_pdf: bytes
) -> None:
    marked = {a.title for a in seed_plan.activities if a.notes}
    assert len(marked) == 2
    cells = [norm(row[1]) for page in table_rows(seed_pdf) for row in page if row[1]]
    assert sorted(cell for cell in cells if cell.endswith("1")) == sorted(
        norm(title) + "1" for title in marked
    )
    last_page = page_texts(seed_pdf)[-1]
    assert f"1 {FOOTNOTE}" in last_page
    with pdfplumber.open(io.BytesIO(seed_pdf)) as document:
        page = document.pages[-1]
        table_bottom = max(table.bbox[3] for table in page.find_tables())
        (found,) = page.search(FOOTNOTE, regex=False)
        assert found["top"] > table_bottom


def test_fonts_are_the_shipped_liberation_serif_embedded(seed_pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(seed_pdf)) as document:
        names = {char["fontname"] for page in document.pages for char in page.chars}
        assert [name for name in names if not FONT_NAME.match(name)] == []
        styles = {name.split("+")[1] for name in names}
        assert styles == {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"}
        for page in document.pages:
            for font in resolve1(page.page_obj.resources["Font"]).values():
                font = resolve1(font)
                descendant = resolve1(font["DescendantFonts"])[0]
                descriptor = resolve1(descendant)["FontDescriptor"]
                assert "FontFile2" in resolve1(descriptor)  # embedded TrueType


def test_same_plan_same_layout(seed_plan: PlanDocument, seed_pdf: bytes) -> None:
    """Every character in the same place in the same font. (Not the same bytes: fontTools,
    which subsets the fonts when libharfbuzz-subset0 is missing, stamps the time in them.)"""

    def layout(data: bytes) -> list[tuple[object, ...]]:
        with pdfplumber.open(io.BytesIO(data)) as document:
            return [
                (
                    page.page_number,
                    c["text"],
                    c["fontname"][7:],
                    round(c["x0"], 2),
                    round(c["top"], 2),
                )
                for page in document.pages
                for c in page.chars
            ]

    assert layout(write_plan(seed_plan, "pdf")) == layout(seed_pdf)


# -- a long plan ----------------------------------------------------------------------------------


def test_header_row_and_page_numbers_on_every_page(long_pdf: bytes) -> None:
    pages = table_rows(long_pdf, small=False)
    texts = page_texts(long_pdf)
    assert len(pages) >= 5
    for number, (rows, text) in enumerate(zip(pages, texts, strict=True), 1):
        assert [norm(cell) for cell in rows[0]] == HEADER, number
        assert text.rstrip().endswith(f"стр. {number} из {len(pages)}")


def test_every_row_of_a_long_plan_is_there_once(long_plan: PlanDocument, long_pdf: bytes) -> None:
    titles = [
        norm(row[1])
        for page in table_rows(long_pdf, small=False)
        for row in page
        if row[1] and norm(row[1]) != "Мероприятия"
    ]
    assert titles == [norm(activity.title) for activity in long_plan.activities]


def test_a_heading_row_is_never_last_on_a_page(seed_plan: PlanDocument) -> None:
    activities = [
        dataclasses.replace(
            seed_plan.activities[i % len(seed_plan.activities)],
            position=i + 1,
            section=(f"РАЗДЕЛ {i // 7 + 1}", ("1 ПОЛУГОДИЕ", "II ПОЛУГОДИЕ")[(i // 3) % 2]),
        )
        for i in range(120)
    ]
    data = render(dataclasses.replace(seed_plan, activities=activities, notes=[]))
    pages = table_rows(data, small=False)
    assert len(pages) > 10
    for rows in pages[:-1]:
        assert rows[-1][1] is not None, rows[-1]


# -- the HTML it lays out -------------------------------------------------------------------------


def plan_of(*rows: tuple[str, list[str]], notes: list[Note] | None = None) -> PlanDocument:
    """A small plan: (title, footnotes) per row."""
    activities = [
        Activity(
            position=n,
            section=(None, None),
            when=Timeframe("Март 2024 г."),
            title=title,
            kind="meeting",
            involvement="organiser",
            format=None,
            place=Place("г. Москва"),
            responsible=[Responsible("Дирекция Ассоциации")],
            responsible_text="Дирекция Ассоциации",
            notes=marks,
        )
        for n, (title, marks) in enumerate(rows, 1)
    ]
    return PlanDocument("План <на> 2024 & далее", 2024, activities, notes or [])


def test_footnotes_are_numbered_by_first_use() -> None:
    plan = plan_of(("А", ["первая"]), ("Б", ["вторая", "первая"]), ("В", []), ("Г", ["вторая "]))
    assert pdf.footnote_numbers(plan) == {"первая": 1, "вторая": 2}
    html = pdf.render_html(plan)
    for row in ("А<sup>1</sup>", "Б<sup>1,2</sup>", "В</td>", "Г<sup>2</sup>"):
        assert row in html
    assert "<p><sup>1</sup>\u00a0первая</p><p><sup>2</sup>\u00a0вторая</p>" in html


def test_text_is_escaped_and_notes_are_in_place() -> None:
    plan = plan_of(
        ("<b>Форум</b> & «Здоровье»", []),
        ("Второй", []),
        notes=[Note("Перед всем", 0), Note("После <первого>", 1), Note("В конце", 9)],
    )
    html = pdf.render_html(plan)
    assert "<b>" not in html
    assert "<title>План &lt;на&gt; 2024 &amp; далее</title>" in html
    assert "&lt;b&gt;Форум&lt;/b&gt; &amp; «Здоровье»" in html
    order = ["Перед всем", "&lt;b&gt;Форум", "После &lt;первого&gt;", "Второй", "В конце"]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert '<tr class="note"><td colspan="4">После &lt;первого&gt;</td></tr>' in html


def test_responsible_cell_falls_back_to_the_parties() -> None:
    activity = plan_of(("Форум", [])).activities[0]
    assert pdf.responsible_cell(activity) == "Дирекция Ассоциации"
    activity.responsible_text = ""
    activity.responsible = [Responsible("Мэрия г. Перми"), Responsible("Дирекция Ассоциации")]
    assert pdf.responsible_cell(activity) == "Мэрия г. Перми, Дирекция Ассоциации"
    assert "<td>Мэрия г. Перми, Дирекция Ассоциации</td>" in pdf.render_html(
        PlanDocument(title="План", year=2024, activities=[activity])
    )


# -- the machine ----------------------------------------------------------------------------------


def test_without_pango_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pango(name: str) -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "_import", no_pango)
    with pytest.raises(RuntimeError) as error:
        pdf.write(plan_of(("Форум", [])))
    assert str(error.value) == (
        "PDF export needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    )


def test_nothing_is_fetched_but_the_shipped_fonts() -> None:
    try:
        weasyprint = pdf.weasyprint_module()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    fetcher = pdf.fetcher_class(weasyprint)(allowed_protocols={"file"})
    for url in ("https://example.org/font.ttf", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="no resource but its fonts"):
            fetcher(url)
    for name in pdf.FONT_FILES.values():
        response = fetcher((pdf.FONTS_DIR / name).as_uri())
        try:
            assert response.read(4) == b"\x00\x01\x00\x00"
        finally:
            response.close()


def test_the_fonts_and_their_licence_are_shipped() -> None:
    for name in pdf.FONT_FILES.values():
        assert (pdf.FONTS_DIR / name).read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType
    assert "SIL OPEN FONT LICENSE Version 1.1" in (pdf.FONTS_DIR / "OFL.txt").read_text("utf-8")


def test_the_module_does_not_import_django() -> None:
    code = "import sys, civicplan.plandoc.writers.pdf; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr

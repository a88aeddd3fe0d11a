"""The annual report as DOCX, PDF and XLSX: every count in the files is the rows' count (read
back with python-docx, openpyxl and pdfplumber and compared with `read_execution`'s rows), the
half-year report has only the half's rows, photos are bounded and read from the storage, the
number of queries does not grow with the plan. LibreOffice opens the DOCX and the PDF renders
with its charts: their first pages are kept as PNG under test-artifacts/screenshots/
(report-docx-page-N.png, report-pdf-page-N.png) for a person to look at."""

from __future__ import annotations

import base64
import io
import re
import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image

from civicplan.plandoc.writers import pdf as plan_pdf
from civicplan.plans.models import Activity
from civicplan.reports import actions, documents
from civicplan.reports.actions import NewMaterial, ReportData
from civicplan.reports.execution import STATE_LABELS, STATES, Execution, read_execution
from civicplan.reports.models import ReportMaterial
from tests.conftest import SCREENSHOTS
from tests.helpers import libreoffice_pdf, run_tool
from tests.reports.conftest import Year, photo

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "Отчёт о выполнении плана деятельности Ассоциации за 2024 год"


def label(state: str) -> str:
    return str(STATE_LABELS[state]).capitalize()


def expected_summary(execution: Execution) -> list[tuple[str, str]]:
    """The summary as the rows give it, counted here from the rows themselves."""
    rows = execution.rows
    states = Counter(row.state for row in rows)
    dated = [row for row in rows if row.in_window is not None]
    inside = sum(1 for row in dated if row.in_window)
    return [
        ("Мероприятий в плане", str(len(rows))),
        ("Проведено", str(states["held"])),
        ("Ждут отчёта", str(states["awaiting"])),
        ("Перенесено", str(states["postponed"])),
        ("Отменено", str(states["cancelled"])),
        ("Впереди", str(states["ahead"])),
        ("Участников всего", str(sum(row.participants or 0 for row in rows))),
        ("Заполнено отчётов", str(sum(row.reported for row in rows))),
        (
            "Проведено в запланированные сроки (из проведённых с известными датами)",
            f"{inside} из {len(dated)} ({round(100 * inside / len(dated))} %)",
        ),
    ]


def word_tables(data: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


@pytest.fixture
def year_docx(year: Year) -> bytes:
    return documents.write_report(year.plan, "year", "docx")


@pytest.fixture
def year_xlsx(year: Year) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(documents.write_report(year.plan, "year", "xlsx")))


def test_file_names_content_types_and_titles(year: Year) -> None:
    assert documents.file_name(year.plan, "year", "docx") == "report-2024.docx"
    assert documents.file_name(year.plan, "h1", "pdf") == "report-2024-h1.pdf"
    assert documents.file_name(year.plan, "h2", "xlsx") == "report-2024-h2.xlsx"
    assert documents.content_type("docx") == DOCX_TYPE
    assert documents.content_type("pdf") == "application/pdf"
    assert set(documents.REPORT_FORMATS) == {"docx", "pdf", "xlsx"}
    assert documents.report_title(2024, "year") == TITLE
    assert documents.report_title(2024, "h1").endswith("за I полугодие 2024 г.")
    assert documents.report_title(2024, "h2").endswith("за II полугодие 2024 г.")


def test_an_unknown_format_or_period_is_refused(year: Year) -> None:
    with pytest.raises(ValueError, match="odt"):
        documents.write_report(year.plan, "year", "odt")
    with pytest.raises(ValueError, match="q3"):
        documents.write_report(year.plan, "q3", "xlsx")


# -- DOCX -------------------------------------------------------------------------------------


def test_docx_layout_title_and_summary(year: Year, year_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(year_docx))
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((297, 210), abs=1)
    title = document.paragraphs[0]
    assert title.text == TITLE
    assert title.alignment == 1  # centred
    assert all(run.bold for run in title.runs)
    assert document.paragraphs[1].text.startswith("Ассоциация по улучшению состояния здоровья")
    assert document.paragraphs[2].text == "По состоянию на 10 сентября 2024 г."
    assert document.core_properties.title == TITLE
    defaults = document.styles.element.find(".//{*}rPrDefault/{*}rPr/{*}rFonts")
    assert "Times New Roman" in defaults.attrib.values()

    execution = read_execution(year.plan, "year")
    summary = [tuple(row) for row in word_tables(year_docx)[0]]
    assert summary == expected_summary(execution)
    # What the fixture holds, known: 37 rows, 7 held, 1 cancelled, 900 participants.
    assert summary[:7] == [
        ("Мероприятий в плане", "37"),
        ("Проведено", "7"),
        ("Ждут отчёта", "7"),
        ("Перенесено", "1"),
        ("Отменено", "1"),
        ("Впереди", "21"),
        ("Участников всего", "900"),
    ]
    assert summary[8][1] == "5 из 6 (83 %)"


def test_docx_has_every_row_with_its_state_and_outcome(year: Year, year_docx: bytes) -> None:
    execution = read_execution(year.plan, "year")
    header, *rows = word_tables(year_docx)[1]
    assert header == list(documents.ROW_HEADERS)
    assert len(rows) == len(execution.rows) == 37
    assert [int(row[0]) for row in rows] == [row.position for row in execution.rows]
    states = Counter(row[3].split("\n")[0] for row in rows)
    assert states == Counter(label(row.state) for row in execution.rows)
    assert states[label("held")] == 7
    assert states[label("cancelled")] == 1
    assert sum(int(row[5]) for row in rows if row[5]) == execution.participants == 900
    by_number = {int(row[0]): row for row in rows}
    assert by_number[7][3] == "Отменено\nПричина: Конгресс не состоялся"
    assert by_number[12][3] == "Перенесено\nПричина: Перенос по просьбе мэрии"
    assert "прежние сроки: Июнь 2024 г." in by_number[12][2].replace("\u00a0", " ")
    assert by_number[3][4].replace("\u00a0", " ") == "4-5 апреля 2024 г.\nочно и онлайн"
    assert by_number[3][6] == "Принята резолюция форума."
    assert by_number[1][4].split("\n")[1] == "Череповец, Дворец металлургов"
    assert by_number[8][3] == "Проведено\nОтчёт не заполнен"
    # Held by its progress (done), a long row owes no report.
    assert by_number[13][3] == "Проведено\nВыполнено на 100 % (выполнено, 28 июня 2024 г.)"
    assert by_number[33][3] == "Впереди\nВыполнено на 40 % (есть риски, 1 августа 2024 г.)"
    assert by_number[34][3] == "Впереди\nВыполнено на 50 % (по входящим мероприятиям)"


def test_docx_members_charts_and_photos(year: Year, year_docx: bytes) -> None:
    execution = read_execution(year.plan, "year")
    tables = word_tables(year_docx)
    header, *members = tables[2]
    assert header == list(documents.MEMBER_HEADERS)
    assert members == [
        [line.party.name, str(line.responsible), str(line.took_part), str(line.held)]
        for line in execution.members
    ]
    assert members[1] == ["Администрация г. Перми", "1", "2", "3"]
    # The charts (overall, by quarter, by kind) and the one photo, each with its description.
    shapes = docx.Document(io.BytesIO(year_docx)).inline_shapes
    descriptions = [shape._inline.docPr.get("descr") for shape in shapes]
    assert len(descriptions) == 4
    assert descriptions[0].startswith("Состояние мероприятий. Все мероприятия: всего 37 (")
    assert "II квартал: всего 8 (проведено 5, ждёт отчёта 2, отменено 1)" in descriptions[1]
    assert "форум: всего 15" in descriptions[2]
    assert descriptions[3].startswith("№ 3. Всероссийский форум «Здоровые города")
    assert descriptions[3].endswith("— Пленарное заседание, 4-5 апреля 2024\u00a0г.")
    assert tables[3][0][0].strip() == descriptions[3]  # the caption under the photo


def test_a_half_year_has_only_its_rows(year: Year) -> None:
    execution = read_execution(year.plan, "h1")
    data = documents.write_report(year.plan, "h1", "docx")
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == (
        "Отчёт о выполнении плана деятельности Ассоциации за I полугодие 2024 г."
    )
    summary, rows = word_tables(data)[:2]
    assert [tuple(row) for row in summary] == expected_summary(execution)
    numbers = [int(row[0]) for row in rows[1:]]
    assert numbers == [row.position for row in execution.rows]
    assert len(numbers) == 18
    assert all(row.half in ("h1", "both") for row in execution.rows)
    assert 1 in numbers
    assert 17 not in numbers  # September is not in the first half

    second = openpyxl.load_workbook(io.BytesIO(documents.write_report(year.plan, "h2", "xlsx")))
    sheet = second["Мероприятия"]
    assert sheet.max_row - 1 == len(read_execution(year.plan, "h2").rows) == 25
    assert sheet["A1"].value == "№"


def test_photos_are_bounded_and_a_missing_file_is_left_out(
    year: Year, monkeypatch: pytest.MonkeyPatch
) -> None:
    actions.save_report(
        year.staff,
        year.row(6),
        ReportData(
            participants=80,
            new_materials=[
                NewMaterial("photo", "Зал", name="a.jpg", content=photo(colour="#a27")),
                NewMaterial("photo", "Сцена", name="b.jpg", content=photo(colour="#27a")),
            ],
        ),
    )
    monkeypatch.setattr(documents, "PHOTO_LIMIT", 1)
    data = documents.write_report(year.plan, "year", "docx")
    assert len(docx.Document(io.BytesIO(data)).inline_shapes) == 3 + 1
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Фотографии показаны для 1 из 2 мероприятий (по одной на мероприятие)" in text

    monkeypatch.setattr(documents, "PHOTO_LIMIT", 24)
    first = ReportMaterial.objects.get(report__activity__position=3, kind="photo")
    default_storage.delete(first.thumbnail.name)
    data = documents.write_report(year.plan, "year", "docx")
    shapes = docx.Document(io.BytesIO(data)).inline_shapes
    assert [shape._inline.docPr.get("descr")[:4] for shape in list(shapes)[3:]] == ["№ 6."]


def test_the_number_of_queries_does_not_grow_with_the_plan(year: Year) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for format_name in ("docx", "xlsx"):
                documents.write_report(year.plan, "year", format_name)
        return len(captured)

    before = queries()
    member = year.members["Пермь"]
    for number in range(40):
        day = date(2024, 2, 1) + timedelta(days=number * 3)
        activity = Activity.objects.create(
            plan=year.plan,
            position=100 + number,
            title=f"Семинар № {number}",
            when_text=f"{day:%d.%m.%Y}",
            start=day,
            end=day,
            precision=Activity.Precision.DAY,
            kind=Activity.Kind.EDUCATION,
        )
        actions.save_report(
            year.staff,
            activity,
            ReportData(
                participants=number,
                member_ids=[member.pk],
                outcomes="Обучены специалисты.",
                new_materials=[NewMaterial("photo", "Зал", name="z.jpg", content=photo())]
                if number % 10 == 0
                else (),
            ),
        )
    assert len(read_execution(year.plan, "year").rows) == 77
    assert queries() == before == 2 * 8


def test_texts_are_russian_whatever_the_language(year: Year) -> None:
    with translation.override("en"):
        workbook = openpyxl.load_workbook(
            io.BytesIO(documents.write_report(year.plan, "year", "xlsx"))
        )
    states = {row[8] for row in workbook["Мероприятия"].iter_rows(min_row=2, values_only=True)}
    assert states == {"проведено", "ждёт отчёта", "перенесено", "отменено", "впереди"}


# -- XLSX -------------------------------------------------------------------------------------


def sheet_tables(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, list[tuple]]:
    """The breakdowns of «Сводка»: each table's lines by its title (the header's first cell)."""
    tables: dict[str, list[tuple]] = {}
    current = None
    for row in sheet.iter_rows(min_row=1, values_only=True):
        if row[1] == "Всего":
            current = tables.setdefault(row[0], [])
        elif current is not None and row[0] is not None:
            current.append(row[:7])
        elif row[0] is None:
            current = None
    return tables


def test_xlsx_summary_and_breakdowns(year: Year, year_xlsx: openpyxl.Workbook) -> None:
    execution = read_execution(year.plan, "year")
    assert year_xlsx.sheetnames == ["Сводка", "Мероприятия", "Участие членов"]
    summary = year_xlsx["Сводка"]
    assert summary["A1"].value == TITLE
    pairs = [(row[0], str(row[1])) for row in summary.iter_rows(5, 13, values_only=True)]
    assert pairs == expected_summary(execution)
    assert (summary["B5"].value, summary["B6"].value, summary["B9"].value) == (37, 7, 1)

    tables = sheet_tables(summary)
    assert list(tables) == [
        "По полугодиям",
        "По кварталам",
        "По видам мероприятий",
        "По ответственным организациям",
        "По городам",
    ]
    for title, groups in (
        ("По полугодиям", execution.by_half),
        ("По кварталам", execution.by_quarter),
        ("По видам мероприятий", execution.by_kind),
        ("По ответственным организациям", execution.by_organisation),
        ("По городам", execution.by_city),
    ):
        lines = tables[title]
        assert [line[0] for line in lines] == [group.label for group in groups]
        for line, group in zip(lines, groups, strict=True):
            rows = [row for row in execution.rows if _in_group(row, title, group.key)]
            counts = Counter(row.state for row in rows)
            assert line[1:] == (len(rows), *(counts[state] for state in STATES))
    assert sum(line[1] for line in tables["По кварталам"]) == 37
    assert tables["По кварталам"][1] == ("II квартал", 8, 5, 2, 0, 1, 0)


def _in_group(row, title: str, key: str) -> bool:
    return {
        "По полугодиям": lambda: row.half == key,
        "По кварталам": lambda: row.quarter == key,
        "По видам мероприятий": lambda: row.kind == key,
        "По ответственным организациям": lambda: key in {str(p.id) for p in row.responsible},
        "По городам": lambda: key in row.cities,
    }[title]()


def test_xlsx_rows_and_members(year: Year, year_xlsx: openpyxl.Workbook) -> None:
    execution = read_execution(year.plan, "year")
    sheet = year_xlsx["Мероприятия"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    columns = {name: index for index, name in enumerate(header)}
    assert [name for name, _width in documents.ROW_COLUMNS] == list(header)
    assert len(rows) == len(execution.rows) == 37
    assert [row[0] for row in rows] == [row.position for row in execution.rows]
    states = Counter(row[columns["Состояние"]] for row in rows)
    assert states == Counter(row.state_label for row in execution.rows)
    assert (states["проведено"], states["отменено"]) == (7, 1)
    assert sum(row[columns["Участников"]] or 0 for row in rows) == 900
    assert sum(row[columns["Отчёт"]] == "да" for row in rows) == execution.reports == 5
    third = rows[2]
    assert third[columns["Проведено с"]].date() == date(2024, 4, 4)
    assert third[columns["Проведено по"]].date() == date(2024, 4, 5)
    assert third[columns["Итоги"]] == "Принята резолюция форума."
    assert third[columns["Города"]] == "Москва"
    assert third[columns["Члены Ассоциации (участвовали)"]] == (
        "Администрация г. Перми; Администрация г. Хабаровска"
    )
    assert rows[6][columns["Причина переноса или отмены"]] == "Конгресс не состоялся"
    assert rows[32][columns["Выполнение, %"]] == 40

    members = list(year_xlsx["Участие членов"].iter_rows(values_only=True))
    assert members[0] == documents.MEMBER_HEADERS
    assert members[1:] == [
        (line.party.name, line.responsible, line.took_part, line.held) for line in execution.members
    ]


def test_xlsx_text_is_never_a_formula(year: Year) -> None:
    Activity.objects.filter(pk=year.row(5).pk).update(title='=HYPERLINK("http://x","y")')
    workbook = openpyxl.load_workbook(io.BytesIO(documents.write_report(year.plan, "year", "xlsx")))
    cell = workbook["Мероприятия"]["C6"]
    assert cell.value.startswith("=HYPERLINK")
    assert cell.data_type == "s"


# -- PDF, and the DOCX in LibreOffice ---------------------------------------------------------


def pdf_or_skip(year: Year, period: str = "year") -> bytes:
    try:
        return documents.write_report(year.plan, period, "pdf")
    except RuntimeError as missing:  # no Pango on this machine; CI installs it
        pytest.skip(str(missing))


def page_images(pdf: Path, name: str, pages: int, tmp_path: Path) -> list[Path]:
    """The first pages rendered by pdftoppm, kept as test-artifacts/screenshots/<name>-N.png."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm not installed (apt-get install poppler-utils)")
    run_tool(
        "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(pages), str(pdf), str(tmp_path / "p")
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    kept = []
    for number, rendered in enumerate(sorted(tmp_path.glob("p-*.png")), start=1):
        target = SCREENSHOTS / f"{name}-{number}.png"
        shutil.copyfile(rendered, target)
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        kept.append(target)
    assert len(kept) == pages
    return kept


def norm(text: str | None) -> str:
    """Whitespace made single spaces; a line broken after a word's hyphen joined back."""
    return " ".join(re.sub(r"(?<=\w)-\n", "-", text or "").split())


def pdf_entries(flat: str, execution: Execution) -> list[str]:
    """The register's entries, in the plan's order: each from «N. title» to the next one (the
    text normalised); an entry missing or out of order fails here."""
    starts, at = [], flat.index(str(documents.REGISTER_NOTE)[:40])
    for row in execution.rows:
        at = flat.index(f"{row.position}. {norm(row.title)}", at)
        starts.append(at)
    ends = [*starts[1:], flat.index("Участие членов Ассоциации", starts[-1])]
    return [flat[start:end] for start, end in zip(starts, ends, strict=True)]


def test_pdf_has_the_counts_the_charts_and_the_photo(year: Year, tmp_path: Path) -> None:
    data = pdf_or_skip(year)
    execution = read_execution(year.plan, "year")
    with pdfplumber.open(io.BytesIO(data)) as document:
        texts = [page.extract_text() or "" for page in document.pages]
        images = [len(page.images) for page in document.pages]
        fonts = {char["fontname"] for page in document.pages for char in page.chars}
        width, height = document.pages[0].width, document.pages[0].height
    assert (width, height) == pytest.approx((841.89, 595.28), abs=1)  # A4 landscape
    flat = norm("\n".join(texts))
    assert TITLE in flat
    for label_, value in expected_summary(execution)[:8]:
        assert f"{label_} {value}" in flat
    assert sum(images) == 4  # three charts, one photo
    assert all(re.match(r"^[A-Z]{6}\+Liberation-?Serif", font) for font in fonts)
    assert f"стр. 1 из {len(texts)}" in texts[0]

    entries = pdf_entries(flat, execution)
    for entry, row in zip(entries, execution.rows, strict=True):
        assert f") {label(row.state)}" in entry, entry  # the state right after the time frame
        if row.participants is not None:
            assert f"Участников: {row.participants}" in entry
    found = [int(n) for n in re.findall(r"Участников: (\d+)", " ".join(entries))]
    assert sum(found) == execution.participants == 900
    assert "Отменено · Причина: Конгресс не состоялся" in entries[6]

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    page_images(pdf, "report-pdf-page", 3, tmp_path)


def test_pdf_of_a_half_year(year: Year) -> None:
    data = pdf_or_skip(year, "h2")
    with pdfplumber.open(io.BytesIO(data)) as document:
        flat = re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in document.pages))
    assert "за II полугодие 2024 г." in flat
    assert "Мероприятий в плане 25" in flat
    assert "Фотографий проведённых мероприятий в отчётах нет." in flat


def test_libreoffice_opens_the_docx(year: Year, year_docx: bytes, tmp_path: Path) -> None:
    missing = [tool for tool in ("soffice", "pdftoppm", "pdftotext") if not shutil.which(tool)]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (apt-get install libreoffice-writer poppler-utils)"
        )
    source = tmp_path / "report-2024.docx"
    source.write_bytes(year_docx)
    converted = libreoffice_pdf(source, tmp_path)
    laid_out = norm(run_tool("pdftotext", "-layout", str(converted), "-"))
    assert TITLE in laid_out
    for label_, value in expected_summary(read_execution(year.plan, "year"))[:8]:
        assert f"{label_} {value}" in laid_out
    # Cell by cell, each row's title is there whole (pdftotext joins a word broken at its
    # hyphen without the hyphen: compared without spaces and hyphens).
    everything = re.sub(r"[\s-]+", "", run_tool("pdftotext", str(converted), "-"))
    for row in read_execution(year.plan, "year").rows:
        assert re.sub(r"[\s-]+", "", row.title) in everything, row.title
    for image in page_images(converted, "report-docx-page", 3, tmp_path):
        assert len(image.read_bytes()) > 10_000  # text and charts, not a blank page


def test_the_pdf_reads_nothing_but_its_fonts_and_embedded_pictures() -> None:
    try:
        weasyprint = plan_pdf.weasyprint_module()
    except RuntimeError as missing:  # no Pango on this machine; CI installs it
        pytest.skip(str(missing))
    fetcher = documents._fetcher_class(weasyprint)(
        allowed_protocols={"file", "data"}, fail_on_errors=True
    )
    pixel = base64.b64encode(one_pixel_png()).decode()
    assert fetcher.fetch(f"data:image/png;base64,{pixel}").read()[:4] == b"\x89PNG"
    for url in ("file:///etc/passwd", "data:text/css;base64,Ym9keXt9", "https://example.org/a.png"):
        with pytest.raises(ValueError, match="reads no resource but its fonts"):
            fetcher.fetch(url)


def one_pixel_png() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(stream, "PNG")
    return stream.getvalue()


def test_every_text_of_the_pdf_is_escaped(year: Year) -> None:
    Activity.objects.filter(pk=year.row(1).pk).update(title="<b>Форум</b> & «итоги»")
    with translation.override("ru"):
        report = documents._report(read_execution(year.plan, "year"), pictures=False)
    html = documents.render_html(report)
    assert "&lt;b&gt;Форум&lt;/b&gt; &amp; «итоги»" in html
    assert "<b>Форум" not in html

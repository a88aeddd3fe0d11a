"""The OpenDocument reader (`readers.odf`): ODT and ODS as odfpy and LibreOffice write them, the
shape of the SourceDocument it gives, the seed read back to the text seed's activities, and the
guards (repeated rows and cells, DTDs, passwords).

`build_odt` and `build_ods` write a plan of builders' blocks with odfpy, as `build_docx` and
`build_xlsx` do with python-docx and openpyxl (bench/formats.py uses them too).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.style import Style, TextProperties
from odf.table import CoveredTableCell, TableCell, TableColumn, TableRow
from odf.table import Table as OdfTable
from odf.text import Note, NoteBody, NoteCitation, P, Span

from civicplan.plandoc import read_plan
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers import check_file, read_source
from civicplan.plandoc.readers.limits import MAX_COLUMNS, MAX_ROWS
from civicplan.plandoc.source import Paragraph, Table
from tests.plandoc.builders import (
    MARKS,
    SEED,
    Block,
    Merged,
    plan_blocks,
    seed_raw,
    seed_title_lines,
)
from tests.plandoc.builders import Table as PlanTable

ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
ODT_MIME = "application/vnd.oasis.opendocument.text"


# -- building ODT and ODS with odfpy ---------------------------------------------------------------


def _saved(document: OpenDocumentText | OpenDocumentSpreadsheet) -> bytes:
    stream = io.BytesIO()
    document.write(stream)
    return stream.getvalue()


class _OdtWriter:
    def __init__(self, footnotes: dict[int, str] | None, ascii_marks: bool) -> None:
        self.document = OpenDocumentText()
        self.footnotes = footnotes or {}
        self.ascii_marks = ascii_marks
        self.raised = Style(name="Raised", family="text")
        self.raised.addElement(TextProperties(textposition="super 58%"))
        self.document.automaticstyles.addElement(self.raised)

    def paragraph(self, text: str) -> P:
        """A paragraph: footnote marks ¹²³ as raised spans, "[fn:N]" a real footnote."""
        paragraph = P()
        for piece in _pieces(text):
            if piece.startswith("[fn:"):
                number = int(piece[4:-1])
                note = Note(noteclass="footnote", id=f"ftn{number}")
                note.addElement(NoteCitation(text=str(number)))
                body = NoteBody()
                body.addElement(P(text=self.footnotes[number]))
                note.addElement(body)
                paragraph.addElement(note)
            elif piece[0] in MARKS:
                mark = piece.translate(str.maketrans(MARKS, "0123456789"))
                paragraph.addElement(
                    Span(stylename=self.raised, text=mark if self.ascii_marks else piece)
                )
            else:
                paragraph.addText(piece)
        return paragraph

    def table(self, table: PlanTable, number: int) -> OdfTable:
        width = max((len(row) for row in table.rows if not isinstance(row, Merged)), default=4)
        element = OdfTable(name=f"Таблица{number}")
        element.addElement(TableColumn(numbercolumnsrepeated=width))
        for row in table.rows:
            tr = TableRow()
            if isinstance(row, Merged):
                if row.number:
                    tr.addElement(_cell([self.paragraph(row.number)]))
                merged = _cell([self.paragraph(row.text)], across=width - bool(row.number))
                tr.addElement(merged)
                for _covered in range(width - 1 - bool(row.number)):
                    tr.addElement(CoveredTableCell())
            else:
                for value in row:
                    texts = value if isinstance(value, list) else [_text(value)]
                    tr.addElement(_cell([self.paragraph(text) for text in texts]))
            element.addElement(tr)
        return element


def _cell(paragraphs: Sequence[P], across: int = 1) -> TableCell:
    cell = TableCell(valuetype="string", numbercolumnsspanned=across) if across > 1 else None
    cell = cell or TableCell(valuetype="string")
    for paragraph in paragraphs:
        cell.addElement(paragraph)
    return cell


def _pieces(text: str) -> list[str]:
    import re

    return [piece for piece in re.split(r"(\[fn:\d+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)", text) if piece]


def _text(value: object) -> str:
    if isinstance(value, datetime | date):
        return f"{value:%d.%m.%Y}"
    return str(value or "")


def build_odt(
    title: Sequence[str],
    blocks: Sequence[Block],
    *,
    footnotes: dict[int, str] | None = None,
    ascii_marks: bool = False,
) -> bytes:
    """An ODT plan: title paragraphs, then the blocks (tables, paragraphs), as `build_docx`."""
    writer = _OdtWriter(footnotes, ascii_marks)
    for line in title:
        writer.document.text.addElement(P(text=line))
    for number, block in enumerate(blocks, start=1):
        if isinstance(block, str):
            writer.document.text.addElement(writer.paragraph(block))
        else:
            writer.document.text.addElement(writer.table(block, number))
    return _saved(writer.document)


def build_ods(title: Sequence[str], blocks: Sequence[Block]) -> bytes:
    """An ODS plan on the first sheet, as `build_xlsx` lays it out: title rows merged across,
    a blank row, the table (headings merged across), paragraphs in column A; dates as real
    date cells; the sheet ends as LibreOffice ends it, with a million empty rows."""
    document = OpenDocumentSpreadsheet()
    sheet = OdfTable(name="План")
    width = max(
        (len(r) for b in blocks if isinstance(b, PlanTable) for r in b.rows if isinstance(r, list)),
        default=4,
    )
    sheet.addElement(TableColumn(numbercolumnsrepeated=1024))

    def merged_row(text: str, number: str = "") -> None:
        tr = TableRow()
        if number:
            tr.addElement(_value_cell(number))
        span = width - bool(number)
        cell = TableCell(valuetype="string", numbercolumnsspanned=span)
        cell.addElement(P(text=text))
        tr.addElement(cell)
        tr.addElement(CoveredTableCell(numbercolumnsrepeated=span - 1))
        tr.addElement(TableCell(numbercolumnsrepeated=1024 - width))
        sheet.addElement(tr)

    for line in title:
        merged_row(line)
    if title:
        sheet.addElement(TableRow(numberrowsrepeated=1))
    for block in blocks:
        if isinstance(block, str):
            tr = TableRow()
            tr.addElement(_value_cell(block))
            sheet.addElement(tr)
            continue
        for row in block.rows:
            if isinstance(row, Merged):
                merged_row(row.text, row.number)
                continue
            tr = TableRow()
            for value in row:
                tr.addElement(_value_cell(" ".join(value) if isinstance(value, list) else value))
            sheet.addElement(tr)
    trailing = TableRow(numberrowsrepeated=1_048_000)
    trailing.addElement(TableCell(numbercolumnsrepeated=16384))
    sheet.addElement(trailing)
    document.spreadsheet.addElement(sheet)
    return _saved(document)


def _value_cell(value: object) -> TableCell:
    if isinstance(value, datetime | date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
        cell.addElement(P(text=f"{value:%d.%m.%y}"))
        return cell
    if not value:
        return TableCell()
    cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def seed_odt() -> bytes:
    return build_odt(seed_title_lines(), plan_blocks(seed_raw()))


def seed_ods() -> bytes:
    return build_ods(seed_title_lines(), plan_blocks(seed_raw()))


def activities(data: bytes, name: str) -> list[tuple[str, str, str, str]]:
    """What each activity of a plan file was read as: its time frame, title, place and
    responsible parties, as written."""
    plan = read_plan(data, name)
    return [
        (a.when.text, a.title, a.place.text if a.place else "", a.responsible_text)
        for a in plan.activities
    ]


@pytest.fixture(scope="module")
def seed_activities() -> list[tuple[str, str, str, str]]:
    return activities(SEED.read_bytes(), SEED.name)


# -- a package of our own, for the guards ----------------------------------------------------------

_CONTENT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    "<office:body>"
)


def odf_package(body: str, mimetype: str = ODS_MIME, *, manifest: str | None = None) -> bytes:
    """An OpenDocument package whose content.xml has the given body (`<office:spreadsheet>…`
    or `<office:text>…`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml", f"{_CONTENT_HEAD}{body}</office:body></office:document-content>"
        )
        archive.writestr(
            "META-INF/manifest.xml",
            manifest
            or (
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>'
            ),
        )
    return out.getvalue()


def _sheet(rows: str) -> str:
    sheet = f'<table:table table:name="План">{rows}</table:table>'
    return f"<office:spreadsheet>{sheet}</office:spreadsheet>"


def _row(*cells: str, repeated: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{attribute}>{''.join(cells)}</table:table-row>"


def _c(text: str = "", **attributes: object) -> str:
    names = " ".join(f'table:{k.replace("_", "-")}="{v}"' for k, v in attributes.items())
    if not text:
        return f"<table:table-cell {names}/>"
    return (
        f'<table:table-cell office:value-type="string" {names}>'
        f"<text:p>{text}</text:p></table:table-cell>"
    )


HEADER_ROW = _row(*(_c(name) for name in ("Сроки", "Мероприятия", "Место проведения")))


# -- ODT -------------------------------------------------------------------------------------------


def test_odt_blocks_in_order_with_merges_marks_and_notes():
    blocks: list[Block] = [
        PlanTable(
            [
                ["Сроки", "Мероприятия", "Место проведения", "Ответственный"],
                Merged("I ПОЛУГОДИЕ"),
                ["Март 2025 г.", ["Форум «Здоровые города» ¹", "Общее собрание"], "г. Пермь", ""],
                ["Апрель 2025 г.", "Конференция [fn:1]", "г. Москва", "дирекция"],
            ]
        ),
        "¹ В соответствии с предложениями глав.",
    ]
    data = build_odt(["ПЛАН НА 2025 ГОД"], blocks, footnotes={1: "По согласованию с Минздравом."})
    document = read_source(data, "plan.odt")
    title, table, footnote = document.blocks
    assert title == Paragraph(1, "ПЛАН НА 2025 ГОД")
    assert isinstance(table, Table)
    assert [row.number for row in table.rows] == [1, 2, 3, 4]
    heading = table.rows[1]
    assert heading.slots[0] is heading.slots[3]
    assert heading.own == [heading.slots[0]]
    assert heading.slots[0].text == "I ПОЛУГОДИЕ"
    forum = table.rows[2]
    assert forum.texts() == [
        "Март 2025 г.",
        "Форум «Здоровые города» Общее собрание",
        "г. Пермь",
        "",
    ]
    assert forum.slots[1].marks == ["¹"]
    conference = table.rows[3].slots[1]
    assert conference.text == "Конференция"
    assert conference.marks == [("footnote", "ftn1")]
    assert document.notes == {("footnote", "ftn1"): "По согласованию с Минздравом."}
    assert footnote == Paragraph(2, "¹ В соответствии с предложениями глав.")


def test_odt_ascii_marks_raised_are_marks():
    table = PlanTable([["Сроки", "Мероприятия"], ["Май", "Форум ¹"]])
    document = read_source(build_odt([], [table], ascii_marks=True), "plan.odt")
    assert document.blocks[0].rows[1].slots[1].marks == ["¹"]
    assert document.blocks[0].rows[1].slots[1].text == "Форум"


def test_odt_rows_spanned_nested_tables_and_repeated_rows():
    body = (
        "<office:text><text:p>План</text:p><table:table>"
        + _row(_c("Сроки"), _c("Мероприятия"))
        + _row(_c("Май", number_rows_spanned=2), _c("Первое"))
        + _row("<table:covered-table-cell/>", _c("второе"))
        + _row(
            _c("Июнь"),
            "<table:table-cell><text:p>Внешний</text:p><table:table><table:table-row>"
            "<table:table-cell><text:p>вложенный</text:p></table:table-cell>"
            "<table:table-cell><text:list><text:list-item><text:p>список</text:p>"
            "</text:list-item></text:list></table:table-cell></table:table-row></table:table>"
            "<office:annotation><text:p>комментарий</text:p></office:annotation>"
            "</table:table-cell>",
        )
        + _row(_c("Июль"), _c("Повтор"), repeated=2)
        + _row(_c(), _c(), repeated=1_000_000)
        + "</table:table><text:section><text:h>Примечание</text:h></text:section></office:text>"
    )
    document = read_source(odf_package(body, ODT_MIME), "plan.odt")
    paragraph, table, note = document.blocks
    assert paragraph.text == "План"
    assert note == Paragraph(2, "Примечание")
    may, second = table.rows[1], table.rows[2]
    assert may.slots[0] is second.slots[0]
    assert second.own == [second.slots[1]]
    assert table.rows[3].texts() == ["Июнь", "Внешний вложенный список"]
    first, repeated = table.rows[4], table.rows[5]
    assert first.texts() == repeated.texts() == ["Июль", "Повтор"]
    assert first.slots[0] is not repeated.slots[0]
    assert [row.number for row in table.rows] == [1, 2, 3, 4, 5, 6]


def test_odt_tracked_deletions_and_comments_are_not_text():
    body = (
        '<office:text><text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        "<text:p>удалённый текст</text:p></text:deletion></text:changed-region>"
        "</text:tracked-changes><text:p>Видимый<office:annotation><text:p>заметка</text:p>"
        "</office:annotation> текст</text:p></office:text>"
    )
    document = read_source(odf_package(body, ODT_MIME), "plan.odt")
    assert document.blocks == [Paragraph(1, "Видимый текст")]


def test_odt_seed_reads_as_the_text_seed(seed_activities):
    assert activities(seed_odt(), "plan-2024.odt") == seed_activities


# -- ODS -------------------------------------------------------------------------------------------


def test_ods_first_sheet_with_merges_dates_and_sheet_row_numbers():
    rows = (
        _row(
            _c("ПЛАН", number_columns_spanned=3),
            '<table:covered-table-cell table:number-columns-repeated="2"/>',
        )
        + _row(_c(), repeated=3)
        + HEADER_ROW
        + _row(
            '<table:table-cell office:value-type="date" office:date-value="2025-03-12">'
            "<text:p>12 мар 25</text:p></table:table-cell>",
            _c("Форум", number_rows_spanned=2),
            _c("г. Пермь"),
        )
        + _row(
            '<table:table-cell office:value-type="date" office:date-value="2025-03-13T10:30:00">'
            "<text:p>13.03</text:p></table:table-cell>",
            "<table:covered-table-cell/>",
            '<table:table-cell office:value-type="time" office:time-value="PT14H05M00S">'
            "<text:p>2 PM</text:p></table:table-cell>",
        )
        + _row(_c(), _c("Повтор"), repeated=3)
        + _row(_c(number_columns_repeated=16384), repeated=1_048_000)
    )
    other = '<table:table table:name="Другой">' + HEADER_ROW + "</table:table>"
    body = _sheet(rows).replace("</table:table>", "</table:table>" + other)
    document = read_source(odf_package(body), "plan.ods")
    (table,) = document.blocks
    assert [row.number for row in table.rows] == [1, 5, 6, 7, 8, 9, 10]
    title = table.rows[0]
    assert title.slots[0] is title.slots[2]
    assert len(title.own) == 1
    first, second = table.rows[2], table.rows[3]
    assert first.texts() == ["12.03.2025", "Форум", "г. Пермь"]
    assert second.texts() == ["13.03.2025 10:30", "Форум", "14:05"]
    assert second.slots[1] is first.slots[1]
    assert first.slots[1] not in second.own
    assert [row.texts() for row in table.rows[4:]] == [["", "Повтор"]] * 3


def test_ods_seed_reads_as_the_text_seed(seed_activities):
    assert activities(seed_ods(), "plan-2024.ods") == seed_activities


def test_ods_repeated_row_bomb_is_refused_quickly():
    """A filled row repeated a billion times: expanded only up to MAX_ROWS, then refused."""
    rows = HEADER_ROW + _row(_c("Май"), _c("Форум"), _c("Пермь"), repeated=1_000_000_000)
    started = time.perf_counter()
    with pytest.raises(PlanReadError, match="больше 10 000 строк"):
        read_source(odf_package(_sheet(rows)), "bomb.ods")
    assert time.perf_counter() - started < 5


def test_ods_repeated_columns_are_bounded():
    rows = HEADER_ROW + _row(_c("Форум", number_columns_repeated=1_000_000_000))
    (table,) = read_source(odf_package(_sheet(rows)), "wide.ods").blocks
    assert len(table.rows[1].slots) == MAX_COLUMNS
    assert len(set(map(id, table.rows[1].slots))) == MAX_COLUMNS  # each its own cell


def test_ods_text_only_right_of_the_columns_read_is_refused():
    rows = _row(_c(number_columns_repeated=100), _c("Форум"))
    with pytest.raises(PlanReadError, match=r"правее 64-го столбца .*CW1"):
        read_source(odf_package(_sheet(rows)), "far.ods")


def test_ods_filled_row_past_the_limit_is_refused():
    rows = HEADER_ROW + _row(_c(), repeated=MAX_ROWS) + _row(_c("Форум"))
    with pytest.raises(PlanReadError, match="больше 10 000 строк"):
        read_source(odf_package(_sheet(rows)), "far.ods")


# -- the package's guards --------------------------------------------------------------------------


def test_dtd_in_content_is_refused():
    data = odf_package(_sheet(HEADER_ROW)).replace(b"", b"")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "content.xml":
                content = content.replace(
                    b"<office:document-content",
                    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><office:document-content',
                    1,
                )
            target.writestr(item, content)
    for check in (check_file, read_source):
        with pytest.raises(PlanReadError, match=r"content\.xml содержит объявление"):
            check(out.getvalue(), "dtd.ods")


def test_password_protected_document_is_refused():
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        "</manifest:file-entry></manifest:manifest>"
    )
    data = odf_package(_sheet(HEADER_ROW), manifest=manifest)
    with pytest.raises(PlanReadError, match="защищён паролем"):
        check_file(data, "secret.ods")


def test_other_opendocument_kinds_and_zips_are_refused():
    presentation = odf_package(
        "<office:presentation/>", "application/vnd.oasis.opendocument.presentation"
    )
    with pytest.raises(PlanReadError, match=r"\(presentation\) не поддерживается"):
        check_file(presentation, "slides.odp")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.txt", "не план")
    with pytest.raises(PlanReadError, match="формат не поддерживается: нужен план в DOCX"):
        check_file(out.getvalue(), "photos.zip")


def test_package_without_mimetype_is_known_by_its_manifest():
    data = odf_package(_sheet(HEADER_ROW))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != "mimetype":
                target.writestr(item, source.read(item))
    (table,) = read_source(out.getvalue(), "plan.ods").blocks
    assert table.rows[0].texts() == ["Сроки", "Мероприятия", "Место проведения"]


# -- as LibreOffice writes them --------------------------------------------------------------------


def _libreoffice(data: bytes, name: str, target: str, tmp_path: Path) -> bytes:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice not installed "
            "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"
        )
    source = tmp_path / name
    source.write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "out" / f"{source.stem}.{target}").read_bytes()


def test_libreoffice_odt_and_ods_of_the_seed_read_as_the_text_seed(seed_activities, tmp_path):
    from tests.plandoc.builders import seed_docx, seed_xlsx

    odt = _libreoffice(seed_docx(), "plan-2024.docx", "odt", tmp_path)
    ods = _libreoffice(seed_xlsx(), "plan-2024.xlsx", "ods", tmp_path)
    assert activities(odt, "plan-2024.odt") == seed_activities
    assert activities(ods, "plan-2024.ods") == seed_activities

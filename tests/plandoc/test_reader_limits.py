"""Hostile plan files, as the tracker's probes built them: each is refused with a message that
says what is wrong, where and the limit, or read within the limits, and reading it never grows
the process by much. Memory is measured (its peak growth, lxml's too); time only as a generous
sanity bound, the targets (300 MB, 30 s) are `bench/hostile_plans.py`'s."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawRow
from civicplan.plandoc.readers import read_raw
from civicplan.plandoc.readers.limits import MAX_CELLS, MAX_PARAGRAPHS, MAX_ROWS, MB
from civicplan.plandoc.readers.package import open_part, xml_encoding
from tests.plandoc.builders import seed_docx, seed_xlsx
from tests.plandoc.hostile import (
    far_cell_xlsx,
    huge_paragraph_docx,
    huge_table_docx,
    long_sheet_xlsx,
    long_table_docx,
    lying_sizes,
    many_merges_xlsx,
    many_strings_xlsx,
    paragraphs_docx,
    peak_memory,
    plan_sheet_xlsx,
    reencoded_docx,
    replace_part,
    wide_sheet_xlsx,
    wide_table_docx,
)

SANITY_SECONDS = 20  # far over what any of these takes; a hang or a quadratic loop fails it


def refused(data: bytes, match: str, peak_mb: float = 100) -> PlanReadError:
    """Read the file, expecting a PlanReadError matching `match`, within the memory bound."""
    started = time.perf_counter()
    with peak_memory() as usage, pytest.raises(PlanReadError, match=match) as error:
        read_raw(data, "plan")
    assert usage.peak_mb < peak_mb, f"{usage.peak_mb:.0f} MB"
    assert time.perf_counter() - started < SANITY_SECONDS
    assert error.value.source == "plan"
    return error.value


# -- sizes of the parts ---------------------------------------------------------------------------


def test_docx_whose_document_part_is_a_150_mb_table_is_refused() -> None:
    data = huge_table_docx(150)
    assert len(data) < 20 * MB  # under the file limit, and compressed less than the bomb ratio
    error = refused(data, r"часть word/document\.xml больше 64 МБ в распакованном виде", 30)
    assert error.row is None


def test_a_part_is_counted_as_it_is_unpacked_not_by_its_header() -> None:
    archive = zipfile.ZipFile(io.BytesIO(huge_table_docx(3)))
    stream = open_part(archive, "word/document.xml", "plan", limit=MB)
    with pytest.raises(PlanReadError, match="больше 1 МБ"):
        for _chunk in stream.chunks():
            pass
    assert MB < stream.read_bytes <= MB + 64 * 1024  # stopped at the chunk that went past


def test_a_part_whose_header_understates_its_size_is_refused() -> None:
    data = replace_part(seed_docx(), "word/document.xml", os.urandom(2 * MB))
    refused(lying_sizes(data, "word/document.xml", 1000), "повреждённ")


def test_a_part_parsed_whole_over_its_limit_is_refused() -> None:
    with zipfile.ZipFile(io.BytesIO(seed_docx())) as archive:
        styles = archive.read("word/styles.xml")
    padding = b"<!-- " + os.urandom(5 * MB).hex().encode()[: 5 * MB] + b" -->"
    data = replace_part(seed_docx(), "word/styles.xml", styles + padding)
    refused(data, r"часть word/styles\.xml больше 4 МБ")


def test_a_part_parsed_whole_is_counted_whatever_its_name() -> None:
    """Named "styles.bin", the styles pass the package check under the streamed parts' limit;
    parsed whole, they are counted against the 4 MB of a tree."""
    padding = b"<!-- " + os.urandom(5 * MB).hex().encode()[: 5 * MB] + b" -->"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed_docx())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                content = content.replace(b'Target="styles.xml"', b'Target="styles.bin"')
            if info.filename == "word/styles.xml":
                target.writestr("word/styles.bin", content + padding)
            else:
                target.writestr(info, content)
    refused(out.getvalue(), r"часть word/styles\.bin больше 4 МБ")


# -- rows, cells, paragraphs and elements of a DOCX -----------------------------------------------


def test_docx_table_over_the_row_limit_is_refused_at_the_first_row_past_it() -> None:
    error = refused(long_table_docx(MAX_ROWS + 500), r"больше 10 000 строк \(часть word/document")
    assert error.row == MAX_ROWS + 1
    assert str(error).startswith("plan, строка 10001: ")


def test_docx_table_of_the_row_limit_is_read() -> None:
    with peak_memory() as usage:
        document = read_raw(long_table_docx(MAX_ROWS - 1), "plan")  # and the header row
    assert sum(isinstance(item, RawRow) for item in document.items) == MAX_ROWS - 1
    assert usage.peak_mb < 100


def test_docx_table_over_the_cell_limit_is_refused() -> None:
    error = refused(wide_table_docx(MAX_CELLS // 64 + 10), "больше 200 000 заполненных ячеек")
    assert error.row == MAX_CELLS // 64 + 1  # the header's 4 cells, then 64 a row


def test_docx_paragraph_of_too_many_elements_is_refused() -> None:
    refused(huge_paragraph_docx(), "больше 100 000 элементов XML")


def test_docx_with_too_many_paragraphs_is_refused() -> None:
    refused(paragraphs_docx(10_001), "больше 10 000 абзацев вне таблиц")


# -- DOCTYPE in any encoding ----------------------------------------------------------------------

ENCODINGS = {
    "UTF-16 LE, BOM": ("utf-16-le", True, "UTF-16"),
    "UTF-16 BE, BOM": ("utf-16-be", True, "UTF-16"),
    "UTF-16 LE, no BOM": ("utf-16-le", False, "UTF-16"),
    "UTF-16 BE, no BOM": ("utf-16-be", False, "UTF-16"),
    "UTF-16 LE, no BOM, no declaration": ("utf-16-le", False, None),
    "UTF-32 LE, BOM": ("utf-32-le", True, "UTF-32"),
    "UTF-32 BE, no BOM": ("utf-32-be", False, "UTF-32"),
    "UTF-8, BOM, declared UTF-8": ("utf-8", True, "UTF-8"),
    "UTF-8 declared utf-16": ("utf-8", False, "utf-16"),
}


@pytest.mark.parametrize("form", sorted(ENCODINGS))
def test_doctype_is_refused_in_every_encoding(form: str) -> None:
    encoding, bom, declared = ENCODINGS[form]
    data = reencoded_docx(encoding, bom=bom, declared=declared, doctype=True)
    refused(data, r"часть word/document\.xml содержит объявление XML-сущностей \(DOCTYPE\)")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_document_without_doctype_reads_as_the_seed(encoding: str) -> None:
    data = reencoded_docx(encoding, bom=True, declared="UTF-16", doctype=False)
    assert read_raw(data, "plan.docx") == read_raw(seed_docx(), "plan.docx")


def test_doctype_after_a_long_comment_is_refused() -> None:
    with zipfile.ZipFile(io.BytesIO(seed_docx())) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    head, body = xml.split("?>", 1)
    hidden = f"{head}?><!-- {'x' * 300_000} --><!DOCTYPE w [<!ENTITY a 'a'>]>{body}"
    data = replace_part(seed_docx(), "word/document.xml", hidden.encode("utf-16"))
    refused(data, "DOCTYPE")


def test_doctype_in_an_xlsx_part_in_utf16_is_refused() -> None:
    data = seed_xlsx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/workbook.xml").decode("utf-8")
    body = xml.split("?>", 1)[-1].lstrip()
    xml = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x>{body}'
    refused(replace_part(data, "xl/workbook.xml", xml.encode("utf-16-be")), "DOCTYPE")


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        (b"\xff\xfe\x00\x00<\x00\x00\x00", "utf-32"),
        (b"\x00\x00\x00<\x00\x00\x00?", "utf-32-be"),
        (b"<\x00?\x00x\x00m\x00", "utf-16-le"),
        (b"\xfe\xff\x00<", "utf-16"),
        (b'<?xml version="1.0" encoding="windows-1251"?>', "cp1251"),
        (b'<?xml version="1.0" encoding="x-unknown"?>', "utf-8"),
        (b'<?xml version="1.0" encoding="hex"?>', "utf-8"),
        (b'<?xml version="1.0" encoding="utf-16"?>', "utf-8"),
        (b"<w:document>", "utf-8"),
    ],
)
def test_xml_encoding_is_found_as_xml_finds_it(head: bytes, encoding: str) -> None:
    assert xml_encoding(head) == encoding


# -- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_whose_only_cell_is_at_the_sheets_last_column_and_row_is_refused() -> None:
    data = far_cell_xlsx()
    assert len(data) < 5 * 1024
    refused(data, "правее 64-го столбца \\(первая из них: XFD1048576\\)", 30)


def test_xlsx_of_200000_rows_is_refused_at_the_first_row_past_the_limit() -> None:
    error = refused(long_sheet_xlsx(200_000), "на листе «План» больше 10 000 строк")
    assert error.row == MAX_ROWS + 1


def test_xlsx_over_the_cell_limit_is_refused() -> None:
    refused(wide_sheet_xlsx(MAX_CELLS // 64 + 10), "больше 200 000 заполненных ячеек")


def test_xlsx_with_too_many_shared_strings_is_refused() -> None:
    refused(many_strings_xlsx(), r"в части xl/sharedStrings\.xml больше 200 000 строк текста")


def test_xlsx_with_too_many_merged_cells_is_refused() -> None:
    refused(many_merges_xlsx(), "больше 200 000 объединённых ячеек")


def test_xlsx_empty_rows_far_below_the_plan_are_ignored() -> None:
    cells = ("Март", "Форум")
    row = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in cells)
    far = b'<row r="900000" customHeight="1" ht="20"><c r="A900000" s="0"/></row>'
    with peak_memory() as usage:
        document = read_raw(plan_sheet_xlsx([f'<row r="2">{row}</row>'.encode(), far]), "plan.xlsx")
    assert [item.cells["title"] for item in document.items if isinstance(item, RawRow)] == ["Форум"]
    assert usage.peak_mb < 50


def test_a_text_file_over_the_line_limits_is_refused_at_the_line_past_them() -> None:
    header = "Сроки\tМероприятие\n"
    rows = "".join(f"Март\tФорум {number}\n" for number in range(MAX_ROWS + 1))
    with pytest.raises(PlanReadError, match="строк или") as error:
        read_raw((header + rows).encode(), "plan.txt")
    assert error.value.row == MAX_ROWS + 1  # the header is a row of the table too
    lines = "".join(f"7 апреля — Акция {number}\n" for number in range(MAX_PARAGRAPHS + 1))
    with pytest.raises(PlanReadError, match="строк вне таблицы") as error:
        read_raw(lines.encode(), "plan.txt")
    assert error.value.row == MAX_PARAGRAPHS + 1

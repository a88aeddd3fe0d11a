"""The PDF reader (`readers.pdf`): plans printed to PDF by WeasyPrint (from HTML, ruled and not)
and by LibreOffice, the shape of what it reads, the seed read back to the text seed's activities,
and the refusals: a scan, a password, too many pages, a page of a million characters, a stream
that inflates to gigabytes, a damaged file.

`build_pdf` prints a plan of builders' blocks (bench/formats.py uses it too).
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import time
import zlib
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest

from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers import check_file, read_source
from civicplan.plandoc.readers import pdf as pdf_reader
from civicplan.plandoc.source import Paragraph, Table
from civicplan.plandoc.writers.pdf import FAMILY, FONT_FILES, FONTS_DIR
from tests.plandoc.builders import (
    SEED,
    Block,
    Merged,
    plan_blocks,
    seed_raw,
    seed_title_lines,
)
from tests.plandoc.builders import Table as PlanTable
from tests.plandoc.test_readers_odf import activities

_MARKS = re.compile(r"([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")


# -- printing a plan with WeasyPrint ---------------------------------------------------------------


def _cell_html(value: object) -> str:
    if isinstance(value, list):
        return "".join(f"<p>{_inline(text)}</p>" for text in value)
    if isinstance(value, datetime | date):
        return f"{value:%d.%m.%Y}"
    return _inline(str(value or ""))


def _inline(text: str) -> str:
    """Footnote marks as superscript digits (as Word prints a raised "1")."""
    digits = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    return _MARKS.sub(lambda m: f"<sup>{m.group(1).translate(digits)}</sup>", html.escape(text))


def plan_html(title: Sequence[str], blocks: Sequence[Block], *, ruled: bool = True) -> str:
    faces = "".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(FONTS_DIR / name).as_uri()}"); }}'
        for (weight, style), name in FONT_FILES.items()
    )
    border = "1px solid black" if ruled else "none"
    style = (
        f"{faces} @page {{ size: A4 landscape; margin: 15mm; }} "
        f'body {{ font-family: "{FAMILY}"; font-size: 11pt; }} '
        "table { border-collapse: collapse; width: 100%; } "
        f"td {{ border: {border}; padding: 3pt; vertical-align: top; }} "
        "td p { margin: 0; } .heading { text-align: center; font-weight: bold; } "
        "h1 { font-size: 12pt; text-align: center; margin: 0; }"
    )
    out = [f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>"]
    out.extend(f"<h1>{html.escape(line)}</h1>" for line in title)
    for block in blocks:
        if isinstance(block, str):
            out.append(f"<p>{_inline(block)}</p>")
            continue
        width = max((len(r) for r in block.rows if not isinstance(r, Merged)), default=4)
        out.append('<table><colgroup><col style="width: 16%"><col style="width: 40%">')
        out.append('<col style="width: 20%"><col style="width: 24%"></colgroup>')
        for row in block.rows:
            if isinstance(row, Merged):
                number = f"<td>{html.escape(row.number)}</td>" if row.number else ""
                span = width - bool(row.number)
                text = html.escape(row.text)
                out.append(f"<tr>{number}<td colspan='{span}' class='heading'>{text}</td></tr>")
            else:
                out.append("<tr>" + "".join(f"<td>{_cell_html(v)}</td>" for v in row) + "</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "".join(out)


def build_pdf(title: Sequence[str], blocks: Sequence[Block], *, ruled: bool = True) -> bytes:
    """The plan printed by WeasyPrint on A4 landscape pages, its table ruled or not."""
    try:
        import weasyprint
    except OSError as error:  # Pango missing
        pytest.skip(f"WeasyPrint cannot run here ({error}): apt-get install libpango-1.0-0")
    return weasyprint.HTML(string=plan_html(title, blocks, ruled=ruled)).write_pdf()


def seed_pdf(*, ruled: bool = True) -> bytes:
    return build_pdf(seed_title_lines(), plan_blocks(seed_raw()), ruled=ruled)


@pytest.fixture(scope="module")
def seed_activities() -> list[tuple[str, str, str, str]]:
    return activities(SEED.read_bytes(), SEED.name)


# -- hostile and odd PDFs, written by hand ---------------------------------------------------------


def handmade_pdf(pages: Sequence[bytes], *, font: bool = True) -> bytes:
    """A PDF of pages given as content streams (already encoded, filters in their dicts)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * index} 0 R" for index in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_ref = 3 + 2 * len(pages)
    resources = f"/Resources << /Font << /F1 {font_ref} 0 R >> >>" if font else ""
    for index, content in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] "
            f"/Contents {4 + 2 * index} 0 R {resources} >>".encode()
        )
        objects.append(content)
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)


def text_page(text: str = "Plan") -> bytes:
    return stream(f"BT /F1 12 Tf 72 500 Td ({text}) Tj ET".encode())


def inflating_pdf(megabytes: int = 4000) -> bytes:
    """One page whose content stream inflates to `megabytes` MB of blanks (about 4 MB packed)."""
    packer = zlib.compressobj(9)
    packed = packer.compress(b"BT /F1 12 Tf 72 500 Td (Plan) Tj ET\n")
    blanks = b" " * (1 << 20)
    packed += b"".join(packer.compress(blanks) for _ in range(megabytes)) + packer.flush()
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (
        len(packed),
        packed,
    )
    return handmade_pdf([content])


def crowded_pdf(characters: int = 300_000) -> bytes:
    """One page of `characters` one-letter text runs."""
    runs = b"".join(b"1 0 Td (x) Tj " for _ in range(characters))
    return handmade_pdf([stream(b"BT /F1 1 Tf " + runs + b"ET")])


def scanned_pdf() -> bytes:
    """Pages that are only images, as a scanner writes them."""
    from PIL import Image, ImageDraw

    pages = []
    for number in range(2):
        image = Image.new("RGB", (600, 400), "white")
        ImageDraw.Draw(image).text((40, 40), f"ПЛАН {number}", fill="black")
        pages.append(image)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=72)
    return out.getvalue()


# -- what is read ----------------------------------------------------------------------------------


def test_pdf_blocks_in_page_order_with_merged_headings_and_marks():
    blocks: list[Block] = [
        PlanTable(
            [
                ["Сроки", "Мероприятия", "Место проведения", "Ответственный"],
                Merged("I ПОЛУГОДИЕ"),
                ["Март 2025 г.", ["Форум «Здоровые города» ¹", "Общее собрание"], "г. Пермь", ""],
            ]
        ),
        "¹ В соответствии с предложениями глав.",
    ]
    document = read_source(build_pdf(["ПЛАН НА 2025 ГОД"], blocks), "plan.pdf")
    title, table, footnote = document.blocks
    assert title == Paragraph(1, "ПЛАН НА 2025 ГОД")
    assert isinstance(table, Table)
    assert [row.number for row in table.rows] == [1, 2, 3]
    heading = table.rows[1]
    assert heading.slots[0] is heading.slots[3]
    assert heading.own == [heading.slots[0]]
    assert heading.slots[0].text == "I ПОЛУГОДИЕ"
    assert table.rows[2].texts() == [
        "Март 2025 г.",
        "Форум «Здоровые города» ¹ Общее собрание",  # a raised "1" is a mark
        "г. Пермь",
        "",
    ]
    assert footnote == Paragraph(2, "¹ В соответствии с предложениями глав.")


def _slashes(read: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A line broken after "/" reads "a/b" whether the text had "a/ b" or "a/b"."""
    return [tuple((text or "").replace("/ ", "/") for text in row) for row in read]


def test_pdf_seed_reads_as_the_text_seed(seed_activities):
    """WeasyPrint breaks rows across pages, without a rule on the broken side."""
    read = activities(seed_pdf(), "plan-2024.pdf")
    assert _slashes(read) == _slashes(seed_activities)


def test_pdf_unruled_table_is_read_by_its_aligned_text():
    """Without rules the table is found by pdfplumber's text alignment: rougher (a wrapped
    cell's lines may come as rows of their own), but its rows are there."""
    table = PlanTable(
        [["Сроки", "Мероприятия", "Место проведения", "Ответственный"]]
        + [[f"{day} мая 2025 г.", f"Форум {day}", "г. Пермь", "дирекция"] for day in range(1, 9)]
    )
    document = read_source(build_pdf(["ПЛАН"], [table], ruled=False), "plan.pdf")
    rows = [
        row.texts() for block in document.blocks if isinstance(block, Table) for row in block.rows
    ]
    assert any("Форум 3" in row and "г. Пермь" in row for row in rows)


def test_libreoffice_pdf_of_the_seed(seed_activities, tmp_path):
    """Word's layout printed by LibreOffice: narrow columns, rows broken across pages."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    from tests.plandoc.builders import seed_docx

    (tmp_path / "plan-2024.docx").write_bytes(seed_docx())
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "plan-2024.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    read = activities((tmp_path / "plan-2024.pdf").read_bytes(), "plan-2024.pdf")
    assert len(read) == len(seed_activities)
    assert [row[0] for row in read] == [row[0] for row in seed_activities]  # time frames
    assert [row[2] for row in read] == [row[2] for row in seed_activities]  # places
    same_titles = sum(r[1] == s[1] for r, s in zip(read, seed_activities, strict=True))
    assert same_titles >= len(seed_activities) - 5  # words LibreOffice broke at a cell's edge


# -- refusals --------------------------------------------------------------------------------------


def test_scanned_pdf_is_refused_at_once():
    for check in (check_file, read_source):
        with pytest.raises(PlanReadError, match="в PDF нет текстового слоя"):
            check(scanned_pdf(), "scan.pdf")


def test_too_many_pages_are_refused():
    data = handmade_pdf([text_page()] * (pdf_reader.MAX_PAGES + 1))
    with pytest.raises(PlanReadError, match="в PDF 501 страниц, больше 500"):
        check_file(data, "long.pdf")


def test_a_page_of_too_many_characters_is_refused():
    with pytest.raises(PlanReadError, match="на странице 1 PDF больше 100 000 знаков"):
        read_source(crowded_pdf(150_000), "crowded.pdf")


@pytest.fixture(scope="module")
def inflating() -> bytes:
    return inflating_pdf(2000)  # past the reading process's address space


def test_an_inflating_stream_is_refused_within_the_limits(inflating):
    started = time.perf_counter()
    with pytest.raises(PlanReadError, match="PDF слишком сложен"):
        check_file(inflating, "bomb.pdf")
    assert time.perf_counter() - started < pdf_reader.CHECK_SECONDS + 5


def test_damaged_pdf_is_refused():
    with pytest.raises(PlanReadError, match="PDF повреждён"):
        check_file(b"%PDF-1.4\nnot a PDF at all\n", "broken.pdf")


def test_the_process_is_killed_when_its_time_is_up(monkeypatch):
    monkeypatch.setattr(pdf_reader, "CHECK_SECONDS", 0)
    started = time.perf_counter()
    with pytest.raises(PlanReadError, match="PDF слишком сложен"):
        check_file(crowded_pdf(50_000), "slow.pdf")
    assert time.perf_counter() - started < 10


def _libreoffice_pdf(tmp_path: Path, options: str) -> bytes:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    (tmp_path / "plan.html").write_text(
        plan_html(["ПЛАН"], [PlanTable([["Сроки", "Мероприятия"], ["Май", "Форум"]])]),
        encoding="utf-8",
    )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            f"pdf:writer_pdf_Export:{options}",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "plan.html"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "plan.pdf").read_bytes()


def test_password_to_open_is_refused_and_permissions_alone_are_read(tmp_path):
    locked = _libreoffice_pdf(
        tmp_path,
        '{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}',
    )
    assert b"/Encrypt" in locked
    with pytest.raises(PlanReadError, match="защищён паролем"):
        check_file(locked, "locked.pdf")
    restricted = _libreoffice_pdf(
        tmp_path,
        '{"RestrictPermissions":{"type":"boolean","value":"true"},'
        '"PermissionPassword":{"type":"string","value":"owner"},'
        '"Printing":{"type":"long","value":"0"}}',
    )
    assert b"/Encrypt" in restricted
    texts = [
        block.text if isinstance(block, Paragraph) else " ".join(block.rows[-1].texts())
        for block in read_source(restricted, "restricted.pdf").blocks
    ]
    assert "Форум" in " ".join(texts)

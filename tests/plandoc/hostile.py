"""Hostile plan files, built small and fast, as an attacker would send them: for the reader's
limit tests and for `bench/hostile_plans.py`.

The large parts are written to the ZIP from generators, a chunk at a time, never built as one
string; their rows vary (a counter and a random token each) so that they compress about 20:1,
not 1000:1, and pass the ZIP-bomb ratio check as a real plan's table would.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import random
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.plandoc.builders import seed_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
MB = 1024 * 1024
HEADER = ("Сроки", "Мероприятия", "Место проведения", "Ответственный")

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def _rels(*relations: tuple[str, str, str]) -> str:
    items = "".join(
        f'<Relationship Id="{rel_id}" Type="{R_NS}/{kind}" Target="{target}"/>'
        for rel_id, kind, target in relations
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
    return f"{head}{items}</Relationships>"


def _package(parts: dict[str, str | Iterable[bytes]]) -> bytes:
    """A ZIP of the parts; a part given as chunks is streamed into it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in parts.items():
            if isinstance(content, str):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as stream:
                for chunk in content:
                    stream.write(chunk)
    return out.getvalue()


# -- DOCX -----------------------------------------------------------------------------------------


def _word_row(cells: Iterable[str]) -> str:
    return (
        "<w:tr>"
        + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in cells)
        + "</w:tr>"
    )


def _table_rows(rows: int | None, part_bytes: int | None) -> Iterator[bytes]:
    """Activity rows under the header, `rows` of them or until `part_bytes` are written: a
    block of 2,000 different rows (more than deflate's 32 KB window) written again and again."""
    rng = random.Random(1)
    block = [
        _word_row(
            (
                f"{number % 28 + 1} марта 2025 г.",
                f"Региональная конференция № {number} «Здоровый город» {rng.getrandbits(64):x}",
                "г. Пермь",
                "дирекция Ассоциации",
            )
        ).encode()
        for number in range(2000)
    ]
    written = count = 0
    while (rows is None or count < rows) and (part_bytes is None or written < part_bytes):
        chunk = block if rows is None else block[: rows - count]
        data = b"".join(chunk)
        yield data
        written, count = written + len(data), count + len(chunk)


def _document(body: Iterable[bytes]) -> Iterator[bytes]:
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
        f"<w:body><w:p><w:r><w:t>План на 2025 год</w:t></w:r></w:p><w:tbl>{_word_row(HEADER)}"
    ).encode()
    yield from body
    yield b"</w:tbl></w:body></w:document>"


def docx_with_body(body: Iterable[bytes]) -> bytes:
    """A DOCX whose body is a title paragraph and one table: the header, then `body`."""
    return _package(
        {
            "[Content_Types].xml": _DOCX_TYPES,
            "_rels/.rels": _rels(("rId1", "officeDocument", "word/document.xml")),
            "word/document.xml": _document(body),
        }
    )


def huge_table_docx(part_mb: int = 150) -> bytes:
    """The issue's first probe: a DOCX of about 8 MB whose document part is a `part_mb` MB
    table (compressed about 20:1, so the ZIP-bomb ratio check lets it pass)."""
    return docx_with_body(_table_rows(None, part_mb * MB))


def long_table_docx(rows: int) -> bytes:
    """A DOCX whose table has `rows` activity rows (about 300 bytes of XML each)."""
    return docx_with_body(_table_rows(rows, None))


def huge_paragraph_docx(runs: int = 400_000) -> bytes:
    """One table row whose activity cell is a single paragraph of `runs` runs."""
    words = [f"<w:r><w:rPr><w:b/></w:rPr><w:t>слово{n} </w:t></w:r>" for n in range(1000)]
    block = "".join(words).encode()

    def body() -> Iterator[bytes]:
        yield "<w:tr><w:tc><w:p><w:r><w:t>Март</w:t></w:r></w:p></w:tc><w:tc><w:p>".encode()
        for _ in range(runs // 1000):
            yield block
        yield b"</w:p></w:tc></w:tr>"

    return docx_with_body(body())


_WORDS = [
    "конференция",
    "форум",
    "семинар",
    "здоровье",
    "город",
    "муниципальный",
    "проект",
    "ассоциация",
    "развитие",
    "сотрудничество",
    "профилактика",
    "программа",
    "участие",
    "региональный",
    "международный",
    "совещание",
]


def _words(rng: random.Random, chars: int) -> str:
    text: list[str] = []
    length = 0
    while length < chars:
        word = f"{rng.choice(_WORDS)}{rng.randrange(1000)}"
        text.append(word)
        length += len(word) + 1
    return " ".join(text)


def wordy_table_docx(rows: int, chars: int) -> bytes:
    """`rows` rows whose activity cell holds `chars` characters of varied words: the most
    text the limits let a DOCX body hold."""
    rng = random.Random(2)

    def body() -> Iterator[bytes]:
        for number in range(rows):
            cells = ("Март 2025 г.", f"Форум {number} {_words(rng, chars)}", "г. Пермь", "дирекция")
            yield _word_row(cells).encode()

    return docx_with_body(body())


def styled_docx(part_bytes: int) -> bytes:
    """A DOCX whose styles part is `part_bytes` of character styles, each based on the one
    before: the largest part the reader parses whole."""
    styles = [f'<w:styles xmlns:w="{W_NS}">']
    written = number = 0
    while written < part_bytes - 200:
        style = (
            f'<w:style w:type="character" w:styleId="s{number}"><w:name w:val="Стиль {number}"/>'
            f'<w:basedOn w:val="s{number - 1}"/><w:rPr><w:b/><w:sz w:val="{number % 40}"/>'
            "</w:rPr></w:style>"
        )
        styles.append(style)
        written += len(style.encode())
        number += 1
    styles.append("</w:styles>")
    data = docx_with_body(_table_rows(10, None))
    return _with_parts(
        data,
        {
            "word/styles.xml": "".join(styles).encode(),
            "word/_rels/document.xml.rels": _rels(("rId1", "styles", "styles.xml")).encode(),
        },
    )


def _with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def wide_table_docx(rows: int, columns: int = 64) -> bytes:
    """A table of `rows` rows of `columns` filled cells each."""

    def body() -> Iterator[bytes]:
        for number in range(rows):
            yield _word_row(f"ячейка {number}.{column}" for column in range(columns)).encode()

    return docx_with_body(body())


def paragraphs_docx(paragraphs: int) -> bytes:
    """A table with a header and one row, then `paragraphs` paragraphs of notes."""
    row = _word_row(("Март", "Конференция", "г. Пермь", "дирекция")).encode()
    note = "<w:p><w:r><w:t>Примечание</w:t></w:r></w:p>".encode()
    return docx_with_body([row, b"</w:tbl>", note * paragraphs, b"<w:tbl>"])


def reencoded_docx(encoding: str, *, bom: bool, declared: str | None, doctype: bool) -> bytes:
    """The seed DOCX with its document part re-encoded (UTF-16/32, with or without a BOM),
    declaring `declared` as its encoding (no declaration for None), with a DTD or not."""
    data = seed_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    body = xml[xml.index("?>") + 2 :].lstrip()
    if doctype:
        body = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]>' + body
    if declared is not None:
        body = f'<?xml version="1.0" encoding="{declared}" standalone="yes"?>' + body
    raw = body.encode(encoding)
    if bom:
        raw = _BOMS[encoding] + raw
    return replace_part(data, "word/document.xml", raw)


_BOMS = {
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
    "utf-8": codecs.BOM_UTF8,
}


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


def lying_sizes(data: bytes, name: str, declared: int) -> bytes:
    """The package with the central directory saying `name` unpacks to `declared` bytes."""
    entry = -1
    while True:
        entry = data.index(b"PK\x01\x02", entry + 1)
        length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + length] == name.encode():
            break
    patched = bytearray(data)
    patched[entry + 24 : entry + 28] = declared.to_bytes(4, "little")
    return bytes(patched)


# -- XLSX -----------------------------------------------------------------------------------------


def xlsx_with_sheet(sheet: Iterable[bytes], strings: Iterable[bytes] = ()) -> bytes:
    """An XLSX of one sheet (its XML given as chunks) and the shared strings given."""

    def shared() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{S_NS}">'.encode()
        yield from strings
        yield b"</sst>"

    return _package(
        {
            "[Content_Types].xml": _XLSX_TYPES,
            "_rels/.rels": _rels(("rId1", "officeDocument", "xl/workbook.xml")),
            "xl/workbook.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{S_NS}" '
                f'xmlns:r="{R_NS}"><sheets><sheet name="План" sheetId="1" r:id="rId1"/>'
                "</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": _rels(
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "sharedStrings", "sharedStrings.xml"),
            ),
            "xl/worksheets/sheet1.xml": sheet,
            "xl/sharedStrings.xml": shared(),
        }
    )


def _sheet(dimension: str, rows: Iterable[bytes], after: Iterable[bytes] = ()) -> Iterator[bytes]:
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{S_NS}">'
        f'<dimension ref="{dimension}"/><sheetData>'
    ).encode()
    yield from rows
    yield b"</sheetData>"
    yield from after
    yield b"</worksheet>"


def far_cell_xlsx() -> bytes:
    """The issue's second probe: a 2 KB workbook declaring the whole sheet as its dimension,
    with one cell at its last column and row."""
    row = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return xlsx_with_sheet(_sheet("A1:XFD1048576", [row]))


def long_sheet_xlsx(rows: int = 200_000, strings: int = 1000) -> bytes:
    """The issue's third probe: a sheet of `rows` activity rows under the header, their texts
    among `strings` shared strings, as Excel writes them."""

    def texts() -> Iterator[bytes]:
        yield "".join(f"<si><t>{text}</t></si>" for text in HEADER).encode()
        for number in range(strings):
            yield f"<si><t>Региональная конференция № {number}</t></si>".encode()

    def sheet_rows() -> Iterator[bytes]:
        header = "".join(f'<c t="s"><v>{index}</v></c>' for index in range(4))
        yield f'<row r="1">{header}</row>'.encode()
        chunk = []
        for number in range(2, rows + 2):
            activity = 4 + number % strings
            chunk.append(
                f'<row r="{number}"><c t="n"><v>{45700 + number % 300}</v></c>'
                f'<c t="s"><v>{activity}</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>'
            )
            if len(chunk) == 1000:
                yield "".join(chunk).encode()
                chunk = []
        yield "".join(chunk).encode()

    return xlsx_with_sheet(_sheet(f"A1:D{rows + 1}", sheet_rows()), texts())


def plan_sheet_xlsx(rows: Iterable[bytes]) -> bytes:
    """A sheet of the header (shared strings 0-3) and then the rows given."""
    header = "".join(f'<c t="s"><v>{index}</v></c>' for index in range(4))
    texts = ["".join(f"<si><t>{text}</t></si>" for text in HEADER).encode()]
    return xlsx_with_sheet(_sheet("A1:D2", [f'<row r="1">{header}</row>'.encode(), *rows]), texts)


def wide_sheet_xlsx(rows: int, columns: int = 64) -> bytes:
    """Under the header, `rows` rows of `columns` filled cells (numbers) each."""

    def sheet_rows() -> Iterator[bytes]:
        for number in range(2, rows + 2):
            cells = "".join(
                f"<c><v>{number * columns + column}</v></c>" for column in range(columns)
            )
            yield f'<row r="{number}">{cells}</row>'.encode()

    return plan_sheet_xlsx(sheet_rows())


def wordy_sheet_xlsx(rows: int, chars: int) -> bytes:
    """`rows` rows whose activity is a shared string of `chars` characters of varied words, all
    different: the most text the limits let a workbook hold."""
    rng = random.Random(3)

    def texts() -> Iterator[bytes]:
        yield "".join(f"<si><t>{text}</t></si>" for text in HEADER).encode()
        for number in range(rows):
            yield f"<si><t>Форум {number} {_words(rng, chars)}</t></si>".encode()

    def sheet_rows() -> Iterator[bytes]:
        yield (
            "".join(f'<c t="s"><v>{index}</v></c>' for index in range(4))
            .join(('<row r="1">', "</row>"))
            .encode()
        )
        for number in range(rows):
            yield (
                f'<row r="{number + 2}"><c t="n"><v>{45700 + number % 300}</v></c>'
                f'<c t="s"><v>{number + 4}</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>'
            ).encode()

    return xlsx_with_sheet(_sheet(f"A1:D{rows + 1}", sheet_rows()), texts())


def many_strings_xlsx(strings: int = 1_000_000) -> bytes:
    """A workbook whose shared strings table has `strings` entries (and a plan of one row)."""

    def texts() -> Iterator[bytes]:
        yield "".join(f"<si><t>{text}</t></si>" for text in HEADER).encode()
        for start in range(0, strings, 1000):
            yield "".join(f"<si><t>{n}</t></si>" for n in range(start, start + 1000)).encode()

    header = "".join(f'<c t="s"><v>{index}</v></c>' for index in range(4))
    return xlsx_with_sheet(_sheet("A1:D1", [f'<row r="1">{header}</row>'.encode()]), texts())


def many_merges_xlsx(merges: int = 100_000) -> bytes:
    """A sheet whose every merged range covers the table's first column, top to bottom."""

    def ranges() -> Iterator[bytes]:
        yield b"<mergeCells>"
        for start in range(0, merges, 1000):
            yield "".join(
                f'<mergeCell ref="A{2 + n % 97}:A{10000 - n % 89}"/>'
                for n in range(start, start + 1000)
            ).encode()
        yield b"</mergeCells>"

    header = "".join(f'<c t="s"><v>{index}</v></c>' for index in range(4))
    texts = ["".join(f"<si><t>{text}</t></si>" for text in HEADER).encode()]
    rows = [f'<row r="1">{header}</row>'.encode()]
    return xlsx_with_sheet(_sheet("A1:D10000", rows, ranges()), texts)


# -- measuring ------------------------------------------------------------------------------------


@dataclass
class Usage:
    peak_mb: float = 0.0


@contextlib.contextmanager
def peak_memory() -> Iterator[Usage]:
    """How far the process's resident memory rose above where it was, at its peak, while the
    block ran (Linux resets the peak on request; elsewhere Python's own allocations are
    traced, which misses lxml's)."""
    usage = Usage()
    clear_refs = Path("/proc/self/clear_refs")
    try:
        clear_refs.write_text("5")
        before = _status_kb("VmRSS")
    except OSError:
        tracemalloc.start()
        try:
            yield usage
        finally:
            usage.peak_mb = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()
        return
    try:
        yield usage
    finally:
        usage.peak_mb = (_status_kb("VmHWM") - before) / 1024


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise OSError(field)


PROBES: dict[str, Callable[[], bytes]] = {
    "DOCX, 150 MB document part (issue)": huge_table_docx,
    "DOCX, 12,000-row table": lambda: long_table_docx(12_000),
    "DOCX, one paragraph of 400,000 runs": huge_paragraph_docx,
    "DOCX, UTF-16 with DOCTYPE (issue)": lambda: reencoded_docx(
        "utf-16-le", bom=True, declared="UTF-16", doctype=True
    ),
    "XLSX, one cell at XFD1048576 (issue)": far_cell_xlsx,
    "XLSX, 200,000 rows (issue)": long_sheet_xlsx,
    "XLSX, 1,000,000 shared strings": many_strings_xlsx,
    "XLSX, 100,000 merged ranges": many_merges_xlsx,
}

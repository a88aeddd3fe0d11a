"""Plans as PDF files with a text layer (saved or printed from Word, Excel, LibreOffice), read into
a SourceDocument: each page's tables as Tables and the text around them as Paragraphs, in page
order. A table continued on the next page is the next Table (`layout` continues a plan across
tables of the same width).

Tables are found by pdfplumber from their ruling lines (`find_tables` with the "lines"
strategy); only when no page has a ruled table are they looked for by the alignment of the text
("text" strategy), for plans printed without borders. A cell's grid slots come from the cell
boxes, so a merged cell is the same Cell in every slot it covers, across or down. Its text is
its lines joined by single spaces; a word broken at the cell's edge ("Ответственны|й") or after
a hyphen is joined without a space. A small raised digit or asterisk (a footnote mark set as
superscript) is written ¹²³ or * as if typed. Lines outside tables are joined into paragraphs
when a line runs to the right margin and the next one follows closely; a page number alone at
the top or bottom of a page is dropped.

A PDF is an attacker's favourite file: a 20 MB PDF can hold streams that inflate to gigabytes,
pages of a million characters or ruling lines, or loops that keep a parser busy for hours, and
pdfminer (under pdfplumber) and PDFium are not built to stop at a plan's size. So the PDF is
read in a process of its own (`python -m civicplan.plandoc.readers.pdf`) whose address space
and CPU time are limited (MEMORY_BYTES, SECONDS) and which is killed when its time is up: a
hostile PDF costs that process, not the worker, and is refused as too complex. Before any
table is looked for, PDFium (pypdfium2, which pdfplumber brings) counts the pages (at most
MAX_PAGES), asks for a password (a PDF that needs one to be opened is refused; one that only
restricts printing or copying is read) and looks for text: a PDF with no text on any page is a
scan, refused with a message saying what to send instead. `check_pdf` does just that, for the
upload form; a page with more than MAX_PAGE_OBJECTS characters and lines is refused.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import resource
import subprocess
import sys
import traceback
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers.limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MB, spaced
from civicplan.plandoc.source import Cell, Paragraph, Row, SourceDocument, Table

MAX_PAGES = 500  # a plan of 2,000 rows prints on about 230 pages; real ones on 5-60
MAX_PAGE_OBJECTS = 100_000  # characters, lines, rectangles and curves of one page
SECONDS = 90  # the reading process's CPU and wall time; a 2,000-row plan takes about 20 s
CHECK_SECONDS = 15  # ... for the quick check of the upload form
MEMORY_BYTES = 320 * MB  # its address space; a 2,000-row plan takes 90 MB of memory, 290 MB of it

_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_ALIGNED = {
    "vertical_strategy": "text",
    "horizontal_strategy": "text",
    "min_words_vertical": 3,
    "min_words_horizontal": 2,
}
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MARK = re.compile(r"[0-9*]")
_PAGE_NUMBER = re.compile(
    r"[-–—\s]*(?:(?:стр\.?|страница|лист|page)\s*)?\d{1,3}(?:\s*(?:из|of|/)\s*\d{1,3})?[-–—\s]*",
    re.IGNORECASE,
)
_WHITESPACE = re.compile(r"\s+")
_LIST_MARKS = "•·–—-*¹²³⁴⁵⁶⁷⁸⁹⁰"
_CLOSING = "»)”],.;:!?"
_QUOTES = "«»\"'()/"


# -- the reading process, from the caller's side ---------------------------------------------------


def check_pdf(data: bytes, source: str) -> None:
    """Refuse a PDF that cannot be read (damaged, needs a password, too many pages, no text
    layer, too costly to open) without reading its tables."""
    _run("check", data, source, CHECK_SECONDS)


def read_pdf(data: bytes, source: str) -> SourceDocument:
    """The paragraphs and tables of a PDF with a text layer."""
    result = _run("read", data, source, SECONDS)
    document = SourceDocument(source)
    number = 0
    for block in result["blocks"]:
        if "text" in block:
            document.blocks.append(Paragraph(block["number"], block["text"]))
            continue
        cells = [Cell(text) for text in block["cells"]]
        table = Table()
        seen: set[int] = set()
        for slots in block["rows"]:
            number += 1
            row = Row(number, [cells[index] if index >= 0 else None for index in slots])
            row.own = [cells[index] for index in dict.fromkeys(slots) if index >= 0]
            row.own = [cell for cell in row.own if id(cell) not in seen]
            seen.update(id(cell) for cell in row.own)
            table.rows.append(row)
        document.blocks.append(table)
    return document


def _run(mode: str, data: bytes, source: str, seconds: int) -> dict[str, Any]:
    """Run the reading process on the bytes; its answer, or the PlanReadError it stands for."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, mode, str(seconds)],
            input=data,
            capture_output=True,
            timeout=seconds + 5,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    except subprocess.TimeoutExpired:
        raise _too_complex(source) from None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise _too_complex(source)
    result = json.loads(lines[-1])
    if "refused" in result:
        raise _refusal(source, result)
    return result


def _too_complex(source: str) -> PlanReadError:
    return PlanReadError(
        source,
        _(
            "PDF слишком сложен для чтения (больше %(seconds)s с или %(memory)s МБ): сохраните "
            "план из исходного документа как DOCX, XLSX или PDF заново"
        )
        % {"seconds": SECONDS, "memory": MEMORY_BYTES // MB},
    )


def _refusal(source: str, result: dict[str, Any]) -> PlanReadError:
    reason = result["refused"]
    if reason == "password":
        return PlanReadError(source, _("файл защищён паролем: откройте его и сохраните без пароля"))
    if reason == "pages":
        return PlanReadError(
            source,
            _("в PDF %(pages)s страниц, больше %(limit)s")
            % {"pages": spaced(result["pages"]), "limit": spaced(MAX_PAGES)},
        )
    if reason == "scan":
        return PlanReadError(
            source,
            _(
                "в PDF нет текстового слоя (это скан?): сохраните план из исходного документа "
                "как DOCX, XLSX или PDF с текстом"
            ),
        )
    if reason == "objects":
        return PlanReadError(
            source,
            _("на странице %(page)s PDF больше %(limit)s знаков и линий")
            % {"page": result["page"], "limit": spaced(MAX_PAGE_OBJECTS)},
        )
    if reason == "rows":
        return PlanReadError(
            source,
            _("в таблицах PDF больше %(limit)s строк или %(cells)s заполненных ячеек")
            % {"limit": spaced(MAX_ROWS), "cells": spaced(MAX_CELLS)},
        )
    return PlanReadError(
        source,
        _("PDF повреждён или не читается: сохраните его заново (%(error)s)")
        % {"error": str(result.get("error", ""))[:80]},
    )


# -- the reading process ---------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.answer = {"refused": reason, **details}


def _main(mode: str, seconds: int) -> None:
    """The reading process: its limits first, then the PDF from standard input, and one line
    of JSON on standard output."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    data = sys.stdin.buffer.read()
    try:
        _check(data, every_page=mode == "read")
        answer: dict[str, Any] = {"ok": True}
        if mode == "read":
            answer = {"blocks": list(_blocks(data))}
    except _Refused as refused:
        answer = refused.answer
    except MemoryError:
        sys.exit(3)  # too complex, as when the process is killed
    except Exception as error:  # a PDF the parsers choke on
        traceback.print_exc()
        answer = {"refused": "damaged", "error": type(error).__name__}
    print(json.dumps(answer, ensure_ascii=False))


def _check(data: bytes, every_page: bool) -> None:
    """PDFium's look at the file: it opens (without a password), has at most MAX_PAGES pages,
    some text on one of them and, looking at `every_page`, no page of more than
    MAX_PAGE_OBJECTS characters and drawn objects (before pdfplumber takes each of them as a
    Python object)."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise _Refused("password") from None
        raise _Refused("damaged", error=str(error)) from None
    try:
        pages = len(pdf)
        if pages > MAX_PAGES:
            raise _Refused("pages", pages=pages)
        text = False
        for index in range(pages):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                characters = textpage.count_chars()
                objects = characters + pdfium_c.FPDFPage_CountObjects(page.raw)
            finally:
                textpage.close()
                page.close()
            if objects > MAX_PAGE_OBJECTS:
                raise _Refused("objects", page=index + 1)
            text = text or characters > 0
            if text and not every_page:
                return
        if not text:
            raise _Refused("scan")
    finally:
        pdf.close()


def _blocks(data: bytes) -> Iterable[dict[str, Any]]:
    """The document's blocks, page by page: ruled tables if any page has one, else tables of
    aligned text."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            counter = _Counter()
            pages = [_page_blocks(page, _RULED, counter) for page in pdf.pages]
            if not any("rows" in block for page in pages for block in page):
                counter = _Counter()
                pages = [_page_blocks(page, _ALIGNED, counter) for page in pdf.pages]
    except PDFSyntaxError as error:
        raise _Refused("damaged", error=str(error)) from None
    for before, page in itertools.pairwise(pages):
        if before and page and "rows" in before[-1] and "rows" in page[0]:
            _join_split_row(before[-1], page[0])
    number = 0
    for page in pages:
        for block in page:
            if "rows" in block and not block["rows"]:
                continue
            if "text" in block:
                number += 1
                block["number"] = number
            yield block


def _join_split_row(above: dict[str, Any], below: dict[str, Any]) -> None:
    """A row broken by a page break (Word lets rows break across pages) goes on in the first
    row of the next page's table, under the header if that is repeated: a row of the same
    grid whose first column is empty and whose other cells are not one merged heading is
    joined back into the last row above it."""
    rows = below["rows"]
    at = 1 if len(rows) > 1 and _texts(below, rows[0]) == _texts(above, above["rows"][0]) else 0
    if not above["rows"] or len(rows) <= at:
        return
    last, first = above["rows"][-1], rows[at]
    filled = [index for index in dict.fromkeys(first) if index >= 0 and below["cells"][index]]
    if (
        len(last) != len(first)
        or not filled
        or (first[0] >= 0 and below["cells"][first[0]])
        or (len(filled) == 1 and first.count(filled[0]) > 1)
    ):
        return
    for column, index in enumerate(first):
        if index < 0 or not below["cells"][index] or index in first[:column]:
            continue
        if last[column] < 0:
            above["cells"].append("")
            last[column] = len(above["cells"]) - 1
        text, more = above["cells"][last[column]], below["cells"][index]
        above["cells"][last[column]] = text + (_glue(text, more, False) if text else "") + more
    del rows[at]


def _texts(table: dict[str, Any], slots: list[int]) -> list[str]:
    return [table["cells"][index] if index >= 0 else "" for index in slots]


class _Counter:
    """Rows and filled cells of the document's tables, against the limits."""

    def __init__(self) -> None:
        self.rows = self.cells = 0

    def add(self, rows: int, cells: int) -> None:
        self.rows += rows
        self.cells += cells
        if self.rows > MAX_ROWS or self.cells > MAX_CELLS:
            raise _Refused("rows")


def _page_blocks(page: Any, settings: dict[str, Any], counter: _Counter) -> list[dict[str, Any]]:
    """A page's tables and paragraphs, top to bottom; the page's objects are let go after."""
    objects = sum(len(page.objects.get(kind, ())) for kind in ("char", "line", "rect", "curve"))
    if objects > MAX_PAGE_OBJECTS:
        raise _Refused("objects", page=page.page_number)
    chars = _raise_marks(page.chars)
    placed: list[tuple[float, dict[str, Any]]] = []
    boxes = []
    for found in page.find_tables(_closed(page, settings)):
        table = _table(found.cells, chars)
        if table is None:
            continue
        counter.add(len(table["rows"]), sum(1 for text in table["cells"] if text))
        placed.append((found.bbox[1], table))
        boxes.append(found.bbox)
    outside = [char for char in chars if not any(_inside(char, box) for box in boxes)]
    right = max((char["x1"] for char in chars if char["text"].strip()), default=0.0)
    for top, text in _paragraphs(_lines(outside), right):
        placed.append((top, {"text": text}))
    page.close()
    placed.sort(key=lambda item: item[0])
    return [block for _top, block in placed]


def _closed(page: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """The settings for ruled tables with their top and bottom closed: a row broken by a page
    break has no rule on its open side, so one is added where the vertical rules end."""
    if settings.get("horizontal_strategy") != "lines":
        return settings
    verticals = [edge for edge in page.edges if edge["orientation"] == "v"]
    if not verticals:
        return settings
    top = min(edge["top"] for edge in verticals)
    bottom = max(edge["bottom"] for edge in verticals)
    return {**settings, "explicit_horizontal_lines": [top, bottom]}


def _raise_marks(chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's characters, a digit or asterisk raised above a neighbour's baseline taken as
    a footnote mark: written ¹²³ (or *) and set on its neighbour's line."""
    marked = []
    for index, char in enumerate(chars):
        if _MARK.fullmatch(char["text"]):
            for other in (index - 1, index + 1):
                neighbour = chars[other] if 0 <= other < len(chars) else None
                if neighbour is not None and _raised(char, neighbour):
                    char = {
                        **char,
                        "text": char["text"].translate(_SUPERSCRIPT),
                        "top": neighbour["top"],
                        "bottom": neighbour["bottom"],
                    }
                    break
        marked.append(char)
    return marked


def _raised(char: dict[str, Any], neighbour: dict[str, Any]) -> bool:
    """No bigger than its neighbour, above its baseline by a quarter of its size, and within
    its line."""
    return (
        char["size"] <= neighbour["size"] + 0.01
        and char["bottom"] < neighbour["bottom"] - neighbour["size"] * 0.25
        and char["bottom"] > neighbour["top"]
    )


def _inside(char: dict[str, Any], box: Sequence[float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


# -- a table on its grid ---------------------------------------------------------------------------


def _table(boxes: Sequence[Sequence[float]], chars: Sequence[dict[str, Any]]) -> dict | None:
    """A table's cells (texts) and rows (each slot the index of the cell over it, -1 for
    none), from its cell boxes: the grid's columns and rows are where cells start."""
    if not boxes:
        return None
    xs = _positions(box[0] for box in boxes)
    tops = _positions(box[1] for box in boxes)
    if len(xs) < 2:
        return None
    xs = xs[:MAX_COLUMNS]
    grid = [[-1] * len(xs) for _top in tops]
    texts: list[str] = []
    bounds = (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )
    by_row = sorted(
        (char for char in chars if _inside(char, bounds)),
        key=lambda char: (char["top"] + char["bottom"]) / 2,
    )
    middles = [(char["top"] + char["bottom"]) / 2 for char in by_row]
    for box in sorted(boxes, key=lambda box: (box[1], box[0])):
        first, last = bisect_left(middles, box[1]), bisect_right(middles, box[3])
        within = [
            char for char in by_row[first:last] if box[0] <= (char["x0"] + char["x1"]) / 2 <= box[2]
        ]
        index = len(texts)
        texts.append(_cell_text(within, box))
        for row in _covered(tops, box[1], box[3]):
            for column in _covered(xs, box[0], box[2]):
                grid[row][column] = index
    rows = [slots for slots in grid if any(index >= 0 for index in slots)]
    for slots in rows:
        while slots and slots[-1] < 0:
            slots.pop()
    return {"cells": texts, "rows": rows}


def _positions(values: Iterable[float]) -> list[float]:
    """Distinct positions, those within a point of each other taken as one."""
    positions: list[float] = []
    for value in sorted(values):
        if not positions or value - positions[-1] > 1:
            positions.append(value)
    return positions


def _covered(positions: list[float], start: float, end: float) -> range:
    """The indexes of the grid lines in [start, end): the columns or rows a box covers."""
    return range(bisect_left(positions, start - 1), bisect_left(positions, end - 1))


# -- text: lines, cells, paragraphs ---------------------------------------------------------------


def _lines(chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Characters grouped into lines, top to bottom, each with its text and extent."""
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda char: (char["top"], char["x0"])):
        if not char["text"].strip() and not lines:
            continue
        middle = (char["top"] + char["bottom"]) / 2
        line = lines[-1] if lines else None
        if line is not None and line[0]["top"] - 0.5 <= middle <= line[0]["bottom"] + 0.5:
            line.append(char)
        else:
            lines.append([char])
    result = []
    for line in lines:
        line.sort(key=lambda char: char["x0"])
        text = _line_text(line)
        if text:
            visible = [char for char in line if char["text"].strip()]
            result.append(
                {
                    "text": text,
                    "x0": visible[0]["x0"],
                    "x1": visible[-1]["x1"],
                    "top": min(char["top"] for char in visible),
                    "bottom": max(char["bottom"] for char in visible),
                    "size": max(char["size"] for char in visible),
                    "first": _first_word(visible),
                }
            )
    return result


def _first_word(chars: Sequence[dict[str, Any]]) -> float:
    """The width of a line's first word (its visible characters before the first gap)."""
    end = chars[0]["x1"]
    for previous, char in itertools.pairwise(chars):
        if char["x0"] - previous["x1"] > char["size"] * 0.2:
            break
        end = char["x1"]
    return end - chars[0]["x0"]


def _line_text(line: Sequence[dict[str, Any]]) -> str:
    """A line's characters with a space where the text has one or a gap stands for one."""
    parts: list[str] = []
    previous = None
    for char in line:
        if previous is not None and char["x0"] - previous["x1"] > char["size"] * 0.2:
            parts.append(" ")
        parts.append(char["text"])
        previous = char
    return _WHITESPACE.sub(" ", "".join(parts)).strip()


def _cell_text(chars: Sequence[dict[str, Any]], box: Sequence[float]) -> str:
    """A cell's lines joined by spaces; not after a hyphen or a slash, nor where a word
    broken at the cell's right edge goes on ("Ответственны|й")."""
    lines = _lines(chars)
    if not lines:
        return ""
    indent = min(line["x0"] for line in lines) - box[0]
    text = lines[0]["text"]
    for previous, line in itertools.pairwise(lines):
        width = (previous["x1"] - previous["x0"]) / max(len(previous["text"]), 1)
        at_edge = box[2] - previous["x1"] - indent < width * 1.5
        text += _glue(previous["text"], line["text"], at_edge) + line["text"]
    return text


def _glue(before: str, after: str, at_edge: bool) -> str:
    """What goes between two lines of a cell: nothing before closing punctuation, after a
    hyphen or slash that ends a word, or inside a word broken at the cell's edge (the line
    ends at the edge, and its last word with the next line's first makes a dictionary word
    where the first part alone is not one, or is the line's only word); else a space."""
    if after[:1] in _CLOSING or (before[-2:-1].isalnum() and before[-1:] in "-/"):
        return ""
    if at_edge and after[:1].islower():
        from civicplan.plandoc.morphology import is_dictionary_word

        head = before.rsplit(" ", 1)[-1].strip(_QUOTES)
        word = head + after.split(" ", 1)[0].split("-", 1)[0].strip(_QUOTES + ",.;:")
        alone = " " not in before.strip()
        if word.isalpha() and is_dictionary_word(word) and (alone or not is_dictionary_word(head)):
            return ""
    return " "


def _paragraphs(lines: Sequence[dict[str, Any]], right: float) -> list[tuple[float, str]]:
    """Lines outside tables as paragraphs, and a page number alone at the top or bottom of the
    page left out. A line goes on the paragraph before it when that one was wrapped (the
    next line's first word would not have fitted before the right margin `right`), it
    follows closely in the same size, and the sentence reads on (the line before does not end
    one, and this one does not start with a number or a list's or footnote's mark)."""
    kept = [
        line
        for index, line in enumerate(lines)
        if not (_PAGE_NUMBER.fullmatch(line["text"]) and index in (0, len(lines) - 1))
    ]
    paragraphs: list[tuple[float, str]] = []
    previous = None
    for line in kept:
        start = line["text"][:1]
        joined = (
            previous is not None
            and right - previous["x1"] < line["first"] + line["size"]
            and 0 <= line["top"] - previous["bottom"] < line["size"] * 0.8
            and abs(line["size"] - previous["size"]) < 0.5
            and not (start.isdigit() or start in _LIST_MARKS)
            and not previous["text"].endswith((".", "!", "?", ":", ";"))
        )
        if joined:
            top, text = paragraphs[-1]
            glue = "" if text[-2:-1].isalpha() and text[-1:] in "-/" else " "
            paragraphs[-1] = (top, text + glue + line["text"])
        else:
            paragraphs.append((line["top"], line["text"]))
        previous = line
    return paragraphs


if __name__ == "__main__":
    _main(sys.argv[1], int(sys.argv[2]))

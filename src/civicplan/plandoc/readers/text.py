"""Plans as text: a Word table saved as tab-separated text, as in the 2024 seed.

Each line with tabs is a table row, its cells split at the tabs (`**bold**` and `<i>` marks
dropped); consecutive such lines are one table, and a line without tabs is a paragraph (a title
line, a note, a footnote's text, or a line of a list plan). `layout.arrange` finds the plan in
them as in every other format. Row and paragraph numbers are line numbers.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from civicplan.i18n import gettext as _
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_PARAGRAPHS,
    MAX_ROWS,
    spaced,
)
from civicplan.plandoc.source import Paragraph, SourceDocument, Table, row_of

_MARKUP = re.compile(r"\*\*|</?(?:i|b|u|em|strong)>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or whatever legacy encoding the bytes are
    in — Windows-1251 and KOI8-R in practice — detected by charset-normalizer."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    if codecs.BOM_UTF16_BE and data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise PlanReadError(source, _("файл не текстовый и не документ Word или Excel"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp866"]).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise PlanReadError(source, _("не удалось определить кодировку текста"))
    return str(best)


def clean(text: str) -> str:
    """A cell's text without markup and with single spaces."""
    return _SPACES.sub(" ", _MARKUP.sub("", text)).strip()


def read_text(data: bytes, source: str) -> SourceDocument:
    """The lines of a text plan as paragraphs and tables."""
    lines = decode(data, source).splitlines()
    if not any(line.strip() for line in lines):
        raise PlanReadError(source, _("файл пустой"))
    document = SourceDocument(source, merges=False)
    table: Table | None = None
    rows = cells = paragraphs = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if "\t" not in line:
            table = None
            paragraphs += 1
            if paragraphs > MAX_PARAGRAPHS:
                raise PlanReadError(
                    source,
                    _("в файле больше %(limit)s строк вне таблицы")
                    % {"limit": spaced(MAX_PARAGRAPHS)},
                    number,
                )
            document.blocks.append(Paragraph(number, clean(line)))
            continue
        texts = [clean(cell) for cell in line.split("\t")[:MAX_COLUMNS]]
        rows += 1
        cells += sum(1 for text in texts if text)
        if rows > MAX_ROWS or cells > MAX_CELLS:
            raise PlanReadError(
                source,
                _("в таблице больше %(limit)s строк или %(cells)s заполненных ячеек")
                % {"limit": spaced(MAX_ROWS), "cells": spaced(MAX_CELLS)},
                number,
            )
        if table is None:
            table = Table()
            document.blocks.append(table)
        table.rows.append(row_of(number, texts))
    return document

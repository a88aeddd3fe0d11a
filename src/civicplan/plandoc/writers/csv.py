"""The plan as CSV: the XLSX table's columns (`writers.table`), one header row and one row per
activity, nothing else (no title, headings or notes: «Раздел», «Подраздел» and «Сноски» carry
them).

UTF-8 with a byte-order mark, so that Excel opens it as UTF-8; commas; quoting as RFC 4180
(Python's `csv` "excel" dialect); CRLF line ends; dates ISO 8601 (YYYY-MM-DD), times of day
HH:MM. A text cell
that Excel would run as a formula (starting with =, +, -, @) is written with a leading
apostrophe, as OWASP advises against CSV injection; dates and numbers never are.
"""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, time

from civicplan.plandoc.model import PlanDocument
from civicplan.plandoc.writers.table import Value, columns_for, row

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write(plan: PlanDocument) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n")
    columns = columns_for(plan.activities)
    writer.writerow([_inert(column.header) for column in columns])
    writer.writerows(
        [_cell(value) for value in row(activity, columns)] for activity in plan.activities
    )
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, str):
        return _inert(value)
    return str(value)


def _inert(text: str) -> str:
    """Text Excel shows as text: a leading apostrophe before what would start a formula. A
    lone dash ("-", the plan's "no date") is text to Excel already and stays as it is."""
    if text.startswith(_FORMULA_START) and text.strip("- ") != "":
        return "'" + text
    return text

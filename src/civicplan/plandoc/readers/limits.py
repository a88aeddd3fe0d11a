"""How much a plan file may hold, and why these numbers.

A real plan has at most a few thousand rows of about ten columns; the limits are several times
that, so no real plan meets them, while a hostile file stops at them long before it costs a web
worker 300 MB or 30 s (`bench/hostile_plans.py` measures the files that try). The readers check
them while they stream the file, before memory grows: a file over a limit is refused with a
PlanReadError that names the part, sheet or row and the limit, never read in part.
"""

from __future__ import annotations

MB = 1024 * 1024

# -- the ZIP package (readers/package.py) ---------------------------------------------------------

MAX_MEMBERS = 2000  # parts in one package; Word and Excel write 10-30
MAX_UNPACKED_BYTES = 200 * MB  # the whole package, unpacked
MAX_RATIO = 100  # unpacked/packed size of one part over 1 MB: more is a ZIP bomb
# Parts read as a stream (the Word body, worksheets, shared strings) and parts nobody parses
# (images): Word writes 2-5 KB of XML per table row, so MAX_ROWS rows fit with room to spare,
# and streaming 64 MB of XML takes a few seconds.
MAX_STREAMED_PART_BYTES = 64 * MB
# Each part parsed whole (styles, footnotes, relationships, the workbook): real ones are 5-500
# KB, and a tree (or openpyxl's objects) takes 10-25 times the XML's size, so 4 MB keeps one
# part near 100 MB; all of them together at most 16 MB.
MAX_TREE_PART_BYTES = 4 * MB
MAX_TREE_PARTS_BYTES = 16 * MB

# -- the plan's table (readers/docx.py, readers/xlsx.py) ------------------------------------------

MAX_ROWS = 10_000  # table rows in a document (all its tables), or rows of a sheet
MAX_COLUMNS = 64  # columns read; a plan has 4-10, cells further right are ignored
MAX_CELLS = 200_000  # filled cells: 10,000 rows of 20 columns
MAX_PARAGRAPHS = 10_000  # paragraphs of a Word body outside its tables (title, notes)
# XML elements of one Word table row or body paragraph (runs, their properties, nested
# tables): a long cell of many formatted runs has a few thousand; the row's tree is held until
# it ends, so this bounds it.
MAX_BLOCK_ELEMENTS = 100_000
# Shared strings of a workbook: at most one per filled cell, and the other sheets' too.
MAX_SHARED_STRINGS = MAX_CELLS
MAX_MERGED_CELLS = MAX_CELLS  # merged ranges of a sheet, and the cells merged down


def spaced(limit: int) -> str:
    """A limit as the messages write it, thousands apart as Russian text has them: "10 000"."""
    return f"{limit:,}".replace(",", " ")

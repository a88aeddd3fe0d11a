"""The plan as a PDF in the official layout of the Word plan, for signatures and downloads.

An HTML document (`pdf_template.html`, styled by `pdf.css`) is filled from the PlanDocument and
laid out by WeasyPrint: A4 landscape, the title centred in bold, one table Сроки · Мероприятия ·
Место проведения · Ответственный (then a column per header of the activities' extra fields, when
they have any, as in the Word export) whose header row repeats on every page and whose rows are
never split, section and half-year headings as rows across the table, footnotes numbered under
the table, plan notes in place, "стр. N из M" at the foot of each page.

The only font is Liberation Serif (metric-compatible with Times New Roman), shipped with the
project in `civicplan/static/fonts` and embedded in the PDF, so the file is the same on every
machine. WeasyPrint needs the Pango library; without it `write` raises RuntimeError.
"""

from __future__ import annotations

import functools
import importlib
import warnings
from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path
from string import Template
from types import ModuleType
from typing import Any

from civicplan.plandoc.model import Activity, PlanDocument
from civicplan.plandoc.writers.table import (
    OFFICIAL_HEADERS,
    extra_cell,
    official_columns,
    responsible_cell,
)

PANGO_MISSING = "PDF export needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE.parents[1] / "static" / "fonts"
FAMILY = "Liberation Serif"
# (font-weight, font-style) -> file in FONTS_DIR
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}

_import = importlib.import_module  # replaced in tests to play a machine without Pango


def write(plan: PlanDocument) -> bytes:
    """The plan as PDF bytes; RuntimeError when WeasyPrint cannot run on this machine."""
    weasyprint = weasyprint_module()
    _template, stylesheet = resources()
    fetcher = fetcher_class(weasyprint)(allowed_protocols={"file"}, fail_on_errors=True)
    fonts = _import("weasyprint.text.fonts").FontConfiguration()
    css = weasyprint.CSS(string=stylesheet, font_config=fonts, url_fetcher=fetcher)
    document = weasyprint.HTML(string=render_html(plan), url_fetcher=fetcher)
    try:
        return document.write_pdf(stylesheets=[css], font_config=fonts)
    except weasyprint.urls.FatalURLFetchingError as exc:  # a font file could not be read
        raise RuntimeError(f"PDF export could not read its fonts in {FONTS_DIR}") from exc


def render_html(plan: PlanDocument) -> str:
    """The HTML document WeasyPrint lays out (the stylesheet is given to WeasyPrint apart)."""
    template = resources()[0]
    numbers = footnote_numbers(plan)
    footnotes = "".join(
        f"<p><sup>{number}</sup>\u00a0{_text(text)}</p>" for text, number in numbers.items()
    )
    headers, widths = official_columns(plan.activities)
    total = sum(widths)
    return template.substitute(
        title=escape(" ".join(plan.title.split())),
        version=f'<p class="version">{escape(str(plan.version))}</p>' if plan.version else "",
        heading=_text(plan.title),
        columns="".join(f'<col style="width: {100 * w / total:.2f}%">' for w in widths),
        headers="".join(f"<th>{escape(header)}</th>" for header in headers),
        rows="\n".join(_rows(plan, numbers, headers[len(OFFICIAL_HEADERS) :])),
        footnotes=f'<div class="footnotes">{footnotes}</div>' if footnotes else "",
    )


def footnote_numbers(plan: PlanDocument) -> dict[str, int]:
    """Each distinct footnote text with its number, in order of first use: rows with the same
    note share its number, as the seed's two rows share "¹"."""
    numbers: dict[str, int] = {}
    for activity in plan.activities:
        for note in activity.notes:
            numbers.setdefault(note.strip(), len(numbers) + 1)
    return numbers


def _rows(plan: PlanDocument, numbers: dict[str, int], extras: list[str]) -> Iterator[str]:
    count = len(plan.activities)
    span = len(OFFICIAL_HEADERS) + len(extras)
    notes: dict[int, list[str]] = {}
    for note in plan.notes:
        notes.setdefault(max(0, min(note.after, count)), []).append(note.text)
    yield from _note_rows(notes.get(0, ()), span)
    previous: tuple[str | None, str | None] | None = None
    for index, activity in enumerate(plan.activities, 1):
        heading, subheading = activity.section
        if previous is None or heading != previous[0]:
            if heading:
                yield _wide_row("heading", heading, span)
            if subheading:
                yield _wide_row("subheading", subheading, span)
        elif subheading != previous[1] and subheading:
            yield _wide_row("subheading", subheading, span)
        previous = activity.section
        yield _activity_row(activity, numbers, extras)
        yield from _note_rows(notes.get(index, ()), span)


def _activity_row(activity: Activity, numbers: dict[str, int], extras: list[str]) -> str:
    marks = sorted({numbers[note.strip()] for note in activity.notes})
    sup = f"<sup>{','.join(map(str, marks))}</sup>" if marks else ""
    cells = (
        _text(activity.when.text),
        _text(activity.title) + sup,
        _text(activity.place.text or ""),
        _text(responsible_cell(activity)),
        *(_text(extra_cell(activity, header)) for header in extras),
    )
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _note_rows(texts: Iterable[str], span: int) -> Iterator[str]:
    for text in texts:
        yield _wide_row("note", text, span)


def _wide_row(kind: str, text: str, span: int) -> str:
    return f'<tr class="{kind}"><td colspan="{span}">{_text(text)}</td></tr>'


def _text(text: str) -> str:
    return "<br>".join(escape(line.strip()) for line in text.strip().splitlines())


def weasyprint_module() -> ModuleType:
    try:
        with warnings.catch_warnings():
            # Without libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools (the same
            # PDF) and says so on import; it logs it again on each render.
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            return _import("weasyprint")
    except OSError as exc:  # WeasyPrint loads Pango, HarfBuzz and fontconfig when imported
        raise RuntimeError(PANGO_MISSING) from exc


@functools.cache
def resources() -> tuple[Template, str]:
    """The HTML template and the stylesheet with its @font-face rules, read once."""
    template = Template((HERE / "pdf_template.html").read_text(encoding="utf-8"))
    faces = []
    for (weight, style), name in FONT_FILES.items():
        path = FONTS_DIR / name
        if not path.is_file():
            raise FileNotFoundError(f"PDF export needs its font file {path}")
        faces.append(
            f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{path.as_uri()}") format("truetype"); }}'
        )
    css = (HERE / "pdf.css").read_text(encoding="utf-8")
    return template, "\n".join(faces) + "\n" + css


@functools.cache
def fetcher_class(weasyprint: ModuleType) -> Any:
    """A URL fetcher that reads the shipped font files and nothing else: no network, no other
    file, and an error rather than a silent fallback to system fonts when a font is unreadable."""
    allowed = {(FONTS_DIR / name).as_uri() for name in FONT_FILES.values()}

    class FontsOnly(weasyprint.urls.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in allowed:
                raise ValueError(f"PDF export reads no resource but its fonts: {url}")
            return super().fetch(url, headers)

    return FontsOnly

"""The annual report for the general meeting — «Отчёт о выполнении плана деятельности
Ассоциации за 2024 год», or one half-year of it — as an editable DOCX, a PDF and the data as
XLSX (issue 14).

The three files are written from one reading of the execution (`read_execution`: a fixed
number of queries whatever the plan's size), so that their numbers are the execution page's:
the summary, the charts (the PNG pictures of `charts.png`), every row with what became of it,
the members' part, and photos of held activities — the first photo of each, PHOTO_LIMIT in all,
so that a 2,000-row year stays fast and small. The texts are Russian whatever the language of
the request, as the plan's exports are; the layout is theirs (plandoc.writers.docx and pdf:
Times New Roman or the shipped Liberation Serif, A4 landscape, the title centred in bold, page
numbers), and their helpers write it.
"""

from __future__ import annotations

import base64
import functools
import importlib
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from string import Template
from types import ModuleType
from typing import Any

import docx
from django.core.files.storage import default_storage
from django.utils import translation
from docx.shared import Emu
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image, UnidentifiedImageError

from civicplan.common.owner import owner_name
from civicplan.plandoc.model import PlanDocument
from civicplan.plandoc.writers import FORMATS, Format
from civicplan.plandoc.writers import docx as word
from civicplan.plandoc.writers import pdf as plan_pdf
from civicplan.plandoc.writers import xlsx as excel
from civicplan.plans.models import Activity, Plan
from civicplan.reports import charts
from civicplan.reports.execution import (
    STATE_LABELS,
    STATES,
    Execution,
    ExecutionRow,
    Group,
    Photo,
    Progress,
    read_execution,
)
from civicplan.reports.models import ProgressEntry
from civicplan.timeframes import Timeframe
from civicplan.timeframes import format as format_timeframe

REPORT_FORMATS: dict[str, Format] = {name: FORMATS[name] for name in ("docx", "pdf", "xlsx")}
PHOTO_LIMIT = 24  # photos in a report: one per held activity, the first ones in plan order
CAPTION_TITLE = 140  # characters of an activity's title in a photo's caption
HERE = Path(__file__).resolve().parent

HEADINGS = {
    "summary": "1. Итоги выполнения плана",
    "charts": "2. Выполнение в диаграммах",
    "rows": "3. Мероприятия плана",
    "members": "4. Участие членов Ассоциации",
    "photos": "5. Фотографии проведённых мероприятий",
}
ROW_HEADERS = (
    "№",
    "Мероприятие",
    "Сроки по плану",
    "Состояние",
    "Проведено (даты, место, формат)",
    "Участников",
    "Итоги",
)
PARTICIPANTS_LABEL = "Участников"
# How the PDF's register of rows reads (its entries replace the DOCX's table columns).
REGISTER_NOTE = (
    "Для каждой строки плана: номер, мероприятие и сроки по плану; под ними — состояние "
    "(с причиной переноса или отмены), даты, место и формат проведения, число участников "
    "и итоги."
)
MEMBER_HEADERS = (
    "Член Ассоциации",
    "Отвечал за мероприятия",
    "Участвовал (по отчётам)",
    "Из них проведено",
)
NO_MEMBERS = "Члены Ассоциации в мероприятиях периода не названы."
TALLY_HEADERS = ("Всего", *(label.capitalize() for label in map(str, STATE_LABELS.values())))


def content_type(format_name: str) -> str:
    """The HTTP content type of a report's file."""
    return REPORT_FORMATS[format_name].content_type


def file_name(plan: Plan, period: str, format_name: str) -> str:
    """The report's file name: report-2024.docx for a year, report-2024-h1.pdf for a half."""
    part = "" if period == "year" else f"-{period}"
    return f"report-{plan.year}{part}.{REPORT_FORMATS[format_name].extension}"


def report_title(year: int, period: str) -> str:
    """«Отчёт о выполнении плана деятельности Ассоциации за 2024 год» (or a half-year)."""
    start = "Отчёт о выполнении плана деятельности Ассоциации за"
    if period == "year":
        return f"{start} {year} год"
    return f"{start} {'I' if period == 'h1' else 'II'} полугодие {year} г."


def write_report(plan: Plan, period: str, format_name: str) -> bytes:
    """The plan's report for `period` ("year", "h1", "h2") as "docx", "pdf" or "xlsx" bytes;
    ValueError for another period or format, RuntimeError when a PDF cannot be laid out on
    this machine (no Pango)."""
    writers: dict[str, Callable[[Report], bytes]] = {
        "docx": _write_docx,
        "pdf": _write_pdf,
        "xlsx": _write_xlsx,
    }
    if format_name not in writers:
        raise ValueError(f"unknown report format {format_name!r}")
    with translation.override("ru"):  # the labels of states, kinds, quarters: Russian
        execution = read_execution(plan, period)
        return writers[format_name](_report(execution, pictures=format_name != "xlsx"))


# -- what the report says, whatever its format ------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A row of the plan as the report's table writes it."""

    number: str
    title: str
    planned: str
    status: list[str]  # the state, then what explains it (reason, progress, …)
    held: list[str]  # the days, the venue, the format
    participants: int | None
    outcomes: str


@dataclass(frozen=True)
class Picture:
    """A picture for DOCX and PDF: a chart or a photo, with its size in pixels."""

    data: bytes
    mime: str
    width: int
    height: int
    caption: str  # under a photo; a chart's title
    description: str = ""  # a chart's text alternative


@dataclass(frozen=True)
class Report:
    """What every format of the report says, made once from the execution."""

    execution: Execution
    title: str
    owner: str
    as_of: str
    summary: list[tuple[str, int | str]]
    lines: list[Line]
    charts: list[Picture]
    photos: list[Picture]
    photographed: int  # held activities with a photo, shown or not


def _report(execution: Execution, *, pictures: bool) -> Report:
    photos, photographed = _photos(execution.rows) if pictures else ([], 0)
    owing = {row.id for row in execution.held_without_report}
    return Report(
        execution=execution,
        title=report_title(execution.plan.year, execution.period),
        owner=owner_name(),
        as_of=f"По состоянию на {_day(execution.today)}",
        summary=_summary(execution),
        lines=[_line(row, row.id in owing) for row in execution.rows],
        charts=_charts(execution) if pictures else [],
        photos=photos,
        photographed=photographed,
    )


def _summary(execution: Execution) -> list[tuple[str, int | str]]:
    total = execution.total
    share = execution.window_share
    window = (
        f"{execution.held_in_window} из {execution.held_dated} ({share} %)"
        if share is not None
        else "нет данных"
    )
    return [
        ("Мероприятий в плане", total.total),
        ("Проведено", total.counts["held"]),
        ("Ждут отчёта", total.counts["awaiting"]),
        ("Перенесено", total.counts["postponed"]),
        ("Отменено", total.counts["cancelled"]),
        ("Впереди", total.counts["ahead"]),
        ("Участников всего", execution.participants),
        ("Заполнено отчётов", execution.reports),
        ("Проведено в запланированные сроки (из проведённых с известными датами)", window),
    ]


def _line(row: ExecutionRow, owes_report: bool) -> Line:
    planned = row.when_text or "—"
    if row.previous_when_text:
        planned += f"\n(прежние сроки: {row.previous_when_text})"
    return Line(
        number=str(row.position),
        title=row.title,
        planned=_keep_year_mark(planned),
        status=_status(row, owes_report),
        held=_held(row),
        participants=row.participants,
        outcomes=row.outcomes,
    )


def _status(row: ExecutionRow, owes_report: bool) -> list[str]:
    """The state, then why: the reason of a postponement or cancellation, a long row's
    progress (which may be what made it held), a held row's missing report."""
    status = [row.state_label.capitalize()]
    if row.status_reason and row.status in (Activity.Status.POSTPONED, Activity.Status.CANCELLED):
        status.append(f"Причина: {row.status_reason}")
    if row.progress is not None and not row.reported:
        status.append(_progress(row.progress))
    if owes_report:
        status.append("Отчёт не заполнен")
    return status


def _progress(progress: Progress) -> str:
    text = f"Выполнено на {progress.percent} %"
    if progress.rolled_up:
        return f"{text} (по входящим мероприятиям)"
    status = str(ProgressEntry.Status(progress.status).label) if progress.status else ""
    details = ", ".join(part for part in (status, _day(progress.on)) if part)
    return f"{text} ({details})" if details else text


def _held(row: ExecutionRow) -> list[str]:
    if row.state != "held":
        return []
    held = []
    if row.held_start is not None:
        end = row.held_end or row.held_start
        precision = "day" if end == row.held_start else "days"
        days = format_timeframe(Timeframe("", row.held_start, end, precision))
        held.append(_keep_year_mark(days))
    if row.venue:
        held.append(row.venue)
    if row.report_format:
        held.append(str(Activity.Format(row.report_format).label))
    return held


def _keep_year_mark(text: str) -> str:
    """Keeps «2024 г.» on one line (a no-break space before «г.»), as the plan's exports do."""
    return word.YEAR_MARK.sub("\u00a0", text)


def _day(day: date | None) -> str:
    """«10 сентября 2024 г.»"""
    return format_timeframe(Timeframe("", day, day, "day")) if day else ""


def _charts(execution: Execution) -> list[Picture]:
    """The overall bar, the quarters' and the kinds' — as the execution page draws them."""
    overall = Group("all", "Все мероприятия", execution.total)
    pictures = []
    for chart_id, title, groups in (
        ("overall", "Состояние мероприятий", [overall]),
        ("quarters", "По кварталам", execution.by_quarter),
        ("kinds", "По видам мероприятий", execution.by_kind),
    ):
        description = _chart_text(title, groups)
        chart = charts.stacked_chart(chart_id, title, description, groups, lambda *_: "")
        data = charts.png(chart)
        width, height = chart.width * charts.SCALE, chart.height * charts.SCALE
        pictures.append(Picture(data, "image/png", width, height, title, description))
    return pictures


def _chart_text(title: str, groups: Sequence[Group]) -> str:
    """A chart's numbers in words, for who cannot see it (the picture's alternative text)."""
    lines = []
    for group in groups:
        states = ", ".join(
            f"{STATE_LABELS[state]} {count}" for state, count in group.tally.cells() if count
        )
        lines.append(f"{group.label}: всего {group.tally.total} ({states})")
    return f"{title}. " + "; ".join(lines)


def _photos(rows: Iterable[ExecutionRow]) -> tuple[list[Picture], int]:
    """The first photo of each held activity that has one, PHOTO_LIMIT in all, read from the
    storage (a missing or unreadable file is left out); and how many activities have one."""
    chosen = [(row, row.photos[0]) for row in rows if row.state == "held" and row.photos]
    pictures: list[Picture] = []
    for row, photo in chosen:
        if len(pictures) == PHOTO_LIMIT:
            break
        picture = _photo(row, photo)
        if picture is not None:
            pictures.append(picture)
    return pictures, len(chosen)


def _photo(row: ExecutionRow, photo: Photo) -> Picture | None:
    try:
        with default_storage.open(photo.thumbnail, "rb") as stored:
            data = stored.read()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            mime = Image.MIME.get(image.format or "", "")
    except (OSError, UnidentifiedImageError):
        return None
    if mime not in ("image/jpeg", "image/png"):
        return None
    title = " ".join(row.title.split())
    if len(title) > CAPTION_TITLE:
        title = title[: CAPTION_TITLE - 1].rstrip() + "…"
    caption = f"№ {row.position}. {title}"
    days = _held(row)[:1] if row.held_start else []
    details = [text for text in (photo.title, *days) if text]
    if details:
        caption += f" — {', '.join(details)}"
    return Picture(data, mime, width, height, caption)


def _fit(picture: Picture, width: float, height: float) -> tuple[float, float]:
    """The picture's size inside a box (any unit), its proportions kept."""
    scale = min(width / picture.width, height / picture.height)
    return picture.width * scale, picture.height * scale


def _member_rows(execution: Execution) -> list[tuple[str, int, int, int]]:
    return [
        (line.party.name, line.responsible, line.took_part, line.held) for line in execution.members
    ]


def _photos_note(report: Report) -> str:
    if not report.photographed:
        return "Фотографий проведённых мероприятий в отчётах нет."
    if len(report.photos) < report.photographed:
        return (
            f"Фотографии показаны для {len(report.photos)} из {report.photographed} мероприятий "
            "(по одной на мероприятие); остальные — на страницах мероприятий."
        )
    return ""


# -- DOCX -------------------------------------------------------------------------------------

# Twentieths of a point: the columns of the rows' table fill the landscape text width (14,853).
ROW_WIDTHS = (680, 4000, 1700, 1900, 2100, 1500, 2973)
MEMBER_WIDTHS = (6000, 2400, 2400, 2400)
SUMMARY_WIDTHS = (7500, 2500)
PHOTO_COLUMNS = 3
PHOTO_CELL = 4951  # a third of the text width
CHART_WIDTH_CM, PHOTO_BOX_CM = 20.0, (8.0, 6.0)
EMU_PER_CM = 360_000
HEADING_SIZE, CAPTION_SIZE = 24, 20  # half-points: 12 and 10 pt


def _write_docx(report: Report) -> bytes:
    document = docx.Document()
    word.set_up(document, PlanDocument(report.title, report.execution.plan.year))
    body = document.element.body
    end = body.find(word.tag("sectPr"))
    for child in list(body):
        if child is not end:
            body.remove(child)

    def add(block: etree._Element) -> etree._Element:
        end.addprevious(block)
        return block

    add(word.paragraph_element(report.title, align="center", bold=True, size=word.TITLE_SIZE))
    add(word.paragraph_element(report.owner, align="center", before=120))
    add(word.paragraph_element(report.as_of, align="center", italic=True, before=120, after=240))
    add(_heading("summary"))
    add(_summary_table(report.summary))
    add(_heading("charts"))
    for chart in report.charts:
        add(
            word.paragraph_element(
                chart.caption, align="center", bold=True, keep_next=True, before=240
            )
        )
        width = EMU_PER_CM * CHART_WIDTH_CM
        add(_picture(document, chart, width, width * chart.height / chart.width))
    add(_heading("rows", new_page=True))
    add(_rows_table(report.lines))
    add(_heading("members"))
    if report.execution.members:
        add(_members_table(_member_rows(report.execution)))
    else:
        add(word.paragraph_element(NO_MEMBERS))
    add(_heading("photos"))
    if report.photos:
        table = add(_table((), [PHOTO_CELL] * PHOTO_COLUMNS, borders=False))
        _photo_grid(document, table, report.photos)
    if note := _photos_note(report):
        add(word.paragraph_element(note, italic=True, before=120))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _heading(key: str, *, new_page: bool = False) -> etree._Element:
    """A section's heading: bold, kept with what follows, at outline level 1 (Word's
    navigation pane lists it)."""
    paragraph = word.paragraph_element(
        HEADINGS[key], bold=True, size=HEADING_SIZE, keep_next=True, before=360, after=120
    )
    properties = paragraph.find(word.tag("pPr"))
    if new_page:
        properties.find(word.tag("keepNext")).addnext(etree.Element(word.tag("pageBreakBefore")))
    word.sub_element(properties, "outlineLvl", val="0")
    return paragraph


def _table(
    headers: Sequence[str], widths: Sequence[int], *, borders: bool = True
) -> etree._Element:
    """A table with the plan's table layout; its header row (if any) repeats on every page."""
    table = etree.Element(word.tag("tbl"))
    properties = word.sub_element(table, "tblPr")
    word.sub_element(properties, "tblW", w=str(sum(widths)), type="dxa")
    word.sub_element(properties, "jc", val="center")
    if borders:
        lines = word.sub_element(properties, "tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            word.sub_element(lines, side, val="single", sz="4", space="0", color="000000")
    word.sub_element(properties, "tblLayout", type="fixed")
    margins = word.sub_element(properties, "tblCellMar")
    word.sub_element(margins, "left", w="85", type="dxa")
    word.sub_element(margins, "right", w="85", type="dxa")
    grid = word.sub_element(table, "tblGrid")
    for width in widths:
        word.sub_element(grid, "gridCol", w=str(width))
    if headers:
        row = word.table_row(table, header=True)
        for name, width in zip(headers, widths, strict=True):
            word.table_cell(row, width, [name], align="center", bold=True, v_align="center")
    return table


def _summary_table(summary: list[tuple[str, int | str]]) -> etree._Element:
    table = _table((), SUMMARY_WIDTHS)
    for label, value in summary:
        row = word.table_row(table)
        word.table_cell(row, SUMMARY_WIDTHS[0], [label])
        word.table_cell(row, SUMMARY_WIDTHS[1], [str(value)], align="right", bold=True)
    return table


def _rows_table(lines: list[Line]) -> etree._Element:
    table = _table(ROW_HEADERS, ROW_WIDTHS)
    for line in lines:
        cells = (
            [line.number],
            [line.title],
            [line.planned],
            line.status,
            line.held,
            ["" if line.participants is None else str(line.participants)],
            [line.outcomes],
        )
        texts = tuple("\n".join(paragraphs) for paragraphs in cells)
        row = word.table_row(table, can_split=word.too_tall(texts, list(ROW_WIDTHS)))
        for index, (paragraphs, width) in enumerate(zip(cells, ROW_WIDTHS, strict=True)):
            align = "right" if index in (0, 5) else "left"
            word.table_cell(row, width, paragraphs or [""], align=align)
    return table


def _members_table(members: list[tuple[str, int, int, int]]) -> etree._Element:
    table = _table(MEMBER_HEADERS, MEMBER_WIDTHS)
    for name, *numbers in members:
        row = word.table_row(table)
        word.table_cell(row, MEMBER_WIDTHS[0], [name])
        for number, width in zip(numbers, MEMBER_WIDTHS[1:], strict=True):
            word.table_cell(row, width, [str(number)], align="right")
    return table


def _picture(
    document: Any, picture: Picture, width: float, height: float, *, keep_next: bool = False
) -> etree._Element:
    """A centred paragraph holding the picture, its alternative text the description. The
    paragraph is to be put in the document before the next picture is made (Word's drawing
    ids are counted from the document)."""
    size = Emu(round(width)), Emu(round(height))
    inline = document.part.new_pic_inline(io.BytesIO(picture.data), *size)
    inline.docPr.set("descr", picture.description or picture.caption)
    paragraph = word.paragraph_element("", align="center", keep_next=keep_next)
    word.sub_element(word.sub_element(paragraph, "r"), "drawing").append(inline)
    return paragraph


def _photo_grid(document: Any, table: etree._Element, photos: list[Picture]) -> None:
    """Photos three to a row, each with its caption under it; the table is in the document."""
    box = tuple(EMU_PER_CM * side for side in PHOTO_BOX_CM)
    for start in range(0, len(photos), PHOTO_COLUMNS):
        row = word.table_row(table)
        for photo in [*photos[start : start + PHOTO_COLUMNS], None][:PHOTO_COLUMNS]:
            cell = word.table_cell(row, PHOTO_CELL, [])
            if photo is None:
                cell.append(word.paragraph_element(""))
                continue
            cell.append(_picture(document, photo, *_fit(photo, *box), keep_next=True))
            cell.append(
                word.paragraph_element(
                    photo.caption, align="center", italic=True, size=CAPTION_SIZE, after=160
                )
            )


# -- PDF --------------------------------------------------------------------------------------

CHART_WIDTH_MM, PHOTO_BOX_MM = 200.0, (80.0, 60.0)


def _write_pdf(report: Report) -> bytes:
    weasyprint = plan_pdf.weasyprint_module()
    fetcher = _fetcher_class(weasyprint)(allowed_protocols={"file", "data"}, fail_on_errors=True)
    fonts = importlib.import_module("weasyprint.text.fonts").FontConfiguration()
    css = weasyprint.CSS(string=_pdf_resources()[1], font_config=fonts, url_fetcher=fetcher)
    document = weasyprint.HTML(string=render_html(report), url_fetcher=fetcher)
    try:
        return document.write_pdf(stylesheets=[css], font_config=fonts)
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise RuntimeError(f"PDF report could not read its fonts in {plan_pdf.FONTS_DIR}") from exc


def render_html(report: Report) -> str:
    """The report as the HTML document WeasyPrint lays out (every text escaped)."""
    execution = report.execution
    return _pdf_resources()[0].substitute(
        title=escape(report.title),
        owner=escape(report.owner),
        as_of=escape(report.as_of),
        **{f"{key}_heading": escape(text) for key, text in HEADINGS.items()},
        summary="".join(
            f'<tr><td>{escape(label)}</td><td class="number">{escape(str(value))}</td></tr>'
            for label, value in report.summary
        ),
        charts="".join(_html_chart(chart) for chart in report.charts),
        register_note=escape(REGISTER_NOTE),
        rows="\n".join(_html_line(line) for line in report.lines),
        members=_html_members(_member_rows(execution)),
        photos=_html_photos(report),
    )


def _html_chart(chart: Picture) -> str:
    width = CHART_WIDTH_MM
    height = width * chart.height / chart.width
    return (
        f'<figure class="chart"><figcaption>{escape(chart.caption)}</figcaption>'
        f'<img src="{_data_uri(chart)}" alt="{escape(chart.description)}" '
        f'style="width: {width:.1f}mm; height: {height:.1f}mm"></figure>'
    )


def _html_line(line: Line) -> str:
    """A row of the plan as an entry of the PDF's register: the number, the title and the
    planned time frame on the first line; the state with its reasons, the actual days, venue
    and format, the participants and the outcome after them, under a hanging indent. One
    paragraph a row: WeasyPrint lays out a 2,000-row table cell by cell in several times the
    seconds (the DOCX, to be edited, keeps the table)."""
    what = [*line.status, *line.held]
    if line.participants is not None:
        what.append(f"{PARTICIPANTS_LABEL}: {line.participants}")
    outcome = f"\n{escape(line.outcomes.strip())}" if line.outcomes.strip() else ""
    return (
        f'<p class="entry"><b>{escape(line.number)}.</b> {escape(line.title.strip())} '
        f'<span class="planned">({escape(line.planned)})</span>\n'
        f'<span class="state">{escape(" · ".join(what))}</span>{outcome}</p>'
    )


def _html_members(members: list[tuple[str, int, int, int]]) -> str:
    if not members:
        return f"<p>{escape(NO_MEMBERS)}</p>"
    headers = "".join(f"<th>{escape(header)}</th>" for header in MEMBER_HEADERS)
    rows = "".join(
        f"<tr><td>{escape(name)}</td>"
        + "".join(f'<td class="number">{number}</td>' for number in numbers)
        + "</tr>"
        for name, *numbers in members
    )
    return f'<table class="members"><thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table>'


def _html_photos(report: Report) -> str:
    cells = []
    for photo in report.photos:
        width, height = _fit(photo, *PHOTO_BOX_MM)
        cells.append(
            f'<td><figure><img src="{_data_uri(photo)}" alt="{escape(photo.caption)}" '
            f'style="width: {width:.1f}mm; height: {height:.1f}mm">'
            f"<figcaption>{escape(photo.caption)}</figcaption></figure></td>"
        )
    cells += ["<td></td>"] * (-len(cells) % PHOTO_COLUMNS)
    rows = "".join(
        "<tr>" + "".join(cells[start : start + PHOTO_COLUMNS]) + "</tr>"
        for start in range(0, len(cells), PHOTO_COLUMNS)
    )
    note = _photos_note(report)
    return (f'<table class="photos">{rows}</table>' if rows else "") + (
        f'<p class="note">{escape(note)}</p>' if note else ""
    )


def _data_uri(picture: Picture) -> str:
    return f"data:{picture.mime};base64,{base64.b64encode(picture.data).decode('ascii')}"


@functools.cache
def _pdf_resources() -> tuple[Template, str]:
    """The report's HTML template, and the plan's stylesheet (its fonts and table layout) with
    the report's own rules after it."""
    template = Template((HERE / "report_pdf.html").read_text(encoding="utf-8"))
    plan_stylesheet = plan_pdf.resources()[1]
    return template, plan_stylesheet + "\n" + (HERE / "report_pdf.css").read_text("utf-8")


@functools.cache
def _fetcher_class(weasyprint: ModuleType) -> Any:
    """The plan's fetcher (the shipped fonts and nothing else), which also takes the pictures
    the report embeds as data: URIs — never a file or an address."""
    fonts_only = plan_pdf.fetcher_class(weasyprint)

    class FontsAndPictures(fonts_only):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")):
                return weasyprint.urls.URLFetcher.fetch(self, url, headers)
            return super().fetch(url, headers)

    return FontsAndPictures


# -- XLSX -------------------------------------------------------------------------------------

ROW_COLUMNS: tuple[tuple[str, float], ...] = (
    ("№", 6),
    ("Раздел", 18),
    ("Мероприятие", 50),
    ("Вид", 14),
    ("Сроки по плану", 18),
    ("Прежние сроки", 16),
    ("Начало по плану", 12),
    ("Окончание по плану", 12),
    ("Состояние", 14),
    ("Причина переноса или отмены", 30),
    ("Выполнение, %", 10),
    ("Проведено с", 12),
    ("Проведено по", 12),
    ("Место проведения", 30),
    ("Формат", 12),
    ("Участников", 11),
    ("Итоги", 50),
    ("Ответственные", 40),
    ("Города", 20),
    ("Члены Ассоциации (участвовали)", 30),
    ("Партнёры (участвовали)", 30),
    ("Отчёт", 8),
)
WRAPPED = {"Мероприятие", "Причина переноса или отмены", "Итоги", "Ответственные"}


def _write_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    workbook.properties.title = report.title
    workbook.properties.creator = "CivicPlan"
    _summary_sheet(workbook.active, report)
    _rows_sheet(workbook.create_sheet("Мероприятия"), report.execution.rows)
    _members_sheet(workbook.create_sheet("Участие членов"), report.execution)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _summary_sheet(sheet: Worksheet, report: Report) -> None:
    """The title, the summary, then each breakdown: a line per group, a column per state."""
    sheet.title = "Сводка"
    sheet.column_dimensions["A"].width = 60
    for letter in "BCDEFG":
        sheet.column_dimensions[letter].width = 13
    excel.put(sheet, 1, 1, report.title).font = Font(bold=True, size=13)
    excel.put(sheet, 2, 1, report.owner)
    excel.put(sheet, 3, 1, report.as_of).font = Font(italic=True)
    number = 5
    for label, value in report.summary:
        excel.put(sheet, number, 1, label)
        excel.put(sheet, number, 2, value).font = excel.BOLD
        number += 1
    execution = report.execution
    for title, groups in (
        ("По полугодиям", execution.by_half),
        ("По кварталам", execution.by_quarter),
        ("По видам мероприятий", execution.by_kind),
        ("По ответственным организациям", execution.by_organisation),
        ("По городам", execution.by_city),
    ):
        number += 1
        _header(sheet, number, (title, *TALLY_HEADERS))
        for group in groups:
            number += 1
            excel.put(sheet, number, 1, group.label).alignment = excel.WRAP
            excel.put(sheet, number, 2, group.tally.total)
            for column, state in enumerate(STATES, start=3):
                excel.put(sheet, number, column, group.tally.counts[state])
        number += 1


def _rows_sheet(sheet: Worksheet, rows: list[ExecutionRow]) -> None:
    _header(sheet, 1, [header for header, _width in ROW_COLUMNS])
    for index, (_name, width) in enumerate(ROW_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrapped = [header in WRAPPED for header, _width in ROW_COLUMNS]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(_row_values(row), start=1):
            if value is None or value == "":
                continue
            cell = excel.put(sheet, number, column, value)
            if isinstance(value, date):
                cell.number_format = excel.DATE_FORMAT
            cell.alignment = excel.WRAP if wrapped[column - 1] else excel.TOP
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(ROW_COLUMNS))}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"


def _row_values(row: ExecutionRow) -> list[Any]:
    reason = row.status_reason if row.status != Activity.Status.PLANNED else ""
    held = row.state == "held"
    return [
        row.position,
        row.section,
        row.title,
        row.kind_label,
        row.when_text,
        row.previous_when_text,
        row.start,
        row.end,
        row.state_label,
        reason,
        row.progress.percent if row.progress is not None else None,
        row.held_start if held else None,
        (row.held_end or row.held_start) if held else None,
        row.venue,
        str(Activity.Format(row.report_format).label) if row.report_format else "",
        row.participants,
        row.outcomes,
        "; ".join(party.name for party in row.responsible),
        ", ".join(row.cities),
        "; ".join(party.name for party in row.members),
        "; ".join(party.name for party in row.partners),
        "да" if row.reported else "нет",
    ]


def _members_sheet(sheet: Worksheet, execution: Execution) -> None:
    _header(sheet, 1, MEMBER_HEADERS)
    sheet.column_dimensions["A"].width = 50
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 16
    for number, values in enumerate(_member_rows(execution), start=2):
        for column, value in enumerate(values, start=1):
            excel.put(sheet, number, column, value)
    sheet.freeze_panes = "A2"


def _header(sheet: Worksheet, number: int, headers: Sequence[str]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = excel.put(sheet, number, column, header)
        cell.font, cell.alignment, cell.fill = excel.BOLD, excel.HEADER, excel.HEADER_FILL
        cell.border = excel.BORDER
    sheet.row_dimensions[number].height = 2 * excel.LINE_HEIGHT

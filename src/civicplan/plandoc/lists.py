"""A plan typed as lines, not as a table: a programme, a dated list, a calendar on a web page.

One activity per paragraph that starts or ends with a time frame («7 апреля — Всемирный день
здоровья»), or, in a list under a period heading, a bulleted or numbered line («Январь», then
«- Экскурсия …») or a programme's line starting with a time of day («Пятница 21 сентября», then
«11.30 Линейка»); a short line between them names the venue of the lines below it («Районный Дом
культуры»), and «Ответственный: …» or «Проводят …» under an activity its parties. Paragraphs
before the first activity are the title, except a period heading right before it (a date with a
time of day there is the page's dateline, part of the title). A document's tables that hold no
plan (a list typed into a sheet) give each row as a line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from civicplan import timeframes
from civicplan.i18n import gettext as _
from civicplan.plandoc.columns import ColumnSet
from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.source import Paragraph, SourceDocument, Table

SHORT_HEADING = 80  # a line this short, in capitals or a time frame alone, is a heading
_SPACES = re.compile(r"\s+")
_LIST_DASH = re.compile(r"\s+[-–—]\s+|\s*[–—]\s*|:\s+")
_TRAILING_DATE = re.compile(r"(.+?)\s*(?:\s[-–—]\s*|\()([^()]{3,60})\)?\.?")
_TIME_FIRST = re.compile(
    r"\s*((?:с\s*)?(?:[01]?\d|2[0-3])[.:\-][0-5]\d(?:\s*[-–—]\s*(?:[01]?\d|2[0-3])[.:\-][0-5]\d)?"
    r"(?:\s*ч\.?)?)(?:\s*[-–—:]\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
# «Ответственный: …», «Ответственная Акимова Е.В.», «Проводят классные руководители.»
_WHO_LINE = re.compile(
    r"(?:ответственн\w*|отв\.|проводя?т|организатор\w*|ведущ\w+)\s*:?\s+(.+?)\.?$",
    re.IGNORECASE,
)
SHORT_VENUE = 70
_BULLET = re.compile(r"\s*(?:[-–—•·*▪●]|\d{1,2}[.)])\s+")
SHORT_LIST_DATE = 60  # a time frame starting a list plan's line is at most this long


def spaces(text: str) -> str:
    """Single spaces, none at the ends."""
    return _SPACES.sub(" ", text).strip()


def reads_as_date(text: str, finer_than_year: bool = False) -> bool:
    """A short text that is a time frame and nothing else («15 марта 2026 г.», «Январь»)."""
    if len(text) > SHORT_LIST_DATE:
        return False
    frame = timeframes.parse(text, default_year=2000)
    if finer_than_year and frame.precision in ("year", "years"):
        return False
    return frame.start is not None and frame.warning is None


def read_list_plan(document: SourceDocument) -> RawDocument:
    """The plan in a document with no plan table, read line by line."""
    return _ListPlan(document).read()


class _ListPlan:
    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.raw = RawDocument(source=document.source, title="")
        self.leading_venue = ""  # a venue line right before the first activity

    def read(self) -> RawDocument:
        blocks = self.document.blocks
        paragraphs = _list_paragraphs(blocks)
        title: list[str] = []
        leading: list[Paragraph] = []  # the paragraphs before the first activity
        rows = 0
        # Whether the line before opened or continued a list of activities (a period heading,
        # an activity, a venue or a responsible line): bullets and times after it are rows.
        in_list = False
        venue = ""  # a programme's venue line, the place of the activities below it
        for paragraph in paragraphs:
            text = spaces(paragraph.text)
            if not text:
                continue
            row = self.list_item(paragraph.number, text, in_list)
            if row is not None:
                if rows == 0:
                    title.extend(self.leading_paragraphs(leading))
                    venue = self.leading_venue
                if venue and not row.cells.get("place"):
                    row.cells["place"] = venue
                rows += 1
                self.raw.items.append(row)
                in_list = True
                continue
            if rows and self.responsible_line(text):
                continue
            heading = _is_list_heading(_BULLET.sub("", text, count=1))
            in_list = heading or (in_list and _is_venue_line(text))
            if rows == 0:
                leading.append(paragraph)
            else:
                venue = self.list_line(paragraph.number, text, heading) or venue
        if rows < 2:
            self.refuse(blocks)
        self.raw.title = spaces(" ".join(title))
        self.raw.columns.append(ColumnSet(("", ""), ("when", "title")))
        return self.raw

    def list_line(self, number: int, text: str, heading: bool) -> str | None:
        """A list plan's line between its activities that is none: a heading, a note, or a
        venue line (given back: the place of the activities below it)."""
        if heading or (len(text) <= SHORT_HEADING and text.isupper()):
            self.raw.items.append(RawHeading(number, text))
        elif _is_venue_line(text):
            return text
        else:
            self.add_note(text, number)
        return None

    def responsible_line(self, text: str) -> bool:
        """«Ответственный: …», «Проводят …» under a list plan's activity: its parties."""
        last = self.raw.items[-1] if self.raw.items else None
        who = _WHO_LINE.match(text)
        if who is None or not isinstance(last, RawRow):
            return False
        known = last.cells.get("responsible", "")
        last.cells["responsible"] = f"{known}; {who.group(1)}" if known else who.group(1)
        return True

    def list_item(self, number: int, text: str, in_list: bool) -> RawRow | None:
        """A list plan's activity line: a time frame and the activity («7 апреля — …», «Апрель –
        май: …», «… (8 июля)»); or, in a list under a period heading, a bulleted or numbered
        line, or a programme's line that starts with a time of day («11.30 Линейка», «15.30 —
        торжественное собрание», «с 04.00 – автопробег»)."""
        row = _list_row(number, text)
        if row is not None or not in_list:
            return row
        timed = _TIME_FIRST.match(text)
        if timed and len(text) > timed.end():
            when = timed.group(1)
            if when[:1].lower() not in ("с", "в"):
                when = f"в {when}"  # a time, not a date: «12.10 Урок» is ten past twelve
            return RawRow(number, {"when": when, "title": text[timed.end() :].strip()})
        bullet = _BULLET.match(text)
        if bullet and len(text) > bullet.end() and not _is_list_heading(text[bullet.end() :]):
            return RawRow(number, {"when": "", "title": text[bullet.end() :]})
        return None

    def leading_paragraphs(self, leading: list[Paragraph]) -> list[str]:
        """The paragraphs before a list plan's first activity: its title, except the last one
        when it is a period heading («Январь»), which heads the activities, or such a heading
        and a venue line after it (kept in `leading_venue`)."""
        venue = ""
        if (
            len(leading) >= 2
            and _is_venue_line(spaces(leading[-1].text))
            and _is_list_heading(_BULLET.sub("", spaces(leading[-2].text), count=1))
        ):
            venue = spaces(leading.pop().text)  # «21 июня», «Районный Дом культуры»
        if leading and _is_list_heading(_BULLET.sub("", spaces(leading[-1].text), count=1)):
            heading = leading.pop()
            self.raw.items.append(RawHeading(heading.number, spaces(heading.text)))
        self.leading_venue = venue
        return [spaces(paragraph.text) for paragraph in leading]

    def refuse(self, blocks: Sequence[Paragraph | Table]) -> None:
        if not any(isinstance(block, Table) for block in blocks):
            raise PlanReadError(
                self.document.source,
                _(
                    "в документе нет таблицы плана и нет строк вида «7 апреля — Всемирный день "
                    "здоровья»"
                ),
            )
        raise PlanReadError(
            self.document.source,
            _(
                "не найдена таблица плана: ни одна строка таблиц не похожа на заголовок "
                "(«Сроки», «Мероприятие», «Место проведения», «Ответственный»), и ни в одном "
                "столбце нет дат"
            ),
        )

    def add_note(self, text: str, number: int) -> None:
        text = spaces(text)
        if text:
            self.raw.items.append(RawNote(number, text))


def _list_paragraphs(blocks: Sequence[Paragraph | Table]) -> list[Paragraph]:
    """A list plan's lines: its paragraphs, and its tables' rows (a list typed into a sheet)."""
    lines: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block)
        else:
            lines.extend(
                Paragraph(row.number, " ".join(cell.text for cell in row.own if cell.text))
                for row in block.rows
            )
    return lines


def _is_venue_line(text: str) -> bool:
    """A programme's line naming where the activities below it are («Районный Дом культуры»,
    «парк Победы города Белореченска»): short, not a sentence, not a time frame."""
    return (
        len(text) <= SHORT_VENUE
        and not text.endswith((".", ";", ":", "!", "?"))
        and not reads_as_date(text)
        and not _TIME_FIRST.match(text)
    )


def _is_list_heading(text: str) -> bool:
    """A list plan's period heading: a short time frame alone, without a time of day (a date
    with a time above a list is the page's dateline: «04 июля 2023 года 08:31»)."""
    if len(text) > SHORT_HEADING or not reads_as_date(text):
        return False
    return timeframes.parse(text, default_year=2000).start_time is None


def _list_row(number: int, text: str) -> RawRow | None:
    """A list plan's line: a time frame, a dash or a colon, the activity («7 апреля — Всемирный
    день здоровья», «Апрель – май: экскурсии»: the longest time frame that starts the line),
    or the activity and then its time frame, in brackets or after a dash, more precise than a
    year («Всемирный день здоровья — 7 апреля»)."""
    best = None
    for separator in _LIST_DASH.finditer(text[:SHORT_LIST_DATE]):
        head = text[: separator.start()].strip()
        if head and reads_as_date(head):
            best = (head, text[separator.end() :].strip())
    if best is not None and best[1]:
        return RawRow(number, {"when": best[0], "title": best[1]})
    match = _TRAILING_DATE.fullmatch(text)
    if match and reads_as_date(match.group(2).strip(), finer_than_year=True):
        return RawRow(number, {"when": match.group(2).strip(), "title": match.group(1).strip()})
    return None

"""A plan typed as lines, not as a table: a programme, a dated list, a calendar on a web page.

An activity is a line that

- starts or ends with a time frame («7 апреля — Всемирный день здоровья», «Всемирный день семьи
  (8 июля)»), or starts with a date followed directly by the activity in capitals («05.05.2023г.
  Фестиваль …»; «с 03.05.2023г …» is from that day on);
- names its parts by labels («…: дата: 06 марта 2022года, время: с 12-00 до 14-00 границы места
  проведения: …»): titled by the text before the first label;
- starts with a time of day («11.30 Линейка», «15.30 — торжественное собрание», «С 14.00 до 16.00
  заезд команд», «12:00, 14:00 Народное гуляние»), perhaps after the settlement it is in and a
  full stop («Черусти. В 16.30 на площади …»), in a list under a period heading or in a run of
  such lines (a programme without a date line: its title names the day, or none does);
- in a list under a period heading, is bulleted or numbered («Январь», then «- Экскурсия …»);
- or is followed by a line of its venue and time («Открытие парка», then «Треуголка 10:00») or by
  a labelled date («Дата: …»).

A short line between activities, no sentence and no time of day in it, names the venue of the
lines below it («Районный Дом культуры», «Села района (20 сел):»), and so does a settlement alone
right before the first one («с.Целинное»). Under an activity, «Место проведения: …» is its place
(and the place of the lines below when the activity is a day's, as «25 СЕНТЯБРЯ – ТУРИСТИЧЕСКИЙ
СЛЁТ» is), «Дата: …» and «Время: …» its time frame, «Продлится до 2 марта» its end,
«Ответственный: …» or «Проводят …» its parties. A line without a place of its own is at a
settlement it names in brackets or at its end («(зал РДК с. Перемышль)», «… в д. Лаврики.»; not
«из г. Боровск», where something comes from) or on a «по маршруту: …» route, else at the venue
above. A time of day alone is on the day of the date line above it: a period heading («13
декабря», «28 февраля:», «09. 05. 2012г.») or an activity naming one day without a time («25
СЕНТЯБРЯ (СУББОТА) – ТУРИСТИЧЕСКИЙ СЛЁТ»); «Начало соревнований в 10.00 ч» in a line is its
start.

Paragraphs before the first activity are the title, except a period heading right before it,
and a date with its year and a time of day (the page's dateline: `RawDocument.dateline`). A
line that is a time frame alone is never an activity («21 сентября 2018 - 23 сентября 2018»). A
document's tables that hold no plan (a list typed into a sheet) give each row as a line.
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
SHORT_VENUE = 70
SHORT_LIST_DATE = 60  # a time frame starting a list plan's line is at most this long
_SPACES = re.compile(r"\s+")
_LIST_DASH = re.compile(r"\s+[-–—]\s+|\s*[–—]\s*|:\s+")
_TRAILING_DATE = re.compile(r"(.+?)\s*(?:\s[-–—]\s*|\()([^()]{3,60})\)?\.?")
_CLOCK = r"(?:[01]?\d|2[0-3])[.:\-][0-5]\d"
# «11.30», «9-00», «С 08.30», «В 16.30», «10.00 - 11.30», «С 14.00 до 16.00», «12:00, 14:00»,
# «18.00 часов»; then a dash, a colon or a space, and the activity. «В» only before «16.30»:
# «В 10-11 классах» is no time.
_TIME_FIRST = re.compile(
    rf"\s*((?:с\s*|в\s*(?=\d{{1,2}}[.:]))?{_CLOCK}(?:\s*(?:[-–—]|до)\s*{_CLOCK}|(?:\s*,\s*{_CLOCK})+)?"
    r"(?:\s*(?:ч\.?|час\w*))?)(?:\s*[-–—:]\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
# A time of day anywhere in a line («… до 17.00 часов»): a remark's, never a venue line's.
_TIME_INSIDE = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3])[.:][0-5]\d(?![\d.:])")
# «Черусти. В 16.30 …»: a settlement and a full stop before a line's time of day.
_SETTLEMENT_FIRST = re.compile(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]*)*)\.\s+(?=[ВвСс]?\s*\d)")
# «Треуголка 10:00», «Центральная площадь 11:00 – 12:00»: a venue and its time, nothing after.
_VENUE_AND_TIME = re.compile(
    r"(?P<venue>.+?)\s+(?P<time>(?:[01]?\d|2[0-3])[.:][0-5]\d"
    r"(?:\s*[-–—]\s*(?:[01]?\d|2[0-3])[.:][0-5]\d)?)\.?"
)
_WHO = r"(?:ответственн\w*|отв\.|проводя?т|организатор\w*|ведущ\w+)"
# «Ответственный: …», «Ответственная Акимова Е.В.», «Проводят классные руководители.»
_WHO_LINE = re.compile(rf"{_WHO}\s*:?\s+(.+?)\.?$", re.IGNORECASE)
_PLACE_LABEL = r"(?:границы\s+)?мест[оа]\s+проведения|мест[оа]|адрес|площадка"
_WHEN_LABEL = r"дата(?:\s+и\s+время)?(?:\s+проведения)?|время(?:\s+проведения)?|срок\w*"
# A line under an activity that gives one of its parts: «Место проведения – актовый зал»,
# «Дата: 5 мая», «Время: 10:00».
_LABELLED_LINE = re.compile(
    rf"(?P<label>{_PLACE_LABEL}|{_WHEN_LABEL})\s*(?::|\s[-–—])\s*(?P<value>\S.*?)\.?",
    re.IGNORECASE,
)
# The labelled parts inside a line: «дата: …, время: … границы места проведения: …».
_PART_LABEL = re.compile(
    rf"(?<!\w)(?P<label>{_PLACE_LABEL}|{_WHEN_LABEL}|ответственн\w*)\s*:\s*", re.IGNORECASE
)
# «Продлится до 2 марта» under an exhibition: the day it ends.
_UNTIL_LINE = re.compile(
    r"(?:продлится|продолжится|будет\s+работать|работает|действует)\s+(до|по)\s+(.+?)\.?",
    re.IGNORECASE,
)
# «(г. Черняховск, стадион. Начало соревнований в 10.00 ч)»: the line's own start time.
_START_IN_LINE = re.compile(
    r"(?<!\w)начало(?:\s+[а-яё]+){0,2}\s+в\s+((?:[01]?\d|2[0-3])[.:][0-5]\d)", re.IGNORECASE
)
_BULLET = re.compile(r"\s*(?:[-–—•·*▪●]|\d{1,2}[.)])\s+")
_SETTLEMENT_MARK = r"(?:г|с|п|пгт|рп|д|х|ст|пос|дер|ст-ца)\.\s?[А-ЯЁ]"
# «с.Целинное», «г. Шатура»: a settlement alone on its line.
_SETTLEMENT_LINE = re.compile(rf"{_SETTLEMENT_MARK}[а-яё]+(?:[-\s][А-ЯЁ]?[а-яё]+)?")
_SETTLEMENT_NAMED = re.compile(rf"(?<![\w.]){_SETTLEMENT_MARK}")
_BRACKET_AT_END = re.compile(r"\(\s*([^()]*?)\s*\)[\s.;,!]*$")
# A settlement closing the line: «… х. Челюскинец», «… в д. Лаврики.», «— в парке ст. …ской».
_SETTLEMENT_AT_END = re.compile(
    rf"(?<![\w.])(?:(?:в|во|на)\s+)?{_SETTLEMENT_MARK}[а-яё]+(?:-[А-ЯЁа-яё][а-яё]*)*"
    r"(?:\s[А-ЯЁ][а-яё]+)?[\s.;,!]*$"
)
_FROM = re.compile(r"(?<!\w)(?:из|от)\s+$", re.IGNORECASE)  # «из г. Боровск»: not the place
_ROUTE = re.compile(r"(?<!\w)(?:по\s+)?маршрут\w*\s*:\s*(.+?)[\s.;,]*$", re.IGNORECASE)
_END_DASH = re.compile(r".*\s[-–—]\s")
_DATE_FIRST = re.compile(r"(?:с|со)?\s*\d", re.IGNORECASE)  # «05.05.2023г.», «с 03.05.2023г»
_STARTS_ACTIVITY = re.compile(r"[«\"“A-ZА-ЯЁ]")


def spaces(text: str) -> str:
    """Single spaces, none at the ends."""
    return _SPACES.sub(" ", text).strip()


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _is_dateline(text: str) -> bool:
    """A date with the time it was posted, alone on a line above the list («04 июля 2023 года
    08:31», «11 дек. 2019 г., 12:26»): the page's dateline, no activity's day."""
    if len(text) > SHORT_LIST_DATE or not _YEAR.search(text):
        return False
    frame = timeframes.parse(text, default_year=2000)
    return frame.precision == "day" and frame.start_time is not None and frame.warning is None


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
        self.venue = ""  # a venue line's place: of the activities below it
        self.day = ""  # the date line above: the day of the times of day below it
        self.venue_rows: set[int] = set()  # the rows whose place is the venue above them

    def read(self) -> RawDocument:
        blocks = self.document.blocks
        lines = [
            (paragraph.number, text)
            for paragraph in _list_paragraphs(blocks)
            if (text := spaces(paragraph.text))
        ]
        title: list[str] = []
        leading: list[tuple[int, str]] = []  # the lines before the first activity
        rows = 0
        # Whether the line before opened or continued a list of activities (a period heading,
        # an activity or a line of its parts, a venue line): bullets and times after it are rows.
        in_list = False
        index = 0
        while index < len(lines):
            number, text = lines[index]
            following = lines[index + 1][1] if index + 1 < len(lines) else ""
            found = self.activity(number, text, following, in_list)
            if found is not None:
                row, used = found
                if rows == 0:
                    title.extend(self.leading_lines(leading))
                self.add_row(row)
                rows += 1
                in_list = True
                index += used
                continue
            index += 1
            if rows and self.under_activity(text):
                continue
            heading = _heading_period(text)
            in_list = heading is not None or (in_list and _is_venue_line(text))
            if rows == 0:
                leading.append((number, text))
            else:
                in_list = self.list_line(number, text, heading) or in_list
        if rows < 2:
            self.refuse(blocks)
        self.raw.title = spaces(" ".join(title))
        self.raw.columns.append(ColumnSet(("", ""), ("when", "title")))
        return self.raw

    def activity(
        self, number: int, text: str, following: str, in_list: bool
    ) -> tuple[RawRow, int] | None:
        """The activity a line starts, and how many lines it takes; None for other lines."""
        if reads_as_date(text):
            return None  # «21 сентября 2018 - 23 сентября 2018»: a period, not an activity
        row = _labelled_row(number, text) or _list_row(number, text)
        if row is None:
            row = _programme_row(number, text)
            if row is not None and not (in_list or _programme_row(number, following)):
                row = None  # a lone line, not a programme's
        if row is None and in_list:
            row = _bulleted_row(number, text)
        if row is not None:
            return row, 1
        if (
            _WHO_LINE.match(text)
            or _LABELLED_LINE.fullmatch(text)
            or _UNTIL_LINE.fullmatch(text)
            or _venue_and_time(text)
        ):
            return None  # a part of an activity, not a title
        venue_and_time = _venue_and_time(following)
        if venue_and_time is not None:  # «Открытие парка», then «Треуголка 10:00»
            venue, time = venue_and_time
            cells = {"when": _at(time), "title": text}
            return RawRow(number, {**cells, "place": venue} if venue else cells), 2
        labelled = _LABELLED_LINE.fullmatch(following)
        if labelled and _is_when_label(labelled["label"]):
            return RawRow(number, {"when": "", "title": text}), 1  # «Дата: …» comes next
        return None

    def add_row(self, row: RawRow) -> None:
        """A new activity: at the time its line says it starts («Начало соревнований в 10.00
        ч»), on the day above it when it gives only a time of day, at the venue above it when it
        names no place; a day's activity heads the times below it."""
        when = row.cells["when"]
        frame = timeframes.parse(when, default_year=2000)
        start = _START_IN_LINE.search(row.cells["title"])
        if start and frame.start_time is None:
            when = row.cells["when"] = f"{when} в {start.group(1)}".strip()
            frame = timeframes.parse(when, default_year=2000)
        if when and frame.start is None and frame.start_time is not None and self.day:
            row.cells["when"] = f"{self.day} {when}"
        elif frame.start is not None:
            # «25 СЕНТЯБРЯ – СЛЁТ» heads the times below it; a timed line heads nothing
            self.day = when if frame.precision == "day" and frame.start_time is None else ""
        if not row.cells.get("place"):
            place = _place_in_line(row.cells["title"])
            if place:
                row.cells["place"] = place
            elif self.venue:
                row.cells["place"] = self.venue
                self.venue_rows.add(row.number)
        self.raw.items.append(row)

    def under_activity(self, text: str) -> bool:
        """A line under an activity that gives one of its parts: «Ответственный: …»,
        «Проводят …», «Место проведения: …», «Дата: …», «Время: …», «Продлится до …»."""
        last = self.raw.items[-1] if self.raw.items else None
        if not isinstance(last, RawRow):
            return False
        who = _WHO_LINE.match(text)
        if who is not None:
            known = last.cells.get("responsible", "")
            last.cells["responsible"] = f"{known}; {who.group(1)}" if known else who.group(1)
            return True
        labelled = _LABELLED_LINE.fullmatch(text)
        if labelled is not None:
            value = labelled["value"]
            if _is_when_label(labelled["label"]):
                last.cells["when"] = spaces(f"{last.cells['when']} {value}")
                return True
            if not last.cells.get("place") or last.number in self.venue_rows:
                last.cells["place"] = value
                self.venue_rows.discard(last.number)
            frame = timeframes.parse(last.cells["when"], default_year=2000)
            if frame.start is not None and frame.start_time is None:
                self.venue = value  # a day's place: of its programme below too
            return True
        until = _UNTIL_LINE.fullmatch(text)
        if until is not None and reads_as_date(until.group(2)):
            own = timeframes.parse(last.cells["when"], default_year=2000)
            if own.start is not None:
                last.cells["when"] = f"{last.cells['when']} {until.group(1)} {until.group(2)}"
                return True
        return False

    def list_line(self, number: int, text: str, heading: str | None) -> bool:
        """A list plan's line between its activities that is none: a heading, a note, or a
        venue line, «Место проведения: …» or a short line ending in a colon (the place of the
        activities below it). True when the list goes on."""
        labelled = _LABELLED_LINE.fullmatch(text)
        if heading is not None or (len(text) <= SHORT_HEADING and text.isupper()):
            self.raw.items.append(RawHeading(number, text))
            self.day = heading or ""
        elif labelled and not _is_when_label(labelled["label"]):
            self.venue = labelled["value"]  # «Место проведения – …» under a date heading
            return True
        elif _is_venue_line(text):
            self.venue = text
        elif (
            len(text) <= SHORT_VENUE
            and text.endswith(":")
            and not re.fullmatch(rf"{_WHO}\s*:", text, re.IGNORECASE)
        ):
            self.venue = _without_colon(text)  # «Села района (20 сел):», «Площадь Победы:»
            return True
        else:
            self.add_note(text, number)
        return False

    def leading_lines(self, leading: list[tuple[int, str]]) -> list[str]:
        """The lines before a list plan's first activity: its title, except the last one when it
        is a period heading («Январь»), which heads the activities, or a venue line after such a
        heading, or a settlement alone («с.Целинное»): the venue of the activities."""
        last = leading[-1][1] if leading else ""
        if _SETTLEMENT_LINE.fullmatch(last) or (
            len(leading) >= 2
            and _is_venue_line(last)
            and _heading_period(leading[-2][1]) is not None
        ):
            self.venue = last  # «21 июня», then «Районный Дом культуры»
            leading.pop()
        day = _heading_period(leading[-1][1]) if leading else None
        if day is not None:
            self.raw.items.append(RawHeading(*leading.pop()))
            self.day = day
        title = []
        for _number, text in leading:
            if not self.raw.dateline and _is_dateline(text):
                self.raw.dateline = text  # «04 июля 2023 года 08:31»: when the page was posted
            else:
                title.append(text)
        return title

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
    «парк Победы города Белореченска»): short, not a sentence, not a time frame, no time of day
    in it («Обязательно предоставить стенгазету до 17.00 часов» is a remark)."""
    return (
        len(text) <= SHORT_VENUE
        and not text.endswith((".", ";", ":", "!", "?"))
        and not reads_as_date(text)
        and not _TIME_FIRST.match(text)
        and not _TIME_INSIDE.search(text)
        and not _UNTIL_LINE.fullmatch(text)
    )


def _is_list_heading(text: str) -> bool:
    """A list plan's period heading: a short time frame alone, without a time of day (a date
    with a time above a list is the page's dateline: «04 июля 2023 года 08:31»)."""
    if len(text) > SHORT_HEADING or not reads_as_date(text):
        return False
    return timeframes.parse(text, default_year=2000).start_time is None


def _heading_period(text: str) -> str | None:
    """The period a heading line names: the line («09. 05. 2012г.», «28 февраля:»), or the line
    without its bullet («• 22 августа»); None for a line that is no period heading."""
    for period in (text, _BULLET.sub("", text, count=1)):
        if _is_list_heading(period):
            return _without_colon(period)
    return None


def _without_colon(text: str) -> str:
    return text.rstrip(": ")


def _at(time: str) -> str:
    """A time of day as a time frame: «12.10» alone is ten past twelve, «в 12.10», not a date."""
    return time if time[:1].lower() in ("с", "в") else f"в {time}"


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


def _programme_row(number: int, text: str) -> RawRow | None:
    """A line that starts with a date or a time of day and goes on with the activity."""
    return _dated_row(number, text) or _timed_row(number, text)


def _dated_row(number: int, text: str) -> RawRow | None:
    """A line that starts with a date and goes on with the activity, no dash between
    («05.05.2023г. Фестиваль …», «с 03.05.2023г Всероссийская акция …»): the longest date that
    starts the line, a day's or a span's, and after it a capital or a quote. A line that may
    start with a time of day is not one: «12.10 Урок» is ten past twelve, not 12 October."""
    if not _DATE_FIRST.match(text) or _TIME_FIRST.match(text):
        return None
    best = None
    for space in _SPACES.finditer(text[: SHORT_LIST_DATE + 1]):
        head = text[: space.start()]
        if any(char.isdigit() for char in head) and reads_as_date(head, finer_than_year=True):
            best = (head, text[space.end() :])
    if best is None or not _STARTS_ACTIVITY.match(best[1]):
        return None
    return RawRow(number, {"when": best[0], "title": best[1]})


def _timed_row(number: int, text: str) -> RawRow | None:
    """A programme's line that starts with a time of day («11.30 Линейка», «15.30 —
    торжественное собрание», «с 04.00 – автопробег»), perhaps after the settlement it is in
    («Черусти. В 16.30 на площади …»: the place, and the title after the time)."""
    settlement = _SETTLEMENT_FIRST.match(text)
    rest = text[settlement.end() :] if settlement else text
    timed = _TIME_FIRST.match(rest)
    if timed is None or len(rest) <= timed.end():
        return None
    cells = {"when": _at(timed.group(1)), "title": rest[timed.end() :].strip()}
    if settlement:
        cells["place"] = cells["settlement"] = settlement.group(1)
    return RawRow(number, cells)


def _bulleted_row(number: int, text: str) -> RawRow | None:
    """A bulleted or numbered line of a list under a period heading («- Экскурсия …»)."""
    bullet = _BULLET.match(text)
    if bullet and len(text) > bullet.end() and not _is_list_heading(text[bullet.end() :]):
        return RawRow(number, {"when": "", "title": text[bullet.end() :]})
    return None


def _labelled_row(number: int, text: str) -> RawRow | None:
    """A line of labelled parts («1) «Мини масленица», игровая программа: дата: 05 марта
    2022года, время: с 15-00 до 16-00 границы места проведения: площадь …»): the text before
    the first label is the title; it is an activity when a label gives its date or time."""
    labels = list(_PART_LABEL.finditer(text))
    if not any(_is_when_label(label["label"]) for label in labels):
        return None
    title = _BULLET.sub("", text[: labels[0].start()], count=1).strip(" :,;")
    if not title:
        return None
    when: list[str] = []
    dated = _list_row(number, title)  # «7 апреля — Лекция. Время: 10.00»
    if dated is not None:
        title = dated.cells["title"]
        when.append(dated.cells["when"])
    cells = {"title": title}
    for label, after in zip(labels, [*labels[1:], None], strict=True):
        value = text[label.end() : after.start() if after else len(text)].strip(" ,;")
        if _is_when_label(label["label"]):
            when.append(value)
        elif label["label"].lower().startswith("ответствен"):
            cells["responsible"] = value
        else:
            cells["place"] = value
    cells["when"] = " ".join(when)
    return RawRow(number, cells)


def _venue_and_time(text: str) -> tuple[str, str] | None:
    """A line of a venue and a time of day («Треуголка 10:00», «Кафе «Туманган» 20:00 –
    22:00», or only «Начало в 10:00»): the place and time of the activity on the line above."""
    match = _VENUE_AND_TIME.fullmatch(text)
    if match is None:
        return None
    venue = match["venue"].strip(" ,")
    if (
        len(venue) > SHORT_VENUE
        or _TIME_FIRST.match(text)
        or timeframes.parse(venue, default_year=2000).start is not None
    ):
        return None
    if _START_IN_LINE.match(text):
        return "", match["time"]  # «Начало в 10:00»: a time, no venue
    return venue, match["time"]


def _place_in_line(title: str) -> str:
    """The place a list line names besides its activity: a «по маршруту: …» route, a bracket at
    its end that names a settlement («(зал РДК с. Перемышль)»), or a settlement closing it
    («… х. Челюскинец», «— в парке ст. Новоджерелиевской»: what follows the last dash). A
    settlement something comes from («(доставка Вечного огня из г. Боровск)») is not one."""
    route = _ROUTE.search(title)
    if route:
        return route.group(1)
    bracket = _BRACKET_AT_END.search(title)
    if bracket and _names_settlement(bracket.group(1)):
        return bracket.group(1)
    at_end = _SETTLEMENT_AT_END.search(title)
    if at_end and at_end.start() > 0 and not _FROM.search(title[: at_end.start()]):
        dash = _END_DASH.match(title[: at_end.start()])
        start = dash.end() if dash else at_end.start()
        return title[start:].strip(" .;,!")
    return ""


def _names_settlement(text: str) -> bool:
    """Whether a text names a settlement by its mark, not as where something comes from."""
    return any(not _FROM.search(text[: mark.start()]) for mark in _SETTLEMENT_NAMED.finditer(text))


def _is_when_label(label: str) -> bool:
    """«Дата», «время», «сроки»: a label of the activity's time frame, not of its place."""
    return re.fullmatch(_WHEN_LABEL, label, re.IGNORECASE) is not None

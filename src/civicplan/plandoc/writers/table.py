"""The plan as one flat table: the columns the XLSX and CSV writers share, and the columns of
the official layout the DOCX and PDF writers share.

One row per activity. The first columns are the plan's own cells as written (№, Сроки,
Мероприятия, Место проведения, Ответственный); the parsed columns after them carry the values
of the plan JSON (`plandoc.jsonio`) with the same codes, for filters and analysis; the plan's
other columns (the activities' extra fields: participants, expected result, …) come last, one
per distinct header (`columns_for`). The importer knows this header (`layout.exported_roles`):
it reads the plan's own cells back, skips the parsed ones, some of which it would otherwise take
for plan columns ("Площадка", "Ответственные"), and reads every column after them as an extra
field under its header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from civicplan.plandoc.model import Activity, Responsible

Value = str | int | date | time | None


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    value: Callable[[Activity], Value]
    width: float  # in Excel character widths
    wrap: bool = False  # long text, wrapped in the workbook


def _joined(values: list[str | None], separator: str = "; ") -> str:
    """The distinct non-empty values, in order of first appearance."""
    return separator.join(dict.fromkeys(value for value in values if value))


def _parties(role: str) -> Callable[[Activity], str]:
    def names(activity: Activity) -> str:
        return _joined([party.name for party in activity.responsible if party.role == role])

    return names


def responsible_cell(activity: Activity) -> str:
    """The «Ответственный» cell: as written in the plan the activity came from, or, for a plan
    without it (built from JSON), its parties joined the way plans write them, in their order:
    "Организаторы: A, B; C, D; при поддержке: E" (names in the nominative: the colon after
    "при поддержке" tells the reader they are written as they are)."""
    if activity.responsible_text.strip():
        return activity.responsible_text
    return join_parties(activity.responsible)


def join_parties(parties: Iterable[Responsible]) -> str:
    """Parties as one cell: each run of parties with the same role is a group, groups are
    separated by semicolons (which end a role label in the cell) and keep the parties' order."""
    groups: list[tuple[str, list[str]]] = []
    for party in parties:
        name = f"{party.name} ({party.contact})" if party.contact else party.name
        if groups and groups[-1][0] == party.role:
            groups[-1][1].append(name)
        else:
            groups.append((party.role, [name]))
    written = []
    for role, names in groups:
        listed = ", ".join(names)
        if role == "organiser":
            written.append(f"{'Организаторы' if len(names) > 1 else 'Организатор'}: {listed}")
        elif role == "supporter":
            written.append(f"при поддержке: {listed}")
        else:
            written.append(listed)
    return "; ".join(written)


COLUMNS: tuple[Column, ...] = (
    Column("№", lambda a: a.position, 5),
    # The plan's own cells, as written.
    Column("Сроки", lambda a: a.when.text, 18, wrap=True),
    Column("Мероприятия", lambda a: a.title, 60, wrap=True),
    Column("Место проведения", lambda a: a.place.text or "", 30, wrap=True),
    Column("Ответственный", responsible_cell, 45, wrap=True),
    # What CivicPlan understood of them.
    Column("Раздел", lambda a: a.section[0], 30),
    Column("Подраздел", lambda a: a.section[1], 16),
    Column("Начало", lambda a: a.when.start, 12),
    Column("Окончание", lambda a: a.when.end, 12),
    Column("Время начала", lambda a: a.when.start_time, 9),
    Column("Время окончания", lambda a: a.when.end_time, 9),
    Column("Точность", lambda a: a.when.precision, 11),
    Column("Вид", lambda a: a.kind, 13),
    Column("Участие", lambda a: a.involvement, 12),
    Column("Формат", lambda a: a.format, 10),
    Column("Города", lambda a: _joined([city.name for city in a.place.cities]), 22, wrap=True),
    Column("Регионы", lambda a: _joined([city.region for city in a.place.cities]), 24, wrap=True),
    Column("Страны", lambda a: _joined([city.country for city in a.place.cities]), 12),
    Column("Площадка", lambda a: a.place.venue, 24, wrap=True),
    Column("Охват", lambda a: a.place.scope, 12),
    Column("Организаторы", _parties("organiser"), 32, wrap=True),
    Column("Ответственные", _parties("responsible"), 32, wrap=True),
    Column("При поддержке", _parties("supporter"), 32, wrap=True),
    Column("Сноски", lambda a: "\n".join(a.notes), 40, wrap=True),
)
HEADERS = tuple(column.header for column in COLUMNS)
OWN_COLUMNS = 5  # the plan's own cells: №, Сроки, Мероприятия, Место проведения, Ответственный
TITLE_COLUMN = HEADERS.index("Мероприятия")
EXTRA_WIDTH = 30  # an extra field's column, in Excel character widths


def extra_headers(activities: Iterable[Activity]) -> list[str]:
    """The headers of the activities' extra fields, each once, in order of first appearance."""
    return list(dict.fromkeys(header for activity in activities for header, _ in activity.extra))


def extra_cell(activity: Activity, header: str) -> str:
    """The activity's extra field under `header`; two under the same header joined by "; "."""
    return "; ".join(text for name, text in activity.extra if name == header and text)


def _extra_column(header: str) -> Column:
    return Column(header, lambda a: extra_cell(a, header), EXTRA_WIDTH, wrap=True)


def columns_for(activities: Iterable[Activity]) -> tuple[Column, ...]:
    """The table's columns for these activities: COLUMNS, then one per extra field's header."""
    return COLUMNS + tuple(_extra_column(header) for header in extra_headers(activities))


def row(activity: Activity, columns: Sequence[Column] = COLUMNS) -> list[Value]:
    return [column.value(activity) for column in columns]


# -- the official layout (DOCX, PDF) -----------------------------------------------------------

OFFICIAL_HEADERS = ("Сроки", "Мероприятия", "Место проведения", "Ответственный")
# Their widths (4, 9.7, 5 and 7.5 cm: the Word export's, in twentieths of a point), together
# the width of the page's text.
OFFICIAL_WIDTHS = (2268, 5500, 2835, 4250)
EXTRA_SHARE = 0.1  # of the text's width: an extra field's column, narrower when there are many
EXTRAS_SHARE = 0.3  # the most the extra fields' columns take together


def official_columns(activities: Iterable[Activity]) -> tuple[list[str], list[int]]:
    """The official layout's headers and widths (twentieths of a point, summing to the four
    columns' width): the four columns, then one per extra field's header, which take their
    width from «Мероприятия», «Место проведения» and «Ответственный» (in proportion; «Сроки»
    keeps its own, which a date with its times needs)."""
    extras = extra_headers(activities)
    if not extras:
        return list(OFFICIAL_HEADERS), list(OFFICIAL_WIDTHS)
    total = sum(OFFICIAL_WIDTHS)
    extra = int(total * min(EXTRA_SHARE, EXTRAS_SHARE / len(extras)))
    when, *others = OFFICIAL_WIDTHS
    rest = total - when - extra * len(extras)
    widths = [width * rest // sum(others) for width in others]
    widths[0] += rest - sum(widths)  # what rounding left goes to «Мероприятия»
    return [*OFFICIAL_HEADERS, *extras], [when, *widths, *([extra] * len(extras))]

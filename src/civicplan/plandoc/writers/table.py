"""The plan as one flat table: the columns the XLSX and CSV writers share.

One row per activity. The first columns are the plan's own cells as written (№, Сроки,
Мероприятия, Место проведения, Ответственный); the parsed columns after them carry the values
of the plan JSON (`plandoc.jsonio`) with the same codes, for filters and analysis. The importer
knows this header (`layout.exported_roles`): it reads the plan's own cells back and skips the
parsed ones, some of which it would otherwise take for plan columns ("Площадка", "Ответственные").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from civicplan.plandoc.model import Activity, Responsible

Value = str | int | date | None


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


def row(activity: Activity) -> list[Value]:
    return [column.value(activity) for column in COLUMNS]

"""From a RawDocument to a PlanDocument: what each row means, the same for every file format."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping

from civicplan import timeframes
from civicplan.i18n import gettext as _
from civicplan.plandoc.activities import read_involvement, read_kind
from civicplan.plandoc.model import Activity, Note, PlanDocument, Problem, Responsible
from civicplan.plandoc.organisations import OrganisationIndex, read_responsible
from civicplan.plandoc.places import read_format, read_place
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow

_TITLE_PERIOD = re.compile(r"\bна\s+((?:[а-яё]+\s+)?\d{4})(?!\d)", re.IGNORECASE)
_ANY_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def title_period(title: str) -> tuple[int | None, int | None]:
    """The plan's year and, for a monthly plan, its month: "… НА 2024 ГОД", "на март 2025 года"."""
    match = _TITLE_PERIOD.search(title)
    if match:
        period = timeframes.parse(match.group(1))
        if period.start is not None and period.precision in ("year", "month"):
            month = period.start.month if period.precision == "month" else None
            return period.start.year, month
    years = _ANY_YEAR.findall(title)
    return (int(years[-1]), None) if years else (None, None)


Progress = Callable[[int, int], None]  # (rows understood, rows in all)
PROGRESS_EVERY = 100  # rows between two reports of progress


def build_plan(
    raw: RawDocument,
    year: int | None = None,
    index: OrganisationIndex | None = None,
    progress: Progress | None = None,
) -> PlanDocument:
    """Understand every row. `year` overrides the title's year; `index` carries organisations
    already known (from the database) so that rows are matched against them too; `progress`
    hears every PROGRESS_EVERY rows how far it has got (a long plan takes seconds)."""
    title_year, month = title_period(raw.title)
    year = year or title_year
    index = index if index is not None else OrganisationIndex()
    plan = PlanDocument(title=raw.title, year=year)
    section: str | None = None
    subsection: str | None = None
    rows = sum(isinstance(item, RawRow) for item in raw.items)
    for item in raw.items:
        if isinstance(item, RawHeading):
            if _is_period_heading(item.text, year):
                subsection = item.text
            else:
                section, subsection = item.text, None
        elif isinstance(item, RawNote):
            plan.notes.append(Note(item.text, after=len(plan.activities)))
        elif isinstance(item, RawRow):
            activity, problems = read_activity(
                item.cells,
                position=len(plan.activities) + 1,
                section=(section, subsection),
                year=year,
                month=month,
                index=index,
                source_row=item.number,
            )
            activity.notes = list(item.footnotes)
            activity.extra = list(item.extra)
            plan.problems.extend(problems)
            plan.activities.append(activity)
            if progress is not None and len(plan.activities) % PROGRESS_EVERY == 0:
                progress(len(plan.activities), rows)
    return plan


def _is_period_heading(text: str, year: int | None) -> bool:
    """ "1 ПОЛУГОДИЕ", "II квартал", "Январь": a heading that is a time frame is a sub-heading."""
    if len(text) > 40:
        return False
    period = timeframes.parse(text, default_year=year or 2000)
    return period.start is not None and period.warning is None


def read_activity(
    cells: Mapping[str, str],
    *,
    position: int,
    section: tuple[str | None, str | None] = (None, None),
    year: int | None = None,
    month: int | None = None,
    index: OrganisationIndex | None = None,
    source_row: int | None = None,
) -> tuple[Activity, list[Problem]]:
    """One row understood from its cells by role (when, title, place, responsible): the time
    frame read in the plan's year (and month), the kind, involvement, format, places and
    responsible parties, each party matched against `index`; and what a person should check.
    A plan's rows and a member's proposal are read by this one function."""
    title = cells.get("title", "")
    place_text = cells.get("place", "")
    activity = Activity(
        position=position,
        section=section,
        when=timeframes.parse(cells.get("when", ""), default_year=year, default_month=month),
        title=title,
        kind=read_kind(title),
        involvement=read_involvement(title),
        format=read_format(place_text),
        place=read_place(place_text),
        responsible=read_responsible(cells.get("responsible", "")),
        responsible_text=cells.get("responsible", ""),
        source_row=source_row,
    )
    problems: list[Problem] = []
    activity.responsible = _recognise(
        activity.responsible,
        index if index is not None else OrganisationIndex(),
        problems,
        source_row,
    )
    if activity.when.warning:
        problems.append(Problem(activity.when.warning, source_row, "when"))
    if not activity.title:
        problems.append(Problem(_("нет названия мероприятия"), source_row, "title"))
    return activity, problems


def _recognise(
    parties: list[Responsible],
    index: OrganisationIndex,
    problems: list[Problem],
    row: int | None,
) -> list[Responsible]:
    """Match each party against the organisations seen so far. A spelling that matches an
    organisation exactly (by key) is kept as written; a near miss (a typo) takes the known
    organisation's name, and the importer is told."""
    recognised = []
    for party in parties:
        if party.kind == "person":
            recognised.append(party)
            continue
        match = index.resolve(party.name)
        if match.how == "fuzzy":
            problems.append(
                Problem(
                    _("«%(written)s» сопоставлено с «%(known)s» (сходство %(score).0f%%)")
                    % {"written": party.name, "known": match.name, "score": match.score},
                    row,
                    "responsible",
                )
            )
            party = dataclasses.replace(party, name=match.name, written_as=party.name)
        recognised.append(party)
    return recognised

"""The PlanDocument: one shape for a plan, whatever file it came from or goes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from civicplan.i18n import gettext as _
from civicplan.i18n import gettext_noop
from civicplan.timeframes import Timeframe

# Russian msgids; translated when a Problem is shown.
FIELD_NAMES = {
    "when": gettext_noop("сроки"),
    "title": gettext_noop("мероприятие"),
    "place": gettext_noop("место проведения"),
    "responsible": gettext_noop("ответственный"),
}
ROLES = ("organiser", "supporter", "responsible")
KINDS = (
    "conference",
    "forum",
    "congress",
    "contest",
    "project",
    "campaign",
    "telethon",
    "meeting",
    "education",
    "publication",
    "ceremony",
    "festival",
    "session",
    "other",
)
INVOLVEMENTS = ("organiser", "participant")
FORMATS = ("offline", "online", "hybrid")
SCOPES = ("members", "contest_participants")
ORGANISATION_KINDS = (
    "federal",  # federal body: ministries, the Duma, the Federation Council
    "regional",  # regional body: a region's government, ministry or committee
    "municipal",  # municipal body: a city's administration or mayoralty (members are these)
    "association",  # the association itself and its bodies
    "institution",  # state institutions: ФГБУ, ГБУЗ, research centres
    "ngo",  # АНО, foundations, movements, unions
    "university",
    "company",
    "international",  # WHO and other international bodies, foreign authorities
    "collective",  # a group, not one body: "органы власти муниципальных образований – члены …"
    "person",
    "other",
)


@dataclass(frozen=True, slots=True)
class City:
    name: str  # nominative: "Пермь"
    region: str | None = None  # nominative, only when the text names it: "Вологодская область"
    country: str = "Россия"


@dataclass(frozen=True, slots=True)
class Place:
    """The «Место проведения» cell understood."""

    text: str | None = None
    cities: tuple[City, ...] = ()
    venue: str | None = None  # a building or platform: "КВЦ «Экспофорум»"
    scope: str | None = None  # "members", "contest_participants" or None


@dataclass(frozen=True, slots=True)
class Responsible:
    """One responsible party of an activity, with its role."""

    name: str
    role: str = "responsible"
    kind: str = "other"
    contact: str | None = None  # a person named in parentheses after an organisation
    written_as: str | None = None  # the spelling in the plan, when `name` corrected a near miss
    remark: str | None = None  # "по согласованию": said of this party in the plan, not its name


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a reader or the row understanding wants a person to look at."""

    message: str
    row: int | None = None  # the row number in the source file (1-based), when there is one
    field: str | None = None  # when, title, place, responsible

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("строка %(row)s") % {"row": self.row})
        if self.field:
            where.append(_(FIELD_NAMES[self.field]) if self.field in FIELD_NAMES else self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(slots=True)
class Activity:
    """One row of the plan, understood."""

    position: int
    section: tuple[str | None, str | None]
    when: Timeframe
    title: str
    kind: str
    involvement: str
    format: str | None
    place: Place
    responsible: list[Responsible]
    notes: list[str] = field(default_factory=list)
    responsible_text: str = ""  # the cell as written, for exports in the official layout
    # The plan's other columns for this row (participants, expected result, mark of completion,
    # remarks…): (the column's header as written, the cell's text), in the table's order.
    extra: list[tuple[str, str]] = field(default_factory=list)
    source_row: int | None = None
    # Known once the activity is in the database; calendars need them (see writers/ics.py).
    uid: str | None = None
    sequence: int = 0
    status: str = "planned"  # planned, held, postponed, cancelled
    # What a reader of a calendar is told about the status, in the plan's language: a
    # postponed activity's earlier time frame and the reason, a cancellation's reason, the
    # days a held one took place ("Прежние сроки: 4-5 апреля 2024 г. Причина: …").
    status_note: str = ""
    modified: datetime | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A paragraph of the plan between or after its rows; `after` is how many activities
    come before it, so a writer can put it back in place."""

    text: str
    after: int


@dataclass(frozen=True, slots=True)
class VersionLabel:
    """Which version of a stored plan a document is: approved as version `number` on
    `published`; `amended_on` when rows changed after it and are not yet in a version."""

    number: int
    published: date
    amended_on: date | None = None

    def __str__(self) -> str:
        text = _("Версия %(number)s от %(date)s") % {
            "number": self.number,
            "date": f"{self.published:%d.%m.%Y}",
        }
        if self.amended_on is not None:
            text += _(", с изменениями на %(date)s") % {"date": f"{self.amended_on:%d.%m.%Y}"}
        return text


@dataclass(slots=True)
class PlanDocument:
    title: str
    year: int | None
    activities: list[Activity] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The IANA time zone the activities' times of day are in ("Europe/Moscow"), when known: a
    # plan from the database has the installation's (CIVICPLAN_PLAN_TIME_ZONE); None leaves it
    # to the writer's default (calendars: writers.ics.DEFAULT_TIME_ZONE).
    time_zone: str | None = None
    version: VersionLabel | None = None

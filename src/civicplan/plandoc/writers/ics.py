"""Calendars (iCalendar, RFC 5545): one VEVENT per dated activity, for subscriptions and for
"add to my calendar". Pure Python, no Django; the conventions are in docs/formats.md.

- An event is all-day (`VALUE=DATE`): DTSTART is the first day the time frame allows and
  DTEND the day after the last (RFC 5545 end dates are exclusive), so "4-5 апреля 2024 г." is
  DTSTART 20240404, DTEND 20240406 and a month covers the whole month.
- But an activity of one day with a start time ("15.03.2026 10:00-12:00", precision `day`, not
  a deadline) is a timed event in the plan's time zone: DTSTART;TZID=Europe/Moscow:20260315T100000
  and DTEND at the end time (the next day's when it is not after the start), or an hour after
  the start when the plan gives none; the calendar then carries that zone's VTIMEZONE (built by
  icalendar from the zoneinfo database, for the years of its timed events). The zone is the
  caller's `time_zone` (the installation's CIVICPLAN_PLAN_TIME_ZONE), Europe/Moscow by default.
- A time frame coarser than days (decade, month, months, quarter, half, season, year, years) is
  not a date: the event is TRANSPARENT (it does not make anyone busy), TENTATIVE unless it was
  held or cancelled, and its DESCRIPTION says "Точная дата уточняется". A deadline ("до 15
  марта") is a one-day TRANSPARENT event on its last day.
- UID is the activity's permanent identifier + "@civicplan" and SEQUENCE its edit number, so a
  calendar that subscribed once updates the same event when the plan changes.
- The calendar speaks the plan's language (Russian) whatever the reader's: it is data.

Two ways out of one list of properties (`calendar_properties`, `event_properties`):
`calendar()` builds an `icalendar.Calendar` (to work with in Python), and `write_calendar()`
writes the same bytes as `calendar(...).to_ical()` (tested) eight times faster: icalendar makes
an object per value and folds long lines one character at a time, which for a feed of 10,000
Cyrillic events takes seconds.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import icalendar
from icalendar.caselessdict import canonsort_keys
from icalendar.prop import vCategory, vDatetime, vDDDTypes, vDuration, vInt, vText, vUri
from icalendar.timezone import tzid_from_dt, tzid_from_tzinfo

from civicplan.plandoc.model import Activity, Place, PlanDocument
from civicplan.timeframes import format as format_timeframe

PRODID = "-//CivicPlan//Calendar feed 1//RU"
DEFAULT_TIME_ZONE = "Europe/Moscow"
TIMED_LENGTH = timedelta(hours=1)  # a timed event whose end time the plan does not give
REFRESH = timedelta(hours=6)
UID_DOMAIN = "civicplan"
# Time frames whose days are known; every other precision is a period the date lies in.
EXACT = frozenset(("day", "days"))
TO_BE_CONFIRMED = "Точная дата уточняется."
# The kind as one Russian word (the same words as plans.models.Activity.Kind; tested).
CATEGORIES = {
    "conference": "конференция",
    "forum": "форум",
    "congress": "конгресс",
    "contest": "конкурс",
    "project": "проект",
    "campaign": "акция",
    "telethon": "телемарафон",
    "meeting": "совещание",
    "education": "обучение",
    "publication": "издание",
    "ceremony": "церемония",
    "festival": "фестиваль",
    "session": "сессия",
}
SCOPES = {
    "members": "муниципальные образования – члены Ассоциации",
    "contest_participants": "муниципальные образования – участники конкурса",
}
ROLES = (
    ("organiser", "Организаторы"),
    ("responsible", "Ответственные"),
    ("supporter", "При поддержке"),
)
FORMATS = {"online": "онлайн", "hybrid": "очно и онлайн"}
STATUS_NOTES = {
    "held": "Мероприятие проведено.",
    "postponed": "Мероприятие перенесено.",
    "cancelled": "Мероприятие отменено.",
}


class Uri(str):
    """A URI value (URL, SOURCE): written as it is, without TEXT escaping."""

    __slots__ = ()


class Duration(timedelta):
    """A DURATION written with VALUE=DURATION, which REFRESH-INTERVAL requires (RFC 7986); a
    plain timedelta is written without it."""


# A property: its name and its value as Python data. str is TEXT, date a DATE (all-day),
# datetime a DATE-TIME (in UTC, or local with its zone's TZID), int an INTEGER, Uri a URI,
# list[str] a list of TEXT (CATEGORIES), timedelta a DURATION.
Property = tuple[str, object]


def write(plan: PlanDocument) -> bytes:
    """The plan's dated activities as one calendar named after the plan, its times of day in
    the plan's time zone."""
    return write_calendar(
        plan.activities,
        name=" ".join(plan.title.split()),
        time_zone=plan.time_zone or DEFAULT_TIME_ZONE,
    )


def calendar(
    activities: Iterable[Activity],
    *,
    name: str,
    base_url: str = "",
    stamp: datetime | None = None,
    source: str | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> icalendar.Calendar:
    """A VCALENDAR with one VEVENT per activity that has dates, ordered by start day, then
    position, then UID. `base_url` ("https://host/") makes the activities' relative URLs
    absolute; without it they are left out. `stamp` is DTSTAMP (now by default); `source` is
    the address the calendar is published at (RFC 7986 SOURCE); `time_zone` (an IANA name) is
    the zone of the activities' times of day."""
    stamp = _utc(stamp or datetime.now(UTC))
    items = dated(activities)
    cal = icalendar.Calendar()
    for name_, value in calendar_properties(name, source, time_zone):
        cal[name_] = _typed(value, name_)
    years = timed_years(items, time_zone)
    if years and not _is_utc(time_zone):
        cal.add_component(_vtimezone(time_zone, *years))
    for item in items:
        vevent = icalendar.Event()
        properties = event_properties(item, base_url=base_url, stamp=stamp, time_zone=time_zone)
        for name_, value in properties:
            vevent[name_] = _typed(value, name_)
        cal.add_component(vevent)
    return cal


def write_calendar(
    activities: Iterable[Activity],
    *,
    name: str,
    base_url: str = "",
    stamp: datetime | None = None,
    source: str | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> bytes:
    """`calendar(...).to_ical()`, the same bytes, written directly."""
    stamp = _utc(stamp or datetime.now(UTC))
    items = dated(activities)
    lines = ["BEGIN:VCALENDAR"]
    properties = calendar_properties(name, source, time_zone)
    lines.extend(_lines(properties, icalendar.Calendar.canonical_order))
    years = timed_years(items, time_zone)
    if years and not _is_utc(time_zone):
        lines.extend(_vtimezone_lines(time_zone, *years))
    for item in items:
        lines.append("BEGIN:VEVENT")
        properties = event_properties(item, base_url=base_url, stamp=stamp, time_zone=time_zone)
        lines.extend(_lines(properties, icalendar.Event.canonical_order))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return b"\r\n".join(map(fold, lines)) + b"\r\n"


def dated(activities: Iterable[Activity]) -> list[Activity]:
    """The activities that have dates, by start day, position and UID."""
    found = [item for item in activities if item.when.start is not None]
    found.sort(key=lambda item: (item.when.start, item.position, uid(item)))
    return found


def calendar_properties(
    name: str, source: str | None = None, time_zone: str = DEFAULT_TIME_ZONE
) -> list[Property]:
    properties: list[Property] = [
        ("PRODID", PRODID),
        ("VERSION", "2.0"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("X-WR-TIMEZONE", time_zone),
        ("REFRESH-INTERVAL", Duration(seconds=REFRESH.total_seconds())),
        ("X-PUBLISHED-TTL", REFRESH),
    ]
    if source:
        properties.append(("SOURCE", Uri(source)))
    return properties


def event_properties(
    activity: Activity,
    *,
    base_url: str = "",
    stamp: datetime | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> list[Property]:
    """One activity's VEVENT; it must have dates. A timed one (`timed`) starts and ends at its
    times of day in `time_zone`."""
    when = activity.when
    if when.start is None or when.end is None:
        raise ValueError(f"activity {activity.position} has no dates")
    moments = timed(activity, time_zone)
    if moments is not None:
        start, end = moments
    else:
        start, end = (when.end if when.deadline else when.start), when.end + timedelta(days=1)
    url = absolute_url(activity.url, base_url)
    properties: list[Property] = [
        ("UID", f"{uid(activity)}@{UID_DOMAIN}"),
        ("DTSTAMP", _utc(stamp or datetime.now(UTC))),
    ]
    if activity.modified is not None:
        properties.append(("LAST-MODIFIED", _utc(activity.modified)))
    properties += [
        ("SEQUENCE", activity.sequence),
        ("DTSTART", start),
        ("DTEND", end),
        ("SUMMARY", " ".join(activity.title.split())),
    ]
    where = location(activity.place)
    if where:
        properties.append(("LOCATION", where))
    if url:
        properties.append(("URL", Uri(url)))
    if activity.kind in CATEGORIES:
        properties.append(("CATEGORIES", [CATEGORIES[activity.kind]]))
    exact = when.precision in EXACT and not when.deadline
    properties += [
        ("STATUS", status(activity)),
        ("TRANSP", "OPAQUE" if exact else "TRANSPARENT"),
        ("DESCRIPTION", description(activity, url)),
        ("X-CIVICPLAN-PRECISION", when.precision),
    ]
    if when.deadline:
        properties.append(("X-CIVICPLAN-DEADLINE", "TRUE"))
    if when.recurrence:
        properties.append(("X-CIVICPLAN-RECURRENCE", when.recurrence))
    return properties


def timed(
    activity: Activity, time_zone: str = DEFAULT_TIME_ZONE
) -> tuple[datetime, datetime] | None:
    """The start and end of a timed event in `time_zone`, or None for an all-day one: only an
    activity of one day (not a deadline) with a start time is timed. It ends at its end time
    (the next day's, when that is not after the start) or TIMED_LENGTH after its start."""
    when = activity.when
    if when.start_time is None or when.start is None or when.precision != "day" or when.deadline:
        return None
    zone = _zone(time_zone)
    start = datetime.combine(when.start, when.start_time)
    if when.end_time is None:
        end = start + TIMED_LENGTH
    else:
        end = datetime.combine(when.start, when.end_time)
        if end <= start:
            end += timedelta(days=1)
    return start.replace(tzinfo=zone), end.replace(tzinfo=zone)


def timed_years(activities: Iterable[Activity], time_zone: str) -> tuple[int, int] | None:
    """The first and last year of the timed events (the years their VTIMEZONE covers), or None
    when every event is all-day."""
    years = [moment.year for item in activities for moment in timed(item, time_zone) or ()]
    return (min(years), max(years)) if years else None


def uid(activity: Activity) -> str:
    """The activity's permanent UID; a document not from the database (no `uid`) gets one made
    from its position and title, the same on every run."""
    if activity.uid:
        return activity.uid
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"civicplan:{activity.position}:{activity.title}"))


def is_coarse(activity: Activity) -> bool:
    """True when the time frame names a period rather than the days (a deadline has its day)."""
    return activity.when.precision not in EXACT and not activity.when.deadline


def status(activity: Activity) -> str:
    """CANCELLED; TENTATIVE when the days are not known yet (a postponed activity's new days
    too); CONFIRMED."""
    if activity.status == "cancelled":
        return "CANCELLED"
    if is_coarse(activity) and activity.status != "held":
        return "TENTATIVE"
    return "CONFIRMED"


def location(place: Place) -> str | None:
    """Cities (with the region and a foreign country when the plan names them), the venue, the
    scope: "Москва, Общественная палата РФ"; the cell as written when none of them is known."""
    parts: list[str] = []
    for city in place.cities:
        parts.append(city.name)
        if city.region:
            parts.append(city.region)
        if city.country != "Россия":
            parts.append(city.country)
    if place.venue:
        parts.append(place.venue)
    if place.scope in SCOPES:
        parts.append(SCOPES[place.scope])
    if not parts and place.text:
        parts.append(" ".join(place.text.split()))
    return ", ".join(parts) or None


def description(activity: Activity, url: str | None = None) -> str:
    """The time frame in words, what is not settled, who is responsible, notes and the link."""
    lines = [f"Сроки: {format_timeframe(activity.when)}"]
    if is_coarse(activity) and activity.status not in ("held", "cancelled"):
        lines.append(TO_BE_CONFIRMED)
    if activity.status in STATUS_NOTES:
        lines.append(STATUS_NOTES[activity.status])
    if activity.status_note:  # the earlier time frame, the reason, the days it was held
        lines.append(activity.status_note)
    if activity.format in FORMATS:
        lines.append(f"Формат: {FORMATS[activity.format]}")
    for role, label in ROLES:
        names = [
            f"{party.name} ({party.contact})" if party.contact else party.name
            for party in activity.responsible
            if party.role == role
        ]
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    lines.extend(f"Примечание: {note}" for note in activity.notes)
    if url:
        lines.append(f"Подробнее: {url}")
    return "\n".join(lines)


def absolute_url(url: str | None, base_url: str) -> str | None:
    """The activity's page as an absolute URI ("/activities/7-…/" joined to the site's
    address), or None when there is no way to make one."""
    if not url:
        return None
    if "://" in url:
        return url
    if not base_url:
        return None
    return urljoin(base_url, url)


def _utc(moment: datetime) -> datetime:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0)


@functools.lru_cache(maxsize=32)
def _zone(time_zone: str) -> ZoneInfo:
    """The zone by its IANA name (ZoneInfoNotFoundError for an unknown one)."""
    return ZoneInfo(time_zone)


@functools.lru_cache(maxsize=32)
def _is_utc(time_zone: str) -> bool:
    """Whether the zone is UTC ("UTC", "Etc/UTC"): its times are written "…Z", without a TZID
    and so without a VTIMEZONE, as icalendar writes them."""
    return tzid_from_tzinfo(_zone(time_zone)) == "UTC"


def _vtimezone(time_zone: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The zone's VTIMEZONE with its offsets and transitions from 1 January of `first_year` to
    31 December of `last_year` (icalendar reads them from the zoneinfo database), its TZID the
    one icalendar writes on the events' times."""
    return icalendar.Timezone.from_tzinfo(
        _zone(time_zone), first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
    )


@functools.lru_cache(maxsize=32)
def _vtimezone_lines(time_zone: str, first_year: int, last_year: int) -> tuple[str, ...]:
    """The VTIMEZONE's content lines as icalendar writes them, unfolded (the fast writer
    folds every line again)."""
    text = _vtimezone(time_zone, first_year, last_year).to_ical().decode("utf-8")
    return tuple(text.replace("\r\n ", "").removesuffix("\r\n").split("\r\n"))


# --- the two ways out -------------------------------------------------------------------------


def _typed(value: object, name: str) -> object:
    """The icalendar value object for a property value."""
    if isinstance(value, Uri):
        return vUri(str(value))
    if isinstance(value, Duration):
        return vDuration(value, params={"VALUE": "DURATION"})
    if isinstance(value, timedelta):
        return vDuration(value)
    if isinstance(value, datetime):
        return vDatetime(value)
    if isinstance(value, date):
        return vDDDTypes(value)  # VALUE=DATE
    if isinstance(value, bool):
        raise TypeError(f"{name}: no boolean values in a calendar")
    if isinstance(value, int):
        return vInt(value)
    if isinstance(value, list):
        return vCategory(value)
    return vText(value)


def _lines(properties: list[Property], canonical_order: tuple[str, ...]) -> list[str]:
    """Content lines, unfolded, in icalendar's order (canonical names first, then A-Z)."""
    values = dict(properties)
    names = tuple(values)
    order = _ORDERS.get((names, canonical_order))
    if order is None:  # a few distinct sets of names in a whole feed
        order = _ORDERS[(names, canonical_order)] = tuple(canonsort_keys(names, canonical_order))
    return [_line(name, values[name]) for name in order]


_ORDERS: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}


def _line(name: str, value: object) -> str:
    if isinstance(value, str):
        return f"{name}:{value if isinstance(value, Uri) else escape(value)}"
    if isinstance(value, datetime):
        tzid = "UTC" if value.tzinfo is UTC else tzid_from_dt(value)
        if tzid == "UTC":
            return f"{name}:{value:%Y%m%dT%H%M%SZ}"
        return f"{name};TZID={tzid}:{value:%Y%m%dT%H%M%S}"
    if isinstance(value, date):
        return f"{name};VALUE=DATE:{value:%Y%m%d}"
    if isinstance(value, timedelta):
        text = vDuration(value).to_ical().decode("ascii")
        return f"{name};VALUE=DURATION:{text}" if isinstance(value, Duration) else f"{name}:{text}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{name}:{value}"
    if isinstance(value, list):
        return f"{name}:{','.join(escape(item) for item in value)}"
    raise TypeError(f"{name}: cannot write {value!r}")


def escape(text: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11), exactly as icalendar's vText does it (tested)."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> bytes:
    """A content line folded the way icalendar does it: pieces of at most 74 octets, never
    inside a UTF-8 character, and never right after a backslash or caret (an escape stays
    whole); continuation lines start with one space."""
    data = line.encode("utf-8")
    if len(data) < 75:
        return data
    pieces: list[bytes] = []
    start, size = 0, len(data)
    while size - start > 74:
        cut = start + 74
        while data[cut] & 0xC0 == 0x80:  # inside a multi-byte character
            cut -= 1
        if cut - 1 > start and data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)

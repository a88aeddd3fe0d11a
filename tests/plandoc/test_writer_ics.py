"""The calendar writer (iCalendar, RFC 5545) on its own, without Django: the conventions of each
property, and the fast writer giving exactly the bytes icalendar gives."""

from __future__ import annotations

import subprocess
import sys
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline
from icalendar.prop import vText

from civicplan.plandoc import PlanDocument, read_plan
from civicplan.plandoc.model import Activity, City, Place, Responsible
from civicplan.plandoc.writers import ics, write_plan
from civicplan.timeframes import Timeframe, parse

ROOT = Path(__file__).resolve().parents[2]
STAMP = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
BASE = "https://plan.example.org/"


def make(when: str | Timeframe = "4-5 апреля 2024 г.", **fields: object) -> Activity:
    values: dict[str, object] = {
        "position": 1,
        "section": (None, None),
        "when": parse(when, default_year=2024) if isinstance(when, str) else when,
        "title": "Всероссийский форум «Здоровые города»",
        "kind": "forum",
        "involvement": "organiser",
        "format": "offline",
        "place": Place(
            "г. Москва, Общественная палата РФ", (City("Москва"),), "Общественная палата РФ"
        ),
        "responsible": [Responsible("Дирекция Ассоциации", "organiser", "association")],
        "uid": "0b7c5f0e-2d55-4a53-9b43-6f6f1c1d2e3f",
        "sequence": 2,
        "modified": datetime(2024, 2, 1, 12, 0, 5, 123456, tzinfo=UTC),
        "url": "/activities/7-forum/",
    }
    values.update(fields)
    return Activity(**values)  # type: ignore[arg-type]


def vevent(activity: Activity, **options: object) -> icalendar.Event:
    body = ics.write_calendar([activity], name="Тест", stamp=STAMP, **options)  # type: ignore[arg-type]
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return event


@pytest.fixture(scope="module")
def seed() -> PlanDocument:
    return read_plan((ROOT / "examples" / "plan-2024.txt").read_bytes(), "plan-2024.txt")


# --- the calendar -------------------------------------------------------------------------------


def test_the_seed_is_a_calendar_of_37_events(seed: PlanDocument) -> None:
    body = ics.write(seed)
    cal = icalendar.Calendar.from_ical(body)
    assert body.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CivicPlan//")
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert (str(cal["CALSCALE"]), str(cal["METHOD"])) == ("GREGORIAN", "PUBLISH")
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Moscow"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\nX-PUBLISHED-TTL:PT6H\r\n" in body
    assert str(cal["X-WR-CALNAME"]).startswith("ПЛАН ДЕЯТЕЛЬНОСТИ АССОЦИАЦИИ ПО УЛУЧШЕНИЮ")
    events = cal.walk("VEVENT")
    assert len(events) == 37
    assert len({str(event["UID"]) for event in events}) == 37
    position = {f"{ics.uid(item)}@civicplan": item.position for item in seed.activities}
    keys = [(event["DTSTART"].dt, position[str(event["UID"])]) for event in events]
    assert keys == sorted(keys)  # by start day, then position
    assert write_plan(seed, "ics").count(b"BEGIN:VEVENT") == 37


def test_the_fast_writer_gives_icalendars_bytes(seed: PlanDocument) -> None:
    rows = [
        replace(
            item,
            uid=str(uuid.UUID(int=number + 1)),
            sequence=number,
            modified=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=3))),
            url=f"/activities/{number}-x/",
            status=("planned", "held", "postponed", "cancelled")[number % 4],
        )
        for number, item in enumerate(seed.activities)
    ]
    rows.append(make("до 15 марта", position=38, uid="deadline"))
    rows.append(make("ежемесячно", position=39, uid="monthly", notes=["Сноска; с, запятой"]))
    options = {
        "name": "Календарь, с запятой; и точкой с запятой",
        "base_url": BASE,
        "stamp": STAMP,
        "source": BASE + "calendar.ics?city=%D0%9F",
    }
    fast = ics.write_calendar(rows, **options)  # type: ignore[arg-type]
    assert fast == ics.calendar(rows, **options).to_ical()  # type: ignore[arg-type]


# --- each property ------------------------------------------------------------------------------


def test_days_are_all_day_and_the_end_is_exclusive() -> None:
    event = vevent(make("4-5 апреля 2024 г."), base_url=BASE)
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (date(2024, 4, 4), date(2024, 4, 6))
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert str(event["UID"]) == "0b7c5f0e-2d55-4a53-9b43-6f6f1c1d2e3f@civicplan"
    assert event["SEQUENCE"] == 2
    assert event["DTSTAMP"].dt == STAMP
    assert event["LAST-MODIFIED"].dt == datetime(2024, 2, 1, 12, 0, 5, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Всероссийский форум «Здоровые города»"
    assert str(event["LOCATION"]) == "Москва, Общественная палата РФ"
    assert str(event["URL"]) == "https://plan.example.org/activities/7-forum/"
    assert event.categories == ["форум"]
    assert (str(event["STATUS"]), str(event["TRANSP"])) == ("CONFIRMED", "OPAQUE")
    assert str(event["X-CIVICPLAN-PRECISION"]) == "days"
    assert str(event["DESCRIPTION"]) == (
        "Сроки: 4-5 апреля 2024 г.\n"
        "Организаторы: Дирекция Ассоциации\n"
        "Подробнее: https://plan.example.org/activities/7-forum/"
    )
    one_day = vevent(make("28 февраля 2024 г."))
    assert (one_day["DTSTART"].dt, one_day["DTEND"].dt) == (date(2024, 2, 28), date(2024, 2, 29))
    assert str(one_day["TRANSP"]) == "OPAQUE"


@pytest.mark.parametrize(
    ("when", "precision", "start", "end"),
    [
        ("II декада мая 2024 г.", "decade", date(2024, 5, 11), date(2024, 5, 21)),
        ("Март 2024 г.", "month", date(2024, 3, 1), date(2024, 4, 1)),
        ("Май-июнь 2024 г.", "months", date(2024, 5, 1), date(2024, 7, 1)),
        ("I квартал 2025 г.", "quarter", date(2025, 1, 1), date(2025, 4, 1)),
        ("Первое полугодие 2024 г.", "half", date(2024, 1, 1), date(2024, 7, 1)),
        ("Зима 2025 г.", "season", date(2024, 12, 1), date(2025, 3, 1)),
        ("В течение 2024 г.", "year", date(2024, 1, 1), date(2025, 1, 1)),
        ("2024–2025 гг.", "years", date(2024, 1, 1), date(2026, 1, 1)),
    ],
)
def test_a_coarse_time_frame_is_a_tentative_transparent_period(
    when: str, precision: str, start: date, end: date
) -> None:
    event = vevent(make(when))
    assert str(event["X-CIVICPLAN-PRECISION"]) == precision
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (start, end)
    assert (str(event["STATUS"]), str(event["TRANSP"])) == ("TENTATIVE", "TRANSPARENT")
    assert "\nТочная дата уточняется.\n" in str(event["DESCRIPTION"])


def test_a_deadline_is_one_transparent_day() -> None:
    event = vevent(make("до 15 марта"))
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (date(2024, 3, 15), date(2024, 3, 16))
    assert (str(event["STATUS"]), str(event["TRANSP"])) == ("CONFIRMED", "TRANSPARENT")
    assert str(event["X-CIVICPLAN-DEADLINE"]) == "TRUE"
    assert str(event["DESCRIPTION"]).startswith("Сроки: До 15 марта 2024 г.\nОрганизаторы")


def test_a_recurrence_is_said_not_expanded() -> None:
    event = vevent(make("ежемесячно"))
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (date(2024, 1, 1), date(2025, 1, 1))
    assert str(event["X-CIVICPLAN-RECURRENCE"]) == "monthly"
    assert "RRULE" not in event
    assert str(event["DESCRIPTION"]).startswith("Сроки: Ежемесячно, в течение 2024 г.\n")


@pytest.mark.parametrize(
    ("status", "when", "expected", "note"),
    [
        ("cancelled", "4-5 апреля 2024 г.", "CANCELLED", "Мероприятие отменено."),
        ("cancelled", "Апрель 2024 г.", "CANCELLED", "Мероприятие отменено."),
        ("postponed", "4-5 апреля 2024 г.", "CONFIRMED", "Мероприятие перенесено"),
        ("postponed", "Май 2024 г.", "TENTATIVE", "Мероприятие перенесено"),
        ("held", "Апрель 2024 г.", "CONFIRMED", "Мероприятие проведено."),
        ("planned", "Апрель 2024 г.", "TENTATIVE", "Точная дата уточняется."),
    ],
)
def test_the_status(status: str, when: str, expected: str, note: str) -> None:
    event = vevent(make(when, status=status))
    assert str(event["STATUS"]) == expected
    assert note in str(event["DESCRIPTION"])
    if status in ("held", "cancelled"):  # nothing is left to confirm
        assert "уточняется" not in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        (Place("г. Пермь", (City("Пермь"),)), "Пермь"),
        (
            Place("г. Череповец Вологодской области", (City("Череповец", "Вологодская область"),)),
            "Череповец, Вологодская область",
        ),
        (
            Place("г. Астана Республики Казахстан", (City("Астана", None, "Казахстан"),)),
            "Астана, Казахстан",
        ),
        (
            Place("Муниципальные образования – члены Ассоциации", scope="members"),
            "муниципальные образования – члены Ассоциации",
        ),
        (
            Place("г. Москва, участники", (City("Москва"),), scope="contest_participants"),
            "Москва, муниципальные образования – участники конкурса",
        ),
        (Place("Электронная площадка", venue="Электронная площадка"), "Электронная площадка"),
        (Place("Офлайн/онлайн  формат"), "Офлайн/онлайн формат"),
        (Place(None), None),
    ],
)
def test_the_location(place: Place, expected: str | None) -> None:
    assert ics.location(place) == expected
    event = vevent(make(place=place))
    assert (str(event["LOCATION"]) if "LOCATION" in event else None) == expected


def test_the_description_names_every_party_by_role() -> None:
    parties = [
        Responsible("Мэрия г. Череповца", "responsible"),
        Responsible("Фонд Росконгресс", "organiser"),
        Responsible("Совет Федерации ФС РФ", "supporter"),
        Responsible("Минздрав России", "responsible", contact="И. И. Иванов"),
    ]
    text = ics.description(make(responsible=parties, format="hybrid", notes=["Сноска."]))
    assert text == (
        "Сроки: 4-5 апреля 2024 г.\n"
        "Формат: очно и онлайн\n"
        "Организаторы: Фонд Росконгресс\n"
        "Ответственные: Мэрия г. Череповца, Минздрав России (И. И. Иванов)\n"
        "При поддержке: Совет Федерации ФС РФ\n"
        "Примечание: Сноска."
    )


def test_urls_are_absolute_or_left_out() -> None:
    assert "URL" not in vevent(make())  # no base URL to make it absolute
    assert str(vevent(make(url="https://elsewhere.org/a"))["URL"]) == "https://elsewhere.org/a"
    assert str(vevent(make(), base_url="https://h/x/")["URL"]) == "https://h/activities/7-forum/"
    assert "URL" not in vevent(make(url=None), base_url=BASE)


def test_an_activity_without_dates_is_left_out() -> None:
    body = ics.write_calendar(
        [make("по согласованию"), make("дата уточняется", position=2)], name="x", stamp=STAMP
    )
    assert b"BEGIN:VEVENT" not in body
    with pytest.raises(ValueError, match="no dates"):
        ics.event_properties(make("по согласованию"))


def test_other_kinds_have_no_category_and_missing_values_are_left_out() -> None:
    event = vevent(make(kind="other", modified=None, uid=None, title="  Два\nслова "))
    assert "CATEGORIES" not in event
    assert "LAST-MODIFIED" not in event
    assert str(event["SUMMARY"]) == "Два слова"
    # a document read from a file has no UID yet: one is made from position and title
    made = ics.uid(make(uid=None, title="  Два\nслова "))
    assert str(event["UID"]) == f"{made}@civicplan"
    assert ics.uid(make(uid=None)) == ics.uid(make(uid=None))
    assert ics.uid(make(uid=None)) != ics.uid(make(uid=None, position=2))


def test_times_are_utc() -> None:
    moscow = timezone(timedelta(hours=3))
    event = vevent(make(modified=datetime(2024, 2, 1, 15, 0, tzinfo=moscow)))
    assert event["LAST-MODIFIED"].to_ical() == b"20240201T120000Z"
    naive = vevent(make(modified=datetime(2024, 2, 1, 15, 0)))
    assert naive["LAST-MODIFIED"].to_ical() == b"20240201T150000Z"
    now = icalendar.Calendar.from_ical(ics.write_calendar([make()], name="x"))
    stamp = now.walk("VEVENT")[0]["DTSTAMP"].dt
    assert abs(stamp - datetime.now(UTC)) < timedelta(minutes=1)


def test_the_order_is_start_then_position_then_uid() -> None:
    rows = [
        make("Май 2024 г.", position=1, uid="c"),
        make("4-5 апреля 2024 г.", position=3, uid="b"),
        make("4-5 апреля 2024 г.", position=2, uid="z"),
        make("4-5 апреля 2024 г.", position=2, uid="a"),
    ]
    body = ics.write_calendar(rows, name="x", stamp=STAMP)
    order = [str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert order == ["a@civicplan", "z@civicplan", "b@civicplan", "c@civicplan"]
    assert body == ics.write_calendar(list(reversed(rows)), name="x", stamp=STAMP)


# --- times of day --------------------------------------------------------------------------------

MOSCOW = ZoneInfo("Europe/Moscow")


def calendar_of(*rows: Activity, **options: object) -> tuple[bytes, icalendar.Calendar]:
    body = ics.write_calendar(list(rows), name="Тест", stamp=STAMP, **options)  # type: ignore[arg-type]
    return body, icalendar.Calendar.from_ical(body)


def test_a_day_with_a_start_time_is_a_timed_event_in_the_plans_time_zone() -> None:
    body, cal = calendar_of(make("15.03.2026 10:00-12:00"))
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 3, 15, 10, 0, tzinfo=MOSCOW)
    assert event["DTEND"].dt == datetime(2026, 3, 15, 12, 0, tzinfo=MOSCOW)
    assert event["DTSTART"].params["TZID"] == "Europe/Moscow"
    assert b"DTSTART;TZID=Europe/Moscow:20260315T100000\r\n" in body
    assert b"DTEND;TZID=Europe/Moscow:20260315T120000\r\n" in body
    assert event["DTSTART"].dt.astimezone(UTC) == datetime(2026, 3, 15, 7, 0, tzinfo=UTC)
    assert (str(event["STATUS"]), str(event["TRANSP"])) == ("CONFIRMED", "OPAQUE")
    assert str(event["X-CIVICPLAN-PRECISION"]) == "day"
    assert str(event["DESCRIPTION"]).startswith("Сроки: 15 марта 2026 г., 10:00–12:00\n")
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Moscow"
    # The zone is described in the calendar itself, for clients without a zone database: its
    # VTIMEZONE comes before the events and gives the same instant.
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Moscow"
    assert body.index(b"BEGIN:VTIMEZONE") < body.index(b"BEGIN:VEVENT")
    (standard,) = zone.walk("STANDARD")
    assert standard["TZOFFSETTO"].td == timedelta(hours=3)
    local = datetime(2026, 3, 15, 10, 0, tzinfo=zone.to_tz())
    assert local.astimezone(UTC) == datetime(2026, 3, 15, 7, 0, tzinfo=UTC)


def test_without_an_end_time_a_timed_event_lasts_an_hour() -> None:
    (event,) = calendar_of(make("15.03.2026 10:00"))[1].walk("VEVENT")
    assert event["DTEND"].dt - event["DTSTART"].dt == ics.TIMED_LENGTH == timedelta(hours=1)
    late = Timeframe("", date(2026, 3, 15), date(2026, 3, 15), "day", start_time=time(23, 30))
    (event,) = calendar_of(make(late))[1].walk("VEVENT")
    assert event["DTEND"].dt == datetime(2026, 3, 16, 0, 30, tzinfo=MOSCOW)


def test_an_end_time_not_after_the_start_is_the_next_days() -> None:
    night = Timeframe(
        "15.03.2026 22:00-02:00",
        date(2026, 3, 15),
        date(2026, 3, 15),
        "day",
        start_time=time(22, 0),
        end_time=time(2, 0),
    )
    (event,) = calendar_of(make(night))[1].walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 3, 15, 22, 0, tzinfo=MOSCOW)
    assert event["DTEND"].dt == datetime(2026, 3, 16, 2, 0, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    "when",
    [
        "4-5 апреля 2024 г. 10:00",  # several days: the time may be each day's
        "Март 2024 г., 10:00",  # a month
        "до 15 марта 2024 г. 18:00",  # a deadline's hour
        "15.03.2024 до 18:00",  # an end time and no start
    ],
)
def test_only_one_day_with_a_start_time_is_timed(when: str) -> None:
    body, cal = calendar_of(make(when))
    (event,) = cal.walk("VEVENT")
    assert type(event["DTSTART"].dt) is date
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert b"VTIMEZONE" not in body
    assert ics.timed(make(when)) is None


def test_the_time_zone_is_the_callers() -> None:
    rows = [make("15.07.2026 18:30-20:00", uid="summer"), make("4-5 апреля 2024 г.", uid="day")]
    body, cal = calendar_of(*rows, time_zone="Europe/Berlin")
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Berlin"
    summer = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == "summer@civicplan")
    assert summer["DTSTART"].dt == datetime(2026, 7, 15, 18, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert summer["DTSTART"].dt.astimezone(UTC) == datetime(2026, 7, 15, 16, 30, tzinfo=UTC)
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    assert zone.walk("DAYLIGHT")  # summer time is described
    # Only the years of the timed events.
    assert "2026-01-01 to 2026-12-31" in str(zone["COMMENT"])
    assert body.count(b"BEGIN:VTIMEZONE") == 1


def test_a_plans_calendar_takes_the_plans_time_zone() -> None:
    plan = PlanDocument("План", 2026, [make("15.03.2026 10:00")], time_zone="Asia/Yekaterinburg")
    body = ics.write(plan)
    assert b"DTSTART;TZID=Asia/Yekaterinburg:20260315T100000\r\n" in body
    assert b"X-WR-TIMEZONE:Asia/Yekaterinburg\r\n" in body
    plan.time_zone = None
    assert b"DTSTART;TZID=Europe/Moscow:20260315T100000\r\n" in ics.write(plan)


def test_the_fast_writer_gives_icalendars_bytes_for_timed_events() -> None:
    rows = [
        make("15.03.2026 10:00-12:00", uid="a"),
        make("22.05.2026 г. с 11-00 до 14-00", uid="b", position=2),
        make("Март 2026 г., 10:00", uid="c", position=3),
        make("31.12.2027 23:30", uid="d", position=4),
    ]
    for zone in ("Europe/Moscow", "Europe/Berlin", "America/New_York", "Etc/GMT-5", "UTC"):
        options = {"name": "x", "base_url": BASE, "stamp": STAMP, "time_zone": zone}
        fast = ics.write_calendar(rows, **options)  # type: ignore[arg-type]
        assert fast == ics.calendar(rows, **options).to_ical()  # type: ignore[arg-type]
        cal = icalendar.Calendar.from_ical(fast)
        first = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == "a@civicplan")
        assert first["DTSTART"].dt.astimezone(ZoneInfo(zone)).hour == 10
        if zone == "UTC":  # written "…Z", which needs no VTIMEZONE
            assert b"DTSTART:20260315T100000Z\r\n" in fast
            assert not cal.walk("VTIMEZONE")
        else:
            assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == [zone]


# --- the fast writer against icalendar ----------------------------------------------------------

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(lambda c: c not in "\x00"),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_escaping_is_icalendars(text: str) -> None:
    assert ics.escape(text) == vText(text).to_ical().decode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from('aж€😀\\^;:," '), max_size=400))
def test_folding_is_icalendars(text: str) -> None:
    line = "DESCRIPTION:" + text
    assert ics.fold(line) == Contentline(line).to_ical()


@settings(max_examples=60, deadline=None)
@given(
    title=TEXT.filter(str.strip),
    venue=st.none() | TEXT,
    name=TEXT,
    party=TEXT,
    contact=st.none() | TEXT,
    note=TEXT,
)
def test_any_text_gives_icalendars_bytes(
    title: str, venue: str | None, name: str, party: str, contact: str | None, note: str
) -> None:
    row = make(
        title=title,
        place=Place(venue, (), venue or None),
        responsible=[Responsible(party, "organiser", contact=contact)],
        notes=[note],
    )
    fast = ics.write_calendar([row], name=name, base_url=BASE, stamp=STAMP)
    assert fast == ics.calendar([row], name=name, base_url=BASE, stamp=STAMP).to_ical()
    (event,) = icalendar.Calendar.from_ical(fast).walk("VEVENT")
    assert str(event["SUMMARY"]) == " ".join(title.split())


def test_the_module_does_not_import_django() -> None:
    code = "import sys, civicplan.plandoc.writers.ics; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr

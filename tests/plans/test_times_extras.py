"""Times of day and extra fields in the database: an imported plan keeps each activity's start
and end time and the cells of its other columns, an edit of the time frame reads the times
again (and a new time raises SEQUENCE), the exports built from the database carry them back
(DOCX, XLSX, JSON read back to the same plan), and the calendars time such activities in the
installation's time zone (CIVICPLAN_PLAN_TIME_ZONE) with its VTIMEZONE."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from civicplan import settings as project_settings
from civicplan.plandoc import read_plan
from civicplan.plandoc.jsonio import plan_from_json, plan_to_json
from civicplan.plandoc.writers import write_plan
from civicplan.plans.actions import save_activity
from civicplan.plans.exporting import plan_document
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan
from tests.helpers import unversioned

pytestmark = pytest.mark.django_db

SOURCE = "\n".join(
    [
        "ПЛАН МЕРОПРИЯТИЙ НА 2026 ГОД",
        "Сроки\tМероприятия\tМесто проведения\tОтветственный\tУчастники\tОжидаемый результат",
        "15.03.2026 10:00\tКонференция «Здоровый город»\tг. Пермь\tМэрия г. Перми"
        "\tспециалисты администраций\tрезолюция",
        "22.05.2026 г. с 11-00 до 14-00\tСеминар для координаторов\tонлайн"
        "\tДирекция Ассоциации\tкоординаторы\t",
        "Март 2026 г., 10:00\tВыставка «Здоровье»\tг. Москва\tДирекция Ассоциации\t\tкаталог",
        "",
    ]
).encode("utf-8")


@pytest.fixture
def plan() -> Plan:
    summary = import_plan(SOURCE, "plan.txt", status=Plan.Status.APPROVED)
    return Plan.objects.get(pk=summary.plan_id)


def activity(title: str) -> Activity:
    return Activity.objects.get(title__startswith=title)


def test_an_import_keeps_times_and_extra_fields(plan: Plan) -> None:
    conference, seminar, exhibition = plan.activities.order_by("position")
    assert (conference.start_time, conference.end_time) == (time(10), None)
    assert (seminar.start_time, seminar.end_time) == (time(11), time(14))
    assert (exhibition.start_time, exhibition.precision) == (time(10), "month")
    assert conference.extra == [
        ["Участники", "специалисты администраций"],
        ["Ожидаемый результат", "резолюция"],
    ]
    assert seminar.extra == [["Участники", "координаторы"]]
    assert exhibition.extra == [["Ожидаемый результат", "каталог"]]
    assert seminar.timeframe.end_time == time(14)


def test_a_new_time_frame_text_reads_the_times_again(plan: Plan) -> None:
    seminar = activity("Семинар")
    seminar.when_text = "22.05.2026 с 15:00 до 16:30"
    save_activity(seminar, None, ["when_text"])
    seminar.refresh_from_db()
    assert (seminar.start_time, seminar.end_time, seminar.sequence) == (time(15), time(16, 30), 1)
    # A time set by hand stays as it is; a new time alone is news for calendars too.
    seminar.start_time = time(15, 30)
    save_activity(seminar, None, ["start_time"])
    seminar.refresh_from_db()
    assert (seminar.start_time, seminar.sequence) == (time(15, 30), 2)


def test_the_plans_document_carries_times_extras_and_the_time_zone(plan: Plan) -> None:
    document = plan_document(plan)
    assert document.time_zone == "Europe/Moscow"
    assert document.version.number == 1  # imported as approved
    read = read_plan(SOURCE, "plan.txt")
    assert unversioned(plan_to_json(document)) == plan_to_json(read)
    assert [a.extra for a in document.activities] == [a.extra for a in read.activities]


@pytest.mark.parametrize("format_name", ["docx", "xlsx"])
def test_exports_read_back_with_times_and_extras(plan: Plan, format_name: str) -> None:
    document = plan_document(plan)
    back = read_plan(write_plan(document, format_name), f"plan.{format_name}")
    assert plan_to_json(back) == unversioned(plan_to_json(document))


def test_the_json_export_reads_back_with_times_and_extras(plan: Plan) -> None:
    document = plan_document(plan)
    back = plan_from_json(json.loads(write_plan(document, "json")))
    assert plan_to_json(back) == plan_to_json(document)
    assert back.activities[1].when.end_time == time(14)


def test_the_export_command_writes_timed_events(plan: Plan, tmp_path) -> None:
    target = tmp_path / "plan.ics"
    call_command("export_plan", "--year", "2026", "--format", "ics", "-o", str(target))
    body = target.read_bytes()
    assert b"DTSTART;TZID=Europe/Moscow:20260315T100000\r\n" in body
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Moscow\r\n" in body


# --- calendars ----------------------------------------------------------------------------------


def test_the_feed_times_an_activity_of_one_day_with_a_start_time(
    client: Client, plan: Plan
) -> None:
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(event["SUMMARY"]).split()[0]: event for event in cal.walk("VEVENT")}
    moscow = ZoneInfo("Europe/Moscow")
    conference, seminar, exhibition = events["Конференция"], events["Семинар"], events["Выставка"]
    assert conference["DTSTART"].dt == datetime(2026, 3, 15, 10, tzinfo=moscow)
    assert conference["DTEND"].dt == datetime(2026, 3, 15, 11, tzinfo=moscow)  # an hour
    assert conference["DTSTART"].params["TZID"] == "Europe/Moscow"
    assert seminar["DTSTART"].dt.astimezone(UTC) == datetime(2026, 5, 22, 8, tzinfo=UTC)
    assert seminar["DTEND"].dt == datetime(2026, 5, 22, 14, tzinfo=moscow)
    assert exhibition["DTSTART"].params["VALUE"] == "DATE"  # a month: all-day, as before
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == ["Europe/Moscow"]
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Moscow"
    single = client.get(f"/activities/{activity('Семинар').pk}.ics")
    assert b"DTSTART;TZID=Europe/Moscow:20260522T110000\r\n" in single.content
    assert b"BEGIN:VTIMEZONE" in single.content


def test_the_time_zone_is_a_setting(client: Client, plan: Plan, settings) -> None:
    before = client.get("/calendar.ics")["ETag"]
    settings.CIVICPLAN_PLAN_TIME_ZONE = "Asia/Yekaterinburg"
    caches[settings.CIVICPLAN_PAGE_CACHE].clear()  # a restart's empty page cache
    response = client.get("/calendar.ics")
    assert b"DTSTART;TZID=Asia/Yekaterinburg:20260315T100000\r\n" in response.content
    assert b"X-WR-TIMEZONE:Asia/Yekaterinburg\r\n" in response.content
    assert response["ETag"] != before  # the same rows, other instants
    assert plan_document(plan).time_zone == "Asia/Yekaterinburg"


def test_an_unknown_time_zone_stops_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVICPLAN_PLAN_TIME_ZONE", "Europe/Atlantis")
    with pytest.raises(ImproperlyConfigured, match="CIVICPLAN_PLAN_TIME_ZONE='Europe/Atlantis'"):
        project_settings._time_zone("CIVICPLAN_PLAN_TIME_ZONE", "Europe/Moscow")
    monkeypatch.setenv("CIVICPLAN_PLAN_TIME_ZONE", "../../etc/passwd")
    with pytest.raises(ImproperlyConfigured):
        project_settings._time_zone("CIVICPLAN_PLAN_TIME_ZONE", "Europe/Moscow")
    monkeypatch.setenv("CIVICPLAN_PLAN_TIME_ZONE", " Asia/Vladivostok ")
    assert project_settings._time_zone("CIVICPLAN_PLAN_TIME_ZONE", "x") == "Asia/Vladivostok"
    monkeypatch.delenv("CIVICPLAN_PLAN_TIME_ZONE")
    assert project_settings._time_zone("CIVICPLAN_PLAN_TIME_ZONE", "Europe/Moscow") == (
        "Europe/Moscow"
    )

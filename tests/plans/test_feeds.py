"""Calendar feeds: GET /calendar.ics (filters, conditional requests, a fixed number of queries,
speed) and GET /activities/<pk>.ics, read back with icalendar and loaded into a real CalDAV
server (Radicale) to check that every activity lands on its days."""

from __future__ import annotations

import functools
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.http import http_date

from civicplan.directory.models import Organisation
from civicplan.plandoc.writers import ics
from civicplan.plans.actions import save_activity
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from tests.helpers import data_changed

pytestmark = pytest.mark.django_db

FORUM_4_5_APRIL = "Всероссийский форум «Здоровые города на страже здоровья семьи»"
PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
MAY_WEEK = "Неделя технологий укрепления общественного здоровья"


@pytest.fixture
def plan(seed_bytes: bytes) -> Plan:
    summary = import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED)
    return Plan.objects.get(pk=summary.plan_id)


def feed(client: Client, query: str = "", **headers: str):
    return client.get(f"/calendar.ics{query}", headers=headers)


def events(response) -> list[icalendar.Event]:
    assert response.status_code == 200, response.content[:300]
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def one(found: list[icalendar.Event], title: str) -> icalendar.Event:
    matching = [event for event in found if str(event["SUMMARY"]).startswith(title)]
    assert len(matching) == 1, [str(event["SUMMARY"]) for event in found]
    return matching[0]


def activity(title: str) -> Activity:
    return Activity.objects.get(title__startswith=title)


def without_stamp(event: icalendar.Event) -> dict[str, bytes]:
    return {name: value.to_ical() for name, value in event.items() if name != "DTSTAMP"}


def uids(found: list[icalendar.Event]) -> dict[str, str]:
    return {
        f"{event['SUMMARY']} {event['DTSTART'].to_ical().decode()}": str(event["UID"])
        for event in found
    }


# --- the feed -----------------------------------------------------------------------------------


def test_the_feed_has_one_event_per_dated_activity(client: Client, plan: Plan) -> None:
    response = feed(client)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="calendar.ics"'
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == ics.PRODID
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Moscow"
    assert "Здоровые города" in str(cal["X-WR-CALNAME"])
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in response.content
    assert b"X-PUBLISHED-TTL:PT6H\r\n" in response.content
    found = cal.walk("VEVENT")
    assert len(found) == 37
    assert {str(event["UID"]) for event in found} == {
        f"{uid}@civicplan" for uid in plan.activities.values_list("uid", flat=True)
    }
    pages = {f"{row.uid}@civicplan": row.get_absolute_url() for row in plan.activities.all()}
    for event in found:  # the model's URLs, made without a model instance per activity
        assert str(event["URL"]) == f"http://testserver{pages[str(event['UID'])]}"
    starts = [event["DTSTART"].dt for event in found]
    assert starts == sorted(starts)
    for event in found:  # all-day, RFC 5545 exclusive end
        assert type(event["DTSTART"].dt) is date
        assert event["DTEND"].dt > event["DTSTART"].dt
        assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)


def test_days_are_all_day_events_with_an_exclusive_end(client: Client, plan: Plan) -> None:
    response = feed(client)
    forum = one(events(response), FORUM_4_5_APRIL)
    assert (forum["DTSTART"].dt, forum["DTEND"].dt) == (date(2024, 4, 4), date(2024, 4, 6))
    assert b"DTSTART;VALUE=DATE:20240404\r\n" in response.content
    assert b"DTEND;VALUE=DATE:20240406\r\n" in response.content
    assert str(forum["TRANSP"]) == "OPAQUE"
    assert str(forum["STATUS"]) == "CONFIRMED"
    assert str(forum["X-CIVICPLAN-PRECISION"]) == "days"
    assert str(forum["LOCATION"]) == "Москва, Общественная палата РФ"
    assert forum.categories == ["форум"]
    row = activity(FORUM_4_5_APRIL)
    assert str(forum["URL"]) == f"http://testserver{row.get_absolute_url()}"
    assert forum["SEQUENCE"] == 0
    assert forum["LAST-MODIFIED"].dt == row.modified.replace(microsecond=0)
    text = str(forum["DESCRIPTION"])
    assert text.startswith("Сроки: 4-5 апреля 2024 г.\n")
    assert "Ответственные: Дирекция Ассоциации, Комиссия по демографии" in text
    assert "уточняется" not in text
    conference = one(events(response), "Региональная конференция")
    assert (conference["DTSTART"].dt, conference["DTEND"].dt) == (
        date(2024, 2, 28),
        date(2024, 2, 29),
    )
    assert str(conference["LOCATION"]) == "Череповец, Вологодская область"


def test_a_month_is_a_transparent_tentative_period(client: Client, plan: Plan) -> None:
    found = events(feed(client))
    perm = one(found, PERM_FORUM)
    assert (perm["DTSTART"].dt, perm["DTEND"].dt) == (date(2024, 4, 1), date(2024, 5, 1))
    assert str(perm["TRANSP"]) == "TRANSPARENT"
    assert str(perm["STATUS"]) == "TENTATIVE"
    assert str(perm["X-CIVICPLAN-PRECISION"]) == "month"
    assert "Сроки: Апрель 2024 г.\nТочная дата уточняется." in str(perm["DESCRIPTION"])
    charge = one(found, "Единая общегородская физкультурно-спортивная акция")
    assert str(charge["LOCATION"]) == "муниципальные образования – члены Ассоциации"
    assert charge.categories == ["акция"]
    whole_year = one(found, "Издание информационно-методических пособий")
    assert (whole_year["DTSTART"].dt, whole_year["DTEND"].dt) == (
        date(2024, 1, 1),
        date(2025, 1, 1),
    )
    assert str(whole_year["X-CIVICPLAN-PRECISION"]) == "year"
    assert "LOCATION" not in whole_year


def test_categories_are_the_kinds_russian_names() -> None:
    with translation.override("ru"):
        names = {kind: str(label) for kind, label in Activity.Kind.choices}
    assert {kind: name for kind, name in names.items() if kind != "other"} == ics.CATEGORIES


def test_the_calendar_is_russian_whatever_the_browser_asks(client: Client, plan: Plan) -> None:
    response = client.get(
        "/calendar.ics?involvement=participant", headers={"accept-language": "en"}
    )
    assert "Сроки:" in response.content.decode()
    name = str(icalendar.Calendar.from_ical(response.content)["X-WR-CALNAME"])
    assert name.endswith(": участвует Ассоциация")


def test_uids_stay_across_requests_and_a_new_import(
    client: Client, plan: Plan, seed_bytes: bytes
) -> None:
    first = uids(events(feed(client)))
    assert first == uids(events(feed(client)))
    rows = set(plan.activities.values_list("pk", flat=True))
    import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED, replace=True)
    assert not rows & set(Plan.objects.get().activities.values_list("pk", flat=True))
    assert uids(events(feed(client))) == first


def test_a_change_of_dates_raises_the_sequence(client: Client, plan: Plan) -> None:
    before = feed(client)
    row = activity(FORUM_4_5_APRIL)
    row.when_text = "11-12 апреля 2024 г."
    save_activity(row, None, ["when_text"])
    after = feed(client)
    assert after["ETag"] != before["ETag"]
    forum = one(events(after), FORUM_4_5_APRIL)
    assert forum["SEQUENCE"] == 1
    assert (forum["DTSTART"].dt, forum["DTEND"].dt) == (date(2024, 4, 11), date(2024, 4, 13))
    assert str(forum["UID"]) == f"{row.uid}@civicplan"


def test_a_cancelled_activity_says_so(client: Client, plan: Plan) -> None:
    row = activity(PERM_FORUM)
    row.status = Activity.Status.CANCELLED
    save_activity(row, None, ["status"])
    perm = one(events(feed(client)), PERM_FORUM)
    assert str(perm["STATUS"]) == "CANCELLED"
    assert perm["SEQUENCE"] == 1
    assert "Мероприятие отменено." in str(perm["DESCRIPTION"])


def test_an_activity_without_dates_is_left_out(client: Client, plan: Plan) -> None:
    row = activity(PERM_FORUM)
    row.when_text = "по согласованию"
    save_activity(row, None, ["when_text"])
    found = events(feed(client))
    assert len(found) == 36
    assert not [event for event in found if str(event["SUMMARY"]).startswith(PERM_FORUM)]
    assert client.get(f"/activities/{row.pk}.ics").status_code == 404


def test_draft_plans_are_not_in_the_feed(client: Client, plan: Plan, seed_bytes: bytes) -> None:
    import_plan(seed_bytes, "plan-2025.txt", year=2025)  # a draft, the same rows a year later
    found = events(feed(client))
    assert len(found) == 37
    assert all(event["DTSTART"].dt.year == 2024 for event in found)


# --- filters ----------------------------------------------------------------------------------


def summaries(response) -> set[str]:
    return {str(event["SUMMARY"]) for event in events(response)}


def titles(activities) -> set[str]:
    return {" ".join(title.split()) for title in activities.values_list("title", flat=True)}


def test_filter_by_city_any_case(client: Client, plan: Plan) -> None:
    (perm,) = summaries(feed(client, "?city=Пермь"))
    assert perm.startswith(PERM_FORUM)
    assert summaries(feed(client, "?city=пермь")) == {perm}
    moscow = summaries(feed(client, "?city=МОСКВА"))
    assert moscow == titles(plan.activities.filter(places__place__city="Москва").distinct())
    assert FORUM_4_5_APRIL in " ".join(moscow)
    both = summaries(feed(client, "?city=Пермь&city=Москва"))
    assert both == moscow | {perm}
    region = summaries(feed(client, "?region=вологодская область"))
    assert len(region) == 3  # Череповец: a conference, a contest, a festival
    assert all("Череповец" in activity(t[:40]).place_text for t in region)


def test_filter_by_kind_involvement_format_year(client: Client, plan: Plan) -> None:
    forums = summaries(feed(client, "?kind=forum"))
    assert forums == titles(plan.activities.filter(kind="forum"))
    assert len(forums) == plan.activities.filter(kind="forum").count() == 15
    assert summaries(feed(client, "?kind=форум")) == forums
    assert summaries(feed(client, "?kind=forum&kind=conference")) == titles(
        plan.activities.filter(kind__in=["forum", "conference"])
    )
    organised = events(feed(client, "?involvement=organiser"))
    assert {str(event["SUMMARY"]) for event in organised} == titles(
        plan.activities.filter(involvement="organiser")
    )
    assert len(organised) + len(events(feed(client, "?involvement=participant"))) == 37
    assert summaries(feed(client, "?format=hybrid")) == titles(
        plan.activities.filter(format="hybrid")
    )
    assert len(events(feed(client, "?year=2024"))) == 37
    assert summaries(feed(client, "?year=2025")) == set()


def test_filter_by_organisation_in_any_role(client: Client, plan: Plan) -> None:
    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    found = summaries(feed(client, f"?organisation={directorate.pk}"))
    assert found == titles(
        plan.activities.filter(responsibilities__organisation=directorate).distinct()
    )
    assert 25 < len(found) < 37
    fund = Organisation.objects.get(name="Фонд Росконгресс")  # organiser once, supporter twice
    roles = set(Responsibility.objects.filter(organisation=fund).values_list("role", flat=True))
    assert roles == {"organiser", "supporter"}
    assert len(summaries(feed(client, f"?organisation={fund.pk}"))) == 4


def test_filters_combine(client: Client, plan: Plan) -> None:
    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    query = f"?city=Москва&kind=forum&involvement=organiser&organisation={directorate.pk}"
    response = feed(client, query)
    assert summaries(response) == titles(
        plan.activities.filter(
            places__place__city="Москва",
            kind="forum",
            involvement="organiser",
            responsibilities__organisation=directorate,
        ).distinct()
    )
    assert len(summaries(response)) == 2  # April and November forums in Moscow
    # icalendar 7.3 reads NAME without undoing its TEXT escapes ("\\,", "\\;")
    name = str(icalendar.Calendar.from_ical(response.content)["NAME"]).replace("\\", "")
    assert name.endswith(": Москва; форум; организует Ассоциация; Дирекция Ассоциации")


def test_filter_by_period_dates_and_words(client: Client, plan: Plan) -> None:
    """period, from, to and q: the calendar pages' own filters, so that a page's subscription
    gives what the page shows."""
    second_quarter = summaries(feed(client, "?period=2024-Q2"))
    assert second_quarter == titles(
        plan.activities.filter(start__lte=date(2024, 6, 30), end__gte=date(2024, 4, 1))
    )
    assert 10 < len(second_quarter) < 37  # April to June, the first half-year, the year
    assert summaries(feed(client, "?period=2024-q2")) == second_quarter
    assert summaries(feed(client, "?from=2024-04-01&to=2024-06-30")) == second_quarter
    assert summaries(feed(client, "?period=2024-04&period=2024-05&period=2024-06")) == (
        second_quarter
    )
    assert summaries(feed(client, "?period=2024-H2")) == titles(
        plan.activities.filter(end__gte=date(2024, 7, 1))
    )
    assert len(events(feed(client, "?period=2024"))) == 37
    assert summaries(feed(client, "?period=2025-01")) == set()
    assert summaries(feed(client, "?from=2024-12-01")) == titles(
        plan.activities.filter(end__gte=date(2024, 12, 1))
    )
    assert summaries(feed(client, "?to=2024-02-28")) == titles(
        plan.activities.filter(start__lte=date(2024, 2, 28))
    )
    # Words anywhere in the title, venue or responsible cell, in any case (SQLite too).
    (telethon,) = summaries(feed(client, "?q=ТЕЛЕМАРАФОНА"))
    assert telethon.startswith("Организация и проведение телемарафона")
    assert summaries(feed(client, "?q=перми")) == summaries(feed(client, "?city=Пермь"))
    assert summaries(feed(client, "?q=форум+москва")) < summaries(feed(client, "?q=форум"))
    response = feed(client, "?period=2024-Q2&from=2024-04-02&q=Здоровые+города")
    name = str(icalendar.Calendar.from_ical(response.content)["NAME"]).replace("\\", "")
    assert name.endswith(": II квартал 2024 г.; с 02.04.2024; «Здоровые города»")
    assert response["ETag"] != feed(client, "?period=2024-Q3")["ETag"]


def test_read_period() -> None:
    from civicplan.plans.selection import read_period

    assert read_period("2024") == feeds_period("2024", "2024-01-01", "2024-12-31", "year")
    assert read_period("2024-H2") == feeds_period("2024-H2", "2024-07-01", "2024-12-31", "half")
    assert read_period("2024-q1") == feeds_period("2024-Q1", "2024-01-01", "2024-03-31", "quarter")
    assert read_period(" 2024-02 ") == feeds_period("2024-02", "2024-02-01", "2024-02-29", "month")
    assert read_period("2024-12").last == date(2024, 12, 31)
    for bad in ("", "24", "2024-13", "2024-00", "2024-Q0", "2024-H3", "1899", "2024-5", "май"):
        assert read_period(bad) is None, bad


def test_words_are_read_as_the_site_search_reads_them(client: Client, plan: Plan) -> None:
    """The feed's `q` finds every form of a word and Latin spellings of Russian names, the
    same activities the calendar page lists for the same query."""
    perm = summaries(feed(client, "?city=Пермь"))
    assert perm
    assert summaries(feed(client, "?q=Пермь")) == perm
    assert summaries(feed(client, "?q=Perm")) == perm
    assert summaries(feed(client, "?q=форумы")) == summaries(feed(client, "?q=форум"))


def feeds_period(code: str, first: str, last: str, precision: str):
    from civicplan.plans.selection import Period

    return Period(code, date.fromisoformat(first), date.fromisoformat(last), precision)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("?period=2024-Q5", "«2024-Q5»"),
        ("?from=31.05.2024", "from — дата вида 2024-05-31, а не «31.05.2024»"),
        ("?to=2024-02-30", "«2024-02-30»"),
        ("?from=2024-06-01&to=2024-05-01", "from (2024-06-01) позже даты to (2024-05-01)"),
        ("?q=" + "а" * 201, "200"),
        ("?kind=party", "kind=«party»"),
        ("?involvement=sponsor", "involvement=«sponsor»"),
        ("?format=paper", "format=«paper»"),
        ("?city=Атлантида", "«Атлантида»"),
        ("?region=Марс", "«Марс»"),
        ("?organisation=abc", "«abc»"),
        ("?organisation=999999", "999999"),
        ("?year=20x4", "«20x4»"),
        ("?year=3024", "«3024»"),
        ("?town=Пермь", "«town»"),
    ],
)
def test_a_bad_filter_is_a_400_saying_what_is_wrong(
    client: Client, plan: Plan, query: str, words: str
) -> None:
    response = feed(client, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert words in response.content.decode()
    assert not response.has_header("ETag")


# --- conditional requests, queries, speed --------------------------------------------------------


def test_etag_and_last_modified_give_304(client: Client, plan: Plan) -> None:
    first = feed(client, "?city=Пермь")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    assert modified == http_date(activity(PERM_FORUM).modified.timestamp())
    assert feed(client, "?city=Пермь", if_none_match=etag).status_code == 304
    assert feed(client, "?city=Пермь", if_modified_since=modified).status_code == 304
    assert feed(client, "?city=Москва", if_none_match=etag).status_code == 200  # another query
    row = activity(PERM_FORUM)
    row.title = row.title + " (перенесён)"
    save_activity(row, None, ["title"])
    later = row.modified + timedelta(minutes=1)  # Last-Modified counts whole seconds
    Activity.objects.filter(pk=row.pk).update(modified=later)
    data_changed()
    assert feed(client, "?city=Пермь", if_none_match=etag).status_code == 200
    assert feed(client, "?city=Пермь", if_modified_since=modified).status_code == 200


def test_fewer_activities_change_the_etag(client: Client, plan: Plan) -> None:
    """Last-Modified cannot see an activity leave when the latest change is another one's;
    the ETag counts them."""
    first = feed(client)
    latest = plan.activities.latest("modified")
    plan.activities.exclude(pk=latest.pk).order_by("modified").first().delete()
    data_changed()
    fewer = feed(client, if_none_match=first["ETag"])
    assert fewer.status_code == 200
    assert fewer["Last-Modified"] == first["Last-Modified"]
    assert len(events(fewer)) == 36
    plan.status = Plan.Status.DRAFT
    plan.save()
    data_changed()
    assert events(feed(client, if_none_match=fewer["ETag"])) == []


def test_head_answers_like_get(client: Client, plan: Plan) -> None:
    response = client.head("/calendar.ics")
    assert response.status_code == 200
    assert response.has_header("ETag")
    assert client.post("/calendar.ics").status_code == 405


def queries_for(client: Client, url: str) -> int:
    """The queries of one request that renders the feed (not one the page cache answers)."""
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_feed_runs_a_fixed_number_of_queries(client: Client, plan: Plan) -> None:
    from tests.plandoc.builders import generated_docx

    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    filtered = f"/calendar.ics?city=Москва&organisation={directorate.pk}&kind=forum"
    small = (queries_for(client, "/calendar.ics"), queries_for(client, filtered))
    # the page cache's data version, aggregate, activities, places, parties
    # (+ city list, organisation)
    assert small == (5, 7)
    import_plan(generated_docx(300), "generated.docx", status=Plan.Status.APPROVED)
    dated = Activity.objects.filter(start__isnull=False).count()
    assert Activity.objects.count() == 337
    assert dated > 300
    assert len(events(feed(client))) == dated
    assert (queries_for(client, "/calendar.ics"), queries_for(client, filtered)) == small
    one_activity = f"/activities/{activity(PERM_FORUM).pk}.ics"
    assert queries_for(client, one_activity) == 5


def copy_seed(plan: Plan, total: int) -> Plan:
    """One more approved plan of `total` - 37 copies of the seed's rows (with their places and
    parties), so that the feed holds `total` activities."""
    seed = list(plan.activities.order_by("position"))
    places = list(ActivityPlace.objects.filter(activity__plan=plan))
    links = list(Responsibility.objects.filter(activity__plan=plan))
    big = Plan.objects.create(owner=plan.owner, year=2025, title="10 000", status="approved")
    copies = []
    for number in range(total - len(seed)):
        row = seed[number % len(seed)]
        copies.append(
            Activity(
                **{
                    field.attname: getattr(row, field.attname)
                    for field in Activity._meta.concrete_fields
                    if field.attname not in ("id", "uid", "plan_id", "position")
                },
                plan=big,
                position=number + 1,
            )
        )
    Activity.objects.bulk_create(copies, batch_size=2000)
    of_seed: dict[int, list[Activity]] = {}
    for number, copy in enumerate(copies):
        of_seed.setdefault(seed[number % len(seed)].pk, []).append(copy)
    ActivityPlace.objects.bulk_create(
        [
            ActivityPlace(activity=copy, place_id=p.place_id, scope=p.scope, position=p.position)
            for p in places
            for copy in of_seed[p.activity_id]
        ],
        batch_size=5000,
    )
    Responsibility.objects.bulk_create(
        [
            Responsibility(
                activity=copy,
                organisation_id=r.organisation_id,
                role=r.role,
                written_as=r.written_as,
                position=r.position,
            )
            for r in links
            for copy in of_seed[r.activity_id]
        ],
        batch_size=5000,
    )
    return big


def test_ten_thousand_activities_are_all_in_the_feed(client: Client, plan: Plan) -> None:
    """Every one of 10,000 activities is an event (the time it takes is `make bench`'s)."""
    copy_seed(plan, 10_000)
    response = feed(client)
    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") == 10_000


# --- one activity -------------------------------------------------------------------------------


def test_one_activity_as_a_calendar_file(client: Client, plan: Plan) -> None:
    row = activity(FORUM_4_5_APRIL)
    response = client.get(f"/activities/{row.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="activity-{row.pk}.ics"'
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{row.uid}@civicplan"
    assert str(cal["X-WR-CALNAME"]).startswith(FORUM_4_5_APRIL)
    in_feed = one(events(feed(client)), FORUM_4_5_APRIL)
    assert without_stamp(event) == without_stamp(in_feed)
    again = client.get(f"/activities/{row.pk}.ics", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert client.get("/activities/999999.ics").status_code == 404


def test_an_activity_of_a_draft_is_for_staff_only(client: Client, seed_bytes: bytes) -> None:
    import_plan(seed_bytes, "plan-2024.txt")  # a draft
    row = activity(PERM_FORUM)
    assert client.get(f"/activities/{row.pk}.ics").status_code == 404
    staff = User.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_plan"))
    client.force_login(staff)
    response = client.get(f"/activities/{row.pk}.ics")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert len(events(response)) == 1
    assert events(feed(client)) == []  # the feed is the public's, whoever asks


# --- a real calendar server -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    """A Radicale server on a free local port, no authentication, storage in tmp_path."""
    port = free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        "[auth]\ntype = none\n"
        "[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {tmp_path / 'collections'}\n"
        "[logging]\nlevel = warning\n",
        encoding="utf-8",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stderr.read().decode() if server.stderr else ""
                    raise RuntimeError(f"Radicale did not start: {output}") from error
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_caldav_server_finds_each_activity_on_its_days(
    client: Client, plan: Plan, radicale: str
) -> None:
    import caldav

    body = feed(client).content
    dav = caldav.DAVClient(url=radicale, username="civicplan", password="-")
    calendar = dav.principal().make_calendar(name="План 2024", cal_id="plan-2024")
    source = icalendar.Calendar.from_ical(body)
    for event in source.walk("VEVENT"):
        resource = icalendar.Calendar()  # one component per resource, as CalDAV wants
        for name in ("VERSION", "PRODID"):
            resource[name] = source[name]
        resource.add_component(event)
        calendar.add_event(resource.to_ical().decode(), increase_seqno=False)
    assert len(calendar.events()) == 37

    @functools.cache
    def found(start: date, end: date) -> set[str]:
        """The UIDs the server finds between two midnights UTC: its own time-range filter
        (RFC 4791 9.9; all-day dates are floating, read as UTC), without client filtering."""
        results = calendar.search(
            start=datetime(start.year, start.month, start.day, tzinfo=UTC),
            end=datetime(end.year, end.month, end.day, tzinfo=UTC),
            event=True,
            expand=False,
            post_filter=False,
        )
        return {str(result.icalendar_component["UID"]) for result in results}

    def uid(title: str) -> str:
        return f"{activity(title).uid}@civicplan"

    day = timedelta(days=1)
    assert uid(FORUM_4_5_APRIL) in found(date(2024, 4, 5), date(2024, 4, 6))
    assert uid(FORUM_4_5_APRIL) not in found(date(2024, 4, 6), date(2024, 4, 7))
    assert uid(FORUM_4_5_APRIL) not in found(date(2024, 4, 3), date(2024, 4, 4))
    may_20 = found(date(2024, 5, 20), date(2024, 5, 21))
    assert uid(MAY_WEEK) in may_20
    assert uid(PERM_FORUM) not in may_20
    assert uid(PERM_FORUM) in found(date(2024, 4, 30), date(2024, 5, 1))
    assert uid(PERM_FORUM) not in found(date(2024, 5, 1), date(2024, 5, 2))
    # Every activity is found on its first and its last day, and not on the days around them.
    for row in plan.activities.all():
        key = f"{row.uid}@civicplan"
        assert key in found(row.start, row.start + day), (row.title, row.start)
        assert key in found(row.end, row.end + day), (row.title, row.end)
        assert key not in found(row.start - day, row.start), (row.title, row.start)
        assert key not in found(row.end + day, row.end + 2 * day), (row.title, row.end)
    assert found(date(2025, 3, 1), date(2025, 3, 2)) == set()


def test_a_caldav_server_finds_a_timed_activity_at_its_hours(client: Client, radicale: str) -> None:
    """An activity with a start time is a timed event in the plan's time zone: the server reads
    its VTIMEZONE and finds it between those hours in UTC (10:00-12:00 in Moscow is 07:00-09:00
    UTC), not in the hours around them; an all-day event of the same day is found all day."""
    import caldav

    source = (
        "ПЛАН МЕРОПРИЯТИЙ НА 2026 ГОД\nСроки\tМероприятия\tМесто проведения\tОтветственный\n"
        "15.03.2026 10:00-12:00\tКонференция «Здоровый город»\tг. Пермь\tМэрия г. Перми\n"
        "15.03.2026\tДень открытых дверей\tг. Пермь\tМэрия г. Перми\n"
    )
    import_plan(source.encode(), "plan.txt", status=Plan.Status.APPROVED)
    body = feed(client).content
    dav = caldav.DAVClient(url=radicale, username="civicplan", password="-")
    calendar = dav.principal().make_calendar(name="План 2026", cal_id="plan-2026")
    cal = icalendar.Calendar.from_ical(body)
    (zone,) = cal.walk("VTIMEZONE")
    for event in cal.walk("VEVENT"):
        resource = icalendar.Calendar()
        for name in ("VERSION", "PRODID"):
            resource[name] = cal[name]
        if "TZID" in event["DTSTART"].params:
            resource.add_component(zone)  # a resource carries the zones it uses
        resource.add_component(event)
        calendar.add_event(resource.to_ical().decode(), increase_seqno=False)

    def found(start: int, end: int) -> set[str]:
        """Titles the server finds between two hours of 15 March 2026, UTC."""
        results = calendar.search(
            start=datetime(2026, 3, 15, start, tzinfo=UTC),
            end=datetime(2026, 3, 15, end, tzinfo=UTC),
            event=True,
            expand=False,
            post_filter=False,
        )
        return {str(result.icalendar_component["SUMMARY"]).split()[0] for result in results}

    assert found(7, 8) == {"Конференция", "День"}
    assert found(8, 9) == {"Конференция", "День"}
    assert found(5, 7) == {"День"}  # 08:00-10:00 in Moscow
    assert found(9, 11) == {"День"}  # from 12:00 in Moscow

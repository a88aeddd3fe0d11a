"""An activity's status on the public pages and in the calendars: cancelled ones struck
through and said so with the reason, postponed ones with the old and the new time frame, held
ones with their days; the feeds keep a cancelled event (STATUS:CANCELLED, a higher SEQUENCE) so
subscribed calendars update it; staff see each activity's history, nobody else, and never
through the page cache."""

from __future__ import annotations

import re
from urllib.parse import quote

import icalendar
import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civicplan.common.pagecache import PublicPageCacheMiddleware
from civicplan.directory.models import Organisation
from civicplan.plans.actions import (
    Decision,
    RowEdit,
    cancel_activity,
    change_activity,
    mark_held,
    postpone_activity,
    publish_amendments,
)
from civicplan.plans.models import Activity, Plan

pytestmark = pytest.mark.django_db

FORUM = "Всероссийский форум «Здоровые города на страже здоровья семьи»"
PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
MAY_WEEK = "Неделя технологий укрепления общественного здоровья"


@pytest.fixture
def head() -> User:
    return User.objects.create_user(
        "head@example.org", first_name="Анна", last_name="Петрова", is_staff=True, is_superuser=True
    )


def activity(title: str) -> Activity:
    return Activity.objects.select_related("plan").get(title__startswith=title)


@pytest.fixture
def statuses(plan: Plan, head: User) -> Plan:
    """The seed (approved, version 1) with the April forum postponed a week, the Perm forum
    cancelled and the May week held on 14–15 May."""
    postpone_activity(head, activity(FORUM), "11-12 апреля 2024 г.", "Зал занят в эти дни")
    cancel_activity(head, activity(PERM_FORUM), "Нет финансирования")
    mark_held(head, activity(MAY_WEEK), "14-15 мая 2024 г.")
    return plan


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def text(html: str) -> str:
    """The page's text as a visitor reads it: tags dropped, spaces collapsed."""
    return re.sub(r" ([.,:;])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


def test_a_cancelled_activity_is_struck_through_with_its_reason(
    client: Client, statuses: Plan
) -> None:
    html = page(client, activity(PERM_FORUM).get_absolute_url())
    assert "<del>Апрель 2024 г.</del>" in html
    assert "Отменено. Причина: Нет финансирования" in text(html)


def test_a_postponed_activity_shows_the_old_and_the_new_time(
    client: Client, statuses: Plan
) -> None:
    said = text(page(client, activity(FORUM).get_absolute_url()))
    assert (
        "Перенесено: было 4-5 апреля 2024 г., теперь 11-12 апреля 2024 г. "
        "Причина: Зал занят в эти дни" in said
    )
    english = text(page(client, "/en" + activity(FORUM).get_absolute_url()))
    assert "4–5 April 2024" in english
    assert "11–12 April 2024" in english


def test_a_held_activity_shows_its_days(client: Client, statuses: Plan) -> None:
    said = text(page(client, activity(MAY_WEEK).get_absolute_url()))
    assert "Проведено 14-15 мая 2024 г." in said


def test_the_plan_table_shows_the_statuses(client: Client, statuses: Plan) -> None:
    html = page(client, "/plans/2024/")
    assert '<tr class="cancelled">' in html
    assert "<del>II Всероссийский форум" in html
    said = text(html)
    assert "Отменено. Причина: Нет финансирования" in said
    assert "Перенесено. Прежние сроки: 4-5 апреля 2024 г. Причина: Зал занят в эти дни" in said
    assert "Проведено. Даты проведения: 14-15 мая 2024 г." in said


def test_the_calendar_shows_the_statuses(client: Client, statuses: Plan) -> None:
    listed = page(client, "/calendar/?from=2024-04-01&to=2024-05-31")
    assert "<del>II Всероссийский форум" in listed
    said = text(listed)
    assert "Отменено. Причина: Нет финансирования" in said
    assert "Перенесено: было 4-5 апреля 2024 г., теперь 11-12 апреля 2024 г." in said
    assert "Проведено 14-15 мая 2024 г." in said
    month = page(client, "/calendar/2024-04/")
    assert (
        re.search(r"<del>Всероссийский форум «Здоровые города на страже[^<]*</del>", month) is None
    )
    assert "перенесено" in text(month)
    timeline = text(page(client, "/calendar/timeline/2024/"))
    assert "Отменено. Причина: Нет финансирования" in timeline


def test_an_organisation_page_shows_the_statuses(client: Client, statuses: Plan) -> None:
    perm = Organisation.objects.get(name="Администрация г. Перми")
    html = page(client, perm.get_absolute_url())
    assert "<del>II Всероссийский форум" in html
    assert "Отменено. Причина: Нет финансирования" in text(html)


def events(client: Client, url: str) -> dict[str, icalendar.Event]:
    response = client.get(url)
    assert response.status_code == 200
    found = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    return {str(event["SUMMARY"]): event for event in found}


def one(found: dict[str, icalendar.Event], title: str) -> icalendar.Event:
    [event] = [event for summary, event in found.items() if summary.startswith(title)]
    return event


def test_the_feeds_keep_a_cancelled_event(client: Client, statuses: Plan) -> None:
    for url in (
        "/calendar.ics",
        "/calendar.ics?city=" + quote("Пермь"),
        "/calendar.ics?kind=forum",
    ):
        perm = one(events(client, url), PERM_FORUM)
        assert str(perm["STATUS"]) == "CANCELLED", url
        assert perm["SEQUENCE"] == 1
        assert "Мероприятие отменено.\nПричина: Нет финансирования" in str(perm["DESCRIPTION"])
    own = one(events(client, f"/activities/{activity(PERM_FORUM).pk}.ics"), PERM_FORUM)
    assert str(own["STATUS"]) == "CANCELLED"


def test_a_postponed_event_says_its_old_time_and_why(client: Client, statuses: Plan) -> None:
    forum = one(events(client, "/calendar.ics"), FORUM)
    assert forum["SEQUENCE"] == 1
    assert forum["DTSTART"].dt.isoformat() == "2024-04-11"
    description = str(forum["DESCRIPTION"])
    assert "Мероприятие перенесено.\nПрежние сроки: 4-5 апреля 2024 г." in description
    assert "Причина: Зал занят в эти дни" in description
    held = one(events(client, "/calendar.ics"), MAY_WEEK)
    assert "Даты проведения: 14-15 мая 2024 г." in str(held["DESCRIPTION"])


# --- the history, for staff only ------------------------------------------------------------------


def staff_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_the_history(statuses: Plan, head: User) -> None:
    html = page(staff_client(head), activity(FORUM).get_absolute_url())
    assert "История изменений" in html
    history = text(html[html.index('id="history"') :])
    assert "Анна Петрова" in history
    assert "Перенесено" in history
    assert "4-5 апреля 2024 г. → 11-12 апреля 2024 г." in history
    assert "Зал занят в эти дни" in history
    assert "ещё не опубликовано" in history
    publish_amendments(head, statuses, "Решение Совета", Decision("Совет"))
    history = text(page(staff_client(head), activity(FORUM).get_absolute_url()))
    assert "в версии 2" in history


def test_nobody_else_sees_the_history(client: Client, statuses: Plan) -> None:
    url = activity(FORUM).get_absolute_url()
    assert "История изменений" not in page(client, url)
    coordinator = User.objects.create_user("someone@example.org")
    assert "История изменений" not in page(staff_client(coordinator), url)


def test_the_history_never_goes_through_the_page_cache(
    client: Client, statuses: Plan, head: User
) -> None:
    url = activity(FORUM).get_absolute_url()
    staff = staff_client(head)
    first = staff.get(url)
    assert "История изменений" in first.content.decode()
    assert "private" in first["Cache-Control"]
    assert not PublicPageCacheMiddleware._may_store(first)  # not even without a session
    anonymous = client.get(url)
    assert "История изменений" not in anonymous.content.decode()
    assert anonymous["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert "История изменений" in staff.get(url).content.decode()  # not the cached page
    assert "История изменений" not in client.get(url).content.decode()


def test_the_history_runs_a_fixed_number_of_queries(statuses: Plan, head: User) -> None:
    staff = staff_client(head)
    url = activity(FORUM).get_absolute_url()

    def count() -> int:
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(url).status_code == 200
        return len(captured)

    before = count()
    forum = activity(FORUM)
    for number, place in enumerate(("г. Казань", "г. Пермь", "г. Тверь")):
        change_activity(head, forum, RowEdit(place_text=place), f"Причина {number}")
    postpone_activity(head, forum, "18-19 апреля 2024 г.", "Ещё раз")
    assert count() == before
    assert Activity.objects.get(pk=forum.pk).status == Activity.Status.POSTPONED

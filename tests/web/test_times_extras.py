"""Times of day and extra fields on the public site: an activity's page gives its time with its
date and its extra fields under their headers; the calendar's list and month grid give the
times; the pages run the queries they ran before."""

from __future__ import annotations

import re
from datetime import date

import lxml.html
import pytest
from django.test import Client

from civicplan.common import dates
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan

pytestmark = pytest.mark.django_db

SOURCE = "\n".join(
    [
        "ПЛАН МЕРОПРИЯТИЙ НА 2026 ГОД",
        "Сроки\tМероприятия\tМесто проведения\tОтветственный\tУчастники\tОжидаемый результат",
        "15.03.2026 10:00-12:00\tКонференция «Здоровый город»\tг. Пермь\tМэрия г. Перми"
        "\tспециалисты <администраций> & гости\tрезолюция",
        "15.03.2026 09:00\tУтренняя зарядка\tг. Пермь\tМэрия г. Перми\t\t",
        "15.03.2026\tДень открытых дверей\tг. Пермь\tМэрия г. Перми\t\t",
        "Март 2026 г.\tВыставка «Здоровье»\tг. Москва\tДирекция Ассоциации\t\t",
        "",
    ]
).encode("utf-8")


@pytest.fixture
def plan(monkeypatch: pytest.MonkeyPatch) -> Plan:
    monkeypatch.setattr(dates, "today", lambda: date(2026, 3, 1))
    summary = import_plan(SOURCE, "plan.txt", status=Plan.Status.APPROVED)
    return Plan.objects.get(pk=summary.plan_id)


def page(client: Client, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def conference() -> Activity:
    return Activity.objects.get(title__startswith="Конференция")


def test_the_activity_page_gives_the_time_with_the_date(client: Client, plan: Plan) -> None:
    tree = page(client, conference().get_absolute_url())
    facts = tree.xpath("//dl[@class='facts']")[0]
    assert text(facts.xpath("dd")[0]).startswith("15 марта 2026 г., 10:00–12:00")
    assert "в плане: «15.03.2026 10:00-12:00»" in text(facts.xpath("dd")[0])
    english = page(client, "/en" + conference().get_absolute_url())
    assert text(english.xpath("//dl[@class='facts']/dd")[0]).startswith(
        "15 March 2026, 10:00–12:00"
    )


def test_the_activity_page_lists_the_extra_fields_under_their_headers(
    client: Client, plan: Plan
) -> None:
    response = client.get(conference().get_absolute_url())
    html = response.content.decode()
    section = re.search(r'<section aria-labelledby="extra">.*?</section>', html, re.S).group()
    tree = lxml.html.fromstring(section)
    assert text(tree.xpath("//h2")[0]) == "Другие сведения из плана"
    pairs = [
        (text(dt), text(dd)) for dt, dd in zip(tree.xpath("//dt"), tree.xpath("//dd"), strict=True)
    ]
    assert pairs == [
        ("Участники", "специалисты <администраций> & гости"),  # escaped, not markup
        ("Ожидаемый результат", "резолюция"),
    ]
    assert "специалисты &lt;администраций&gt; &amp; гости" in section
    other = Activity.objects.get(title__startswith="Выставка")
    assert 'aria-labelledby="extra"' not in client.get(other.get_absolute_url()).content.decode()


def test_the_calendar_list_gives_the_times(client: Client, plan: Plan) -> None:
    tree = page(client, "/calendar/2026-03/")
    times = {
        text(item.xpath("a[@class='cal-title']")[0]): text(item.xpath("span[@class='cal-when']")[0])
        for item in tree.xpath("//li[@class='cal-item']")
    }
    # (the month's page lists its «дата уточняется» activities above the grid)
    assert times == {"Выставка «Здоровье»": "Март 2026 г."}
    listed = page(client, "/calendar/?from=2026-03-15&to=2026-03-15")
    whens = [text(span) for span in listed.xpath("//li[@class='cal-item']/span[@class='cal-when']")]
    assert "15 марта 2026 г., 10:00–12:00" in whens
    assert "15 марта 2026 г., 09:00" in whens
    assert "15 марта 2026 г." in whens


def test_the_month_grid_gives_start_times_in_their_order(client: Client, plan: Plan) -> None:
    tree = page(client, "/calendar/2026-03/")
    (day,) = tree.xpath("//td[@data-date='2026-03-15']")
    entries = [text(li) for li in day.xpath(".//li")]
    assert entries == [
        "День открытых дверей",  # all day first
        "09:00 Утренняя зарядка",
        "10:00 Конференция «Здоровый город»",
    ]
    assert [text(span) for span in day.xpath(".//span[@class='cal-time']")] == ["09:00", "10:00"]


def test_the_pages_run_the_queries_they_ran(
    client: Client, plan: Plan, django_assert_num_queries
) -> None:
    """The same counts as tests/web/test_pages.py and test_calendar.py assert: the times and
    the extra fields are columns of the activity's own row."""
    for url, queries in (
        (conference().get_absolute_url(), 9),  # with its report, progress and parts
        ("/calendar/2026-03/", 6),
        ("/calendar/", 6),
    ):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200

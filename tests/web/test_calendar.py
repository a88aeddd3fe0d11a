"""The public calendar (issue 5, points 3 and 4): the list by month with its «дата уточняется»
bands, the month grid, the year timeline in SVG, the filters shared by all three and by the
subscription link, English under /en/, 400s for invalid values, and a fixed number of queries
with 10 and with 2,000 activities."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import icalendar
import lxml.html
import pytest
from django.test import Client

from civicplan.common import dates
from civicplan.directory.models import Organisation
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan
from civicplan.web import calendar_views
from civicplan.web.calendar_views import KIND_COLOURS, PAGE_SIZE, TIMELINE_PAGE_SIZE
from tests.helpers import data_changed

pytestmark = pytest.mark.django_db

CONFERENCE_28_FEB = "Региональная конференция «Укрепление общественного здоровья"
COUNCIL_MARCH = "Участие в Координационном совете по реализации проекта ВОЗ"
FORUM_4_5_APRIL = "Всероссийский форум «Здоровые города на страже здоровья семьи»"
PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
MORNING_EXERCISE = "Единая общегородская физкультурно-спортивная акция «Зарядка для всех!»"
SCHOOLS_PROJECT = "Реализация проекта «Улучшение здоровья детей и подростков"
CHILDREN_DRAWING = "Организация и проведение Всероссийского Конкурса детского"
TELETHON = "Организация и проведение телемарафона"
EXACT = ("day", "days")


@pytest.fixture
def plan(seed_bytes: bytes) -> Plan:
    summary = import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED)
    return Plan.objects.get(pk=summary.plan_id)


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch):
    """`on(date)`: the calendar's today."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(dates, "today", lambda: day)

    set_today(date(2024, 4, 5))
    return set_today


def page(client: Client, url: str, status: int = 200) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    html = response.content.decode()
    assert "<script" not in html  # every page works without JavaScript
    return lxml.html.fromstring(html)


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def items(tree: lxml.html.HtmlElement, where: str = ".") -> list[str]:
    """The titles of the activities listed (in `where`, an XPath below the page)."""
    return [text(a) for a in tree.xpath(f"{where}//li[@class='cal-item']/a[@class='cal-title']")]


def starting(titles: list[str], prefix: str) -> list[str]:
    return [title for title in titles if title.startswith(prefix)]


def by_id(tree: lxml.html.HtmlElement, anchor: str) -> lxml.html.HtmlElement:
    (found,) = tree.xpath(f"//*[@id='{anchor}']")
    return found


def titles_of(activities) -> set[str]:
    return {" ".join(title.split()) for title in activities.values_list("title", flat=True)}


# --- the list ---------------------------------------------------------------------------------


def test_the_list_groups_activities_by_month_with_bands(client: Client, plan: Plan, on) -> None:
    tree = page(client, "/calendar/")
    assert len(items(tree)) == 37
    groups = [
        section.get("id") for section in tree.xpath("//section[contains(@class, 'cal-group')]")
    ]
    assert groups == [
        "m-2024-02",
        "m-2024-03",
        "m-2024-04",
        "m-2024-05",
        "m-2024-06",
        "b-2024-05-2024-06",  # May–June, then the first half-year: bands after their last month
        "b-2024-01-2024-06",
        "m-2024-07",
        "m-2024-08",
        "m-2024-09",  # 30 September – 2 October is under September, its first day
        "m-2024-11",
        "b-2024-10-2024-11",
        "b-2024-09-2024-11",
        "m-2024-12",
        "b-2024-11-2024-12",
        "b-2024-09-2024-12",
        "b-2024-07-2024-12",
        "b-2024-01-2024-12",  # the whole year closes the year
    ]
    assert [text(h) for h in tree.xpath("//h2[@class='cal-year']")] == ["2024"]

    february = by_id(tree, "m-2024-02")
    assert text(february.xpath("h3")[0]) == "Февраль 2024"
    (conference,) = february.xpath(".//ul[contains(@class,'cal-exact')]/li")
    assert text(conference).startswith(f"28 февраля 2024 г. {CONFERENCE_28_FEB}")
    assert "г. Череповец Вологодской области" in text(conference)
    assert "конференция" in text(conference)
    link = conference.xpath("a")[0].get("href")
    assert link == Activity.objects.get(title__startswith=CONFERENCE_28_FEB).get_absolute_url()
    assert february.xpath("h3/a")[0].get("href") == "/calendar/2024-02/"

    march = by_id(tree, "m-2024-03")
    assert not march.xpath(".//ul[contains(@class,'cal-exact')]")
    (band,) = march.xpath(".//div[@class='cal-tbc']")
    assert text(band.xpath("h4")[0]) == "Дата уточняется"
    assert starting(items(band), COUNCIL_MARCH)
    assert "Март 2024 г." in text(band)

    april = by_id(tree, "m-2024-04")
    assert starting(items(april, ".//ul[contains(@class,'cal-exact')]"), FORUM_4_5_APRIL)
    assert len(items(april, ".//div[@class='cal-tbc']")) == 2  # Perm forum, morning exercise

    first_half = by_id(tree, "b-2024-01-2024-06")
    assert text(first_half.xpath("h3")[0]) == "Первое полугодие 2024 г."
    assert "Дата уточняется" in text(first_half)
    halves = items(first_half)
    assert len(halves) == 2
    assert starting(halves, SCHOOLS_PROJECT)
    assert starting(halves, CHILDREN_DRAWING)
    second_half = by_id(tree, "b-2024-07-2024-12")
    assert text(second_half.xpath("h3")[0]) == "Второе полугодие 2024 г."
    assert [title[: len(SCHOOLS_PROJECT)] for title in items(second_half)] == [SCHOOLS_PROJECT]

    year = by_id(tree, "b-2024-01-2024-12")
    assert text(year.xpath("h3")[0]) == "В течение 2024 г."
    assert len(items(year)) == 6
    assert all("В течение 2024 г." in text(li) for li in year.xpath(".//li"))
    assert starting(items(by_id(tree, "b-2024-05-2024-06")), TELETHON)


def test_deadlines_decades_and_undated_activities(client: Client, plan: Plan, on) -> None:
    def add(title: str, **when) -> None:
        position = plan.activities.count() + 1
        Activity.objects.create(plan=plan, position=position, title=title, **when)

    deadline = {"start": date(2024, 1, 1), "end": date(2024, 3, 15), "deadline": True}
    add("Сдать отчёт", when_text="до 15 марта", precision="day", **deadline)
    decade = {"start": date(2024, 5, 11), "end": date(2024, 5, 20)}
    add("Вебинар декады", when_text="II декада мая", precision="decade", **decade)
    add("Встреча по согласованию", when_text="по согласованию", precision="unknown")
    tree = page(client, "/calendar/")
    assert "Сдать отчёт" in items(by_id(tree, "m-2024-03"), ".//div[@class='cal-tbc']")
    assert "Вебинар декады" in items(by_id(tree, "m-2024-05"), ".//div[@class='cal-tbc']")
    undated = by_id(tree, "undated")
    assert tree.xpath("//section[@id]")[-1].get("id") == "undated"  # last of all
    assert text(undated.xpath("h2")[0]) == "Сроки не указаны"
    assert items(undated) == ["Встреча по согласованию"]
    assert "по согласованию" in text(undated)
    # A period leaves out what has no dates; the grid shows a deadline above the grid only.
    assert "Встреча по согласованию" not in items(page(client, "/calendar/?period=2024"))
    march = page(client, "/calendar/2024-03/")
    assert "Сдать отчёт" in items(march, "//section[@class='cal-month-tbc']")
    assert "Сдать отчёт" not in text(march.xpath("//table")[0])


def test_only_approved_plans_are_shown(client: Client, seed_bytes: bytes, on) -> None:
    import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.DRAFT)
    for url in ("/calendar/", "/calendar/2024-04/", "/calendar/timeline/2024/"):
        tree = page(client, url)
        assert not tree.xpath("//main//a[contains(@href, '/activities/')]"), url


def test_the_list_in_english(client: Client, plan: Plan, on) -> None:
    tree = page(client, "/en/calendar/")
    assert tree.get("lang") == "en"
    assert text(by_id(tree, "m-2024-02").xpath("h3")[0]) == "February 2024"
    assert by_id(tree, "m-2024-02").xpath("h3/a")[0].get("href") == "/en/calendar/2024-02/"
    assert text(by_id(tree, "b-2024-01-2024-06").xpath("h3")[0]) == "H1 2024"
    assert text(by_id(tree, "b-2024-05-2024-06").xpath("h3")[0]) == "May–June 2024"
    (conference,) = by_id(tree, "m-2024-02").xpath(".//li")
    assert text(conference).startswith("28 February 2024")
    assert "conference" in text(conference)
    # The plan's own words stay Russian, and say so (WCAG 3.1.2, language of parts).
    assert conference.xpath("a")[0].get("lang") == "ru"
    assert conference.xpath(".//span[@class='cal-place']")[0].get("lang") == "ru"
    assert conference.xpath(".//span[@class='cal-when']")[0].get("lang") is None
    cities = tree.xpath("//select[@name='city']/option")
    assert cities[0].get("lang") is None  # "All"
    assert {option.get("lang") for option in cities[1:]} == {"ru"}
    assert not tree.xpath("//select[@name='kind']/option[@lang]")
    russian = page(client, "/calendar/")
    assert not russian.xpath("//main//*[@lang]")
    kinds = tree.xpath("//select[@name='kind']/option")
    assert [option.text for option in kinds[1:3]] == ["conference", "forum"]
    periods = [option.text for option in tree.xpath("//select[@name='period']//option")]
    assert {"2024", "H1 2024", "Q2 2024", "May 2024"} <= set(periods)
    month = page(client, "/en/calendar/2024-04/")
    assert text(month.xpath("//caption")[0]) == "April 2024"
    assert text(month.xpath("//th")[0]).startswith("Monday")
    assert text(month.xpath("//td[@data-date='2024-04-04']//span[@class='cal-wd']")[0]) == "Thu,"


# --- the month grid -----------------------------------------------------------------------------


def test_the_month_grid(client: Client, plan: Plan, on) -> None:
    tree = page(client, "/calendar/2024-04/")
    (grid,) = tree.xpath("//table[@class='cal-grid']")
    assert text(grid.xpath("caption")[0]) == "Апрель 2024"
    headers = grid.xpath("thead/tr/th")
    assert [th.get("scope") for th in headers] == ["col"] * 7
    assert text(headers[0]).startswith("Понедельник")
    assert text(headers[6]).startswith("Воскресенье")
    weeks = grid.xpath("tbody/tr")
    assert len(weeks) == 5
    assert all(len(week.xpath("td")) == 7 for week in weeks)
    assert weeks[0].xpath("td")[0].get("data-date") == "2024-04-01"  # a Monday
    assert [td.get("class") for td in weeks[4].xpath("td")[2:]] == ["cal-out"] * 5

    days_with_forum = [
        td.get("data-date")
        for td in grid.xpath(".//td[@data-date]")
        if starting([text(a) for a in td.xpath(".//a")], FORUM_4_5_APRIL)
    ]
    assert days_with_forum == ["2024-04-04", "2024-04-05"]
    assert all(len(td.xpath(".//a")) == 0 for td in grid.xpath(".//td[@data-date]")[5:])
    (today,) = grid.xpath(".//td[@aria-current='date']")
    assert today.get("data-date") == "2024-04-05"
    assert "Пт, 5" in text(today)

    (above,) = tree.xpath("//section[@class='cal-month-tbc']")
    assert tree.xpath("//section[@class='cal-month-tbc']/following::table")  # above the grid
    listed = items(above)
    assert len(listed) == 2
    assert starting(listed, PERM_FORUM)
    assert starting(listed, MORNING_EXERCISE)
    bands = [text(li) for li in above.xpath(".//ul[@class='cal-bands']/li")]
    assert bands == ["Первое полугодие 2024 г.: 2", "В течение 2024 г.: 6"]
    band_link = above.xpath(".//ul[@class='cal-bands']/li/a")[0].get("href")
    assert band_link == "/calendar/?period=2024-04#b-2024-01-2024-06"
    listed_month = page(client, band_link.split("#")[0])
    assert len(items(by_id(listed_month, "b-2024-01-2024-06"))) == 2


def test_month_links_keep_the_filters(client: Client, plan: Plan, on) -> None:
    tree = page(client, "/calendar/2024-04/?kind=forum&city=Москва")
    step = tree.xpath("//nav[@class='cal-step']//a")
    assert [a.get("href") for a in step] == [
        "/calendar/2024-03/?city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&kind=forum",
        "/calendar/?city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&kind=forum&period=2024-04",
        "/calendar/2024-05/?city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&kind=forum",
    ]
    views = [a.get("href") for a in tree.xpath("//nav[@class='cal-views']//a")]
    assert (
        views[2] == "/calendar/timeline/2024/?city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&kind=forum"
    )
    december = page(client, "/calendar/2024-12/")
    assert december.xpath("//a[@rel='next']")[0].get("href") == "/calendar/2025-01/"
    page(client, "/calendar/2024-13/", status=404)
    page(client, "/calendar/1899-12/", status=404)
    assert page(client, "/calendar/2024-4/").xpath("//caption")  # unpadded month works too


def test_a_crowded_day_shows_five_and_links_to_the_rest(client: Client, plan: Plan, on) -> None:
    for number in range(7):
        Activity.objects.create(
            plan=plan,
            position=100 + number,
            title=f"Встреча {number}",
            when_text="10 апреля 2024 г.",
            start=date(2024, 4, 10),
            end=date(2024, 4, 10),
            precision="day",
        )
    tree = page(client, "/calendar/2024-04/?kind=other")
    (cell,) = tree.xpath("//td[@data-date='2024-04-10']")
    links = cell.xpath(".//a")
    assert [text(a) for a in links] == [f"Встреча {n}" for n in range(5)] + ["ещё 2"]
    more = links[-1].get("href")
    assert more == "/calendar/?kind=other&from=2024-04-10&to=2024-04-10"
    assert len(starting(items(page(client, more)), "Встреча")) == 7

    for number in range(31):  # the month's «дата уточняется» above the grid: thirty at most
        Activity.objects.create(
            plan=plan,
            position=200 + number,
            title=f"Сбор {number}",
            when_text="Апрель 2024 г.",
            start=date(2024, 4, 1),
            end=date(2024, 4, 30),
            precision="month",
        )
    data_changed()
    tree = page(client, "/calendar/2024-04/?kind=other")
    (above,) = tree.xpath("//section[@class='cal-month-tbc']")
    assert len(starting(items(above), "Сбор")) == calendar_views.MAX_TBC == 30
    (rest,) = above.xpath(".//p/a")
    assert text(rest) == "ещё 1 — в списке месяца"
    assert rest.get("href") == "/calendar/?kind=other&period=2024-04"
    assert len(starting(items(page(client, rest.get("href"))), "Сбор")) == 31


# --- the timeline -------------------------------------------------------------------------------


def test_the_timeline_draws_a_bar_per_activity(client: Client, plan: Plan, on) -> None:
    tree = page(client, "/calendar/timeline/2024/")
    (svg,) = tree.xpath("//figure//svg[@class='tl']")
    assert svg.get("viewbox").startswith("0 0 720 ")
    assert svg.get("aria-labelledby") == "tl-title tl-desc"
    assert svg.xpath("title[@id='tl-title']")
    assert svg.xpath("desc[@id='tl-desc']")
    bars = svg.xpath(".//a[contains(@class, 'tl-bar')]")
    activities = list(plan.activities.order_by("start", "end", "position"))
    assert len(bars) == len(activities) == 37
    patterns = {pattern.get("id") for pattern in svg.xpath(".//defs/pattern")}
    for number, (bar, activity) in enumerate(zip(bars, activities, strict=True), start=1):
        assert bar.get("href") == activity.get_absolute_url()
        (name,) = bar.xpath("title")
        assert " ".join(name.text.split()).startswith(
            f"{number}. {' '.join(activity.title.split())}"
        )
        (rect,) = bar.xpath("rect")
        colour = KIND_COLOURS[activity.kind]
        if activity.precision in EXACT and not activity.deadline:
            assert rect.get("fill") == colour, activity.title
        else:  # hatched with the kind's colour
            assert rect.get("fill") == f"url(#tl-hatch-{activity.kind})", activity.title
            assert rect.get("stroke") == colour
            assert f"tl-hatch-{activity.kind}" in patterns
    coarse = [bar for bar in bars if "tl-coarse" in bar.get("class")]
    assert len(coarse) == plan.activities.exclude(precision__in=EXACT).count() == 28

    # Bars from start to end on a 12-month axis: the 4-5 April forum inside April.
    months = {text(t): float(t.getprevious().get("x1")) for t in svg.xpath(".//g/text")}
    assert " ".join(months) == "Янв Фев Мар Апр Май Июн Июл Авг Сен Окт Ноя Дек"
    (forum,) = [bar for bar in bars if FORUM_4_5_APRIL in bar.xpath("title")[0].text]
    x = float(forum.xpath("rect")[0].get("x"))
    assert months["Апр"] < x < months["Май"]
    year_long = bars[0].xpath("rect")[0]  # activities start on 1 January: the year, H1
    assert float(year_long.get("x")) == months["Янв"]

    (today,) = svg.xpath(".//line[@class='tl-today']")
    assert months["Апр"] < float(today.get("x1")) < months["Май"]
    legend = [text(li) for li in tree.xpath("//ul[@class='tl-legend']/li")]
    kinds = {
        str(Activity.Kind(kind).label) for kind in plan.activities.values_list("kind", flat=True)
    }
    assert set(legend) == kinds | {"дата уточняется", "сегодня, 5 апреля 2024 г."}

    # The text alternative: the same activities, in the same order, below the chart.
    rows = tree.xpath("//table[@class='cal-table']/tbody/tr")
    assert [text(row.xpath("td")[0]) for row in rows] == [str(n) for n in range(1, 38)]
    assert [row.xpath(".//a")[0].get("href") for row in rows] == [b.get("href") for b in bars]


def test_the_timeline_marks_today_only_in_its_year(client: Client, plan: Plan, on) -> None:
    on(date(2025, 1, 10))
    tree = page(client, "/calendar/timeline/2024/")
    assert not tree.xpath("//line[@class='tl-today']")
    assert "сегодня" not in text(tree.xpath("//ul[@class='tl-legend']")[0])
    empty = page(client, "/calendar/timeline/2025/")
    assert not empty.xpath("//svg[@class='tl']")
    assert empty.xpath("//p[@class='cal-none']")
    assert empty.xpath("//a[@rel='prev']")[0].get("href") == "/calendar/timeline/2024/"
    page(client, "/calendar/timeline/2101/", status=404)


def test_the_timeline_in_english_and_filtered(client: Client, plan: Plan, on) -> None:
    tree = page(client, "/en/calendar/timeline/2024/?kind=forum&period=2024-Q2")
    months = [text(t) for t in tree.xpath("//svg//g/text")]
    assert months[:3] == ["Jan", "Feb", "Mar"]
    bars = tree.xpath("//svg//a")
    expected = plan.activities.filter(
        kind="forum", start__lte=date(2024, 6, 30), end__gte=date(2024, 4, 1)
    )
    assert len(bars) == expected.count() > 3
    assert "(forum)" in bars[0].xpath("title")[0].text


def test_kind_colours_have_aa_contrast_on_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert set(KIND_COLOURS) == set(Activity.Kind.values)
    for kind, colour in KIND_COLOURS.items():
        ratio = (1.05) / (luminance(colour) + 0.05)
        assert ratio >= 4.5, (kind, colour, ratio)
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)


# --- the filters --------------------------------------------------------------------------------


def listed(client: Client, query: str) -> set[str]:
    return set(items(page(client, f"/calendar/?{query}")))


def test_filter_by_city_kind_organisation_involvement(client: Client, plan: Plan, on) -> None:
    perm = listed(client, "city=Пермь")
    assert len(perm) == 1
    assert next(iter(perm)).startswith(PERM_FORUM)
    assert listed(client, "city=пермь") == perm
    assert listed(client, "kind=forum") == titles_of(plan.activities.filter(kind="forum"))
    assert listed(client, "kind=форум") == listed(client, "kind=forum")
    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    assert listed(client, f"organisation={directorate.pk}") == titles_of(
        plan.activities.filter(responsibilities__organisation=directorate).distinct()
    )
    participant = listed(client, "involvement=participant")
    assert participant == titles_of(plan.activities.filter(involvement="participant"))
    assert all(title.startswith("Участие") for title in participant)
    assert listed(client, "format=hybrid") == titles_of(plan.activities.filter(format="hybrid"))
    assert listed(client, "region=Вологодская область") == titles_of(
        plan.activities.filter(place_text__contains="Череповец")
    )


def test_filter_by_period_and_dates(client: Client, plan: Plan, on) -> None:
    second_quarter = plan.activities.filter(start__lte=date(2024, 6, 30), end__gte=date(2024, 4, 1))
    found = listed(client, "period=2024-Q2")
    assert found == titles_of(second_quarter)
    assert not starting(list(found), CONFERENCE_28_FEB)
    assert len(found) == 18  # ten of April–June, two of the first half-year, six of the year
    assert listed(client, "period=2024-q2") == found
    assert listed(client, "period=2024-04&period=2024-05&period=2024-06") == found
    assert listed(client, "from=2024-04-01&to=2024-06-30") == found
    days = listed(client, "from=2024-04-05&to=2024-04-05")
    assert days == titles_of(plan.activities.filter(start__lte="2024-04-05", end__gte="2024-04-05"))
    assert starting(list(days), FORUM_4_5_APRIL)
    assert listed(client, "period=2024-H2") == titles_of(
        plan.activities.filter(end__gte="2024-07-01")
    )
    assert len(items(page(client, "/calendar/?period=2024"))) == 37
    assert listed(client, "period=2023") == set()
    assert listed(client, "from=2024-12-01") == titles_of(
        plan.activities.filter(end__gte="2024-12-01")
    )


def test_filter_by_words_in_any_case(client: Client, plan: Plan, on) -> None:
    assert starting(list(listed(client, "q=телемарафона")), TELETHON)
    assert listed(client, "q=ТЕЛЕМАРАФОНА") == listed(client, "q=телемарафона")
    perm = listed(client, "q=перми")  # in the responsible cell: "Администрация г. Перми"
    assert len(perm) == 1
    assert next(iter(perm)).startswith(PERM_FORUM)
    assert listed(client, "q=хабаровск") == listed(client, "city=Хабаровск")
    both = listed(client, "q=форум+МОСКВА")  # every word, anywhere, in any case

    def mentions(activity: Activity, word: str) -> bool:
        cells = (activity.title, activity.place_text, activity.responsible_text)
        return any(word in cell.casefold() for cell in cells)

    assert both == {
        " ".join(a.title.split())
        for a in plan.activities.all()
        if mentions(a, "форум") and mentions(a, "москва")
    }
    assert 2 < len(both) < len(listed(client, "q=форум"))


def test_words_match_as_the_site_search_does(client: Client, plan: Plan, on) -> None:
    """The calendar's `q` is the search's: any form of a word ("Пермь" finds "г. Перми", which
    plain substring matching missed), and Russian names typed in Latin letters on any page."""
    perm = listed(client, "q=Пермь")
    assert len(perm) == 1
    assert next(iter(perm)).startswith(PERM_FORUM)
    assert listed(client, "q=форумы") == listed(client, "q=форум")
    assert listed(client, "q=Perm") == perm
    assert set(items(page(client, "/en/calendar/?q=Perm"))) == perm
    khabarovsk = listed(client, "city=Хабаровск")
    assert khabarovsk
    assert listed(client, "q=Khabarovsk") == khabarovsk
    search = {
        " ".join(title.split())
        for title in Activity.objects.filter(search_lemmas__contains=" хабаровск ").values_list(
            "title", flat=True
        )
    }
    assert listed(client, "q=Хабаровске") == search


def test_filters_combine_and_stay_in_the_form(client: Client, plan: Plan, on) -> None:
    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    query = f"city=Москва&kind=forum&involvement=organiser&organisation={directorate.pk}"
    found = listed(client, query)
    assert len(found) == 2  # the April and November forums in Moscow
    assert listed(client, query + "&period=2024-Q2") == set(starting(list(found), FORUM_4_5_APRIL))
    tree = page(client, "/calendar/?" + query + "&q=здоровые&period=2024-H1&from=2024-01-01")
    form = tree.xpath("//form[@class='cal-filters']")[0]
    assert form.get("method") == "get"
    for control in form.xpath(".//select | .//input"):
        (label,) = form.xpath(f".//label[@for='{control.get('id')}']")
        assert text(label)
    chosen = {
        select.get("name"): [option.get("value") for option in select.xpath(".//option[@selected]")]
        for select in form.xpath(".//select")
    }
    assert chosen == {
        "period": ["2024-H1"],
        "city": ["Москва"],
        "region": [""],
        "organisation": [str(directorate.pk)],
        "kind": ["forum"],
        "involvement": ["organiser"],
        "format": [""],
    }
    assert form.xpath(".//input[@name='q']")[0].get("value") == "здоровые"
    assert form.xpath(".//input[@name='from']")[0].get("value") == "2024-01-01"
    assert form.xpath(".//input[@name='to']")[0].get("value") == ""
    assert form.xpath(".//details[@open]")  # "more conditions" open: some are set
    assert text(form.xpath(".//button[@type='submit']")[0]) == "Показать"
    assert not page(client, "/calendar/").xpath("//details[@class='cal-more' and @open]")
    # What a submitted form sends: every field, most of them empty; and unknown parameters.
    everything = page(client, "/calendar/?q=&period=&city=&kind=&region=&utm_source=mail")
    assert len(items(everything)) == 37
    assert not everything.xpath("//meta[@name='robots']")  # filtered pages are not indexed
    several = page(client, "/calendar/?city=Пермь&city=Хабаровск")
    assert several.xpath("//select[@name='city' and @multiple]")
    assert len(items(several)) == 2


def test_the_subscription_link_has_the_same_query(client: Client, plan: Plan, on) -> None:
    query = "city=Москва&kind=forum&period=2024-Q2&q=здоровые"
    tree = page(client, f"/calendar/?{query}&page=1&utm_source=mail")
    (link,) = tree.xpath("//section[@class='cal-subscribe']//a[@type='text/calendar']")
    assert text(link) == "Подписаться на эту выборку (ICS)"
    href = urlsplit(link.get("href"))
    assert (href.scheme, href.netloc, href.path) == ("http", "testserver", "/calendar.ics")
    assert parse_qs(href.query) == parse_qs(query)
    feed = client.get(f"{href.path}?{href.query}")
    assert feed.status_code == 200
    summaries = {
        " ".join(str(event["SUMMARY"]).split())
        for event in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    }
    assert summaries == set(items(tree)) != set()
    webcal = tree.xpath("//section[@class='cal-subscribe']//a[starts-with(@href, 'webcal:')]")
    assert webcal[0].get("href") == "webcal://testserver/calendar.ics?" + href.query
    assert tree.xpath("//link[@rel='alternate' and @type='text/calendar']")[0].get("href") == (
        link.get("href")
    )
    everything = page(client, "/en/calendar/timeline/2024/")
    (link,) = everything.xpath("//section[@class='cal-subscribe']//a[@type='text/calendar']")
    assert link.get("href") == "http://testserver/en/calendar.ics"


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("city=Атлантида", "city", "«Атлантида»"),
        ("region=Марс", "region", "«Марс»"),
        ("kind=party", "kind", "kind=«party»"),
        ("involvement=sponsor", "involvement", "involvement=«sponsor»"),
        ("format=paper", "format", "format=«paper»"),
        ("organisation=abc", "organisation", "«abc»"),
        ("organisation=999999", "organisation", "999999"),
        ("period=2024-Q5", "period", "«2024-Q5»"),
        ("period=май", "period", "«май»"),
        ("from=31.05.2024", "from", "«31.05.2024»"),
        ("to=2024-02-30", "to", "«2024-02-30»"),
        ("from=2024-06-01&to=2024-05-01", "from", "2024-06-01"),
        ("q=" + "слово+" * 40, "q", "200"),
        ("page=два", "page", "«два»"),
        ("page=0", "page", "«0»"),
    ],
)
def test_an_invalid_value_is_a_400_naming_it(
    client: Client, plan: Plan, on, query: str, parameter: str, words: str
) -> None:
    for path in ("/calendar/", "/calendar/2024-04/", "/calendar/timeline/2024/"):
        tree = page(client, f"{path}?{query}", status=400)
        (error,) = tree.xpath("//div[@class='cal-error']")
        assert error.get("role") == "alert"
        assert words in text(error), text(error)
        # The message names the parameter (a city, a region, an organisation in words).
        named = {"city": "город", "region": "регион", "organisation": "организац"}
        assert named.get(parameter, parameter) in text(error).lower()
        assert not tree.xpath("//main//a[contains(@href, '/activities/')]")
        invalid = tree.xpath("//*[@aria-invalid='true']")
        if parameter != "page":
            assert [control.get("name") for control in invalid] == [parameter]
            message = by_id(tree, invalid[0].get("aria-describedby"))
            assert words in text(message)
        assert tree.xpath("//form[@class='cal-filters']")  # to correct it


# --- pages and queries --------------------------------------------------------------------------


def views(year: int, month: int) -> list[str]:
    return ["/calendar/", f"/calendar/{year}-{month:02d}/", f"/calendar/timeline/{year}/"]


def last_month(anchor: str) -> tuple[int, int]:
    """The last month a list group covers, from its id: m-2025-06, b-2025-01-2025-06."""
    numbers = [int(n) for n in anchor.split("-")[1:]]
    return numbers[-2], numbers[-1]


def test_fixed_number_of_queries_from_10_to_2000_activities(
    client: Client, django_assert_num_queries, on
) -> None:
    from tests.plandoc.builders import generated_docx

    on(date(2025, 7, 15))
    import_plan(generated_docx(10), "generated.docx", status=Plan.Status.APPROVED)
    assert Activity.objects.count() == 10
    # A query that finds something among the 10 (an empty list skips reading the page's rows).
    sample = Activity.objects.filter(places__place__city__gt="", start__isnull=False).first()
    city = sample.places.exclude(place=None).first().place.city
    organisation = sample.responsibilities.first().organisation_id
    word = sample.title.split("«")[1].split()[0]
    filtered = f"?city={city}&organisation={organisation}&kind={sample.kind}&q={word}&period=2025"
    urls = views(2025, sample.start.month)
    urls += [url + filtered for url in urls]

    def count_all() -> list[int]:
        counts = []
        for url in urls:
            # + 1: the page cache's data version (civicplan.common.pagecache)
            with django_assert_num_queries(8 if "?" in url else 6) as captured:
                response = client.get(url)
                assert response.status_code == 200
            counts.append(len(captured))
        assert starting(items(page(client, urls[3])), sample.title[:30])
        return counts

    small = count_all()
    # The form's three lists and the activities in two queries (+ the filters' checks of the
    # city and the organisation), + the page cache's data version.
    assert small == [6, 6, 6, 8, 8, 8]

    import_plan(generated_docx(2000), "generated.docx", status=Plan.Status.APPROVED, replace=True)
    assert Activity.objects.count() == 2000
    assert count_all() == small

    # The list and the timeline are cut into pages; the list opens at today's month.
    tree = page(client, "/calendar/")
    assert len(items(tree)) == PAGE_SIZE
    pager = tree.xpath("//nav[@class='pager']")[0]
    number = int(re.search(r"Страница (\d+) из 20", text(pager)).group(1))
    assert 1 < number < 20
    here = [s.get("id") for s in tree.xpath("//section[contains(@class, 'cal-group')]")]
    assert any(last_month(anchor) >= (2025, 7) for anchor in here if anchor != "undated")
    before = page(client, f"/calendar/?page={number - 1}")
    earlier = [s.get("id") for s in before.xpath("//section[contains(@class, 'cal-group')]")]
    assert all(last_month(anchor) < (2025, 7) for anchor in earlier)
    first = page(client, "/calendar/?page=1")
    assert first.xpath("//section[contains(@class,'cal-group')]")[0].get("id") == "m-2025-01"
    assert first.xpath("//a[@rel='next']")[0].get("href") == "/calendar/?page=2"
    # The pages cut the list without a gap or a repeat (pages past the middle are read
    # backwards from the end).
    links = []
    for number in range(1, 21):
        one = page(client, f"/calendar/?page={number}")
        links += [a.get("href") for a in one.xpath("//li[@class='cal-item']/a")]
    assert len(links) == len(set(links)) == 2000
    last = page(client, "/calendar/?page=999")
    assert "Далее" not in text(last.xpath("//nav[@class='pager']")[0])
    assert last.xpath("//section[@id='undated']")  # "после ремонта зала" and the like, last
    timeline = page(client, "/calendar/timeline/2025/?page=2")
    numbers = [t.text for t in timeline.xpath("//svg//a/text")]
    assert numbers[0] == str(TIMELINE_PAGE_SIZE + 1)
    assert len(numbers) == TIMELINE_PAGE_SIZE
    june = page(client, "/calendar/2025-06/")
    cells = june.xpath("//td[@data-date]")
    assert 0 < max(len(td.xpath(".//a")) for td in cells) <= calendar_views.MAX_PER_DAY + 1

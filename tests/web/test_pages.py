"""The public pages: home, activity, organisation, city, the sitemap and the error pages; what
they show and link to, slugs and 404s, drafts kept from the public, and a fixed number of SQL
queries whatever the size of the plans."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from civicplan.common import dates
from civicplan.directory.models import Membership, Organisation, Place
from civicplan.newsroom.models import Submission
from civicplan.plans.actions import save_activity
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan, Responsibility
from tests.helpers import data_changed
from tests.plandoc.builders import generated_docx

pytestmark = pytest.mark.django_db

PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
PERM = "/cities/" + quote("пермь") + "/"


@pytest.fixture
def draft(seed_bytes: bytes) -> Plan:
    return Plan.objects.get(pk=import_plan(seed_bytes, "plan-2024.txt").plan_id)


def get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def organisation(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def perm_forum(plan: Plan) -> Activity:
    return Activity.objects.get(plan=plan, title__startswith=PERM_FORUM)


def main(html: str) -> str:
    return re.search(r"<main.*</main>", html, re.S).group()


# --- home --------------------------------------------------------------------------------------


def test_home_with_no_plans(client: Client) -> None:
    html = get(client, "/")
    assert "<h1>Планы деятельности</h1>" in html
    assert "Планов пока нет." in html
    assert "Ближайших мероприятий с датами нет." in html
    assert "/plans/" not in main(html)


def test_home_shows_the_current_plan(
    client: Client, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dates, "today", lambda: date(2024, 5, 20))
    html = main(get(client, "/"))
    assert "План на 2024 год" in html
    for url in ("/plans/2024/", "/calendar/timeline/2024/", "/calendar/", "/calendar.ics"):
        assert f'href="{url}"' in html
    for extension in ("docx", "pdf", "xlsx", "csv", "json"):
        assert f'href="/plans/2024.{extension}"' in html
    upcoming = re.search(r'<ul class="activities">.*?</ul>', html, re.S).group()
    items = re.findall(r'<span class="when">([^<]*)</span> <a href="/activities/\d+-', upcoming)
    assert len(items) == 8
    # what has not ended by 20 May, by date; the half-year and year-long rows are left out
    assert items[:4] == ["Май 2024 г.", "Май 2024 г.", "Май-июнь 2024 г.", "23-24 мая 2024 г."]
    assert not any(item.startswith("15-17 мая") for item in items)
    assert "Первое полугодие 2024 г." not in items
    assert "Апрель 2024 г." not in items


def test_home_prefers_this_years_plan_and_hides_drafts(
    client: Client, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_plan(generated_docx(30), "generated.docx")  # a draft for 2025
    monkeypatch.setattr(dates, "today", lambda: date(2025, 3, 1))
    html = main(get(client, "/"))
    assert "План на 2024 год" in html  # the latest approved one
    assert "/plans/2025/" not in html
    assert "Ближайших мероприятий с датами нет." in html
    Plan.objects.filter(year=2025).update(status=Plan.Status.APPROVED)
    data_changed()
    html = main(get(client, "/"))
    assert "План на 2025 год" in html
    assert 'href="/plans/2025.pdf"' in html
    assert html.count('<span class="when">') == 8


def test_home_shows_the_year_month_by_month(client: Client, plan: Plan) -> None:
    """Each month's bar counts the activities dated to its days and, hatched, those known only
    to the month; its link opens the month; longer periods are counted apart."""
    html = main(get(client, "/"))
    activities = list(plan.activities.all())
    longer = 0
    for month in range(1, 13):
        exact = sum(
            1
            for a in activities
            if a.precision in ("day", "days") and not a.deadline and a.start.month == month
        )
        approximate = sum(
            1
            for a in activities
            if a.start
            and (a.precision in ("month", "decade") or a.deadline)
            and a.end.month == month
        )
        assert (
            f"с точной датой {exact}, дата уточняется {approximate}</title>"
            in html.split(f'href="/calendar/2024-{month:02d}/"')[1].split("</a>")[0]
        )
    longer = sum(
        1
        for a in activities
        if a.start and not (a.precision in ("day", "days", "month", "decade") or a.deadline)
    )
    assert longer > 0
    assert f"ещё {longer} мероприяти" in html


def test_home_in_english(client: Client, plan: Plan) -> None:
    html = get(client, "/en/")
    assert '<html lang="en">' in html
    assert "<h1>Activity plans</h1>" in html
    assert 'href="/en/plans/2024/"' in html


# --- activity ----------------------------------------------------------------------------------


def test_activity_page_shows_every_field(client: Client, plan: Plan) -> None:
    activity = perm_forum(plan)
    html = main(get(client, activity.get_absolute_url()))
    assert f"<h1>{activity.title}</h1>" in html
    assert "Апрель 2024 г." in html  # the time frame in words
    assert "в плане: «Апрель 2024 г.»" in html  # and as written
    assert f'<a href="{PERM}">Пермь</a>' in html
    assert "в плане: «г. Пермь»" in html
    assert "<dd>Форум</dd>" in html
    assert "<dd>Организует Ассоциация</dd>" in html
    assert "<dd>Очно</dd>" in html
    assert "<dd>Запланировано</dd>" in html
    for name in ("Администрация г. Перми", "Министерство здравоохранения Пермского края"):
        assert f'<a href="{organisation(name).get_absolute_url()}">{name}</a>' in html
    assert f'href="/activities/{activity.pk}.ics"' in html
    assert 'href="/plans/2024/"' in html
    assert "Контактные лица" not in html
    assert "Ещё в этих городах" not in html  # no other activity in Perm


def test_activity_page_roles_contacts_notes_and_venues(client: Client, plan: Plan) -> None:
    telethon = Activity.objects.get(plan=plan, title__contains="телемарафона")
    link = telethon.responsibilities.get(written_as="АНО «Здоровье 360»")
    link.contact = "И.И. Иванова, +7 900 000-00-00"
    link.save()
    html = main(get(client, telethon.get_absolute_url()))
    assert 'Совет Федерации ФС РФ</a> <span class="muted">(при поддержке)</span>' in html
    assert "Контактные лица" in html
    assert "И.И. Иванова, +7 900 000-00-00" in html
    moscow = "/cities/" + quote("москва") + "/"
    assert f'<li><a href="{moscow}">Москва</a>: Совет Федерации ФС РФ</li>' in html

    footnoted = Activity.objects.get(plan=plan, title__startswith="Конференции, форумы")
    html = main(get(client, footnoted.get_absolute_url()))
    assert "Сноски и примечания" in html
    assert "В соответствии с предложениями глав/мэров" in html
    assert "Все члены Ассоциации" in html  # a scope, not a city

    roscongress = Activity.objects.get(plan=plan, title__contains="экономическом форуме")
    html = main(get(client, roscongress.get_absolute_url()))
    assert 'Фонд Росконгресс</a> <span class="muted">(организатор)</span>' in html


def test_related_activities_in_the_same_city(client: Client, plan: Plan) -> None:
    activity = Activity.objects.get(plan=plan, title__startswith="Региональная конференция")
    html = main(get(client, activity.get_absolute_url()))
    related = re.search(r'<section aria-labelledby="related">.*?</section>', html, re.S).group()
    assert related.count("<li>") == 2  # the other two rows in Cherepovets
    assert "глазами детей" in related
    assert f"/activities/{activity.pk}-" not in related
    moscow = Activity.objects.get(plan=plan, title__contains="Психическое здоровье")
    html = main(get(client, moscow.get_absolute_url()))
    related = re.search(r'<section aria-labelledby="related">.*?</section>', html, re.S).group()
    assert related.count("<li>") == 5  # no more than five


def test_calendar_link_only_with_dates(client: Client, plan: Plan) -> None:
    activity = perm_forum(plan)
    activity.when_text = "по согласованию"
    save_activity(activity, None, ["when_text"])
    assert activity.start is None
    html = main(get(client, activity.get_absolute_url()))
    assert ".ics" not in html
    assert "по согласованию" in html


def test_open_graph(client: Client, plan: Plan) -> None:
    activity = perm_forum(plan)
    path = activity.get_absolute_url()
    html = get(client, path)
    head = re.search(r"<head>.*</head>", html, re.S).group()
    url = "http://testserver" + path
    assert '<meta property="og:type" content="article">' in head
    assert f'<meta property="og:title" content="{activity.title}">' in head
    assert '<meta property="og:description" content="Апрель 2024 г. · г. Пермь">' in head
    assert f'<meta property="og:url" content="{url}">' in head
    assert '<meta property="og:locale" content="ru_RU">' in head
    assert f'<link rel="canonical" href="{url}">' in head
    english = get(client, "/en" + path)
    assert f'<meta property="og:url" content="http://testserver/en{path}">' in english
    assert '<meta property="og:locale" content="en_US">' in english
    assert '<meta property="og:description" content="April 2024 · г. Пермь">' in english


def test_activity_slug_redirects_and_404s(client: Client, plan: Plan) -> None:
    activity = perm_forum(plan)
    wrong = client.get(f"/activities/{activity.pk}-old-title/")
    assert wrong.status_code == 301
    assert wrong["Location"] == activity.get_absolute_url()
    get(client, "/activities/999999-nothing/", status=404)


# --- organisation ------------------------------------------------------------------------------


def test_organisation_page(client: Client, plan: Plan) -> None:
    directorate = organisation("Дирекция Ассоциации")
    assert directorate.slug == "дирекция-ассоциации"
    assert directorate.get_absolute_url() == (
        f"/organisations/{directorate.pk}-" + quote("дирекция-ассоциации") + "/"
    )
    html = main(get(client, directorate.get_absolute_url()))
    assert "<h1>Дирекция Ассоциации</h1>" in html
    assert "<dt>Вид</dt><dd>Ассоциация</dd>" in html
    assert "<dt>Также пишется</dt><dd>Дирекция Ассоциация</dd>" in html
    assert "Членство в Ассоциации" not in html
    headings = re.findall(r"<h2 [^>]*>([^<]*)</h2>", html)
    assert headings == ["Участие в планах Ассоциации", "Организатор", "Ответственный"]
    assert "<h3>2024</h3>" in html
    count = Responsibility.objects.filter(organisation=directorate).count()
    assert html.count('<span class="when">') == count
    assert f'href="/calendar/?organisation={directorate.pk}"' in html
    assert f'href="/calendar.ics?organisation={directorate.pk}"' in html


def test_organisation_roles_in_order(client: Client, plan: Plan) -> None:
    html = main(get(client, organisation("Фонд Росконгресс").get_absolute_url()))
    headings = re.findall(r"<h2 [^>]*>([^<]*)</h2>", html)
    assert headings == ["Участие в планах Ассоциации", "Организатор", "При поддержке"]
    supported = html.split("При поддержке")[1]
    assert supported.count('<span class="when">') == 3


def test_organisation_membership(client: Client, plan: Plan) -> None:
    perm = organisation("Администрация г. Перми")
    city = Place.objects.get(city="Пермь", venue="")
    Membership.objects.create(organisation=perm, city=city, joined_on=date(2015, 2, 1))
    html = main(get(client, perm.get_absolute_url()))
    assert "член Ассоциации" in html
    assert "с 01.02.2015" in html
    assert f'<a href="{PERM}">Пермь</a>' in html
    html = main(get(client, PERM))
    assert f'<a href="{perm.get_absolute_url()}">Администрация г. Перми</a>' in html
    assert "член Ассоциации" in html
    assert "Органы власти города в планах" not in html


def test_organisation_slug_redirects_and_404s(client: Client, plan: Plan) -> None:
    perm = organisation("Администрация г. Перми")
    path = perm.get_absolute_url()
    wrong = client.get(f"/organisations/{perm.pk}-whatever/")
    assert wrong.status_code == 301
    assert wrong["Location"] == path
    english = client.get(f"/en/organisations/{perm.pk}-whatever/")
    assert english.status_code == 301
    assert english["Location"] == "/en" + path
    translation.activate("ru")
    get(client, "/organisations/999999-nothing/", status=404)
    # a directory entry no published plan names has no page
    lonely = Organisation.objects.create(name="Никем не упомянутая", key="никем")
    get(client, lonely.get_absolute_url(), status=404)


# --- city --------------------------------------------------------------------------------------


def test_city_page(client: Client, plan: Plan) -> None:
    html = main(get(client, PERM))
    assert "<h1>Пермь</h1>" in html
    assert "<dd>Россия</dd>" in html
    assert "В справочнике членов Ассоциации этого города нет." in html
    perm = organisation("Администрация г. Перми")
    assert "Органы власти города в планах" in html
    assert f'<a href="{perm.get_absolute_url()}">Администрация г. Перми</a>' in html
    assert "Министерство здравоохранения Пермского края" not in html  # regional, not the city's
    assert f'<a href="{perm_forum(plan).get_absolute_url()}">' in html
    assert 'href="/calendar/?city=%D0%9F%D0%B5%D1%80%D0%BC%D1%8C"' in html


def test_city_with_a_region_and_abroad(client: Client, plan: Plan) -> None:
    html = main(get(client, "/cities/" + quote("череповец") + "/"))
    assert "<dd>Вологодская область</dd>" in html
    assert html.count('<span class="when">') == 3
    html = main(get(client, "/cities/" + quote("астана") + "/"))
    assert "Казахстан" in html
    html = main(get(client, "/cities/" + quote("южно-сахалинск") + "/"))
    assert html.count('<span class="when">') == 2


def test_unknown_city_is_404(client: Client, plan: Plan) -> None:
    get(client, "/cities/" + quote("атлантида") + "/", status=404)
    get(client, "/cities/x/", status=404)


# --- drafts ------------------------------------------------------------------------------------


def test_drafts_are_invisible(client: Client, draft: Plan) -> None:
    activity = perm_forum(draft)
    get(client, activity.get_absolute_url(), status=404)
    get(client, organisation("Администрация г. Перми").get_absolute_url(), status=404)
    get(client, PERM, status=404)
    assert "/plans/2024/" not in main(get(client, "/"))
    for section in ("activities", "organisations", "cities", "plans"):
        assert "/activities/" not in get(client, f"/sitemap-{section}.xml")
    assert "/cities/" not in get(client, "/sitemap-cities.xml")


# --- sitemap -----------------------------------------------------------------------------------


def test_sitemap(client: Client, plan: Plan) -> None:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"] == "application/xml"
    sections = re.findall(
        r"<loc>http://testserver/sitemap-(\w+)\.xml</loc>", index.content.decode()
    )
    assert sorted(sections) == ["activities", "cities", "news", "organisations", "pages", "plans"]

    def entries(section: str) -> str:
        return get(client, f"/sitemap-{section}.xml")

    activity = perm_forum(plan).get_absolute_url()
    xml = entries("activities")
    assert xml.count("<url>") == 2 * plan.activities.count()  # Russian and English
    assert f"<loc>http://testserver{activity}</loc>" in xml
    assert f"<loc>http://testserver/en{activity}</loc>" in xml
    assert f'hreflang="en" href="http://testserver/en{activity}"' in xml
    assert f'hreflang="ru" href="http://testserver{activity}"' in xml
    perm = organisation("Администрация г. Перми").get_absolute_url()
    assert f"<loc>http://testserver{perm}</loc>" in entries("organisations")
    cities = entries("cities")
    assert f"<loc>http://testserver{PERM}</loc>" in cities
    assert f'hreflang="en" href="http://testserver/en{PERM}"' in cities
    assert "<loc>http://testserver/plans/2024/</loc>" in entries("plans")
    pages_xml = entries("pages")
    assert "<loc>http://testserver/calendar/</loc>" in pages_xml
    assert "<loc>http://testserver/en/calendar/</loc>" in pages_xml
    assert "<loc>http://testserver/news/</loc>" in pages_xml
    # Published news only.
    published = Submission.objects.create(
        kind="press_release", title="Опубликованная новость", status="published", source="form"
    )
    Submission.objects.create(kind="press_release", title="Черновик", source="form")
    news = entries("news")
    assert news.count("<url>") == 2
    assert f"<loc>http://testserver{published.get_absolute_url()}</loc>" in news


# --- errors ------------------------------------------------------------------------------------


def test_404_page_has_the_sites_layout(client: Client, settings) -> None:
    assert settings.DEBUG is False
    html = get(client, "/no-such-page/", status=404)
    assert '<html lang="ru">' in html
    assert '<nav aria-label="Основное меню" class="main-nav">' in html
    assert "<h1>Страница не найдена</h1>" in html
    assert 'action="/search/"' in html
    english = get(client, "/en/no-such-page/", status=404)
    assert '<html lang="en">' in english
    assert '<nav aria-label="Main menu" class="main-nav">' in english
    assert 'action="/en/search/"' in english
    # a view's 404 uses the same page
    assert "<h1>Страница не найдена</h1>" in get(client, PERM, status=404)


def test_500_page_stands_alone() -> None:
    request = RequestFactory().get("/")
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Ошибка на сервере</h1>" in html
    assert '<a href="/">' in html
    assert "main-nav" not in html  # no base template, no context processors
    with translation.override("en"):
        english = server_error(request).content.decode()
    assert '<html lang="en">' in english
    assert '<a href="/en/">' in english


# --- query counts ------------------------------------------------------------------------------


def test_pages_run_a_fixed_number_of_queries(
    client: Client, plan: Plan, django_assert_num_queries, monkeypatch: pytest.MonkeyPatch
) -> None:
    """home 4, activity 8 (its report, progress and parts), organisation 7, city 3, search 4:
    at 37 activities and at 2,037 (+ 1 each: the page cache's data version)."""
    monkeypatch.setattr(dates, "today", lambda: date(2025, 1, 1))
    urls = {
        "/": 5,
        perm_forum(plan).get_absolute_url(): 9,
        organisation("Дирекция Ассоциации").get_absolute_url(): 8,
        PERM: 4,
        "/search/?q=" + quote("форум здоровья"): 5,
    }
    sizes = {}
    for rows in (37, 2037):
        if rows > 37:
            import_plan(generated_docx(2000), "generated.docx", status=Plan.Status.APPROVED)
        assert Activity.objects.count() == rows
        for url, queries in urls.items():
            with django_assert_num_queries(queries):
                sizes[url, rows] = len(get(client, url))
    for url in urls:  # the pages did grow with the data
        if url != "/":
            assert sizes[url, 2037] > sizes[url, 37], url

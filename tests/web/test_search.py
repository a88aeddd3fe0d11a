"""Search in Russian by word forms: /search/?q=… finds every form of the query's words (pymorphy3
lemmas in `Activity.search_lemmas`), ranks title matches first, highlights matched words and
escapes everything else, pages by 20, and runs a fixed number of queries."""

from __future__ import annotations

import importlib
import re

import pytest
from django.test import Client

from civicplan.directory.models import Organisation
from civicplan.plandoc.morphology import lemmas, word_lemmas
from civicplan.plandoc.translit import is_latin
from civicplan.plans.actions import save_activity
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan
from civicplan.plans.searchindex import index_activity, search_columns
from civicplan.web.search import highlight, read_query
from tests.plandoc.builders import generated_docx

pytestmark = pytest.mark.django_db

PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
WHO_COUNCIL = "Участие в Координационном совете по реализации проекта ВОЗ"


def search(client: Client, q: str, prefix: str = "", **params: str) -> str:
    response = client.get(f"{prefix}/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    """The found activities' titles, in order, without the <mark>s."""
    found = re.search(r'<ol class="activities results".*?</ol>', html, re.S)
    if found is None:
        return []
    links = re.findall(r'<li><p><a href="[^"]+"[^>]*>(.*?)</a></p>', found.group(), re.S)
    return [re.sub(r"</?mark>", "", link) for link in links]


def found_ids(html: str) -> list[int]:
    """The found activities' ids, in order."""
    found = re.search(r'<ol class="activities results".*?</ol>', html, re.S)
    return [int(pk) for pk in re.findall(r'<li><p><a href="/activities/(\d+)-', found.group())]


def found_count(html: str) -> int:
    return int(re.search(r"Найдено мероприятий: (\d+)", html).group(1))


# --- Russian names in Latin letters --------------------------------------------------------------


@pytest.mark.usefixtures("plan")
def test_the_english_pages_find_russian_names_typed_in_latin_letters(client: Client) -> None:
    html = search(client, "Perm", prefix="/en")
    assert [title for title in titles(html) if title.startswith(PERM_FORUM)]
    assert "<mark>Перми</mark>" in html or "<mark>Пермь</mark>" in html
    assert "/en/cities/%D0%BF%D0%B5%D1%80%D0%BC%D1%8C/" in html  # the city is listed
    assert titles(search(client, "Perm", prefix="/en")) == titles(search(client, "Пермь"))
    assert titles(search(client, "Permi", prefix="/en")) == titles(search(client, "Пермь"))
    cherepovets = titles(search(client, "Cherepovets", prefix="/en"))
    assert cherepovets
    assert cherepovets == titles(search(client, "Череповец"))
    assert titles(search(client, "Moskva forum")) == titles(search(client, "Москва форум"))


def test_latin_spellings_in_the_index_and_the_query() -> None:
    column, latin = search_columns(title="Форум в Ярославле", place_text="г. Череповец")
    assert {"=ярославль", "=форум", "череповец"} <= set(column.split())
    assert not any(is_latin(word) for word in column.split())  # in a column of their own
    assert latin.startswith(" ")
    assert latin.endswith(" ")
    assert {"yaroslavl", "iaroslavl", "=yaroslavl", "cherepovets", "=forum"} <= set(latin.split())
    written_so = search_columns(title="COVID-19 и ВОЗ").latin
    assert set(written_so.split()) == {"=covid", "=covid-19", "=voz", "covid", "covid-19", "voz"}
    (perm,) = read_query("Permi").words  # a form no system spells: read back into Russian
    assert {"permi", "пермь"} <= perm
    (moskva,) = read_query("Moskva").words  # "москва" would find what "moskva" finds
    assert moskva == {"moskva"}


# --- lemmas ------------------------------------------------------------------------------------


def test_lemmas_of_a_text() -> None:
    assert {"администрация", "г", "пермь"} <= lemmas("Администрация г. Перми")
    assert "здравоохранение" in lemmas("Министерство здравоохранения Пермского края")
    assert "ребенок" in lemmas("детей")  # ё is е
    assert {"южно-сахалинск", "сахалинск"} <= lemmas("г. Южно-Сахалинск")
    assert lemmas("в и по") == set()  # words with no meaning of their own
    assert word_lemmas("Пермь") == word_lemmas("Перми") == {"пермь"}
    assert word_lemmas("форумы") == {"форум"}
    assert word_lemmas("COVID") == {"covid"}


def test_the_index_column() -> None:
    column, latin = search_columns(
        title="Форум в Перми",
        place_text="г. Пермь",
        responsible_text="Министерство здравоохранения",
        notes=["¹ по предложениям мэров"],
        kind="forum",
        places=["Пермь", None],
    )
    assert column.startswith(" ")
    assert column.endswith(" ")
    words = column.split()
    assert words == sorted(set(words))
    assert {"=форум", "=пермь", "форум", "пермь", "здравоохранение", "мэр", "forum"} <= set(words)
    assert "=здравоохранение" not in words  # only the title's lemmas are marked
    assert set(latin.split()) >= {"=forum", "=perm", "perm", "zdravookhranenie", "forum"}
    assert search_columns(title="") == ("", "")


def test_import_and_save_keep_the_index(plan: Plan) -> None:
    perm = Activity.objects.get(plan=plan, title__startswith=PERM_FORUM)
    assert " пермь " in perm.search_lemmas
    assert " =форум " in perm.search_lemmas
    assert all(a.search_lemmas for a in Activity.objects.all())
    perm.title = "Фестиваль здоровья"
    save_activity(perm, None, ["title"])
    perm.refresh_from_db()
    assert " =фестиваль " in perm.search_lemmas
    assert " =форум " not in perm.search_lemmas
    assert " пермь " in perm.search_lemmas  # from the place text and the city
    assert index_activity(perm) == perm.search_lemmas


# --- finding -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("plan")
@pytest.mark.parametrize(
    ("q", "written"),
    [
        ("Пермь", "Администрация г. <mark>Перми</mark>"),
        ("форумы", "<mark>форум</mark>"),
        ("здравоохранение", "Министерство <mark>здравоохранения</mark>"),
    ],
)
def test_word_forms_are_found_and_highlighted(client: Client, q: str, written: str) -> None:
    html = search(client, q)
    assert written in html
    assert found_count(html) >= 1


@pytest.mark.usefixtures("plan")
def test_perm(client: Client) -> None:
    html = search(client, "Пермь")
    assert [title[: len(PERM_FORUM)] for title in titles(html)] == [PERM_FORUM]
    assert "г. <mark>Пермь</mark>" in html
    # the organisation and the city are found too, linking to their pages
    perm = Organisation.objects.get(name="Администрация г. Перми")
    assert f'<a href="{perm.get_absolute_url()}">Администрация г. Перми</a>' in html
    assert '<a href="/cities/%D0%BF%D0%B5%D1%80%D0%BC%D1%8C/">Пермь</a>' in html


@pytest.mark.usefixtures("plan")
def test_forums(client: Client) -> None:
    html = search(client, "форумы")
    found = titles(html)
    expected = Activity.objects.filter(kind=Activity.Kind.FORUM).count()
    assert found_count(html) == len(found) >= expected  # forums and "…, форумы, …"
    assert all("форум" in title.lower() for title in found[:expected])
    assert "Дальневосточном <mark>форуме</mark>" in html  # a declined form in a title


@pytest.mark.usefixtures("plan")
def test_words_are_and_ed(client: Client) -> None:
    assert len(titles(search(client, "форум Пермь"))) == 1
    assert len(titles(search(client, "форумы в Перми"))) == 1  # "в" is not a search word
    assert titles(search(client, "Пермь Хабаровск")) == []
    assert "Ничего не найдено." in search(client, "Пермь Хабаровск")
    assert len(titles(search(client, "Хабаровск"))) == 1


@pytest.mark.usefixtures("plan")
def test_title_matches_rank_first(client: Client) -> None:
    html = search(client, "ВОЗ")
    found = titles(html)
    assert len(found) >= 3  # the council, and rows where the WHO office is responsible
    assert found[0].startswith(WHO_COUNCIL)
    # among the others, the order is the plan's dates
    starts = dict(Activity.objects.values_list("pk", "start"))
    others = [starts[pk] for pk in found_ids(html)[1:]]
    assert others == sorted(others)


@pytest.mark.usefixtures("plan")
def test_more_words_in_the_title_rank_higher(client: Client) -> None:
    found = titles(search(client, "форум здоровье"))
    in_title = [t for t in found if "форум" in t.lower() and "здоров" in t.lower()]
    assert found[: len(in_title)] == in_title


def test_highlight_escapes_everything_else() -> None:
    query = read_query("форум")
    html = highlight('<script>alert("x")</script> Форумы & «форум»', query)
    assert html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Форумы</mark> &amp; "
        "«<mark>форум</mark>»"
    )


def test_no_script_gets_through(client: Client, plan: Plan) -> None:
    html = search(client, '<script>alert("q")</script>')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html  # the query shown back in the form, escaped
    activity = Activity.objects.get(plan=plan, title__startswith=PERM_FORUM)
    activity.title = "<script>alert(1)</script> Форум <b>Пермь</b>"
    save_activity(activity, None, ["title"])
    html = search(client, "форум")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Форум</mark> &lt;b&gt;Пермь" in html


@pytest.mark.usefixtures("plan")
def test_an_empty_query_shows_the_form_only(client: Client) -> None:
    for q in ("", "   "):
        html = search(client, q)
        assert '<input type="search" id="q" name="q" value=""' in html
        assert "found-activities" not in html
        assert "В запросе нет слов" not in html
    html = search(client, "в и по")
    assert "В запросе нет слов для поиска." in html
    assert "found-activities" not in html


def test_drafts_are_not_found(client: Client, seed_bytes: bytes) -> None:
    import_plan(seed_bytes, "plan-2024.txt")  # a draft
    html = search(client, "Пермь")
    assert titles(html) == []
    assert "Администрация г. Перми" not in html  # nor its organisations
    assert "found-cities" not in html


@pytest.mark.usefixtures("plan")
def test_english_interface(client: Client) -> None:
    html = search(client, "форумы Перми", prefix="/en")
    assert '<html lang="en">' in html
    assert "<h1>Search</h1>" in html
    assert 'action="/en/search/"' in html
    assert re.search(r'<li><p><a href="/en/activities/\d+-', html)
    assert "<mark>форум</mark>" in html
    assert "April 2024" in html  # the time frame in English


def test_pages_of_twenty(client: Client) -> None:
    import_plan(generated_docx(120), "generated.docx", status=Plan.Status.APPROVED)
    expected = Activity.objects.filter(search_lemmas__contains=" здоровье ").count()
    assert expected > 20
    first = search(client, "здоровья")
    assert found_count(first) == expected
    assert len(titles(first)) == 20
    next_link = re.search(r'<a href="/search/\?q=([^&]+)&amp;page=2" rel="next">', first)
    assert next_link is not None
    assert next_link.group(1) == "%D0%B7%D0%B4%D0%BE%D1%80%D0%BE%D0%B2%D1%8C%D1%8F"
    second = search(client, "здоровья", page="2")
    assert len(found_ids(second)) == min(20, expected - 20)
    assert 'rel="prev"' in second
    assert not set(found_ids(first)) & set(found_ids(second))
    last = search(client, "здоровья", page="999")  # the last page, not an error
    assert found_ids(last)


def test_a_fixed_number_of_queries(client: Client, plan: Plan, django_assert_num_queries) -> None:
    """4 queries: the count and the page of activities, the organisations, the cities (and the
    page cache's data version)."""

    def run() -> str:
        with django_assert_num_queries(5):  # + the page cache's data version
            return search(client, "форум здоровья")

    small = run()
    import_plan(generated_docx(2000), "generated.docx", status=Plan.Status.APPROVED)
    big = run()
    assert found_count(big) > found_count(small) > 0
    assert len(titles(big)) == 20


def test_the_migrations_fill_existing_rows(plan: Plan) -> None:
    from django.apps import apps

    columns = ("pk", "search_lemmas", "search_latin")
    expected = list(Activity.objects.values_list(*columns))
    assert all(latin for _pk, _lemmas, latin in expected)
    Activity.objects.update(search_lemmas="", search_latin="")
    importlib.import_module("civicplan.plans.migrations.0007_search_latin").reindex_activities(
        apps, None
    )
    assert list(Activity.objects.values_list(*columns)) == expected
    Activity.objects.update(search_lemmas="")
    migration = importlib.import_module("civicplan.plans.migrations.0003_activity_search_lemmas")
    migration.fill_search_lemmas(apps, None)
    assert list(Activity.objects.values_list(*columns)) == expected

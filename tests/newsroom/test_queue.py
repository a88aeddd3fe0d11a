"""The moderation queue: filters kept in the URL, counts per state, newest first, pages, and a
fixed number of queries whatever the number of submissions."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from civicplan.directory.models import Organisation
from civicplan.newsroom.models import Submission
from tests.newsroom.conftest import Make, organisation

pytestmark = pytest.mark.django_db

Status = Submission.Status
Kind = Submission.Kind


def _bulk(count: int, **fields: object) -> None:
    """Submissions written in bulk (history does not matter to the queue)."""
    rows = []
    for number in range(count):
        row = Submission(
            kind=fields.get("kind", Kind.PRESS_RELEASE),
            title=f"Материал номер {number}",
            status=fields.get("status", Status.IN_REVIEW),
            source=fields.get("source", Submission.Source.FORM),
            organisation=fields.get("organisation"),
        )
        row.search_text = row.title.lower()
        rows.append(row)
    Submission.objects.bulk_create(rows)


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/staff/newsroom/\d+/">([^<]+)</a>', html)


def _counts(html: str) -> dict[str, int]:
    return {
        status: int(count)
        for status, count in re.findall(
            r'data-status="(\w+)">[^<]*<span class="nr-count">(\d+)</span>', html
        )
    }


def test_newest_first_with_counts_per_state(
    client: Client, staff: User, make: Make, quarantined: Submission
) -> None:
    make("Первый")
    make("Второй", status=Status.PUBLISHED)
    make("Третий", status=Status.REJECTED)
    client.force_login(staff)
    html = client.get("/staff/newsroom/").content.decode()
    assert _titles(html) == ["Третий", "Второй", "Первый", "Письмо с незнакомого адреса"]
    counts = _counts(html)
    assert counts[Status.IN_REVIEW] == counts[Status.PUBLISHED] == counts[Status.REJECTED] == 1
    assert counts[Status.QUARANTINE] == 1
    assert counts[Status.CHANGES_REQUESTED] == counts[Status.INCLUDED] == 0
    assert 'Все <span class="nr-count">4</span>' in html


def test_filters_live_in_the_url(
    client: Client, staff: User, make: Make, quarantined: Submission, kazan: Organisation
) -> None:
    make("Пресс-релиз о Дне здоровья", kind=Kind.PRESS_RELEASE, text="Ёлки и зарядка в парке")
    make("Пост-релиз форума", kind=Kind.POST_RELEASE)
    Submission.objects.create(
        kind=Kind.METHODOLOGY,
        title="Методичка Казани",
        status=Status.IN_REVIEW,
        source=Submission.Source.EMAIL,
        organisation=kazan,
    )
    client.force_login(staff)

    def titles(query: str) -> list[str]:
        response = client.get("/staff/newsroom/?" + query)
        assert response.status_code == 200
        return _titles(response.content.decode())

    assert titles("status=quarantine") == ["Письмо с незнакомого адреса"]
    assert titles("kind=post_release") == ["Пост-релиз форума"]
    assert titles(f"organisation={kazan.pk}") == ["Методичка Казани"]
    assert titles("source=email") == ["Методичка Казани", "Письмо с незнакомого адреса"]
    assert titles("source=form") == ["Пост-релиз форума", "Пресс-релиз о Дне здоровья"]
    # Free text: any case, ё as е, every word, title or text.
    assert titles("q=ДНЕ+здоровья") == ["Пресс-релиз о Дне здоровья"]
    assert titles("q=елки") == ["Пресс-релиз о Дне здоровья"]
    assert titles("q=незнакомого+ОПУБЛИКОВАТЬ") == ["Письмо с незнакомого адреса"]
    assert titles("q=форум+казань") == []
    assert titles("source=email&status=in_review") == ["Методичка Казани"]

    # Counts are of the selection, and each state's link keeps the other filters.
    html = client.get("/staff/newsroom/?source=email").content.decode()
    assert _counts(html)[Status.QUARANTINE] == 1
    assert _counts(html)[Status.IN_REVIEW] == 1
    assert 'href="?source=email&amp;status=quarantine"' in html


def test_a_bad_filter_is_a_400_naming_it(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get("/staff/newsroom/?status=lost")
    assert response.status_code == 400
    assert "nr-field-error" in response.content.decode()


def test_pages_keep_the_filters(client: Client, staff: User) -> None:
    _bulk(45, kind=Kind.BEST_PRACTICE)
    _bulk(3, kind=Kind.PRESS_RELEASE)
    client.force_login(staff)
    first = client.get("/staff/newsroom/?kind=best_practice").content.decode()
    assert len(_titles(first)) == 30
    assert 'href="/staff/newsroom/?kind=best_practice&amp;page=2"' in first
    second = client.get("/staff/newsroom/?kind=best_practice&page=2").content.decode()
    assert len(_titles(second)) == 15
    assert "Страница 2 из 2" in second


@pytest.mark.parametrize("size", [3, 200])
@pytest.mark.parametrize("query", ["", "?status=in_review&kind=press_release&source=form&q=номер"])
def test_a_fixed_number_of_queries(
    size: int, query: str, client: Client, staff: User, django_assert_num_queries
) -> None:
    perm = organisation("Мэрия города Новосибирска")
    _bulk(size, organisation=perm)
    _bulk(size, status=Status.QUARANTINE)
    client.force_login(staff)
    # session, user, counts per state, page count, page rows, organisations of the filter
    with django_assert_num_queries(6):
        response = client.get("/staff/newsroom/" + query)
    assert response.status_code == 200
    assert len(_titles(response.content.decode())) == min(30, size * (1 if query else 2))

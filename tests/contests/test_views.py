"""The contests' pages: the public list in its sections and a contest's page (dates with the time
zone, rules, documents, nominations; a fixed number of queries), applying as a guest through
the one-time link, as a member's coordinator, the staff's pages that make a contest from a plan
row and build its form, and the English pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civicplan.contests import actions
from civicplan.contests.files import IncomingFile
from civicplan.contests.models import Application, Contest
from tests.contests.conftest import (
    CLOSES,
    JUDGING,
    RESULTS,
    Clock,
    World,
    contest_data,
    entry,
    jpeg,
    pdf,
)

pytestmark = pytest.mark.django_db


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_post(world: World, **fields: object) -> dict:
    data = {
        "kind": "individual",
        "nomination": str(world.contest.nominations.first().pk),
        "first_name": "Анна",
        "last_name": "Соколова",
        "email": "anna@example.org",
        "organisation_name": "",
        "city": "Вологда",
        "age": "",
        "guardian_name": "",
        world.key("text"): "Мой двор",
        world.key("long_text"): "Гуашь",
        world.key("number"): "1",
        world.key("choice"): "Гуашь",
        world.key("link"): "https://example.org/work",
        world.key("consent"): "on",
        world.key("file"): SimpleUploadedFile("двор.jpg", jpeg(), "image/jpeg"),
    }
    data.update(fields)
    return data


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# -- the public pages -----------------------------------------------------------------------------


def _more_contests(world: World, clock: Clock) -> None:
    """A contest in each other section: one being judged, one finished, one announced."""
    later = timedelta(days=400)
    for title, shift in (("Здоровый университет", -timedelta(days=20)), ("Будь здоров", -later)):
        data = contest_data(
            title=title,
            call_opens=clock.now + shift - timedelta(days=60),
            call_closes=clock.now + shift - timedelta(days=10),
            judging_starts=clock.now + shift - timedelta(days=10),
            results_published=clock.now + shift + timedelta(days=30)
            if shift.days > -30
            else clock.now + shift + timedelta(days=100),
        )
        actions.create_contest(world.staff, world.activity, data)
    actions.create_contest(
        world.staff,
        world.activity,
        contest_data(
            title="Здоровые города России",
            call_opens=clock.now + timedelta(days=10),
            call_closes=clock.now + timedelta(days=40),
            judging_starts=clock.now + timedelta(days=41),
            results_published=clock.now + timedelta(days=60),
        ),
    )
    actions.create_contest(
        world.staff, world.activity, contest_data(title="Черновик", published=False)
    )


def test_the_public_list_in_its_sections_in_a_fixed_number_of_queries(
    world: World, clock: Clock
) -> None:
    client = Client()
    alone = queries_of(client, "/contests/")
    _more_contests(world, clock)
    actions.save_application(world.nobody, world.contest, entry(world), submit=True)
    assert queries_of(client, "/contests/") == alone
    page = client.get("/contests/").content.decode()
    open_part, rest = page.split('id="judging-h"')
    judging_part, finished_part = rest.split('id="finished-h"')
    assert "Здоровые города глазами детей" in open_part
    assert "Заявки — до 1 апреля 2025, 18:00" in open_part
    assert "Здоровые города России" in open_part  # announced
    assert "Приём заявок откроется" in open_part
    assert "Здоровый университет" in judging_part
    assert "Будь здоров" in finished_part
    assert "Черновик" not in page  # unpublished: staff only
    assert "Europe/Moscow, UTC+03:00" in page
    assert "Черновик" in client_of(world.staff).get("/contests/").content.decode()


def test_the_contest_page(world: World, clock: Clock) -> None:
    contest = world.contest
    actions.add_document(world.staff, contest, "Положение", IncomingFile("p.pdf", pdf()))
    client = Client()
    url = contest.get_absolute_url()
    assert url == f"/contests/{contest.pk}-здоровые-города-глазами-детей/".replace(
        "здоровые-города-глазами-детей",
        "%D0%B7%D0%B4%D0%BE%D1%80%D0%BE%D0%B2%D1%8B%D0%B5-%D0%B3%D0%BE%D1%80%D0%BE%D0%B4%D0%B0-"
        "%D0%B3%D0%BB%D0%B0%D0%B7%D0%B0%D0%BC%D0%B8-%D0%B4%D0%B5%D1%82%D0%B5%D0%B9",
    )
    page = client.get(url).content.decode()
    assert "Идёт приём заявок" in page
    assert "до 1 апреля 2025, 18:00 (Europe/Moscow, UTC+03:00)" in page
    assert "с 2 апреля 2025, 00:00" in page
    assert "с 15 мая 2025, 12:00" in page
    assert "<p>Работы принимаются до 1 апреля.</p>" in page
    assert "<script>alert" not in page
    assert "Рисунок" in page
    assert "Дети 5–11 лет" in page
    assert "Положение" in page
    assert f"/contests/{contest.pk}/apply/" in page
    document = contest.documents.get()
    response = client.get(f"/contests/{contest.pk}/documents/{document.pk}/")
    assert response["Content-Type"] == "application/pdf"
    # A wrong slug goes to the right one; a fixed number of queries whatever it holds.
    assert client.get(f"/contests/{contest.pk}-x/")["Location"] == url
    before = queries_of(client, url)
    actions.add_nomination(world.staff, contest, "Видео")
    actions.add_document(world.staff, contest, "Форма", IncomingFile("f.pdf", pdf()))
    actions.save_application(world.nobody, contest, entry(world), submit=True)
    assert queries_of(client, url) == before
    # Later: the phase moves by itself, and no apply button.
    clock.now = JUDGING
    page = client.get(url).content.decode()
    assert "Работает жюри" in page
    assert "/apply/" not in page
    clock.now = RESULTS
    assert "Итоги подведены" in client.get(url).content.decode()


def test_a_draft_contest_is_staffs_only(world: World) -> None:
    contest = actions.create_contest(
        world.staff, world.activity, contest_data(title="Новый", published=False)
    )
    assert Client().get(contest.get_absolute_url()).status_code == 404
    assert client_of(world.coordinator).get(contest.get_absolute_url()).status_code == 404
    assert client_of(world.staff).get(contest.get_absolute_url()).status_code == 200
    assert Client().get(f"/contests/{contest.pk}/apply/").status_code == 404


# -- applying -------------------------------------------------------------------------------------


def test_a_guest_applies_confirms_by_the_link_and_withdraws(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    url = f"/contests/{world.contest.pk}/apply/"
    page = client.get(url).content.decode()
    assert "Приём заявок — до 1 апреля 2025, 18:00 (Europe/Moscow, UTC+03:00)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_post(world, save="1"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == f"/contests/applications/{application.pk}/"
    assert application.status == Application.Status.DRAFT
    assert not application.confirmed
    assert application.files.get().type == "jpeg"
    [letter] = mail.outbox
    link = letter.body.split("https://plan.example.org")[1].split()[0]
    assert link.startswith("/contests/confirm/")
    # The browser holds its draft; it submits it (without sending the file again).
    page = client.get(response["Location"]).content.decode()
    assert "двор.jpg" in page
    assert "адрес не подтверждён" not in page
    data = form_post(world, submit="1")
    del data[world.key("file")]
    assert client.post(response["Location"], data).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.counts
    # Another browser opens the link: a page with a button, then the address is confirmed.
    other = Client()
    assert "Подтвердить адрес" in other.get(link).content.decode()
    application.refresh_from_db()
    assert not application.confirmed  # a GET (a mail scanner) spends nothing
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = other.post(link)
    assert confirmed["Location"] == f"/contests/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.counts
    assert "принята" in mail.outbox[-1].subject
    assert other.post(link).status_code == 410  # used
    # That browser now holds it and withdraws it.
    assert other.post(f"/contests/applications/{application.pk}/withdraw/", {}).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert "отозвана" in other.get(f"/contests/applications/{application.pk}/").content.decode()
    # A third browser sees nothing of it.
    assert Client().get(f"/contests/applications/{application.pk}/").status_code == 404
    upload = application.files.get()
    file_url = f"/contests/applications/{application.pk}/files/{upload.pk}/"
    assert Client().get(file_url).status_code == 404
    assert other.get(file_url)["Content-Type"] == "image/jpeg"
    assert other.get(file_url + "thumbnail")["Content-Type"] == "image/jpeg"
    assert client_of(world.staff).get(file_url).status_code == 200


def test_the_form_says_what_is_wrong_in_words(world: World) -> None:
    client = client_of(world.nobody)
    url = f"/contests/{world.contest.pk}/apply/"
    response = client.post(url, form_post(world, submit="1", **{world.key("text"): ""}))
    assert response.status_code == 400
    assert "Заполните обязательные поля: «Название работы»" in response.content.decode()
    minor = form_post(world, minor="on", age="9", guardian_name="Кузнецова О. П.")
    response = client.post(url, minor)
    assert "только с согласием родителя" in response.content.decode()
    assert not Application.objects.exists()


def test_a_coordinator_applies_for_the_member(world: World) -> None:
    client = client_of(world.coordinator)
    url = f"/contests/{world.contest.pk}/apply/"
    page = client.get(url).content.decode()
    assert 'value="municipality"' in page
    assert 'value="municipality"' not in client_of(world.nobody).get(url).content.decode()
    response = client.post(url, form_post(world, kind="municipality", submit="1", email=""))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.organisation == world.member
    assert application.counts
    assert application.email == "coord@cherepovets.example"
    mine = client.get("/contests/applications/").content.decode()
    assert f"Заявка № {application.pk}" in mine


def test_after_the_deadline_the_form_is_gone(world: World, clock: Clock) -> None:
    application = actions.save_application(world.nobody, world.contest, entry(world))
    client = client_of(world.nobody)
    clock.now = CLOSES
    page = client.get(f"/contests/{world.contest.pk}/apply/").content.decode()
    assert "Приём заявок завершён" in page
    assert "<form" not in page.split("<main")[1]
    url = f"/contests/applications/{application.pk}/"
    assert "Изменить заявку можно только пока идёт приём" in client.get(url).content.decode()
    assert client.post(url, form_post(world, submit="1")).status_code == 403


# -- the staff's pages ----------------------------------------------------------------------------


def test_staff_make_a_contest_from_a_plan_row_and_build_its_form(world: World) -> None:
    client = client_of(world.staff)
    listing = client.get("/staff/contests/").content.decode()
    assert f"/staff/contests/new/?activity={world.activity.pk}" in listing
    page = client.get(f"/staff/contests/new/?activity={world.activity.pk}").content.decode()
    assert 'value="2025-03-01T00:00"' in page  # the row's first day
    assert 'value="2025-05-31T12:00"' in page  # the results on its last
    response = client.post(
        f"/staff/contests/new/?activity={world.activity.pk}",
        {
            "title": "Здоровый университет",
            "rules": "<p>Положение</p><img src=x onerror=alert(1)>",
            "for_organisations": "on",
            "call_opens": "2025-03-01T00:00",
            "call_closes": "2025-04-01T18:00",
            "judging_starts": "2025-04-02T00:00",
            "results_published": "2025-05-15T12:00",
        },
    )
    created = Contest.objects.get(title="Здоровый университет")
    assert response["Location"] == f"/staff/contests/{created.pk}/"
    assert created.rules == "<p>Положение</p>"
    assert not created.published
    assert created.call_closes == CLOSES
    base = f"/staff/contests/{created.pk}"
    client.post(f"{base}/nominations/", {"title": "Лучший проект"})
    client.post(
        f"{base}/fields/",
        {"kind": "choice", "label": "Направление", "choices": "Спорт\nПитание\n\nСпорт"},
    )
    client.post(
        f"{base}/fields/",
        {"kind": "file", "label": "Презентация", "file_types": ["pdf", "pptx"], "max_mb": "5"},
    )
    response = client.post(f"{base}/fields/", {"kind": "choice", "label": "Пусто"}, follow=True)
    assert "от 2 до 50 вариантов" in response.content.decode()
    choice, upload = created.fields.all()
    assert choice.choices == ["Спорт", "Питание"]
    assert (upload.file_types, upload.max_bytes) == (["pdf", "pptx"], 5 * 1024 * 1024)
    client.post(
        f"{base}/documents/",
        {"title": "Положение", "file": SimpleUploadedFile("p.pdf", pdf(), "application/pdf")},
    )
    assert created.documents.get().type == "pdf"
    page = client.get(f"{base}/").content.decode()
    assert "Лучший проект" in page
    assert "Направление" in page
    assert "Положение" in page
    client.post(f"{base}/fields/{choice.pk}/remove/")
    assert list(created.fields.all()) == [upload]


def test_staff_see_every_application(world: World) -> None:
    actions.save_application(world.nobody, world.contest, entry(world), submit=True)
    actions.save_application(world.coordinator, world.contest, entry(world))
    page = (
        client_of(world.staff)
        .get(f"/staff/contests/{world.contest.pk}/applications/")
        .content.decode()
    )
    assert page.count("Соколова") == 2
    assert "подана" in page
    assert "черновик" in page


def test_the_english_pages(world: World) -> None:
    client = Client()
    page = client.get("/en/contests/").content.decode()
    assert "Contests" in page
    assert "Taking applications" in page
    page = client.get(f"/en/contests/{world.contest.pk}-x/", follow=True).content.decode()
    assert "Applications are being taken" in page
    assert "Apply" in page

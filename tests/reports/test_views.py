"""The closing report's form and progress (who may, what they write), the execution pages
(every count against the rows, the rows behind each number, a fixed number of queries, the
English page), and the reports' files."""

from __future__ import annotations

import re
from datetime import date

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civicplan.accounts.models import Coordinator
from civicplan.audit.models import Event
from civicplan.directory.models import Organisation
from civicplan.plans.models import Activity
from civicplan.reports.execution import STATES, read_execution, select
from civicplan.reports.models import ClosingReport, ProgressEntry, ReportMaterial
from tests.reports.conftest import Year, photo

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile("[А-Яа-яЁё]")


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def report_post(**fields: object) -> dict:
    data = {
        "held_text": "",
        "venue": "",
        "format": "",
        "participants": "",
        "partners": "",
        "outcomes": "",
        "material-TOTAL_FORMS": "3",
        "material-INITIAL_FORMS": "0",
        "material-MIN_NUM_FORMS": "0",
        "material-MAX_NUM_FORMS": "3",
    }
    for slot in range(3):
        data[f"material-{slot}-kind"] = "photo"
    data.update(fields)
    return data


# -- the closing report ---------------------------------------------------------------------------


def test_who_may_open_the_report_form(year: Year) -> None:
    url = f"/activities/{year.rows[19].pk}/report/"  # Череповец's festival: its coordinator's
    assert client_of(year.coordinator).get(url).status_code == 200
    assert client_of(year.staff).get(url).status_code == 200
    assert client_of(None).get(url).status_code == 302  # to the login page
    other = User.objects.create_user("perm-coordinator")
    Coordinator.objects.create(user=other, organisation=year.members["Пермь"])
    assert client_of(other).get(url).status_code == 403
    assert client_of(User.objects.create_user("nobody")).get(url).status_code == 403
    # and not about another organisation's row
    assert (
        client_of(year.coordinator).get(f"/activities/{year.rows[6].pk}/report/").status_code == 403
    )


def test_a_coordinator_reports_with_members_partners_and_a_photo(year: Year) -> None:
    activity = year.rows[14]  # Череповец's contest, Jan–Jun: awaiting its report
    partner = Organisation.objects.get(name="Дирекция Ассоциации")
    response = client_of(year.coordinator).post(
        f"/activities/{activity.pk}/report/",
        report_post(
            held_text="20 июня 2024 г.",
            venue="Череповец, Камерный театр",
            format="offline",
            participants="64",
            members=[str(year.members["Череповец"].pk), str(year.members["Новосибирск"].pk)],
            partners="дирекция ассоциации",  # any case: a spelling of the directory's
            outcomes="Определены победители конкурса.",
            **{
                "material-0-title": "Награждение",
                "material-0-file": SimpleUploadedFile("a.jpg", photo(2400, 1600)),
                "material-1-kind": "video",
                "material-1-url": "https://video.example/contest",
            },
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    report = ClosingReport.objects.get(activity=activity)
    assert (report.participants, report.held_start, report.format) == (
        64,
        date(2024, 6, 20),
        "offline",
    )
    assert set(report.members.all()) == {year.members["Череповец"], year.members["Новосибирск"]}
    assert list(report.partners.all()) == [partner]
    activity.refresh_from_db()
    assert (activity.status, activity.held_start) == (Activity.Status.HELD, date(2024, 6, 20))
    picture, video = report.materials.order_by("position")
    assert (picture.type, picture.width, picture.height) == ("jpeg", 2400, 1600)
    assert picture.thumbnail.name.endswith(".thumb.jpeg")
    from PIL import Image

    with Image.open(picture.thumbnail.open("rb")) as thumb:
        assert max(thumb.size) == 640  # a real thumbnail, not the picture scaled by CSS
    assert video.url == "https://video.example/contest"
    assert not video.file
    assert Event.objects.filter(action="report.create", data__activity=activity.pk).exists()
    # The activity's page shows it, with the thumbnail and the video link.
    page = Client().get(activity.get_absolute_url()).content.decode()
    assert "Определены победители конкурса." in page
    assert f"/reports/files/{picture.pk}/thumbnail" in page
    assert "https://video.example/contest" in page
    assert ">64<" in page
    # The files are served typed by content.
    thumb_response = Client().get(f"/reports/files/{picture.pk}/thumbnail")
    assert thumb_response["Content-Type"] == "image/jpeg"
    assert thumb_response["Cache-Control"] == "public, max-age=3600"


def test_the_form_is_filled_from_the_saved_report_and_materials_can_be_removed(year: Year) -> None:
    activity = year.rows[3]
    client = client_of(year.staff)
    html = client.get(f"/activities/{activity.pk}/report/").content.decode()
    assert 'value="300"' in html
    assert "Принята резолюция форума." in html
    material = ReportMaterial.objects.get(report__activity=activity, kind="photo")
    response = client.post(
        f"/activities/{activity.pk}/report/",
        report_post(participants="310", held_text="4–5 апреля 2024 г.", remove=[str(material.pk)]),
    )
    assert response.status_code == 302
    assert not ReportMaterial.objects.filter(pk=material.pk).exists()
    assert ClosingReport.objects.get(activity=activity).participants == 310


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"held_text": "когда-нибудь"}, "Не удалось прочитать даты проведения «когда-нибудь»"),
        ({"held_text": "20 декабря 2024 г."}, "Даты проведения ещё не наступили"),
        ({"participants": "-3"}, "Убедитесь, что это значение больше либо равно 0."),
        (
            {"partners": "Общество любителей пения"},
            "Нет в справочнике организаций: «Общество любителей пения»",
        ),
        (
            {"material-0-file": SimpleUploadedFile("photo.jpg", b"not a picture at all")},
            "Файл «photo.jpg» не PDF, DOCX, XLSX, PPTX, JPEG или PNG по содержимому",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(year: Year, fields: dict, message: str) -> None:
    activity = year.rows[14]
    response = client_of(year.staff).post(
        f"/activities/{activity.pk}/report/", report_post(**fields)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ClosingReport.objects.filter(activity=activity).exists()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_a_cancelled_activity_gets_no_report(year: Year) -> None:
    response = client_of(year.staff).post(f"/activities/{year.rows[7].pk}/report/", report_post())
    assert response.status_code == 400
    assert "Мероприятие отменено" in response.content.decode()


def test_a_huge_picture_is_refused_before_it_is_decoded(year: Year, settings) -> None:
    settings.CIVICPLAN_REPORT_MAX_PIXELS = 1000 * 1000
    response = client_of(year.staff).post(
        f"/activities/{year.rows[14].pk}/report/",
        report_post(**{"material-0-file": SimpleUploadedFile("big.jpg", photo(1200, 900))}),
    )
    assert response.status_code == 400
    assert "слишком велико: 1200 × 900 точек" in response.content.decode()


def test_progress_is_added_shown_as_a_timeline_and_deleted(year: Year) -> None:
    activity = year.rows[33]
    client = client_of(year.staff)
    response = client.post(
        f"/activities/{activity.pk}/progress/",
        {"on": "2024-09-01", "status": "on_track", "percent": "65", "text": "Подведены итоги"},
    )
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(activity=activity, percent=65)
    page = Client().get(activity.get_absolute_url()).content.decode()
    assert 'class="progress-timeline"' in page
    assert page.index("1 сентября 2024") < page.index("1 августа 2024")  # newest first
    assert '<progress max="100" value="65"' in page
    # A percentage above 100 is refused.
    client.post(
        f"/activities/{activity.pk}/progress/",
        {"on": "2024-09-02", "status": "done", "percent": "120"},
    )
    assert not ProgressEntry.objects.filter(activity=activity, percent=120).exists()
    client.post(f"/activities/{activity.pk}/progress/{entry.pk}/delete/")
    assert not ProgressEntry.objects.filter(pk=entry.pk).exists()


def test_a_parent_row_shows_its_parts_rolled_up(year: Year) -> None:
    page = Client().get(year.rows[34].get_absolute_url()).content.decode()
    # row 8 held (100), row 2 past without report (0): half done
    assert "выполнено 50%" in page
    assert year.rows[8].get_absolute_url() in page
    assert year.rows[2].get_absolute_url() in page


# -- the execution page ---------------------------------------------------------------------------


def numbers(html: str) -> dict[str, int]:
    """The summary's numbers by state, as the page shows them."""
    tree = lxml.html.fromstring(html)
    found = {}
    for item in tree.xpath('//ul[@class="exec-numbers"]/li[starts-with(@class, "exec-")]'):
        state = item.get("class").removeprefix("exec-")
        found[state] = int(item.xpath(".//strong")[0].text)
    return found


def test_every_count_on_the_page_is_its_rows(year: Year) -> None:
    html = Client().get("/plans/2024/execution/").content.decode()
    execution = read_execution(year.plan)
    assert numbers(html) == {"held": 7, "awaiting": 7, "postponed": 1, "cancelled": 1, "ahead": 21}
    for state in STATES:
        assert numbers(html)[state] == sum(row.state == state for row in execution.rows)
    assert ">900</a></dd>" in html  # participants: 120 + 300 + 250 + 80 + 150
    assert "83%" in html  # 5 of 6 held with known days inside their planned window
    # Each number links to exactly its rows.
    tree = lxml.html.fromstring(html)
    links = tree.xpath(
        '//table[contains(@class, "exec-table")]//a/@href | //ul[@class="exec-numbers"]//a/@href'
        ' | //section[@aria-labelledby="summary-h"]//dl//a/@href'
    )
    links = [href for href in links if "/execution/rows/" in href]
    assert len(links) > 40
    assert "/plans/2024/execution/rows/?state=held" in links
    assert "/plans/2024/execution/rows/?window=out" in links  # row 9, held in June, not May
    for href in links:
        rows = Client().get(href).content.decode()
        shown = {int(n) for n in re.findall(r'<tr class="exec-\w+">\s*<td>(\d+)</td>', rows)}
        query = (
            dict(pair.split("=") for pair in href.split("?")[1].split("&")) if "?" in href else {}
        )
        from urllib.parse import unquote

        wanted = {key: unquote(value) for key, value in query.items() if key != "period"}
        expected = {row.position for row in select(execution.rows, **wanted)}
        assert shown == expected, href


def test_the_page_is_updated_as_soon_as_a_report_is_saved(year: Year) -> None:
    client = Client()
    before = numbers(client.get("/plans/2024/execution/").content.decode())
    client_of(year.staff).post(
        f"/activities/{year.rows[15].pk}/report/", report_post(participants="40")
    )
    after = numbers(client.get("/plans/2024/execution/").content.decode())
    assert (after["held"], after["awaiting"]) == (before["held"] + 1, before["awaiting"] - 1)


def test_the_half_year_page_has_the_half_years_rows(year: Year) -> None:
    html = Client().get("/plans/2024/execution/?period=h1").content.decode()
    execution = read_execution(year.plan, "h1")
    assert sum(numbers(html).values()) == len(execution.rows)
    assert all(row.half in ("h1", "both") for row in execution.rows)
    assert Client().get("/plans/2024/execution/?period=q7").status_code == 404


def test_staff_see_the_rows_without_a_report_and_the_report_files(year: Year) -> None:
    assert Client().get("/staff/plans/2024/execution/").status_code == 302
    assert client_of(year.coordinator).get("/staff/plans/2024/execution/").status_code == 403
    html = client_of(year.staff).get("/staff/plans/2024/execution/").content.decode()
    missing = html[html.index('id="missing-h"') : html.index('id="summary-h"')]
    # awaiting (7) and held without a report (row 8; 13 is done by its progress: it owes none)
    assert "(8)" in missing
    assert f"/activities/{year.rows[13].pk}/report/" not in missing
    assert f"/activities/{year.rows[8].pk}/report/" in missing
    assert f"/activities/{year.rows[1].pk}/report/" not in missing
    for format_name in ("docx", "pdf", "xlsx"):
        assert f"/staff/plans/2024/report.{format_name}?period=h1" in html


def test_the_execution_page_reads_a_fixed_number_of_queries(
    year: Year, django_assert_num_queries
) -> None:
    """At 37 rows and at 2,037 rows with 1,500 reports: the same count."""
    client = Client()
    with django_assert_num_queries(10):  # + the page cache's data version
        client.get("/plans/2024/execution/")
    plan = year.plan
    last = plan.activities.count()
    Activity.objects.bulk_create(
        Activity(
            plan=plan,
            position=last + i,
            title=f"Вебинар {i}",
            when_text="март 2024 г.",
            start=date(2024, 3, 1),
            end=date(2024, 3, 31),
            precision="month",
        )
        for i in range(1, 2001)
    )
    added = plan.activities.filter(position__gt=last).order_by("position")[:1500]
    ClosingReport.objects.bulk_create(ClosingReport(activity=a, participants=10) for a in added)
    Event.objects.create(action="test.bulk", subject="bulk")  # a new data version
    with django_assert_num_queries(10):
        html = client.get("/plans/2024/execution/").content.decode()
    assert numbers(html)["held"] == 7 + 1500


def test_the_english_page_is_complete(year: Year) -> None:
    html = Client().get("/en/plans/2024/execution/").content.decode()
    tree = lxml.html.fromstring(html)
    for element in tree.xpath('//*[@lang="ru"]'):
        element.drop_tree()
    for element in tree.xpath("//script|//style"):
        element.drop_tree()
    text = " ".join(tree.body.text_content().split())
    svg_text = " ".join(t for t in tree.xpath("//svg//text()"))
    assert "Plan execution" in text
    assert not CYRILLIC.findall(text), CYRILLIC.findall(text)[:20]
    assert not CYRILLIC.search(svg_text)


def test_progress_entries_are_bounded(year: Year, monkeypatch: pytest.MonkeyPatch) -> None:
    from civicplan.reports import actions

    monkeypatch.setattr(actions, "MAX_PROGRESS_ENTRIES", 2)  # row 33 has one already
    client = client_of(year.staff)
    url = f"/activities/{year.rows[33].pk}/progress/"
    step = {"on": "2024-09-01", "status": "on_track", "percent": "50"}
    client.post(url, step)
    response = client.post(url, step, follow=True)
    assert "У мероприятия уже 2 шагов выполнения" in response.content.decode()
    assert ProgressEntry.objects.filter(activity=year.rows[33]).count() == 2

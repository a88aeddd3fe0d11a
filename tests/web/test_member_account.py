"""Each member's account (issue 14): the organisation's page counts, per plan year, the rows it
was responsible for, those whose reports name it, how many were held and what it published,
as the execution page counts them; the members' home lists a coordinator's rows that ended
without a report and tells staff how many await one. Both in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from civicplan.common import dates
from civicplan.directory.models import Organisation
from civicplan.newsroom.models import Submission
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan, Responsibility
from civicplan.reports.execution import read_execution, select
from civicplan.reports.models import ClosingReport
from civicplan.web.pages import ORGANISATION_NEWS
from tests.helpers import data_changed
from tests.plandoc.builders import generated_docx
from tests.reports import conftest as reports
from tests.reports.conftest import Year

pytestmark = pytest.mark.django_db

# The reports' year: the seed plan of 2024 with closing reports, seen on 10 September 2024.
today = reports.today
year = reports.year

COORDINATOR_HOME = 10  # the queries of /account/ for a coordinator
STAFF_HOME = 6  # and for staff


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def account_line(html: str, year_: int) -> list[str]:
    """The cells of a year's line in the account table, as text."""
    table = html.split('<table class="list account">')[1].split("</table>")[0]
    line = re.search(rf"<th scope=\"row\">{year_}</th>(.*?)</tr>", table, re.S)
    assert line, year_
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", line[1])]


def rows_url(year_: int, **wanted: str | int) -> str:
    return f"{reverse('reports:execution_rows', args=[year_])}?{urlencode(wanted)}"


def publish(organisation: Organisation, title: str, when: datetime, kind: str) -> Submission:
    return Submission.objects.create(
        kind=kind,
        title=title,
        text="Текст.",
        status=Submission.Status.PUBLISHED,
        source=Submission.Source.FORM,
        organisation=organisation,
        published=when,
    )


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


# --- the organisation's page -------------------------------------------------------------------


def test_the_account_counts_what_the_execution_counts(client: Client, year: Year) -> None:
    perm = year.members["Пермь"]
    execution = read_execution(year.plan)
    [line] = [line for line in execution.members if line.party.id == perm.pk]
    involved = list(select(execution.rows, member=str(perm.pk)))
    held = list(select(execution.rows, member=str(perm.pk), state="held"))
    assert (line.responsible, line.took_part, line.held) == (1, 2, 3)
    publish(perm, "Пермь приняла форум", at(date(2024, 4, 6)), Submission.Kind.POST_RELEASE)

    html = page(client, perm.get_absolute_url())
    assert account_line(html, 2024) == [
        str(len(involved)),
        str(line.responsible),
        str(line.took_part),
        str(len(held)),
        "1",
    ]
    # each number links to the rows behind it on the plan's execution page
    for url in (
        rows_url(2024, member=perm.pk),
        rows_url(2024, organisation=perm.pk),
        rows_url(2024, state="held", member=perm.pk),
    ):
        assert f'href="{url.replace("&", "&amp;")}"' in html
        assert client.get(url).status_code == 200


def test_a_partner_is_counted_as_present(client: Client, year: Year) -> None:
    """The directorate is a partner in the report of row 1, and named on many rows."""
    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    responsible = Responsibility.objects.filter(organisation=directorate).values("activity_id")
    count = Activity.objects.filter(pk__in=responsible).count()
    held = Activity.objects.filter(pk__in=responsible, status=Activity.Status.HELD).count()
    html = page(client, directorate.get_absolute_url())
    # row 13 is held by its progress (done), as the execution page says
    assert account_line(html, 2024) == [str(count), str(count), "1", str(held + 1), "0"]


def test_activities_with_their_state_and_participants(client: Client, year: Year) -> None:
    perm = year.members["Пермь"]
    html = page(client, perm.get_absolute_url())
    took_part = html.split('id="role-took_part"')[1]
    assert re.findall(r"<h2 [^>]*>([^<]*)</h2>", html) == [
        "Участие в планах Ассоциации",
        "Ответственный",
        "Участвовала",
    ]
    for row, participants in ((1, 120), (3, 300)):
        item = took_part.split(year.row(row).get_absolute_url())[1].split("</li>")[0]
        assert "Проведено" in item
        assert f"участников: {participants}" in item
    responsible = html.split('id="role-responsible"')[1].split('id="role-took_part"')[0]
    assert "участников: 250" in responsible  # row 4, reported by staff

    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    html = page(client, directorate.get_absolute_url())

    def item(position: int) -> str:
        return html.split(year.row(position).get_absolute_url())[1].split("</li>")[0]

    assert "Отменено" in item(7)
    assert "Конгресс не состоялся" in item(7)
    assert "Перенесено" in item(12)
    assert "Проведено" in item(8)
    assert "участников" not in item(8)  # held without a report
    assert "Выполнено" in item(13)  # its progress says done
    assert "Запланировано" in item(17)


def test_news_and_post_releases(client: Client, year: Year) -> None:
    perm = year.members["Пермь"]
    for number in range(ORGANISATION_NEWS + 2):
        publish(perm, f"Новость {number:02d}", at(date(2023, 5, 1 + number)), "press_release")
    publish(perm, "Итоги форума", at(date(2024, 4, 6)), Submission.Kind.POST_RELEASE)
    Submission.objects.create(
        kind=Submission.Kind.PRESS_RELEASE,
        title="Черновик Перми",
        status=Submission.Status.IN_REVIEW,
        source=Submission.Source.FORM,
        organisation=perm,
    )
    html = page(client, perm.get_absolute_url())
    news = html.split('id="news"')[1]
    titles = re.findall(r'<a href="/news/\d+-[^"]*">([^<]*)</a>', news)
    assert titles == ["Итоги форума", *(f"Новость {n:02d}" for n in range(11, 2, -1))]
    assert "Черновик Перми" not in html
    assert "пост-релиз" in news
    news_list = f"/news/?organisation={perm.pk}"
    assert f'href="{news_list}"' in news
    assert f"Все публикации организации ({ORGANISATION_NEWS + 3})" in news
    assert account_line(html, 2024)[-1] == "1"
    # a year with news and no plan: its line counts the news only, without links
    assert account_line(html, 2023) == ["0", "0", "0", "0", str(ORGANISATION_NEWS + 2)]


def test_the_public_sees_published_plans_only(client: Client, year: Year) -> None:
    perm = year.members["Пермь"]
    Plan.objects.filter(pk=year.plan.pk).update(status=Plan.Status.DRAFT)
    data_changed()
    html = page(client, perm.get_absolute_url())  # a member has its page
    assert 'class="list account"' not in html
    assert year.row(3).get_absolute_url() not in html
    assert "участников" not in html

    client.force_login(year.staff)  # staff see drafts, not linked to an execution page
    html = page(client, perm.get_absolute_url())
    assert account_line(html, 2024) == ["3", "1", "2", "3", "0"]
    assert "/execution/rows/" not in html


def test_the_page_reads_the_same_number_of_queries_whatever_the_history(
    client: Client, year: Year, django_assert_num_queries
) -> None:
    """1 the page cache's data version, 7 the page, for a short history and a long one."""
    perm = year.members["Пермь"]
    url = perm.get_absolute_url()
    with django_assert_num_queries(8):
        small = page(client, url)

    longer = Plan.objects.get(
        pk=import_plan(generated_docx(120), "2025.docx", status=Plan.Status.APPROVED).plan_id
    )
    rows = list(longer.activities.all())
    Responsibility.objects.bulk_create(
        Responsibility(activity=row, organisation=perm, role="responsible", written_as=perm.name)
        for row in rows[::2]
    )
    reports = ClosingReport.objects.bulk_create(
        ClosingReport(activity=row, participants=10) for row in rows[1::2]
    )
    ClosingReport.members.through.objects.bulk_create(
        ClosingReport.members.through(closingreport=report, organisation=perm) for report in reports
    )
    for number in range(40):
        publish(perm, f"Новость {number}", at(date(2025, 1, 1 + number % 28)), "press_release")
    data_changed()
    with django_assert_num_queries(8):
        large = page(client, url)
    assert len(large) > len(small)
    responsible = Activity.objects.filter(plan=longer, responsibilities__organisation=perm)
    assert account_line(large, 2025) == [
        "120",
        str(responsible.distinct().count()),
        "60",
        str(60 + responsible.filter(status=Activity.Status.HELD).count()),
        "40",
    ]


# --- the members' home -------------------------------------------------------------------------


@pytest.fixture
def owed(year: Year) -> Year:
    """Мэрия г. Череповца named on more rows: held without a report (8), cancelled (7),
    postponed to days past (11), done by its progress (13)."""
    cherepovets = year.members["Череповец"]
    Responsibility.objects.bulk_create(
        Responsibility(
            activity=year.row(position),
            organisation=cherepovets,
            role="responsible",
            written_as=cherepovets.name,
        )
        for position in (7, 8, 11, 13)
    )
    return year


def without_report(html: str) -> str:
    return html.split('id="without-report"')[1].split("</ul>")[0]


def test_a_coordinator_sees_what_ended_without_a_report(client: Client, owed: Year) -> None:
    client.force_login(owed.coordinator)
    html = page(client, "/account/")
    listed = without_report(html)
    shown = [
        position for position in range(1, 38) if owed.row(position).get_absolute_url() in listed
    ]
    assert shown == [8, 11, 14]  # not 1 (reported), 7 (cancelled), 13 (done), 19 (ahead)
    for position in shown:
        assert f'href="{reverse("reports:report", args=[owed.row(position).pk])}"' in listed
    assert "Выполнение плана" not in html  # staff's


def test_staff_see_the_rows_awaiting_a_report_per_year(client: Client, owed: Year) -> None:
    execution = read_execution(owed.plan)
    client.force_login(owed.staff)
    html = unescape(page(client, "/account/"))
    link = reverse("reports:staff_execution", args=[2024])
    assert f'<a href="{link}">Выполнение плана 2024 года</a>' in html
    assert f"ждут отчёта: {execution.total.counts['awaiting']}" in html
    assert execution.total.counts["awaiting"] == 7
    assert 'id="without-report"' not in html
    assert client.get(link).status_code == 200


def test_the_home_reads_the_same_number_of_queries_whatever_is_owed(
    client: Client, owed: Year, django_assert_num_queries, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(owed.coordinator)
    with django_assert_num_queries(COORDINATOR_HOME):
        few = without_report(page(client, "/account/"))
    client.force_login(owed.staff)
    with django_assert_num_queries(STAFF_HOME):
        page(client, "/account/")

    longer = Plan.objects.get(
        pk=import_plan(generated_docx(120), "2025.docx", status=Plan.Status.APPROVED).plan_id
    )
    cherepovets = owed.members["Череповец"]
    Responsibility.objects.bulk_create(
        Responsibility(
            activity=row, organisation=cherepovets, role="organiser", written_as=cherepovets.name
        )
        for row in longer.activities.all()
    )
    monkeypatch.setattr(dates, "today", lambda: date(2026, 1, 10))
    client.force_login(owed.coordinator)
    with django_assert_num_queries(COORDINATOR_HOME):
        many = without_report(page(client, "/account/"))
    assert many.count("<li>") > few.count("<li>") + 100
    client.force_login(owed.staff)
    with django_assert_num_queries(STAFF_HOME):
        html = page(client, "/account/")
    assert "Выполнение плана 2025 года" in html

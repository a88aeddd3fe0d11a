"""The plan pages and the staff's import through the browser: permissions, CSRF, preview."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from civicplan.plans.importing import import_plan
from civicplan.plans.models import ImportJob, Plan
from civicplan.plans.views import PLAN_PAGE_ROWS
from tests.conftest import SEED
from tests.helpers import data_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> User:
    user = User.objects.create_user("staff", password="секрет-123", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_plan", "view_plan", "delete_plan"])
    )
    return user


@pytest.fixture
def draft(seed_bytes: bytes) -> Plan:
    return Plan.objects.get(pk=import_plan(seed_bytes, "plan-2024.txt").plan_id)


def test_public_sees_approved_plan_and_its_json(client: Client, draft: Plan) -> None:
    assert client.get("/plans/2024/").status_code == 404
    assert client.get("/plans/2024.json").status_code == 404
    draft.status = Plan.Status.APPROVED
    draft.save()
    page = client.get("/plans/2024/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Региональная конференция" in html
    assert "1 ПОЛУГОДИЕ" in html
    data = client.get("/plans/2024.json").json()
    assert data["format"] == "civicplan.plan/1"
    assert len(data["activities"]) == 37


def test_staff_see_drafts(client: Client, staff: User, draft: Plan) -> None:
    client.force_login(staff)
    assert client.get("/plans/2024/").status_code == 200


def test_plan_page_runs_a_fixed_number_of_queries(
    client: Client, draft: Plan, django_assert_num_queries
) -> None:
    """The page cache's data version, the plan, its rows' sections, its sections, the page's
    rows with places and parties: seven queries at 37 rows and at 2,000."""
    from tests.plandoc.builders import generated_docx

    bigger = import_plan(generated_docx(2000), "generated.docx", status=Plan.Status.APPROVED)
    draft.status = Plan.Status.APPROVED
    draft.save()
    data_changed()
    for year, rows in ((2024, 37), (bigger.year, PLAN_PAGE_ROWS)):
        with django_assert_num_queries(7):
            page = client.get(f"/plans/{year}/")
        assert page.content.decode().count("<td>") == rows * 4
        assert ("Страница 1 из" in page.content.decode()) == (rows == PLAN_PAGE_ROWS)


def test_a_long_plan_is_cut_into_pages_with_its_sections(client: Client) -> None:
    from tests.plandoc.builders import generated_docx

    summary = import_plan(generated_docx(600), "generated.docx", status=Plan.Status.APPROVED)
    plan = Plan.objects.get(pk=summary.plan_id)
    assert plan.sections.count() > 1
    url = f"/plans/{plan.year}/"
    pages = -(-600 // PLAN_PAGE_ROWS)
    assert pages > 2
    first = client.get(url).content.decode()
    assert f"Страница 1 из {pages}" in first
    assert first.count("<td>") == PLAN_PAGE_ROWS * 4
    assert f'href="{url}?page=2" rel="next"' in first
    # Every section is listed with the page it begins on; its heading row is on that page.
    for section in plan.sections.all():
        start = section.activities.order_by("position").first()
        index = plan.activities.filter(position__lt=start.position).count()
        page = index // PLAN_PAGE_ROWS + 1
        link = f"{url}?page={page}" if page > 1 else url
        assert f'<a href="{link}">{section.heading}' in first
        html = client.get(link).content.decode()
        assert f'scope="rowgroup">{section.heading or section.subheading}</th>' in html
    last = client.get(f"{url}?page={pages}").content.decode()
    assert last.count("<td>") == (600 - (pages - 1) * PLAN_PAGE_ROWS) * 4
    assert 'rel="next"' not in last
    for note in plan.notes:  # the plan's closing notes are on its last page only
        assert note["text"] in last
    for bad in ("0", str(pages + 1), "x", "-1"):
        assert client.get(url + "?page=" + bad).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_import_needs_the_permission(client: Client, method: str) -> None:
    response = getattr(client, method)(reverse("plans:import"))
    assert response.status_code == 302  # to log in first
    assert response["Location"].startswith("/account/login/?next=")
    User.objects.create_user("coordinator", password="x")
    client.force_login(User.objects.get(username="coordinator"))
    assert getattr(client, method)(reverse("plans:import")).status_code == 403


def columns_of(job: ImportJob) -> dict[str, str]:
    """The columns step's form as it comes: each column's preselected role."""
    return {
        f"t{t}c{c}": role
        for t, table in enumerate(job.columns)
        for c, role in enumerate(table["roles"])
    }


def test_upload_columns_preview_confirm(staff: User, settings) -> None:
    """Upload, then the job's page with the columns, then the preview (each read by a task:
    here the immediate task backend runs it at once), then the confirmation, every field of
    it checked."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    form = client.get(reverse("plans:import"))
    token = form.cookies["csrftoken"].value
    with SEED.open("rb") as upload:
        uploaded = client.post(
            reverse("plans:import"), {"file": upload, "csrfmiddlewaretoken": token}
        )
    assert uploaded.status_code == 302
    job = ImportJob.objects.get()
    assert uploaded["Location"] == f"/staff/import/{job.token}/"
    columns = client.get(uploaded["Location"]).content.decode()
    assert "Что в каждом столбце" in columns
    assert '<option value="when" selected>' in columns
    columns_url = re.search(r'action="([^"]+/columns/)"', columns).group(1)
    chosen = client.post(columns_url, {**columns_of(job), "csrfmiddlewaretoken": token})
    assert chosen.status_code == 302
    preview = client.get(uploaded["Location"])
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "<dt>Мероприятий</dt>\n    <dd>37" in html
    assert 'class="warning"' in html  # the near-miss organisation is highlighted
    assert not Plan.objects.exists()
    confirm_url = re.search(r'action="([^"]+/confirm/)"', html).group(1)
    assert client.post(confirm_url, {"status": "approved"}).status_code == 403  # no CSRF token
    for status in ("archived", "published", ""):
        refused = client.post(confirm_url, {"status": status, "csrfmiddlewaretoken": token})
        assert refused.status_code == 400
    assert not Plan.objects.exists()
    done = client.post(confirm_url, {"status": "approved", "csrfmiddlewaretoken": token})
    assert done.status_code == 302
    assert client.get(done["Location"])["Location"] == "/plans/2024/"
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.APPROVED
    assert plan.imported_by == staff
    assert plan.activities.count() == 37
    again = client.post(confirm_url, {"status": "approved", "csrfmiddlewaretoken": token})
    assert again.status_code == 409  # a confirmation is used once


@pytest.mark.django_db(transaction=True)  # the worker runs its tasks in its own transactions
def test_a_long_read_shows_its_progress_until_the_worker_has_read_it(
    client: Client, staff: User
) -> None:
    """Reading the columns and then the rows run in the worker: the page says how far it has
    got (and, with JavaScript, asks again every 2 s); once read, it is the step's page."""
    from django.core.management import call_command

    client.force_login(staff)
    with SEED.open("rb") as upload:
        location = client.post(reverse("plans:import"), {"file": upload})["Location"]
    waiting = client.get(location).content.decode()
    assert "читается" in waiting
    assert f'data-follow="{location}state"' in waiting  # follow.js asks it, or the link
    assert client.get(location + "state").json()["over"] is False
    call_command("worker", "--once")
    assert client.get(location + "state").json() == {
        "over": True,
        "done": 37,
        "total": 37,
        "said": " Строк разобрано: 37 из 37.",
    }
    assert "Что в каждом столбце" in client.get(location).content.decode()
    client.post(location + "columns/", columns_of(ImportJob.objects.get()))
    reading = client.get(location).content.decode()
    assert "Строки файла plan-2024.txt разбираются." in reading
    assert "data-follow" in reading
    call_command("worker", "--once")
    ready = client.get(location).content.decode()
    assert "Проверка плана" in ready
    assert "data-follow" not in ready
    assert ImportJob.objects.get().rows_total == 37


@pytest.mark.django_db(transaction=True)  # the worker runs its tasks in its own transactions
def test_a_plan_over_the_limits_is_refused_on_its_jobs_page(client: Client, staff: User) -> None:
    """Its size and format pass at once; what its text holds is found by the worker, which
    says so on the job's page, and nothing is imported."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from tests.plandoc.hostile import long_table_docx

    client.force_login(staff)
    upload = SimpleUploadedFile("long.docx", long_table_docx(12_000))
    location = client.post(reverse("plans:import"), {"file": upload})["Location"]
    call_command("worker", "--once")
    page = client.get(location).content.decode()
    assert "long.docx, строка 10001: в таблицах документа больше 10 000 строк" in page
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert not Plan.objects.exists()


def test_an_upload_over_the_plan_files_limit_is_413_before_it_is_read(
    client: Client, staff: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicplan.plandoc.readers import MAX_FILE_BYTES

    client.force_login(staff)
    big = SimpleUploadedFile("plan.txt", b"x" * (MAX_FILE_BYTES + 128 * 1024))
    response = client.post(reverse("plans:import"), {"file": big})
    assert response.status_code == 413
    assert "не больше 20 МБ" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_bad_upload_is_a_400_page_naming_the_problem(client: Client, staff: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    response = client.post(
        reverse("plans:import"),
        {"file": SimpleUploadedFile("plan.docx", b"PK\x03\x04garbage")},
    )
    assert response.status_code == 400
    assert "plan.docx: повреждённый архив" in response.content.decode()
    assert not Plan.objects.exists()


def test_activity_page_and_slug_redirect(client: Client, draft: Plan) -> None:
    from civicplan.plans.models import Activity

    activity = Activity.objects.get(plan=draft, position=4)
    assert client.get(activity.get_absolute_url()).status_code == 404  # a draft's activity
    draft.status = Plan.Status.APPROVED
    draft.save()
    page = client.get(activity.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Администрация г. Перми" in html
    assert f"/activities/{activity.pk}.ics" in html
    wrong = client.get(f"/activities/{activity.pk}-whatever/")
    assert wrong.status_code == 301
    assert wrong["Location"] == activity.get_absolute_url()


@pytest.mark.parametrize(
    ("format_name", "content_type"),
    [
        ("json", "application/json"),
        ("csv", "text/csv; charset=utf-8"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_downloads_are_for_published_plans_and_staff(
    client: Client, staff: User, draft: Plan, format_name: str, content_type: str
) -> None:
    url = f"/plans/2024.{format_name}"
    assert client.get(url).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert f'filename="plan-2024.{format_name}"' in response["Content-Disposition"]
    client.logout()
    draft.status = Plan.Status.APPROVED
    draft.save()
    assert client.get(url).status_code == 200
    page = client.get("/plans/2024/").content.decode()
    assert f'href="{url}"' in page

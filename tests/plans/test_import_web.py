"""The staff import's steps on the web (issue 12): the columns step (roles guessed, changed,
remembered for the next file with the same header), the preview (what every row was
understood as, warnings first, the year asked when the document has none), the confirmation
(draft or approved, replacing the year's plan from the web), who may, and bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from civicplan.accounts.models import Coordinator
from civicplan.directory.models import Organisation
from civicplan.plans import uploads
from civicplan.plans.importing import ImportRefused, import_plan
from civicplan.plans.models import ColumnMapping, ImportJob, Plan

pytestmark = pytest.mark.django_db

HEADER = "Дата и время\tСодержание работы\tГде\tИсполнители (ФИО, телефон)\tОтметка о выполнении"
ROWS = [
    "15.03 10:00\tСеминар для волонтёров «Здоровый образ жизни»\tг. Пермь, Дом молодёжи\t"
    "Иванова А.А., 8-342-200-00-00\tвыполнено",
    "апрель\tАкция «Бегом от инфаркта»\tг. Пермь, набережная Камы\tАдминистрация г. Перми\t",
    "22.05 с 11-00 до 14-00\tКруглый стол по профилактике\tонлайн\t"
    "Министерство здравоохранения Пермского края\tперенесено",
    "II квартал\tКонкурс социальных проектов\tг. Пермь\t"
    "Администрация г. Пермь, дирекция Ассоциация\t",
]
ROLES = ["when", "title", "place", "responsible", "done"]


def plan_text(title: str = "План работы отдела молодёжной политики") -> bytes:
    return "\n".join([title, HEADER, *ROWS, ""]).encode()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("director@example.org", is_staff=True, first_name="Анна")


@pytest.fixture
def client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def upload(client: Client, data: bytes, name: str = "plan.txt") -> str:
    """The job's address after uploading a file."""
    response = client.post(reverse("plans:import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def job_at(location: str) -> ImportJob:
    return ImportJob.objects.get(token=location.rstrip("/").rsplit("/", 1)[-1])


def roles_form(job: ImportJob, **changed: str) -> dict[str, str]:
    """The columns form as it comes, with some columns (by header) given another role."""
    form = {}
    for t, table in enumerate(job.columns):
        for c, (header, role) in enumerate(zip(table["headers"], table["roles"], strict=True)):
            form[f"t{t}c{c}"] = changed.get(header, role)
    return form


def to_preview(client: Client, location: str, **changed: str) -> ImportJob:
    response = client.post(location + "columns/", roles_form(job_at(location), **changed))
    assert response.status_code == 302, response.content.decode()
    return job_at(location)


# -- the columns ---------------------------------------------------------------------------------


def test_the_columns_step_shows_each_columns_guessed_role_and_first_cells(client: Client) -> None:
    location = upload(client, plan_text())
    job = job_at(location)
    assert (job.status, job.stage) == (ImportJob.Status.READY, ImportJob.Stage.COLUMNS)
    (table,) = job.columns
    assert table["guessed"] == table["roles"] == ROLES
    assert table["samples"][0] == ["15.03 10:00", "апрель", "22.05 с 11-00 до 14-00"]
    assert table["samples"][4] == ["выполнено", "перенесено"]
    page = client.get(location)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_t0c3">Исполнители (ФИО, телефон)</label>' in html
    assert '<option value="done" selected>отметка о выполнении</option>' in html
    assert "Министерство здравоохранения Пермского края" in html  # a sample cell
    assert "запомнены" not in html
    again = client.get(location + "columns/").content.decode()
    assert again.count("<select") == 5
    assert "Что в каждом столбце" in again


def test_a_changed_role_changes_the_reading_and_is_remembered_for_the_same_header(
    client: Client, staff: User
) -> None:
    location = upload(client, plan_text())
    job = to_preview(client, location, Где="other", **{"Отметка о выполнении": "skip"})
    first = job.document["activities"][0]
    assert first["place"] == {"text": None, "cities": [], "venue": None, "scope": None}
    assert first["extra"] == [["Где", "г. Пермь, Дом молодёжи"]]  # kept as an extra field
    assert "Где" in client.get(location).content.decode()
    (mapping,) = ColumnMapping.objects.all()
    assert mapping.roles == ["when", "title", "other", "responsible", "skip"]
    assert mapping.updated_by == staff

    # The next file with the same header (another title, other rows) comes preselected.
    again = upload(client, plan_text("План на 2027 год"))
    (table,) = job_at(again).columns
    assert table["guessed"] == ROLES
    assert table["roles"] == ["when", "title", "other", "responsible", "skip"]
    assert table["remembered"]["by"] == "Анна"
    html = client.get(again).content.decode()
    assert "Роли столбцов таблицы с такими заголовками запомнены" in html
    assert '<option value="skip" selected>не загружать</option>' in html
    assert "Определено по файлу: отметка о выполнении" in html

    # Changed back, the choice is remembered too; an import from the command line reads a
    # table with that header with it.
    to_preview(client, again, Где="place")
    assert ColumnMapping.objects.get().roles == ["when", "title", "place", "responsible", "skip"]
    summary = import_plan(plan_text("План на 2027 год"), "plan.txt", dry_run=True)
    assert summary.rows == len(ROWS)


def test_roles_as_guessed_are_not_remembered(client: Client) -> None:
    to_preview(client, upload(client, plan_text()))
    assert not ColumnMapping.objects.exists()


def test_a_table_without_header_row_shows_numbered_columns_and_is_not_remembered(
    client: Client,
) -> None:
    headerless = "\n".join(["План на 2026 год", *ROWS, ""]).encode()
    location = upload(client, headerless)
    (table,) = job_at(location).columns
    assert table["headers"] == [""] * 5
    assert table["samples"][1][0] == "Семинар для волонтёров «Здоровый образ жизни»"
    html = client.get(location).content.decode()
    assert '<label for="id_t0c0">Столбец 1</label>' in html
    assert "нет строки заголовка" in html
    job = to_preview(client, location)
    assert job.document["activities"][0]["when"]["start"] == "2026-03-15"
    assert not ColumnMapping.objects.exists()


def test_a_list_plan_has_no_columns_to_choose(client: Client) -> None:
    text = "План на 2026 год\n7 апреля — Всемирный день здоровья\n1 июня — День защиты детей\n"
    location = upload(client, text.encode())
    (table,) = job_at(location).columns
    assert table["table"] is False
    html = client.get(location).content.decode()
    assert "В документе нет таблицы" in html
    assert "<select" not in html
    job = to_preview(client, location)
    assert [row["title"] for row in job.document["activities"]] == [
        "Всемирный день здоровья",
        "День защиты детей",
    ]


@pytest.mark.parametrize(
    ("changed", "said"),
    [
        ({"Содержание работы": "other"}, "Выберите один столбец с ролью «мероприятие»."),
        ({"Где": "title"}, "Выберите один столбец с ролью «мероприятие»."),
        ({"Где": "when"}, "Роль «сроки» выбрана для нескольких столбцов одной таблицы."),
    ],
)
def test_roles_a_table_cannot_have_are_refused(
    client: Client, changed: dict[str, str], said: str
) -> None:
    location = upload(client, plan_text())
    response = client.post(location + "columns/", roles_form(job_at(location), **changed))
    assert response.status_code == 400
    assert said in response.content.decode()
    job = job_at(location)
    assert job.stage == ImportJob.Stage.COLUMNS
    assert not ColumnMapping.objects.exists()


def test_bad_columns_input_is_400_and_a_step_taken_twice_409(client: Client) -> None:
    location = upload(client, plan_text())
    form = roles_form(job_at(location))
    assert client.post(location + "columns/", {**form, "t0c0": "date"}).status_code == 400
    assert client.post(location + "columns/", {"t0c0": "when"}).status_code == 400
    assert client.post(location + "columns/", form).status_code == 302
    ImportJob.objects.filter(pk=job_at(location).pk).update(status=ImportJob.Status.IMPORTING)
    assert client.post(location + "columns/", form).status_code == 409
    assert client.get(location + "columns/")["Location"] == location


# -- the preview ---------------------------------------------------------------------------------


def test_the_preview_shows_every_row_as_understood_with_warnings_first(client: Client) -> None:
    Organisation.objects.create(name="Администрация г. Перми", key="администрация г перми")
    location = upload(client, plan_text("План работы отдела на 2026 год"))
    job = to_preview(client, location)
    assert job.document["year"] == 2026
    assert not job.document["year_given"]
    seminar, action, table, contest = job.document["activities"]
    assert seminar["when"]["start"] == "2026-03-15"
    assert seminar["when"]["start_time"] == "10:00"
    assert seminar["when"]["words"]["ru"] == "15 марта 2026 г., 10:00"
    assert seminar["kind"] == "education"
    assert seminar["place"]["cities"][0]["name"] == "Пермь"
    assert seminar["place"]["venue"] == "Дом молодёжи"
    assert seminar["responsible"][0]["match"] == "person"
    assert seminar["extra"] == [["Отметка о выполнении", "выполнено"]]
    assert action["responsible"][0]["match"] == "exact"
    assert table["when"]["end_time"] == "14:00"
    assert table["format"] == "online"
    perm, directorate = contest["responsible"]
    assert (perm["match"], perm["name"], perm["written_as"]) == (
        "near",
        "Администрация г. Перми",
        "Администрация г. Пермь",
    )
    assert directorate["match"] == "new"
    assert job.document["counts"] == {
        "rows": 4,
        "dated": 4,
        "organisations_known": 1,
        "organisations_near": 1,
        "organisations_new": 2,
        "organisations_person": 1,
    }

    html = client.get(location).content.decode()
    warnings = html.index("Проверьте: 1 предупреждение")
    assert warnings < html.index("Что прочитано") < html.index("Строки плана, как они прочитаны")
    assert '<a href="/staff/import/' in html[warnings:]
    assert f'{location}#row-6">6</a>' in html  # the warning links to its row…
    assert '<tr id="row-6" class="warning">' in html  # …which is marked
    assert "15 марта 2026 г., 10:00" in html
    assert "01.04.2026 – 30.04.2026 · месяц" in html
    assert "есть в справочнике" in html
    assert "опечатка? сопоставлено с организацией из справочника" in html
    assert "новая организация" in html
    assert "контакт: 8-342-200-00-00" in html
    assert "<dt>Отметка о выполнении</dt><dd>выполнено</dd>" in html
    assert "обучение · организует Ассоциация · очно" in html
    assert 'name="replace"' not in html  # no plan of 2026 to replace
    assert 'name="year"' not in html  # the document says its year


def test_the_year_is_asked_when_the_document_has_none_and_its_rows_read_again_with_it(
    client: Client,
) -> None:
    location = upload(client, plan_text())
    job = to_preview(client, location)
    assert job.document["year"] is None
    assert job.document["counts"]["dated"] == 0
    html = client.get(location).content.decode()
    assert html.index("На какой год этот план?") < html.index("Проверьте:")
    assert 'name="year"' in html
    assert "required" in html
    assert 'name="status"' not in html  # nothing to confirm until the year is known
    refused = client.post(location + "confirm/", {"status": "draft"})
    assert refused.status_code == 409
    assert "Укажите год плана" in refused.content.decode()
    for bad in ("", "двадцать", "1800", "2200"):
        assert client.post(location + "year/", {"year": bad}).status_code == 400
    assert client.post(location + "year/", {"year": "2026"}).status_code == 302
    job = job_at(location)
    assert job.year == 2026
    assert job.document["year"] == 2026
    assert job.document["year_given"]
    assert job.document["counts"]["dated"] == 4
    html = client.get(location).content.decode()
    assert '2026 <span class="muted">(указан вами)</span>' in html
    assert 'name="year"' not in html
    done = client.post(location + "confirm/", {"status": "approved"})
    assert done.status_code == 302
    plan = Plan.objects.get(year=2026)
    assert plan.status == Plan.Status.APPROVED
    assert plan.activities.filter(start__isnull=False).count() == 4


def test_the_command_line_still_asks_for_year() -> None:
    with pytest.raises(
        ImportRefused, match=r"год плана не найден в заголовке; укажите его \(--year\)"
    ):
        import_plan(plan_text(), "plan.txt")


def test_rows_with_warnings_alone_and_pages_of_a_long_plan(client: Client) -> None:
    from tests.plandoc.builders import generated_docx

    location = upload(client, generated_docx(250), "generated.docx")
    job = to_preview(client, location)
    rows = job.document["activities"]
    assert len(rows) == 250
    warned = sorted({problem["row"] for problem in job.problems})
    assert warned, "the generated plan has warnings"
    first = client.get(location).content.decode()
    assert first.count('<tr id="row-') == 100
    assert "Страница 1 из 3" in first
    only = client.get(location + "?warnings=1").content.decode()
    assert only.count('<tr id="row-') == min(len(warned), 100)
    assert "Показаны только строки с предупреждениями" in only
    # Each warning links to its row on the page it is on.
    index = {row["row"]: i for i, row in enumerate(rows)}
    links = re.findall(r'href="([^"#]*)#row-(\d+)"', first)
    assert links
    for address, row in links:
        page = index[int(row)] // 100 + 1
        assert address == (f"{location}?page={page}" if page > 1 else location)


def test_the_preview_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    from tests.plandoc.builders import generated_docx

    location = upload(client, generated_docx(250), "generated.docx")
    to_preview(client, location)
    for address in (location, location + "?page=3", location + "?warnings=1"):
        with django_assert_max_num_queries(4):  # session, user, job, the year's plan
            assert client.get(address).status_code == 200
    columns = upload(client, generated_docx(250), "generated.docx")
    with django_assert_max_num_queries(3):  # session, user, job
        assert client.get(columns).status_code == 200


# -- the confirmation ---------------------------------------------------------------------------


def test_a_plan_of_the_year_is_replaced_from_the_web_keeping_its_activities_identities(
    client: Client, seed_bytes: bytes
) -> None:
    old = Plan.objects.get(pk=import_plan(seed_bytes, "plan-2024.txt").plan_id)
    uids = dict(old.activities.values_list("position", "uid"))
    rows = set(old.activities.values_list("pk", flat=True))
    location = upload(client, seed_bytes, "plan-2024.txt")
    to_preview(client, location)
    html = client.get(location).content.decode()
    assert "План на 2024 год уже есть" in html
    assert "Заменить существующий план на 2024 год" in html
    refused = client.post(location + "confirm/", {"status": "approved"})
    assert refused.status_code == 409
    assert "отметьте «Заменить существующий план»" in refused.content.decode()
    assert "--replace" not in refused.content.decode()
    assert Plan.objects.get() == old
    done = client.post(location + "confirm/", {"status": "approved", "replace": "on"})
    assert done.status_code == 302
    plan = Plan.objects.get()
    assert plan.pk == old.pk  # the plan of the year stays (with its versions); its rows are new
    assert not set(plan.activities.values_list("pk", flat=True)) & rows
    assert plan.status == Plan.Status.APPROVED
    assert dict(plan.activities.values_list("position", "uid")) == uids
    assert job_at(location).status == ImportJob.Status.DONE


def test_a_plan_that_appears_before_the_import_runs_sends_the_job_back_to_its_preview(
    client: Client, seed_bytes: bytes
) -> None:
    location = upload(client, seed_bytes, "plan-2024.txt")
    job = to_preview(client, location)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, plan_status="draft", replace=False
    )
    import_plan(seed_bytes, "plan-2024.txt")  # meanwhile, from the command line
    uploads.run_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    assert "Заменить существующий план" in job.error
    assert Plan.objects.count() == 1
    html = client.get(location).content.decode()
    assert job.error in html
    assert 'name="replace"' in html


def test_the_command_line_is_told_of_replace_and_the_web_of_its_box(seed_bytes: bytes) -> None:
    import_plan(seed_bytes, "plan-2024.txt")
    with pytest.raises(ImportRefused, match="импортируйте с --replace"):
        import_plan(seed_bytes, "plan-2024.txt")
    staff = User.objects.create_user("staff", is_staff=True)
    with pytest.raises(ImportRefused, match="отметьте «Заменить существующий план»"):
        import_plan(seed_bytes, "plan-2024.txt", actor=staff)


def test_every_step_writes_its_audit_event(client: Client) -> None:
    from civicplan.audit.models import Event

    location = upload(client, plan_text())
    to_preview(client, location, Где="other")
    client.post(location + "year/", {"year": "2026"})
    client.post(location + "confirm/", {"status": "draft"})
    events = Event.objects.filter(action__startswith="plan.").order_by("pk")
    assert list(events.values_list("action", flat=True)) == [
        "plan.upload",
        "plan.import.columns",
        "plan.import.year",
        "plan.import.confirm",
        "plan.import",
    ]
    assert Event.objects.get(action="plan.import.columns").data["remembered"] == 1


# -- who may -------------------------------------------------------------------------------------


@pytest.fixture
def ready(client: Client) -> str:
    return upload(client, plan_text())


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("get", "columns/"),
        ("post", "columns/"),
        ("post", "year/"),
        ("post", "confirm/"),
    ],
)
def test_only_staff_reach_the_steps(ready: str, method: str, suffix: str) -> None:
    anonymous = getattr(Client(), method)(ready + suffix)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/account/login/?next=")
    nobody = User.objects.create_user("nobody@example.org")
    coordinator = User.objects.create_user("coordinator@example.org")
    Coordinator.objects.create(
        user=coordinator, organisation=Organisation.objects.create(name="Мэрия", key="мэрия")
    )
    for user in (nobody, coordinator):
        other = Client()
        other.force_login(user)
        assert getattr(other, method)(ready + suffix).status_code == 403
    assert job_at(ready).stage == ImportJob.Stage.COLUMNS


def test_actions_check_the_permission_too(ready: str) -> None:
    from django.core.exceptions import PermissionDenied

    nobody = User.objects.create_user("nobody@example.org")
    job = job_at(ready)
    with pytest.raises(PermissionDenied):
        uploads.choose_columns(nobody, job, [ROLES])
    with pytest.raises(PermissionDenied):
        uploads.set_year(nobody, job, 2026)
    with pytest.raises(PermissionDenied):
        uploads.confirm(nobody, job, "draft", False)


def test_an_unknown_job_is_404(client: Client) -> None:
    for suffix in ("", "columns/"):
        assert client.get(f"/staff/import/nothing/{suffix}").status_code == 404
    assert client.post("/staff/import/nothing/year/", {"year": "2026"}).status_code == 404


def test_the_upload_form_no_longer_asks_for_the_year(client: Client) -> None:
    html = client.get(reverse("plans:import")).content.decode()
    assert 'name="year"' not in html
    assert re.search(r"DOCX, XLSX, ODT, ODS, PDF", html)

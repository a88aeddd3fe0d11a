"""The staff's plan workspace (issue 13): who may open each page, a row edited (its time
frame read again and shown at once on the public plan, in the feed and in the DOCX), a party
picked from the directory by an alias or created after the "did you mean" check, rows added,
removed and moved, sections and notes, the head's approval and the amendments published as
version 2, the status actions, next year's draft, CSRF, and a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicplan.accounts.models import Coordinator
from civicplan.accounts.rules import HEAD_GROUP
from civicplan.directory.models import Organisation, OrganisationAlias
from civicplan.plandoc import read_plan
from civicplan.plans import actions
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Amendment, Plan, Responsibility, Section

pytestmark = pytest.mark.django_db

FORUM = "Всероссийский форум «Здоровые города на страже"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("editor@example.org", is_staff=True, first_name="Ольга")


@pytest.fixture
def head() -> User:
    user = User.objects.create_user("head@example.org", is_staff=True, first_name="Анна")
    user.groups.add(Group.objects.get_or_create(name=HEAD_GROUP)[0])
    return user


def signed_in(user: User | None, **options: Any) -> Client:
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def draft(seed_bytes: bytes) -> Plan:
    import_plan(seed_bytes, "plan-2024.txt", status="draft")
    return Plan.objects.get(year=2024)


@pytest.fixture
def approved(draft: Plan, head: User) -> Plan:
    actions.approve_plan(head, draft, actions.Decision("Общее собрание", number="7"))
    draft.refresh_from_db()
    return draft


def row_at(plan: Plan, position: int) -> Activity:
    return plan.activities.get(position=position)


def row_form(activity: Activity, **changed: Any) -> dict[str, Any]:
    """The row's form as the page gives it, with some fields changed."""
    links = list(activity.responsibilities.order_by("position"))
    form: dict[str, Any] = {
        "when_text": activity.when_text,
        "title": activity.title,
        "kind": activity.kind,
        "involvement": activity.involvement,
        "format": activity.format,
        "place_text": activity.place_text,
        "section": activity.section_id or "",
        "party-TOTAL_FORMS": str(len(links) + 2),
        "party-INITIAL_FORMS": str(len(links)),
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "30",
    }
    for n, link in enumerate(links):
        form |= {
            f"party-{n}-name": link.written_as,
            f"party-{n}-role": link.role,
            f"party-{n}-contact": link.contact,
            f"party-{n}-remark": link.remark,
            f"party-{n}-organisation": link.organisation_id,
        }
    for n in range(len(links), len(links) + 2):
        form |= {f"party-{n}-role": "responsible"}
    return form | changed


def pages(plan: Plan) -> list[str]:
    activity = plan.activities.order_by("position").first()
    year = plan.year
    row = [year, activity.pk]
    return [
        reverse("plans:staff_plans"),
        reverse("plans:workspace", args=[year]),
        reverse("plans:workspace_timeframe", args=[year]) + "?text=май",
        reverse("plans:workspace_add", args=[year]),
        reverse("plans:workspace_row", args=row),
        reverse("plans:workspace_delete", args=row),
        reverse("plans:workspace_move", args=row),
        reverse("plans:workspace_postpone", args=row),
        reverse("plans:workspace_cancel", args=row),
        reverse("plans:workspace_held", args=row),
        reverse("plans:workspace_sections", args=[year]),
        reverse("plans:workspace_notes", args=[year]),
        reverse("plans:workspace_approve", args=[year]),
        reverse("plans:workspace_publish", args=[year]),
        reverse("plans:workspace_next", args=[year]),
    ]


# -- who may -----------------------------------------------------------------------------------


def test_every_page_is_for_staff_only(draft: Plan, staff: User) -> None:
    member = User.objects.create_user("member@example.org")
    organisation = Organisation.objects.create(name="Администрация г. Тестовска", key="тестовск")
    Coordinator.objects.create(user=member, organisation=organisation)
    login = reverse("accounts:login")
    for path in pages(draft):
        anonymous = signed_in(None).get(path)
        assert anonymous.status_code == 302, path
        assert anonymous["Location"].startswith(login), path
        assert signed_in(member).get(path).status_code == 403, path
        assert signed_in(staff).get(path).status_code == 200, path


def test_a_post_without_a_csrf_token_is_refused(draft: Plan, staff: User) -> None:
    activity = row_at(draft, 1)
    client = signed_in(staff, enforce_csrf_checks=True)
    path = reverse("plans:workspace_row", args=[2024, activity.pk])
    assert client.post(path, row_form(activity, title="Другое")).status_code == 403
    move = reverse("plans:workspace_move", args=[2024, activity.pk])
    assert client.post(move, {"position": 3}).status_code == 403
    approve = reverse("plans:workspace_approve", args=[2024])
    assert client.post(approve, {"body": "Совет"}).status_code == 403
    activity.refresh_from_db()
    assert activity.position == 1
    assert activity.title != "Другое"


# -- the table and a row -----------------------------------------------------------------------


def test_the_workspace_shows_the_plan_as_its_table(draft: Plan, staff: User) -> None:
    html = signed_in(staff).get(reverse("plans:workspace", args=[2024])).content.decode()
    forum = draft.activities.get(title__startswith=FORUM)
    assert f'id="row-{forum.pk}"' in html
    assert '<span class="as-written">4-5 апреля 2024 г.</span>' in html  # as written
    assert "дни · 04.04.2024–05.04.2024" in html  # its precision and dates
    assert "ОРГАНИЗАЦИОННАЯ, ПРОЕКТНАЯ ДЕЯТЕЛЬНОСТЬ" in html  # a section heading
    assert "черновик" in html
    assert "Утвердить план" not in html
    assert (
        "Утвердить план"
        in signed_in(User.objects.create_superuser("root", is_staff=True))
        .get(reverse("plans:workspace", args=[2024]))
        .content.decode()
    )


def test_a_time_frame_is_read_back_as_typed(draft: Plan, staff: User) -> None:
    url = reverse("plans:workspace_timeframe", args=[2024])
    said = signed_in(staff).get(url, {"text": "4 - 5 апр."}).json()
    assert said["words"] == "4-5 апреля 2024 г."
    assert said["precision"] == "дни"
    assert said["warning"] == ""
    unread = signed_in(staff).get(url, {"text": "когда получится"}).json()
    assert unread["warning"]


def test_a_retyped_time_frame_is_on_the_public_plan_the_feed_and_the_docx_at_once(
    approved: Plan, staff: User
) -> None:
    forum = approved.activities.get(title__startswith=FORUM)
    client = signed_in(staff)
    path = reverse("plans:workspace_row", args=[2024, forum.pk])
    form = row_form(forum, when_text="10-11 сентября 2024 г.")
    refused = client.post(path, form)
    assert refused.status_code == 400  # an approved plan: the reason is required
    assert "Основание изменения" in refused.content.decode()
    response = client.post(path, form | {"reason": "Решение оргкомитета"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#row-{forum.pk}")
    forum.refresh_from_db()
    assert (str(forum.start), str(forum.end), forum.precision) == (
        "2024-09-10",
        "2024-09-11",
        "days",
    )
    public = Client()
    assert "10-11 сентября 2024 г." in public.get("/plans/2024/").content.decode()
    feed = public.get("/calendar.ics").content.decode()
    assert "DTSTART;VALUE=DATE:20240910" in feed
    docx = read_plan(b"".join(public.get("/plans/2024.docx")), "plan.docx")
    assert any(row.when.text == "10-11 сентября 2024 г." for row in docx.activities)
    (amendment,) = Amendment.objects.filter(version__isnull=True)
    assert amendment.reason == "Решение оргкомитета"


def test_the_form_reads_the_time_frame_back_without_saving(draft: Plan, staff: User) -> None:
    activity = row_at(draft, 1)
    path = reverse("plans:workspace_row", args=[2024, activity.pk])
    page = signed_in(staff).post(path, row_form(activity, when_text="II квартал", check="1"))
    assert page.status_code == 200
    assert "II квартал 2024 г." in page.content.decode()
    activity.refresh_from_db()
    assert activity.when_text != "II квартал"


def test_an_organisation_is_picked_by_its_alias(draft: Plan, staff: User) -> None:
    ministry = Organisation.objects.create(
        name="Министерство здравоохранения Российской Федерации", key="минздрав-тест"
    )
    OrganisationAlias.objects.create(organisation=ministry, text="Минздрав России")
    activity = row_at(draft, 1)
    form = row_form(activity) | {"party-2-name": "минздрав россии", "party-2-role": "supporter"}
    page = signed_in(staff).post(reverse("plans:workspace_row", args=[2024, activity.pk]), form)
    assert page.status_code == 302, page.content.decode()
    link = activity.responsibilities.get(organisation=ministry)
    assert link.role == Responsibility.Role.SUPPORTER
    assert Organisation.objects.filter(name__icontains="минздрав россии").count() == 0


def test_a_new_name_close_to_a_known_one_asks_first(draft: Plan, staff: User) -> None:
    activity = row_at(draft, 1)
    path = reverse("plans:workspace_row", args=[2024, activity.pk])
    form = row_form(activity) | {"party-2-name": "Мэрия г. Череповецa"}  # a Latin «a»
    asked = signed_in(staff).post(path, form)
    assert asked.status_code == 400
    assert "Возможно, вы имели в виду: «Мэрия г. Череповца»" in asked.content.decode()
    assert "Да, это новая организация" in asked.content.decode()
    created = signed_in(staff).post(path, form | {"party-2-new": "on"})
    assert created.status_code == 302
    assert Organisation.objects.filter(name="Мэрия г. Череповецa").exists()


def test_a_row_is_moved_added_and_deleted(draft: Plan, staff: User) -> None:
    client = signed_in(staff)
    first, second = row_at(draft, 1), row_at(draft, 2)
    moved = client.post(reverse("plans:workspace_move", args=[2024, first.pk]), {"position": 3})
    assert moved.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (3, 1)

    count = draft.activities.count()
    form = row_form(second, title="Семинар «Здоровый город» для новых членов") | {
        "when_text": "15 октября",
        "after": str(second.pk),
    }
    added = client.post(reverse("plans:workspace_add", args=[2024]), form)
    assert added.status_code == 302, added.content.decode()
    new = draft.activities.get(title__startswith="Семинар «Здоровый город»")
    assert new.position == 2
    assert new.section_id == second.section_id
    assert str(new.start) == "2024-10-15"

    confirm = client.get(reverse("plans:workspace_delete", args=[2024, new.pk]))
    assert "Удалить строку?" in confirm.content.decode()
    client.post(reverse("plans:workspace_delete", args=[2024, new.pk]))
    assert draft.activities.count() == count
    assert list(draft.activities.order_by("position").values_list("position", flat=True)) == list(
        range(1, count + 1)
    )


def test_sections_and_notes(draft: Plan, staff: User) -> None:
    client = signed_in(staff)
    section = draft.sections.order_by("position").first()
    path = reverse("plans:workspace_section", args=[2024, section.pk])
    client.post(path, {f"s{section.pk}-heading": "Организационная работа"})
    section.refresh_from_db()
    assert section.heading == "Организационная работа"
    client.post(reverse("plans:workspace_sections", args=[2024]), {"new-heading": "Новый раздел"})
    assert Section.objects.filter(plan=draft, heading="Новый раздел").exists()
    notes = reverse("plans:workspace_notes", args=[2024])
    client.post(notes, {"text": "Первое примечание.\n\nВторое примечание."})
    draft.refresh_from_db()
    assert [n["text"] for n in draft.notes][-2:] == ["Первое примечание.", "Второе примечание."]


# -- approval, status, versions ---------------------------------------------------------------


def test_the_head_approves_a_draft_plain_staff_may_not(
    draft: Plan, staff: User, head: User
) -> None:
    path = reverse("plans:workspace_approve", args=[2024])
    form = {"body": "Общее собрание Ассоциации", "date": "2024-01-25", "number": "12"}
    assert signed_in(staff).post(path, form).status_code == 403
    assert "только руководство" in signed_in(staff).get(path).content.decode()
    scan = SimpleUploadedFile("decision.pdf", b"%PDF-1.4 signed")
    assert signed_in(head).post(path, form | {"scan": scan}).status_code == 302
    draft.refresh_from_db()
    (version,) = draft.versions.all()
    assert draft.status == Plan.Status.APPROVED
    assert (version.number, version.decision_number, str(version.decision_date)) == (
        1,
        "12",
        "2024-01-25",
    )
    assert version.decision_scan.name


def test_a_scan_that_is_no_pdf_or_image_is_refused(draft: Plan, head: User) -> None:
    path = reverse("plans:workspace_approve", args=[2024])
    scan = SimpleUploadedFile("decision.pdf", b"not a scan")
    page = signed_in(head).post(path, {"body": "Совет", "scan": scan})
    assert page.status_code == 400
    assert "PDF, JPEG или PNG" in page.content.decode()


def test_postponed_and_cancelled_rows_are_amendments_published_as_version_2(
    approved: Plan, staff: User, head: User
) -> None:
    client = signed_in(staff)
    first, second = row_at(approved, 1), row_at(approved, 2)
    postpone = reverse("plans:workspace_postpone", args=[2024, first.pk])
    assert client.post(postpone, {"when_text": "14 марта 2024 г."}).status_code == 400
    assert (
        client.post(postpone, {"when_text": "14 марта 2024 г.", "reason": "Погода"}).status_code
        == 302
    )
    cancel = reverse("plans:workspace_cancel", args=[2024, second.pk])
    assert client.post(cancel, {"reason": ""}).status_code == 400
    assert client.post(cancel, {"reason": "Нет финансирования"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.previous_when_text) == ("postponed", "28 февраля 2024 г.")
    assert second.status == "cancelled"
    pending = Amendment.objects.filter(plan=approved, version__isnull=True)
    assert sorted(pending.values_list("kind", flat=True)) == ["cancelled", "postponed"]

    workspace = client.get(reverse("plans:workspace", args=[2024])).content.decode()
    assert "Неопубликованные изменения (2)" in workspace
    assert "Опубликовать изменения (версия 2)" not in workspace  # plain staff
    as_head = signed_in(head).get(reverse("plans:workspace", args=[2024])).content.decode()
    assert "Опубликовать изменения (версия 2)" in as_head

    publish = reverse("plans:workspace_publish", args=[2024])
    form = {"reason": "Решение Совета", "body": "Совет Ассоциации", "number": "3"}
    assert client.post(publish, form).status_code == 403
    assert signed_in(head).post(publish, form).status_code == 302
    assert list(approved.versions.values_list("number", flat=True)) == [1, 2]
    assert not Amendment.objects.filter(plan=approved, version__isnull=True).exists()


def test_a_row_marked_held(draft: Plan, staff: User) -> None:
    activity = row_at(draft, 3)
    path = reverse("plans:workspace_held", args=[2024, activity.pk])
    assert signed_in(staff).post(path, {"held_text": "5 апреля"}).status_code == 302
    activity.refresh_from_db()
    assert (activity.status, str(activity.held_start)) == ("held", "2024-04-05")


def test_next_years_draft_takes_the_ticked_one_off_rows(draft: Plan, staff: User) -> None:
    client = signed_in(staff)
    path = reverse("plans:workspace_next", args=[2024])
    carried, one_off = actions.carried_over(draft)
    page = client.get(path).content.decode()
    assert f'value="{one_off[0].pk}"' in page
    response = client.post(path, {"one_off": [one_off[0].pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:workspace", args=[2025])
    nxt = Plan.objects.get(year=2025)
    assert nxt.status == Plan.Status.DRAFT
    assert nxt.activities.count() == len(carried) + 1
    assert "2025" in signed_in(staff).get(reverse("plans:staff_plans")).content.decode()


# -- a fixed number of queries ---------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_workspace_runs_the_same_queries_whatever_the_plans_size(
    approved: Plan, staff: User
) -> None:
    from tests.plandoc.builders import generated_plans

    client = signed_in(staff)
    activity = row_at(approved, 1)
    actions.cancel_activity(staff, activity, "Причина")
    small = {
        name: _queries(client, path)
        for name, path in (
            ("table", reverse("plans:workspace", args=[2024])),
            ("list", reverse("plans:staff_plans")),
            ("row", reverse("plans:workspace_row", args=[2024, activity.pk])),
        )
    }
    (data,) = generated_plans(250, (2026,)).values()
    import_plan(data, "plan-2026.docx", status="approved")
    large = Plan.objects.get(year=2026)
    big_row = row_at(large, 120)
    actions.cancel_activity(staff, big_row, "Причина")
    assert large.activities.count() >= 250
    larger = {
        name: _queries(client, path)
        for name, path in (
            ("table", reverse("plans:workspace", args=[2026]) + "?page=2"),
            ("list", reverse("plans:staff_plans")),
            ("row", reverse("plans:workspace_row", args=[2026, big_row.pk])),
        )
    }
    assert small == larger
    assert small == {"table": 11, "list": 3, "row": 9}


def test_a_row_becomes_part_of_another_and_back(client: Client, staff: User, draft: Plan) -> None:
    """The row form's «Входит в строку №»: the parent by its number; a part has no parts."""
    from civicplan.plans.actions import NO_PARENT, RowEdit, change_activity

    session, part, other = (draft.activities.get(position=n) for n in (36, 8, 2))
    change_activity(staff, part, RowEdit(parent_position=36))
    part.refresh_from_db()
    assert part.parent == session
    client.force_login(staff)
    form = client.get(reverse("plans:workspace_row", args=[2024, part.pk])).content.decode()
    assert 'name="parent" value="36"' in form
    with pytest.raises(ValidationError, match="частями бывают только самостоятельные строки"):
        change_activity(staff, other, RowEdit(parent_position=8))  # 8 is a part itself
    with pytest.raises(ValidationError, match="частями бывают только"):
        change_activity(staff, session, RowEdit(parent_position=2))  # 36 has parts
    with pytest.raises(ValidationError, match="В плане нет строки № 99"):
        change_activity(staff, other, RowEdit(parent_position=99))
    change_activity(staff, part, RowEdit(parent_position=NO_PARENT))
    part.refresh_from_db()
    assert part.parent is None

"""A plan's year through `plans.actions`: approval as version 1, amendments with their reasons
collected into version 2, activity status (postponed, cancelled, held), rows added, removed and
moved, next year's draft; who may do which."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from civicplan.accounts.rules import HEAD_GROUP
from civicplan.audit.models import Event
from civicplan.directory.models import Organisation, OrganisationAlias
from civicplan.plandoc import read_plan
from civicplan.plandoc.writers import write_plan
from civicplan.plans import actions
from civicplan.plans.actions import Decision, Party, RowEdit
from civicplan.plans.exporting import plan_document
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Amendment, Plan, PlanVersion
from civicplan.plans.versions import compare, plan_changes, version_document

pytestmark = pytest.mark.django_db

FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("editor", is_staff=True)


@pytest.fixture
def head() -> User:
    user = User.objects.create_user("head", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=HEAD_GROUP)[0])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def draft(seed_bytes: bytes) -> Plan:
    return Plan.objects.get(pk=import_plan(seed_bytes, "plan-2024.txt").plan_id)


@pytest.fixture
def approved(draft: Plan, head: User) -> Plan:
    actions.approve_plan(head, draft, Decision("Общее собрание", date(2024, 1, 25), "3"))
    return Plan.objects.get(pk=draft.pk)


def row(plan: Plan, title: str) -> Activity:
    return plan.activities.get(title__startswith=title)


def png() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(stream, "PNG")
    return stream.getvalue()


# -- approval --------------------------------------------------------------------------------------


def test_the_head_approves_a_draft_as_version_1(draft: Plan, head: User) -> None:
    scan = Decision("Общее собрание", date(2024, 1, 25), "3", "решение.png", png())
    version = actions.approve_plan(head, draft, scan)
    draft.refresh_from_db()
    assert draft.status == Plan.Status.APPROVED
    assert (version.number, version.published_by, version.decision_number) == (1, head, "3")
    assert version.decision_scan.name.endswith(".png")
    assert len(version.document["activities"]) == 37
    assert all(item["uid"] for item in version.document["activities"])
    assert version.document["plan"]["version"]["number"] == 1
    event = Event.objects.get(action="plan.approve")
    assert "Общее собрание от 25.01.2024 № 3" in event.summary


def test_plain_staff_may_edit_but_not_approve(draft: Plan, staff: User) -> None:
    with pytest.raises(PermissionDenied):
        actions.approve_plan(staff, draft, Decision())
    actions.change_activity(staff, row(draft, FORUM), RowEdit(title="Форум"))
    assert draft.activities.filter(title="Форум").exists()
    assert not PlanVersion.objects.exists()


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(draft: Plan, head: User) -> None:
    with pytest.raises(ValidationError, match="не PDF, JPEG или PNG"):
        actions.approve_plan(head, draft, Decision(scan_name="x.png", scan=b"MZ\x90\x00"))
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT
    assert not PlanVersion.objects.exists()


def test_only_a_draft_is_approved(approved: Plan, head: User) -> None:
    with pytest.raises(ValidationError, match="только черновик"):
        actions.approve_plan(head, approved, Decision())


def test_a_plan_imported_as_approved_is_version_1(seed_bytes: bytes) -> None:
    plan = Plan.objects.get(pk=import_plan(seed_bytes, "p.txt", status="approved").plan_id)
    assert list(plan.versions.values_list("number", flat=True)) == [1]
    assert plan_document(plan).version.number == 1


# -- amendments and versions -----------------------------------------------------------------------


def test_changes_of_an_approved_plan_need_a_reason(approved: Plan, staff: User) -> None:
    forum = row(approved, FORUM)
    with pytest.raises(ValidationError, match="основание"):
        actions.change_activity(staff, forum, RowEdit(when_text="11-12 мая 2024 г."))
    forum.refresh_from_db()
    assert forum.when_text != "11-12 мая 2024 г."
    assert not Amendment.objects.exists()


def test_amendments_are_published_as_version_2_with_a_readable_diff(
    approved: Plan, staff: User, head: User
) -> None:
    forum = row(approved, FORUM)
    old_when = forum.when_text
    actions.postpone_activity(staff, forum, "11-12 июня 2024 г.", "Просьба администрации")
    cancelled = approved.activities.get(position=2)
    actions.cancel_activity(staff, cancelled, "Нет финансирования")
    added = actions.add_row(
        staff, approved, RowEdit(title="Семинар для координаторов", when_text="май 2024 г."),
        after=cancelled, reason="Решение Совета",
    )  # fmt: skip
    assert Amendment.objects.filter(version__isnull=True).count() == 3
    assert "с изменениями на" in str(plan_document(approved).version)
    with pytest.raises(PermissionDenied):
        actions.publish_amendments(staff, approved, "")
    version = actions.publish_amendments(head, approved, "")
    assert version.number == 2
    assert "Просьба администрации" in version.reason
    assert not Amendment.objects.filter(version__isnull=True).exists()
    assert str(plan_document(approved).version).startswith("Версия 2 от ")

    newest, first = plan_changes(approved)
    assert (newest.version.number, first.version.number, first.rows) == (2, 1, [])
    by_title = {change.title: change for change in newest.rows}
    moved = by_title[forum.title]
    assert moved.kind == "changed"
    assert ("сроки", old_when, "11-12 июня 2024 г.") in moved.changes
    assert ("состояние", "запланировано", "перенесено") in moved.changes
    assert moved.reasons == ["Просьба администрации"]
    assert ("состояние", "запланировано", "отменено") in by_title[cancelled.title].changes
    assert by_title[added.title].kind == "added"
    with pytest.raises(ValidationError, match="Нет неопубликованных"):
        actions.publish_amendments(head, approved, "")


def test_version_1_keeps_the_old_dates_as_it_stood(approved: Plan, staff: User) -> None:
    forum = row(approved, FORUM)
    old = (forum.start, forum.end)
    actions.postpone_activity(staff, forum, "11-12 июня 2024 г.", "Перенос")
    first = version_document(approved.versions.get(number=1))
    assert str(first.version).startswith("Версия 1 от ")
    back = read_plan(write_plan(first, "docx"), "v1.docx")
    [was] = [a for a in back.activities if a.title.startswith(FORUM)]
    assert (was.when.start, was.when.end) == old
    now = read_plan(write_plan(plan_document(approved), "docx"), "now.docx")
    [moved] = [a for a in now.activities if a.title.startswith(FORUM)]
    assert (moved.when.start, moved.when.end) == (date(2024, 6, 11), date(2024, 6, 12))


def test_a_removed_row_shows_as_removed(approved: Plan, staff: User, head: User) -> None:
    gone = approved.activities.get(position=3)
    actions.remove_row(staff, gone, "Дублирует строку 5")
    actions.publish_amendments(head, approved, "Уточнение плана")
    [change] = plan_changes(approved)[0].rows
    assert (change.kind, change.title, change.reasons) == (
        "removed",
        gone.title,
        ["Дублирует строку 5"],
    )
    assert list(approved.activities.values_list("position", flat=True)) == list(range(1, 37))


def test_compare_reads_a_venue_and_responsible_change() -> None:
    def json_row(place: str, party: str) -> dict:
        return {
            "uid": "u", "title": "Форум", "when": {"text": "май"}, "format": None,
            "place": {"text": place}, "responsible": [{"name": party}], "status": "planned",
        }  # fmt: skip

    [change] = compare(
        {"activities": [json_row("г. Пермь", "Администрация г. Перми")]},
        {"activities": [json_row("г. Казань", "Администрация г. Казани")]},
    )
    assert change.changes == [
        ("место проведения", "г. Пермь", "г. Казань"),
        ("ответственные", "Администрация г. Перми", "Администрация г. Казани"),
    ]


# -- activity status -------------------------------------------------------------------------------


def test_postponed_keeps_the_old_time_frame_and_raises_the_sequence(
    approved: Plan, staff: User
) -> None:
    forum = row(approved, FORUM)
    old, sequence = forum.when_text, forum.sequence
    actions.postpone_activity(staff, forum, "11-12 июня 2024 г.", "Просьба администрации")
    forum.refresh_from_db()
    assert (forum.status, forum.previous_when_text, forum.status_reason) == (
        "postponed", old, "Просьба администрации",
    )  # fmt: skip
    assert (forum.start, forum.end) == (date(2024, 6, 11), date(2024, 6, 12))
    assert forum.sequence == sequence + 1
    assert forum.status_changed is not None
    amendment = Amendment.objects.get()
    assert (amendment.kind, amendment.summary) == ("postponed", f"{old} → 11-12 июня 2024 г.")


def test_postponing_needs_a_new_time_frame_and_a_reason(approved: Plan, staff: User) -> None:
    forum = row(approved, FORUM)
    with pytest.raises(ValidationError, match="новые сроки"):
        actions.postpone_activity(staff, forum, forum.when_text, "Причина")
    with pytest.raises(ValidationError, match="причину переноса"):
        actions.postpone_activity(staff, forum, "июнь 2024 г.", " ")


def test_cancelled_and_held(approved: Plan, staff: User) -> None:
    forum = row(approved, FORUM)
    actions.cancel_activity(staff, forum, "Нет финансирования")
    forum.refresh_from_db()
    assert (forum.status, forum.status_reason) == ("cancelled", "Нет финансирования")
    with pytest.raises(ValidationError, match="уже отменено"):
        actions.cancel_activity(staff, forum, "Ещё раз")
    other = approved.activities.get(position=1)
    actions.mark_held(staff, other, "12-13 мая")
    other.refresh_from_db()
    assert (other.status, other.held_start, other.held_end) == (
        "held", date(2024, 5, 12), date(2024, 5, 13),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="даты проведения"):
        actions.mark_held(staff, other, "когда-нибудь")


# -- rows edited in the workspace ------------------------------------------------------------------


def test_an_organisation_picked_by_its_alias(draft: Plan, staff: User) -> None:
    perm = Organisation.objects.get(name="Администрация г. Перми")
    OrganisationAlias.objects.create(organisation=perm, text="Мэрия Перми")
    forum = row(draft, FORUM)
    actions.change_activity(
        staff,
        forum,
        RowEdit(
            responsible=[
                Party("organiser", perm.pk, "Мэрия Перми"),
                Party("supporter", None, "Фонд «Здоровье»"),
            ]
        ),
    )
    forum.refresh_from_db()
    links = list(forum.responsibilities.order_by("position"))
    assert [(link.organisation, link.role, link.written_as) for link in links[:1]] == [
        (perm, "organiser", "Мэрия Перми")
    ]
    assert links[1].organisation.name == "Фонд «Здоровье»"
    assert forum.responsible_text == "Организатор: Мэрия Перми; при поддержке: Фонд «Здоровье»"


def test_a_new_place_text_reads_its_places(draft: Plan, staff: User) -> None:
    forum = row(draft, FORUM)
    actions.change_activity(staff, forum, RowEdit(place_text="г. Казань, онлайн"))
    forum.refresh_from_db()
    assert [p.place.city for p in forum.places.select_related("place") if p.place] == ["Казань"]


def test_rows_added_moved_and_removed_keep_positions_dense(draft: Plan, staff: User) -> None:
    first = draft.activities.get(position=1)
    added = actions.add_row(staff, draft, RowEdit(title="Новая строка", when_text="март"), first)
    assert added.position == 2
    assert (added.start, added.precision) == (date(2024, 3, 1), "month")
    actions.move_row(staff, added, 10)
    assert draft.activities.get(position=10) == added
    actions.move_row(staff, added, 1)
    assert draft.activities.get(position=1) == added
    assert draft.activities.get(position=2) == first
    actions.remove_row(staff, added)
    assert list(draft.activities.values_list("position", flat=True)) == list(range(1, 38))
    assert draft.activities.get(position=1) == first
    assert (
        Event.objects.filter(
            action__in=("activity.create", "activity.move", "activity.delete")
        ).count()
        == 4
    )


def test_sections_and_notes(draft: Plan, staff: User) -> None:
    section = actions.add_section(staff, draft, "Новый раздел")
    actions.change_section(staff, section, "Раздел  переименован")
    section.refresh_from_db()
    assert section.heading == "Раздел переименован"
    actions.change_notes(staff, draft, ["Примечание в конце", " "])
    draft.refresh_from_db()
    assert draft.notes[-1] == {"text": "Примечание в конце", "after": 37}


# -- next year -------------------------------------------------------------------------------------


def test_next_years_draft_carries_recurring_rows_and_the_ticked_ones(
    approved: Plan, staff: User
) -> None:
    carried, one_off = actions.carried_over(approved)
    assert carried
    assert one_off
    ticked = one_off[0]
    proposal_plan = actions.draft_plan(None, 2025, "План на 2025 год")
    proposal = actions.add_row(None, proposal_plan, RowEdit(title="Предложение члена"))
    draft = actions.next_year_draft(staff, approved, [ticked.pk])
    assert (draft.pk, draft.year) == (proposal_plan.pk, 2025)
    titles = list(draft.activities.order_by("position").values_list("title", flat=True))
    assert titles[-1] == proposal.title
    assert len(titles) == len(carried) + 2
    moved = draft.activities.get(title=ticked.title)
    assert moved.start.year == 2025 or moved.start is None
    for row in carried:
        activity = Activity.objects.get(pk=row.pk)
        again = draft.activities.get(title=activity.title, position__lt=len(titles))
        if activity.start:
            assert again.start == activity.start.replace(year=2025)


def test_next_year_text() -> None:
    assert actions._next_year_text("25.03.2024 г.", 2024) == "25.03.2025 г."
    assert actions._next_year_text("25.03.24", 2024) == "25.03.25"
    assert actions._next_year_text("в течение 2024 года", 2024) == "в течение 2025 года"
    assert actions._next_year_text("12024", 2024) == "12024"


def test_next_years_draft_made_again_takes_no_row_twice(approved: Plan, staff: User) -> None:
    _carried, one_off = actions.carried_over(approved)
    first = actions.next_year_draft(staff, approved, [one_off[0].pk])
    count = first.activities.count()
    again = actions.next_year_draft(staff, approved, [one_off[0].pk, one_off[1].pk])
    assert again.pk == first.pk
    assert again.activities.count() == count + 1


def test_a_row_taken_out_of_its_section(draft: Plan, staff: User) -> None:
    forum = row(draft, FORUM)
    assert forum.section_id is not None
    actions.change_activity(staff, forum, RowEdit(section_id=actions.NO_SECTION))
    forum.refresh_from_db()
    assert forum.section_id is None
    added = actions.add_row(staff, draft, RowEdit(title="Без раздела", section_id=0), forum)
    assert added.section_id is None

"""Writing an activity: SEQUENCE for calendars, the time frame read again, places and
organisations linked as the import links them, the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.test import Client

from civicplan.audit.models import Event
from civicplan.directory.models import Organisation
from civicplan.directory.queries import organisation_index
from civicplan.plandoc.understand import read_activity
from civicplan.plans import actions
from civicplan.plans.actions import append_activity, save_activity
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Amendment

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(seed_bytes: bytes) -> Activity:
    import_plan(seed_bytes, "plan-2024.txt")
    return Activity.objects.get(position=1)


def test_new_time_frame_text_is_read_and_raises_sequence(activity: Activity) -> None:
    editor = User.objects.create_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="change_activity"))
    editor = User.objects.get(pk=editor.pk)
    activity.when_text = "II квартал"
    save_activity(activity, editor, ["when_text"])
    activity.refresh_from_db()
    assert (activity.start, activity.end, activity.precision, activity.sequence) == (
        date(2024, 4, 1),
        date(2024, 6, 30),
        "quarter",
        1,
    )
    event = Event.objects.filter(action="activity.change").get()
    assert event.actor == editor
    assert "when_text" in event.summary


def test_a_change_of_notes_only_keeps_the_sequence(activity: Activity) -> None:
    activity.notes = ["по предложению г. Перми"]
    save_activity(activity, None, ["notes"])
    activity.refresh_from_db()
    assert activity.sequence == 0


def test_without_the_permission_nothing_changes(activity: Activity) -> None:
    nobody = User.objects.create_user("nobody")
    activity.title = "Другое"
    with pytest.raises(PermissionDenied):
        save_activity(activity, nobody, ["title"])
    assert Activity.objects.get(pk=activity.pk).title != "Другое"


@pytest.mark.parametrize("approved", [False, True], ids=["draft", "approved"])
def test_admin_edit_goes_through_the_action(
    activity: Activity, client: Client, approved: bool
) -> None:
    if approved:
        actions.approve_plan(None, activity.plan, actions.Decision())
    admin = User.objects.create_superuser("root", "", "x")
    client.force_login(admin)
    url = f"/admin/plans/activity/{activity.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "plan": activity.plan_id,
        "section": activity.section_id,
        "position": activity.position,
        "when_text": activity.when_text,
        "start": "2024-03-01",
        "end": "2024-03-01",
        "precision": "day",
        "recurrence": "",
        "title": activity.title,
        "kind": activity.kind,
        "involvement": activity.involvement,
        "format": activity.format,
        "place_text": activity.place_text,
        "responsible_text": activity.responsible_text,
        "notes": "[]",
        "status": "cancelled",
        "places-TOTAL_FORMS": "0",
        "places-INITIAL_FORMS": "0",
        "responsibilities-TOTAL_FORMS": "0",
        "responsibilities-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert (activity.status, activity.start, activity.sequence) == (
        "cancelled",
        date(2024, 3, 1),
        1,
    )
    amendments = list(Amendment.objects.values_list("reason", "summary"))
    if approved:  # a change of an approved plan, through the admin too, is an amendment
        [(reason, summary)] = amendments
        assert reason == "Изменено в администрировании сайта."
        assert "status" in summary
    else:
        assert amendments == []


def test_a_row_appended_links_what_the_import_linked(activity: Activity) -> None:
    """An activity added after the import (an included proposal, a row added by staff) is
    written by the same function: the same places and organisations, the search column, the
    audit event."""
    plan = activity.plan
    imported = Activity.objects.get(plan=plan, place_text__contains="Пермь")
    row, problems = read_activity(
        {
            "when": "15 сентября",
            "title": "Семинар для координаторов",
            "place": imported.place_text,
            "responsible": "Админстрация г. Перми",  # a typo of the imported spelling
        },
        position=0,
        year=plan.year,
        index=organisation_index(),
    )
    assert [problem.field for problem in problems] == ["responsible"]
    added = append_activity(None, plan, row, "добавлено дирекцией", {"by": "test"})
    assert added.position == plan.activities.count()
    assert added.start == date(2024, 9, 15)
    assert {p.place_id for p in added.places.all()} == {p.place_id for p in imported.places.all()}
    perm = Organisation.objects.get(name="Администрация г. Перми")
    assert [link.organisation for link in added.responsibilities.all()] == [perm]
    assert {"пермь", "=семинар"} <= set(added.search_lemmas.split())
    assert {"perm", "=seminar"} <= set(added.search_latin.split())
    event = Event.objects.get(action="activity.create")
    assert event.data == {"activity": added.pk, "plan": plan.pk, "by": "test"}


def test_only_who_may_change_plans_appends(activity: Activity) -> None:
    row, _problems = read_activity({"when": "май", "title": "Лишняя строка"}, position=0)
    with pytest.raises(PermissionDenied):
        append_activity(User.objects.create_user("nobody"), activity.plan, row, "", {})
    assert not Activity.objects.filter(title="Лишняя строка").exists()

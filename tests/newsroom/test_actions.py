"""The submission's state machine through the actions: every allowed and refused transition,
the history row and audit event of each step, permissions, and what publishing does."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from civicplan.accounts.models import SenderAddress
from civicplan.audit.models import Event
from civicplan.directory.models import Organisation
from civicplan.newsroom import actions
from civicplan.newsroom.models import Submission, SubmissionEvent
from civicplan.plans.models import Activity
from tests.newsroom.conftest import Make

pytestmark = pytest.mark.django_db

Status = Submission.Status
Kind = Submission.Kind

# Which states each action may start from (the rest are refused).
ALLOWED = {
    "publish": {Status.RECEIVED, Status.IN_REVIEW},
    "request_changes": {Status.RECEIVED, Status.IN_REVIEW},
    "reject": {Status.RECEIVED, Status.IN_REVIEW, Status.QUARANTINE},
    "accept": {Status.QUARANTINE},
    "resubmit": {Status.CHANGES_REQUESTED},
    "include": {Status.RECEIVED, Status.IN_REVIEW},
}
RESULT = {
    "publish": Status.PUBLISHED,
    "request_changes": Status.CHANGES_REQUESTED,
    "reject": Status.REJECTED,
    "accept": Status.IN_REVIEW,
    "resubmit": Status.IN_REVIEW,
    "include": Status.INCLUDED,
}
REASON = {"request_changes": "Добавьте фотографии", "reject": "Не по теме Ассоциации"}


def _run(action: str, submission: Submission, staff: User, coordinator: User) -> User:
    """Do `action` as the role that may do it; returns that actor."""
    if action == "publish":
        actions.publish(staff, submission)
    elif action in REASON:
        getattr(actions, action)(staff, submission, REASON[action])
    elif action == "accept":
        organisation = Organisation.objects.get(name="Администрация города Перми")
        actions.accept_quarantined(staff, submission, organisation, remember_sender=False)
    elif action == "resubmit":
        submission.text = "Исправленный текст"
        actions.resubmit(coordinator, submission, ["text"])
        return coordinator
    elif action == "include":
        actions.include_proposal(staff, submission)
    return staff


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("status", Status.values)
def test_every_transition_is_allowed_or_refused(
    action: str, status: str, make: Make, staff: User, coordinator: User
) -> None:
    kind = Kind.PROPOSAL if action == "include" else Kind.POST_RELEASE
    submission = make(
        kind=kind,
        status=status,
        proposal_year=2031,
        proposal_when="II квартал",
        proposal_place="г. Пермь",
    )
    before = submission.history.count()
    if status in ALLOWED[action]:
        actor = _run(action, submission, staff, coordinator)
        submission.refresh_from_db()
        assert submission.status == RESULT[action]
        step = submission.history.last()
        assert (step.from_status, step.to_status, step.actor) == (status, RESULT[action], actor)
        assert step.reason.startswith(REASON.get(action, "")[:10])
        event = Event.objects.filter(action=f"submission.{step.action}").latest("id")
        assert event.actor == actor
        assert event.data == {"submission": submission.pk, "from": status, "to": RESULT[action]}
        if action in REASON:
            assert step.reason == REASON[action] == event.summary
    else:
        # Resubmitting is the author's right only while changes are requested (a rule).
        refusal = PermissionDenied if action == "resubmit" else ValidationError
        with pytest.raises(refusal) as refused:
            _run(action, submission, staff, coordinator)
        if refusal is ValidationError:
            assert refused.value.code == "state"
            assert "невозможно" in refused.value.messages[0] or "уже" in refused.value.messages[0]
        submission.refresh_from_db()
        assert submission.status == status
        assert submission.history.count() == before


def test_a_submission_starts_received_then_in_review(make: Make, coordinator: User) -> None:
    submission = make()
    steps = list(submission.history.values_list("action", "from_status", "to_status", "actor"))
    assert steps == [
        ("receive", "", Status.RECEIVED, coordinator.pk),
        ("review", Status.RECEIVED, Status.IN_REVIEW, coordinator.pk),
    ]
    assert submission.organisation.name == "Администрация города Перми"  # the coordinator's


def test_the_full_life_with_history(make: Make, staff: User, coordinator: User) -> None:
    submission = make()
    actions.request_changes(staff, submission, "Нужна подпись под фото")
    submission.title = "Пост-релиз форума (исправлено)"
    actions.resubmit(coordinator, submission, ["title"])
    actions.edit(staff, submission, ["text"])
    actions.publish(staff, submission)
    steps = list(submission.history.values_list("action", "to_status", "actor", "reason"))
    assert steps == [
        ("receive", Status.RECEIVED, coordinator.pk, ""),
        ("review", Status.IN_REVIEW, coordinator.pk, ""),
        ("request_changes", Status.CHANGES_REQUESTED, staff.pk, "Нужна подпись под фото"),
        ("resubmit", Status.IN_REVIEW, coordinator.pk, "title"),
        ("edit", Status.IN_REVIEW, staff.pk, "text"),
        ("publish", Status.PUBLISHED, staff.pk, ""),
    ]
    assert submission.published is not None
    audited = list(
        Event.objects.filter(action__startswith="submission.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert audited == [
        "submission.receive",
        "submission.review",
        "submission.request_changes",
        "submission.resubmit",
        "submission.edit",
        "submission.publish",
    ]


@pytest.mark.parametrize(
    ("action", "reason"), [("request_changes", "  "), ("reject", ""), ("request_changes", "")]
)
def test_sending_back_or_rejecting_needs_a_reason(
    action: str, reason: str, make: Make, staff: User
) -> None:
    submission = make()
    with pytest.raises(ValidationError) as refused:
        getattr(actions, action)(staff, submission, reason)
    assert refused.value.code == "required"
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW


def test_a_proposal_is_not_published(make: Make, staff: User) -> None:
    proposal = make(kind=Kind.PROPOSAL, proposal_year=2031)
    with pytest.raises(ValidationError) as refused:
        actions.publish(staff, proposal)
    assert refused.value.code == "kind"


def test_only_proposals_are_included(make: Make, staff: User) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.include_proposal(staff, make())
    assert refused.value.code == "kind"


@pytest.mark.parametrize("role", ["coordinator", "other_coordinator", "anonymous"])
def test_only_the_directorate_moderates(
    role: str, make: Make, request: pytest.FixtureRequest
) -> None:
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    submission = make()
    moderations = [
        lambda: actions.publish(actor, submission),
        lambda: actions.request_changes(actor, submission, "x"),
        lambda: actions.reject(actor, submission, "x"),
        lambda: actions.edit(actor, submission, ["title"]),
        lambda: actions.confirm_activity(actor, submission, None),
    ]
    for moderate in moderations:
        with pytest.raises(PermissionDenied):
            moderate()
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW


def test_another_organisations_coordinator_cannot_resubmit(
    make: Make, staff: User, other_coordinator: User
) -> None:
    submission = make()
    actions.request_changes(staff, submission, "Добавьте дату")
    with pytest.raises(PermissionDenied):
        actions.resubmit(other_coordinator, submission, ["text"])


@pytest.mark.parametrize("remember", [True, False])
def test_accepting_from_quarantine_can_remember_the_address(
    remember: bool, quarantined: Submission, staff: User, perm_city: Organisation
) -> None:
    assert quarantined.history.get().to_status == Status.QUARANTINE
    actions.accept_quarantined(staff, quarantined, perm_city, remember_sender=remember)
    quarantined.refresh_from_db()
    assert (quarantined.status, quarantined.organisation) == (Status.IN_REVIEW, perm_city)
    remembered = SenderAddress.objects.filter(email="press@perm.example")
    assert remembered.exists() is remember
    if remember:
        assert remembered.get().organisation == perm_city
        assert remembered.get().added_by == staff


def test_confirming_the_guessed_activity(make: Make, staff: User, activity: Activity, plan) -> None:
    submission = make(activity_guess=activity, activity_guess_reason="название и город")
    actions.confirm_activity(staff, submission, activity)
    assert Submission.objects.get(pk=submission.pk).activity == activity
    other = plan.activities.get(position=1)
    actions.confirm_activity(staff, submission, other)
    assert Submission.objects.get(pk=submission.pk).activity == other
    actions.confirm_activity(staff, submission, None)
    assert Submission.objects.get(pk=submission.pk).activity is None
    assert Event.objects.filter(action="submission.activity", actor=staff).count() == 3


def test_publishing_a_post_release_marks_its_activity_held(
    make: Make, staff: User, activity: Activity, client: Client
) -> None:
    before = client.get(f"/activities/{activity.pk}.ics").content.decode()
    assert "SEQUENCE" not in before or "SEQUENCE:0" in before
    submission = make(activity=activity)
    actions.publish(staff, submission)
    activity.refresh_from_db()
    assert (activity.status, activity.sequence) == (Activity.Status.HELD, 1)
    after = client.get(f"/activities/{activity.pk}.ics").content.decode()
    assert "SEQUENCE:1" in after
    # Publishing a second post-release does not bump it again: nothing changed.
    actions.publish(staff, make("Ещё один пост-релиз", activity=activity))
    activity.refresh_from_db()
    assert activity.sequence == 1


def test_a_press_release_leaves_its_activity_planned(
    make: Make, staff: User, activity: Activity
) -> None:
    actions.publish(staff, make(kind=Kind.PRESS_RELEASE, activity=activity))
    activity.refresh_from_db()
    assert (activity.status, activity.sequence) == (Activity.Status.PLANNED, 0)


def test_sending_back_and_rejecting_mail_the_author(
    make: Make,
    staff: User,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CIVICPLAN_SITE_URL = "http://testserver"
    first, second = make(), make("Пресс-релиз", kind=Kind.PRESS_RELEASE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_changes(staff, first, "Добавьте подписи к фотографиям")
        actions.reject(staff, second, "Материал не о здоровом городе")
    assert [message.to for message in mail.outbox] == [["perm@example.org"], ["perm@example.org"]]
    assert "Добавьте подписи к фотографиям" in mail.outbox[0].body
    assert "Материал не о здоровом городе" in mail.outbox[1].body


def test_edit_cleans_the_html_again(make: Make, staff: User) -> None:
    submission = make(html="<p>Текст</p>")
    submission.html = '<p onclick="x()">Новый <script>alert(1)</script>текст</p>'
    actions.edit(staff, submission, ["html"])
    assert Submission.objects.get(pk=submission.pk).html == "<p>Новый текст</p>"


def test_history_is_kept_in_order(make: Make, staff: User) -> None:
    submission = make()
    actions.reject(staff, submission, "Дубликат")
    assert list(SubmissionEvent.objects.filter(submission=submission).values_list("action")) == [
        ("receive",),
        ("review",),
        ("reject",),
    ]

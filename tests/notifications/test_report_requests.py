"""Requests for an activity's closing report: once, a few days after its end, to the coordinators
of its organisations, never for an activity reported or cancelled; and the post-release request
points at the report's form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from civicplan.notifications import schedule
from civicplan.notifications.models import SentNotification
from civicplan.outbox.models import OutgoingMessage
from civicplan.plans import actions as plans
from civicplan.reports import actions as reports
from civicplan.reports.actions import ReportData
from tests.notifications.conftest import run_scheduler, to

pytestmark = pytest.mark.django_db

SUBJECT = "Заполните отчёт о мероприятии: "


def report_requests(envelopes, address, activity):
    return [
        m
        for m in to(envelopes, address)
        if m.subject.startswith(SUBJECT) and activity.get_absolute_url() in m.body("plain")
    ]


def form(activity) -> str:
    return f"https://plan.example.org/activities/{activity.pk}/report/"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("editor", email="editor@example.org", is_staff=True)


def test_one_request_a_few_days_after_the_end_and_never_again(
    sink, dated, coordinator, bystander
) -> None:
    for days in (0, 1, 2):
        run_scheduler(dated.end + timedelta(days=days))
    assert not report_requests(sink, coordinator.email, dated)

    run_scheduler(dated.end + timedelta(days=3))
    [request] = report_requests(sink, coordinator.email, dated)
    assert request.subject[len(SUBJECT) :][:40] == dated.title[:40]
    assert "?kind=report_requests" in request.header("List-Unsubscribe")
    assert request.header("Reply-To") is None
    text, html = request.body("plain"), request.body("html")
    assert f"Заполнить отчёт: {form(dated)}" in text
    assert f'href="{form(dated)}"' in html
    for asked in ("число участников;", "итоги в нескольких предложениях;", "фотографии."):
        assert asked in text
        assert asked in html
    assert not to(sink, bystander.email)
    [row] = SentNotification.objects.filter(key__startswith="report_requests:")
    assert row.kind == "report_requests"
    assert row.activity == dated
    assert row.recipient == coordinator.email
    # the letter is kept in the outbox, as every letter
    assert OutgoingMessage.objects.filter(subject=request.subject).count() == 1

    for days in (3, 4, 8, 15, 30, 40):
        run_scheduler(dated.end + timedelta(days=days))
    assert len(report_requests(sink, coordinator.email, dated)) == 1


def test_no_request_for_a_reported_activity(sink, dated, coordinator) -> None:
    reports.save_report(coordinator, dated, ReportData(participants=40))
    for days in (1, 3, 8):
        run_scheduler(dated.end + timedelta(days=days))
    assert not report_requests(sink, coordinator.email, dated)


def test_a_queued_request_is_not_sent_once_the_report_is_saved(sink, dated, coordinator) -> None:
    found = schedule.report_requests_due(dated.end + timedelta(days=3))
    assert [item.args[:2] for item in found] == [(dated.pk, coordinator.pk)]
    reports.save_report(coordinator, dated, ReportData(participants=40))
    for item in found:
        assert item.task.call(*item.args) is False
    assert not report_requests(sink, coordinator.email, dated)


def test_no_request_for_a_cancelled_activity(sink, staff, dated, coordinator) -> None:
    plans.cancel_activity(staff, dated, "Не состоялось")
    run_scheduler(dated.end + timedelta(days=3))
    assert not report_requests(sink, coordinator.email, dated)


def test_an_activity_marked_held_without_a_report_is_asked_for_one(
    sink, staff, dated, coordinator
) -> None:
    plans.mark_held(staff, dated)
    run_scheduler(dated.end + timedelta(days=3))
    assert len(report_requests(sink, coordinator.email, dated)) == 1


def test_a_postponed_activity_is_asked_about_after_its_new_end(
    sink, staff, dated, coordinator
) -> None:
    old_end = dated.end
    plans.postpone_activity(staff, dated, "15 ноября 2024 г.", "Перенос по просьбе мэрии")
    dated.refresh_from_db()
    run_scheduler(old_end + timedelta(days=3))
    assert not report_requests(sink, coordinator.email, dated)
    run_scheduler(dated.end + timedelta(days=3))
    assert len(report_requests(sink, coordinator.email, dated)) == 1


@pytest.mark.parametrize(("late", "asked"), [(30, True), (31, False)])
def test_a_late_scheduler_asks_within_the_window_only(
    settings, sink, dated, coordinator, late, asked
) -> None:
    settings.CIVICPLAN_POST_RELEASE_WINDOW_DAYS = 30
    run_scheduler(dated.end + timedelta(days=late))
    assert len(report_requests(sink, coordinator.email, dated)) == int(asked)


def test_the_post_release_request_points_at_the_report_form(sink, dated, coordinator) -> None:
    run_scheduler(dated.end + timedelta(days=1))
    [request] = [m for m in to(sink, coordinator.email) if "пост-релиз:" in m.subject]
    text, html = request.body("plain"), request.body("html")
    assert "внесите в отчёт о мероприятии" in text
    assert form(dated) in text
    assert "внесите в отчёт о мероприятии" in html
    assert f'href="{form(dated)}"' in html

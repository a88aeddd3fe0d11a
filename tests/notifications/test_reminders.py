"""Reminders N days before an activity, to its organisations' coordinators, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.text import Truncator

from civicplan.notifications import schedule
from civicplan.notifications.models import SentNotification
from tests.notifications.conftest import run_scheduler, to

pytestmark = pytest.mark.django_db


def about(envelopes, address, activity):
    """The reminders to `address` about `activity`."""
    return [
        m
        for m in to(envelopes, address)
        if m.subject.startswith("Напоминание") and activity.get_absolute_url() in m.body("plain")
    ]


def test_a_reminder_n_days_before_goes_to_the_responsible_coordinators_once(
    settings, sink, dated, coordinator, bystander
) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    run_scheduler(dated.start - timedelta(days=8))
    assert not about(sink, coordinator.email, dated)

    run_scheduler(dated.start - timedelta(days=7))
    [reminder] = about(sink, coordinator.email, dated)
    title = Truncator(dated.title).chars(80)
    assert reminder.subject == f"Напоминание: {title}, {dated.when_text}"
    text = reminder.body("plain")
    assert text.startswith("Здравствуйте, Анна!")
    assert "точная дата уточняется" not in text
    assert f"https://plan.example.org{dated.get_absolute_url()}" in text
    html = reminder.body("html")
    assert f'href="https://plan.example.org{dated.get_absolute_url()}"' in html
    assert not to(sink, bystander.email)

    sent = len(sink)
    run_scheduler(dated.start - timedelta(days=7))  # the scheduler again, the same day
    run_scheduler(dated.start - timedelta(days=6))  # and the next day
    assert len(sink) == sent
    assert SentNotification.objects.filter(kind="reminders", activity=dated).count() == 1


def test_the_days_come_from_settings(settings, sink, dated, coordinator) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [3, 1]
    run_scheduler(dated.start - timedelta(days=7))
    assert not about(sink, coordinator.email, dated)
    run_scheduler(dated.start - timedelta(days=3))
    run_scheduler(dated.start - timedelta(days=2))
    run_scheduler(dated.start - timedelta(days=1))
    assert len(about(sink, coordinator.email, dated)) == 2


def test_the_scheduler_twice_before_the_worker_still_sends_once(
    settings, sink, dated, coordinator
) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    today = dated.start - timedelta(days=7)
    first, second = schedule.due(today), schedule.due(today)
    assert first
    assert [d.key for d in first] == [d.key for d in second]
    for item in [*first, *second]:
        item.task.call(*item.args)
    assert len(sink) == len(first)


def test_a_month_activity_is_reminded_of_before_its_month_with_the_date_to_be_settled(
    settings, sink, plan, coordinator
) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    activity = plan.activities.filter(precision="month").order_by("start").first()
    assert activity.start.day == 1
    coordinator.coordinator.organisation = activity.responsibilities.first().organisation
    coordinator.coordinator.save()
    run_scheduler(activity.start - timedelta(days=7))
    [reminder] = about(sink, coordinator.email, activity)
    assert "точная дата уточняется" in reminder.body("plain")
    assert "точная дата уточняется" in reminder.body("html")


def test_a_year_long_activity_has_no_reminder(settings, sink, plan, coordinator) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    activity = plan.activities.filter(precision="year").first()
    coordinator.coordinator.organisation = activity.responsibilities.first().organisation
    coordinator.coordinator.save()
    run_scheduler(activity.start - timedelta(days=7))
    assert not about(sink, coordinator.email, activity)


def test_a_queued_reminder_checks_again_when_it_runs(settings, sink, dated, coordinator) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    found = schedule.due(dated.start - timedelta(days=7))
    dated.status = "cancelled"
    dated.save()
    for item in found:
        item.task.call(*item.args)
    assert not about(sink, coordinator.email, dated)


def test_no_reminder_to_an_inactive_coordinator(settings, sink, dated, coordinator) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    coordinator.is_active = False
    coordinator.save()
    run_scheduler(dated.start - timedelta(days=7))
    assert not to(sink, coordinator.email)


def test_a_draft_plan_has_no_reminders(settings, sink, dated, coordinator) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7]
    dated.plan.status = "draft"
    dated.plan.save()
    run_scheduler(dated.start - timedelta(days=7))
    assert not to(sink, coordinator.email)

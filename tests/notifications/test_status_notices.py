"""A postponed or cancelled activity is e-mailed to its organisations' coordinators, once per
change, over SMTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicplan.notifications.models import SentNotification
from civicplan.plans import actions
from tests.notifications.conftest import run_scheduler, to

pytestmark = pytest.mark.django_db


def notices(envelopes, address):
    return [m for m in to(envelopes, address) if m.subject.startswith(("Перенесено", "Отменено"))]


def test_a_postponement_and_then_a_cancellation_each_go_once(
    sink, dated, coordinator, bystander
) -> None:
    old = dated.when_text
    actions.postpone_activity(None, dated, "1-2 декабря 2024 г.", "Просьба администрации")
    today = timezone.localdate()
    run_scheduler(today)
    run_scheduler(today)  # the next round of the worker sends nothing again
    [notice] = notices(sink, coordinator.email)
    assert notice.subject.startswith("Перенесено: ")
    assert notice.subject.endswith(", теперь 1-2 декабря 2024 г.")
    text = notice.body("plain")
    assert f"прежние сроки: {old}" in text
    assert "Причина: Просьба администрации" in text
    assert f"https://plan.example.org{dated.get_absolute_url()}" in text
    assert "Просьба администрации" in notice.body("html")
    assert not notices(sink, bystander.email)

    actions.cancel_activity(None, dated, "Нет финансирования")
    run_scheduler(today)
    cancelled = notices(sink, coordinator.email)[-1]
    assert cancelled.subject.startswith("Отменено: ")
    assert "Причина: Нет финансирования" in cancelled.body("plain")
    assert SentNotification.objects.filter(kind="status_notices").count() == 2


def test_an_old_change_is_not_announced(sink, dated, coordinator) -> None:
    actions.cancel_activity(None, dated, "Нет финансирования")
    run_scheduler(timezone.localdate() + timedelta(days=8))
    assert not notices(sink, coordinator.email)


def test_a_task_for_a_superseded_change_sends_nothing(sink, dated, coordinator) -> None:
    from civicplan.notifications import schedule

    actions.postpone_activity(None, dated, "1-2 декабря 2024 г.", "Перенос")
    today = timezone.localdate()
    [due] = schedule.status_notices_due(today)
    actions.cancel_activity(None, dated, "Отмена")
    assert due.task.call(*due.args) is False
    assert not notices(sink, coordinator.email)

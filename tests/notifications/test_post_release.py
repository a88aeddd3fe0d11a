"""Requests for a post-release after an activity ends: one, a second a week later, never a third,
and none once a post-release about it is published."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civicplan.newsroom import actions
from civicplan.newsroom.models import Submission
from tests.notifications.conftest import run_scheduler, to

pytestmark = pytest.mark.django_db


def requests(envelopes, address, activity):
    return [
        m
        for m in to(envelopes, address)
        if "пост-релиз:" in m.subject and activity.get_absolute_url() in m.body("plain")
    ]


def publish_post_release(activity) -> Submission:
    submission = Submission.objects.create(
        kind=Submission.Kind.POST_RELEASE,
        title="Как прошла конференция",
        text="Собрались, обсудили.",
        status=Submission.Status.IN_REVIEW,
        source=Submission.Source.FORM,
        organisation=activity.responsibilities.first().organisation,
        activity=activity,
    )
    return actions.publish(None, submission)


def test_a_request_after_the_end_another_a_week_later_and_no_third(
    settings, sink, dated, coordinator, bystander
) -> None:
    settings.CIVICPLAN_NEWS_ADDRESSES = ["news@plan.example.org"]
    run_scheduler(dated.end)
    assert not requests(sink, coordinator.email, dated)

    run_scheduler(dated.end + timedelta(days=1))
    [first] = requests(sink, coordinator.email, dated)
    assert first.subject.startswith("Пришлите пост-релиз: ")
    assert first.header("Reply-To") == "news@plan.example.org"
    assert "?kind=post_release_requests" in first.header("List-Unsubscribe")
    assert "news@plan.example.org" in first.body("plain")
    form = f"https://plan.example.org/account/submit/?kind=post_release&amp;activity={dated.pk}"
    assert f'href="{form}"' in first.body("html")
    assert form.replace("&amp;", "&") in first.body("plain")
    assert not to(sink, bystander.email)

    for days in (1, 2, 5, 7):
        run_scheduler(dated.end + timedelta(days=days))
    assert len(requests(sink, coordinator.email, dated)) == 1

    run_scheduler(dated.end + timedelta(days=8))  # 7 days after the first request
    first_again, second = requests(sink, coordinator.email, dated)
    assert first_again is first
    assert second.subject.startswith("Ждём пост-релиз: ")
    assert "Неделю назад мы просили" in second.body("plain")
    assert "Неделю назад мы просили" in second.body("html")

    for days in (8, 9, 15, 16, 22, 40):
        run_scheduler(dated.end + timedelta(days=days))
    assert len(requests(sink, coordinator.email, dated)) == 2


def test_no_second_request_once_a_post_release_is_published(
    settings, sink, dated, coordinator
) -> None:
    run_scheduler(dated.end + timedelta(days=1))
    assert len(requests(sink, coordinator.email, dated)) == 1
    publish_post_release(dated)
    dated.refresh_from_db()
    assert dated.status == "held"
    for days in (8, 15):
        run_scheduler(dated.end + timedelta(days=days))
    assert len(requests(sink, coordinator.email, dated)) == 1


def test_no_request_when_the_post_release_came_first(settings, sink, dated, coordinator) -> None:
    publish_post_release(dated)
    for days in (1, 8):
        run_scheduler(dated.end + timedelta(days=days))
    assert not requests(sink, coordinator.email, dated)


@pytest.mark.parametrize(("late", "asked"), [(30, True), (31, False)])
def test_a_late_scheduler_asks_within_the_window_only(
    settings, sink, dated, coordinator, late, asked
) -> None:
    """The worker down for a month still asks; a new installation does not ask about last year."""
    settings.CIVICPLAN_POST_RELEASE_WINDOW_DAYS = 30
    run_scheduler(dated.end + timedelta(days=late))
    assert len(requests(sink, coordinator.email, dated)) == int(asked)


def test_a_queued_request_is_not_sent_after_the_post_release_is_published(
    sink, dated, coordinator
) -> None:
    from civicplan.notifications import schedule

    found = schedule.due(dated.end + timedelta(days=1))
    assert found
    publish_post_release(dated)
    for item in found:
        item.task.call(*item.args)
    assert not requests(sink, coordinator.email, dated)

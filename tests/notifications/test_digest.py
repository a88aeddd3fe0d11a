"""The weekly digest: on its weekday, to every active coordinator, the next 14 days' activities
and what was published since the reader's previous digest; once; never empty."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from civicplan.newsroom.models import Submission
from civicplan.outbox.models import MailPreference
from tests.notifications.conftest import run_scheduler, to

pytestmark = pytest.mark.django_db


def published_on(day, title: str, organisation=None) -> Submission:
    return Submission.objects.create(
        kind=Submission.Kind.PRESS_RELEASE,
        title=title,
        status=Submission.Status.PUBLISHED,
        source=Submission.Source.FORM,
        organisation=organisation,
        published=timezone.make_aware(datetime.combine(day, time(15, 30))),
    )


def digests(envelopes, address):
    return [m for m in to(envelopes, address) if m.subject.startswith("Обзор недели")]


@pytest.fixture
def monday(settings, dated):
    """A day three days before `dated` starts, made the digest's weekday."""
    day = dated.start - timedelta(days=3)
    settings.CIVICPLAN_DIGEST_WEEKDAY = day.weekday()
    return day


def test_the_digest_lists_the_next_two_weeks_and_the_last_weeks_news(
    sink, dated, coordinator, bystander, monday
) -> None:
    organisation = coordinator.coordinator.organisation
    published_on(monday - timedelta(days=8), "Старая новость")
    published_on(monday - timedelta(days=7), "Новость недели", organisation)
    published_on(monday, "Сегодняшняя новость")  # for next week's digest
    run_scheduler(monday)

    [digest] = digests(sink, coordinator.email)
    assert digest.subject == f"Обзор недели Ассоциации: мероприятия и новости, {ru(monday)}"
    text = digest.body("plain")
    assert f"https://plan.example.org{dated.get_absolute_url()}" in text
    line = next(line for line in text.splitlines() if dated.title[:40] in line)
    assert line.startswith(f"- {dated.when_text}: ")
    assert line.endswith("[ваша организация]")
    assert f"Новость недели (пресс-релиз, {organisation.name})" in text
    assert "Старая новость" not in text
    assert "Сегодняшняя новость" not in text
    assert "?kind=digest" in digest.header("List-Unsubscribe")
    assert "Новость недели</a>" in digest.body("html")

    [theirs] = digests(sink, bystander.email)
    line = next(line for line in theirs.body("plain").splitlines() if dated.title[:40] in line)
    assert "[ваша организация]" not in line


def test_once_a_week_and_once(sink, dated, coordinator, monday) -> None:
    published_on(monday - timedelta(days=1), "Новость")
    for day in range(7):
        run_scheduler(monday + timedelta(days=day))
    run_scheduler(monday)
    assert len(digests(sink, coordinator.email)) == 1


def test_the_next_digest_starts_where_the_last_ended(sink, dated, coordinator, monday) -> None:
    published_on(monday - timedelta(days=1), "Первая")
    run_scheduler(monday)
    published_on(monday, "Вторая")
    published_on(monday + timedelta(days=6), "Третья")
    run_scheduler(monday + timedelta(days=7))
    first, second = digests(sink, coordinator.email)
    assert "Первая" in first.body("plain")
    assert "Первая" not in second.body("plain")
    assert "Вторая" in second.body("plain")
    assert "Третья" in second.body("plain")


def test_an_empty_digest_is_not_sent(settings, sink, coordinator) -> None:
    quiet = timezone.localdate().replace(year=2040)
    settings.CIVICPLAN_DIGEST_WEEKDAY = quiet.weekday()
    run_scheduler(quiet)
    assert not sink


def test_no_digest_after_unsubscribing(sink, dated, coordinator, monday) -> None:
    preference = MailPreference.for_address(coordinator.email)
    preference.unsubscribed = ["digest"]
    preference.save()
    run_scheduler(monday)
    assert not digests(sink, coordinator.email)


def ru(day) -> str:
    months = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    return f"{day.day} {months.split()[day.month - 1]} {day.year}"

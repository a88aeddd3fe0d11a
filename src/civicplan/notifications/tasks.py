"""The scheduled notifications as background tasks. Each takes ids and an ISO date, reads what
is true when it runs, and sends at most once (civicplan.notifications.schedule): safe to retry.

A task whose worker died is run again (civicplan.operations.background): each message is
recorded under its key (SentNotification) in the transaction that writes the letter, so it is
written once."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from civicplan.notifications import schedule


@task()
def send_reminder(activity_id: int, user_id: int, days: int, today: str) -> bool:
    return schedule.send_reminder(activity_id, user_id, days, date.fromisoformat(today))


@task()
def send_post_release_request(activity_id: int, user_id: int, round_: int, today: str) -> bool:
    return schedule.send_post_release_request(
        activity_id, user_id, round_, date.fromisoformat(today)
    )


@task()
def send_report_request(activity_id: int, user_id: int, today: str) -> bool:
    return schedule.send_report_request(activity_id, user_id, date.fromisoformat(today))


@task()
def send_digest(user_id: int, today: str) -> bool:
    return schedule.send_digest(user_id, date.fromisoformat(today))


@task()
def send_status_notice(activity_id: int, user_id: int, changed: str, today: str) -> bool:
    return schedule.send_status_notice(activity_id, user_id, changed, date.fromisoformat(today))

"""Scheduled notifications: reminders before an activity, requests for its post-release and its
closing report after it, the weekly digest, and notices of an activity postponed or cancelled.

Each kind has two halves. `*_due(today)` finds what should go out on `today` and has not yet;
`enqueue_due` queues one task per message (civicplan.notifications.tasks, on commit). The
task calls `send_*`, which checks again that the message is still due (the activity may have
moved, the coordinator may have left), records it in SentNotification under its key, and only
then sends. The key makes the scheduler and the tasks safe to run twice: a second run, a second
worker or a retried task finds the row and sends nothing.

Which activities are reminded of: those of approved plans, planned, not recurring, whose date
is known at least to the month (precision day, days, decade, month, months). A coordinator
expects a reminder before something that starts on a known day; "май 2024 г." starts, for
planning, on 1 May, so its reminder comes N days before 1 May and says the exact date is still
to be settled. Quarters, halves, seasons and "в течение года" get no reminders (N days before
1 January is not a reminder of anything). A deadline ("до 1 марта") is reminded of N days
before the deadline.

Post-release requests go for the same kind of activity (not deadlines), from the day after its
end, if it ended at most CIVICPLAN_POST_RELEASE_WINDOW_DAYS (default 30) days ago (so a new
installation does not ask about last year), and once more 7 days after the first, if no
post-release about it has been published by then; never a third time. The request points at
the closing report's form too: the numbers and materials go there.

A request for the closing report goes to the same coordinators once, REPORT_REQUEST_AFTER (3)
days after the end of an activity of the same kind (planned, held or postponed — not
cancelled) that has no ClosingReport yet, if it ended at most CIVICPLAN_POST_RELEASE_WINDOW_DAYS
ago: a few days after the post-release request, so the two do not arrive together. The key
holds the end, so an activity moved to later days is asked about after its new end. It is a
mailing of its own (a coordinator whose reports the directorate writes may refuse it and keep
the post-release requests).

A notice of an activity postponed or cancelled goes to the coordinators of its organisations
once per change of status (the key holds the moment of the change), on the worker's next
round after it, if the change is at most STATUS_NOTICE_WINDOW old.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django_tasks.base import Task

from civicplan.newsroom.models import Submission
from civicplan.notifications import tasks
from civicplan.notifications.models import SentNotification
from civicplan.outbox.mail import absolute, send_templated
from civicplan.outbox.models import MailPreference
from civicplan.plans.models import Activity, Plan
from civicplan.reports.models import ClosingReport

Kind = MailPreference.Kind
Precision = Activity.Precision

DATED = (Precision.DAY, Precision.DAYS, Precision.DECADE, Precision.MONTH, Precision.MONTHS)
EXACT = (Precision.DAY, Precision.DAYS)
SECOND_REQUEST_AFTER = timedelta(days=7)
DIGEST_AHEAD = timedelta(days=14)
STATUS_NOTICE_WINDOW = timedelta(days=7)
REPORT_REQUEST_AFTER = timedelta(days=3)


def reminder_days() -> list[int]:
    return sorted({days for days in settings.CIVICPLAN_REMINDER_DAYS if days >= 0})


def post_release_window() -> timedelta:
    return timedelta(days=getattr(settings, "CIVICPLAN_POST_RELEASE_WINDOW_DAYS", 30))


def digest_weekday() -> int:
    """0 is Monday, as in date.weekday()."""
    return getattr(settings, "CIVICPLAN_DIGEST_WEEKDAY", 0)


@dataclass(frozen=True)
class Due:
    """One message to queue: the task and its arguments (ids and ISO dates), and its key."""

    key: str
    task: Task
    args: tuple


# Who receives what.


def _dated_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(
        plan__status=Plan.Status.APPROVED,
        status=Activity.Status.PLANNED,
        recurrence="",
        precision__in=DATED,
    )


def coordinators_of(activity: Activity) -> QuerySet[AbstractBaseUser]:
    """The active coordinators of the organisations responsible for the activity."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            coordinator__organisation__responsibilities__activity=activity,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _active_coordinators() -> QuerySet[AbstractBaseUser]:
    return (
        get_user_model()
        .objects.filter(is_active=True, coordinator__isnull=False)
        .exclude(email="")
        .order_by("pk")
    )


def _not_sent(candidates: Iterable[Due]) -> list[Due]:
    candidates = list(candidates)
    sent = set(
        SentNotification.objects.filter(key__in=[due.key for due in candidates]).values_list(
            "key", flat=True
        )
    )
    return [due for due in candidates if due.key not in sent]


def _deliver(
    kind: str,
    key: str,
    user: AbstractBaseUser,
    due_on: date,
    template: str,
    context: dict,
    activity: Activity | None = None,
    reply_to: list[str] | None = None,
) -> bool:
    """Send once under `key`: the row and the letter are written in one transaction (a
    concurrent twin stops at the unique key), and the outbox sends the letter after the
    commit, again if it fails. Nothing goes to an address that has unsubscribed from `kind`,
    and nothing is recorded for it."""
    if not MailPreference.for_address(user.email).wants(kind):
        return False
    with transaction.atomic():
        _row, created = SentNotification.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "recipient": user.email.lower(),
                "activity": activity,
                "due_on": due_on,
            },
        )
        if not created:
            return False
        send_templated(
            user.email,
            template,
            {**context, "user": user},
            unsubscribe_kind=kind,
            reply_to=reply_to,
            language="ru",
        )
    return True


# Reminders.


def _reminder_date_filter(target: date) -> Q:
    return Q(deadline=False, start=target) | Q(deadline=True, end=target)


def _reminder_key(activity: Activity, days: int, user: AbstractBaseUser) -> str:
    # The date is in the key: an activity moved to a new date is reminded of again.
    when = activity.end if activity.deadline else activity.start
    return f"{Kind.REMINDERS}:{activity.pk}:{when.isoformat()}:{days}:{user.email.lower()}"


def reminders_due(today: date) -> list[Due]:
    candidates = []
    for days in reminder_days():
        target = today + timedelta(days=days)
        for activity in _dated_activities().filter(_reminder_date_filter(target)):
            for user in coordinators_of(activity):
                candidates.append(
                    Due(
                        _reminder_key(activity, days, user),
                        tasks.send_reminder,
                        (activity.pk, user.pk, days, today.isoformat()),
                    )
                )
    return _not_sent(candidates)


def send_reminder(activity_id: int, user_id: int, days: int, today: date) -> bool:
    """The reminder, if the activity still starts `days` after `today` and the user is still
    a coordinator of one of its organisations."""
    target = today + timedelta(days=days)
    activity = _dated_activities().filter(_reminder_date_filter(target), pk=activity_id).first()
    user = coordinators_of(activity).filter(pk=user_id).first() if activity else None
    if user is None:
        return False
    with translation.override("ru"):
        context = {
            **_activity_context(activity, user),
            "days": days,
            "exact": activity.precision in EXACT,
        }
    return _deliver(
        Kind.REMINDERS,
        _reminder_key(activity, days, user),
        user,
        today,
        "notifications/reminder",
        context,
        activity,
    )


def _activity_context(activity: Activity, user: AbstractBaseUser) -> dict:
    organisation_id = user.coordinator.organisation_id
    return {
        "activity": activity,
        "activity_url": absolute(activity.get_absolute_url()),
        "responsibilities": [
            r for r in activity.responsibilities.all() if r.organisation_id == organisation_id
        ],
        "organisation": user.coordinator.organisation,
        # The submission form with the kind and the activity filled in.
        "submit_url": absolute(
            reverse("newsroom:submit")
            + "?"
            + urlencode({"kind": Submission.Kind.POST_RELEASE, "activity": activity.pk})
        ),
        "news_address": settings.CIVICPLAN_NEWS_ADDRESSES[0],
    }


# Post-release requests.


def _awaiting_post_release() -> QuerySet[Activity]:
    """Dated activities, not deadlines, with no published post-release (planned or held:
    staff may mark an activity held before its post-release arrives)."""
    published = Submission.objects.filter(
        kind=Submission.Kind.POST_RELEASE, status=Submission.Status.PUBLISHED
    ).values("activity_id")
    return (
        Activity.objects.filter(
            plan__status=Plan.Status.APPROVED,
            status__in=(Activity.Status.PLANNED, Activity.Status.HELD),
            recurrence="",
            deadline=False,
            precision__in=DATED,
            end__isnull=False,
        )
        .exclude(pk__in=published)
        .order_by("end", "pk")
    )


def _request_key(activity_id: int, round_: int, user: AbstractBaseUser) -> str:
    return f"{Kind.POST_RELEASE_REQUESTS}:{activity_id}:{round_}:{user.email.lower()}"


def _first_request_on(activity: Activity) -> date | None:
    first = (
        SentNotification.objects.filter(
            kind=Kind.POST_RELEASE_REQUESTS,
            activity=activity,
            key__startswith=f"{Kind.POST_RELEASE_REQUESTS}:{activity.pk}:1:",
        )
        .order_by("due_on")
        .first()
    )
    return first.due_on if first else None


def _request_round(activity: Activity, today: date) -> int | None:
    """1 in the window after the end; 2 from 7 days after the first request; else None."""
    if activity.end >= today:
        return None
    first_on = _first_request_on(activity)
    if first_on is None:
        return 1 if today - activity.end <= post_release_window() else None
    return 2 if today - first_on >= SECOND_REQUEST_AFTER else None


def post_release_requests_due(today: date) -> list[Due]:
    earliest = today - post_release_window()
    recent_or_asked = Q(end__gte=earliest) | Q(
        pk__in=SentNotification.objects.filter(kind=Kind.POST_RELEASE_REQUESTS).values(
            "activity_id"
        )
    )
    candidates = []
    for activity in _awaiting_post_release().filter(recent_or_asked, end__lt=today):
        round_ = _request_round(activity, today)
        if round_ is None:
            continue
        for user in coordinators_of(activity):
            candidates.append(
                Due(
                    _request_key(activity.pk, round_, user),
                    tasks.send_post_release_request,
                    (activity.pk, user.pk, round_, today.isoformat()),
                )
            )
    return _not_sent(candidates)


def send_post_release_request(activity_id: int, user_id: int, round_: int, today: date) -> bool:
    """The request (round 1) or its one repetition (round 2), if still no post-release."""
    activity = _awaiting_post_release().filter(pk=activity_id).first()
    if activity is None or _request_round(activity, today) != round_:
        return False
    user = coordinators_of(activity).filter(pk=user_id).first()
    if user is None:
        return False
    with translation.override("ru"):
        context = {
            **_activity_context(activity, user),
            "again": round_ == 2,
            "report_url": _report_url(activity),
        }
    return _deliver(
        Kind.POST_RELEASE_REQUESTS,
        _request_key(activity.pk, round_, user),
        user,
        today,
        "notifications/post_release_request",
        context,
        activity,
        # A reply with the post-release goes to the mail intake, its subject naming the activity.
        reply_to=settings.CIVICPLAN_NEWS_ADDRESSES[:1],
    )


# Requests for the closing report.


def _report_url(activity: Activity) -> str:
    return absolute(reverse("reports:report", args=[activity.pk]))


def _awaiting_report() -> QuerySet[Activity]:
    """Dated activities, not deadlines, not cancelled, with no closing report."""
    return (
        Activity.objects.filter(
            plan__status=Plan.Status.APPROVED,
            status__in=(Activity.Status.PLANNED, Activity.Status.HELD, Activity.Status.POSTPONED),
            recurrence="",
            deadline=False,
            precision__in=DATED,
            end__isnull=False,
        )
        .exclude(pk__in=ClosingReport.objects.values("activity_id"))
        .order_by("end", "pk")
    )


def _report_key(activity: Activity, user: AbstractBaseUser) -> str:
    # The end is in the key: an activity moved to later days is asked about after them.
    return f"{Kind.REPORT_REQUESTS}:{activity.pk}:{activity.end.isoformat()}:{user.email.lower()}"


def _report_request_window(today: date) -> Q:
    return Q(end__lte=today - REPORT_REQUEST_AFTER, end__gte=today - post_release_window())


def report_requests_due(today: date) -> list[Due]:
    candidates = [
        Due(
            _report_key(activity, user),
            tasks.send_report_request,
            (activity.pk, user.pk, today.isoformat()),
        )
        for activity in _awaiting_report().filter(_report_request_window(today))
        for user in coordinators_of(activity)
    ]
    return _not_sent(candidates)


def send_report_request(activity_id: int, user_id: int, today: date) -> bool:
    """The request, if the activity still has no report, ended in the window and the user
    still coordinates one of its organisations."""
    activity = _awaiting_report().filter(_report_request_window(today), pk=activity_id).first()
    user = coordinators_of(activity).filter(pk=user_id).first() if activity else None
    if user is None:
        return False
    with translation.override("ru"):
        context = {**_activity_context(activity, user), "report_url": _report_url(activity)}
    return _deliver(
        Kind.REPORT_REQUESTS,
        _report_key(activity, user),
        user,
        today,
        "notifications/report_request",
        context,
        activity,
    )


# The weekly digest.


def _digest_key(today: date, user: AbstractBaseUser) -> str:
    return f"{Kind.DIGEST}:{today.isoformat()}:{user.email.lower()}"


def digests_due(today: date) -> list[Due]:
    if today.weekday() != digest_weekday():
        return []
    return _not_sent(
        Due(_digest_key(today, user), tasks.send_digest, (user.pk, today.isoformat()))
        for user in _active_coordinators()
    )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def digest_content(today: date, since: date, organisation_id: int | None) -> dict:
    """The activities of the next 14 days (the reader's own marked) and what was published
    from `since` up to today."""
    upcoming = list(
        _dated_activities()
        .filter(start__gte=today, start__lt=today + DIGEST_AHEAD)
        .order_by("start", "plan", "position")
        .prefetch_related("responsibilities")
    )
    news = list(
        Submission.objects.filter(
            status=Submission.Status.PUBLISHED,
            published__gte=_midnight(since),
            published__lt=_midnight(today),
        ).order_by("published", "pk")
    )
    return {
        "upcoming": [
            {
                "activity": activity,
                "url": absolute(activity.get_absolute_url()),
                "ours": any(
                    r.organisation_id == organisation_id for r in activity.responsibilities.all()
                ),
            }
            for activity in upcoming
        ],
        "news": [{"item": item, "url": absolute(item.get_absolute_url())} for item in news],
        "today": today,
        "since": since,
        "until": today - timedelta(days=1),
    }


def send_digest(user_id: int, today: date) -> bool:
    """This week's digest; covers what was published since the reader's previous digest (or
    the last 7 days). An empty digest is not sent."""
    user = _active_coordinators().filter(pk=user_id).select_related("coordinator").first()
    if user is None or today.weekday() != digest_weekday():
        return False
    previous = (
        SentNotification.objects.filter(
            kind=Kind.DIGEST, recipient=user.email.lower(), due_on__lt=today
        )
        .order_by("-due_on")
        .first()
    )
    since = previous.due_on if previous else today - timedelta(days=7)
    with translation.override("ru"):
        content = digest_content(today, since, user.coordinator.organisation_id)
    if not content["upcoming"] and not content["news"]:
        return False
    return _deliver(
        Kind.DIGEST, _digest_key(today, user), user, today, "notifications/digest", content
    )


# Notices of an activity postponed or cancelled.


def _status_changed(today: date) -> QuerySet[Activity]:
    return Activity.objects.filter(
        plan__status=Plan.Status.APPROVED,
        status__in=(Activity.Status.POSTPONED, Activity.Status.CANCELLED),
        status_changed__gte=_midnight(today - STATUS_NOTICE_WINDOW),
    )


def _status_key(activity: Activity, user: AbstractBaseUser) -> str:
    changed = activity.status_changed.isoformat()
    return f"{Kind.STATUS_NOTICES}:{activity.pk}:{activity.status}:{changed}:{user.email.lower()}"


def status_notices_due(today: date) -> list[Due]:
    candidates = [
        Due(
            _status_key(activity, user),
            tasks.send_status_notice,
            (activity.pk, user.pk, activity.status_changed.isoformat(), today.isoformat()),
        )
        for activity in _status_changed(today)
        for user in coordinators_of(activity)
    ]
    return _not_sent(candidates)


def send_status_notice(activity_id: int, user_id: int, changed: str, today: date) -> bool:
    """The notice, if the activity's status has not changed again since (a newer change has
    a notice of its own) and the user still coordinates one of its organisations."""
    activity = _status_changed(today).filter(pk=activity_id).first()
    if activity is None or activity.status_changed.isoformat() != changed:
        return False
    user = coordinators_of(activity).filter(pk=user_id).first()
    if user is None:
        return False
    with translation.override("ru"):
        context = {**_activity_context(activity, user), "exact": activity.precision in EXACT}
    return _deliver(
        Kind.STATUS_NOTICES,
        _status_key(activity, user),
        user,
        today,
        "notifications/status_notice",
        context,
        activity,
    )


# The scheduler.


def due(today: date) -> list[Due]:
    return [
        *reminders_due(today),
        *post_release_requests_due(today),
        *report_requests_due(today),
        *digests_due(today),
        *status_notices_due(today),
    ]


def enqueue_due(today: date | None = None) -> int:
    """Queue a task for every message due on `today` (default: today here), after the current
    transaction commits; returns how many. Run by `civicplan worker` every few minutes."""
    today = today or timezone.localdate()
    found = due(today)
    for item in found:
        transaction.on_commit(lambda item=item: item.task.enqueue(*item.args))
    return len(found)

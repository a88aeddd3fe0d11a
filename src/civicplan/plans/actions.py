"""State changes of activities, each a permission check plus the change plus an audit event."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civicplan.audit.actions import record
from civicplan.plans.models import Activity
from civicplan.plans.searchindex import index_activity
from civicplan.timeframes import parse

# A change of any of these is news for a calendar: iCalendar's SEQUENCE goes up.
SEQUENCE_FIELDS = frozenset(
    ("when_text", "start", "end", "precision", "title", "place_text", "status")
)


def save_activity(
    activity: Activity,
    actor: AbstractBaseUser | AnonymousUser | None,
    changed: Iterable[str],
) -> Activity:
    """Save an edited activity. A new time-frame text with unchanged dates is read again; a
    change of dates, title, place or status raises SEQUENCE so calendars take it."""
    if actor is not None and not actor.has_perm("plans.change_activity"):
        raise PermissionDenied(_("Нет права изменять мероприятия."))
    changed = set(changed)
    if "when_text" in changed and not changed & {"start", "end", "precision"}:
        timeframe = parse(activity.when_text, default_year=activity.plan.year)
        activity.start, activity.end = timeframe.start, timeframe.end
        activity.precision = timeframe.precision
        activity.recurrence = timeframe.recurrence or ""
        activity.deadline = timeframe.deadline
    if activity.pk and changed & SEQUENCE_FIELDS:
        activity.sequence += 1
    with transaction.atomic():
        index_activity(activity)
        activity.save()
        record(
            actor,
            "activity.change",
            str(activity),
            _("Изменены поля: %(fields)s") % {"fields": ", ".join(sorted(changed)) or "—"},
            {"activity": activity.pk, "sequence": activity.sequence},
        )
    return activity

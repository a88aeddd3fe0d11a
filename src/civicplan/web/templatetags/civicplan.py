"""Template helpers of the public site: time frames in the page's language, an activity's
status in words, language links."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import translate_url
from django.utils.translation import get_language

from civicplan import timeframes
from civicplan.plans.exporting import held_timeframe
from civicplan.plans.models import Activity

register = template.Library()


@register.filter
def timeframe(value: timeframes.Timeframe) -> str:
    """A time frame in words, in the active language ("Май-июнь 2024 г." / "May–June 2024");
    the text as written when it has no dates."""
    if value.start is None:
        return value.text or timeframes.format(value, lang=_lang())
    return timeframes.format(value, lang=_lang())


@dataclass(frozen=True)
class Status:
    """What the public pages say of an activity that is not simply planned (web/_status.html)."""

    status: str  # postponed, cancelled or held
    reason: str = ""  # why it was postponed or cancelled, as staff wrote it
    before: str = ""  # a postponed activity's earlier time frame, in words
    now: str = ""  # and its time frame now
    held: str = ""  # the days a held activity took place, in words

    @property
    def stop(self) -> str:
        """The full stop before the reason, unless the time frame said last has one («г.»)."""
        return "" if self.before and self.now.endswith(".") else "."


@register.filter
def status(activity: Activity) -> Status | None:
    """The activity's status to show beside it; None for a planned one. A postponed activity's
    earlier time frame is read again in the year of its new one, to be said in words."""
    if activity.status == Activity.Status.POSTPONED:
        before = activity.previous_when_text
        year = activity.start.year if activity.start else None
        earlier = timeframes.parse(before, default_year=year) if before else None
        if earlier is not None and earlier.start is not None:
            before = timeframe(earlier)
        now = timeframe(activity.timeframe)
        return Status(activity.status, activity.status_reason, before=before, now=now)
    if activity.status == Activity.Status.CANCELLED:
        return Status(activity.status, activity.status_reason)
    if activity.status == Activity.Status.HELD:
        held = held_timeframe(activity.held_start, activity.held_end)
        return Status(activity.status, held=timeframe(held) if held else "")
    return None


@register.simple_tag(takes_context=True)
def in_language(context: template.Context, language: str) -> str:
    """This page's URL in another language (with its query string)."""
    request = context.get("request")
    return translate_url(request.get_full_path(), language) if request else ""


def _lang() -> str:
    return "en" if (get_language() or "ru").startswith("en") else "ru"

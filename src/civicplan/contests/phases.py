"""A contest's phases from its four dates and the server's clock: nothing switches them, so
they open and close by themselves, and every page and action asks the same `now()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ANNOUNCED = "announced"  # before the call opens
OPEN = "open"  # applications are taken
CLOSED = "closed"  # the call has closed, judging has not begun
JUDGING = "judging"
FINISHED = "finished"  # the results are published

PHASES = (ANNOUNCED, OPEN, CLOSED, JUDGING, FINISHED)
LABELS = {
    ANNOUNCED: _("приём заявок ещё не начался"),
    OPEN: _("идёт приём заявок"),
    CLOSED: _("приём заявок завершён"),
    JUDGING: _("работает жюри"),
    FINISHED: _("итоги подведены"),
}
# The public list's three sections.
SECTIONS = {ANNOUNCED: OPEN, OPEN: OPEN, CLOSED: JUDGING, JUDGING: JUDGING, FINISHED: FINISHED}


def now() -> datetime:
    """The server's time (aware). Call it as `phases.now()`, so a test that replaces it moves
    every page and action at once."""
    return timezone.now()


@dataclass(frozen=True)
class Dates:
    """The four instants of a contest, in order: the call opens, the call closes (the
    deadline), judging begins, the results are published."""

    call_opens: datetime
    call_closes: datetime
    judging_starts: datetime
    results_published: datetime

    def in_order(self) -> bool:
        return self.call_opens < self.call_closes <= self.judging_starts <= self.results_published


def phase_at(dates: Dates, moment: datetime) -> str:
    """The phase the contest is in at `moment`: each date starts its phase (inclusive)."""
    if moment < dates.call_opens:
        return ANNOUNCED
    if moment < dates.call_closes:
        return OPEN
    if moment < dates.judging_starts:
        return CLOSED
    if moment < dates.results_published:
        return JUDGING
    return FINISHED


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def default_dates(start: date | None, end: date | None, today: date) -> Dates:
    """The dates a plan row's time frame suggests: the call from its first day, the deadline
    at two thirds of it (end of that day), judging to its last day, the results on it — the
    award ceremony that usually ends a contest's row. A row without dates starts today and
    lasts three months."""
    first = start or today
    last = end if end is not None and end > first else first + timedelta(days=90)
    deadline = first + (last - first) * 2 // 3
    return Dates(
        call_opens=_local(first, time(0, 0)),
        call_closes=_local(deadline, time(23, 59)),
        judging_starts=_local(deadline, time(23, 59)),
        results_published=_local(last, time(12, 0)),
    )


def zone_label(moment: datetime | None = None) -> str:
    """The server's time zone as pages show it next to a time: «Europe/Moscow, UTC+03:00»."""
    zone = timezone.get_default_timezone()
    offset = timezone.localtime(moment or now(), zone).strftime("%z")
    return f"{settings.TIME_ZONE}, UTC{offset[:3]}:{offset[3:]}"

"""An activity's public page: every field, its status, its places and organisations linked
to their pages, other activities in the same cities, and what was published about it; for
staff, its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, F, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from civicplan.audit.models import Event
from civicplan.directory.links import city_url
from civicplan.newsroom.queries import published_for_activity
from civicplan.plans.models import Activity, ActivityPlace, Amendment
from civicplan.plans.queries import visible_plans
from civicplan.reports.queries import outcome_of

RELATED = 5  # other activities in the same cities on an activity's page


def activity_page(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One activity with every field, its places and organisations linked to their pages, and
    up to five other activities in the same cities, and what was published about it (the
    post-release), and what was done: its closing report, progress and parts. Eight queries
    (seven without a city; three more with a report); a signed-in visitor sees whether they
    may report on it, staff the activity's history too (two more), on a page marked private so
    that no shared cache keeps it."""
    plans = visible_plans(request.user)
    activity = get_object_or_404(
        Activity.objects.select_related("plan", "section"), pk=pk, plan__in=plans
    )
    if slug != activity.slug:  # an old or mistyped slug
        return redirect(activity.get_absolute_url(), permanent=True)
    places = list(activity.places.select_related("place"))
    responsibilities = list(activity.responsibilities.select_related("organisation"))
    cities = {located.place.city for located in places if located.place and located.place.city}
    related = (
        Activity.objects.filter(
            plan__in=plans,
            pk__in=ActivityPlace.objects.filter(place__city__in=cities).values("activity_id"),
        )
        .exclude(pk=activity.pk)
        .annotate(other_plan=Case(When(plan_id=activity.plan_id, then=Value(0)), default=Value(1)))
        .order_by("other_plan", F("start").asc(nulls_last=True), "position")[:RELATED]
    )
    history = activity_history(activity) if request.user.is_staff else None
    signed_in = request.user.is_authenticated
    response = render(
        request,
        "web/activity.html",
        {
            "activity": activity,
            "places": _place_entries(places),
            "responsibilities": responsibilities,
            "contacts": [link for link in responsibilities if link.contact],
            "related": list(related) if cities else [],
            "reports": published_for_activity(activity.pk),
            "absolute_url": request.build_absolute_uri(activity.get_absolute_url()),
            "history": history,
            "outcome": outcome_of(activity),
            "may_report": signed_in and request.user.has_perm("reports.report_activity", activity),
        },
    )
    if signed_in:
        patch_cache_control(response, private=True, no_cache=True)
    return response


@dataclass
class HistoryEntry:
    """One line of an activity's history: an audit event, with the amendment it recorded
    when the plan was approved (what kind of change, the reason, the version it went into)."""

    at: datetime
    who: str
    what: str
    details: str = ""
    reason: str = ""
    version: int | None = None  # None: not yet published (or no amendment)
    amended: bool = False


# An amendment and the audit event of the same action are written together; a moment apart at
# most (the event after the amendment, in the same transaction).
_SAME_ACTION = timedelta(seconds=5)


def activity_history(activity: Activity) -> list[HistoryEntry]:
    """Everything that happened to the activity, newest first: the audit events about it and
    the plan's amendments of it, each amendment told with its action's event. Two queries."""
    events = list(
        Event.objects.filter(data__activity=activity.pk).select_related("actor").order_by("at")
    )
    amendments = Amendment.objects.filter(activity_uid=activity.uid).select_related(
        "created_by", "version"
    )
    entries = [
        HistoryEntry(event.at, _who(event.actor), event.summary or event.action) for event in events
    ]
    unpaired = list(range(len(events)))
    for amendment in amendments.order_by("created", "id"):
        index = _event_of(amendment, events, unpaired)
        if index is None:
            entry = HistoryEntry(amendment.created, _who(amendment.created_by), "")
            entries.append(entry)
        else:
            entry = entries[index]
            unpaired.remove(index)
        entry.details = amendment.summary  # what the amendment says, not the log's field names
        entry.what = str(amendment.get_kind_display()).capitalize()
        entry.reason = amendment.reason
        entry.version = amendment.version.number if amendment.version else None
        entry.amended = True
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _event_of(amendment: Amendment, events: list[Event], unpaired: list[int]) -> int | None:
    """The index of the event the amendment's action wrote: by the same person, a moment
    later, not yet paired; None when there is none."""
    for index in unpaired:
        event = events[index]
        same_person = event.actor_id == amendment.created_by_id
        if same_person and abs(event.at - amendment.created) <= _SAME_ACTION:
            return index
    return None


def _who(user: AbstractBaseUser | None) -> str:
    if user is None:
        return _("система")
    return user.get_full_name() or user.get_username()


@dataclass
class PlaceEntry:
    """One line of an activity's places: a city (linked to its page) with its venues, a venue
    without a city, or a scope ("все члены Ассоциации")."""

    city: str = ""
    url: str = ""
    region: str = ""
    country: str = ""
    venues: list[str] = field(default_factory=list)
    scope: str = ""


def _place_entries(places: list[ActivityPlace]) -> list[PlaceEntry]:
    """An activity's places to show, each city once."""
    entries: list[PlaceEntry] = []
    by_city: dict[str, PlaceEntry] = {}
    for located in places:
        place = located.place
        if place is None:
            entries.append(PlaceEntry(scope=str(located.get_scope_display())))
        elif place.city and place.city in by_city:
            if place.venue:
                by_city[place.city].venues.append(place.venue)
        else:
            entry = PlaceEntry(
                city=place.city,
                url=city_url(place.city) if place.city else "",
                region=place.region,
                country=place.country if place.country != "Россия" else "",
                venues=[place.venue] if place.venue else [],
            )
            entries.append(entry)
            if place.city:
                by_city[place.city] = entry
    return entries

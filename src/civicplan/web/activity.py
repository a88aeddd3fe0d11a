"""An activity's public page: every field, its places and organisations linked to their
pages, other activities in the same cities, and what was published about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, F, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from civicplan.directory.links import city_url
from civicplan.newsroom.queries import published_for_activity
from civicplan.plans.models import Activity, ActivityPlace
from civicplan.plans.queries import visible_plans

RELATED = 5  # other activities in the same cities on an activity's page


def activity_page(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One activity with every field, its places and organisations linked to their pages, and
    up to five other activities in the same cities, and what was published about it (the
    post-release). Five queries (four without a city)."""
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
    return render(
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
        },
    )


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

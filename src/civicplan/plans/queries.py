"""Reading plans for other apps' pages: which plans a visitor may see, which places and
organisations have public pages, what the public calendar shows. Each returns a lazy QuerySet
(one query when read) so a page keeps its fixed number of queries."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from civicplan.directory.models import Membership, Organisation, Place
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility


def visible_plans(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Plan]:
    """The public sees approved plans; staff who may view plans see drafts too."""
    plans = Plan.objects.all()
    if not user.has_perm("plans.view_plan"):
        plans = plans.filter(status=Plan.Status.APPROVED)
    return plans


def published_activities() -> QuerySet[Activity]:
    """The dated activities of approved plans: what the public calendar shows."""
    return Activity.objects.filter(plan__status=Plan.Status.APPROVED, start__isnull=False)


def public_places(plans: QuerySet[Plan]) -> QuerySet[Place]:
    """Places of the activities of these plans, and member municipalities' cities."""
    return Place.objects.exclude(city="").filter(
        Exists(ActivityPlace.objects.filter(place=OuterRef("pk"), activity__plan__in=plans))
        | Exists(Membership.objects.filter(city=OuterRef("pk")))
    )


def public_organisations(plans: QuerySet[Plan]) -> QuerySet[Organisation]:
    """Organisations named in these plans, members, and the plans' owner: the others (a name
    only a draft plan mentions) have no public page."""
    return Organisation.objects.filter(
        Exists(Responsibility.objects.filter(organisation=OuterRef("pk"), activity__plan__in=plans))
        | Exists(Membership.objects.filter(organisation=OuterRef("pk")))
        | Exists(plans.filter(owner=OuterRef("pk")))
    )


def current_plan(plans: list[Plan], year: int) -> Plan | None:
    """The approved plan of this year; else the latest approved one before it; else the
    earliest after it."""
    approved = [plan for plan in plans if plan.status == Plan.Status.APPROVED]
    past = [plan for plan in approved if plan.year <= year]
    if past:
        return max(past, key=lambda plan: plan.year)
    return min(approved, key=lambda plan: plan.year, default=None)

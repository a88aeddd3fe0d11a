"""Reading plans for other apps' pages: which plans a visitor may see, which places and
organisations have public pages, what the public calendar shows. Each returns a lazy QuerySet
(one query when read) so a page keeps its fixed number of queries."""

from __future__ import annotations

import difflib

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from civicplan.directory.models import Membership, Organisation, OrganisationAlias, Place
from civicplan.plandoc.organisations import organisation_key
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from civicplan.text import fold


def visible_plans(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Plan]:
    """The public sees approved plans; staff who may view plans see drafts too."""
    plans = Plan.objects.all()
    if not user.has_perm("plans.view_plan"):
        plans = plans.filter(status=Plan.Status.APPROVED)
    return plans


def visible_plan(user: AbstractBaseUser | AnonymousUser, year: int) -> Plan | None:
    """The plan of `year` the user may see (the first, should the directory own several)."""
    return visible_plans(user).filter(year=year).order_by("id").first()


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


# -- the staff's plan workspace ------------------------------------------------------------------


def workspace_rows(plan: Plan) -> QuerySet[Activity]:
    """The plan's rows in order with their sections and responsible parties (with their
    organisations), for the staff's table: a page of it is read in two queries whatever the
    plan's size (the parties into `responsibility_list`, as plans.exporting reads them)."""
    return (
        plan.activities.select_related("section")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("organisation"),
                to_attr="responsibility_list",
            )
        )
        .order_by("position")
    )


def known_cities() -> list[str]:
    """Every city the directory knows, for the place field's suggestions. One query."""
    cities = Place.objects.exclude(city="").values_list("city", flat=True)
    return sorted(set(cities), key=fold)


class Spellings:
    """The directory's organisations by every name and spelling, read once for a form (two
    queries): a typed party is found by any of them, and a new name close to one is named
    back ("did you mean")."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.by_key: dict[str, int] = {}
        self.by_text: dict[str, int] = {}
        for pk, name, key in Organisation.objects.values_list("pk", "name", "key"):
            self.names[pk] = name
            self.by_text.setdefault(fold(name), pk)
            self.by_key.setdefault(key, pk)
        self.aliases = list(OrganisationAlias.objects.values_list("organisation_id", "text"))
        for pk, text in self.aliases:
            self.by_text.setdefault(fold(text), pk)

    def find(self, text: str) -> int | None:
        """The organisation `text` names: one of its spellings, or a spelling that differs
        only in what the directory's key ignores (case, quotes, «г.»/«города» …)."""
        return self.by_text.get(fold(text)) or self.by_key.get(organisation_key(text))

    def similar(self, text: str, limit: int = 3) -> list[str]:
        """The names of the organisations whose spellings are close to `text`."""
        close = difflib.get_close_matches(fold(text), list(self.by_text), n=limit * 3, cutoff=0.8)
        found = dict.fromkeys(self.names[self.by_text[spelling]] for spelling in close)
        return list(found)[:limit]

    def choices(self) -> list[str]:
        """Every spelling as written, for the party field's suggestions."""
        return sorted({*self.names.values(), *(text for _pk, text in self.aliases)}, key=fold)

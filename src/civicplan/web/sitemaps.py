"""/sitemap.xml: the public pages in Russian with their English alternates (/en/…).

Approved plans only: plan pages, activity pages, organisation pages (organisations named in
approved plans, members, the owner), city pages, the home page and the calendar. /sitemap.xml is
an index of sections (/sitemap-activities.xml?p=2 …), each page of at most `LIMIT` addresses:
every address carries its three alternates (ru, en, x-default), so 2,000 activities in one file
would be 6 MB and take most of a second to build.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from civicplan.directory.links import city_slug
from civicplan.directory.models import Organisation
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Activity, Plan
from civicplan.plans.queries import public_organisations, public_places


def _approved() -> QuerySet[Plan]:
    return Plan.objects.filter(status=Plan.Status.APPROVED)


LIMIT = 1000


class _I18nSitemap(Sitemap):
    limit = LIMIT  # addresses per file, each language counting
    i18n = True
    alternates = True
    x_default = True


class PlanSitemap(_I18nSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet[Plan]:
        return _approved().annotate(last=Max("activities__modified")).order_by("-year")

    def location(self, item: Plan) -> str:
        return reverse("plans:plan", args=[item.year])

    def lastmod(self, item: Plan) -> datetime | None:
        return item.last


class ActivitySitemap(_I18nSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet[Activity]:
        return (
            Activity.objects.filter(plan__in=_approved())
            .only("pk", "title", "modified")
            .order_by("plan_id", "position")
        )

    def lastmod(self, item: Activity) -> datetime:
        return item.modified


class OrganisationSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self) -> QuerySet[Organisation]:
        return (
            public_organisations(_approved())
            .filter(collective=False)
            .only("pk", "name")
            .order_by("pk")
        )


class CitySitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self) -> list[str]:
        names = public_places(_approved()).values_list("city", flat=True).distinct()
        return sorted({slug for slug in map(city_slug, names) if slug})

    def location(self, item: str) -> str:
        return reverse("web:city", args=[item])


class PageSitemap(_I18nSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["web:home", "web:calendar", "newsroom:news"]

    def location(self, item: str) -> str:
        return reverse(item)


class NewsSitemap(_I18nSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Submission]:
        return (
            Submission.objects.filter(status=Submission.Status.PUBLISHED)
            .only("pk", "title", "modified")
            .order_by("-published", "-id")
        )

    def lastmod(self, item: Submission) -> datetime:
        return item.modified


SITEMAPS = {
    "pages": PageSitemap,
    "plans": PlanSitemap,
    "activities": ActivitySitemap,
    "organisations": OrganisationSitemap,
    "cities": CitySitemap,
    "news": NewsSitemap,
}

"""Public pages of the site (issue 5): home, an organisation, a city.

Every page runs a fixed number of SQL queries whatever the size of the plans (tests count them at
37 and 2,000 activities), and lists are bounded: the home shows the next 8 activities, an
organisation or city page at most `GROUP_LIMIT` activities per year (per role) and links to the
calendar, filtered, for the rest. The public sees approved plans; staff who may view plans see
drafts too (`plans.queries.visible_plans`).

An organisation's page is also its account (issue 14): per plan year, the rows it was
responsible for, those whose closing report names it, how many of them were held, and what it
published, each number linked to the rows behind it on the plan's execution page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import ExtractYear, RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from civicplan.common import dates
from civicplan.directory.links import city_slug, city_url
from civicplan.directory.models import Membership, Organisation
from civicplan.newsroom.models import Submission
from civicplan.newsroom.queries import latest_news, published
from civicplan.plandoc.morphology import lemmas
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from civicplan.plans.queries import (
    current_plan,
    public_organisations,
    public_places,
    visible_plans,
)
from civicplan.reports.models import ClosingReport
from civicplan.reports.queries import held, latest_progress_status, with_progress_status
from civicplan.text import fold
from civicplan.web.calendar_views import YearMonth

GROUP_LIMIT = 30  # activities shown per year (and role) on an organisation or city page
UPCOMING = 8  # activities on the home page
LATEST_NEWS = 5  # publications on the home page
ORGANISATION_NEWS = 10  # an organisation's latest publications on its page
# The fields of an activity that web/_activity_item.html shows (with its time frame, status
# and link).
LIST_ITEM_FIELDS = (
    *("title", "place_text", "position", "plan_id", *Activity.TIMEFRAME_FIELDS),
    *("status", "status_reason", "previous_when_text", "held_start", "held_end"),
)
# The home page's month bars: days known; known to a month, ten days or "by" a date.
EXACT_DAYS = Q(precision__in=(Activity.Precision.DAY, Activity.Precision.DAYS), deadline=False)
MONTH_ONLY = Q(precision__in=(Activity.Precision.MONTH, Activity.Precision.DECADE)) | Q(
    deadline=True, start__isnull=False
)
# Time frames too coarse to stand among "the next activities" (a whole year, a half-year).
_COARSE = (
    Activity.Precision.YEAR,
    Activity.Precision.YEARS,
    Activity.Precision.HALF,
    Activity.Precision.UNKNOWN,
)
_ROLES = (
    Responsibility.Role.ORGANISER,
    Responsibility.Role.RESPONSIBLE,
    Responsibility.Role.SUPPORTER,
)


# --- home --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthBar:
    """One month of the home page's year at a glance: activities with their days known, and
    those known only to the month (or ten days of it, or "by" its end)."""

    month: int
    label: str
    name: str
    exact: int
    approximate: int
    url: str
    is_current: bool
    x: int
    exact_y: int
    exact_height: int
    approximate_y: int
    approximate_height: int


GLANCE_HEIGHT = 120  # pixels of the tallest month's bar


def year_at_a_glance(plan: Plan, now: date) -> tuple[list[MonthBar], int]:
    """The plan's activities per month, and the number on longer periods (a quarter, a half,
    the year), in one query."""
    # One pass over the plan's rows, grouped by kind of date and month ("2024-04").
    kind_of_date = Case(
        When(EXACT_DAYS, then=Value("exact")),
        When(MONTH_ONLY, then=Value("approximate")),
        When(start__isnull=False, then=Value("longer")),
        default=Value("undated"),
    )
    month_of = Case(When(EXACT_DAYS, then=YearMonth("start")), default=YearMonth("end"))
    found: dict[str, int] = defaultdict(int)
    for kind, month, count in (
        plan.activities.annotate(kind_of_date=kind_of_date, month=month_of)
        .values_list("kind_of_date", "month")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        if kind == "longer":
            found["longer"] += count
        elif kind != "undated" and month and month.startswith(f"{plan.year}-"):
            found[f"{kind[0]}{int(month[5:7])}"] += count
    tallest = max([found[f"e{m}"] + found[f"a{m}"] for m in range(1, 13)] + [1])
    bars = []
    for month in range(1, 13):
        exact, approximate = found[f"e{month}"], found[f"a{month}"]
        exact_height = round(GLANCE_HEIGHT * exact / tallest)
        approximate_height = round(GLANCE_HEIGHT * approximate / tallest)
        bars.append(
            MonthBar(
                month=month,
                label=str(MONTHS_3[month]).capitalize(),
                name=str(MONTHS[month]),
                exact=exact,
                approximate=approximate,
                url=reverse("web:calendar_month", args=[plan.year, f"{month:02d}"]),
                is_current=(now.year, now.month) == (plan.year, month),
                x=(month - 1) * 50,
                exact_y=20 + GLANCE_HEIGHT - exact_height,
                exact_height=exact_height,
                approximate_y=20 + GLANCE_HEIGHT - exact_height - approximate_height,
                approximate_height=approximate_height,
            )
        )
    return bars, found["longer"]


def home(request: HttpRequest) -> HttpResponse:
    """The current plan at a glance: the next activities, the year month by month, the latest
    news, downloads, all plans. Four queries."""
    plans_query = visible_plans(request.user)
    plans = list(plans_query.order_by("-year"))
    now = dates.today()
    upcoming = list(
        Activity.objects.filter(
            plan__in=plans_query.filter(status=Plan.Status.APPROVED),
            end__gte=now,
            start__isnull=False,
        )
        .exclude(precision__in=_COARSE)
        .order_by("start", "end", "plan_id", "position")[:UPCOMING]
    )
    current = current_plan(plans, now.year)
    bars, longer = year_at_a_glance(current, now) if current else ([], 0)
    return render(
        request,
        "web/home.html",
        {
            "plans": plans,
            "current": current,
            "upcoming": upcoming,
            "today": now,
            "bars": bars,
            "longer": longer,
            "news": latest_news(LATEST_NEWS),
        },
    )


# --- organisation ------------------------------------------------------------------------------


@dataclass
class RoleGroup:
    """An organisation's activities in one role (or those whose reports name it), by year
    (each year's first GROUP_LIMIT)."""

    role: str
    label: str
    years: list[YearGroup] = field(default_factory=list)


@dataclass
class YearGroup:
    year: int
    activities: list[Activity] = field(default_factory=list)
    total: int = 0
    more_url: str = ""  # where the rest are listed

    @property
    def more(self) -> int:
        return max(self.total - len(self.activities), 0)


@dataclass
class AccountYear:
    """An organisation's part in one plan year: rows it was responsible for, rows whose closing
    report names it among those present, how many of either were held, what it published."""

    year: int
    organisation_id: int
    involved: int = 0  # responsible or present
    responsible: int = 0
    took_part: int = 0
    held: int = 0
    news: int = 0
    execution: bool = False  # the plan is approved: its execution page lists the rows

    def _rows(self, **wanted: str | int) -> str:
        if not self.execution:
            return ""
        return f"{reverse('reports:execution_rows', args=[self.year])}?{urlencode(wanted)}"

    @property
    def involved_url(self) -> str:
        return self._rows(member=self.organisation_id)

    @property
    def responsible_url(self) -> str:
        return self._rows(organisation=self.organisation_id)

    @property
    def held_url(self) -> str:
        return self._rows(state="held", member=self.organisation_id)


def _took_part(found: Organisation) -> Q:
    """The activities whose closing report names the organisation among the members or the
    partners present."""
    return Q(
        pk__in=ClosingReport.members.through.objects.filter(organisation=found).values(
            "closingreport__activity_id"
        )
    ) | Q(
        pk__in=ClosingReport.partners.through.objects.filter(organisation=found).values(
            "closingreport__activity_id"
        )
    )


def _account(found: Organisation, plans: QuerySet[Plan]) -> tuple[list[AccountYear], int]:
    """The organisation's account by year, newest first, and its publications in all: two
    queries."""
    responsible = Q(pk__in=Responsibility.objects.filter(organisation=found).values("activity_id"))
    took_part = _took_part(found)
    years: dict[int, AccountYear] = {}
    for year, status, involved, responsible_for, present, held_count in (
        with_progress_status(Activity.objects.filter(plan__in=plans))
        .filter(responsible | took_part)
        .values_list("plan__year", "plan__status")
        .annotate(
            involved=Count("pk"),
            responsible_for=Count("pk", filter=responsible),
            present=Count("pk", filter=took_part),
            held=Count("pk", filter=held()),
        )
        .order_by()
    ):
        years[year] = AccountYear(
            year,
            found.pk,
            involved=involved,
            responsible=responsible_for,
            took_part=present,
            held=held_count,
            execution=status == Plan.Status.APPROVED,
        )
    news = 0
    for year, count in (
        Submission.objects.filter(status=Submission.Status.PUBLISHED, organisation=found)
        .annotate(year=ExtractYear("published"))
        .values_list("year")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        news += count
        if year is not None:
            years.setdefault(year, AccountYear(year, found.pk)).news = count
    return sorted(years.values(), key=lambda line: -line.year), news


def _by_role(found: Organisation, plans: QuerySet[Plan], more_url: str) -> list[RoleGroup]:
    """The organisation's activities by role and year, each with its participants when
    reported. One query."""
    links = _first_of_each_group(
        Responsibility.objects.filter(organisation=found, activity__plan__in=plans)
        .select_related("activity")
        .annotate(
            participants=F("activity__report__participants"),
            progress_status=latest_progress_status("activity__"),
        ),
        [F("role"), F("activity__plan__year")],
        activity="activity__",
    )
    by_role: dict[str, dict[int, YearGroup]] = defaultdict(dict)
    seen: set[tuple[str, int]] = set()
    for link in links:
        years = by_role[link.role]
        if link.year not in years:
            years[link.year] = YearGroup(link.year, total=link.total, more_url=more_url)
        if (link.role, link.activity_id) not in seen:  # named twice in one row
            seen.add((link.role, link.activity_id))
            link.activity.participants = link.participants
            link.activity.progress_status = link.progress_status
            years[link.year].activities.append(link.activity)
    return [
        RoleGroup(role, str(role.label), list(by_role[role].values()))
        for role in _ROLES
        if role in by_role
    ]


def _present(
    found: Organisation, plans: QuerySet[Plan], account: list[AccountYear]
) -> RoleGroup | None:
    """The activities whose reports name the organisation, by year (the rest on the year's
    execution page). One query."""
    more_urls = {line.year: line.involved_url for line in account}
    years: dict[int, YearGroup] = {}
    for activity in _first_of_each_group(
        Activity.objects.filter(plan__in=plans)
        .filter(_took_part(found))
        .annotate(participants=F("report__participants"), progress_status=latest_progress_status()),
        [F("plan__year")],
        activity="",
    ):
        if activity.year not in years:
            years[activity.year] = YearGroup(
                activity.year, total=activity.total, more_url=more_urls.get(activity.year, "")
            )
        years[activity.year].activities.append(activity)
    if not years:
        return None
    return RoleGroup("took_part", _("Участвовала"), list(years.values()))


def organisation(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """An organisation: its kind, spellings, membership, its account by year, its activities by
    role and year and those it took part in, its latest publications. Seven queries."""
    plans = visible_plans(request.user)
    found = (
        public_organisations(plans)
        .filter(pk=pk, collective=False)  # a group («партнёры») is text, not an organisation
        .select_related("membership", "membership__city")
        .first()
    )
    if found is None:
        raise Http404(_("Организация не найдена."))
    if slug != found.slug:
        return redirect(found.get_absolute_url(), permanent=True)
    name_key = fold(found.name)
    aliases = [
        text for text in found.aliases.values_list("text", flat=True) if fold(text) != name_key
    ]
    calendar_query = urlencode({"organisation": found.pk})
    roles = _by_role(found, plans, f"{reverse('web:calendar')}?{calendar_query}")
    account, news_count = _account(found, plans)
    present = _present(found, plans, account)
    membership = getattr(found, "membership", None)
    return render(
        request,
        "web/organisation.html",
        {
            "organisation": found,
            "aliases": aliases,
            "roles": [*roles, present] if present else roles,
            "account": account,
            "news": list(published().filter(organisation=found)[:ORGANISATION_NEWS]),
            "news_count": news_count,
            "news_url": f"{reverse('newsroom:news')}?{urlencode({'organisation': found.pk})}",
            "membership": membership,
            "member_city_url": city_url(membership.city.city)
            if membership and membership.city and membership.city.city
            else "",
            "calendar_query": calendar_query,
        },
    )


# --- city --------------------------------------------------------------------------------------


def city(request: HttpRequest, slug: str) -> HttpResponse:
    """A city: where it is, whether it is a member, its activities by year. Three queries."""
    plans = visible_plans(request.user)
    names: set[str] = set()
    regions: set[str] = set()
    countries: set[str] = set()
    for name, region, country in (
        public_places(plans).values_list("city", "region", "country").distinct()
    ):
        if city_slug(name) == slug.lower():
            names.add(name)
            if region:
                regions.add(region)
            countries.add(country)
    if not names:
        raise Http404(_("Город не найден."))
    name = min(names, key=lambda n: (n != n.strip(), n))
    group = [F("plan__year")]
    activities = list(
        _first_of_each_group(
            Activity.objects.filter(
                plan__in=plans,
                pk__in=ActivityPlace.objects.filter(place__city__in=names).values("activity_id"),
            ),
            group,
            activity="",
        )
    )
    years: dict[int, YearGroup] = {}
    for activity in activities:
        years.setdefault(activity.year, YearGroup(activity.year, total=activity.total))
        years[activity.year].activities.append(activity)
    members, authorities = _city_bodies(names)
    return render(
        request,
        "web/city.html",
        {
            "city": name,
            "regions": sorted(regions),
            "countries": sorted(countries),
            "years": list(years.values()),
            "members": members,
            "authorities": authorities,
            "calendar_query": urlencode({"city": name}),
        },
    )


def _city_bodies(names: set[str]) -> tuple[list[Membership], list[Organisation]]:
    """The city's member municipalities (a Membership whose city is this city) and, failing
    that, the municipal bodies whose name mentions the city ("Администрация г. Перми"): they
    appear in the plans, which says nothing about membership. One query."""
    city_lemmas = set().union(*(lemmas(name) for name in names))
    members: list[Membership] = []
    authorities: list[Organisation] = []
    candidates = (
        Organisation.objects.filter(
            Q(kind=Organisation.Kind.MUNICIPAL) | Q(membership__city__city__in=names)
        )
        .filter(collective=False)
        .select_related("membership", "membership__city")
    )
    for body in candidates:
        membership = getattr(body, "membership", None)
        if membership is not None and membership.city and membership.city.city in names:
            members.append(membership)
        elif body.kind == Organisation.Kind.MUNICIPAL and city_lemmas <= lemmas(body.name):
            authorities.append(body)
    return members, authorities


def _first_of_each_group(queryset: QuerySet, group: list[F], activity: str) -> QuerySet:
    """The first GROUP_LIMIT rows of each group (by date, then plan position), newest year
    first, each with its group's `total`, in one query; `activity` is the path to the activity
    ("" for activities themselves, "activity__" for their links)."""
    # Only what a list item shows: the window sorts every row it is given, and a narrow row
    # sorts three times faster than the whole activity.
    shown = [f"{activity}{name}" for name in LIST_ITEM_FIELDS]
    if activity:
        shown += ["role", "activity_id"]
    return (
        queryset.only(*shown)
        .annotate(
            year=F(f"{activity}plan__year"),
            rank=Window(
                RowNumber(),
                partition_by=group,
                order_by=[F(f"{activity}start").asc(nulls_last=True), F(f"{activity}position")],
            ),
            total=Window(Count("pk"), partition_by=group),
        )
        .filter(rank__lte=GROUP_LIMIT)
        .order_by("-year", "rank")
    )

"""Reading contests: the public list in its three sections, a contest's page, an applicant's
and the staff's lists of applications, the plan rows a contest can be made from."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from civicplan.contests import phases
from civicplan.contests.models import Application, Contest
from civicplan.plans.models import Activity, Plan
from civicplan.plans.queries import visible_plans

User = AbstractBaseUser | AnonymousUser
COUNTED = Q(applications__status=Application.Status.SUBMITTED) & (
    Q(applications__user__isnull=False) | Q(applications__email_confirmed__isnull=False)
)


def counted_applications() -> Q:
    """The applications that count, as a condition on Application."""
    return Q(status=Application.Status.SUBMITTED) & (
        Q(user__isnull=False) | Q(email_confirmed__isnull=False)
    )


def visible_contests(user: User) -> QuerySet[Contest]:
    contests = Contest.objects.all()
    if not user.has_perm("contests.manage_contest"):
        contests = contests.filter(published=True, activity__plan__status=Plan.Status.APPROVED)
    return contests


@dataclass
class Sections:
    """The public list: contests taking applications (or about to), being judged, finished."""

    open: list[Contest] = field(default_factory=list)
    judging: list[Contest] = field(default_factory=list)
    finished: list[Contest] = field(default_factory=list)


def sections(user: User) -> Sections:
    """Every visible contest, in one query, each in the section its phase puts it."""
    contests = (
        visible_contests(user)
        .select_related("activity")
        .annotate(entries=Count("applications", filter=COUNTED))
        .order_by("call_closes", "id")
    )
    found = Sections()
    moment = phases.now()
    for contest in contests:
        section = phases.SECTIONS[phases.phase_at(contest.dates, moment)]
        getattr(found, section).append(contest)
    found.finished.reverse()  # the latest results first
    return found


def contest_page(user: User, pk: int) -> Contest | None:
    """A contest with all its page shows (its row, nominations, documents, the count of
    entries), in three queries."""
    return (
        visible_contests(user)
        .select_related("activity__plan")
        .prefetch_related("nominations", "documents")
        .annotate(entries=Count("applications", filter=COUNTED))
        .filter(pk=pk)
        .first()
    )


def applications_of(user: AbstractBaseUser, guest_ids: frozenset[int] = frozenset()):
    """The applicant's own applications: a user's, or those a guest's session holds."""
    mine = Q(user=user) if user.is_authenticated else Q(user=None, pk__in=guest_ids)
    return (
        Application.objects.filter(mine)
        .select_related("contest", "nomination", "organisation")
        .order_by("-updated", "-id")
    )


def staff_applications(contest: Contest) -> QuerySet[Application]:
    return (
        contest.applications.select_related("nomination", "organisation", "user")
        .prefetch_related("files")
        .order_by("nomination__position", "id")
    )


def contest_rows(user: AbstractBaseUser) -> QuerySet[Activity]:
    """The plan rows a contest is made from: contests of the plans staff see, newest first."""
    return (
        Activity.objects.filter(plan__in=visible_plans(user), kind=Activity.Kind.CONTEST)
        .select_related("plan")
        .order_by("-plan__year", "position")
    )


def staff_contests() -> QuerySet[Contest]:
    return (
        Contest.objects.select_related("activity__plan")
        .annotate(
            entries=Count("applications", filter=COUNTED),
            drafts=Count("applications", filter=Q(applications__status="draft")),
        )
        .order_by("-call_opens", "id")
    )


def application_form(contest: Contest):
    """The contest's questions in order, with nominations (for the applicant's form)."""
    return list(contest.fields.all()), list(contest.nominations.all())

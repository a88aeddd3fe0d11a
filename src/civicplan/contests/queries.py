"""Reading contests: the public list in its three sections, a contest's page, an applicant's
and the staff's lists of applications, the plan rows a contest can be made from; the jury: the
parties a conflict of interest is checked between, a juror's seats and entries, an entry as a
juror sees it, the staff's jury and assignment pages — each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from civicplan.contests import phases
from civicplan.contests.assignment import Party
from civicplan.contests.models import (
    Application,
    Assignment,
    Contest,
    Juror,
    Score,
    ScoreCategory,
)
from civicplan.plandoc.organisations import organisation_key
from civicplan.plans.models import Activity, Plan
from civicplan.plans.queries import visible_plans
from civicplan.text import fold

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


# -- the jury -------------------------------------------------------------------------------------


def _keys(*names: str) -> frozenset[str]:
    return frozenset(key for key in map(organisation_key, names) if key)


def _people(user_id: int | None, *addresses: str) -> frozenset[str]:
    people = {f"mail:{address.strip().lower()}" for address in addresses if address.strip()}
    return frozenset(people | ({f"user:{user_id}"} if user_id else set()))


def entry_parties(contest: Contest) -> list[Party]:
    """The contest's counting entries as the assignment sees them: the applicant (account and
    address), the organisation (the directory's and as written), the city. One query."""
    rows = (
        contest.applications.filter(counted_applications())
        .values_list("pk", "user_id", "email", "organisation__name", "organisation_name", "city")
        .order_by("pk")
    )
    return [
        Party(pk, _people(user, email), _keys(listed or "", written), fold(city))
        for pk, user, email, listed, written, city in rows
    ]


def active_jurors(contest: Contest) -> QuerySet[Juror]:
    return contest.jurors.filter(
        user__isnull=False, accepted__isnull=False, removed__isnull=True
    ).order_by("pk")


def juror_parties(contest: Contest) -> list[Party]:
    """The jury's active members as the assignment sees them: the account and its addresses,
    the organisation (the directory's, as written, and the one they coordinate, if any), the
    city. One query."""
    rows = active_jurors(contest).values_list(
        "pk",
        "user_id",
        "email",
        "user__email",
        "organisation__name",
        "organisation_name",
        "user__coordinator__organisation__name",
        "city",
    )
    return [
        Party(pk, _people(user, email, account or ""), _keys(*(n or "" for n in names)), fold(city))
        for pk, user, email, account, *names, city in rows
    ]


def seats_of(user: AbstractBaseUser) -> QuerySet[Juror]:
    """The user's seats on juries, with their contests and the count of entries to score and
    scored. One query."""
    live = Q(assignments__conflict__isnull=True)
    return (
        Juror.objects.filter(user=user, accepted__isnull=False, removed__isnull=True)
        .select_related("contest")
        .annotate(
            entries=Count("assignments", filter=live),
            done=Count("assignments", filter=live & Q(assignments__scored__isnull=False)),
        )
        .order_by("-contest__judging_starts", "pk")
    )


def seat(user: AbstractBaseUser, contest_id: int) -> Juror | None:
    return (
        Juror.objects.filter(
            user=user, contest_id=contest_id, accepted__isnull=False, removed__isnull=True
        )
        .select_related("contest")
        .first()
    )


def juror_entries(juror: Juror) -> list[Assignment]:
    """The entries given to the juror (not those they declared a conflict with), each with its
    nomination and how many categories they scored. One query."""
    return list(
        juror.assignments.filter(conflict__isnull=True)
        .select_related("application__nomination")
        .annotate(given=Count("scores"))
        .order_by("application__nomination__position", "application_id")
    )


def assignment_for_review(pk: int) -> Assignment | None:
    """An assignment with the entry a juror reviews: its contest, nomination, questions,
    files and the juror's own scores."""
    return (
        Assignment.objects.select_related(
            "juror", "contest", "application__nomination", "application__organisation"
        )
        .prefetch_related(
            "contest__fields",
            "contest__categories",
            "application__files",
            Prefetch("scores", Score.objects.select_related("category")),
        )
        .filter(pk=pk)
        .first()
    )


def others_scores(given: Assignment) -> list[Assignment]:
    """The other jurors' assignments of the same entry with their scores (for the discussion
    phase)."""
    return list(
        Assignment.objects.filter(application_id=given.application_id, conflict__isnull=True)
        .exclude(pk=given.pk)
        .select_related("juror")
        .prefetch_related(Prefetch("scores", Score.objects.select_related("category")))
        .order_by("juror__name", "pk")
    )


@dataclass
class JuryPage:
    """What the staff's jury page shows: the jurors with their loads, the categories, and
    the counts of entries."""

    jurors: list[Juror]
    categories: list[ScoreCategory]
    entries: int
    assigned: int


def jury_page(contest: Contest) -> JuryPage:
    """Four queries, whatever the jury's and the entries' numbers."""
    live = Q(assignments__conflict__isnull=True)
    jurors = list(
        contest.jurors.select_related("organisation", "user")
        .annotate(
            entries=Count("assignments", filter=live),
            done=Count("assignments", filter=live & Q(assignments__scored__isnull=False)),
            conflicts=Count("assignments", filter=Q(assignments__conflict__isnull=False)),
        )
        .order_by("removed", "name", "pk")
    )
    counted = contest.applications.filter(counted_applications())
    return JuryPage(
        jurors=jurors,
        categories=list(contest.categories.all()),
        entries=counted.count(),
        assigned=counted.filter(assignments__isnull=False).distinct().count(),
    )


@dataclass
class Progress:
    """The staff's assignment page: each counting entry with its jurors and their states,
    and each juror's load."""

    entries: list[Application]
    jurors: list[Juror]
    by_entry: dict[int, list[Assignment]]


def progress(contest: Contest) -> Progress:
    """Three queries, whatever the numbers of entries and jurors."""
    entries = list(
        contest.applications.filter(counted_applications())
        .select_related("nomination", "organisation")
        .order_by("nomination__position", "pk")
    )
    live = Q(assignments__conflict__isnull=True)
    jurors = list(
        contest.jurors.filter(removed__isnull=True)
        .annotate(
            entries=Count("assignments", filter=live),
            done=Count("assignments", filter=live & Q(assignments__scored__isnull=False)),
        )
        .order_by("name", "pk")
    )
    by_entry: dict[int, list[Assignment]] = {}
    for given in (
        contest.assignments.select_related("juror")
        .annotate(given=Count("scores"))
        .order_by("application_id", "juror__name", "pk")
    ):
        by_entry.setdefault(given.application_id, []).append(given)
    for entry in entries:
        entry.jury = by_entry.get(entry.pk, [])
    return Progress(entries, jurors, by_entry)

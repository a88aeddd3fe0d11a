"""The members' home: a coordinator's organisation, submissions (with their history) and
activities, those that ended without a closing report first; the staff's links to their work
and, per plan year, how many rows await a report. It draws on several apps, so it lives at the
top."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civicplan.accounts.models import Invitation
from civicplan.accounts.rules import coordinator_organisation_id
from civicplan.common import dates
from civicplan.common.paging import paginate
from civicplan.common.views import requires
from civicplan.directory.models import Organisation
from civicplan.newsroom.models import Submission, SubmissionEvent
from civicplan.plans.models import Activity, Plan
from civicplan.reports.queries import ended_without_report

PER_PAGE = 20
PAST_ACTIVITIES = 20


def _spoken_for(user) -> Q:
    """The submissions a coordinator may see (as newsroom.view_submission says): their own
    and their organisation's."""
    condition = Q(author_id=user.pk)
    organisation_id = coordinator_organisation_id(user)
    if organisation_id is not None:
        condition |= Q(organisation_id=organisation_id)
    return condition


def _with_history(submissions):
    return submissions.select_related("activity__plan").prefetch_related(
        Prefetch("history", queryset=SubmissionEvent.objects.select_related("actor"))
    )


def _awaiting_by_year(today: date) -> list[Plan]:
    """The approved plans, newest first, each with `awaiting`: its rows in the execution's
    state "awaiting a report" (ended, neither held nor reported nor cancelled). One query."""
    awaiting = ended_without_report(today).exclude(status=Activity.Status.HELD).values("pk")
    return list(
        Plan.objects.filter(status=Plan.Status.APPROVED)
        .annotate(awaiting=Count("activities", filter=Q(activities__in=awaiting)))
        .order_by("-year")
    )


@requires("accounts.view_dashboard")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """A coordinator's organisation, submissions (with their history) and activities, those
    owing a report first; the staff's links to their work and the rows awaiting a report."""
    user = request.user
    context: dict = {"is_staff": user.has_perm("accounts.invite")}
    organisation_id = coordinator_organisation_id(user)
    if organisation_id is not None:
        today = dates.today()
        activities = Activity.objects.filter(
            plan__status=Plan.Status.APPROVED,
            pk__in=Activity.objects.filter(
                responsibilities__organisation_id=organisation_id
            ).values("pk"),
        ).select_related("plan")
        context.update(
            organisation=Organisation.objects.get(pk=organisation_id),
            upcoming=activities.filter(Q(end__gte=today) | Q(end__isnull=True)).order_by(
                "start", "plan__year", "position"
            ),
            past=activities.filter(end__lt=today).order_by("-end", "-position")[:PAST_ACTIVITIES],
            # Held ones too: the numbers and materials of a held activity go in its report.
            without_report=ended_without_report(today)
            .filter(pk__in=activities.values("pk"))
            .select_related("plan")
            .order_by("-end", "-position"),
        )
    submissions = Submission.objects.filter(_spoken_for(user))
    if organisation_id is not None or submissions.exists():
        context["pager"] = paginate(_with_history(submissions), PER_PAGE, request)
    if context["is_staff"]:
        context["pending_invitations"] = Invitation.objects.filter(
            accepted__isnull=True, revoked__isnull=True, expires__gt=timezone.now()
        ).count()
        context["execution"] = _awaiting_by_year(dates.today())
    return render(request, "web/account.html", context)

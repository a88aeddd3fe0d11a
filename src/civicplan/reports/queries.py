"""Reading what was done for other apps' pages: an activity's outcome (its closing report,
materials, progress and parts), and the execution's states as database conditions — held,
ended without a report — for pages that count them in SQL (the members' home, an
organisation's account), so that they count what the execution page counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from civicplan.common.urls import slug_of
from civicplan.plans.models import Activity, Plan
from civicplan.reports.models import ClosingReport, ProgressEntry, ReportMaterial


@dataclass
class Part:
    """A row that is part of another, as its parent's page lists it."""

    id: int
    title: str
    status: str
    reported: bool
    percent: int | None  # its latest progress

    @property
    def url(self) -> str:
        return reverse("web:activity", args=[self.id, slug_of(self.title)])

    @property
    def done(self) -> int | None:
        """Its share in the parent's progress: 100 held, None cancelled (not counted)."""
        if self.status == Activity.Status.CANCELLED:
            return None
        if self.reported or self.status == Activity.Status.HELD:
            return 100
        return self.percent or 0


@dataclass
class Outcome:
    report: ClosingReport | None = None
    photos: list[ReportMaterial] = field(default_factory=list)
    others: list[ReportMaterial] = field(default_factory=list)  # files and links
    progress: list[ProgressEntry] = field(default_factory=list)  # newest first
    parts: list[Part] = field(default_factory=list)

    @property
    def rolled_up(self) -> int | None:
        """The parent's per cent from its parts (the mean of theirs), None without parts."""
        counted = [part.done for part in self.parts if part.done is not None]
        return round(sum(counted) / len(counted)) if counted else None

    def __bool__(self) -> bool:
        return bool(self.report or self.progress or self.parts)


def outcome_of(activity: Activity) -> Outcome:
    """Three queries (six with a report: its members, partners and materials)."""
    report = (
        ClosingReport.objects.filter(activity=activity)
        .prefetch_related("members", "partners", "materials")
        .first()
    )
    outcome = Outcome(report=report)
    if report is not None:
        for material in report.materials.all():
            shown = material.kind == ReportMaterial.Kind.PHOTO and material.thumbnail
            (outcome.photos if shown else outcome.others).append(material)
    outcome.progress = list(activity.progress.order_by("-on", "-id"))
    latest = ProgressEntry.objects.filter(activity=OuterRef("pk")).order_by("-on", "-id")
    outcome.parts = [
        Part(
            values["id"],
            values["title"],
            values["status"],
            values["report__id"] is not None,
            values["percent"],
        )
        for values in activity.children.order_by("position")
        .annotate(percent=Subquery(latest.values("percent")[:1]))
        .values("id", "title", "status", "report__id", "percent")
    ]
    return outcome


def latest_progress_status(path: str = "") -> Coalesce:
    """The status of the latest progress entry ("" without one) of the activity at `path`
    ("" on activities, "activity__" on rows that point at one)."""
    latest = ProgressEntry.objects.filter(activity=OuterRef(f"{path}pk")).order_by("-on", "-id")
    return Coalesce(Subquery(latest.values("status")[:1]), Value(""))


def with_progress_status(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The rows with `progress_status`, which `held` and `ended_without_report` read."""
    return activities.alias(progress_status=latest_progress_status())


def held() -> Q:
    """Held as the execution says (execution._settle): not cancelled, and marked held,
    reported, or done by its latest progress step. On rows `with_progress_status`."""
    reported = ClosingReport.objects.values("activity_id")
    return ~Q(status=Activity.Status.CANCELLED) & (
        Q(status=Activity.Status.HELD)
        | Q(pk__in=reported)
        | Q(progress_status=ProgressEntry.Status.DONE)
    )


def ended_without_report(today: date) -> QuerySet[Activity]:
    """Rows of approved plans that ended before `today`, not cancelled, with no closing report
    and not done by their latest progress step: what a report is owed for (those marked held
    too: their numbers and materials belong in a report). Without the held ones, the
    execution's state "awaiting"."""
    return (
        with_progress_status(
            Activity.objects.filter(plan__status=Plan.Status.APPROVED, end__lt=today)
        )
        .exclude(status=Activity.Status.CANCELLED)
        .exclude(pk__in=ClosingReport.objects.values("activity_id"))
        .exclude(progress_status=ProgressEntry.Status.DONE)
    )

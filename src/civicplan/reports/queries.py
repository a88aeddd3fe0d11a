"""Reading what was done for other apps' pages: an activity's outcome (its closing report,
materials, progress and parts), the rows still waiting for a report."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from civicplan.common.urls import slug_of
from civicplan.plans.models import Activity
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

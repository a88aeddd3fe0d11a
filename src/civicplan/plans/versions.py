"""A plan's versions: what each froze, what the next one changed, and how a document names them.

Version 1 is the plan as approved; each later version collects the amendments staff published
together. A version keeps the plan's rows as `civicplan.plan/1` JSON with each row's uid and
status (`snapshot`), so it can be written again as a DOCX or PDF "as it stood" and compared
row by row, by uid, with the version before it (`compare`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from civicplan.plandoc.jsonio import plan_from_json, plan_to_json
from civicplan.plandoc.model import Note, PlanDocument, VersionLabel
from civicplan.plans.exporting import plan_document
from civicplan.plans.models import Activity, Amendment, Plan, PlanVersion

# What a reader of the changes page compares, in this order: (the label, how a row's JSON
# gives the value).
COMPARED = (
    (gettext_lazy("сроки"), lambda row: row["when"]["text"]),
    (gettext_lazy("название"), lambda row: row["title"]),
    (gettext_lazy("место проведения"), lambda row: row["place"]["text"] or ""),
    (
        gettext_lazy("ответственные"),
        lambda row: "; ".join(party["name"] for party in row["responsible"]),
    ),
    (gettext_lazy("формат"), lambda row: _format_label(row["format"])),
    (gettext_lazy("состояние"), lambda row: _status_label(row.get("status", "planned"))),
)


def _status_label(status: str) -> str:
    return str(dict(Activity.Status.choices).get(status, status))


def _format_label(value: str | None) -> str:
    return str(dict(Activity.Format.choices).get(value, "")) if value else ""


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's rows now, as a version keeps them: its JSON, each row with its uid and status,
    and the notes with their places."""
    document = plan_document(plan)
    data = plan_to_json(document)
    for row, activity in zip(data["activities"], document.activities, strict=True):
        row["uid"], row["status"] = activity.uid, activity.status
    data["placed_notes"] = [{"text": note.text, "after": note.after} for note in document.notes]
    return data


def version_document(version: PlanVersion) -> PlanDocument:
    """The plan as it stood at `version`, named by it, for the writers."""
    document = plan_from_json(version.document)
    document.notes = [
        Note(note["text"], note["after"]) for note in version.document.get("placed_notes", [])
    ]
    document.time_zone = settings.CIVICPLAN_PLAN_TIME_ZONE
    document.version = VersionLabel(version.number, timezone.localdate(version.published))
    return document


@dataclass
class RowChange:
    """One row's difference between two versions, with the amendments' reasons for it."""

    kind: str  # added, removed, changed
    title: str
    uid: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    reasons: list[str] = field(default_factory=list)


def compare(
    before: dict[str, Any] | None, after: dict[str, Any], amendments: Iterable[Amendment] = ()
) -> list[RowChange]:
    """What `after` changed against `before` (None: nothing before), row by row by uid, in the
    order of `after` (removed rows last); each change with the reasons its amendments gave."""
    reasons: dict[str, list[str]] = defaultdict(list)
    for amendment in amendments:
        if amendment.reason not in reasons[str(amendment.activity_uid)]:
            reasons[str(amendment.activity_uid)].append(amendment.reason)
    old = {row["uid"]: row for row in (before or {}).get("activities", []) if row.get("uid")}
    changed: list[RowChange] = []
    seen: set[str] = set()
    for row in after.get("activities", []):
        uid = row.get("uid")
        if not uid:
            continue
        seen.add(uid)
        previous = old.get(uid)
        if previous is None:
            changed.append(RowChange("added", row["title"], uid, reasons=reasons[uid]))
            continue
        differences = [
            (str(label), value(previous), value(row))
            for label, value in COMPARED
            if value(previous) != value(row)
        ]
        if differences:
            changed.append(RowChange("changed", row["title"], uid, differences, reasons[uid]))
    for uid, row in old.items():
        if uid not in seen:
            changed.append(RowChange("removed", row["title"], uid, reasons=reasons[uid]))
    return changed


@dataclass
class VersionChanges:
    version: PlanVersion
    rows: list[RowChange]


def plan_changes(plan: Plan) -> list[VersionChanges]:
    """Every version of the plan, newest first, with what it changed against the one before
    (version 1: nothing — it is the plan as approved). Two queries."""
    versions = list(plan.versions.order_by("number").select_related("published_by"))
    by_version: dict[int, list[Amendment]] = defaultdict(list)
    for amendment in Amendment.objects.filter(plan=plan, version__isnull=False):
        by_version[amendment.version_id].append(amendment)
    listed = []
    previous = None
    for version in versions:
        rows = (
            compare(previous.document, version.document, by_version[version.pk])
            if previous is not None
            else []
        )
        listed.append(VersionChanges(version, rows))
        previous = version
    return listed[::-1]

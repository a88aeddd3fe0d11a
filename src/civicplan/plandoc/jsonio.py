"""The JSON form of a plan (`civicplan.plan/1`): the product's public contract.

See docs/formats.md. `plan_to_json` writes it; `plan_from_json` reads it back into the same
PlanDocument, so JSON is also an import format. Keys added to the format after its first
version (the times of day in `when`, an activity's `extra` fields, a stored plan's version
number) are optional to a reader: a document without them reads as one without times, extra
fields or version.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from civicplan.plandoc.model import (
    Activity,
    City,
    Note,
    Place,
    PlanDocument,
    Responsible,
    VersionLabel,
)
from civicplan.timeframes import Timeframe

FORMAT = "civicplan.plan/1"


def plan_to_json(plan: PlanDocument) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "plan": {
            "title": plan.title,
            "year": plan.year,
            **({"version": version_json(plan.version)} if plan.version else {}),
        },
        "activities": [_activity(activity) for activity in plan.activities],
        "notes": [note.text for note in plan.notes],
    }


def version_json(label: VersionLabel) -> dict[str, Any]:
    return {
        "number": label.number,
        "published": label.published.isoformat(),
        "amended_on": label.amended_on.isoformat() if label.amended_on else None,
        "label": str(label),
    }


def place_json(place: Place) -> dict[str, Any]:
    """A place as the plan JSON writes it (the import's preview shows the same)."""
    return {
        "text": place.text,
        "cities": [
            {"name": city.name, "region": city.region, "country": city.country}
            for city in place.cities
        ],
        "venue": place.venue,
        "scope": place.scope,
    }


def _activity(activity: Activity) -> dict[str, Any]:
    when = activity.when
    return {
        "position": activity.position,
        "section": list(activity.section),
        "when": {**when.interval_dict(), "edtf": when.edtf},
        "title": activity.title,
        "kind": activity.kind,
        "involvement": activity.involvement,
        "format": activity.format,
        "place": place_json(activity.place),
        "responsible": [
            {
                "name": party.name,
                "role": party.role,
                "kind": party.kind,
                "contact": party.contact,
                "remark": party.remark,
            }
            for party in activity.responsible
        ],
        "notes": list(activity.notes),
        "extra": [{"header": header, "text": text} for header, text in activity.extra],
    }


def plan_from_json(data: dict[str, Any]) -> PlanDocument:
    """The PlanDocument a `civicplan.plan/1` object describes (no re-reading of texts)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document: format is {data.get('format')!r}")
    plan = PlanDocument(title=data["plan"]["title"], year=data["plan"].get("year"))
    version = data["plan"].get("version")
    if version:
        plan.version = VersionLabel(
            version["number"],
            date.fromisoformat(version["published"]),
            _date(version["amended_on"]),
        )
    for item in data["activities"]:
        when = item["when"]
        place = item["place"]
        plan.activities.append(
            Activity(
                position=item["position"],
                section=(item["section"][0], item["section"][1]),
                when=Timeframe(
                    text=when["text"],
                    start=_date(when["start"]),
                    end=_date(when["end"]),
                    precision=when["precision"],
                    start_time=_time(when.get("start_time")),
                    end_time=_time(when.get("end_time")),
                ),
                title=item["title"],
                kind=item["kind"],
                involvement=item["involvement"],
                format=item["format"],
                place=Place(
                    text=place["text"],
                    cities=tuple(City(**city) for city in place["cities"]),
                    venue=place["venue"],
                    scope=place["scope"],
                ),
                responsible=[Responsible(**party) for party in item["responsible"]],
                notes=list(item["notes"]),
                extra=[(field["header"], field["text"]) for field in item.get("extra", ())],
            )
        )
    # The JSON keeps the notes' texts only: they come back after the last activity.
    plan.notes = [Note(text, after=len(plan.activities)) for text in data["notes"]]
    return plan


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _time(value: str | None) -> time | None:
    """A time of day written "HH:MM" (or any ISO 8601 time), or None."""
    return time.fromisoformat(value) if value else None

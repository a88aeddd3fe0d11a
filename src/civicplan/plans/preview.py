"""What the staff import shows at its two checks, built by its tasks and kept on the ImportJob
as JSON (a page then reads one row, whatever the plan's size):

- `column_tables`: each plan table's columns (one entry per header signature): the headers as
  written, three sample cells of each column, the roles the layout guessed and the roles to
  read it with (remembered from an earlier file with the same header, or the guess);
- `preview`: every row as understood: the time frame read back in words with its dates,
  precision and times, the kind, involvement and format, the places, each responsible party
  with its role and whether it is an organisation the directory knows, the extra fields.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings

from civicplan.plandoc import PlanDocument
from civicplan.plandoc.columns import normal
from civicplan.plandoc.jsonio import place_json
from civicplan.plandoc.layout import HEADER_SEARCH_ROWS, Columns
from civicplan.plandoc.model import Activity, Responsible
from civicplan.plandoc.organisations import OrganisationIndex, organisation_key
from civicplan.plandoc.raw import RawDocument
from civicplan.plandoc.source import Row, SourceDocument, Table
from civicplan.timeframes import Timeframe
from civicplan.timeframes.formatter import format as say

SAMPLES = 3  # sample cells shown for each column
SAMPLE_ROWS = 40  # rows under the header searched for them
SAMPLE_LENGTH = 120  # characters of a sample cell shown


def signature_key(signature: Sequence[str]) -> str:
    """The key a header signature is remembered by (a signature may be long)."""
    text = json.dumps(list(signature), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def has_header(signature: Sequence[str]) -> bool:
    """Whether a table has a header row (a headerless table's signature is all empty)."""
    return any(signature)


# -- the columns -----------------------------------------------------------------------------


def column_tables(
    source: SourceDocument, raw: RawDocument, remembered: Mapping[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each distinct header signature of the plan's tables, in order: headers, samples, the
    guessed roles and the roles to use. `remembered` holds, by `signature_key`, the roles
    staff chose for that header before ({"roles", "by", "on"})."""
    tables: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()
    for columns in raw.columns:
        signature = columns.signature
        if signature in seen:
            continue
        seen.add(signature)
        samples = _samples(source, signature)
        entry: dict[str, Any] = {
            "signature": list(signature),
            "headers": list(columns.headers),
            "guessed": list(columns.roles),
            "roles": list(columns.roles),
            "samples": samples if samples is not None else [[] for _ in columns.headers],
            "table": samples is not None,  # False: a list plan, with no table to choose for
            "remembered": None,
        }
        memory = remembered.get(signature_key(signature)) if has_header(signature) else None
        if memory is not None and samples is not None and len(memory["roles"]) == len(signature):
            entry["roles"] = list(memory["roles"])
            entry["remembered"] = {"by": memory["by"], "on": memory["on"]}
        tables.append(entry)
    return tables


def chosen_columns(tables: Sequence[Mapping[str, Any]]) -> Columns:
    """The roles to read the document with, by header signature (the list plan has none)."""
    return {
        tuple(table["signature"]): tuple(table["roles"])
        for table in tables
        if table.get("table", True)
    }


def _samples(source: SourceDocument, signature: tuple[str, ...]) -> list[list[str]] | None:
    """The first cells of each column under the table's header, from the first table with
    this header (or, for a headerless signature, of this width); None when none has it."""
    width = len(signature)
    for block in source.blocks:
        if not isinstance(block, Table):
            continue
        if has_header(signature):
            start = _below_header(block.rows, signature)
        else:
            start = 0 if block.width == width else None
        if start is not None:
            return _column_samples(block.rows[start : start + SAMPLE_ROWS], width)
    return None


def _below_header(rows: list[Row], signature: tuple[str, ...]) -> int | None:
    """The index of the first row under the header: a row whose cells are the signature, or
    the top row of a two-row header whose cells begin its texts («Сроки» over «начало»)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [normal(text) for text in row.texts()]
        texts += [""] * (len(signature) - len(texts))
        if texts == list(signature):
            return index + 1
        if any(texts) and all(
            header.startswith(text) for text, header in zip(texts, signature, strict=False)
        ):
            return index + 2
    return None


def _column_samples(rows: list[Row], width: int) -> list[list[str]]:
    """Up to SAMPLES different texts of each column, from rows with two cells or more that
    are not a row of column numbers; a cell merged across columns counts for its first."""
    samples: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        texts = [cell.text.strip() for cell in row.own if cell.text.strip()]
        if len(texts) < 2 or all(text.isdigit() and len(text) <= 2 for text in texts):
            continue
        for column in range(width):
            cell = row.slot(column)
            if cell is None or (column and row.slot(column - 1) is cell):
                continue
            text = " ".join(cell.text.split())
            if text and len(samples[column]) < SAMPLES and text not in samples[column]:
                cut = len(text) > SAMPLE_LENGTH
                samples[column].append(text[:SAMPLE_LENGTH].rstrip() + "…" if cut else text)
        if all(len(found) >= SAMPLES for found in samples):
            break
    return samples


# -- the rows --------------------------------------------------------------------------------


def preview(document: PlanDocument, known: OrganisationIndex, year_given: bool) -> dict[str, Any]:
    """The plan as understood, for the preview page. `known` is the directory's organisations
    (untouched by the reading); `year_given` says the year was staff's, not the document's."""
    rows = [_row(activity, known) for activity in document.activities]
    return {
        "title": document.title,
        "year": document.year,
        "year_given": year_given,
        "notes": len(document.notes),
        "activities": rows,
        "counts": _counts(rows),
    }


def _row(activity: Activity, known: OrganisationIndex) -> dict[str, Any]:
    return {
        "row": activity.source_row,
        "position": activity.position,
        "section": list(activity.section),
        "when": _when(activity.when),
        "title": activity.title,
        "kind": activity.kind,
        "involvement": activity.involvement,
        "format": activity.format,
        "place": place_json(activity.place),
        "responsible": [_party(party, known) for party in activity.responsible],
        "extra": [[header, text] for header, text in activity.extra],
        "notes": list(activity.notes),
    }


def _when(frame: Timeframe) -> dict[str, Any]:
    return {
        **frame.interval_dict(),
        "recurrence": frame.recurrence,
        "deadline": frame.deadline,
        # read back in words in every language of the site (the page shows its own)
        "words": {code: say(frame, code) for code, _name in settings.LANGUAGES},
    }


def _party(party: Responsible, known: OrganisationIndex) -> dict[str, Any]:
    """A responsible party and how it matched the directory: "exact" (a known organisation),
    "alias" (a known spelling of one), "near" (a near miss of a known one, corrected),
    "near_new" (a near miss of a name earlier in this file), "new", or "person"."""
    match, known_name = _match(party, known)
    return {
        "name": party.name,
        "written_as": party.written_as,
        "role": party.role,
        "kind": party.kind,
        "contact": party.contact,
        "remark": getattr(party, "remark", None),
        "match": match,
        "known": known_name,
    }


def _match(party: Responsible, known: OrganisationIndex) -> tuple[str, str | None]:
    if party.kind == "person":
        return "person", None
    written = party.written_as or party.name
    found = known.get(written)
    if found is not None:
        return ("exact" if organisation_key(written) == found.key else "alias"), found.name
    if party.written_as:
        found = known.get(party.name)
        return ("near", found.name) if found is not None else ("near_new", party.name)
    return "new", None


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Rows with dates, and the different parties by how they matched: organisations the
    directory knows (and, of them, those written with a slip somewhere), new ones, people."""
    names: dict[str, set[str]] = {"known": set(), "near": set(), "new": set(), "person": set()}
    groups = {
        "exact": ("known",),
        "alias": ("known",),
        "near": ("known", "near"),
        "near_new": ("new",),
        "new": ("new",),
        "person": ("person",),
    }
    for row in rows:
        for party in row["responsible"]:
            for group in groups[party["match"]]:
                names[group].add(party["name"])
    return {
        "rows": len(rows),
        "dated": sum(1 for row in rows if row["when"]["start"]),
        **{f"organisations_{kind}": len(found) for kind, found in names.items()},
    }

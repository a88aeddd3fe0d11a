"""A member's proposal read as a row of the plan: the same reading an imported row gets
(`civicplan.plandoc.understand.read_activity`: the time frame in the plan's year, the kind, the
venue, the partners matched to the organisations already known), with the proposing
organisation as organiser and the footnote the 2024 plan gives members' proposals. The row is
written by `civicplan.plans.actions.append_activity`, like any other.
"""

from __future__ import annotations

import dataclasses

from civicplan.directory.queries import organisation_index
from civicplan.newsroom.footnotes import proposal_footnote
from civicplan.newsroom.models import Submission
from civicplan.plandoc.model import Activity as ActivityRow
from civicplan.plandoc.model import Responsible
from civicplan.plandoc.organisations import organisation_key
from civicplan.plandoc.understand import read_activity


def proposal_row(submission: Submission, year: int) -> ActivityRow:
    """The proposal as a plan row for `year` (its position is set when it is appended)."""
    organisation = submission.organisation
    assert organisation is not None  # the action checks it
    partners = submission.proposal_partners.strip()
    row, _problems = read_activity(
        {
            "when": submission.proposal_when.strip(),
            "title": submission.title.strip(),
            "place": submission.proposal_place.strip(),
            "responsible": partners,
        },
        position=0,
        year=year,
        index=organisation_index(),
    )
    proposer = Responsible(organisation.name, "organiser", organisation.kind)
    return dataclasses.replace(
        row,
        responsible=_once_each([proposer, *row.responsible]),
        responsible_text=", ".join(part for part in (organisation.name, partners) if part),
        notes=[proposal_footnote(organisation.name)],
    )


def _once_each(parties: list[Responsible]) -> list[Responsible]:
    """Each organisation once, in its first role (a partner cell that names the proposer
    again adds nothing)."""
    seen: set[str] = set()
    kept = []
    for party in parties:
        key = organisation_key(party.name)
        if key not in seen:
            seen.add(key)
            kept.append(party)
    return kept

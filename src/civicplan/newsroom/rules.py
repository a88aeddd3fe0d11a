"""Who may see and change submissions (predicates from civicplan.accounts.rules)."""

from __future__ import annotations

import rules

from civicplan.accounts.rules import coordinator_organisation_id, is_coordinator, is_directorate


@rules.predicate
def speaks_for_submission(user, submission) -> bool:
    """The submission is the coordinator's own or their organisation's."""
    if submission is None:
        return False
    if submission.author_id is not None and submission.author_id == user.pk:
        return True
    organisation_id = coordinator_organisation_id(user)
    return organisation_id is not None and organisation_id == submission.organisation_id


@rules.predicate
def awaits_changes(user, submission) -> bool:
    return submission is not None and submission.status == "changes_requested"


rules.add_perm("newsroom.add_submission", is_directorate | is_coordinator)
rules.add_perm(
    "newsroom.view_submission", is_directorate | (is_coordinator & speaks_for_submission)
)
rules.add_perm(
    "newsroom.resubmit_submission", is_coordinator & speaks_for_submission & awaits_changes
)
rules.add_perm("newsroom.moderate_submission", is_directorate)
rules.add_perm("newsroom.change_submission", is_directorate)

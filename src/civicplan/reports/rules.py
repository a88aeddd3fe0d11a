"""Who may report what was done (predicates from civicplan.accounts.rules).

Staff report on any activity; a coordinator on the activities their organisation is
responsible for. The staff's execution page and the annual report's files are the
directorate's; the public execution page is everyone's.
"""

from __future__ import annotations

import rules

from civicplan.accounts.rules import coordinator_organisation_id, is_coordinator, is_directorate


@rules.predicate
def responsible_for_activity(user, activity) -> bool:
    """The coordinator's organisation is one of the activity's responsible parties."""
    organisation_id = coordinator_organisation_id(user)
    if activity is None or organisation_id is None:
        return False
    return activity.responsibilities.filter(organisation_id=organisation_id).exists()


rules.add_perm(
    "reports.report_activity", is_directorate | (is_coordinator & responsible_for_activity)
)
rules.add_perm("reports.view_execution", is_directorate)

"""Who may do what in operations: the directorate handles personal data requests."""

import rules

from civicplan.accounts.rules import is_directorate

rules.add_perm("operations.manage_personal_data", is_directorate)

"""The roles, as predicates (django-rules), and what each may do outside the newsroom.

- the directorate: active staff users (`is_staff`); they edit plans, the directory and the
  newsroom;
- the directorate's head: a superuser, or staff in the group HEAD_GROUP; only the head
  approves a plan and publishes its amendments as a new version;
- a coordinator: an active user with a Coordinator row, speaking for one organisation;
- the public: everyone else, who sees only what is published.
"""

from __future__ import annotations

import rules


@rules.predicate
def is_directorate(user) -> bool:
    return bool(user and user.is_active and user.is_staff)


HEAD_GROUP = "Руководство"


@rules.predicate
def is_directorate_head(user) -> bool:
    if not is_directorate(user):
        return False
    return user.is_superuser or user.groups.filter(name=HEAD_GROUP).exists()


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(user and user.is_active and hasattr(user, "coordinator"))


def coordinator_organisation_id(user) -> int | None:
    """The organisation a coordinator speaks for, or None for anyone else."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    coordinator = getattr(user, "coordinator", None)
    return coordinator.organisation_id if coordinator else None


rules.add_perm("accounts.invite", is_directorate)
rules.add_perm("accounts.view_dashboard", is_directorate | is_coordinator)
# The plans' and the directory's model permissions: the directorate's, without per-user grants.
for _perm in (
    "plans.view_plan",
    "plans.add_plan",
    "plans.change_plan",
    "plans.change_activity",
    "directory.add_organisation",
    "directory.change_organisation",
    "directory.view_organisation",
    "directory.merge_organisation",
    "directory.change_membership",
    "outbox.view_outgoingmessage",
    "outbox.change_outgoingmessage",
):
    rules.add_perm(_perm, is_directorate)
# A plan's approval and its amendments published as a version: the head's decisions.
rules.add_perm("plans.approve_plan", is_directorate_head)
rules.add_perm("plans.publish_amendments", is_directorate_head)
rules.add_perm("accounts.invite_head", is_directorate_head)

"""Every permission of `accounts/rules.py` for every role: who may do what, in one table."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from civicplan.accounts.models import Coordinator
from civicplan.accounts.rules import HEAD_GROUP
from civicplan.directory.models import Organisation

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "nobody", "coordinator", "staff", "head", "superuser", "inactive head")

# permission -> the roles (in ROLES order) that have it
MATRIX = {
    "accounts.invite": (0, 0, 0, 1, 1, 1, 0),
    "accounts.invite_head": (0, 0, 0, 0, 1, 1, 0),
    "accounts.view_dashboard": (0, 0, 1, 1, 1, 1, 0),
    "plans.view_plan": (0, 0, 0, 1, 1, 1, 0),
    "plans.add_plan": (0, 0, 0, 1, 1, 1, 0),
    "plans.change_plan": (0, 0, 0, 1, 1, 1, 0),
    "plans.change_activity": (0, 0, 0, 1, 1, 1, 0),
    "plans.approve_plan": (0, 0, 0, 0, 1, 1, 0),
    "plans.publish_amendments": (0, 0, 0, 0, 1, 1, 0),
    "directory.add_organisation": (0, 0, 0, 1, 1, 1, 0),
    "directory.change_organisation": (0, 0, 0, 1, 1, 1, 0),
    "directory.view_organisation": (0, 0, 0, 1, 1, 1, 0),
    "directory.merge_organisation": (0, 0, 0, 1, 1, 1, 0),
    "directory.change_membership": (0, 0, 0, 1, 1, 1, 0),
    "outbox.view_outgoingmessage": (0, 0, 0, 1, 1, 1, 0),
    # On no activity: a coordinator's right is on their organisations' activities (below).
    "reports.report_activity": (0, 0, 0, 1, 1, 1, 0),
    "reports.view_execution": (0, 0, 0, 1, 1, 1, 0),
}


def _user(role: str) -> object:
    if role == "anonymous":
        return AnonymousUser()
    user = User.objects.create_user(
        role,
        is_staff=role in ("staff", "head", "inactive head"),
        is_superuser=role == "superuser",
        is_active=role != "inactive head",
    )
    if role == "coordinator":
        organisation = Organisation.objects.create(name="Мэрия", key="мэрия")
        Coordinator.objects.create(user=user, organisation=organisation)
    if role.endswith("head"):
        user.groups.add(Group.objects.get_or_create(name=HEAD_GROUP)[0])
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_exactly_its_permissions(role: str) -> None:
    user = _user(role)
    held = {perm for perm in MATRIX if user.has_perm(perm)}
    expected = {perm for perm, roles in MATRIX.items() if roles[ROLES.index(role)]}
    assert held == expected


def test_a_coordinator_reports_on_their_organisations_activities_only() -> None:
    from civicplan.plans.models import Activity, Plan, Responsibility

    coordinator = _user("coordinator")
    ours = coordinator.coordinator.organisation
    other = Organisation.objects.create(name="Мэрия другого города", key="мэрия другого города")
    plan = Plan.objects.create(owner=ours, year=2024, title="План")
    activity = {}
    for position, organisation in enumerate((ours, other), start=1):
        activity[organisation] = Activity.objects.create(
            plan=plan, position=position, title="Форум"
        )
        Responsibility.objects.create(
            activity=activity[organisation], organisation=organisation, written_as=organisation.name
        )
    assert coordinator.has_perm("reports.report_activity", activity[ours])
    assert not coordinator.has_perm("reports.report_activity", activity[other])
    for role in ("anonymous", "nobody"):
        assert not _user(role).has_perm("reports.report_activity", activity[ours])
    assert _user("staff").has_perm("reports.report_activity", activity[other])

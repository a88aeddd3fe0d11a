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

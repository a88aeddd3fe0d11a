"""Fixtures of the public site's tests."""

from __future__ import annotations

import pytest

from civicplan.plans.importing import import_plan
from civicplan.plans.models import Plan


@pytest.fixture
def plan(seed_bytes: bytes) -> Plan:
    return Plan.objects.get(
        pk=import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED).plan_id
    )

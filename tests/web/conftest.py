"""Fixtures of the public site's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from civicplan.plans.importing import import_plan
from civicplan.plans.models import Plan


@pytest.fixture(autouse=True)
def russian() -> Iterator[None]:
    """Each test starts in Russian (LocaleMiddleware leaves a request's language active)."""
    translation.activate("ru")
    yield
    translation.deactivate()


@pytest.fixture
def plan(seed_bytes: bytes) -> Plan:
    return Plan.objects.get(
        pk=import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED).plan_id
    )

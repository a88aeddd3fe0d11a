"""Rows inserted in bulk: as many statements as the database's limit on parameters needs, and
rows that break a unique constraint left out when asked."""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.db.models.constants import OnConflict
from django.test.utils import CaptureQueriesContext

from civicplan.common import bulk
from civicplan.directory.models import Place

pytestmark = pytest.mark.django_db

FIELDS = [Place._meta.get_field(name) for name in ("city", "region", "country", "venue")]


def _places(first: int, last: int) -> list[tuple[str, str, str, str]]:
    return [(f"Город {number}", "", "Россия", "") for number in range(first, last)]


def test_narrow_rows_go_many_to_a_statement() -> None:
    rows = _places(0, 1200)
    with CaptureQueriesContext(connection) as captured:
        bulk.insert(Place, FIELDS, rows)
    assert len(captured) == math.ceil(len(rows) / connection.ops.bulk_batch_size(FIELDS, rows))
    assert sorted(Place.objects.values_list("city", "region", "country", "venue")) == sorted(rows)


def test_rows_that_break_a_unique_constraint_are_left_out_when_asked() -> None:
    bulk.insert(Place, FIELDS, _places(0, 600))
    bulk.insert(Place, FIELDS, _places(590, 610), OnConflict.IGNORE)
    assert Place.objects.count() == 610
    bulk.insert(Place, FIELDS, [])
    assert Place.objects.count() == 610

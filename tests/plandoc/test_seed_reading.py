"""The 2024 seed, read by the text reader, gives exactly the expected JSON, field by field."""

from __future__ import annotations

from typing import Any

import pytest

from civicplan.plandoc import read_plan
from civicplan.plandoc.jsonio import plan_from_json, plan_to_json
from tests.conftest import only_expected_keys


@pytest.fixture(scope="module")
def seed_json(seed_bytes: bytes) -> dict[str, Any]:
    return plan_to_json(read_plan(seed_bytes, "plan-2024.txt"))


def test_plan_header(seed_json: dict[str, Any], expected_plan: dict[str, Any]) -> None:
    assert seed_json["format"] == "civicplan.plan/1"
    assert seed_json["plan"] == expected_plan["plan"]
    assert seed_json["notes"] == expected_plan["notes"]
    assert len(seed_json["activities"]) == len(expected_plan["activities"]) == 37


@pytest.mark.parametrize("position", range(1, 38))
def test_activity(position: int, seed_json: dict[str, Any], expected_plan: dict[str, Any]) -> None:
    expected = expected_plan["activities"][position - 1]
    actual = seed_json["activities"][position - 1]
    assert only_expected_keys(expected, actual) == expected


@pytest.mark.parametrize("encoding", ["cp1251"])
def test_legacy_encodings_read_the_same(
    encoding: str, seed_bytes: bytes, seed_json: dict[str, Any]
) -> None:
    # Windows-1251 has no "¹"; such files mark footnotes with "*", which reads the same.
    legacy = seed_bytes.decode("utf-8").replace("¹", "*").encode(encoding)
    assert plan_to_json(read_plan(legacy, f"plan-2024-{encoding}.txt")) == seed_json


def test_json_reads_back_to_the_same_plan(seed_json: dict[str, Any]) -> None:
    assert plan_to_json(plan_from_json(seed_json)) == seed_json


def test_every_edtf_is_present_for_dated_rows(seed_json: dict[str, Any]) -> None:
    assert all(activity["when"]["edtf"] for activity in seed_json["activities"])

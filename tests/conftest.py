"""Fixtures shared by the whole suite: the seed plan and its expected reading."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "plan-2024.txt"
EXPECTED = ROOT / "tests" / "data" / "plan-2024.expected.json"


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="session")
def expected_plan() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def only_expected_keys(expected: Any, actual: Any) -> Any:
    """`actual` cut down to the keys `expected` has (the expected file leaves out edtf, kind,
    contact), so the two can be compared with == and pytest shows a readable diff."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: only_expected_keys(expected[key], actual.get(key)) for key in expected}
    if isinstance(expected, list) and isinstance(actual, list):
        return [only_expected_keys(e, a) for e, a in zip(expected, actual, strict=False)] + actual[
            len(expected) :
        ]
    return actual


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    """Each test starts with no cached page: on SQLite a rolled-back test's audit ids come back,
    so the data version (civicplan.web.pagecache) of two tests can be the same."""
    from django.core.cache import caches

    caches["pages"].clear()


# A test may skip where a system tool is missing (a laptop without LibreOffice or Chromium), with
# its reason printed. CI installs every such tool (.ci/run), so under CI a skip is a failure.
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(f"{report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and os.environ.get("CI") and exitstatus == 0:
        print("\nCI must not skip tests; skipped:\n  " + "\n  ".join(_skipped))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

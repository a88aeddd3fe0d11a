"""Small helpers shared by tests of different apps."""

from __future__ import annotations

from civicplan.audit.actions import record


def data_changed() -> None:
    """Say that a test changed data with the ORM directly. Real changes go through actions,
    which write the audit log; the page cache (civicplan.common.pagecache) reads its version
    there, so a raw write must say so too."""
    record(None, "test.change", "a test changed data directly")


def unversioned(data: dict) -> dict:
    """A plan's JSON without its version: what a file reader gives back, the version being the
    database's (a DOCX keeps it in the page header, not in the plan it reads)."""
    return {**data, "plan": {k: v for k, v in data["plan"].items() if k != "version"}}

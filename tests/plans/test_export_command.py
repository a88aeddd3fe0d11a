"""`civicplan export_plan` writes every format from the database."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicplan.plandoc import read_plan
from civicplan.plandoc.jsonio import plan_to_json
from civicplan.plans.importing import import_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(seed_bytes: bytes) -> dict:
    import_plan(seed_bytes, "plan-2024.txt")
    return plan_to_json(read_plan(seed_bytes, "plan-2024.txt"))


def _export(tmp_path: Path, format_name: str) -> bytes:
    target = tmp_path / f"plan.{format_name}"
    call_command("export_plan", "--year", "2024", "--format", format_name, "-o", str(target))
    return target.read_bytes()


@pytest.mark.parametrize("format_name", ["docx", "xlsx"])
def test_office_exports_read_back_to_the_plan(
    format_name: str, tmp_path: Path, imported: dict
) -> None:
    data = _export(tmp_path, format_name)
    assert zipfile.is_zipfile(io.BytesIO(data))
    assert plan_to_json(read_plan(data, f"plan.{format_name}")) == imported


def test_csv_json_ics(tmp_path: Path, imported: dict) -> None:
    assert _export(tmp_path, "csv").startswith("\ufeff№".encode())
    assert json.loads(_export(tmp_path, "json")) == imported
    ics = _export(tmp_path, "ics")
    assert ics.startswith(b"BEGIN:VCALENDAR")
    assert ics.count(b"BEGIN:VEVENT") == 37


def test_pdf(tmp_path: Path, imported: dict) -> None:
    try:
        pdf = _export(tmp_path, "pdf")
    except RuntimeError as missing:  # no Pango on this machine; CI installs it
        pytest.skip(str(missing))
    assert pdf.startswith(b"%PDF")


def test_unknown_year_exits_2(imported: dict) -> None:
    with pytest.raises(CommandError, match="2031") as refused:
        call_command("export_plan", "--year", "2031", "--format", "json")
    assert refused.value.returncode == 2

"""A long year's report is written by a background task: the download waits for it (202,
following its state), serves the file until the data changes, and staff alone may ask."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from civicplan.reports import actions
from civicplan.reports.actions import ReportData
from civicplan.reports.models import ReportFile
from tests.reports.conftest import Year

# Real commits: the worker's command checks its connection between tasks.
pytestmark = pytest.mark.django_db(transaction=True)

URL = "/staff/plans/2024/report.xlsx?period=h1"


@pytest.fixture
def staff_client(year: Year, settings, tmp_path) -> Client:
    """The seed year (37 rows) counts as long."""
    settings.CIVICPLAN_EXPORT_INLINE_ROWS = 10
    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client()
    client.force_login(year.staff)
    return client


def _workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))


def test_a_long_years_report_is_written_by_the_worker(staff_client: Client, year: Year) -> None:
    waiting = staff_client.get(URL)
    assert waiting.status_code == 202
    state = "/staff/plans/2024/report.xlsx/state?period=h1"
    assert f'data-follow="{state}"' in waiting.content.decode()
    assert staff_client.get(state).json() == {"over": False}
    assert staff_client.get(URL).status_code == 202
    assert ReportFile.objects.count() == 1  # asked twice, written once
    call_command("worker", "--once")
    assert staff_client.get(state).json() == {"over": True}
    ready = staff_client.get(URL)
    assert ready.status_code == 200
    assert 'filename="report-2024-h1.xlsx"' in ready["Content-Disposition"]
    assert ready["Cache-Control"] == "private, no-store"
    assert "Мероприятия" in _workbook(ready).sheetnames


def test_a_new_report_writes_the_file_again(staff_client: Client, year: Year) -> None:
    staff_client.get(URL)
    call_command("worker", "--once")
    first = ReportFile.objects.get()
    actions.save_report(year.staff, year.rows[15], ReportData(participants=12))
    assert staff_client.get(URL).status_code == 202
    call_command("worker", "--once")
    assert staff_client.get(URL).status_code == 200
    assert list(ReportFile.objects.values_list("status", flat=True)) == ["done"]
    assert not ReportFile.objects.filter(pk=first.pk).exists()  # the older file went


def test_only_staff_may_download(year: Year) -> None:
    assert Client().get(URL).status_code == 302
    coordinator = Client()
    coordinator.force_login(year.coordinator)
    assert coordinator.get(URL).status_code == 403
    assert coordinator.get("/staff/plans/2024/report.xlsx/state").status_code == 403

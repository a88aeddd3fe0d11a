"""A long plan's file is written by a background task: the download page waits for it (202,
reloading itself), then serves the file to everyone until the plan changes."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from civicplan.plans.actions import save_activity
from civicplan.plans.importing import import_plan
from civicplan.plans.models import ExportJob, Plan

# Real commits: the worker's command checks its connection between tasks, which a test's
# enclosing transaction would fail on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)

URL = "/plans/2024.xlsx"


@pytest.fixture
def long_plan(seed_bytes: bytes, settings, tmp_path) -> Plan:
    """The seed plan (37 rows) counts as long."""
    settings.CIVICPLAN_EXPORT_INLINE_ROWS = 10
    settings.MEDIA_ROOT = tmp_path / "media"
    summary = import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED)
    return Plan.objects.get(pk=summary.plan_id)


def _rows(response) -> int:
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(BytesIO(content)).active.max_row


def test_the_file_of_a_long_plan_is_written_by_the_worker(client: Client, long_plan) -> None:
    waiting = client.get(URL)
    assert waiting.status_code == 202
    assert f'data-follow="{URL}/state"' in waiting.content.decode()
    assert client.get(URL + "/state").json() == {"over": False}
    assert client.get(URL).status_code == 202
    assert ExportJob.objects.count() == 1  # asked twice, written once
    call_command("worker", "--once")
    assert client.get(URL + "/state").json() == {"over": True}
    ready = client.get(URL)
    assert ready.status_code == 200
    assert ready["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="plan-2024.xlsx"' in ready["Content-Disposition"]
    assert _rows(ready) > 37
    assert client.get(URL).status_code == 200  # the kept file, for the next visitor too


def test_a_change_of_the_plan_writes_the_file_again(client: Client, long_plan) -> None:
    client.get(URL)
    call_command("worker", "--once")
    first = ExportJob.objects.get()
    activity = long_plan.activities.first()
    activity.title = "Новое название"
    save_activity(activity, None, ["title"])
    assert client.get(URL).status_code == 202
    call_command("worker", "--once")
    assert client.get(URL).status_code == 200
    assert list(ExportJob.objects.values_list("status", flat=True)) == ["done"]
    assert not ExportJob.objects.filter(pk=first.pk).exists()  # the older file went


def test_a_short_plan_is_written_at_once(client: Client, long_plan, settings) -> None:
    settings.CIVICPLAN_EXPORT_INLINE_ROWS = 500
    response = client.get(URL)
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def test_a_long_versions_file_is_written_once_and_kept(client: Client, long_plan) -> None:
    version_url = "/plans/2024/v1.xlsx"
    waiting = client.get(version_url)
    assert waiting.status_code == 202
    assert f'data-follow="{version_url}/state"' in waiting.content.decode()
    assert "версия 1" in waiting.content.decode()
    client.get(URL)  # the plan as it is now, a file of its own
    call_command("worker", "--once")
    assert client.get(version_url + "/state").json() == {"over": True}
    ready = client.get(version_url)
    assert 'filename="plan-2024-v1.xlsx"' in ready["Content-Disposition"]
    assert _rows(ready) > 37
    activity = long_plan.activities.first()
    activity.title = "Новое название"
    save_activity(activity, None, ["title"])
    client.get(URL)
    call_command("worker", "--once")  # the plan's new file replaces its old one, not v1's
    assert ExportJob.objects.filter(version="published-v1").get().status == "done"
    assert client.get(version_url).status_code == 200
    assert client.get("/plans/2024/v2.xlsx").status_code == 404

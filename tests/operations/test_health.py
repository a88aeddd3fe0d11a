"""GET /healthz: 200 with every check passing; 503 naming the one that fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civicplan.mailintake.actions import receive
from civicplan.mailintake.models import InboundMessage
from civicplan.newsroom import tasks
from tests.mailintake.letters import modern

pytestmark = pytest.mark.django_db


def health(client: Client):
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_a_healthy_instance(client: Client, settings) -> None:
    status, answer = health(client)
    assert status == 200
    assert answer["ok"] is True
    assert set(answer["checks"]) == {"database", "cache", "disk", "queue", "mail_intake"}
    assert all(check["ok"] for check in answer["checks"].values())
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_a_full_disk_fails(client: Client, settings) -> None:
    settings.CIVICPLAN_HEALTH_MIN_FREE_MB = 10**9  # more than any disk has
    status, answer = health(client)
    assert status == 503
    assert answer["checks"]["disk"]["ok"] is False
    assert answer["checks"]["database"]["ok"] is True


def test_a_queue_nobody_works_fails(client: Client, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tasks.accepted.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    status, answer = health(client)
    assert status == 503
    assert answer["checks"]["queue"]["ready"] == 1
    assert answer["checks"]["queue"]["oldest_seconds"] >= 3600


def test_a_stuck_mail_intake_fails(client: Client, settings, tmp_path) -> None:
    settings.CIVICPLAN_MAIL_DIR = tmp_path / "mail"
    receive(modern("Письмо"), mail_from="a@b.example", received=timezone.now())
    assert health(client)[0] == 200  # just arrived
    InboundMessage.objects.update(received=timezone.now() - timedelta(hours=2))
    status, answer = health(client)
    assert status == 503
    assert answer["checks"]["mail_intake"]["waiting"] == 1


def test_a_database_that_does_not_answer_fails(client: Client, monkeypatch) -> None:
    from civicplan.operations import health as module

    def broken():
        raise ConnectionError("the database is gone")

    monkeypatch.setitem(module.CHECKS, "database", broken)
    status, answer = health(client)
    assert status == 503
    assert answer["checks"]["database"] == {
        "ok": False,
        "error": "ConnectionError: the database is gone",
    }

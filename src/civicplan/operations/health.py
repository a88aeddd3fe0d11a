"""`GET /healthz`: whether this instance can do its work, for a load balancer and for monitoring.

Each check says what it found, and the answer is 200 when every one passes, 503 when one fails:
the database answers, the cache keeps a value, the disks that hold the database, the uploaded
files and the mail store have room, the task queue is being worked (its oldest ready task is
not old: a worker runs), and the mail intake keeps up (no accepted letter waits long to be
processed). The thresholds are settings (CIVICPLAN_HEALTH_*). It is never cached and is exempt
from the HTTPS redirect, so a probe over plain HTTP inside the network gets the real answer.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from civicplan.mailintake.models import InboundMessage
from civicplan.outbox.models import OutgoingMessage

Check = Callable[[], dict[str, Any]]


def _database() -> dict[str, Any]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _cache() -> dict[str, Any]:
    value = str(time.time_ns())
    cache.set("healthz", value, timeout=30)
    return {"ok": cache.get("healthz") == value}


def _disk() -> dict[str, Any]:
    """The free space of each place the installation writes, in MB; ok above the minimum."""
    places = {
        "var": Path(settings.VAR_DIR),
        "media": Path(settings.MEDIA_ROOT),
        "mail": Path(settings.CIVICPLAN_MAIL_DIR),
    }
    free = {name: shutil.disk_usage(_existing(path)).free // 2**20 for name, path in places.items()}
    return {"ok": min(free.values()) >= settings.CIVICPLAN_HEALTH_MIN_FREE_MB, "free_mb": free}


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _queue() -> dict[str, Any]:
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = _seconds_since(oldest)
    unsent = OutgoingMessage.objects.filter(
        status__in=(OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.FAILED)
    ).count()
    return {
        "ok": age <= settings.CIVICPLAN_HEALTH_MAX_QUEUE_AGE,
        "ready": ready.count(),
        "oldest_seconds": age,
        "letters_waiting": unsent,
    }


def _mail_intake() -> dict[str, Any]:
    waiting = InboundMessage.objects.filter(status=InboundMessage.Status.STORED)
    oldest = waiting.order_by("received").values_list("received", flat=True).first()
    age = _seconds_since(oldest)
    return {
        "ok": age <= settings.CIVICPLAN_HEALTH_MAX_LETTER_AGE,
        "waiting": waiting.count(),
        "oldest_seconds": age,
    }


def _seconds_since(moment) -> int:
    return 0 if moment is None else max(0, int((timezone.now() - moment) / timedelta(seconds=1)))


CHECKS: dict[str, Check] = {
    "database": _database,
    "cache": _cache,
    "disk": _disk,
    "queue": _queue,
    "mail_intake": _mail_intake,
}


def _run(check: Check) -> dict[str, Any]:
    try:
        return check()
    except Exception as error:  # a check that cannot run has failed; say why
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results = {name: _run(check) for name, check in CHECKS.items()}
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"ok": healthy, "checks": results},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )

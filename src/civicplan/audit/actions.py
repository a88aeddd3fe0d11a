"""Writing to the audit log; every action calls `record` inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from civicplan.audit.models import Event


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    subject: str,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    user = actor if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        actor=user, action=action, subject=subject[:200], summary=summary, data=data or {}
    )

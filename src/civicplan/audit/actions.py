"""Writing to the audit log; every action calls `record` inside its own transaction, after
`require` has let its actor do it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civicplan.audit.models import Event

# Who does an action: a user, or None for the command line, the mail intake and the worker.
Actor = AbstractBaseUser | AnonymousUser | None


def require(actor: Actor, perm: str, message: str = "", obj: object = None) -> None:
    """The command line, the mail intake and the worker (actor None) may; a user needs the
    permission (on `obj` when given), else PermissionDenied with `message`."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message or _("Нет права на это действие."))


def record(
    actor: Actor,
    action: str,
    subject: str,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    user = actor if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        actor=user, action=action, subject=subject[:200], summary=summary, data=data or {}
    )

"""Login failures counted per client address, whatever user names are tried.

django-axes locks a user name tried from one address (five failures); someone trying many names
from one address stays under that for every name, so the failures of an address are counted
too, in the shared cache (Redis when there are several web processes): at
CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT failures within the cool-off time (AXES_COOLOFF_TIME), the
address may not try again until it has passed. The count starts at the first failure and is
not extended by later ones, so an address is never locked for longer than the cool-off.

Every login goes through it, the site's form and the admin's alike: failures are counted when
Django reports one (the `user_login_failed` signal, connected in AccountsConfig.ready, as
django-axes counts its own), and `AddressThrottleBackend`, among the authentication backends,
refuses an address over its limit before any password is checked."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from civicplan.common.clients import client_address


def _key(request: HttpRequest) -> str:
    return f"login-failures:{client_address(request)}"


def is_blocked(request: HttpRequest) -> bool:
    return cache.get(_key(request), 0) >= settings.CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT


def count_failure(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """The receiver of `user_login_failed`: one more failure for the client's address."""
    if request is None:
        return
    key = _key(request)
    cache.add(key, 0, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds()))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds()))


class AddressThrottleBackend:
    """Refuses every login from an address over its limit, whatever the form (Django then
    answers as to a wrong password); authenticates no one itself, and has no `get_user`, so
    that sessions name the backend that did."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        if request is not None and is_blocked(request):
            raise PermissionDenied

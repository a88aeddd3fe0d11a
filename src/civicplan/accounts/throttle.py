"""Login failures counted per client address, whatever user names are tried.

django-axes locks a user name tried from one address (five failures); someone trying many names
from one address stays under that for every name, so the failures of an address are counted
too, in the shared cache (Redis when there are several web processes): at
CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT failures within the cool-off time (AXES_COOLOFF_TIME), the
address may not try again until it has passed. The count starts at the first failure and is
not extended by later ones, so an address is never locked for longer than the cool-off."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from civicplan.common.clients import client_address


def _key(request: HttpRequest) -> str:
    return f"login-failures:{client_address(request)}"


def is_blocked(request: HttpRequest) -> bool:
    return cache.get(_key(request), 0) >= settings.CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT


def count_failure(request: HttpRequest) -> None:
    key = _key(request)
    cache.add(key, 0, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds()))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds()))

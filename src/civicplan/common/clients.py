"""Who is asking: the client's address, seen through the proxies in front of the site.

Behind nginx (docs/deploy.md) every request comes from the proxy's address; the client's is the
last one the proxy appended to X-Forwarded-For. CIVICPLAN_PROXY_COUNT says how many proxies of
ours stand in front (0: none, the address is REMOTE_ADDR); entries further left were written
by the client and are not believed. Login throttling (django-axes and the per-address count)
and the logs use this one function."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    proxies = settings.CIVICPLAN_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote

"""A cache of the public pages as the anonymous visitor sees them.

Most visitors are anonymous and read the same pages; rendering the calendar of 10,000
activities for each of them is waste. A page view opts in with `@public_page`; the middleware,
placed right after WhiteNoise, answers a GET without a session cookie from the cache, before
sessions, CSRF, URL resolution and the view.

The cache key holds the data's version, so no page outlives a change: every change goes
through an action that writes the audit log (`civicplan.audit.actions.record`), and the admin
writes its own log, so the newest id of the two logs is the version of everything a page
shows. Pages that change with the date (the next activities, today's line on the timeline) are
keyed on the date too. One query per request (the version); a hit also answers `If-None-Match`
with 304.

A response is stored only when it is safe to share: status 200, no cookie set (a page whose
form set a CSRF cookie is not shared), not marked private; and only up to
CIVICPLAN_PAGE_CACHE_MAX_BYTES, so that made-up query strings cannot fill the memory (entries ×
that size bounds it; the whole calendar feed, megabytes, answers conditional requests itself).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_http_date_safe

from civicplan.common import dates

_ATTRIBUTE = "civicplan_public_page"
# Headers a cached response carries over; the rest are made again by the middleware above.
_KEPT = ("ETag", "Last-Modified", "Content-Type", "Content-Language", "Content-Disposition", "Link")


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view's responses as the same for every anonymous visitor."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        setattr(response, _ATTRIBUTE, True)
        return response

    return wrapped


def data_version() -> str:
    """The newest audit event and admin log entry: it changes with every change of data."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT MAX(id) FROM audit_event), (SELECT MAX(id) FROM django_admin_log)"
        )
        audit, admin = cursor.fetchone()
    return f"{audit or 0}.{admin or 0}"


def _not_modified(request: HttpRequest, headers: dict[str, str]) -> bool:
    """RFC 9110: If-None-Match decides when sent; else If-Modified-Since against Last-Modified."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return headers["ETag"] in {tag.strip() for tag in if_none_match.split(",")}
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    modified = parse_http_date_safe(headers.get("Last-Modified", ""))
    return since is not None and modified is not None and modified <= since


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.cache = caches[settings.CIVICPLAN_PAGE_CACHE]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._may_share(request):
            return self.get_response(request)
        key = self._key(request)
        stored = self.cache.get(key)
        if stored is not None:
            status, headers, content = stored
            if _not_modified(request, headers):
                return HttpResponseNotModified(headers={"ETag": headers["ETag"]})
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._may_store(response):
            if not response.has_header("ETag"):  # a view's own (the feeds') is kept
                response["ETag"] = f'"{key[-32:]}"'
            headers = {name: response[name] for name in _KEPT if name in response}
            self.cache.set(key, (response.status_code, headers, response.content))
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _may_share(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES  # a message waits to be shown to this visitor
            and "Authorization" not in request.headers
        )

    @staticmethod
    def _may_store(response: HttpResponse) -> bool:
        return (
            getattr(response, _ATTRIBUTE, False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and len(response.content) <= settings.CIVICPLAN_PAGE_CACHE_MAX_BYTES
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _key(request: HttpRequest) -> str:
        path = request.get_full_path()
        digest = hashlib.sha256(
            f"{data_version()}|{dates.today()}|{request.method}|{path}".encode()
        ).hexdigest()
        return f"page:{digest}"

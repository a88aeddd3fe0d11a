"""A ceiling on the size of a form's request, checked before the body is read.

DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out, so without this a form with files would take a
request of any size, spooled to disk. The ceiling is the size of the largest letter the mail
intake takes (CIVICPLAN_MAIL_MAX_BYTES): a form carries as much as a letter may. The check runs
before the CSRF middleware, which would otherwise read the body looking for its token: the view
is marked csrf_exempt and CSRF is checked right after, by csrf_protect, as Django's documentation
describes for views that change how uploads are read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def request_size_limit() -> int:
    return settings.CIVICPLAN_MAIL_MAX_BYTES


def limit_request_size(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 413 with a page saying the limit to a request whose body is larger."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_size_limit()
        if length > limit:
            return render(
                request,
                "accounts/too_large.html",
                {"limit_mb": limit // (1024 * 1024), "back": request.get_full_path()},
                status=413,
            )
        return protected(request, *args, **kwargs)

    return wrapped

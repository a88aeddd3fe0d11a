"""A ceiling on the size of a form's request, checked before the body is read.

DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out, so without this a form with files would take a
request of any size, spooled to disk. Each upload form says its ceiling: the members' forms
carry as much as a letter to the mail intake may (CIVICPLAN_MAIL_MAX_BYTES), the plan import a
plan file (plandoc.readers.MAX_FILE_BYTES) and its fields. The check runs before the CSRF
middleware, which would otherwise read the body looking for its token: the view is marked
csrf_exempt and CSRF is checked right after, by csrf_protect, as Django's documentation
describes for views that change how uploads are read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

View = Callable[..., HttpResponse]
FORM_FIELDS_BYTES = 64 * 1024  # what an upload form's other fields and the encoding add


def limit_request_size(limit: Callable[[], int]) -> Callable[[View], View]:
    """Answer 413 with a page saying the limit to a request whose body is larger than
    `limit()` bytes (read at each request: settings may change in tests)."""

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            ceiling = limit()
            if length > ceiling:
                return render(
                    request,
                    "too_large.html",
                    {"limit_mb": ceiling // (1024 * 1024), "back": request.get_full_path()},
                    status=413,
                )
            return protected(request, *args, **kwargs)

        return wrapped

    return decorate

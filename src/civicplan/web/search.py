"""Search in Russian that understands word forms (issue 5)."""

from django.http import Http404, HttpRequest, HttpResponse


def search(request: HttpRequest) -> HttpResponse:
    raise Http404

"""Pages of an organisation and of a city (issue 5)."""

from django.http import Http404, HttpRequest, HttpResponse


def organisation(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    raise Http404


def city(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404

"""The calendar: a list by month, a month grid and a year timeline, with filters (issue 5)."""

from django.http import Http404, HttpRequest, HttpResponse


def calendar_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def calendar_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    raise Http404


def timeline(request: HttpRequest, year: int) -> HttpResponse:
    raise Http404

"""Lists cut into pages: Django's Paginator, with the address of each page.

Every list of the site (the plan, the calendar, search, news, the moderation queue, the failed
letters, a member's submissions) is numbered by `django.core.paginator.Paginator`; a `Pager`
adds what the one pager template (`_pager.html`) needs: the links to the neighbouring pages,
built by the view, which knows which query parameters a page's address keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Pager:
    """One page of a list and the way to its neighbours."""

    page: Page
    url: Callable[[int], str]  # the address of page n

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def pages(self) -> int:
        return self.page.paginator.num_pages

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def first_shown(self) -> int:
        return self.page.start_index()

    @property
    def last_shown(self) -> int:
        return self.page.end_index()

    @property
    def previous_url(self) -> str:
        return self.url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(self.page.next_page_number()) if self.page.has_next() else ""

    @property
    def object_list(self) -> Sequence[Any]:
        return self.page.object_list


def paginate(
    items: Sequence[Any],
    per_page: int,
    request: HttpRequest,
    keep: Sequence[str] = (),
    *,
    strict: bool = False,
) -> Pager:
    """The page of `items` the request asks for (`page=`), with links that keep the query
    parameters named in `keep` (the list's filters). A number that is not a page gives the
    nearest page, as Django's `get_page` does; with `strict`, a 404 (pages of a document that
    are cached and indexed: a made-up address is not a page of its own)."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("page")
    if strict:
        try:
            page = paginator.page(number or 1)
        except InvalidPage as error:
            raise Http404(_("Такой страницы нет.")) from error
    else:
        page = paginator.get_page(number)
    return Pager(page, query_url(request, keep))


def query_url(request: HttpRequest, keep: Sequence[str] = ()) -> Callable[[int], str]:
    """Page addresses on the request's path that keep the query parameters named in `keep`
    and set `page` (left out for the first page)."""
    kept = [(name, value) for name in keep for value in request.GET.getlist(name) if value]

    def url(number: int) -> str:
        query = urlencode(kept + ([("page", number)] if number > 1 else []))
        return f"{request.path}?{query}" if query else request.path

    return url

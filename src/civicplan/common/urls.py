"""Addresses of many objects of one kind for the price of one `reverse()`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.text import slugify

_PK, _SLUG = 987654321, "sl-ug"
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


def slug_of(text: str) -> str:
    """The readable part of an object's address, from its title or name: "Форум «Здоровые
    города»" -> "форум-здоровые-города" (the first 60 characters; "-" when nothing is left)."""
    return slugify(text[:60], allow_unicode=True) or "-"


@functools.lru_cache(maxsize=16384)
def quoted_slug(text: str) -> str:
    """`slug_of(text)` quoted as reverse() quotes it; slugify is the dearest part of a listed
    row, and the same titles come back page after page."""
    return quote(slug_of(text), safe=_URL_SAFE)


def pk_slug_urls(viewname: str) -> Callable[[int, str], str]:
    """`url(pk, title)` for a view whose address is `<pk>-<slug>`: the pattern comes from one
    reverse() with placeholders, in the active language."""
    pattern = reverse(viewname, args=[_PK, _SLUG])
    head, _pk, rest = pattern.partition(str(_PK))
    middle, _slug, tail = rest.partition(_SLUG)

    def url(pk: int, title: str) -> str:
        return f"{head}{pk}{middle}{quoted_slug(title)}{tail}"

    return url

"""Addresses of activities' pages for long lists (feeds, calendars), one reverse() a list."""

from __future__ import annotations

from collections.abc import Callable

from civicplan.common.urls import pk_slug_urls


def activity_urls() -> Callable[[int, str], str]:
    """`url(pk, title)`: what `Activity.get_absolute_url()` gives, at a fraction of its cost."""
    return pk_slug_urls("web:activity")

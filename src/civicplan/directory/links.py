"""Addresses of the public pages that have no model of their own: a city's page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import slugify


def city_slug(name: str) -> str:
    """The path segment of a city's page: "Пермь" -> "пермь", "Южно-Сахалинск" ->
    "южно-сахалинск"."""
    return slugify(name, allow_unicode=True)


def city_url(name: str) -> str:
    """The city's page, in the active language ("" for a name that makes no slug)."""
    slug = city_slug(name)
    return reverse("web:city", args=[slug]) if slug else ""

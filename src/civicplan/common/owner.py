"""The association's names, from the settings, in the active language: the full name (footers,
letters, the plans' owner) and the site's short name ("Здоровые города · План"). Set for each
installation (CIVICPLAN_OWNER, CIVICPLAN_OWNER_SHORT and their _EN forms), never spelled out in
code or templates."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _in_language(russian: str, english: str) -> str:
    return english if (get_language() or "ru").startswith("en") and english else russian


def owner_name() -> str:
    """The association's full name."""
    return _in_language(settings.CIVICPLAN_OWNER, settings.CIVICPLAN_OWNER_EN)


def site_name() -> str:
    """The site's name: the association's short name and "План"."""
    short = _in_language(settings.CIVICPLAN_OWNER_SHORT, settings.CIVICPLAN_OWNER_SHORT_EN)
    return _("%(short)s · План") % {"short": short}


def names() -> dict[str, str]:
    """The names as templates use them (pages through `context`, letters through the mail)."""
    return {"owner_name": owner_name(), "site_name": site_name()}


def context(request: HttpRequest) -> dict[str, str]:
    """A context processor: `owner_name` and `site_name` on every page."""
    return names()

"""Today, in one place, so that pages agree on it and tests can set it (`dates.today`)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    """Today in the site's time zone (settings.TIME_ZONE). Call it as `dates.today()`, so a
    test that replaces it changes every caller."""
    return timezone.localdate()

"""Template helpers of the newsroom's pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from civicplan.newsroom.display import body_html
from civicplan.newsroom.models import Submission

register = template.Library()


@register.filter
def body(item: Submission) -> SafeString:
    """A submission's body, cleaned at display as well as when written (see display.py)."""
    return body_html(item)

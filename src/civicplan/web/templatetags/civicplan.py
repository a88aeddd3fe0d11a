"""Template helpers of the public site: time frames in the page's language, language links."""

from __future__ import annotations

from django import template
from django.urls import translate_url
from django.utils.translation import get_language

from civicplan import timeframes

register = template.Library()


@register.filter
def timeframe(value: timeframes.Timeframe) -> str:
    """A time frame in words, in the active language ("Май-июнь 2024 г." / "May–June 2024");
    the text as written when it has no dates."""
    if value.start is None:
        return value.text or timeframes.format(value, lang=_lang())
    return timeframes.format(value, lang=_lang())


@register.simple_tag(takes_context=True)
def in_language(context: template.Context, language: str) -> str:
    """This page's URL in another language (with its query string)."""
    request = context.get("request")
    return translate_url(request.get_full_path(), language) if request else ""


def _lang() -> str:
    return "en" if (get_language() or "ru").startswith("en") else "ru"

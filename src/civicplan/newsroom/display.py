"""How a submission's body is shown, on pages and in feeds.

The HTML is cleaned when it is written (`civicplan.newsroom.actions`) and cleaned again here,
when it is shown: nh3 takes well under a millisecond for a news item, and the second pass keeps
safe whatever reached the column another way (the admin, a shell, a data migration) or was
stored before the allow-list was made stricter. Only the output of this function is marked safe.
"""

from __future__ import annotations

from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from civicplan.newsroom.models import Submission
from civicplan.newsroom.sanitise import sanitise_html


def body_html(item: Submission) -> SafeString:
    """The cleaned HTML, else the plain text as escaped paragraphs."""
    if item.html:
        return mark_safe(sanitise_html(item.html))  # cleaned just now by nh3
    return mark_safe(linebreaks(item.text, autoescape=True))  # every paragraph escaped

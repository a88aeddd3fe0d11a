"""HTML from e-mail or forms, made safe to show: nh3 (Ammonia) keeps text structure, links and
nothing that runs."""

from __future__ import annotations

import nh3

_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "blockquote", "pre", "code",
    "ul", "ol", "li", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "a", "hr",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitise_html(html: str) -> str:
    """Only harmless tags and attributes; links get rel="noopener noreferrer nofollow"."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()

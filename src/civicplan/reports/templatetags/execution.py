"""The execution pages' links to the rows behind a number."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def rows_link(context: template.Context, by: str, key: object, state: str = "") -> str:
    """The address of the rows counted by a cell: the line's filter (`by` = `key`) and the
    column's state, on the period the page shows."""
    wanted = {by: str(key)}
    if state:
        wanted["state"] = state
    return context["rows_url"](**wanted)

"""Template helpers of the members' area: people as others see them."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A user as others see them: full name, else e-mail, else user name; '—' for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.email or user.get_username()

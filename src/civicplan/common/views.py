"""What the views of every app do the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest

Result = TypeVar("Result")
View = TypeVar("View", bound=Callable[..., object])


def requires(perm: str) -> Callable[[View], View]:
    """A view for those with `perm`: an anonymous visitor is sent to log in (and back here
    after), anyone else without it gets the 403 page."""

    def decorate(view: View) -> View:
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorate


def attempt(
    request: HttpRequest, action: Callable[..., Result], *args: object, **kwargs: object
) -> Result | None:
    """Run an action as the request's user. A refusal (ValidationError: a wrong state, a
    missing reason) becomes an error message on the next page and None; anything else, and a
    PermissionDenied, goes up as usual."""
    try:
        return action(request.user, *args, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None

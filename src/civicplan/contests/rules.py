"""Who may do what with contests (predicates from civicplan.accounts.rules).

Staff create contests, build their forms and see every application. A published contest is
everyone's to read; while it takes applications, anyone may apply when it admits organisations
or individuals, a coordinator when it admits member municipalities. An application is its
applicant's: the signed-in user who made it, or the guest whose browser made it or opened its
one-time link (`Guest`, an anonymous user carrying those applications' ids from the session).

A juror is a user with a seat on one contest's jury (an accepted, not withdrawn `Juror`): they
see their contest's jury pages, and each entry assigned to them — unless they declared a
conflict of interest with it.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.contrib.auth.models import AnonymousUser

from civicplan.accounts.rules import is_coordinator, is_directorate


class Guest(AnonymousUser):
    """A visitor without an account, holding the applications their session made or opened."""

    def __init__(self, application_ids: Iterable[int] = ()) -> None:
        super().__init__()
        self.application_ids = frozenset(application_ids)


@rules.predicate
def contest_published(user, contest) -> bool:
    return contest is not None and contest.published


@rules.predicate
def admits_anyone(user, contest) -> bool:
    return contest is not None and (contest.for_organisations or contest.for_individuals)


@rules.predicate
def admits_municipalities(user, contest) -> bool:
    return contest is not None and contest.for_municipalities


@rules.predicate
def holds_application(user, application) -> bool:
    """The application's own user, or the guest who holds it."""
    if application is None or user is None:
        return False
    if user.is_authenticated:
        return user.is_active and application.user_id == user.pk
    held = getattr(user, "application_ids", frozenset())
    return application.user_id is None and application.pk in held


rules.add_perm("contests.manage_contest", is_directorate)
rules.add_perm("contests.view_contest", contest_published | is_directorate)
rules.add_perm(
    "contests.apply",
    contest_published & (admits_anyone | (admits_municipalities & is_coordinator)),
)
rules.add_perm("contests.change_application", holds_application)
rules.add_perm("contests.view_application", holds_application | is_directorate)


@rules.predicate
def is_juror(user, contest) -> bool:
    """A seat on the contest's jury, accepted and not taken away."""
    if contest is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    return contest.jurors.filter(user=user, accepted__isnull=False, removed__isnull=True).exists()


@rules.predicate
def reviews_assignment(user, assignment) -> bool:
    """The assignment's juror, on the jury still, who declared no conflict with the entry."""
    if assignment is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    juror = assignment.juror
    return juror.user_id == user.pk and juror.active and assignment.conflict is None


rules.add_perm("contests.judge", is_juror)
rules.add_perm("contests.review_entry", reviews_assignment)

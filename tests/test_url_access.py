"""Every URL of the project has a declared audience, and no view answers above it.

The apps' own matrices (tests/accounts, tests/newsroom, tests/mailintake test_permissions and
test_views) check each view and action with real objects for every role; this test is the net
under them: a new URL that nobody classified fails here, and every members' or staff URL is
refused to the roles below it, and every POST without a CSRF token is refused.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from civicplan.accounts.models import Coordinator
from civicplan.directory.models import Organisation

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone, the public site
OPEN = "open"  # anyone, but about one's own account or letter (login, reset, a token link)
SIGNED_IN = "signed in"  # any signed-in user, about their own account
MEMBER = "member"  # signed-in users with a role
STAFF = "staff"  # the directorate

AUDIENCE = {
    "sitemap": PUBLIC,
    "healthz": PUBLIC,
    "django.contrib.sitemaps.views.sitemap": PUBLIC,
    "web:home": PUBLIC,
    "plans:plan": PUBLIC,
    "plans:download": PUBLIC,
    "plans:changes": PUBLIC,
    "plans:version_download": PUBLIC,
    "plans:decision_scan": PUBLIC,  # the scans of published versions only (tests/plans)
    "web:activity": PUBLIC,
    "plans:activity_ics": PUBLIC,
    "plans:calendar": PUBLIC,
    "plans:import": STAFF,
    "plans:import_job": STAFF,
    "plans:import_state": STAFF,
    "plans:import_columns": STAFF,
    "plans:import_year": STAFF,
    "plans:export_state": PUBLIC,
    "plans:version_state": PUBLIC,
    "plans:import_confirm": STAFF,
    "plans:staff_plans": STAFF,
    "plans:workspace": STAFF,
    "plans:workspace_timeframe": STAFF,
    "plans:workspace_add": STAFF,
    "plans:workspace_row": STAFF,
    "plans:workspace_delete": STAFF,
    "plans:workspace_move": STAFF,
    "plans:workspace_postpone": STAFF,
    "plans:workspace_cancel": STAFF,
    "plans:workspace_held": STAFF,
    "plans:workspace_sections": STAFF,
    "plans:workspace_section": STAFF,
    "plans:workspace_notes": STAFF,
    "plans:workspace_approve": STAFF,
    "plans:workspace_publish": STAFF,
    "plans:workspace_next": STAFF,
    "web:calendar": PUBLIC,
    "web:calendar_month": PUBLIC,
    "web:timeline": PUBLIC,
    "web:search": PUBLIC,
    "web:organisation": PUBLIC,
    "web:city": PUBLIC,
    "newsroom:news": PUBLIC,
    "newsroom:rss": PUBLIC,
    "newsroom:atom": PUBLIC,
    "newsroom:attachment": PUBLIC,  # published files only; the rest 404 (tests/newsroom)
    "newsroom:news_item": PUBLIC,
    "newsroom:queue": STAFF,
    "newsroom:submission": STAFF,
    "newsroom:edit": STAFF,
    "newsroom:activity": STAFF,
    "newsroom:publish": STAFF,
    "newsroom:request_changes": STAFF,
    "newsroom:reject": STAFF,
    "newsroom:accept": STAFF,
    "newsroom:include": STAFF,
    "web:account": MEMBER,
    "accounts:login": OPEN,
    "accounts:logout": OPEN,
    "accounts:password_reset": OPEN,
    "accounts:password_reset_done": OPEN,
    "accounts:password_reset_confirm": OPEN,
    "accounts:password_reset_complete": OPEN,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:invitations": STAFF,
    "accounts:invitation_resend": STAFF,
    "accounts:invitation_revoke": STAFF,
    "accounts:accept_invitation": OPEN,
    "newsroom:submit": MEMBER,
    "newsroom:propose": MEMBER,
    "newsroom:member_submission": MEMBER,
    "newsroom:member_attachment": MEMBER,
    "operations:people": STAFF,
    "operations:person": STAFF,
    "operations:person_export": STAFF,
    "operations:person_erase": STAFF,
    "outbox:outbox": STAFF,
    "outbox:letter": STAFF,
    "outbox:send_again": STAFF,
    "mailintake:failed": STAFF,
    "mailintake:retry": STAFF,
    "outbox:unsubscribe": OPEN,
    "outbox:subscriptions": OPEN,
    "web:members": PUBLIC,
    "web:staff_members": STAFF,
    "web:staff_organisations": STAFF,
    "web:staff_organisation": STAFF,
    "web:staff_organisation_rename": STAFF,
    "web:staff_organisation_alias": STAFF,
    "web:staff_organisation_collective": STAFF,
    "web:staff_organisation_merge": STAFF,
    "web:staff_organisation_membership": STAFF,
    "web:staff_merge_undo": STAFF,
    "reports:report": MEMBER,  # staff, or a coordinator of the activity's organisations
    "reports:progress": MEMBER,
    "reports:progress_delete": MEMBER,
    "reports:execution": PUBLIC,
    "reports:execution_rows": PUBLIC,
    "reports:staff_execution": STAFF,
    "reports:download": STAFF,
    "reports:report_state": STAFF,
    "reports:material": PUBLIC,  # materials of reports on visible plans' activities
    "reports:thumbnail": PUBLIC,
    "contests:list": PUBLIC,
    "contests:contest": PUBLIC,  # published contests; drafts are staff's (tests/contests)
    "contests:apply": PUBLIC,  # anyone the contest admits, while the call is open
    "contests:document": PUBLIC,
    "contests:mine": OPEN,  # one's own applications: an account's, or a guest browser's
    "contests:application": OPEN,  # its applicant's (user or guest) and staff's; else 404
    "contests:withdraw": OPEN,
    "contests:send_link": OPEN,
    "contests:application_file": OPEN,
    "contests:application_thumbnail": OPEN,
    "contests:confirm": OPEN,  # the one-time link is its own credential
    "contests:staff_contests": STAFF,
    "contests:staff_new": STAFF,
    "contests:staff_contest": STAFF,
    "contests:staff_nomination_add": STAFF,
    "contests:staff_nomination_remove": STAFF,
    "contests:staff_field_add": STAFF,
    "contests:staff_field_remove": STAFF,
    "contests:staff_document_add": STAFF,
    "contests:staff_document_remove": STAFF,
    "contests:staff_applications": STAFF,
    "contests:staff_jury": STAFF,
    "contests:staff_jury_settings": STAFF,
    "contests:staff_juror_invite": STAFF,
    "contests:staff_juror_remove": STAFF,
    "contests:staff_category_add": STAFF,
    "contests:staff_category_remove": STAFF,
    "contests:staff_assign": STAFF,
    "contests:staff_assignments": STAFF,
    "contests:jury_home": SIGNED_IN,  # one's own seats on juries (tests/contests)
    "contests:jury_contest": MEMBER,  # a juror of that contest
    "contests:jury_review": MEMBER,  # the juror the entry is assigned to
    "contests:jury_conflict": MEMBER,
    "contests:jury_file": MEMBER,
    "contests:jury_thumbnail": MEMBER,
    "contests:jury_accept": OPEN,  # the invitation's link is its own credential
}
SAMPLE = {"int": "1", "str": "x", "export": "json", "path": "x", "slug": "x", "report": "docx"}


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """(name, path with sample arguments) of every URL outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from url_patterns(
                pattern.url_patterns, prefix + str(pattern.pattern), inner.strip(":")
            )
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, _sample(prefix + str(pattern.pattern))


def _sample(path: str) -> str:
    """The path with each <converter:name> replaced by a sample value."""
    out, rest = "", path
    while "<" in rest:
        before, _, after = rest.partition("<")
        spec, _, rest = after.partition(">")
        converter = spec.split(":")[0] if ":" in spec else "str"
        out += before + SAMPLE[converter]
    return "/" + out + rest


def test_every_url_has_an_audience() -> None:
    names = {name for name, _path in url_patterns()}
    assert names - AUDIENCE.keys() == set(), "classify the new URLs in AUDIENCE"
    assert AUDIENCE.keys() - names == set(), "remove the URLs that are gone from AUDIENCE"


@pytest.fixture
def coordinator() -> User:
    user = User.objects.create_user("member@example.org", email="member@example.org")
    organisation = Organisation.objects.create(name="Администрация г. Тестовска", key="тестовск")
    Coordinator.objects.create(user=user, organisation=organisation)
    return user


def _signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "path"), sorted(url_patterns()))
def test_no_view_answers_above_its_audience(name: str, path: str, coordinator: User) -> None:
    audience = AUDIENCE[name]
    if audience in (PUBLIC, OPEN):
        return
    nobody = User.objects.create_user("nobody@example.org")
    callers = {"anonymous": None}
    if audience in (MEMBER, STAFF):
        callers["no role"] = nobody
    if audience == STAFF:
        callers["coordinator"] = coordinator
    for caller, user in callers.items():
        for method in ("get", "post"):
            response = getattr(_signed_in(user), method)(path)
            assert response.status_code in (302, 403, 404, 405), (caller, method, path)
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("accounts:login")), (caller, path)


@pytest.mark.parametrize(("name", "path"), sorted(url_patterns()))
def test_no_post_without_a_csrf_token(name: str, path: str, coordinator: User) -> None:
    """Even for the role that may: the only exception is RFC 8058's one-click unsubscribe."""
    staff = User.objects.create_user("staff@example.org", is_staff=True)
    user = staff if AUDIENCE[name] == STAFF else coordinator
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(path, {"field": "value"})
    assert response.status_code in (403, 404, 405), (name, path, response.status_code)

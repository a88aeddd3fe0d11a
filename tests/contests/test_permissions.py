"""Every view of contests, GET and POST, for every role: the status code expected.

Roles: the anonymous public; a guest (no account) whose browser holds the guest's application;
a signed-in user with no role, who made the other application; a member's coordinator (not its
applicant); staff. The contest is published and takes applications from everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver

from civicplan.contests import actions, confirmation
from civicplan.contests.rules import Guest
from civicplan.contests.views import SESSION_KEY
from tests.contests.conftest import World, entry, pdf

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "guest", "nobody", "coordinator", "staff")
LOGIN_REQUIRED = "login"  # a 302 to the login page with ?next=


@dataclass
class Ids:
    contest: int
    slug: str
    activity: int
    application: int  # nobody's
    guest_app: int  # the guest's
    file: int  # of nobody's application (a picture)
    document: int
    nomination: int
    field: int
    token: str  # the guest's one-time link


@pytest.fixture
def ids(world: World) -> Ids:
    application = actions.save_application(world.nobody, world.contest, entry(world))
    guest_app = actions.save_application(
        Guest(), world.contest, entry(world, email="guest@example.org", files={})
    )
    document = actions.add_document(
        world.staff, world.contest, "Положение", actions.IncomingFile("p.pdf", pdf())
    )
    return Ids(
        contest=world.contest.pk,
        slug=world.contest.slug,
        activity=world.activity.pk,
        application=application.pk,
        guest_app=guest_app.pk,
        file=application.files.get().pk,
        document=document.pk,
        nomination=world.contest.nominations.last().pk,
        field=world.fields["link"],
        token=confirmation.token(guest_app),
    )


def _client(role: str, world: World, ids: Ids) -> Client:
    client = Client()
    users = {"nobody": world.nobody, "coordinator": world.coordinator, "staff": world.staff}
    if role in users:
        client.force_login(users[role])
    if role == "guest":
        session = client.session
        session[SESSION_KEY] = [ids.guest_app]
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


DRAFT = {"kind": "individual", "first_name": "Анна", "last_name": "Соколова", "email": "a@b.org"}
CONTEST = {
    "title": "Конкурс",
    "for_individuals": "on",
    "call_opens": "2025-03-01T00:00",
    "call_closes": "2025-04-01T18:00",
    "judging_starts": "2025-04-02T00:00",
    "results_published": "2025-05-15T12:00",
}
STAFF_ONLY = (LOGIN_REQUIRED, LOGIN_REQUIRED, 403, 403)
EVERYONE = (200,) * 5
A = "/contests/applications/{application}/"
G = "/contests/applications/{guest_app}/"
F = "/contests/applications/{application}/files/{file}/"
S = "/staff/contests/{contest}/"

# (method, path template, data, expected by role in ROLES order)
MATRIX = [
    ("get", "/contests/", None, EVERYONE),
    ("post", "/contests/", {}, (405,) * 5),
    ("get", "/contests/{contest}-{slug}/", None, EVERYONE),
    ("post", "/contests/{contest}-{slug}/", {}, (405,) * 5),
    ("get", "/contests/{contest}/apply/", None, EVERYONE),
    ("post", "/contests/{contest}/apply/", DRAFT, (302,) * 5),
    ("get", "/contests/{contest}/documents/{document}/", None, EVERYONE),
    ("post", "/contests/{contest}/documents/{document}/", {}, (405,) * 5),
    ("get", "/contests/applications/", None, EVERYONE),
    ("post", "/contests/applications/", {}, (405,) * 5),
    ("get", A, None, (404, 404, 200, 404, 200)),
    ("post", A, DRAFT, (404, 404, 302, 404, 403)),
    ("get", G, None, (404, 200, 404, 404, 200)),
    ("post", G, DRAFT, (404, 302, 404, 404, 403)),
    ("get", A + "withdraw/", None, (405,) * 5),
    ("post", A + "withdraw/", {}, (404, 404, 302, 404, 404)),
    ("post", G + "withdraw/", {}, (404, 302, 404, 404, 404)),
    ("get", G + "link/", None, (405,) * 5),
    ("post", G + "link/", {}, (404, 302, 404, 404, 404)),
    ("get", F, None, (404, 404, 200, 404, 200)),
    ("post", F, {}, (405,) * 5),
    ("get", F + "thumbnail", None, (404, 404, 200, 404, 200)),
    ("post", F + "thumbnail", {}, (405,) * 5),
    # The one-time link is its own credential: anyone holding it may use it, once.
    ("get", "/contests/confirm/{token}/", None, EVERYONE),
    ("post", "/contests/confirm/{token}/", {}, (302,) * 5),
    ("get", "/contests/confirm/made-up/", None, (410,) * 5),
    ("get", "/staff/contests/", None, (*STAFF_ONLY, 200)),
    ("post", "/staff/contests/", {}, (*STAFF_ONLY, 405)),
    ("get", "/staff/contests/new/?activity={activity}", None, (*STAFF_ONLY, 200)),
    ("post", "/staff/contests/new/?activity={activity}", CONTEST, (*STAFF_ONLY, 302)),
    ("get", S, None, (*STAFF_ONLY, 200)),
    ("post", S, CONTEST, (*STAFF_ONLY, 302)),
    ("get", S + "nominations/", None, (*STAFF_ONLY, 405)),
    ("post", S + "nominations/", {"title": "Видео"}, (*STAFF_ONLY, 302)),
    ("get", S + "nominations/{nomination}/remove/", None, (*STAFF_ONLY, 405)),
    ("post", S + "nominations/{nomination}/remove/", {}, (*STAFF_ONLY, 302)),
    ("get", S + "fields/", None, (*STAFF_ONLY, 405)),
    ("post", S + "fields/", {"kind": "text", "label": "Вопрос"}, (*STAFF_ONLY, 302)),
    ("get", S + "fields/{field}/remove/", None, (*STAFF_ONLY, 405)),
    ("post", S + "fields/{field}/remove/", {}, (*STAFF_ONLY, 302)),
    ("get", S + "documents/", None, (*STAFF_ONLY, 405)),
    ("post", S + "documents/", {"title": "Форма", "file": "upload"}, (*STAFF_ONLY, 302)),
    ("get", S + "documents/{document}/remove/", None, (*STAFF_ONLY, 405)),
    ("post", S + "documents/{document}/remove/", {}, (*STAFF_ONLY, 302)),
    ("get", S + "applications/", None, (*STAFF_ONLY, 200)),
    ("post", S + "applications/", {}, (*STAFF_ONLY, 405)),
]

CASES = [
    pytest.param(method, path, data, role, expected[index], id=f"{method} {path} {role}")
    for method, path, data, expected in MATRIX
    for index, role in enumerate(ROLES)
]


def _data(data: dict, ids: Ids) -> dict:
    filled = {key: value.format(**vars(ids)) for key, value in data.items()}
    if filled.get("file") == "upload":
        filled["file"] = SimpleUploadedFile("f.pdf", pdf(), "application/pdf")
    return filled


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_permission_matrix(
    world: World,
    ids: Ids,
    method: str,
    path: str,
    data: dict | None,
    role: str,
    expected: int | str,
) -> None:
    client = _client(role, world, ids)
    url = path.format(**vars(ids))
    response = client.post(url, _data(data or {}, ids)) if method == "post" else client.get(url)
    if expected == LOGIN_REQUIRED:
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/?next=")
    else:
        assert response.status_code == expected


def _names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            names |= _names(pattern.url_patterns, inner)
        elif namespace == "contests":
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_view() -> None:
    """This matrix and the jury's (test_jury_permissions) together name every view."""
    from tests.contests.test_jury_permissions import JURY_MATRIX, JuryIds

    named = _names(get_resolver().url_patterns)
    fields = {*Ids.__dataclass_fields__, *JuryIds.__dataclass_fields__}
    sample = dict.fromkeys(fields, "1") | {"slug": "x", "token": "t"}
    covered = {
        get_resolver().resolve(path.format(**sample).split("?")[0]).url_name
        for _method, path, _data, _expected in [*MATRIX, *JURY_MATRIX]
    }
    assert named == covered

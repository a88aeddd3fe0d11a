"""Every view of the members' area (/account/…, served by accounts, newsroom and web), GET and
POST, for every role: the status code expected.

Roles: the anonymous public; a logged-in user with no role; the coordinator whose
organisation owns the submission; a coordinator of another organisation; staff. The
submission waits for changes, so its author's organisation may correct it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civicplan.accounts import actions as account_actions
from civicplan.directory.models import Organisation
from civicplan.newsroom import actions
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.attachments import IncomingFile
from tests.accounts.conftest import PASSWORD, png_bytes

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "nobody", "coordinator", "other", "staff")


@dataclass
class World:
    submission: int
    attachment: int
    invitation: int
    token: str
    organisation: int


@pytest.fixture
def world(
    coordinator: User,
    other_coordinator: User,
    staff: User,
    nobody: User,
    cherepovets: Organisation,
    django_capture_on_commit_callbacks,
) -> World:
    submission = actions.submit(
        coordinator,
        Draft(
            kind="press_release",
            title="Новость",
            files=[IncomingFile("photo.png", png_bytes())],
        ),
    )
    actions.request_changes(staff, submission, "Нужна дата.")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = account_actions.invite(staff, "new@example.org", "staff")
    token = mail.outbox[-1].body.split("/account/invitation/")[1].split("/")[0]
    return World(
        submission=submission.pk,
        attachment=submission.attachments.get().pk,
        invitation=invitation.pk,
        token=token,
        organisation=cherepovets.pk,
    )


def _client(role: str, request: pytest.FixtureRequest) -> Client:
    client = Client()
    if role != "anonymous":
        fixture = {"other": "other_coordinator"}.get(role, role)
        client.force_login(request.getfixturevalue(fixture))
    return client


LOGIN_REQUIRED = "login"  # a 302 to the login page with ?next=

# (method, path template, data, expected by role in ROLES order)
MATRIX = [
    ("get", "/account/", None, (LOGIN_REQUIRED, 403, 200, 200, 200)),
    ("post", "/account/", {}, (LOGIN_REQUIRED, 403, 405, 405, 405)),
    ("get", "/account/submit/", None, (LOGIN_REQUIRED, 403, 200, 200, 200)),
    (
        "post",
        "/account/submit/",
        {"kind": "press_release", "title": "Новость"},
        (LOGIN_REQUIRED, 403, 302, 302, 302),
    ),
    ("get", "/account/propose/", None, (LOGIN_REQUIRED, 403, 200, 200, 200)),
    (
        "post",
        "/account/propose/",
        {"when": "май", "title": "Форум"},
        (LOGIN_REQUIRED, 403, 302, 302, 302),
    ),
    ("get", "/account/submissions/{submission}/", None, (LOGIN_REQUIRED, 404, 200, 404, 200)),
    (
        "post",
        "/account/submissions/{submission}/",
        {"title": "Новость 12 мая", "text": "", "activity": ""},
        (LOGIN_REQUIRED, 404, 302, 404, 403),
    ),
    (
        "get",
        "/account/submissions/{submission}/files/{attachment}/",
        None,
        (LOGIN_REQUIRED, 404, 200, 404, 200),
    ),
    (
        "post",
        "/account/submissions/{submission}/files/{attachment}/",
        {},
        (LOGIN_REQUIRED, 405, 405, 405, 405),
    ),
    ("get", "/account/invitations/", None, (LOGIN_REQUIRED, 403, 403, 403, 200)),
    (
        "post",
        "/account/invitations/",
        {"email": "another@example.org", "role": "coordinator", "organisation": "{organisation}"},
        (LOGIN_REQUIRED, 403, 403, 403, 302),
    ),
    (
        "get",
        "/account/invitations/{invitation}/resend/",
        None,
        (LOGIN_REQUIRED, 403, 403, 403, 405),
    ),
    (
        "post",
        "/account/invitations/{invitation}/resend/",
        {},
        (LOGIN_REQUIRED, 403, 403, 403, 302),
    ),
    (
        "get",
        "/account/invitations/{invitation}/revoke/",
        None,
        (LOGIN_REQUIRED, 403, 403, 403, 405),
    ),
    (
        "post",
        "/account/invitations/{invitation}/revoke/",
        {},
        (LOGIN_REQUIRED, 403, 403, 403, 302),
    ),
    # The invitation link is its own credential: anyone holding it may use it.
    ("get", "/account/invitation/{token}/", None, (200, 200, 200, 200, 200)),
    (
        "post",
        "/account/invitation/{token}/",
        {
            "first_name": "Нина",
            "last_name": "Орлова",
            "password1": "Серебряный-бор-51",
            "password2": "Серебряный-бор-51",
        },
        (302, 302, 302, 302, 302),
    ),
    ("get", "/account/invitation/unknown-token/", None, (404, 404, 404, 404, 404)),
    ("get", "/account/login/", None, (200, 302, 302, 302, 302)),
    ("post", "/account/login/", {"username": "x", "password": "y"}, (200, 302, 302, 302, 302)),
    ("get", "/account/logout/", None, (405, 405, 405, 405, 405)),
    ("post", "/account/logout/", {}, (302, 302, 302, 302, 302)),
    ("get", "/account/password/reset/", None, (200, 200, 200, 200, 200)),
    ("post", "/account/password/reset/", {"email": "x@example.org"}, (302,) * 5),
    ("get", "/account/password/reset/sent/", None, (200,) * 5),
    # A made-up link: the page says it is not valid.
    ("get", "/account/password/reset/MQ/bad-token/", None, (200,) * 5),
    ("post", "/account/password/reset/MQ/bad-token/", {}, (200,) * 5),
    ("get", "/account/password/reset/done/", None, (200,) * 5),
    ("get", "/account/password/change/", None, (LOGIN_REQUIRED, 200, 200, 200, 200)),
    ("get", "/account/password/change/done/", None, (LOGIN_REQUIRED, 200, 200, 200, 200)),
    (
        "post",
        "/account/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Серебряный-бор-51",
            "new_password2": "Серебряный-бор-51",
        },
        (LOGIN_REQUIRED, 302, 302, 302, 302),
    ),
]

CASES = [
    pytest.param(method, path, data, role, expected[index], id=f"{method} {path} {role}")
    for method, path, data, expected in MATRIX
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_permission_matrix(
    world: World,
    request: pytest.FixtureRequest,
    method: str,
    path: str,
    data: dict | None,
    role: str,
    expected: int | str,
) -> None:
    client = _client(role, request)
    url = path.format(**vars(world))
    if data is not None:
        data = {key: value.format(**vars(world)) for key, value in data.items()}
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    if expected == LOGIN_REQUIRED:
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/?next=")
    else:
        assert response.status_code == expected


def _members_area(patterns, prefix: str = "") -> set[str]:
    """The names of every view under /account/, whichever app serves it."""
    from django.urls import URLResolver

    names = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            names |= _members_area(pattern.url_patterns, route)
        elif route.startswith("account/"):
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_view() -> None:
    from django.urls import get_resolver

    named = _members_area(get_resolver().url_patterns)
    covered = set()
    for _method, path, _data, _expected in MATRIX:
        ids = {"submission": 1, "attachment": 1, "invitation": 1, "token": "t"}
        covered.add(get_resolver().resolve(path.format(**ids)).url_name)
    assert named == covered


def test_a_file_upload_by_someone_without_the_right_is_refused(
    request: pytest.FixtureRequest, nobody: User
) -> None:
    client = _client("nobody", request)
    upload = SimpleUploadedFile("photo.png", png_bytes(), "image/png")
    response = client.post("/account/submit/", {"kind": "press_release", "files": upload})
    assert response.status_code == 403

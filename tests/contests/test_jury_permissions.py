"""Every jury view, GET and POST, for every role: the status code expected.

Roles: the anonymous public; a signed-in user with no role (an applicant); a member's
coordinator (an applicant too); Olga, a juror to whom the entry is assigned; Irina, a juror of
the same contest to whom it is not; staff. The contest is being judged, the entries assigned.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from civicplan.contests import actions, confirmation
from tests.contests.conftest import Jury

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "nobody", "coordinator", "juror", "other_juror", "staff")
LOGIN = "login"


@dataclass
class JuryIds:
    contest: int
    juror: int  # Irina's seat
    category: int
    given: int  # Olga's assignment of Anna's entry
    file: int  # Anna's picture
    token: str  # an invitation to a new address


@pytest.fixture
def jury_ids(jury: Jury) -> JuryIds:
    invited = actions.invite_juror(
        jury.world.staff,
        jury.world.contest,
        actions.JurorData(email="new@jury.example", name="Новый"),
    )
    return JuryIds(
        contest=jury.world.contest.pk,
        juror=jury.jurors["irina"].pk,
        category=jury.categories[1].pk,
        given=jury.assignment("olga", "anna").pk,
        file=jury.entries["anna"].files.get().pk,
        token=confirmation.juror_token(invited),
    )


def _client(role: str, jury: Jury) -> Client:
    users = {
        "nobody": jury.world.nobody,
        "coordinator": jury.world.coordinator,
        "juror": jury.users["olga"],
        "other_juror": jury.users["irina"],
        "staff": jury.world.staff,
    }
    client = Client()
    if role in users:
        client.force_login(users[role])
    return client


STAFF_ONLY = (LOGIN, 403, 403, 403, 403)
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
JUROR_ONLY = (LOGIN, 404, 404, 200, 404, 404)
J = "/staff/contests/{contest}/jury/"
R = "/jury/reviews/{given}/"
SCORES = {"c{category}": "3", "comment": "Хорошо"}

# (method, path template, data, expected by role in ROLES order)
JURY_MATRIX = [
    ("get", J, None, (*STAFF_ONLY, 200)),
    ("post", J, {}, (*STAFF_ONLY, 405)),
    ("get", J + "settings/", None, (*STAFF_ONLY, 405)),
    (
        "post",
        J + "settings/",
        {"jurors_per_entry": "2", "review_phase": "discussion"},
        (*STAFF_ONLY, 302),
    ),
    ("get", J + "jurors/", None, (*STAFF_ONLY, 405)),
    ("post", J + "jurors/", {"email": "x@jury.example", "name": "Икс"}, (*STAFF_ONLY, 302)),
    ("get", J + "jurors/{juror}/remove/", None, (*STAFF_ONLY, 405)),
    ("post", J + "jurors/{juror}/remove/", {}, (*STAFF_ONLY, 302)),
    ("get", J + "categories/", None, (*STAFF_ONLY, 405)),
    (
        "post",
        J + "categories/",
        {"title": "Ещё", "weight": "1", "min_score": "0", "max_score": "5"},
        (*STAFF_ONLY, 302),
    ),
    ("get", J + "categories/{category}/remove/", None, (*STAFF_ONLY, 405)),
    ("post", J + "categories/{category}/remove/", {}, (*STAFF_ONLY, 302)),
    ("get", J + "assign/", None, (*STAFF_ONLY, 405)),
    ("post", J + "assign/", {}, (*STAFF_ONLY, 302)),
    ("get", "/staff/contests/{contest}/assignments/", None, (*STAFF_ONLY, 200)),
    ("post", "/staff/contests/{contest}/assignments/", {}, (*STAFF_ONLY, 405)),
    ("get", "/jury/", None, SIGNED_IN),
    ("post", "/jury/", {}, (LOGIN, *(405,) * 5)),
    ("get", "/jury/{contest}/", None, (LOGIN, 403, 403, 200, 200, 403)),
    ("post", "/jury/{contest}/", {}, (LOGIN, *(405,) * 5)),
    ("get", R, None, JUROR_ONLY),
    ("post", R, SCORES, (LOGIN, 404, 404, 302, 404, 404)),
    ("get", R + "conflict/", None, (LOGIN, *(405,) * 5)),
    ("post", R + "conflict/", {"reason": "Знаю автора"}, (LOGIN, 404, 404, 302, 404, 404)),
    ("get", R + "files/{file}/", None, JUROR_ONLY),
    ("post", R + "files/{file}/", {}, (LOGIN, *(405,) * 5)),
    ("get", R + "files/{file}/thumbnail", None, JUROR_ONLY),
    ("post", R + "files/{file}/thumbnail", {}, (LOGIN, *(405,) * 5)),
    # The invitation's link is its own credential; a juror of the contest cannot take a second seat.
    ("get", "/jury/invitations/{token}/", None, (200,) * 6),
    ("post", "/jury/invitations/{token}/", {}, (400, 302, 302, 400, 400, 302)),
    ("get", "/jury/invitations/made-up/", None, (410,) * 6),
]

CASES = [
    pytest.param(method, path, data, role, expected[index], id=f"{method} {path} {role}")
    for method, path, data, expected in JURY_MATRIX
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_jury_permission_matrix(
    jury: Jury, jury_ids: JuryIds, method: str, path: str, data, role: str, expected
) -> None:
    client = _client(role, jury)
    url = path.format(**vars(jury_ids))
    filled = {key.format(**vars(jury_ids)): value for key, value in (data or {}).items()}
    response = client.post(url, filled) if method == "post" else client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/?next=")
    else:
        assert response.status_code == expected

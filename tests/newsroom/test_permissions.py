"""Who may open each newsroom page and press each button: the public, a member's coordinator
(of the submission's own organisation, or of another), and the directorate's staff."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from civicplan.directory.models import Organisation
from civicplan.newsroom import actions
from civicplan.newsroom.attachments import IncomingFile
from civicplan.newsroom.models import Submission
from tests.newsroom.conftest import PDF, Make

pytestmark = pytest.mark.django_db

Status = Submission.Status
ROLES = ("anonymous", "coordinator", "other_coordinator", "staff")


@pytest.fixture
def as_role(client: Client, request: pytest.FixtureRequest):
    def login(role: str) -> Client:
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.fixture
def world(make: Make, staff: User, quarantined: Submission, plan) -> dict[str, Submission]:
    published = make("Опубликовано", files=(IncomingFile("a.pdf", PDF),))
    actions.publish(staff, published)
    return {
        "in_review": make("На рассмотрении", files=(IncomingFile("b.pdf", PDF),)),
        "published": published,
        "quarantine": quarantined,
        "proposal": make(
            "Предложение",
            kind=Submission.Kind.PROPOSAL,
            proposal_year=date.today().year + 1,
            proposal_when="май",
        ),
    }


# Staff pages: the public is sent to log in, members are refused, staff see them.
STAFF_ONLY = {"anonymous": 302, "coordinator": 403, "other_coordinator": 403, "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages(role: str, as_role, world: dict[str, Submission]) -> None:
    client = as_role(role)
    for url in ("/staff/newsroom/", "/staff/newsroom/?status=quarantine"):
        response = client.get(url)
        assert response.status_code == STAFF_ONLY[role], url
    for submission in world.values():
        url = f"/staff/newsroom/{submission.pk}/"
        response = client.get(url)
        assert response.status_code == STAFF_ONLY[role], url
        if role == "anonymous":
            assert response.url == f"/account/login/?next={url}"


def _buttons(world: dict[str, Submission], organisation: Organisation) -> list[tuple]:
    """(submission, button, form data) for every moderation button, each on a submission in a
    state that allows it."""
    in_review, quarantine = world["in_review"], world["quarantine"]
    return [
        (in_review, "edit", {"title": "Новое", "kind": "press_release", "text": "т"}),
        (in_review, "activity", {"activity": ""}),
        (in_review, "request-changes", {"changes-reason": "Фото"}),
        (quarantine, "accept", {"organisation": organisation.pk}),
        (world["proposal"], "include", {}),
        (quarantine, "reject", {"reject-reason": "Спам"}),
        (in_review, "publish", {}),  # last: after request-changes, it is back in review
    ]


@pytest.mark.parametrize("role", ROLES)
def test_moderation_buttons(
    role: str, as_role, world: dict[str, Submission], perm_city: Organisation
) -> None:
    client = as_role(role)
    expected = {"anonymous": 302, "coordinator": 403, "other_coordinator": 403, "staff": 302}
    for submission, button, data in _buttons(world, perm_city):
        if button == "publish" and role == "staff":
            Submission.objects.filter(pk=submission.pk).update(status=Status.IN_REVIEW)
        before = Submission.objects.get(pk=submission.pk).status
        url = f"/staff/newsroom/{submission.pk}/{button}/"
        response = client.post(url, data)
        assert response.status_code == expected[role], (button, response.content[:300])
        after = Submission.objects.get(pk=submission.pk).status
        if role == "staff":
            assert response.url == f"/staff/newsroom/{submission.pk}/"
        else:
            assert after == before, button
            if role == "anonymous":  # back to the submission's page after logging in
                assert response.url == f"/account/login/?next=/staff/newsroom/{submission.pk}/"


@pytest.mark.parametrize("role", ROLES)
def test_public_pages(role: str, as_role, world: dict[str, Submission]) -> None:
    client = as_role(role)
    published = world["published"]
    for url in ("/news/", "/news/rss.xml", "/news/atom.xml", published.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    for key in ("in_review", "quarantine", "proposal"):
        assert client.get(world[key].get_absolute_url()).status_code == 404


# An unpublished file: its organisation's coordinator and staff; a 404 for everyone else.
UNPUBLISHED_FILE = {"anonymous": 404, "coordinator": 200, "other_coordinator": 404, "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_files(role: str, as_role, world: dict[str, Submission]) -> None:
    client = as_role(role)
    public = world["published"].attachments.get()
    hidden = world["in_review"].attachments.get()
    assert client.get(f"/news/files/{public.pk}/").status_code == 200
    assert client.get(f"/news/files/{hidden.pk}/").status_code == UNPUBLISHED_FILE[role]

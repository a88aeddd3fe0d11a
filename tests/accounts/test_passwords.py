"""Password reset by a link in a Russian letter (plain text and HTML), and password change."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.accounts.conftest import PASSWORD

# Real commits: the letter is sent when the request's work commits, as on the site.
pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Новый-пароль-Череповец-7"


def _link(message) -> str:
    links = re.findall(r"https://plan\.example\.org(/\S+/)", message.body)
    assert len(links) == 1, message.body
    return links[0]


def test_reset_letter_and_link_set_a_new_password(client: Client, coordinator: User) -> None:
    page = client.post("/account/password/reset/", {"email": "PRESS@cherepovets.example.ru"})
    assert page.status_code == 302
    assert page["Location"] == "/account/password/reset/sent/"
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [coordinator.email]
    assert letter.subject == "Новый пароль для CivicPlan"
    assert "Задать новый пароль:" in letter.body
    html, mimetype = letter.alternatives[0]
    assert mimetype == "text/html"
    link = _link(letter)
    assert f'href="https://plan.example.org{link}"' in html

    # The link leads (through Django's redirect that hides the token) to the form.
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == "/account/password/reset/done/"
    coordinator.refresh_from_db()
    assert coordinator.check_password(NEW_PASSWORD)

    # The link works once.
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "Ссылка недействительна" in again.content.decode()

    login = client.post(
        "/account/login/", {"username": coordinator.username, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_unknown_address_gets_the_same_page_and_no_letter(
    client: Client, coordinator: User
) -> None:
    page = client.post("/account/password/reset/", {"email": "nobody@example.org"})
    assert page.status_code == 302
    assert page["Location"] == "/account/password/reset/sent/"
    assert mail.outbox == []


def test_reset_letter_is_russian_from_an_english_page(client: Client, coordinator: User) -> None:
    client.post("/en/account/password/reset/", {"email": coordinator.email})
    letter = mail.outbox[0]
    assert letter.subject == "Новый пароль для CivicPlan"
    assert _link(letter).startswith("/account/password/reset/")


def test_a_weak_new_password_is_refused(client: Client, coordinator: User) -> None:
    client.post("/account/password/reset/", {"email": coordinator.email})
    form = client.get(_link(mail.outbox[0]), follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_password_change(client: Client, coordinator: User) -> None:
    assert client.get("/account/password/change/").status_code == 302  # to the login
    client.force_login(coordinator)
    assert client.get("/account/password/change/").status_code == 200
    response = client.post(
        "/account/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/password/change/done/"
    coordinator.refresh_from_db()
    assert coordinator.check_password(NEW_PASSWORD)

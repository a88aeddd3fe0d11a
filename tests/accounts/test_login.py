"""Login, logout and throttling (django-axes) through real POSTs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def test_login_page_in_russian_and_english(client: Client) -> None:
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "Вход для членов Ассоциации и дирекции" in page.content.decode()
    english = client.get("/en/account/login/")
    assert english.status_code == 200
    html = english.content.decode()
    # Django's own label; ours come with the lead's catalogue update (see the report).
    assert '<html lang="en">' in html
    assert "Password" in html


def test_login_with_email_in_any_case_goes_to_the_account(
    client: Client, coordinator: User
) -> None:
    response = client.post(
        LOGIN, {"username": "Press@Cherepovets.example.RU", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:account")
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert "Мэрия города Череповца" in home.content.decode()


def test_header_links_to_login_then_to_the_account(client: Client, coordinator: User) -> None:
    assert f'href="{LOGIN}"' in client.get("/").content.decode()
    client.force_login(coordinator)
    assert 'href="/account/"' in client.get("/").content.decode()


def test_wrong_password_shows_the_form_again(client: Client, coordinator: User) -> None:
    response = client.post(LOGIN, {"username": coordinator.username, "password": "не тот"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(
    client: Client, coordinator: User
) -> None:
    for _attempt in range(4):
        response = client.post(LOGIN, {"username": coordinator.username, "password": "нет"})
        assert response.status_code == 200
    fifth = client.post(LOGIN, {"username": coordinator.username, "password": "нет"})
    assert fifth.status_code == 429
    right = client.post(LOGIN, {"username": coordinator.username, "password": PASSWORD})
    assert right.status_code == 429
    assert "Вход временно закрыт" in right.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user name from the same address is not locked out.
    User.objects.create_user("other@example.org", email="other@example.org", password=PASSWORD)
    assert (
        client.post(LOGIN, {"username": "other@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_a_success_resets_the_failure_count(client: Client, coordinator: User) -> None:
    for _attempt in range(4):
        client.post(LOGIN, {"username": coordinator.username, "password": "нет"})
    assert (
        client.post(LOGIN, {"username": coordinator.username, "password": PASSWORD}).status_code
        == 302
    )
    client.post("/account/logout/")
    for _attempt in range(4):
        assert (
            client.post(LOGIN, {"username": coordinator.username, "password": "нет"}).status_code
            == 200
        )


def test_logout_is_a_post_and_goes_home(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    assert client.get("/account/logout/").status_code == 405
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/account/").status_code == 302


def test_login_needs_the_csrf_token(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    data = {"username": coordinator.username, "password": PASSWORD}
    assert client.post(LOGIN, data).status_code == 403
    form = client.get(LOGIN)
    data["csrfmiddlewaretoken"] = form.cookies["csrftoken"].value
    assert client.post(LOGIN, data).status_code == 302


def test_a_logged_in_user_is_sent_on_from_the_login_page(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_many_user_names_from_one_address_lock_the_address(client: Client, settings) -> None:
    """Five failures per name lock a name; failures across names lock the address at the
    limit, for every name, the right password too, until the cool-off has passed."""
    settings.CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT = 20
    User.objects.create_user("known", password="the-right-one-42")
    for attempt in range(20):
        response = client.post(
            "/account/login/", {"username": f"name{attempt % 10}", "password": "wrong"}
        )
        assert response.status_code == 200  # the form again, with its error
    refused = client.post("/account/login/", {"username": "known", "password": "the-right-one-42"})
    assert refused.status_code == 429
    assert "с вашего адреса" in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert (
        elsewhere.post(
            "/account/login/", {"username": "known", "password": "the-right-one-42"}
        ).status_code
        == 302
    )


def test_the_admins_login_counts_and_is_locked_with_the_sites(client: Client, settings) -> None:
    """Failures on /admin/login/ count against the address, and a locked address may not log
    in there either, not even with the right password."""
    settings.CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    User.objects.create_user("boss", password="the-right-one-42", is_staff=True)
    for attempt in range(2):
        client.post("/admin/login/", {"username": f"name{attempt}", "password": "wrong"})
    for attempt in range(2):
        client.post(LOGIN, {"username": f"other{attempt}", "password": "wrong"})
    admin = client.post(
        "/admin/login/?next=/admin/", {"username": "boss", "password": "the-right-one-42"}
    )
    assert admin.status_code == 200  # the form again: not logged in
    assert "_auth_user_id" not in client.session
    site = client.post(LOGIN, {"username": "boss", "password": "the-right-one-42"})
    assert site.status_code == 429


def test_behind_a_proxy_the_address_is_the_clients(client: Client, settings) -> None:
    """With one proxy in front, the address is the last X-Forwarded-For entry (the one the
    proxy added), not the proxy's own, and not what the client wrote before it."""
    settings.CIVICPLAN_PROXY_COUNT = 1
    settings.CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for _attempt in range(3):
        client.post(
            "/account/login/",
            {"username": "nobody", "password": "wrong"},
            headers={"x-forwarded-for": "1.2.3.4, 203.0.113.7"},
        )
    locked = client.post(
        "/account/login/",
        {"username": "nobody", "password": "wrong"},
        headers={"x-forwarded-for": "9.9.9.9, 203.0.113.7"},  # a forged first entry
    )
    assert locked.status_code == 429
    other = client.post(
        "/account/login/",
        {"username": "nobody", "password": "wrong"},
        headers={"x-forwarded-for": "203.0.113.8"},
    )
    assert other.status_code == 200

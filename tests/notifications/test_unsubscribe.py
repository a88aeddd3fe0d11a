"""The unsubscribe link of every mailing: the page, its form, a mail client's one-click POST
(RFC 8058), the page to subscribe again; and that it stops that kind of mail only."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client

from civicplan.outbox.mail import send_templated
from civicplan.outbox.models import MailPreference
from tests.notifications.conftest import run_scheduler, to

pytestmark = pytest.mark.django_db

CONTEXT = {"submission": {"title": "Новость"}, "kind": "пресс-релиз", "reason": "Нет."}


def link_of(received) -> str:
    """The path and query of the message's List-Unsubscribe link, which the body shows too."""
    header = received.header("List-Unsubscribe")
    assert header.startswith("<https://plan.example.org/unsubscribe/")
    assert header.endswith(">")
    url = header[1:-1]
    assert url in received.body("plain")
    assert f'href="{url}"' in received.body("html")
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def a_digest_to(sink, address: str):
    send_templated(address, "newsroom/mail/rejected", CONTEXT, unsubscribe_kind="digest")
    return sink[-1]


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def test_the_page_asks_and_its_form_unsubscribes(sink, browser) -> None:
    link = link_of(a_digest_to(sink, "Vera@Example.org"))
    page = browser.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "vera@example.org" in html
    assert "еженедельный обзор" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert MailPreference.objects.get().wants("digest")

    assert browser.post(link).status_code == 403  # no CSRF token: refused
    token = browser.cookies["csrftoken"].value
    done = browser.post(link, {"csrfmiddlewaretoken": token})
    assert done.status_code == 302
    preference = MailPreference.objects.get()
    assert not preference.wants("digest")
    assert preference.wants("reminders")
    assert done["Location"] == f"/unsubscribe/{preference.token}/settings/"

    send_templated("vera@example.org", "newsroom/mail/rejected", CONTEXT, unsubscribe_kind="digest")
    send_templated(
        "vera@example.org", "newsroom/mail/rejected", CONTEXT, unsubscribe_kind="reminders"
    )
    send_templated("vera@example.org", "newsroom/mail/rejected", CONTEXT)  # a reply: always sent
    assert len(sink) == 3
    assert sink[1].header("List-Unsubscribe").endswith("?kind=reminders>")
    assert "List-Unsubscribe" not in sink[2].message


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_mail_clients_one_click_post_needs_no_csrf_token(sink, browser, encoding) -> None:
    link = link_of(a_digest_to(sink, "vera@example.org"))
    if encoding == "urlencoded":
        response = browser.post(
            link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = browser.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert MailPreference.objects.get().unsubscribed == ["digest"]
    a_digest_to(sink, "vera@example.org")
    assert len(sink) == 1


def test_any_other_post_without_a_csrf_token_is_refused(sink, browser) -> None:
    link = link_of(a_digest_to(sink, "vera@example.org"))
    assert browser.post(link, {"List-Unsubscribe": "Yes"}).status_code == 403
    assert MailPreference.objects.get().wants("digest")


def test_a_wrong_token_is_not_found(browser) -> None:
    assert browser.get("/unsubscribe/nope/?kind=digest").status_code == 404
    one_click = browser.post("/unsubscribe/nope/", {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 404


def test_subscribing_again_on_the_settings_page(sink, browser) -> None:
    link = link_of(a_digest_to(sink, "vera@example.org"))
    browser.post(link, {"List-Unsubscribe": "One-Click"})
    preference = MailPreference.objects.get()
    page = browser.get(f"/unsubscribe/{preference.token}/settings/")
    html = page.content.decode()
    assert 'value="digest">' in html
    assert 'value="reminders" checked>' in html
    saved = browser.post(
        f"/unsubscribe/{preference.token}/settings/",
        {
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
            "kind": ["digest", "reminders"],
        },
    )
    assert saved.status_code == 302
    preference.refresh_from_db()
    assert preference.unsubscribed == [
        "post_release_requests",
        "report_requests",
        "status_notices",
    ]
    a_digest_to(sink, "vera@example.org")
    assert len(sink) == 2


def test_the_english_page(sink, browser) -> None:
    link = link_of(a_digest_to(sink, "vera@example.org"))
    assert browser.get(f"/en{link}").status_code == 200


def test_unsubscribing_from_reminders_stops_the_next_reminder(
    settings, sink, browser, dated, coordinator
) -> None:
    settings.CIVICPLAN_REMINDER_DAYS = [7, 1]
    run_scheduler(dated.start - timedelta(days=7))
    [reminder] = to(sink, coordinator.email)
    browser.post(link_of(reminder), {"List-Unsubscribe": "One-Click"})
    run_scheduler(dated.start - timedelta(days=1))
    assert to(sink, coordinator.email) == [reminder]
    run_scheduler(dated.end + timedelta(days=1))  # other kinds still come
    assert len(to(sink, coordinator.email)) == 2

"""send_templated over real SMTP: what a reader's mail program receives."""

from __future__ import annotations

import pytest

from civicplan.outbox.mail import send_templated
from civicplan.outbox.models import MailPreference

pytestmark = pytest.mark.django_db

CONTEXT = {
    "submission": {"title": "Весна & «здоровье»"},
    "kind": "пресс-релиз",
    "reason": "Нет фотографий <b>с подписями</b>",
    "account_url": "https://plan.example.org/account/submissions/7/",
}


def test_a_reply_is_one_multipart_message_to_all_recipients(sink) -> None:
    send_templated(["a@example.org", "b@example.org"], "newsroom/mail/rejected", CONTEXT)
    [received] = sink
    assert sorted(received.rcpt_tos) == ["a@example.org", "b@example.org"]
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in message.iter_parts()]
    assert types == ["text/plain", "text/html"]
    assert received.subject == "Материал не принят: «Весна & «здоровье»»"
    text = received.body("plain")
    assert "Нет фотографий <b>с подписями</b>" in text  # plain text is not HTML-escaped
    assert "https://plan.example.org/account/submissions/7/" in text
    html = received.body("html")
    assert "Нет фотографий &lt;b&gt;с подписями&lt;/b&gt;" in html
    assert 'href="https://plan.example.org/account/submissions/7/"' in html
    assert "List-Unsubscribe" not in message
    assert message["Auto-Submitted"] == "auto-generated"


def test_a_mailing_is_one_message_per_reader_with_their_own_link(sink) -> None:
    MailPreference.objects.create(email="gone@example.org", unsubscribed=["digest"])
    send_templated(
        ["a@example.org", "A@example.org", "b@example.org", "gone@example.org"],
        "newsroom/mail/rejected",
        CONTEXT,
        unsubscribe_kind="digest",
    )
    assert [received.rcpt_tos for received in sink] == [["a@example.org"], ["b@example.org"]]
    links = {received.header("List-Unsubscribe") for received in sink}
    assert len(links) == 2
    for received in sink:
        token = MailPreference.objects.get(email=received.rcpt_tos[0]).token
        url = f"https://plan.example.org/unsubscribe/{token}/?kind=digest"
        assert received.header("List-Unsubscribe") == f"<{url}>"
        assert received.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
        assert f"Отписаться: {url}" in received.body("plain")
        assert "«еженедельный обзор»" in received.body("html")


def test_nobody_to_send_to_sends_nothing(sink) -> None:
    send_templated([" ", ""], "newsroom/mail/rejected", CONTEXT)
    assert not sink

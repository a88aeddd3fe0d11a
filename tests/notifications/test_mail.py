"""send_templated over real SMTP: what a reader's mail program receives."""

from __future__ import annotations

import pytest

from civicplan.notifications.mail import send_templated

pytestmark = pytest.mark.django_db

CONTEXT = {
    "submission": {"title": "Весна & «здоровье»"},
    "kind": "пресс-релиз",
    "reason": "Нет фотографий <b>с подписями</b>",
    "account_url": "https://plan.example.org/account/submissions/7/",
}


def test_a_reply_is_one_multipart_message_to_all_recipients(sink) -> None:
    send_templated(["a@example.org", "b@example.org"], "notifications/rejected", CONTEXT)
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

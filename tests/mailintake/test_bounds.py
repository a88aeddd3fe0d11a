"""The probes of the tracker issue, each over real SMTP: sixteen parallel 25 MB letters (the
intake's memory in its own process), 900 idle connections, letters per minute, DATA trickled
past its deadline, a refused letter that does not end, a forged From, a failed
Authentication-Results, a full disk for a few seconds, twelve attachments, 5,000 parts."""

from __future__ import annotations

import html
import select
import smtplib
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import mail as outbox
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from civicplan.mailintake import actions
from civicplan.mailintake import server as server_module
from civicplan.mailintake.limits import (
    TOO_MANY_CONNECTIONS,
    TOO_MANY_FROM_ADDRESS,
    TOO_MANY_LETTERS,
)
from civicplan.mailintake.models import InboundMessage
from civicplan.mailintake.server import DATA_TOO_SLOW, IDLE, TOO_BIG, IntakeServer
from civicplan.mailintake.storage import INCOMING
from civicplan.newsroom.member_forms import MAX_FILES
from civicplan.newsroom.models import Submission, SubmissionEvent
from tests.mailintake import probes
from tests.mailintake.conftest import Intake
from tests.mailintake.letters import COORDINATOR, JPEG, NEWS, b64, modern, multipart, text_part

Status = InboundMessage.Status
FULL_DISK = OSError(28, "No space left on device")


@contextmanager
def running(*, lmtp: bool = False) -> Iterator[Intake]:
    """An intake started after the test changed its settings (the fixture's starts before)."""
    server = IntakeServer("127.0.0.1", 0, lmtp=lmtp)
    server.start()
    try:
        yield Intake(server)
    finally:
        server.stop()


def quiet(intake: Intake) -> None:
    """No connection counted (the controller's own test connection at start is gone)."""
    assert probes.wait_until(lambda: intake.server.gate.open == 0, 10)


def only_message() -> InboundMessage:
    [message] = InboundMessage.objects.all()
    return message


def quarantine_reason(submission: Submission) -> str:
    return SubmissionEvent.objects.get(submission=submission, action="receive").reason


# -- memory --------------------------------------------------------------------------------


def test_sixteen_parallel_25_mb_letters_keep_the_intake_under_300_mb(tmp_path: Path) -> None:
    """The issue's probe took the intake from 150 MB to 2.1 GB. The intake runs as the command
    does, in its own process; its peak RSS (VmHWM) is measured from after a first letter (the
    dictionaries a parse loads are in) until the sixteen are stored and the first few processed
    (processing takes one letter at a time, about a second each; the rest would only repeat
    it). Two client addresses, eight letters each: within the default limits."""
    var = tmp_path / "var"
    env = probes.intake_env(var, NEWS)
    probes.migrate(env)
    database = var / "civicplan.sqlite3"
    with probes.intake_process(env) as (server, port):
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            client.sendmail("first@probe.example", [NEWS], modern(sender="first@probe.example"))
        assert probes.wait_until(lambda: probes.statuses(database) == {"quarantined": 1}, 60)
        started, _peak = probes.memory_mb(server.pid)
        probes.reset_peak(server.pid)
        replies = probes.parallel_letters(port, 16, to=NEWS, addresses=2)
        assert [code for code, _text in replies] == [250] * 16, replies
        assert probes.wait_until(lambda: probes.statuses(database)["quarantined"] >= 4, 60)
        _rss, peak = probes.memory_mb(server.pid)
    print(f"intake: {started:.0f} MB at the start, peak {peak:.0f} MB over 16 x 25 MB")
    assert peak < 300, (started, peak)
    assert sum(probes.statuses(database).values()) == 17
    stored = sorted(path.stat().st_size for path in (var / "mail").rglob("*.eml"))
    assert all(24_900_000 < size < 25_000_100 for size in stored[1:]), stored
    assert list((var / "mail" / INCOMING).iterdir()) == []


# -- connections ----------------------------------------------------------------------------


def test_900_idle_connections_100_are_held_and_800_refused(intake: Intake, coordinator) -> None:
    """Defaults: 100 connections in all, 10 per address; 900 from 90 addresses, 10 each."""
    quiet(intake)
    idle = probes.idle_connections(intake.server.port, 900, per_address=10)
    assert (idle.held, idle.refused) == (100, {TOO_MANY_CONNECTIONS: 800})
    # Closed connections are counted out: the next sender gets in.
    assert probes.wait_until(lambda: intake.server.gate.open == 0, 30)
    assert intake.send(modern()) == {}
    assert only_message().status == Status.PROCESSED


def test_connections_per_address(intake: Intake) -> None:
    quiet(intake)
    idle = probes.idle_connections(intake.server.port, 12, per_address=12)
    assert (idle.held, idle.refused) == (10, {TOO_MANY_FROM_ADDRESS: 2})


def test_the_refusal_is_what_a_client_sees(intake: Intake) -> None:
    quiet(intake)
    held = [
        socket.create_connection((intake.server.host, intake.server.port), timeout=30)
        for _number in range(10)
    ]
    try:
        with pytest.raises(smtplib.SMTPConnectError) as refused:
            intake.client()
        assert refused.value.smtp_code == 421
        assert refused.value.smtp_error.startswith(b"4.7.0 Too many connections from your")
    finally:
        for connection in held:
            connection.close()


def test_an_idle_connection_is_closed_with_421(transactional_db, settings) -> None:
    settings.CIVICPLAN_MAIL_IDLE_TIMEOUT = 1
    with running() as intake:
        connection = socket.create_connection((intake.server.host, intake.server.port), 30)
        started = time.monotonic()
        received = b""
        while piece := connection.recv(1024):
            received += piece
        connection.close()
        assert time.monotonic() - started < 10
        assert received.splitlines()[-1].decode() == IDLE
        assert probes.wait_until(lambda: intake.server.gate.open == 0, 10)


def test_a_slow_letter_is_not_idle(transactional_db, settings, coordinator) -> None:
    """The idle timer starts again with every piece of DATA, so a big letter on a slow line
    is not cut off however long it takes as a whole."""
    settings.CIVICPLAN_MAIL_IDLE_TIMEOUT = 2
    raw = modern()
    with running() as intake, intake.client() as client:
        client.ehlo()
        client.mail(COORDINATOR)
        client.rcpt(NEWS)
        assert client.docmd("DATA")[0] == 354
        for start in range(0, len(raw), len(raw) // 4 + 1):
            client.send(raw[start : start + len(raw) // 4 + 1])
            time.sleep(0.8)  # 3.2 s in all, well over the timeout; each pause well under
        client.send(b".\r\n")
        assert client.getreply()[0] == 250


def start_data(intake: Intake) -> tuple[socket.socket, object]:
    """A connection past DATA's 354, and its replies as lines."""
    connection = socket.create_connection((intake.server.host, intake.server.port), 30)
    lines = connection.makefile("rb")
    lines.readline()
    for command in ("HELO probe", f"MAIL FROM:<{COORDINATOR}>", f"RCPT TO:<{NEWS}>", "DATA"):
        connection.sendall(command.encode() + b"\r\n")
        lines.readline()
    return connection, lines


def test_data_past_its_deadline_is_cut_with_421(
    intake: Intake, mail_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A piece every 0.2 s keeps the idle timer from firing; the deadline for the whole of
    DATA does not move."""
    monkeypatch.setattr(server_module, "DATA_DEADLINE", 1)
    connection, lines = start_data(intake)
    started = time.monotonic()
    connection.sendall(b"Subject: slow\r\n\r\n")
    while not select.select([connection], [], [], 0.2)[0]:
        connection.sendall(b"x\r\n")
        assert time.monotonic() - started < 10
    assert lines.readline().decode().rstrip() == DATA_TOO_SLOW.format(limit=1)
    assert lines.readline() == b""  # closed
    connection.close()
    assert 1 <= time.monotonic() - started < 5
    assert probes.wait_until(lambda: intake.server.gate.open == 0, 10)
    assert not list(mail_settings.rglob("*.tmp"))
    assert not InboundMessage.objects.exists()


def test_a_refused_letter_is_read_no_further_than_the_limit_again(
    transactional_db, settings, mail_settings: Path
) -> None:
    """RFC 5321 has a refused letter read to its end; one that does not end is read as far as
    the size limit again, then refused and closed."""
    settings.CIVICPLAN_MAIL_MAX_BYTES = 100_000
    with running() as intake:
        connection, lines = start_data(intake)
        lines_of_16_kb = (b"y" * 998 + b"\r\n") * 16
        sent = 0
        while not select.select([connection], [], [], 0.02)[0]:  # the server keeps up
            connection.sendall(lines_of_16_kb)
            sent += len(lines_of_16_kb)
            assert sent < 2_000_000, "no reply"
        assert lines.readline().decode().rstrip() == TOO_BIG.format(limit=100_000)
        assert lines.readline() == b""
        connection.close()
        assert 200_000 < sent < 1_000_000  # the limit twice, and what was on its way
        assert probes.wait_until(lambda: intake.server.gate.open == 0, 10)
        assert not list(mail_settings.rglob("*.tmp"))
    assert not InboundMessage.objects.exists()


def test_letters_per_minute_per_address(transactional_db, settings, coordinator) -> None:
    settings.CIVICPLAN_MAIL_MAX_LETTERS_PER_MINUTE = 3
    with running() as intake:
        for number in range(3):
            assert intake.send(modern(subject=f"Пресс-релиз {number}")) == {}
        with intake.client() as client, pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail(COORDINATOR, [NEWS], modern(subject="Четвёртое"))
        assert refused.value.smtp_code == 451
        assert refused.value.smtp_error.decode() == TOO_MANY_LETTERS[4:]
        other = smtplib.SMTP(
            intake.server.host, intake.server.port, timeout=30, source_address=("127.0.1.7", 0)
        )
        with other:
            assert other.sendmail(COORDINATOR, [NEWS], modern(subject="С другого адреса")) == {}
        intake.server.drain()
    assert InboundMessage.objects.count() == 4


def test_over_lmtp_the_client_is_our_mail_server(transactional_db, settings) -> None:
    """Per-address limits would throttle all mail at once: the MTA in front limits its own
    clients. The limit in all still holds."""
    settings.CIVICPLAN_MAIL_MAX_CONNECTIONS = 15
    settings.CIVICPLAN_MAIL_MAX_LETTERS_PER_MINUTE = 1
    with running(lmtp=True) as intake:
        quiet(intake)
        idle = probes.idle_connections(intake.server.port, 20, per_address=20)
        assert (idle.held, idle.refused) == (15, {TOO_MANY_CONNECTIONS: 5})
        assert probes.wait_until(lambda: intake.server.gate.open == 0, 30)
        for number in range(3):
            assert intake.send(modern(subject=f"Письмо {number}")) == {}


def test_over_lmtp_a_refusal_is_answered_for_each_recipient(transactional_db, settings) -> None:
    settings.CIVICPLAN_MAIL_MAX_BYTES = 1000
    with running(lmtp=True) as intake:
        connection = socket.create_connection((intake.server.host, intake.server.port), 30)
        lines = connection.makefile("rb")
        lines.readline()
        recipients = [NEWS, "press-releases@zdorovye-goroda.example"]
        commands = [
            "LHLO probe",
            "MAIL FROM:<a@b.example>",
            *(f"RCPT TO:<{r}>" for r in recipients),
        ]
        for command in commands:
            connection.sendall(command.encode() + b"\r\n")
            while (line := lines.readline())[3:4] == b"-":
                continue
            assert line[:1] == b"2", line
        connection.sendall(b"DATA\r\n")
        assert lines.readline()[:3] == b"354"
        connection.sendall(b"x" * 2000 + b"\r\n.\r\n")
        replies = [lines.readline()[:9] for _recipient in recipients]
        connection.close()
    assert replies == [b"552 5.3.4"] * 2


# -- DATA on disk -----------------------------------------------------------------------------


def test_dotted_lines_are_stored_as_written(intake: Intake, coordinator) -> None:
    text = ".hidden\n..two dots\n.\nПост-релиз форума."
    raw = modern(text=text)
    assert b"\r\n." in raw
    intake.send(raw)
    assert only_message().read_raw() == raw


def test_a_dropped_connection_leaves_nothing(intake: Intake, mail_settings: Path) -> None:
    with intake.client() as client:
        client.ehlo()
        client.mail(COORDINATOR)
        client.rcpt(NEWS)
        client.docmd("DATA")
        client.send(b"Subject: x\r\n\r\n" + b"y" * 76 * 8000)  # more than one spool write
        assert probes.wait_until(lambda: list((mail_settings / INCOMING).glob("*.tmp")), 10)
        client.close()
    assert probes.wait_until(lambda: not list((mail_settings / INCOMING).glob("*.tmp")), 10)
    assert not InboundMessage.objects.exists()


def test_a_command_sent_before_the_reply_is_answered(intake: Intake, coordinator) -> None:
    """A sender that does not wait for DATA's reply (we offer no PIPELINING; some do it)."""
    connection = socket.create_connection((intake.server.host, intake.server.port), 30)
    lines = connection.makefile("rb")
    lines.readline()
    for command in ("HELO probe", f"MAIL FROM:<{COORDINATOR}>", f"RCPT TO:<{NEWS}>", "DATA"):
        connection.sendall(command.encode() + b"\r\n")
        lines.readline()
    connection.sendall(modern() + b".\r\nQUIT\r\n")
    assert lines.readline().startswith(b"250 2.0.0 Ok: queued as")
    assert lines.readline().startswith(b"221")
    connection.close()
    intake.server.drain()
    assert only_message().status == Status.PROCESSED


# -- who sent it ------------------------------------------------------------------------------


def test_a_forged_from_goes_to_quarantine(
    intake: Intake, coordinator, staff, client: Client
) -> None:
    """The envelope is a stranger's, the From names a coordinator."""
    intake.send(modern(), mail_from="stranger@mail.example")
    message = only_message()
    assert message.status == Status.QUARANTINED
    submission = message.submission
    assert submission.status == Submission.Status.QUARANTINE
    assert (submission.author, submission.organisation, submission.sender_email) == (None, None, "")
    reason = (
        "Адрес в поле «От» (press@perm.example) не совпадает с адресом отправителя в конверте "
        "(MAIL FROM: stranger@mail.example)."
    )
    assert quarantine_reason(submission) == reason
    assert outbox.outbox == []  # no acknowledgement to an address that may not have written
    client.force_login(staff)
    page = client.get(reverse("newsroom:submission", args=[submission.pk])).content.decode()
    assert html.escape(reason, quote=False) in page


def test_a_coordinators_autoreply_with_a_null_sender_goes_to_quarantine(
    intake: Intake, coordinator
) -> None:
    raw = modern(subject="Автоответ").replace(
        b"MIME-Version", b"Auto-Submitted: auto-replied\r\nMIME-Version", 1
    )
    intake.send(raw, mail_from="")  # MAIL FROM:<>, as RFC 3834 asks of autoresponders
    submission = only_message().submission
    assert submission.status == Submission.Status.QUARANTINE
    assert "(MAIL FROM: <>)" in quarantine_reason(submission)
    assert outbox.outbox == []


def test_the_envelope_and_from_compare_in_any_case(intake: Intake, coordinator) -> None:
    intake.send(modern(sender="Press@PERM.example"), mail_from="PRESS@perm.EXAMPLE")
    assert only_message().submission.author == coordinator


@pytest.mark.parametrize(
    ("results", "trusted"),
    [
        ("mx.zdorovye-goroda.example; dmarc=fail (p=reject) header.from=perm.example", False),
        ("mx.zdorovye-goroda.example; spf=fail smtp.mailfrom=perm.example", False),
        ("mx.zdorovye-goroda.example; dkim=fail (bad signature) header.d=perm.example", False),
        ("mx.zdorovye-goroda.example; spf=softfail smtp.mailfrom=perm.example", True),
        ("mx.zdorovye-goroda.example; spf=pass; dkim=pass; dmarc=pass", True),
    ],
)
def test_a_failed_authentication_results_goes_to_quarantine(
    intake: Intake, coordinator, results: str, trusted: bool
) -> None:
    raw = modern().replace(
        b"MIME-Version", f"Authentication-Results: {results}\r\nMIME-Version".encode(), 1
    )
    intake.send(raw)  # From and envelope are the coordinator's
    submission = only_message().submission
    assert (submission.author == coordinator) is trusted
    if not trusted:
        assert submission.status == Submission.Status.QUARANTINE
        assert "не прошло проверку подлинности (Authentication-Results: " in (
            quarantine_reason(submission)
        )


def test_an_unknown_sender_is_quarantined_with_the_reason(intake: Intake) -> None:
    intake.send(modern(sender="stranger@mail.example"), mail_from="stranger@mail.example")
    submission = only_message().submission
    assert quarantine_reason(submission) == (
        "Адрес stranger@mail.example не связан ни с одной организацией."
    )
    [letter] = outbox.outbox  # an honest stranger is told the directorate will look
    assert letter.to == ["stranger@mail.example"]


# -- attachments ------------------------------------------------------------------------------


def test_twelve_attachments_ten_kept_two_refused_and_listed(intake: Intake, coordinator) -> None:
    files = tuple((f"фото-{number:02}.jpg", JPEG, "image/jpeg") for number in range(1, 13))
    intake.send(modern(files=files))
    message = only_message()
    kept = [attachment.name for attachment in message.submission.attachments.order_by("pk")]
    assert kept == [f"фото-{number:02}.jpg" for number in range(1, MAX_FILES + 1)]
    assert [file["name"] for file in message.refused_attachments] == ["фото-11.jpg", "фото-12.jpg"]
    reason = "больше 10 вложений в одном письме; пришлите этот файл отдельным письмом"
    assert {file["reason"] for file in message.refused_attachments} == {reason}
    [letter] = outbox.outbox
    assert f"- фото-11.jpg: {reason}" in letter.body
    assert f"- фото-12.jpg: {reason}" in letter.body


def test_a_letter_of_5000_parts_fails_with_the_limit_named(intake: Intake, coordinator) -> None:
    raw = multipart(b64("Пресс-релиз", "utf-8"), [text_part("x", "utf-8")] * 4999)
    assert intake.send(raw) == {}
    message = only_message()
    assert message.status == Status.FAILED
    assert message.error == "В письме больше 1000 частей MIME; такие письма не разбираются."
    assert not Submission.objects.exists()


# -- temporary failures -----------------------------------------------------------------------


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actions, "RETRY_DELAYS", (0.2, 0.2, 0.2))


def fail_first(monkeypatch: pytest.MonkeyPatch, module: object, name: str, errors: list) -> None:
    """`module.name` raises each of `errors` in turn, then works."""
    real = getattr(module, name)

    def flaky(*args, **kwargs):
        if errors:
            raise errors.pop(0)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The tries the intake asks a delay for, in turn."""
    asked: list[int] = []

    def delay(tries: int) -> float:
        asked.append(tries)
        return actions.retry_delay(tries)

    monkeypatch.setattr(server_module, "retry_delay", delay)
    return asked


def settled(intake: Intake) -> InboundMessage:
    """The letter once the intake has no more tries of it in mind: its row is not "stored". The
    look is taken on the intake's own processing thread, between its tries: the tests' SQLite
    refuses a read beside a write instead of waiting, and a read from here could make a try of
    the intake fail ("database table is locked") and count as one."""

    def stored() -> bool:
        return InboundMessage.objects.filter(status=Status.STORED).exists()

    def done() -> bool:
        try:
            return not intake.server.process_pool.submit(stored).result()
        except OperationalError:
            return False

    assert probes.wait_until(done, 20)
    intake.server.drain()
    return only_message()


@pytest.mark.parametrize(
    "error", [FULL_DISK, OperationalError("database or disk is full")], ids=["disk", "database"]
)
def test_a_full_disk_for_a_few_seconds_is_retried_without_a_restart(
    intake: Intake,
    coordinator,
    quick_retries,
    delays: list[int],
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
) -> None:
    fail_first(monkeypatch, actions, "submit", [error, error])
    assert intake.send(modern()) == {}  # 250: the letter is ours, and no restart follows
    message = settled(intake)
    assert message.status == Status.PROCESSED
    assert (message.attempts, message.error) == (3, "")
    assert message.submission.author == coordinator
    assert delays == [1, 2]  # the row's tries after each failure


def test_between_tries_the_letter_waits_stored_with_its_error(
    intake: Intake, coordinator, delays: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_first(monkeypatch, actions, "submit", [FULL_DISK])
    intake.send(modern())
    message = only_message()  # the next try is 5 s away
    assert (message.status, message.attempts) == (Status.STORED, 1)
    assert message.error == "OSError: [Errno 28] No space left on device"
    assert delays == [1]


def test_after_a_restart_the_delay_goes_on_from_the_rows_tries(
    transactional_db, coordinator, delays: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tries are the row's, not the server's: a restarted intake does not begin again at
    the shortest delay."""
    waiting = actions.receive(modern(), mail_from=COORDINATOR, rcpt_tos=[NEWS])
    InboundMessage.objects.filter(pk=waiting.pk).update(attempts=3)
    fail_first(monkeypatch, actions, "submit", [FULL_DISK])
    with running() as intake:
        intake.server.drain()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (Status.STORED, 4)
    assert delays == [4]


def test_when_even_the_row_cannot_be_written_the_letter_is_retried(
    intake: Intake, coordinator, quick_retries, delays: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_first(monkeypatch, server_module, "process", [OperationalError("disk I/O error")] * 2)
    intake.send(modern())
    message = settled(intake)
    assert message.status == Status.PROCESSED
    assert message.attempts == 1  # the two failed tries wrote nothing
    assert delays == [0, 0]  # ... so the row's count stays where it was


def test_the_tries_are_bounded_then_staff_see_it(
    intake: Intake, coordinator, quick_retries, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_first(monkeypatch, actions, "submit", [FULL_DISK] * 10)
    intake.send(modern())
    message = settled(intake)
    assert message.status == Status.FAILED
    assert message.attempts == len(actions.RETRY_DELAYS) + 1
    assert message.error == "OSError: [Errno 28] No space left on device"


def test_a_staff_retry_on_a_full_disk_stays_failed(db, coordinator, monkeypatch) -> None:
    """Staff's retry has no intake to try again after it: the letter stays in their list."""
    with monkeypatch.context() as patched:
        patched.setattr(actions, "submit", lambda *args, **kwargs: 1 / 0)
        message = actions.process(actions.receive(modern(), mail_from=COORDINATOR))
    assert message.status == Status.FAILED
    fail_first(monkeypatch, actions, "submit", [FULL_DISK])
    message = actions.retry(None, message)
    assert (message.status, message.attempts) == (Status.FAILED, 2)

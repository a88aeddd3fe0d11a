"""The intake's bounds in pieces, without a server: DATA read in pieces (datastream), the
connection and rate gate (limits), the spool on disk (storage), Authentication-Results,
parsing from the stored file, and the parts and attachments a letter may have (parsing)."""

from __future__ import annotations

import io
import os
import random
import time
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from civicplan.mailintake.datastream import DataStream, Refusal
from civicplan.mailintake.limits import (
    TOO_MANY_CONNECTIONS,
    TOO_MANY_FROM_ADDRESS,
    TOO_MANY_LETTERS,
    Gate,
    Limits,
    client_key,
)
from civicplan.mailintake.parsing import (
    MAX_AUTH_RESULTS,
    MAX_PARTS,
    ParseError,
    parse_mail,
    parse_mail_file,
)
from civicplan.mailintake.storage import INCOMING, Spool, remove_stale_spools
from tests.mailintake.letters import PDF, b64, headers, modern, multipart, plain, text_part

# -- DATA in pieces --------------------------------------------------------------------------


def wire(letter: bytes) -> bytes:
    """The letter as SMTP sends it: a line's leading dot doubled, then the end mark."""
    lines = letter.split(b"\r\n")
    stuffed = b"\r\n".join(b"." + line if line.startswith(b".") else line for line in lines)
    if letter and not letter.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"


def read(data: bytes, pieces: list[int], size_limit: int | None = None) -> tuple[DataStream, bytes]:
    """The stream after `data` came in pieces of these sizes (the rest in one), and the letter."""
    stream = DataStream(size_limit, 1 << 20)
    letter = b""
    position = 0
    for size in [*pieces, len(data)]:
        if stream.done:
            break
        letter += stream.feed(data[position : position + size])
        position += size
    return stream, letter


LETTERS = [
    b"",
    b"\r\n",
    b".\r\n",
    b"..\r\n",
    b"Subject: x\r\n\r\n.hidden\r\n..two\r\n.\r\nend\r\n",
    b"line\r\n.\r\n.\r\n",
    b"no final line end",
    b"\r\n.\r\n\r\n..\r\n...\r\n",
]


@pytest.mark.parametrize("letter", LETTERS)
def test_data_in_every_split_is_the_letter(letter: bytes) -> None:
    data = wire(letter)
    expected = letter if letter.endswith(b"\r\n") or not letter else letter + b"\r\n"
    for cut in range(len(data) + 1):
        stream, read_back = read(data, [cut])
        assert (stream.done, stream.refusal, read_back) == (True, None, expected), cut
    for size in (1, 2, 3):
        assert read(data, [size] * len(data))[1] == expected


def test_data_in_random_pieces_is_the_letter() -> None:
    rng = random.Random(5)
    for _round in range(300):
        lines = [
            rng.choice([b"", b".", b"..", b".x", b"x.", b"\r", b"ab\rc", b"-- "])
            + rng.randbytes(rng.randint(0, 5)).replace(b"\n", b"")
            for _line in range(rng.randint(0, 30))
        ]
        letter = b"".join(line + b"\r\n" for line in lines)
        pieces = [rng.randint(1, 12) for _piece in range(len(letter))]
        assert read(wire(letter), pieces)[1] == letter


def test_what_follows_the_end_is_kept_for_the_command_loop() -> None:
    stream, letter = read(b"a\r\n.\r\nQUIT\r\n", [])
    assert (letter, stream.rest) == (b"a\r\n", b"QUIT\r\n")


def test_a_letter_over_the_size_is_read_to_its_end_and_refused() -> None:
    data = wire(b"x" * 98 + b"\r\n" + b"y" * 50 + b"\r\n")
    stream, letter = read(data, [10] * 20, size_limit=100)
    assert (stream.done, stream.refusal) == (True, Refusal.TOO_BIG)
    assert len(letter) <= 100  # nothing past the limit is given out


def test_what_comes_after_a_refusal_is_counted() -> None:
    stream = DataStream(10, 1 << 20)
    stream.feed(b"x" * 20)  # refused in this piece: not counted
    assert (stream.refusal, stream.ignored) == (Refusal.TOO_BIG, 0)
    stream.feed(b"y" * 30)
    stream.feed(b"\r\n.\r\n")
    assert (stream.done, stream.ignored) == (True, 35)


def test_a_line_over_the_limit_is_refused() -> None:
    stream = DataStream(None, 10)
    stream.feed(b"short\r\n0123456")
    assert stream.refusal is None
    stream.feed(b"789abc\r\n.\r\n")
    assert (stream.done, stream.refusal) == (True, Refusal.LINE_TOO_LONG)


# -- connections and letters per address -------------------------------------------------------


def test_connections_in_all_and_per_address() -> None:
    gate = Gate(Limits(connections=3, per_address=2, letters_per_minute=0))
    assert [gate.admit("a"), gate.admit("a"), gate.admit("a")] == [
        None,
        None,
        TOO_MANY_FROM_ADDRESS,
    ]
    assert gate.admit("b") is None
    assert gate.admit("c") == TOO_MANY_CONNECTIONS
    gate.release("a")
    assert gate.admit("c") is None
    for key in ("a", "b", "c"):
        gate.release(key)
    assert (gate.open, dict(gate.by_address)) == (0, {})


def test_letters_per_minute_per_address() -> None:
    now = [1000.0]
    gate = Gate(Limits(letters_per_minute=2), clock=lambda: now[0])
    assert [gate.letter("a"), gate.letter("a"), gate.letter("a")] == [None, None, TOO_MANY_LETTERS]
    assert gate.letter("b") is None
    now[0] += 59
    assert gate.letter("a") == TOO_MANY_LETTERS
    now[0] += 1.5  # a minute after the first two
    assert gate.letter("a") is None


def test_quiet_addresses_are_forgotten() -> None:
    now = [0.0]
    gate = Gate(Limits(letters_per_minute=5), clock=lambda: now[0])
    for number in range(5000):
        gate.letter(f"10.0.{number // 250}.{number % 250}")
    assert len(gate.sent) == 5000  # all within the minute
    now[0] += 61
    gate.letter("10.9.9.9")
    assert list(gate.sent) == ["10.9.9.9"]


def test_a_full_gate_is_swept_once_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """With more addresses active than are remembered before a sweep, a sweep removes nothing;
    it is not tried again at each letter, only when a window has passed."""
    now = [0.0]
    gate = Gate(Limits(letters_per_minute=5), clock=lambda: now[0])
    sweeps = []
    forget = gate._forget_quiet
    monkeypatch.setattr(gate, "_forget_quiet", lambda at: sweeps.append(at) or forget(at))
    for number in range(6000):
        now[0] = number / 1000  # six seconds
        gate.letter(f"10.0.{number // 250}.{number % 250}")
    assert (len(gate.sent), len(sweeps)) == (6000, 1)  # at the 4,097th, at 4.096 s
    now[0] = 64.0  # the first 4,001 are quiet, but a window has not passed since the sweep
    gate.letter("10.9.9.8")
    assert (len(gate.sent), len(sweeps)) == (6001, 1)
    now[0] = 65.0
    gate.letter("10.9.9.9")
    assert (len(gate.sent), len(sweeps)) == (1001, 2)


@pytest.mark.parametrize(
    ("peer", "key"),
    [
        (("192.0.2.7", 2525), "192.0.2.7"),
        (("2001:db8:1:2:aaaa::1", 2525, 0, 0), "2001:db8:1:2::/64"),
        (("2001:db8:1:2:bbbb::9", 2525, 0, 0), "2001:db8:1:2::/64"),
        (("::ffff:192.0.2.7", 2525, 0, 0), "192.0.2.7"),
        (("fe80::1%eth0", 2525, 0, 2), "fe80::/64"),
        ("/run/intake.sock", "/run/intake.sock"),
        (None, ""),
    ],
)
def test_the_address_a_client_counts_by(peer: object, key: str) -> None:
    assert client_key(peer) == key


# -- the spool ------------------------------------------------------------------------------


def test_a_spool_kept_is_the_letter_durable_in_its_day(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    for piece in (b"Subject: x\r\n", b"\r\n", b"body\r\n"):
        spool.write(piece)
    relative = spool.keep(datetime(2024, 4, 19, 10, 30))
    assert relative.startswith("2024/04/19/")
    assert relative.endswith(".eml")
    assert (tmp_path / relative).read_bytes() == b"Subject: x\r\n\r\nbody\r\n"
    assert (spool.size, spool.head) == (20, b"Subject: x\r\n\r\nbody\r\n")
    spool.discard()  # nothing happens to a kept letter
    assert (tmp_path / relative).exists()
    assert list((tmp_path / INCOMING).iterdir()) == []


def test_a_spool_discarded_leaves_nothing(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.write(b"x" * 1000)
    assert len(list((tmp_path / INCOMING).iterdir())) == 1
    spool.discard()
    spool.write(b"more")  # a write still under way when the connection dropped: ignored
    assert list((tmp_path / INCOMING).iterdir()) == []


def test_stale_spools_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    live, stale = Spool(tmp_path), Spool(tmp_path)
    live.write(b"a")
    stale.write(b"b")
    hours_ago = time.time() - 7200
    os.utime(stale._path, (hours_ago, hours_ago))
    assert remove_stale_spools(tmp_path) == 1
    assert [path.name for path in (tmp_path / INCOMING).iterdir()] == [live._path.name]


# -- the sender's checks and parsing from the file ----------------------------------------------


def with_results(*values: str) -> bytes:
    extra = "".join(f"Authentication-Results: {value}\r\n" for value in values)
    return plain("Текст пресс-релиза.", "utf-8", subject="x").replace(
        b"MIME-Version", extra.encode() + b"MIME-Version", 1
    )


@pytest.mark.parametrize(
    ("values", "failed"),
    [
        ((), []),
        (("mx.example; spf=pass smtp.mailfrom=perm.example; dkim=pass; dmarc=pass",), []),
        (("mx.example; none",), []),
        (("mx.example; spf=fail smtp.mailfrom=perm.example",), ["spf"]),
        (("mx.example; spf=softfail smtp.mailfrom=perm.example",), []),
        (("mx.example 1; dmarc=fail (p=reject dis=none) header.from=perm.example",), ["dmarc"]),
        (("mx.example;\r\n\tdkim=fail (bad signature) header.d=perm.example",), ["dkim"]),
        (("mx.example; dkim=fail header.d=list.example; dkim=pass header.d=perm.example",), []),
        (("mx.example; DKIM/1=Fail; SPF = FAIL",), ["spf", "dkim"]),
        (("mx.example (spf=fail in a comment (nested)); spf=pass",), []),
        (("mx.example; spf=pass (a \\) is no end; spf=fail) ; dmarc=fail",), ["dmarc"]),
        (('mx.example; dkim=pass header.b="a;spf=fail"',), []),
        (('mx.example; dkim=pass header.b="(" ; spf=fail',), ["spf"]),
        (("mx.example; dmarc=fail (unclosed; spf=fail",), ["dmarc"]),
        (("a.example; spf=pass", "b.example; dmarc=fail"), ["dmarc"]),
        (("spf=fail",), []),  # no server named: nothing after it is a result
    ],
)
def test_authentication_results(values: tuple[str, ...], failed: list[str]) -> None:
    assert parse_mail(with_results(*values)).auth_failures == failed


def test_deeply_nested_comments_are_read_in_one_pass() -> None:
    """Comments were removed innermost first, one level a pass: quadratic in the nesting."""
    depth = (MAX_AUTH_RESULTS - 100) // 2
    nested = "(" * depth + "spf=fail" + ")" * depth
    assert parse_mail(with_results(f"mx.example {nested}; dmarc=fail")).auth_failures == ["dmarc"]


def test_an_authentication_results_over_the_limit_is_not_read() -> None:
    """A megabyte of nested comments: no server writes that, and reading it could only cost
    time (it took minutes); the sender's own header is set aside, the others still count."""
    nested = "(" * 500_000 + ")" * 500_000
    huge = f"mx.example; dkim=fail {nested}; dmarc=fail"
    assert len(huge) > MAX_AUTH_RESULTS
    started = time.monotonic()
    assert parse_mail(with_results(huge)).auth_failures == []
    assert parse_mail(with_results(huge, "mx.example; spf=fail")).auth_failures == ["spf"]
    assert time.monotonic() - started < 2


def test_a_header_of_a_megabyte_of_blanks_is_read_at_once() -> None:
    """Unfolding went over the blanks again from each one: 20,000 took 3 s."""
    subject = "Пресс-релиз" + " " * 1_000_000 + "форума"
    raw = plain("Текст.", "utf-8", subject=b64(subject, "utf-8"))
    raw = raw.replace(
        b"Date: ", b"Date: Fri," + b" " * 1_000_000 + b"19 Apr 2024 10:30:00 +0000\r\nX-Old-Date: "
    )
    started = time.monotonic()
    mail = parse_mail(raw)
    assert (mail.subject, mail.date.day) == (subject, 19)
    assert time.monotonic() - started < 2


def test_authentication_results_of_a_forwarded_letter_are_not_read() -> None:
    outer = EmailMessage()
    outer["From"] = "press@perm.example"
    outer["Subject"] = "Fwd: пресс-релиз"
    outer.set_content("Пересылаю.")
    inner = message_from_bytes(with_results("mx.example; dmarc=fail"), policy=policy.default)
    outer.add_attachment(inner)
    mail = parse_mail(bytes(outer))
    assert (mail.forwarded, mail.auth_failures) == (True, [])


SAMPLES = [
    modern(files=(("отчёт.pdf", PDF, "application/pdf"),)),
    multipart(b64("Пресс-релиз", "koi8-r"), [text_part("Текст", "koi8-r")]),
    b"\x01\x02 junk\r\n" + headers("x") + b"\r\nbody\r\n",
    with_results("mx.example; dmarc=fail"),
]


@pytest.mark.parametrize("raw", SAMPLES)
def test_parsing_from_the_file_is_parsing_the_bytes(raw: bytes) -> None:
    assert parse_mail_file(io.BytesIO(raw)) == parse_mail(raw)


@pytest.mark.parametrize("raw", [b"", b"  \r\n" * 1000])
def test_an_empty_file_is_a_parse_error(raw: bytes) -> None:
    with pytest.raises(ParseError, match="Письмо пустое"):
        parse_mail_file(io.BytesIO(raw))


class CountingReads(io.BytesIO):
    """A file that notes the size of each read before the parser's seek."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[int | None] = []
        self.seeked = False

    def seek(self, *args: int) -> int:
        self.seeked = True
        return super().seek(*args)

    def read(self, size: int | None = -1) -> bytes:
        if not self.seeked:
            self.reads.append(size)
        return super().read(size)


def test_a_blank_start_is_looked_past_a_piece_at_a_time() -> None:
    """A letter that begins with blank lines was read whole to see that it is not empty."""
    handle = CountingReads(b"\r\n" * 5000 + b"Subject: x\r\n\r\nbody\r\n" + b" " * 5_000_000)
    assert parse_mail_file(handle).text.endswith("body")  # no headers: all of it is body
    assert all(size is not None and 0 < size <= 64 * 1024 for size in handle.reads)
    assert len(handle.reads) == 2  # the first look, then one piece with the letter's start


class FailingDisk(io.BytesIO):
    """A file whose reads fail once the parser starts on it (after the first look and seek)."""

    broken = False

    def seek(self, *args: int) -> int:
        self.broken = True
        return super().seek(*args)

    def read(self, size: int | None = -1) -> bytes:
        return self._fail() or super().read(size)

    def read1(self, size: int = -1) -> bytes:
        return self._fail() or super().read1(size)

    def _fail(self) -> bytes:
        if self.broken:
            raise OSError(5, "Input/output error")
        return b""


def test_an_error_reading_the_file_is_not_a_parse_error() -> None:
    with pytest.raises(OSError, match="Input/output error"):
        parse_mail_file(FailingDisk(modern()))


# -- parts and attachments ----------------------------------------------------------------------


def many_parts(count: int) -> bytes:
    """A letter of `count` parts in all: itself and count - 1 tiny text parts."""
    return multipart(b64("Много частей", "utf-8"), [text_part("x", "utf-8")] * (count - 1))


def test_a_letter_of_the_most_parts_is_read() -> None:
    assert parse_mail(many_parts(MAX_PARTS)).text.count("x") == MAX_PARTS - 1


def test_a_letter_of_5000_tiny_parts_is_refused_while_it_is_parsed() -> None:
    started = time.monotonic()
    with pytest.raises(ParseError) as refused:
        parse_mail_file(io.BytesIO(many_parts(5000)))
    assert str(refused.value) == ("В письме больше 1000 частей MIME; такие письма не разбираются.")
    assert time.monotonic() - started < 2  # the parse stopped at the 1,001st


def test_only_max_files_attachments_are_decoded_the_rest_are_named() -> None:
    files = tuple((f"фото-{number}.pdf", PDF, "application/pdf") for number in range(1, 6))
    raw = modern(files=files)
    mail = parse_mail(raw, max_files=3)
    assert [(file.name, file.content) for file in mail.files] == [
        (f"фото-{number}.pdf", PDF) for number in (1, 2, 3)
    ]
    assert mail.unread == ["фото-4.pdf", "фото-5.pdf"]
    assert parse_mail_file(io.BytesIO(raw), max_files=3) == mail
    assert (len(parse_mail(raw).files), parse_mail(raw).unread) == (5, [])


def test_a_forwarded_letters_attachments_are_decoded_first() -> None:
    """They come first in the list (they are the material), so they are first in the budget."""
    inner = EmailMessage()
    inner["From"] = "author@perm.example"
    inner["Subject"] = "Пресс-релиз"
    inner.set_content("Текст пресс-релиза.")
    inner.add_attachment(PDF, maintype="application", subtype="pdf", filename="inner.pdf")
    outer = EmailMessage()
    outer["From"] = "press@perm.example"
    outer["Subject"] = "Fwd: Пресс-релиз"
    outer.set_content("Пересылаю.")
    outer.add_attachment(PDF, maintype="application", subtype="pdf", filename="outer.pdf")
    outer.add_attachment(inner)
    mail = parse_mail(bytes(outer), max_files=1)
    assert ([file.name for file in mail.files], mail.unread) == (["inner.pdf"], ["outer.pdf"])

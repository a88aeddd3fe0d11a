"""Benchmark: the mail intake receiving 1,000 letters from 8 concurrent senders on loopback.

`civicplan mail_intake` runs as its own process on a fresh SQLite database (migrated, the seed
plan imported, five coordinators); 8 sender threads, each with one SMTP connection as a relay
would keep, send 1,000 letters of mixed size and encoding (a fifth with an attachment, a few of
2 MB; a third from unknown addresses). Measured: letters per second accepted (first MAIL to last
250) and processed (until no letter is left "stored"), that every letter sent is stored (row and
.eml; the run fails loudly otherwise), the processed count, and the server's peak RSS (VmHWM).
Peer, in the same run and the same way: a bare aiosmtpd server whose handler only writes the
.eml (the same durable write: temp file, fsync, rename). This run turns the per-address letter
rate off (a settings module on top of the project's): it measures throughput from one relay.

Then the tracker issue's attacks (tests/mailintake/probes.py), on a fresh intake with the default
limits and on the bare aiosmtpd: 16 letters of 25 MB at once from two client addresses (the
peak RSS from after a first letter until all are stored and processed: the issue's target is
under 300 MB), and 900 idle connections from 90 addresses, ten each (how many are held).
"""

from __future__ import annotations

import asyncio
import queue
import random
import re
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

from tests.mailintake import probes
from tests.processes import free_port

LETTERS = 1000
SENDERS = 8
FLOOD = 16  # letters of 25 MB at once
IDLE = 900  # idle connections
NEWS = "news@bench.example"
COORDINATORS = [f"coordinator{n}@bench.example" for n in range(5)]
SETUP = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from civicplan.accounts.models import Coordinator
from civicplan.directory.models import Organisation
from civicplan.plans.importing import import_plan
import_plan(open("examples/plan-2024.txt", "rb").read(), "plan-2024.txt", status="approved")
for number, address in enumerate({COORDINATORS!r}):
    organisation = Organisation.objects.create(name=f"Администрация № {{number}}",
                                               key=f"bench-{{number}}", kind="municipal")
    user = User.objects.create_user(f"c{{number}}", email=address)
    Coordinator.objects.create(user=user, organisation=organisation)
"""
TEXTS = [
    "18 апреля 2024 года в Перми прошёл II Всероссийский форум «Здоровые города для здоровых "
    "поколений». Участники обсудили здоровье детей и подростков.",
    "Направляем пресс-релиз о конкурсе «Здоровый город» и просим опубликовать его на сайте.",
    "Методические рекомендации по организации акции «Зарядка для всех!» в муниципалитетах.",
    "28 февраля 2024 г. в Череповце прошла региональная конференция о лучших практиках.",
]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def _letter(number: int, rng: random.Random) -> tuple[str, bytes]:
    """(envelope sender, letter): sizes, encodings and senders mixed as in the wild."""
    sender = rng.choice(COORDINATORS) if rng.random() < 0.67 else f"someone{number}@mail.example"
    text = "\n\n".join(rng.choice(TEXTS) for _ in range(rng.randint(1, 12)))
    charset = rng.choice(("utf-8", "utf-8", "windows-1251", "koi8-r"))
    message = EmailMessage()
    message["From"] = sender
    message["To"] = NEWS
    message["Subject"] = f"{rng.choice(('Пост-релиз', 'Пресс-релиз', 'Материалы'))} № {number}"
    message["Message-ID"] = f"<bench-{number}@bench.example>"
    message.set_content(text.replace("«", '"').replace("»", '"'), charset=charset)
    if rng.random() < 0.3:
        message.add_alternative(f"<p>{text}</p><script>x()</script>", subtype="html")
    roll = rng.random()
    if roll < 0.2:
        size = 2_000_000 if roll < 0.02 else rng.randint(20_000, 300_000)
        content = (JPEG if roll < 0.1 else b"%PDF-1.4\n") + rng.randbytes(size)
        kind = ("image", "jpeg", "фото.jpg") if roll < 0.1 else ("application", "pdf", "отчёт.pdf")
        message.add_attachment(content, maintype=kind[0], subtype=kind[1], filename=kind[2])
    return sender, message.as_bytes(policy=policy.SMTP)


@dataclass
class Sent:
    seconds: float
    accepted: int
    temporary: int  # 4xx answers, sent again as a relay would


class _Tally:
    """Answers counted by several sender threads."""

    def __init__(self) -> None:
        self.counts = {"accepted": 0, "temporary": 0}
        self.lock = threading.Lock()

    def add(self, answer: str) -> None:
        with self.lock:
            self.counts[answer] += 1


def _deliver(client: smtplib.SMTP, mail_from: str, raw: bytes, tally: _Tally) -> None:
    """One letter, sent again after a 4xx answer as a relay would (20 tries)."""
    for _attempt in range(20):
        try:
            client.sendmail(mail_from, [NEWS], raw)
        except smtplib.SMTPDataError as error:
            if not 400 <= error.smtp_code < 500:
                raise
            tally.add("temporary")
            time.sleep(0.1)
            continue
        tally.add("accepted")
        return


def _send_all(port: int, letters: list[tuple[str, bytes]]) -> Sent:
    """8 threads, one connection each, sending until the queue is empty."""
    work: queue.Queue[tuple[str, bytes]] = queue.Queue()
    for letter in letters:
        work.put(letter)
    tally = _Tally()
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=120) as client:
                while True:
                    try:
                        mail_from, raw = work.get_nowait()
                    except queue.Empty:
                        return
                    _deliver(client, mail_from, raw, tally)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise SystemExit(f"mail intake benchmark: a sender failed: {errors[0]!r}")
    return Sent(seconds, tally.counts["accepted"], tally.counts["temporary"])


@contextmanager
def _bare_process(mail_dir: Path, env: dict[str, str]) -> Iterator[tuple[subprocess.Popen, int]]:
    """The bare aiosmtpd (`bare_server`) running, as `probes.intake_process` runs the intake:
    (process, port). Stopped with SIGTERM."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.mail_intake", "--bare", str(mail_dir)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = server.stdout.readline()
        match = re.search(r":(\d+)\b", banner)
        if match is None:
            raise SystemExit(f"mail intake benchmark: the bare server said {banner!r}")
        yield server, int(match.group(1))
    finally:
        server.terminate()
        server.communicate(timeout=120)


def _wait_processed(database: Path, total: int, timeout: float = 600) -> float:
    """Seconds until no letter is waiting (every one processed, quarantined or failed)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        counts = probes.statuses(database)
        if sum(counts.values()) >= total and not counts.get("stored"):
            return time.perf_counter() - started
        time.sleep(0.05)
    raise SystemExit(
        f"mail intake benchmark: not processed after {timeout} s: {probes.statuses(database)}"
    )


def bare_server(mail_dir: str) -> None:
    """The peer: aiosmtpd with a handler that only writes the .eml, durably."""
    from aiosmtpd.controller import Controller

    from civicplan.mailintake.storage import write_eml

    class Handler:
        async def handle_DATA(self, server, session, envelope) -> str:
            raw = envelope.original_content
            when = datetime.now()
            await asyncio.get_running_loop().run_in_executor(
                None, write_eml, Path(mail_dir), raw, when
            )
            return "250 2.0.0 Ok"

    controller = Controller(
        Handler(), hostname="127.0.0.1", port=free_port(), data_size_limit=25 << 20
    )
    controller.start()
    print(f"bare aiosmtpd on 127.0.0.1:{controller.port}", flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stopping.set())
    stopping.wait()
    controller.stop()


@dataclass
class Run:
    sent: Sent
    processing: float  # seconds after the last 250 until none is left "stored"
    peak: float
    counts: dict[str, int]
    files: int


def _throughput(tmp: Path, letters: list[tuple[str, bytes]]) -> tuple[Run, Sent, float, int]:
    """The intake (letter rate off) and the bare aiosmtpd, each sent the same letters."""
    var = tmp / "var"
    settings_dir = probes.probe_settings(tmp / "settings", CIVICPLAN_MAIL_MAX_LETTERS_PER_MINUTE=0)
    env = probes.intake_env(var, NEWS, settings_dir)
    subprocess.run([sys.executable, "-c", SETUP], check=True, env=env)
    database = var / "civicplan.sqlite3"
    with probes.intake_process(env) as (server, port):
        sent = _send_all(port, letters)
        processing = _wait_processed(database, LETTERS)
        peak = probes.memory_mb(server.pid)[1]
    run = Run(sent, processing, peak, probes.statuses(database), _eml_count(var / "mail"))
    peer_dir = tmp / "bare"
    with _bare_process(peer_dir, env) as (peer, peer_port):
        peer_sent = _send_all(peer_port, letters)
        peer_peak = probes.memory_mb(peer.pid)[1]
    return run, peer_sent, peer_peak, _eml_count(peer_dir)


def _eml_count(directory: Path) -> int:
    return len(list(directory.rglob("*.eml")))


@dataclass
class Flood:
    """16 letters of 25 MB at once."""

    accepted: int
    seconds: float  # until the last reply
    processed: float | None  # until all were processed (the intake only)
    start: float  # RSS, MB, after a first letter
    peak: float  # peak RSS, MB, from then on


def _flood(pid: int, port: int, database: Path | None) -> Flood:
    """The issue's first probe against a running server (`database`: the intake's, to wait for
    processing)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        client.sendmail("first@probe.example", [NEWS], _letter(0, random.Random(1))[1])
    if database is not None:
        _wait_processed(database, 1)
    start, _peak = probes.memory_mb(pid)
    probes.reset_peak(pid)
    started = time.perf_counter()
    replies = probes.parallel_letters(port, FLOOD, to=NEWS, addresses=2)
    seconds = time.perf_counter() - started
    processed = None
    if database is not None:
        processed = seconds + _wait_processed(database, FLOOD + 1)
    accepted = sum(1 for code, _text in replies if code == 250)
    return Flood(accepted, seconds, processed, start, probes.memory_mb(pid)[1])


def _attacks(tmp: Path) -> dict[str, tuple[Flood, probes.Idle]]:
    """Both probes on a fresh intake with the default limits, then on the bare aiosmtpd."""
    var = tmp / "attacks"
    env = probes.intake_env(var, NEWS)
    probes.migrate(env)
    database = var / "civicplan.sqlite3"
    results = {}
    with probes.intake_process(env) as (server, port):
        flood = _flood(server.pid, port, database)
        results["civicplan mail_intake"] = (flood, probes.idle_connections(port, IDLE))
    with _bare_process(tmp / "bare-attacks", env) as (bare, port):
        flood = _flood(bare.pid, port, None)
        results["bare aiosmtpd"] = (flood, probes.idle_connections(port, IDLE))
    return results


def _check(run: Run, peer_files: int) -> None:
    stored = sum(run.counts.values())
    if not (run.sent.accepted == stored == run.files == LETTERS and peer_files == LETTERS):
        raise SystemExit(
            f"mail intake benchmark: LETTERS LOST: sent {LETTERS}, accepted {run.sent.accepted}, "
            f"rows {stored}, .eml files {run.files} (bare server: {peer_files} files)"
        )


def _print_throughput(run: Run, peer_sent: Sent, peer_peak: float) -> None:
    processed_seconds = run.sent.seconds + run.processing
    print(f"{'server':<38}{'letters/s':>10}{'seconds':>9}{'peak RSS MB':>13}")
    print(
        f"{'civicplan mail_intake: accepted':<38}{LETTERS / run.sent.seconds:>10.0f}"
        f"{run.sent.seconds:>9.1f}{run.peak:>13.0f}"
    )
    print(
        f"{'civicplan mail_intake: all processed':<38}{LETTERS / processed_seconds:>10.0f}"
        f"{processed_seconds:>9.1f}"
    )
    print(
        f"{'bare aiosmtpd, .eml only: accepted':<38}{LETTERS / peer_sent.seconds:>10.0f}"
        f"{peer_sent.seconds:>9.1f}{peer_peak:>13.0f}"
    )
    counts = run.counts
    print(
        f"sent {LETTERS}, stored {sum(counts.values())} (rows) and {run.files} (.eml): none "
        f"lost; processed {counts.get('processed', 0)}, quarantined "
        f"{counts.get('quarantined', 0)}, failed {counts.get('failed', 0)}; temporary refusals "
        f"(451) {run.sent.temporary}"
    )
    print(f"acceptance rate, intake / bare aiosmtpd: {peer_sent.seconds / run.sent.seconds:.2f}")


def _print_attacks(results: dict[str, tuple[Flood, probes.Idle]]) -> None:
    print()
    print(
        f"attacks: {FLOOD} letters of 25 MB at once from 2 addresses; {IDLE} idle connections "
        f"from {IDLE // 10} addresses (the intake with its default limits)"
    )
    header = ("server", "accepted", "seconds", "processed s", "start MB", "peak MB", "idle held")
    print(f"{header[0]:<24}" + "".join(f"{title:>12}" for title in header[1:]))
    for server, (flood, idle) in results.items():
        processed = f"{flood.processed:.1f}" if flood.processed is not None else "—"
        print(
            f"{server:<24}{f'{flood.accepted}/{FLOOD}':>12}{flood.seconds:>12.1f}"
            f"{processed:>12}{flood.start:>12.0f}{flood.peak:>12.0f}{idle.held:>12}"
        )
        for reply, count in idle.refused.items():
            print(f"{'':<24}idle connections refused: {count} × {reply!r}")
    intake = results["civicplan mail_intake"][0]
    verdict = "met" if intake.peak < 300 else "NOT MET"
    print(f"target: the intake under 300 MB over {FLOOD} x 25 MB: {verdict} ({intake.peak:.0f} MB)")


def main() -> None:
    rng = random.Random(6)
    letters = [_letter(number, rng) for number in range(LETTERS)]
    total_mb = sum(len(raw) for _sender, raw in letters) / 1e6
    with_files = sum(1 for _sender, raw in letters if b"Content-Disposition: attachment" in raw)
    with tempfile.TemporaryDirectory() as tmp:
        run, peer_sent, peer_peak, peer_files = _throughput(Path(tmp), letters)
        _check(run, peer_files)
        attacks = _attacks(Path(tmp))
    print(
        f"mail intake benchmark: {LETTERS:,} letters ({total_mb:.0f} MB, {with_files} with an "
        f"attachment) from {SENDERS} concurrent SMTP senders on loopback; SQLite (WAL); "
        "letter rate per address off"
    )
    _print_throughput(run, peer_sent, peer_peak)
    _print_attacks(attacks)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare_server(sys.argv[2])
    else:
        main()

"""The mail intake tried as an attacker would, for the tests and for bench/mail_intake.py: many
parallel letters near the size limit, many idle connections, the intake's memory meanwhile.

Letters are streamed from one shared body (no line of it starts with a dot, so it needs no
stuffing), so that sixteen 25 MB letters do not cost the sending side 16 copies; clients come
from several loopback addresses (127.0.0.0/8 is all loopback on Linux), as a botnet would.
"""

from __future__ import annotations

import base64
import os
import random
import re
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIG = 25_000_000  # bytes: a letter just under the default limit of 25 MiB


def loopback(number: int) -> str:
    """The number-th client address on loopback: 127.0.1.1, 127.0.1.2, …"""
    return f"127.0.{1 + number // 250}.{1 + number % 250}"


def big_body(size: int = BIG, seed: int = 25) -> bytes:
    """A MIME body of about `size` bytes (with a head of ~300): a short text and a PDF of random
    bytes, base64 in 76-character lines, CRLF line ends, ending in CRLF."""
    content_bytes = int((size - 600) * 57 / 78)  # base64: 57 bytes to a 78-byte line
    content = b"%PDF-1.4\n" + random.Random(seed).randbytes(content_bytes - 9)
    encoded = base64.encodebytes(content).replace(b"\n", b"\r\n")
    return (
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + "Пресс-релиз: фотографии с форума во вложении.\r\n".encode()
        + b"--b\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="f.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--b--\r\n"
    )


def big_head(number: int, sender: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: news\r\nSubject: Big letter {number}\r\n"
        f"Message-ID: <big-{number}-{time.time_ns()}@probe.example>\r\nMIME-Version: 1.0\r\n"
    ).encode("ascii")


def send_streamed(
    port: int, head: bytes, body: bytes, *, mail_from: str, to: str, source: str
) -> tuple[int, bytes]:
    """One letter over SMTP, the body sent from memory as it is: (reply code, text)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=120, source_address=(source, 0)) as client:
        client.ehlo()
        size = len(head) + len(body)
        code, text = client.mail(mail_from, [f"SIZE={size}"])
        if code != 250:
            return code, text
        code, text = client.rcpt(to)
        if code != 250:
            return code, text
        code, text = client.docmd("DATA")
        if code != 354:
            return code, text
        client.send(head)
        client.send(body)
        client.send(b".\r\n")
        return client.getreply()


def parallel_letters(
    port: int, count: int, *, to: str, addresses: int = 2, size: int = BIG
) -> list[tuple[int, bytes]]:
    """`count` letters of `size` at once, from `addresses` client addresses in turn."""
    body = big_body(size)
    replies: list[tuple[int, bytes]] = [(0, b"")] * count

    def send(number: int) -> None:
        sender = f"stranger{number}@probe.example"
        try:
            replies[number] = send_streamed(
                port,
                big_head(number, sender),
                body,
                mail_from=sender,
                to=to,
                source=loopback(number % addresses),
            )
        except (OSError, smtplib.SMTPException) as error:
            replies[number] = (-1, repr(error).encode())

    threads = [threading.Thread(target=send, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


@dataclass
class Idle:
    held: int  # connections greeted with 220 and kept open
    refused: dict[str, int]  # the reply they got instead, and how many


def idle_connections(port: int, count: int, *, per_address: int = 10) -> Idle:
    """Open `count` connections that say nothing, `per_address` from each loopback address,
    keep them all open until the last is greeted, then close them."""
    sockets: list[socket.socket] = []
    refused: dict[str, int] = {}
    try:
        for number in range(count):
            connection = socket.create_connection(
                ("127.0.0.1", port), timeout=30, source_address=(loopback(number // per_address), 0)
            )
            greeting = _first_line(connection)
            if greeting.startswith("220"):
                sockets.append(connection)
            else:
                refused[greeting] = refused.get(greeting, 0) + 1
                connection.close()
        return Idle(len(sockets), refused)
    finally:
        for connection in sockets:
            connection.close()


def _first_line(connection: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\r\n"):
        piece = connection.recv(1024)
        if not piece:
            break
        data += piece
    return data.decode("ascii", "replace").strip()


# -- the intake as its own process ----------------------------------------------------------


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) in MB: /proc's VmRSS and VmHWM."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return rss / 1024, peak / 1024


def reset_peak(pid: int) -> None:
    """Make VmHWM start again from the current RSS (Linux: clear_refs 5), so that the peak
    measured is the probe's, not the start's."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def intake_env(var: Path, news: str, settings_dir: Path | None = None) -> dict[str, str]:
    """The environment of an intake process on its own SQLite database under `var`; with
    `settings_dir`, the settings module `probe_settings` there (limits the environment does
    not reach)."""
    env = {
        **os.environ,
        "CIVICPLAN_VAR_DIR": str(var),
        "CIVICPLAN_NEWS_ADDRESSES": news,
        "DJANGO_SETTINGS_MODULE": "probe_settings" if settings_dir else "civicplan.settings",
        "PYTHONPATH": os.pathsep.join(
            str(path) for path in (ROOT / "src", ROOT, settings_dir) if path is not None
        ),
    }
    env.pop("DATABASE_URL", None)
    return env


def probe_settings(directory: Path, **values: object) -> Path:
    """A settings module that is the project's with `values` on top."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = ["from civicplan.settings import *  # noqa: F403"]
    lines += [f"{name} = {value!r}" for name, value in values.items()]
    (directory / "probe_settings.py").write_text("\n".join(lines) + "\n")
    return directory


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "civicplan.cli", "migrate", "--noinput"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


@contextmanager
def intake_process(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen, int]]:
    """`civicplan mail_intake --port 0` running; (process, port). Stopped with SIGTERM."""
    server = subprocess.Popen(
        [sys.executable, "-m", "civicplan.cli", "mail_intake", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        banner = server.stdout.readline()
        match = re.search(r":(\d+)\b", banner)
        if match is None:
            raise RuntimeError(f"the intake said {banner!r}")
        yield server, int(match.group(1))
    finally:
        server.terminate()
        server.communicate(timeout=120)


def statuses(database: Path) -> dict[str, int]:
    import sqlite3

    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)) as db:
        rows = db.execute(
            "SELECT status, count(*) FROM mailintake_inboundmessage GROUP BY status"
        ).fetchall()
    return dict(rows)


def wait_until(done: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(0.05)
    return done()

"""`civicplan mail_intake`: the server as its own process, and --retry-failed."""

from __future__ import annotations

import os
import re
import signal
import smtplib
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from civicplan.mailintake import actions, processing
from civicplan.mailintake.models import InboundMessage
from tests.mailintake.letters import COORDINATOR, NEWS, modern

ROOT = Path(__file__).resolve().parents[2]


def test_retry_failed(db, coordinator, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patched:
        patched.setattr(processing, "check_files", lambda mail: 1 / 0)
        for number in range(2):
            raw = modern(subject=f"Пост-релиз {number}")
            actions.process(actions.receive(raw, mail_from=COORDINATOR, rcpt_tos=[NEWS]))
    empty = actions.process(actions.receive(b"From: a@b.example\r\n\r\n"))
    assert InboundMessage.objects.filter(status="failed").count() == 3
    output = StringIO()
    call_command("mail_intake", retry_failed=True, stdout=output)
    assert output.getvalue().strip() == "Разобрано ещё раз: 3, удачно: 2, снова с ошибкой: 1."
    assert list(InboundMessage.objects.filter(status="failed")) == [empty]
    assert InboundMessage.objects.filter(status="processed").count() == 2


def statuses(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        return [
            row[0] for row in connection.execute("SELECT status FROM mailintake_inboundmessage")
        ]


def test_the_server_command_in_its_own_process(tmp_path: Path) -> None:
    """Migrate a fresh SQLite database, start the command on a free port, send it a letter, stop
    it with SIGTERM: the letter is on disk and in the database, quarantined (unknown sender)."""
    env = {
        **os.environ,
        "CIVICPLAN_VAR_DIR": str(tmp_path / "var"),
        "CIVICPLAN_NEWS_ADDRESSES": NEWS,
        "DJANGO_SETTINGS_MODULE": "civicplan.settings",
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "civicplan.cli"]
    subprocess.run([*command, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*command, "mail_intake", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        banner = server.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+) ", banner).group(1))
        assert banner.startswith("Приём почты (SMTP)")
        raw = modern(sender="stranger@mail.example")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            assert client.sendmail("stranger@mail.example", [NEWS], raw) == {}
        database = tmp_path / "var" / "civicplan.sqlite3"
        for _attempt in range(600):  # processing follows the 250; wait for it
            if statuses(database) != ["stored"]:
                break
            time.sleep(0.05)
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert "Приём почты остановлен." in out
    with closing(sqlite3.connect(database)) as connection:
        [(status, raw_path)] = connection.execute(
            "SELECT status, raw_path FROM mailintake_inboundmessage"
        ).fetchall()
    assert status == "quarantined"
    assert (tmp_path / "var" / "mail" / raw_path).read_bytes() == raw

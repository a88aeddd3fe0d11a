"""Installations of CivicPlan in separate processes, for the tests that need real ones: several
processes on one database (a worker killed mid-batch, two web instances), each installation
fresh, on the database the suite runs on (PostgreSQL when DATABASE_URL names it, else a SQLite
file), migrated, and removed afterwards."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = ("127.0.0.1", 6379)


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def installation(
    var_dir: Path, *, postgres: bool = False, **settings: str
) -> Iterator[dict[str, str]]:
    """The environment of a fresh, migrated installation under `var_dir`, with `settings`
    (CIVICPLAN_… variables) on top; on PostgreSQL when the suite runs on it or `postgres`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVICPLAN_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="civicplan.settings",
        CIVICPLAN_SECRET_KEY=secrets.token_urlsafe(40),
        CIVICPLAN_VAR_DIR=str(var_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.update(settings)
    with _database(postgres) as url:
        if url:
            env["DATABASE_URL"] = url
        civicplan(env, "migrate", "--noinput")
        yield env


@contextlib.contextmanager
def _database(postgres: bool) -> Iterator[str | None]:
    """A new PostgreSQL database when the suite runs on PostgreSQL or one is asked for
    (dropped afterwards); None for SQLite (the installation's own file under its var/)."""
    suite = os.environ.get("DATABASE_URL", "")
    if not suite.startswith(("postgres://", "postgresql://")):
        if not postgres:
            yield None
            return
        suite = POSTGRES
    import psycopg

    name = f"civicplan_t_{secrets.token_hex(6)}"
    with psycopg.connect(suite, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(suite)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(suite, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def civicplan(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run a `civicplan` command in the installation; its output, or an error with it."""
    result = subprocess.run(
        [sys.executable, "-m", "civicplan.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"civicplan {' '.join(args)}: {result.stdout}{result.stderr}")
    return result.stdout


def start(env: dict[str, str], *args: str) -> subprocess.Popen:
    """A long-running `civicplan` command (a worker, the mail intake) in the installation."""
    return subprocess.Popen(
        [sys.executable, "-m", "civicplan.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, timeout: float = 30, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def serve(env: dict[str, str], port: int, workers: int = 1) -> subprocess.Popen:
    """The installation's web server (gunicorn, as deploy/ runs it) on `port`, once it answers."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "--config", "deploy/gunicorn.conf.py", "civicplan.wsgi"],
        env={**env, "CIVICPLAN_BIND": f"127.0.0.1:{port}", "CIVICPLAN_WEB_WORKERS": str(workers)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: reachable("127.0.0.1", port), what=f"the web server on port {port}")
    return server

"""The round trip the backups exist for: an installation on SQLite backed up, restored into a
fresh PostgreSQL database, backed up from there and restored into a fresh SQLite file; every
table equal row by row at each step, and every file. Each step is the `civicplan` command in a
process of its own, with its own DATABASE_URL and CIVICPLAN_VAR_DIR, as an operator runs it.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth): the test creates and drops a
database civicplan_restore_test_<random> there, and skips with the reason when it cannot."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
# Secrets the installations are given, which no manifest may carry.
SECRET_KEY = "backup-test-secret-key-" + secrets.token_hex(8)
SMTP_PASSWORD = "smtp-password-" + secrets.token_hex(8)
DB_PASSWORD = "db-password-" + secrets.token_hex(8)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (its URL, with a password trust auth ignores), dropped
    afterwards."""
    psycopg = pytest.importorskip("psycopg")
    name = f"civicplan_restore_test_{secrets.token_hex(6)}"
    try:
        server = psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432 ({error}); start it to run this")
    with server:
        server.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgres://postgres:{DB_PASSWORD}@127.0.0.1:5432/{name}"
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(var_dir: Path, database_url: str | None, *args: str) -> str:
    """`args` (a module to run with -m) in a process of its own over the given installation."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "DATABASE_URL" and not key.startswith("CIVICPLAN_")
    }
    environment.update(
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="civicplan.settings",
        CIVICPLAN_VAR_DIR=str(var_dir),
        CIVICPLAN_SECRET_KEY=SECRET_KEY,
        CIVICPLAN_SMTP_PASSWORD=SMTP_PASSWORD,
        CIVICPLAN_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    if database_url:
        environment["DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def civicplan(var_dir: Path, database_url: str | None, *args: str) -> str:
    return run(var_dir, database_url, "civicplan.cli", *args)


def rows(var_dir: Path, database_url: str | None) -> dict:
    out = var_dir.parent / f"{var_dir.name}-rows.json"
    run(var_dir, database_url, "tests.operations.rows", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


def files(var_dir: Path) -> dict[str, str]:
    """Every file of the media and mail trees, by path, as its SHA-256."""
    return {
        path.relative_to(var_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for tree in ("media", "mail")
        for path in sorted((var_dir / tree).rglob("*"))
        if path.is_file()
    }


def assert_same_rows(expected: dict, actual: dict) -> None:
    assert sorted(actual) == sorted(expected)
    for table, table_rows in expected.items():
        assert actual[table] == table_rows, table


def test_sqlite_to_postgresql_and_back(tmp_path: Path, postgres_database: str) -> None:
    source, middle, final = tmp_path / "sqlite-a", tmp_path / "postgresql", tmp_path / "sqlite-b"
    run(source, None, "tests.operations.world")
    original = rows(source, None)
    # Every table holds rows but three of django-axes' that a failed login does not fill.
    assert sorted(table for table, table_rows in original.items() if not table_rows) == [
        "axes.accessattemptexpiration",
        "axes.accessfailurelog",
        "axes.accesslog",
    ]
    civicplan(source, None, "backup", "-o", str(tmp_path / "a.zip"))

    civicplan(middle, postgres_database, "migrate", "--verbosity", "0")
    restored = civicplan(middle, postgres_database, "restore", str(tmp_path / "a.zip"))
    assert "newsroom.attachment: 4" in restored
    assert_same_rows(original, rows(middle, postgres_database))
    assert files(middle) == files(source)
    civicplan(middle, postgres_database, "backup", "-o", str(tmp_path / "b.zip"))

    civicplan(final, None, "migrate", "--verbosity", "0")
    civicplan(final, None, "restore", str(tmp_path / "b.zip"))
    assert_same_rows(original, rows(final, None))
    assert files(final) == files(source)

    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest = archive.read("manifest.json").decode()
    assert json.loads(manifest)["database"] == "postgresql"
    for secret in (SECRET_KEY, SMTP_PASSWORD, DB_PASSWORD):
        assert secret not in manifest

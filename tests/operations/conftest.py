"""Fixtures of the operations tests: the installation's files in a temporary directory, mail
and tasks kept in memory, and the realistic installation of tests.operations.world."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.operations.world import build_world


@pytest.fixture(autouse=True)
def _operations_settings(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    settings.CIVICPLAN_MAIL_DIR = tmp_path / "var" / "mail"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, seed_bytes: bytes) -> None:
    build_world(seed_bytes)

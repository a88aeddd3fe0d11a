"""Production settings from the environment: Django's deployment checks pass with the variables
docs/deploy.md lists, no process starts without a secret key, and a server error leaves a
line in the log that says which request failed."""

from __future__ import annotations

import io
import logging
import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db

# The production variables of docs/deploy.md (values for a site at plan.example.org).
PRODUCTION = {
    "CIVICPLAN_SECRET_KEY": secrets.token_urlsafe(50),
    "CIVICPLAN_ALLOWED_HOSTS": "plan.example.org",
    "CIVICPLAN_HTTPS": "1",
    "CIVICPLAN_CSRF_TRUSTED_ORIGINS": "https://plan.example.org",
    "CIVICPLAN_SITE_URL": "https://plan.example.org",
}


def _django(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CIVICPLAN_")}
    clean["DJANGO_SETTINGS_MODULE"] = "civicplan.settings"
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path) -> None:
    env = {**PRODUCTION, "CIVICPLAN_VAR_DIR": str(tmp_path)}
    result = _django(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_a_secret_key_nothing_starts(tmp_path) -> None:
    result = _django(["check"], {"CIVICPLAN_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "CIVICPLAN_SECRET_KEY is not set" in result.stderr


def _fails(request):
    raise RuntimeError("the disk is on fire")


urlpatterns = [path("fails/", _fails)]


def test_a_server_error_is_logged_with_its_request(settings) -> None:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    handler = next(
        h for h in logging.getLogger("django.request").handlers if h.get_name() == "stderr"
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    user = User.objects.create_user("visitor")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    try:
        assert client.get("/fails/?x=1").status_code == 500
    finally:
        handler.setStream(previous)
    line = stream.getvalue()
    assert "ERROR django.request GET /fails/?x=1" in line
    assert f"user={user.pk}" in line
    assert "RuntimeError: the disk is on fire" in line

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


def test_behind_a_tls_proxy_a_form_with_its_origin_is_accepted(tmp_path) -> None:
    """gunicorn with the production settings, reached as nginx would reach it: HTTP from the
    proxy's address with X-Forwarded-Proto: https. A POST that carries the site's Origin (every
    browser sends one) passes the CSRF check; plain HTTP is sent to HTTPS."""
    import re

    import requests

    from tests.processes import civicplan, free_port, installation, serve

    with installation(
        tmp_path / "var", **PRODUCTION, CIVICPLAN_ADMIN_PASSWORD="an-admin-pw-42"
    ) as env:
        civicplan(env, "bootstrap")
        port = free_port()
        server = serve(env, port)
        try:
            site = f"http://127.0.0.1:{port}"
            proxied = {"Host": "plan.example.org", "X-Forwarded-Proto": "https"}
            plain = requests.get(
                f"{site}/account/login/",
                headers={"Host": "plan.example.org"},
                allow_redirects=False,
            )
            assert plain.status_code == 301
            assert plain.headers["Location"] == "https://plan.example.org/account/login/"
            session = requests.Session()
            form = session.get(f"{site}/account/login/", headers=proxied)
            assert form.status_code == 200
            assert form.headers["Strict-Transport-Security"].startswith("max-age=31536000")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
            # requests keeps the Secure cookie for https only: send it as the browser would.
            cookie = form.cookies.get("csrftoken") or session.cookies.get("csrftoken")
            response = requests.post(
                f"{site}/account/login/",
                data={
                    "csrfmiddlewaretoken": token,
                    "username": "admin",
                    "password": "an-admin-pw-42",
                },
                headers={
                    **proxied,
                    "Origin": "https://plan.example.org",
                    "Referer": "https://plan.example.org/account/login/",
                    "Cookie": f"csrftoken={cookie}",
                },
                allow_redirects=False,
            )
            assert response.status_code == 302, response.text[:500]
            assert response.headers["Location"] == "/account/"
            assert "Secure" in response.headers["Set-Cookie"]
        finally:
            server.terminate()
            server.wait(timeout=30)

"""Security settings and the secretariat's two-factor requirement."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator

pytestmark = pytest.mark.django_db


def test_deploy_checks_are_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "ASCNHUB_DATA_DIR": str(tmp_path),
        "ASCNHUB_SECRET_KEY": secrets.token_urlsafe(60),
        "ASCNHUB_ALLOWED_HOSTS": "hub.example.org",
        "ASCNHUB_SECURE_SSL_REDIRECT": "true",
        "ASCNHUB_SECURE_COOKIES": "true",
        "ASCNHUB_HSTS_SECONDS": "31536000",
        "ASCNHUB_BEHIND_PROXY": "true",
    }
    env.pop("ASCNHUB_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; never in production
    proc = subprocess.run(
        [sys.executable, "-m", "ascnhub.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_secretariat_without_authenticator_is_sent_to_set_one_up(settings, network, client_for):
    settings.ASCNHUB_REQUIRE_MFA_FOR_SECRETARIAT = True
    client = client_for(network.secretariat)
    response = client.get("/activity/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    # A city officer is not forced.
    assert client_for(network.makassar_officer.user).get("/cities/makassar/edit/").status_code == 200
    # With an authenticator, the secretariat gets through.
    Authenticator.objects.create(user=network.secretariat, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client_for(network.secretariat).get("/activity/").status_code == 200


def test_admin_sign_in_goes_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_security_headers(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_style_or_script_and_no_template_leftovers(client, db):
    # The CSP refuses inline styles and scripts; a stray `<style>` (e.g. from a template comment
    # that spans lines, which Django renders as text) would also swallow the rest of the page.
    html = client.get("/").content.decode()
    head = html[: html.index("</head>")]
    assert "<style" not in html and "<script>" not in html
    assert "{#" not in html and "#}" not in html and "{%" not in html
    assert '<meta name="htmx-config"' in head and "responseHandling" in head

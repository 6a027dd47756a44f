"""Optional OpenID Connect sign-in: off by default; when switched on, the configuration is checked, the sign-in
redirects to the identity provider, and the NIK claim (never e-mail) links an existing account. No live provider:
this tests the configuration path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks

from pamong.accounts.oidc import check_oidc, nik_from_claims

ROOT = Path(django_settings.BASE_DIR)
PROVIDER = "https://idp.example.go.id"
ENABLED = {
    "PAMONG_OIDC_ENABLED": "1",
    "PAMONG_OIDC_CLIENT_ID": "pamong-bandung",
    "PAMONG_OIDC_CLIENT_SECRET": "rahasia",
    "PAMONG_OIDC_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "PAMONG_OIDC_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "PAMONG_OIDC_USER_ENDPOINT": f"{PROVIDER}/userinfo",
    "PAMONG_OIDC_JWKS_ENDPOINT": f"{PROVIDER}/jwks",
}
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.urls import resolve
from pamong.accounts.oidc import NikClaimBackend
request = RequestFactory().get("/oidc/authenticate/", HTTP_HOST="localhost")
request.session = SessionStore()
response = resolve("/oidc/authenticate/").func(request)
backend = NikClaimBackend()
print(json.dumps({
    "status": response.status_code,
    "location": response["Location"],
    "backends": settings.AUTHENTICATION_BACKENDS,
    "create_user": settings.OIDC_CREATE_USER,
    "claims_ok": [backend.verify_claims({"nik": "3273 0941 0887 0002"}), backend.verify_claims({"email": "a@b.c"})],
}))
"""


def test_it_is_off_by_default_and_adds_no_route(client, db):
    assert django_settings.PAMONG_OIDC_ENABLED is False
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "identitas digital nasional" not in client.get("/masuk/").content.decode()


def test_switched_on_it_redirects_to_the_provider_and_links_by_nik(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAMONG_OIDC")}
    env.update(ENABLED, DJANGO_SETTINGS_MODULE="pamong.settings.test", PAMONG_VAR_DIR=str(tmp_path))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["status"] == 302
    assert probe["location"].startswith(f"{PROVIDER}/authorize?")
    assert "client_id=pamong-bandung" in probe["location"] and "scope=openid+profile" in probe["location"]
    assert probe["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert probe["backends"][-1] == "pamong.accounts.oidc.NikClaimBackend"
    assert probe["create_user"] is False
    assert probe["claims_ok"] == [True, False]


def test_a_missing_setting_stops_startup_and_is_named(settings):
    settings.PAMONG_OIDC_ENABLED = True
    for name in ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT"):
        setattr(settings, name, "x")
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    settings.OIDC_OP_USER_ENDPOINT = "x"
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    messages = [e.msg for e in check_oidc(None)]
    assert messages == [
        "OpenID Connect is enabled but PAMONG_OIDC_TOKEN_ENDPOINT is not set",
        "OpenID Connect is enabled but PAMONG_OIDC_JWKS_ENDPOINT is not set",
    ]
    assert {e.id for e in run_checks() if e.id.startswith("pamong.E002")} == {"pamong.E002"}


@pytest.mark.parametrize(
    ("claims", "nik"),
    [
        ({"nik": "3273094108870002"}, "3273094108870002"),
        ({"nik": "3273 0941 0887 0002"}, "3273094108870002"),
        ({"nik": "12345"}, None),
        ({"email": "siti@example.id"}, None),
    ],
)
def test_only_a_well_formed_nik_claim_identifies_the_person(claims, nik, settings):
    settings.PAMONG_OIDC_NIK_CLAIM = "nik"
    assert nik_from_claims(claims) == nik

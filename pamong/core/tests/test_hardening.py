"""Hardening that must hold on every page: the production guard in a real process, no traceback for users, the
security headers and CSP on every kind of page, secure cookies and HSTS in production."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import path

from pamong.core.defaults import DEFAULT_SECRET_KEY

ROOT = Path(django_settings.BASE_DIR)
# Inline script (a <script> without src, or an on* handler) or an inline style: what the CSP refuses.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+=\"|\sstyle=\"")


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PAMONG_", "DATABASE_URL"))}
    environment = {
        **base,
        "DJANGO_SETTINGS_MODULE": "pamong.settings.production",
        "PAMONG_VAR_DIR": str(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "pamong.example.go.id",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.one_pass
def test_production_refuses_to_start_with_unsafe_settings_and_names_each(tmp_path):
    result = _check_deploy(
        tmp_path,
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY=DEFAULT_SECRET_KEY,
        PAMONG_AUDIT_SIGNING_KEY="",
        PAMONG_ENCRYPTION_KEYS="",
        PAMONG_BLIND_INDEX_KEY="",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    for problem in (
        "Unsafe production setting: DJANGO_DEBUG is on",
        "Unsafe production setting: DJANGO_SECRET_KEY is missing, the development default, or shorter than 32",
        "Unsafe production setting: PAMONG_AUDIT_SIGNING_KEY is missing",
        "Unsafe production setting: PAMONG_ENCRYPTION_KEYS or PAMONG_BLIND_INDEX_KEY is missing",
    ):
        assert problem in result.stderr, result.stderr


@pytest.mark.one_pass
def test_production_starts_with_safe_settings(tmp_path):
    result = _check_deploy(
        tmp_path,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="s" * 60,
        PAMONG_AUDIT_SIGNING_KEY=base64.b64encode(bytes(range(32))).decode(),
        PAMONG_ENCRYPTION_KEYS="k1:" + base64.b64encode(bytes(range(32))).decode(),
        PAMONG_BLIND_INDEX_KEY="ab" * 32,
        DATABASE_URL="postgres://pamong@127.0.0.1:5432/pamong",  # the check does not connect
        PAMONG_REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pamong.E001" not in result.stderr


def test_production_settings_use_secure_cookies_and_hsts():
    from pamong.settings import production

    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 31536000 and production.SECURE_SSL_REDIRECT
    assert "django.middleware.csrf.CsrfViewMiddleware" in production.MIDDLEWARE


# --- no traceback for users -------------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("secret detail: database password is hunter2")


urlpatterns = [path("boom/", _boom)]
handler500 = "pamong.core.views.server_error"  # as in pamong.urls (asserted below)


@pytest.mark.urls("pamong.core.tests.test_hardening")
def test_an_exception_gives_the_friendly_500_page_without_a_traceback(db):
    from pamong import urls

    assert urls.handler500 == handler500
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Terjadi gangguan</h1>" in html
    assert "Traceback" not in html and "hunter2" not in html and "RuntimeError" not in html


# --- headers on every kind of page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/layanan/", "/masuk/", "/halaman-yang-tidak-ada/", "/api/v1/services"])
def test_every_page_has_the_csp_without_inline_script_and_the_other_headers(db, client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    if response["Content-Type"].startswith("text/html"):
        assert not INLINE.search(response.content.decode())


def test_the_templates_hold_no_inline_script_or_style_attribute():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "pamong").rglob("templates/**/*.html")
        if INLINE.search(p.read_text())
    ]
    assert offenders == []

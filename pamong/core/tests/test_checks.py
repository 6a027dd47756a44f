"""The production guard refuses unsafe settings and names each one."""

import base64

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from pamong.core.checks import production_problems

POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


def test_every_unsafe_value_is_named(settings, monkeypatch):
    settings.DEBUG = True
    settings.SECRET_KEY = "insecure-development-key-change-me"
    settings.AUDIT_SIGNING_KEY = ""
    settings.PAMONG_ENCRYPTION_KEYS = ""
    settings.PAMONG_BLIND_INDEX_KEY = ""
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", SQLITE)
    settings.REDIS_URL = ""
    assert production_problems() == [
        "DJANGO_DEBUG is on",
        "DJANGO_SECRET_KEY is missing, the development default, or shorter than 32 characters",
        "PAMONG_AUDIT_SIGNING_KEY is missing: the development signing key must not sign in production",
        "PAMONG_ENCRYPTION_KEYS or PAMONG_BLIND_INDEX_KEY is missing: personal data must not use the development keys",
        "DATABASE_URL is missing or not PostgreSQL: production needs its PostgreSQL database",
        "PAMONG_REDIS_URL is missing: the job queue and rate limits need Redis shared by every process",
    ]


def safe(settings, monkeypatch) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 50
    settings.AUDIT_SIGNING_KEY = "A" * 44
    settings.PAMONG_ENCRYPTION_KEYS = "k1:" + base64.b64encode(bytes(32)).decode()
    settings.PAMONG_BLIND_INDEX_KEY = "11" * 32
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", POSTGRES)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"


def test_safe_values_pass(settings, monkeypatch):
    safe(settings, monkeypatch)
    assert production_problems() == []


def test_secrets_published_with_pamong_are_refused(settings, monkeypatch):
    safe(settings, monkeypatch)
    settings.AUDIT_SIGNING_KEY = "dGVzdC1vbmx5LWVkMjU1MTktc2VlZC0zMi1ieXRlcyE="  # the test settings' key
    settings.SECRET_KEY = "pamong-demo-2026"
    assert production_problems() == [
        "DJANGO_SECRET_KEY is missing, the development default, or shorter than 32 characters",
        "DJANGO_SECRET_KEY, PAMONG_AUDIT_SIGNING_KEY: a secret published with Pamong (demo or test) is in use",
    ]


def test_the_check_framework_stops_startup_in_production(settings):
    settings.PAMONG_ENVIRONMENT = "production"
    settings.DEBUG = True
    with pytest.raises(SystemCheckError, match="Unsafe production setting: DJANGO_DEBUG is on"):
        call_command("check")

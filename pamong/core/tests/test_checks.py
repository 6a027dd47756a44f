"""The production guard refuses unsafe settings and names each one."""

import base64

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from pamong.core.checks import production_problems


def test_every_unsafe_value_is_named(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = "insecure-development-key-change-me"
    settings.AUDIT_SIGNING_KEY = ""
    settings.PAMONG_ENCRYPTION_KEYS = ""
    settings.PAMONG_BLIND_INDEX_KEY = ""
    assert production_problems() == [
        "DJANGO_DEBUG is on",
        "DJANGO_SECRET_KEY is missing, the development default, or shorter than 32 characters",
        "PAMONG_AUDIT_SIGNING_KEY is missing: the development signing key must not sign in production",
        "PAMONG_ENCRYPTION_KEYS or PAMONG_BLIND_INDEX_KEY is missing: personal data must not use the development keys",
    ]


def test_safe_values_pass(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 50
    settings.AUDIT_SIGNING_KEY = "A" * 44
    settings.PAMONG_ENCRYPTION_KEYS = "k1:" + base64.b64encode(bytes(32)).decode()
    settings.PAMONG_BLIND_INDEX_KEY = "11" * 32
    assert production_problems() == []


def test_the_check_framework_stops_startup_in_production(settings):
    settings.PAMONG_ENVIRONMENT = "production"
    settings.DEBUG = True
    with pytest.raises(SystemCheckError, match="Unsafe production setting: DJANGO_DEBUG is on"):
        call_command("check")

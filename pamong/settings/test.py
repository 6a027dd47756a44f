"""Tests: SQLite by default; PostgreSQL when PAMONG_TEST_POSTGRES or CI selects it (scripts/run_tests.py)."""

import os

from .base import *  # noqa: F403
from .base import SQLITE_ENGINE, database_config

DEBUG = False
DATABASES = {"default": database_config(os.environ.get("PAMONG_TEST_DATABASE_URL"))}
# The suite runs in one thread per process and creates its own databases: no pool (servers started by tests
# get theirs from base settings).
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
if DATABASES["default"]["ENGINE"] in {SQLITE_ENGINE, "django.db.backends.sqlite3"}:
    # A file (not :memory:) so that threads and WAL behave as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
# A fixed signing key: parallel test workers must not race to create the development key file.
AUDIT_SIGNING_KEY = "dGVzdC1vbmx5LWVkMjU1MTktc2VlZC0zMi1ieXRlcyE="  # base64 of 32 test-only bytes
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: tests hash many passwords
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {"huey_class": "huey.MemoryHuey", "name": "pamong-test", "immediate": True}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {
        "BACKEND": "pamong.core.staticfiles.IncrementalCompressedStaticFilesStorage"
    },  # as every setting
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
PAMONG_ENVIRONMENT = "test"
# A small limit keeps the lockout tests short (production: PAMONG_LOGIN_FAILURE_LIMIT, default 5).
AXES_FAILURE_LIMIT = 3
PAMONG_WEBHOOK_ALLOW_HTTP = True  # webhook tests post to a loopback server

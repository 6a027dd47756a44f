"""Settings shared by every environment. Anything secret or deployment-specific comes from the environment."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

from pamong.core.defaults import DEFAULT_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent.parent
load_dotenv(BASE_DIR / ".env")

VAR_DIR = Path(os.environ.get("PAMONG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite database, job queue and development keys live here
PACKS_DIR = Path(os.environ.get("PAMONG_PACKS_DIR", BASE_DIR / "packs"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A placeholder that production refuses (see production.py); local and test override nothing else.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEFAULT_SECRET_KEY)
# Rotation: the previous key(s), comma-separated, still accepted for sessions and signed values for a while.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
PAMONG_ENVIRONMENT = (
    "base"  # local | test | production: production refuses unsafe values (pamong.core.checks)
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
# Origins trusted for form posts when the site is reached through another name (e.g. https://layanan.go.id).
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "axes",
    "ninja",  # its bundled Swagger UI: the API docs page loads nothing from outside
    "oauth2_provider",
    "pamong.core",
    "pamong.accounts",
    "pamong.catalog",
    "pamong.registry",
    "pamong.audit",
    "pamong.notify",
    "pamong.staffing",
    "pamong.cases",
    "pamong.oversight",
    "pamong.budget",
    "pamong.site",
    "pamong.privacy",
    "pamong.clients",
    "pamong.assistant",
    "pamong.surveys",
    "pamong.transparency",
    "pamong.complaints",
    "pamong.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pamong.core.apiedge.ApiBodyLimitMiddleware",  # 413 before an API body is read
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pamong.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pamong.core.middleware.PlainFormTextMiddleware",  # no NUL or control characters in a page's form
    "django.contrib.messages.middleware.MessageMiddleware",
    "pamong.core.middleware.FriendlyErrorPagesMiddleware",  # own 404/500 pages under DEBUG too
    "pamong.accounts.middleware.SecondFactorMiddleware",
    "pamong.core.ratelimit.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pamong.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page (429)
]

ROOT_URLCONF = "pamong.urls"
WSGI_APPLICATION = "pamong.wsgi.application"
ASGI_APPLICATION = "pamong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pamong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pamong.accounts.context_processors.navigation",
            ],
        },
    },
]


# Web server (pamong serve: gunicorn, pamong.gunicorn_conf): processes and threads per process. Each thread holds
# at most one database connection, so one web server holds at most WEB_WORKERS x WEB_THREADS connections.
PAMONG_WEB_WORKERS = int(os.environ.get("PAMONG_WEB_WORKERS", 0)) or min(2 * (os.cpu_count() or 1) + 1, 8)
PAMONG_WEB_THREADS = int(os.environ.get("PAMONG_WEB_THREADS", 4))
# PostgreSQL connection pool per process (Django's psycopg pool): at most this many connections per process.
PAMONG_DB_POOL_SIZE = int(os.environ.get("PAMONG_DB_POOL_SIZE", 0)) or PAMONG_WEB_THREADS


SQLITE_ENGINE = "pamong.core.sqlite"


def database_config(url: str | None, *, pool_size: int = PAMONG_DB_POOL_SIZE) -> dict:
    """SQLite (WAL, see pamong.core.apps) under var/ by default; DATABASE_URL switches, e.g. to PostgreSQL.

    PostgreSQL connections come from a bounded pool per process (at most `pool_size`, handed back after each
    request); waiting longer than PAMONG_DB_POOL_TIMEOUT seconds for one answers 503, never a new connection."""
    if url:
        config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    else:
        config = {"ENGINE": SQLITE_ENGINE, "NAME": str(VAR_DIR / "pamong.sqlite3")}
    if config["ENGINE"] in {SQLITE_ENGINE, "django.db.backends.sqlite3"}:
        # Django's SQLite with a prompt queue for the write turn (pamong/core/sqlite/base.py, ADR 62);
        # PAMONG_SQLITE_WRITER_QUEUE=off falls back to Django's own backend (the benchmark's baseline).
        queued = env_bool("PAMONG_SQLITE_WRITER_QUEUE", default=True)
        config["ENGINE"] = SQLITE_ENGINE if queued else "django.db.backends.sqlite3"
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing mid-transaction.
        config.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
        # Each server thread keeps its connection between requests: opening one (its PRAGMAs, the schema read
        # on first use) cost every request about 2 ms of CPU. A local file never goes stale, unlike a server's.
        config["CONN_MAX_AGE"] = int(os.environ.get("PAMONG_SQLITE_CONN_MAX_AGE", 600))
    elif config["ENGINE"] == "django.db.backends.postgresql":
        pool = {
            "min_size": 1,
            "max_size": pool_size,
            "timeout": float(os.environ.get("PAMONG_DB_POOL_TIMEOUT", 10)),
            "max_idle": 300,
        }
        config.setdefault("OPTIONS", {})["pool"] = pool
        config["OPTIONS"].setdefault("connect_timeout", int(os.environ.get("PAMONG_DB_CONNECT_TIMEOUT", 5)))
        # Which process holds a connection, in pg_stat_activity (docs/operations.md, "What to watch").
        config["OPTIONS"].setdefault("application_name", f"pamong pid {os.getpid()}")
    return config


DATABASES = {"default": database_config(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first (it refuses locked-out credentials), then NIK-or-username (pamong.accounts.backends).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pamong.accounts.backends.NikOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/masuk/"
LOGIN_REDIRECT_URL = "/"

# Bahasa Indonesia first, English second. Stored times are UTC; shown in Asia/Jakarta (WIB).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pamong" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PAMONG_STATIC_ROOT", VAR_DIR / "static"))
# WhiteNoise serves what `collectstatic` put in STATIC_ROOT (pamong serve and pamong setup run it), with the
# gzip and brotli files it wrote beside each; long cache lifetimes are safe only for hashed names, so one hour.
WHITENOISE_MAX_AGE = 3600
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "pamong.core.staticfiles.IncrementalCompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("PAMONG_SESSION_SECONDS", 60 * 60 * 8))
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background jobs (DESIGN §6): Huey on SQLite by default, Redis in production via PAMONG_REDIS_URL.
REDIS_URL = os.environ.get("PAMONG_REDIS_URL", "")
# The queue's name is its Redis key prefix: two sites sharing one Redis need two names.
HUEY_NAME = os.environ.get("PAMONG_HUEY_NAME", "pamong")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": HUEY_NAME, "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PAMONG_LOG_LEVEL", "INFO")},
}

# Audit log signing key (Ed25519 seed, base64). Unset: a development key is generated under var/ on first use,
# and production refuses to start (pamong.core.checks).
AUDIT_SIGNING_KEY = os.environ.get("PAMONG_AUDIT_SIGNING_KEY", "")
AUDIT_DEV_KEY_FILE = VAR_DIR / "audit-signing-dev.key"

# Notifications (pamong.notify): channel backends, gateway endpoints, retries with exponential backoff.
DEFAULT_FROM_EMAIL = os.environ.get("PAMONG_FROM_EMAIL", "Pamong <noreply@pamong.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The mail server (SMTP under production settings; local prints mail, test keeps it in memory).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
NOTIFY_CHANNELS = {
    "email": "pamong.notify.channels.EmailChannel",
    "sms": "pamong.notify.channels.SmsChannel",
    "whatsapp": "pamong.notify.channels.WhatsAppChannel",
}
NOTIFY_SMS_GATEWAY_URL = os.environ.get("PAMONG_SMS_GATEWAY_URL", "")
NOTIFY_SMS_GATEWAY_TOKEN = os.environ.get("PAMONG_SMS_GATEWAY_TOKEN", "")
NOTIFY_WHATSAPP_GATEWAY_URL = os.environ.get("PAMONG_WHATSAPP_GATEWAY_URL", "")
NOTIFY_WHATSAPP_GATEWAY_TOKEN = os.environ.get("PAMONG_WHATSAPP_GATEWAY_TOKEN", "")
NOTIFY_GATEWAY_TIMEOUT = 10
NOTIFY_MAX_ATTEMPTS = 6
NOTIFY_RETRY_BASE_SECONDS = 60
# The site's address as citizens open it: every link in a notice is absolute (a WhatsApp or SMS text is read
# on a phone, outside the site), built from this (pamong.notify.services.absolute_url).
PAMONG_BASE_URL = os.environ.get("PAMONG_BASE_URL", "http://localhost:8000").rstrip("/")
# Fallback order when a citizen's chosen channels fail or are missing (issue 15); after these, a printed letter.
NOTIFY_FALLBACK_ORDER = ["whatsapp", "sms", "email"]

# Personal data encryption (pamong.core.crypto): "key_id:base64(32 bytes)" items, comma-separated, the first
# encrypts and all decrypt (rotation). Blind-index key: hex, at least 32 bytes. Unset: labelled development
# keys in local/test, and production refuses to start (pamong.core.checks).
PAMONG_ENCRYPTION_KEYS = os.environ.get("PAMONG_ENCRYPTION_KEYS", "")
PAMONG_BLIND_INDEX_KEY = os.environ.get("PAMONG_BLIND_INDEX_KEY", "")
# Other agencies' HTTP APIs (pamong.registry.adapters.HttpJsonAdapter), JSON: {"name": {"base_url": ...,
# "timeout": 2, "max_attempts": 3}}. An entry named like a local adapter (e.g. "dtsen") replaces it.
PAMONG_REGISTRY_HTTP_ADAPTERS = json.loads(os.environ.get("PAMONG_REGISTRY_HTTP_ADAPTERS", "{}"))

# Uploads (pamong.core.uploads): size limit; types are detected from content. Django's own limit on request
# bodies held in memory stays at its default; files above it stream to a temporary file.
PAMONG_UPLOAD_MAX_BYTES = int(os.environ.get("PAMONG_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Accounts and sign-in (pamong.accounts, docs/security.md). Staff always use TOTP; citizens may add a code by
# e-mail or SMS. Staff sessions end when the browser closes and after PAMONG_STAFF_IDLE_SECONDS without a request.
PAMONG_STAFF_IDLE_SECONDS = int(os.environ.get("PAMONG_STAFF_IDLE_SECONDS", 30 * 60))
PAMONG_LOGIN_CODE_SECONDS = 5 * 60
PAMONG_TOTP_ISSUER = os.environ.get("PAMONG_TOTP_ISSUER", "Pamong")
# Lockout (django-axes, pamong.accounts.lockout): after AXES_FAILURE_LIMIT failures for one account (whichever
# identifier was typed: username, NIK, e-mail, phone), from any address, the account is locked for
# PAMONG_LOCKOUT_MINUTES; after PAMONG_LOGIN_FAILURE_LIMIT_PER_ADDRESS failures from one address, that address
# is. The lockout table holds "account:<id>" or an HMAC of what was typed, never a NIK. The lockout page is
# accounts/locked.html, answered with 429.
AXES_FAILURE_LIMIT = int(os.environ.get("PAMONG_LOGIN_FAILURE_LIMIT", 5))
PAMONG_LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("PAMONG_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 50))
AXES_COOLOFF_TIME = int(os.environ.get("PAMONG_LOCKOUT_MINUTES", 15)) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "pamong.accounts.lockout.lockout_key"
AXES_HANDLER = "pamong.accounts.lockout.AccountAndAddressHandler"
# axes warns when ip_address is not a lockout parameter; the handler above counts each address on its own.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "pamong.accounts.views.locked_out"  # accounts/locked.html, 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PAMONG_PROXY_COUNT", 0)) or None

# Cache: rate limits and throttles. Per-process memory by default; Redis (shared by every process) when set.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pamong"}}
# Rate limits, "count/period" (s, m, h, d); sign-in is limited by axes. apply: per account, the web form and
# POST /api/v1/applications; public: per IP address, catalog, audit, algorithm register; login_code: per account;
# activation: per IP address, attempts to activate a counter-made account; self_service: per IP address,
# self-registration and forgotten-password requests.
PAMONG_RATE_LIMITS = {
    "apply": os.environ.get("PAMONG_RATE_APPLY", "20/h"),
    "public": os.environ.get("PAMONG_RATE_PUBLIC", "300/m"),
    "login_code": os.environ.get("PAMONG_RATE_LOGIN_CODE", "5/h"),
    "activation": os.environ.get("PAMONG_RATE_ACTIVATION", "10/h"),
    "self_service": os.environ.get("PAMONG_RATE_SELF_SERVICE", "10/h"),
    # Machine clients (pamong.clients): every request of one client (a client may have its own rate), and token
    # requests per IP address (guessing a client secret).
    "client": os.environ.get("PAMONG_RATE_CLIENT", "600/m"),
    "client_token": os.environ.get("PAMONG_RATE_CLIENT_TOKEN", "30/m"),
    "verify": os.environ.get("PAMONG_RATE_VERIFY", "60/m"),  # the public letter-verification page, per IP
}
# Web pages under a limit (pamong.core.ratelimit.RateLimitMiddleware): view name → (bucket, methods, per).
PAMONG_RATE_LIMITED_VIEWS = {
    "cases:apply": ("apply", ("POST",), "user"),
    "accounts:activate": ("activation", ("POST",), "ip"),
    "accounts:register": ("self_service", ("POST",), "ip"),
    "accounts:forgot-password": ("self_service", ("POST",), "ip"),
    "service-list": ("public", ("GET",), "ip"),
    "service-detail": ("public", ("GET",), "ip"),
    "oversight:register": ("public", ("GET",), "ip"),
    "oversight:register-detail": ("public", ("GET",), "ip"),
    "assistant:ask": ("public", ("POST",), "ip"),
    "documents:verify": ("verify", ("GET", "POST"), "ip"),
}

# An activation code printed at a counter lets the citizen choose a password for this many days.
PAMONG_ACTIVATION_CODE_DAYS = int(os.environ.get("PAMONG_ACTIVATION_CODE_DAYS", 14))
# A code sent online (self-registration, forgotten password) is valid this many minutes.
PAMONG_SELF_SERVICE_CODE_MINUTES = int(os.environ.get("PAMONG_SELF_SERVICE_CODE_MINUTES", 30))

# Retention (pamong retention apply): what the service standard no longer needs is removed.
PAMONG_RETENTION_DAYS = int(os.environ.get("PAMONG_RETENTION_DAYS", 5 * 365))  # finished applications
PAMONG_NOTIFICATION_RETENTION_DAYS = int(os.environ.get("PAMONG_NOTIFICATION_RETENTION_DAYS", 365))
PAMONG_ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("PAMONG_ACCESS_LOG_RETENTION_DAYS", 5 * 365))

# Optional sign-in with a national identity provider (OpenID Connect, mozilla-django-oidc). Off unless
# PAMONG_OIDC_ENABLED; the provider's NIK claim links the account (pamong.accounts.oidc).
PAMONG_OIDC_ENABLED = env_bool("PAMONG_OIDC_ENABLED", False)
if PAMONG_OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("pamong.accounts.oidc.NikClaimBackend")
    OIDC_RP_CLIENT_ID = os.environ.get("PAMONG_OIDC_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = os.environ.get("PAMONG_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("PAMONG_OIDC_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("PAMONG_OIDC_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("PAMONG_OIDC_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("PAMONG_OIDC_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("PAMONG_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SCOPES = os.environ.get("PAMONG_OIDC_SCOPES", "openid profile")
    OIDC_CREATE_USER = False  # only people who already have an account (matched by NIK) sign in
    PAMONG_OIDC_NIK_CLAIM = os.environ.get("PAMONG_OIDC_NIK_CLAIM", "nik")
    LOGIN_REDIRECT_URL_FAILURE = "/masuk/"

# Signed webhooks (pamong.notify.webhooks, docs/webhooks.md): timeout of one POST, attempts before a delivery is
# given up, first retry delay (doubling each time: 30 s, 1 min, 2 min, ... about 4 hours in all with 10 attempts).
# Plain http subscriber URLs only where allowed (development and tests; production requires https).
PAMONG_WEBHOOK_TIMEOUT = int(os.environ.get("PAMONG_WEBHOOK_TIMEOUT", 5))
PAMONG_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("PAMONG_WEBHOOK_MAX_ATTEMPTS", 10))
PAMONG_WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("PAMONG_WEBHOOK_RETRY_BASE_SECONDS", 30))
PAMONG_WEBHOOK_ALLOW_HTTP = env_bool("PAMONG_WEBHOOK_ALLOW_HTTP", False)

# Machine clients (pamong.clients, docs/api.md): OAuth 2.0 client credentials with django-oauth-toolkit. Tokens
# live PAMONG_CLIENT_TOKEN_SECONDS (1 hour); each client may ask only for the scopes it was given.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "applications:submit": "Submit applications on behalf of citizens, with their recorded consent",
        "applications:read": "Read the status and decision of the agency's applications",
        "registers:read": "Read reference registers",
        "complaints:submit": "Submit complaints (Open311 GeoReport v2)",
    },
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("PAMONG_CLIENT_TOKEN_SECONDS", 3600)),
    "SCOPES_BACKEND_CLASS": "pamong.clients.oauth.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "pamong.clients.oauth.ClientValidator",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "PKCE_REQUIRED": True,
}

# The assistant (pamong.assistant, docs/assistant.md): counter opening hours it tells (working days, local time),
# the agency that answers hand-overs no service points at, the shared secret of the messaging gateway's webhook
# (HMAC-SHA256; unset: the webhook refuses every call) and how long asked questions are kept (masked) to improve
# answers.
PAMONG_ASSISTANT_OFFICE_HOURS = tuple(
    dt.time.fromisoformat(part)
    for part in os.environ.get("PAMONG_ASSISTANT_OFFICE_HOURS", "08:00-16:00").split("-", 1)
)
PAMONG_ASSISTANT_DEFAULT_AGENCY = os.environ.get("PAMONG_ASSISTANT_DEFAULT_AGENCY", "")
PAMONG_ASSISTANT_WEBHOOK_SECRET = os.environ.get("PAMONG_ASSISTANT_WEBHOOK_SECRET", "")
# The messaging gateway's secret for staff replies (/api/v1/staffing/replies); empty: the webhook is off.
PAMONG_STAFF_REPLY_SECRET = os.environ.get("PAMONG_STAFF_REPLY_SECRET", "")
PAMONG_ASSISTANT_QUESTION_DAYS = int(os.environ.get("PAMONG_ASSISTANT_QUESTION_DAYS", 90))
# Staffing (docs/staffing.md): the cap on on-call hours per person in a 7-day week used by the rota solver.
PAMONG_ONCALL_CAP_HOURS = int(os.environ.get("PAMONG_ONCALL_CAP_HOURS", 48))
# Documents (pamong.documents): the agency's signing key and certificate as PKCS#12 (in production issued by
# BSrE), its passphrase and the root verifiers trust. Unset: a demo CA under var/ (production refuses it).
PAMONG_DOCUMENTS_SIGNING_P12 = os.environ.get("PAMONG_DOCUMENTS_SIGNING_P12", "")
PAMONG_DOCUMENTS_SIGNING_PASSPHRASE = os.environ.get("PAMONG_DOCUMENTS_SIGNING_PASSPHRASE", "")
PAMONG_DOCUMENTS_TRUST_ROOT = os.environ.get("PAMONG_DOCUMENTS_TRUST_ROOT", "")
# The document vault: how long a citizen's uploaded document is kept (then it must be uploaded again).
PAMONG_VAULT_RETENTION_DAYS = int(os.environ.get("PAMONG_VAULT_RETENTION_DAYS", 5 * 365))
# The public address printed in each letter's QR code (verification page /v/<code>): the site's own address.
PAMONG_PUBLIC_URL = PAMONG_BASE_URL

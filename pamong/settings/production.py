"""Production: secure defaults, and a refusal to start with unsafe values (see pamong.core.checks).

Behind a TLS proxy (the documented topology, docs/operations.md) the proxy says the request came over HTTPS in
the header named by PAMONG_PROXY_SSL_HEADER (default X-Forwarded-Proto: https); gunicorn trusts that header
only from PAMONG_FORWARDED_ALLOW_IPS."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
SECURE_SSL_REDIRECT = env_bool("PAMONG_SSL_REDIRECT", True)
_proxy_header = os.environ.get("PAMONG_PROXY_SSL_HEADER", "X-Forwarded-Proto: https")
if _proxy_header.strip():
    _name, _, _value = _proxy_header.partition(":")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"), _value.strip())
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("PAMONG_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
PAMONG_ENVIRONMENT = "production"

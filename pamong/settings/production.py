"""Production: secure defaults, and a refusal to start with unsafe values (see pamong.core.checks)."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
SECURE_SSL_REDIRECT = env_bool("PAMONG_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
PAMONG_ENVIRONMENT = "production"

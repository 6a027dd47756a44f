"""Production guard: refuse to start with unsafe settings, and say which (issue: accounts & data protection)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from pamong.core.defaults import DEFAULT_SECRET_KEY

# Secrets published in this repository (development defaults, test settings, the demo): never in production.
PUBLISHED_SECRETS = {
    "dGVzdC1vbmx5LWVkMjU1MTktc2VlZC0zMi1ieXRlcyE=",  # pamong.settings.test AUDIT_SIGNING_KEY
    "pamong-demo-2026",  # the demo accounts' password (pamong.site.demo)
    "PAMONGDEMOTOTPJAWABARATBANDUNG23",  # the demo staff TOTP secret
}


def production_problems() -> list[str]:
    problems = []
    if settings.DEBUG:
        problems.append("DJANGO_DEBUG is on")
    if not settings.SECRET_KEY or settings.SECRET_KEY == DEFAULT_SECRET_KEY or len(settings.SECRET_KEY) < 32:
        problems.append(
            "DJANGO_SECRET_KEY is missing, the development default, or shorter than 32 characters"
        )
    if not settings.AUDIT_SIGNING_KEY:
        problems.append(
            "PAMONG_AUDIT_SIGNING_KEY is missing: the development signing key must not sign in production"
        )
    if not settings.PAMONG_ENCRYPTION_KEYS or not settings.PAMONG_BLIND_INDEX_KEY:
        problems.append(
            "PAMONG_ENCRYPTION_KEYS or PAMONG_BLIND_INDEX_KEY is missing: personal data must not use the development keys"
        )
    secrets = {
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "PAMONG_AUDIT_SIGNING_KEY": settings.AUDIT_SIGNING_KEY,
        "PAMONG_BLIND_INDEX_KEY": settings.PAMONG_BLIND_INDEX_KEY,
        "PAMONG_ENCRYPTION_KEYS": settings.PAMONG_ENCRYPTION_KEYS,
    }
    published = [name for name, value in secrets.items() if value and value in PUBLISHED_SECRETS]
    if published:
        problems.append(f"{', '.join(published)}: a secret published with Pamong (demo or test) is in use")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL is missing or not PostgreSQL: production needs its PostgreSQL database")
    if not settings.REDIS_URL:
        problems.append(
            "PAMONG_REDIS_URL is missing: the job queue and rate limits need Redis shared by every process"
        )
    return problems


@register(deploy=False)
def check_production(app_configs, **kwargs) -> list[Error]:
    if settings.PAMONG_ENVIRONMENT != "production":
        return []
    return [
        Error(f"Unsafe production setting: {problem}", id="pamong.E001") for problem in production_problems()
    ]

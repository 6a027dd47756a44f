"""Production guard: refuse to start with unsafe settings, and say which (issue: accounts & data protection)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from pamong.core.defaults import DEFAULT_SECRET_KEY


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
    return problems


@register(deploy=False)
def check_production(app_configs, **kwargs) -> list[Error]:
    if settings.PAMONG_ENVIRONMENT != "production":
        return []
    return [
        Error(f"Unsafe production setting: {problem}", id="pamong.E001") for problem in production_problems()
    ]

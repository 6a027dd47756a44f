"""Optional sign-in with a national identity provider over OpenID Connect (mozilla-django-oidc), off unless
PAMONG_OIDC_ENABLED. The provider's NIK claim (PAMONG_OIDC_NIK_CLAIM, default "nik") is matched to an existing
account by its blind index; no account is created from a sign-in. The second factor still applies: staff give
their TOTP code after the provider, citizens who chose a code get one (pamong.accounts.middleware).

Settings (environment): PAMONG_OIDC_ENABLED, PAMONG_OIDC_CLIENT_ID, PAMONG_OIDC_CLIENT_SECRET,
PAMONG_OIDC_AUTHORIZATION_ENDPOINT, PAMONG_OIDC_TOKEN_ENDPOINT, PAMONG_OIDC_USER_ENDPOINT,
PAMONG_OIDC_JWKS_ENDPOINT, PAMONG_OIDC_SIGN_ALGO (RS256), PAMONG_OIDC_SCOPES ("openid profile"),
PAMONG_OIDC_NIK_CLAIM.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from pamong.core.crypto import blind_index

from .backends import looks_like_nik

REQUIRED = {
    "OIDC_RP_CLIENT_ID": "PAMONG_OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "PAMONG_OIDC_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "PAMONG_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "PAMONG_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "PAMONG_OIDC_USER_ENDPOINT",
}


def missing_settings() -> list[str]:
    missing = [env for name, env in REQUIRED.items() if not getattr(settings, name, "")]
    if getattr(settings, "OIDC_RP_SIGN_ALGO", "RS256").startswith(("RS", "ES")) and not getattr(
        settings, "OIDC_OP_JWKS_ENDPOINT", ""
    ):
        missing.append("PAMONG_OIDC_JWKS_ENDPOINT")
    return missing


@register()
def check_oidc(app_configs, **kwargs) -> list[Error]:
    if not settings.PAMONG_OIDC_ENABLED:
        return []
    return [
        Error(f"OpenID Connect is enabled but {name} is not set", id="pamong.E002")
        for name in missing_settings()
    ]


def nik_from_claims(claims: dict) -> str | None:
    value = str(claims.get(settings.PAMONG_OIDC_NIK_CLAIM, "")).replace(" ", "")
    return value if looks_like_nik(value) else None


if settings.PAMONG_OIDC_ENABLED:  # the library is imported only when the feature is on
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    class NikClaimBackend(OIDCAuthenticationBackend):
        def verify_claims(self, claims) -> bool:
            return nik_from_claims(claims) is not None

        def filter_users_by_claims(self, claims):
            nik = nik_from_claims(claims)
            if nik is None:
                return self.UserModel.objects.none()
            return self.UserModel.objects.filter(nik_index=blind_index(nik), is_active=True)

        def update_user(self, user, claims):
            return user  # the provider proves who it is; Pamong's own record is not overwritten

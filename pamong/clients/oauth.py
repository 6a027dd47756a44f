"""django-oauth-toolkit wired to Pamong's clients: a client gets a token only while active and only for the
scopes it was given; every token issued is an audit entry in the same transaction as the token row."""

from __future__ import annotations

from django.db import transaction
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import SettingsScopes

from . import services


def _client_scopes(application) -> list[str]:
    client = getattr(application, "api_client", None)
    return list(client.scopes) if client is not None and client.active else []


class ClientScopes(SettingsScopes):
    """A token may carry only its client's scopes; asking for none gives all of them."""

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return _client_scopes(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return _client_scopes(application)


class ClientValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        """Only Pamong's clients, and only active ones (a deactivated client's secret stops working at once)."""
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        client = getattr(request.client, "api_client", None)
        return client is not None and client.active

    def save_bearer_token(self, token, request, *args, **kwargs):
        with transaction.atomic():
            result = super().save_bearer_token(token, request, *args, **kwargs)
            services.record_token_issued(
                client=request.client.api_client,
                access_token=token["access_token"],
                scopes=str(token.get("scope", "")).split(),
                expires_in=int(token.get("expires_in", 0)),
            )
        return result

"""Bearer tokens of machine clients for the JSON API, and their per-client rate limit."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from pamong.core.errors import PermissionDenied
from pamong.core.ratelimit import hit, parse_rate

from . import selectors
from .models import ApiClient


class ClientToken(HttpBearer):
    """`Authorization: Bearer <token>` from POST /oauth/token/ (client credentials). An unknown, expired or
    revoked token, or one of a deactivated client, is a 401; a valid token without the operation's scope is a
    403 `insufficient_scope`. The client is `request.auth`."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        access = selectors.access_token_get(token)
        client = selectors.client_of(access) if access is not None else None
        if client is None or not client.active or not access.is_valid():
            return None
        if not access.allow_scopes([self.scope]) or self.scope not in client.scopes:
            raise PermissionDenied(
                _("This client's token does not have the scope %(scope)s.") % {"scope": self.scope},
                code="insufficient_scope",
            )
        return client


class ClientThrottle(BaseThrottle):
    """Every request of one client counts against its own rate (ApiClient.rate_limit), or the default
    PAMONG_RATE_LIMITS["client"]. Runs after authentication, so the client is known."""

    def __init__(self) -> None:
        self.seconds = 60

    def allow_request(self, request: HttpRequest) -> bool:
        client = getattr(request, "auth", None)
        if not isinstance(client, ApiClient):
            return True
        rate = client.rate_limit or settings.PAMONG_RATE_LIMITS["client"]
        self.seconds = parse_rate(rate)[1]
        return hit("client", f"client:{client.pk}", rate=rate)

    def wait(self) -> float | None:
        return float(self.seconds)

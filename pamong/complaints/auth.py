"""Machine clients for complaints: the bearer token (POST /oauth/token/, client credentials) of an active client
whose token and registration both carry the scope `complaints:submit`. The same key serves Open311's `api_key`
and the /api/v1/complaints endpoints, so one client setup works for both.

Read through oauth2_provider's models rather than pamong.clients (a module beside this one, not below it)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle
from oauth2_provider.models import AccessToken

from pamong.core.errors import PermissionDenied
from pamong.core.ratelimit import hit, parse_rate

SCOPE = "complaints:submit"


def _access(api_key: str) -> tuple[AccessToken | None, Any]:
    checksum = hashlib.sha256(api_key.encode("utf-8")).hexdigest()
    access = (
        AccessToken.objects.select_related("application__api_client__agency")
        .filter(token_checksum=checksum)
        .first()
    )
    client = getattr(access.application, "api_client", None) if access and access.application_id else None
    if client is None or not client.active or not access.is_valid():
        return None, None
    return access, client


def has_scope(access: AccessToken, client: Any) -> bool:
    return access.allow_scopes([SCOPE]) and SCOPE in client.scopes


def client_for(api_key: str) -> Any:
    """The machine client whose valid token is `api_key` and that may submit complaints; else None."""
    access, client = _access(api_key)
    return client if client is not None and has_scope(access, client) else None


class ComplaintsClientToken(HttpBearer):
    """Unknown, expired or revoked token, or a deactivated client: 401. A valid token without the scope: 403
    `insufficient_scope` (as pamong.clients answers). The client is `request.auth`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        access, client = _access(token)
        if client is None:
            return None
        if not has_scope(access, client):
            raise PermissionDenied(
                _("This client's token does not have the scope %(scope)s.") % {"scope": SCOPE},
                code="insufficient_scope",
            )
        return client


def actor_of(auth: Any) -> Any:
    """Who acts in the audit log: the signed-in person, or the client's stable label."""
    return getattr(auth, "actor", None) if is_client(auth) else auth


def is_client(auth: Any) -> bool:
    return hasattr(auth, "application_id") and hasattr(auth, "scopes")


class ComplaintsThrottle(BaseThrottle):
    """A client's every request counts against its own rate; a person's report submissions against "apply"."""

    def __init__(self) -> None:
        self.seconds = 60

    def allow_request(self, request: HttpRequest) -> bool:
        auth = getattr(request, "auth", None)
        if is_client(auth):
            rate = auth.rate_limit or settings.PAMONG_RATE_LIMITS["client"]
            self.seconds = parse_rate(rate)[1]
            return hit("client", f"client:{auth.pk}", rate=rate)
        if request.method == "POST" and getattr(auth, "pk", None):
            self.seconds = parse_rate(settings.PAMONG_RATE_LIMITS["apply"])[1]
            return hit("apply", f"user:{auth.pk}")
        return True

    def wait(self) -> float | None:
        return float(self.seconds)

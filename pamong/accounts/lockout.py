"""Sign-in lockout (django-axes) per account and per address (issue 21).

- Per account: whatever identifier was typed (username, NIK with any spacing, e-mail, phone) is resolved to its
  account first (`selectors.account_for_identifier`), so every road to one account shares one failure counter.
- For a name that reaches no account, the counter is keyed by an HMAC of what was typed (normalised), so the
  lockout table never holds a NIK, an e-mail address or a phone number in clear.
- Per address: PAMONG_LOGIN_FAILURE_LIMIT_PER_ADDRESS failures from one IP address within the cool-off lock
  that address for every account (higher than the per-account limit: a kelurahan office shares one address).
"""

from __future__ import annotations

import re

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

from pamong.core.crypto import blind_index

from .selectors import account_for_identifier


def typed_identifier(request, credentials: dict | None) -> str | None:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        return str(credentials[field])
    data = getattr(request, "POST", None) or {}
    value = data.get(field) if hasattr(data, "get") else None
    return None if value is None else str(value)


def lockout_key(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: "account:<id>" for a known account, else "typed:<HMAC of the normalised name>"."""
    typed = typed_identifier(request, credentials)
    if typed is None:
        return None
    user = account_for_identifier(typed)
    if user is not None:
        return f"account:{user.pk}"
    normalized = re.sub(r"[\s.-]", "", typed).casefold()
    return "typed:" + blind_index(normalized, purpose="login-name")


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler (lockout parameter: the account key above) plus a limit per address."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return self.address_failures(request) >= settings.PAMONG_LOGIN_FAILURE_LIMIT_PER_ADDRESS

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        # Axes flags the request (for its lockout page) only for the account's own limit; the address's too.
        limit = settings.PAMONG_LOGIN_FAILURE_LIMIT_PER_ADDRESS
        if (
            request is not None
            and not getattr(request, "axes_locked_out", False)
            and self.address_failures(request) >= limit
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    @staticmethod
    def address_failures(request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        threshold = get_cool_off_threshold(request)
        if threshold is not None:
            attempts = attempts.filter(attempt_time__gte=threshold)
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

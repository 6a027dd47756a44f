"""Personal data held by accounts: the account (name, e-mail, encrypted NIK), the access log, second-factor
devices and one-time codes; Django admin's log names staff accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Q

from pamong.core.personal_data import PersonalData, declare

from .models import AccessLog, ContactCode, LoginCode, TOTPDevice, User
from .selectors import access_log_of, staff_label


def export(user: User) -> dict[str, Any]:
    return {
        "account": {
            "username": user.username,
            "full_name": user.get_full_name(),
            "email": user.email,
            "nik": user.nik,
            "roles": user.role_names,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "access_log": [
            {"at": e.at.isoformat(), "by": staff_label(e.actor), "what": e.what, "why": e.why}
            for e in access_log_of(user)
        ],
    }


def erase(user: User) -> dict[str, int]:
    """The account stays as an empty shell (decisions and the audit log refer to it) that cannot sign in."""
    codes, _ = LoginCode.objects.filter(user=user).delete()
    ContactCode.objects.filter(user=user).delete()
    devices, _ = TOTPDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(
        first_name="",
        last_name="",
        email="",
        nik=None,
        nik_index=None,
        is_active=False,
        password=make_password(None),
    )
    return {"accounts_erased": 1, "login_codes_deleted": codes, "authenticators_deleted": devices}


def expire(now: dt.datetime, dry_run: bool) -> dict[str, int]:
    access_log = AccessLog.objects.filter(
        at__lt=now - dt.timedelta(days=settings.PAMONG_ACCESS_LOG_RETENTION_DAYS)
    )
    used_or_expired = now - dt.timedelta(days=1)
    login_codes = LoginCode.objects.filter(Q(used_at__lt=used_or_expired) | Q(expires_at__lt=used_or_expired))
    # Contact codes never verified go like sign-in codes; a verified one is the record that the address was
    # confirmed, kept while the account exists (erased with it).
    contact_codes = ContactCode.objects.filter(verified_at__isnull=True).filter(
        Q(used_at__lt=used_or_expired) | Q(expires_at__lt=used_or_expired)
    )
    counts = {
        "access_log_deleted": access_log.count(),
        "login_codes_deleted": login_codes.count(),
        "contact_codes_deleted": contact_codes.count(),
    }
    if not dry_run:
        access_log.delete()
        login_codes.delete()
        contact_codes.delete()
    return counts


declare(
    PersonalData(
        module="accounts",
        models=(
            "accounts.User",
            "accounts.AccessLog",
            "accounts.TOTPDevice",
            "accounts.LoginCode",
            "accounts.ContactCode",
            "admin.LogEntry",
        ),
        retention="accounts: while the person uses Pamong; access log PAMONG_ACCESS_LOG_RETENTION_DAYS; "
        "one-time codes one day after use or expiry; a verified contact's code while the account exists",
        export=export,
        erase=erase,
        expire=expire,
    )
)

"""Reads about a person: their account by NIK, the access log they may see, staff of an agency. The data-subject
export over every module is pamong.privacy."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from pamong.audit.models import AuditEntry
from pamong.core.crypto import blind_index
from pamong.core.errors import NotFound
from pamong.notify.models import Preference
from pamong.notify.services import normalize_phone, phone_key
from pamong.registry.nik import normalize_nik

from .models import AccessLog, User
from .roles import AGENCY_ROLES, ROLE_LABELS


def account_by_nik(nik: str) -> User | None:
    """The account of a NIK, as typed or copied (spaces, dots, dashes dropped), found by its keyed blind index
    (the NIK itself is encrypted and cannot be searched); None when there is none. Only citizens carry a NIK."""
    return User.objects.filter(nik_index=blind_index(normalize_nik(nik))).first()


def account_for_identifier(typed: str) -> User | None:
    """The account a sign-in identifier reaches, whichever way it is written: a NIK (any spacing), an e-mail
    address (any case), a phone number (08…, +62…, any spacing) or a username. All roads to one account lead
    here, so the lockout counts the account, not the spelling (issue 21). None when no single account fits."""
    text = (typed or "").strip()
    if not text:
        return None
    compact = re.sub(r"[\s.-]", "", text)
    if len(compact) == 16 and compact.isascii() and compact.isdigit():
        return account_by_nik(compact)
    if "@" in text:
        matches = list(User.objects.filter(email__iexact=text)[:2])
        return matches[0] if len(matches) == 1 else None
    by_name = User.objects.filter(username=text).first()
    if by_name is not None:
        return by_name
    phone = normalize_phone(text)
    if re.fullmatch(r"0[0-9]{7,14}", phone):
        owners = list(
            Preference.objects.filter(phone_index=phone_key(phone)).values_list("user_id", flat=True)[:2]
        )
        return User.objects.filter(pk=owners[0]).first() if len(owners) == 1 else None
    return None


def access_log_of(citizen: User) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(citizen=citizen).select_related("actor__agency").order_by("-at")


def staff_label(actor: User) -> str:
    """Officers are named by role and agency, as the citizen needs to know who looked and why."""
    agency = actor.agency.name if actor.agency else "Pamong"
    return f"{actor.get_full_name() or actor.username} ({', '.join(actor.role_names)}, {agency})"


def agency_staff(admin: User) -> QuerySet[User]:
    """The staff accounts of the administrator's agency, active ones first, by name."""
    return (
        User.objects.filter(agency_id=admin.agency_id, is_staff=True, is_superuser=False)
        .prefetch_related("groups")
        .select_related("totp_device")
        .order_by("-is_active", "first_name", "last_name", "username")
    )


def agency_role_names(member: User) -> list[str]:
    """The member's agency roles, in the order of roles.AGENCY_ROLES, read from prefetched groups."""
    held = {group.name for group in member.groups.all()}
    return [role for role in AGENCY_ROLES if role in held]


def managed_staff_member(admin: User, user_id: int) -> User:
    """One staff member of the administrator's agency; NotFound for anyone else (same answer as missing)."""
    member = agency_staff(admin).filter(pk=user_id).first()
    if member is None:
        raise NotFound(gettext_lazy("No such staff member in your agency."))
    return member


STAFF_EVENTS = {
    "accounts.account_created": gettext_lazy("Account created"),
    "accounts.role_changed": gettext_lazy("Roles changed"),
    "accounts.totp_enrolled": gettext_lazy("Authenticator enrolled"),
    "accounts.totp_reset": gettext_lazy("Authenticator reset"),
    "accounts.account_status_changed": gettext_lazy("Account activated or deactivated"),
    "accounts.password_reset": gettext_lazy("Password set by an administrator"),
    "accounts.password_changed": gettext_lazy("Password changed by its owner"),
}


def staff_history(member: User, limit: int = 20) -> list[dict[str, Any]]:
    """The latest account events of a staff member, read from the audit log (the one record of what happened)."""
    entries = AuditEntry.objects.filter(
        subject=f"accounts.user:{member.pk}", action__in=list(STAFF_EVENTS)
    ).order_by("-index")[:limit]
    entries = list(entries)
    ids = {int(e.actor.split(":")[1]) for e in entries if e.actor.startswith("user:")}
    names = {f"user:{u.pk}": u.get_full_name() or u.username for u in User.objects.filter(pk__in=ids)}
    return [
        {
            "at": e.created_at,
            "text": STAFF_EVENTS[e.action],
            "actor": names.get(e.actor, e.actor),
            "detail": _event_detail(e.data),
            "index": e.index,
        }
        for e in entries
    ]


def _event_detail(data: dict[str, Any]) -> str:
    if "added" in data:
        return f"+ {ROLE_LABELS.get(data['added'], data['added'])}"
    if "removed" in data:
        return f"− {ROLE_LABELS.get(data['removed'], data['removed'])}"
    return str(data.get("reason", ""))

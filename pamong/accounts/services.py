"""Writes to accounts: creating people and giving them roles, each recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from pamong.audit import services as audit
from pamong.catalog.models import Agency
from pamong.core.crypto import blind_index

from . import roles
from .models import User


def ensure_role_groups() -> None:
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)


def create_account(
    *,
    actor: Any,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None = None,
    full_name: str = "",
    nik: str | None = None,
) -> User:
    """A new account with one role. `password=None` makes an account that cannot sign in until it is claimed
    (a citizen served at a counter); `nik` is stored encrypted with its blind index."""
    if role not in roles.ALL_ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role in roles.STAFF_ROLES and role != roles.AUDITOR and agency is None:
        raise ValueError(f"role {role!r} needs an agency")
    first, _, last = full_name.partition(" ")
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            agency=agency,
            is_staff=role in roles.STAFF_ROLES,
            nik=nik,
            nik_index=blind_index(nik) if nik else None,
        )
        audit.record_event(
            actor=actor, action=audit.Action.ACCOUNT_CREATED, subject=f"accounts.user:{user.pk}"
        )
        assign_role(actor=actor, user=user, role=role)
    return user


def assign_role(*, actor: Any, user: User, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    with transaction.atomic():
        user.groups.add(group)
        audit.record_event(
            actor=actor,
            action=audit.Action.ROLE_CHANGED,
            subject=f"accounts.user:{user.pk}",
            data={"added": role, "agency": user.agency.slug if user.agency else None},
        )


def citizen_for_nik(*, actor: Any, nik: str, full_name: str) -> User:
    """The citizen account for a NIK, created (unable to sign in until claimed) if the citizen has none yet."""
    existing = User.objects.filter(nik_index=blind_index(nik)).first()
    if existing:
        return existing
    return create_account(
        actor=actor,
        username=f"warga-{blind_index(nik)[:12]}",
        password=None,
        role=roles.WARGA,
        full_name=full_name,
        nik=nik,
    )

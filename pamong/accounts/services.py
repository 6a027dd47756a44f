"""Writes to accounts: creating people and giving them roles, each recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from pamong.audit import services as audit
from pamong.catalog.models import Agency

from . import roles
from .models import User


def ensure_role_groups() -> None:
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)


def create_account(
    *, actor: Any, username: str, password: str, role: str, agency: Agency | None = None, full_name: str = ""
) -> User:
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

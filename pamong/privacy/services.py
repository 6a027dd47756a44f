"""Export, retention and erasure of personal data over every module's declaration (pamong.core.personal_data).

Each run is one transaction with one audit entry holding the counts; files are deleted after commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.personal_data import declarations

EXPORT_FORMAT = "pamong-data-export/1"


@dataclass(frozen=True)
class RetentionReport:
    """Counts by name (applications_cleared, notifications_deleted, ...) from every module, read as attributes."""

    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def __getattr__(self, name: str) -> int:
        try:
            return self.__dict__["counts"][name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, int | bool]:
        return {**self.counts, "dry_run": self.dry_run}


def export_personal_data(user) -> dict[str, Any]:
    """Everything Pamong holds about `user`, as JSON-ready data, for download (UU 27/2022 Art. 7–8)."""
    exported: dict[str, Any] = {"format": EXPORT_FORMAT}
    for declaration in declarations():
        if declaration.export is not None:
            exported.update(declaration.export(user))
    return exported


def apply_retention(*, actor, now: dt.datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Remove what every module holds past its retention period; `dry_run=True` counts and changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        counts: dict[str, int] = {}
        for declaration in declarations():
            if declaration.expire is not None:
                counts.update(declaration.expire(now, dry_run))
        report = RetentionReport(counts=counts, dry_run=dry_run)
        if not dry_run:
            audit.record_event(
                actor=actor,
                action=Action.RETENTION_APPLIED,
                subject="accounts.retention",
                data={**report.as_dict(), "cutoff_days": settings.PAMONG_RETENTION_DAYS},
            )
    return report


def erase_personal_data(user, *, actor, reason: str) -> dict[str, int]:
    """Erase what every module holds about a person, except what accountability needs (decision records, the
    audit log); the account remains as an empty shell that cannot sign in. One audit entry with the counts."""
    with transaction.atomic():
        counts: dict[str, int] = {}
        for declaration in declarations():
            if declaration.erase is not None:
                counts.update(declaration.erase(user))
        audit.record_event(
            actor=actor,
            action=Action.PERSONAL_DATA_ERASED,
            subject=f"accounts.user:{user.pk}",
            data={**counts, "reason": reason},
        )
    return counts

"""Retention (UU 27/2022 Art. 43–44: personal data is erased when its purpose is served). `apply_retention`
removes what the service standard no longer needs and keeps what accountability needs:

- applications finished (granted, refused, deemed granted) and untouched for PAMONG_RETENTION_DAYS: the form
  answers, statements, information answers and objection statements are cleared, the input facts of their
  decisions dropped, attached files deleted; the decision record (kind, outcome, reasons, legal basis, rule
  results, audit index) and the audit log (public entries hold digests only) stay;
- notifications older than PAMONG_NOTIFICATION_RETENTION_DAYS are deleted;
- the access log is kept PAMONG_ACCESS_LOG_RETENTION_DAYS, then deleted;
- used or expired sign-in codes are deleted after a day.

One audit entry per run with the counts; `dry_run=True` counts and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pamong.audit import services as audit

FINISHED = ("granted", "denied", "deemed_granted")


@dataclass(frozen=True)
class RetentionReport:
    applications_cleared: int
    attachments_deleted: int
    notifications_deleted: int
    access_log_deleted: int
    login_codes_deleted: int
    dry_run: bool

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


def _cutoff(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


def apply_retention(*, actor, now: dt.datetime | None = None, dry_run: bool = False) -> RetentionReport:
    from pamong.cases.models import Application, Attachment, Decision, InformationRequest, Objection
    from pamong.notify.models import Notification

    from .models import AccessLog, LoginCode

    now = now or timezone.now()
    old_applications = Application.objects.filter(
        status__in=FINISHED, updated_at__lt=_cutoff(now, settings.PAMONG_RETENTION_DAYS)
    )
    # The answers are encrypted (no lookup by content): read them to skip applications already cleared.
    with_files = set(old_applications.filter(attachments__isnull=False).values_list("pk", flat=True))
    application_ids = [
        application.pk
        for application in old_applications.only("pk", "form_data", "statement").iterator(chunk_size=1000)
        if application.form_data or application.statement or application.pk in with_files
    ]
    attachments = Attachment.objects.filter(application_id__in=application_ids)
    notifications = Notification.objects.filter(
        created_at__lt=_cutoff(now, settings.PAMONG_NOTIFICATION_RETENTION_DAYS)
    )
    access_log = AccessLog.objects.filter(at__lt=_cutoff(now, settings.PAMONG_ACCESS_LOG_RETENTION_DAYS))
    login_codes = LoginCode.objects.filter(
        Q(used_at__lt=now - dt.timedelta(days=1)) | Q(expires_at__lt=now - dt.timedelta(days=1))
    )
    report = RetentionReport(
        applications_cleared=len(application_ids),
        attachments_deleted=attachments.count(),
        notifications_deleted=notifications.count(),
        access_log_deleted=access_log.count(),
        login_codes_deleted=login_codes.count(),
        dry_run=dry_run,
    )
    if dry_run:
        return report
    files = list(attachments.values_list("file", flat=True))
    with transaction.atomic():
        # Queryset updates on purpose: retention is not a status change and must not touch `updated_at`.
        InformationRequest.objects.filter(application_id__in=application_ids).update(answer="")
        Objection.objects.filter(application_id__in=application_ids).update(statement="")
        Decision.objects.filter(application_id__in=application_ids).update(facts={})
        attachments.delete()
        Application.objects.filter(pk__in=application_ids).update(form_data={}, statement="")
        notifications.delete()
        access_log.delete()
        login_codes.delete()
        audit.record_event(
            actor=actor,
            action=audit.Action.RETENTION_APPLIED,
            subject="accounts.retention",
            data={**report.as_dict(), "cutoff_days": settings.PAMONG_RETENTION_DAYS},
        )
        transaction.on_commit(lambda: _delete_files(files))
    return report


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)

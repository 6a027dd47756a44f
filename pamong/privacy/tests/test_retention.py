"""`pamong retention apply`: finished applications past the retention period lose their personal content but keep
the decision record; old notifications and access-log entries go; one audit entry per run; --dry-run changes
nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from pamong.accounts import services as accounts
from pamong.accounts.models import AccessLog
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Application, Attachment, Decision
from pamong.cli import translate
from pamong.notify.models import Notification
from pamong.privacy.services import apply_retention

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400
SIX_YEARS_AGO = timezone.now() - dt.timedelta(days=6 * 365)


@pytest.fixture
def old_and_new(world, django_capture_on_commit_callbacks):
    """Siti's granted application from six years ago (with a document) and Bambang's from today."""
    form = {**world.forms[world.niks.WARGA_NIK], "declared_regency_code": "3204"}
    old, _ = cases.submit_application(
        actor=world.warga, service=world.bansos, applicant=world.warga, form=form
    )
    document = cases.attach_document(old, actor=world.warga, uploaded=SimpleUploadedFile("kk.pdf", PDF))
    cases.claim_application(old, actor=world.petugas)
    cases.decide_application(old, actor=world.petugas, outcome="DENY", reasons="Alamat berbeda dari KK.")
    accounts.record_personal_data_access(actor=world.petugas, citizen=world.warga, what="uji", why="uji")
    new, _ = cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
        idempotency_key="new",
    )
    Application.objects.filter(pk=old.pk).update(updated_at=SIX_YEARS_AGO)
    about_old = [n.pk for n in Notification.objects.all() if n.context.get("reference") == old.reference]
    Notification.objects.filter(pk__in=about_old).update(created_at=SIX_YEARS_AGO)
    AccessLog.objects.update(at=SIX_YEARS_AGO)
    return old, new, document


def _counts():
    return (
        Attachment.objects.count(),
        Notification.objects.count(),
        AccessLog.objects.count(),
        AuditEntry.objects.count(),
        sorted((a.reference, bool(a.form_data)) for a in Application.objects.all()),
    )


def test_a_dry_run_counts_and_changes_nothing(old_and_new):
    before = _counts()
    out = StringIO()
    call_command("retention_apply", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Would remove: 1 finished applications cleared, 1 attachments,")
    assert _counts() == before


def test_retention_clears_the_old_application_and_keeps_its_decision_record(
    old_and_new, django_capture_on_commit_callbacks
):
    old, new, document = old_and_new
    decision = Decision.objects.filter(application=old, final=True).get()
    name = document.file.name
    assert default_storage.exists(name)
    old_notifications = Notification.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=365)
    ).count()
    with django_capture_on_commit_callbacks(execute=True):
        report = apply_retention(actor="system:test")
    assert (report.applications_cleared, report.attachments_deleted, report.access_log_deleted) == (1, 1, 1)
    assert report.notifications_deleted == old_notifications > 0
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.form_data, old.statement, old.status) == ({}, "", "denied")
    assert new.form_data != {}
    kept = Decision.objects.get(pk=decision.pk)
    assert (kept.outcome, kept.reasons, kept.audit_index, kept.facts) == (
        "DENY",
        decision.reasons,
        decision.audit_index,
        {},
    )
    assert not Attachment.objects.filter(application=old).exists() and not default_storage.exists(name)
    entry = AuditEntry.objects.filter(action="accounts.retention_applied").get()
    assert entry.subject == "accounts.retention"
    # A second run finds nothing more to remove.
    again = apply_retention(actor="system:test")
    assert (again.applications_cleared, again.attachments_deleted, again.notifications_deleted) == (0, 0, 0)


def test_pamong_retention_apply_is_the_command():
    assert translate(["retention", "apply", "--dry-run"]) == ["retention_apply", "--dry-run"]

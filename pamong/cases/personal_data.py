"""Personal data held by cases: applications (form answers, statements, consent), decision records (the input
facts), information answers, objection statements and attached documents.

Retention (UU 27/2022 Art. 43–44): applications finished (granted, refused, deemed granted) and untouched for
PAMONG_RETENTION_DAYS lose their answers, statements, information answers, objection statements, the input facts
of their decisions and their files; the decision record (kind, outcome, reasons, legal basis, rule results, audit
index) and the audit log (digests only) stay, because accountability needs them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from pamong.core.personal_data import PersonalData, declare

from .models import (
    Application,
    Attachment,
    DataCorrectionRequest,
    Decision,
    InformationRequest,
    Objection,
    RefusalNotice,
)
from .selectors import applications_of

S = Application.Status
FINISHED = (S.GRANTED, S.DENIED, S.DEEMED_GRANTED)


def export(user) -> dict[str, Any]:
    return {"applications": [_application(application) for application in applications_of(user)]}


def _application(application: Application) -> dict[str, Any]:
    return {
        "reference": application.reference,
        "service": application.service.slug,
        "channel": application.channel,
        "status": application.status,
        "filed_at": application.filed_at.isoformat(),
        "form": application.form_data,
        "statement": application.statement,
        "consent": application.consent,
        "decisions": [
            {
                "kind": d.kind,
                "outcome": d.outcome,
                "final": d.final,
                "decided_at": d.decided_at.isoformat(),
                "reasons": d.reasons,
                "rules": d.evaluation.get("rules", []),
                "audit_index": d.audit_index,
            }
            for d in application.decisions.all()
        ],
        "refusal_notices": [
            {
                "issued_at": n.issued_at.isoformat(),
                "respond_by": n.respond_by.isoformat(),
                "status": n.status,
                "circumstance": n.circumstance,
                "response": n.response,
            }
            for n in application.refusal_notices.all()
        ],
        "data_corrections": [
            {"fact": c.fact, "source": c.source, "statement": c.statement, "status": c.status}
            for c in application.data_corrections.all()
        ],
        "documents": [
            {"name": a.original_name, "type": a.content_type, "sha256": a.sha256}
            for a in application.attachments.all()
        ],
    }


def erase(user) -> dict[str, int]:
    """The person's finished applications are cleared as retention would clear them; open ones are kept until
    decided (the agency still owes a decision), and are counted so the officer can say so."""
    finished = list(
        Application.objects.filter(applicant=user, status__in=FINISHED).values_list("pk", flat=True)
    )
    cleared = _clear(finished)
    open_applications = Application.objects.filter(applicant=user).exclude(status__in=FINISHED).count()
    return {**cleared, "applications_still_open": open_applications}


def expire(now: dt.datetime, dry_run: bool) -> dict[str, int]:
    old = Application.objects.filter(
        status__in=FINISHED, updated_at__lt=now - dt.timedelta(days=settings.PAMONG_RETENTION_DAYS)
    )
    # The answers are encrypted (no lookup by content): read them to skip applications already cleared.
    with_files = set(old.filter(attachments__isnull=False).values_list("pk", flat=True))
    ids = [
        application.pk
        for application in old.only("pk", "form_data", "statement").iterator(chunk_size=1000)
        if application.form_data or application.statement or application.pk in with_files
    ]
    if dry_run:
        return {
            "applications_cleared": len(ids),
            "attachments_deleted": Attachment.objects.filter(application_id__in=ids).count(),
        }
    return _clear(ids)


def _clear(application_ids: list) -> dict[str, int]:
    attachments = Attachment.objects.filter(application_id__in=application_ids)
    files = list(attachments.values_list("file", flat=True))
    # Queryset updates on purpose: clearing is not a status change and must not touch `updated_at`.
    InformationRequest.objects.filter(application_id__in=application_ids).update(answer="")
    Objection.objects.filter(application_id__in=application_ids).update(statement="")
    RefusalNotice.objects.filter(application_id__in=application_ids).update(response="")
    DataCorrectionRequest.objects.filter(application_id__in=application_ids).update(statement="")
    Decision.objects.filter(application_id__in=application_ids).update(facts={})
    deleted, _ = attachments.delete()
    Application.objects.filter(pk__in=application_ids).update(form_data={}, statement="")
    transaction.on_commit(lambda: _delete_files(files))
    return {"applications_cleared": len(application_ids), "attachments_deleted": deleted}


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


declare(
    PersonalData(
        module="cases",
        models=(
            "cases.Application",
            "cases.Decision",
            "cases.Discretion",
            "cases.InformationRequest",
            "cases.Objection",
            "cases.Attachment",
            "cases.RefusalNotice",
            "cases.DataCorrectionRequest",
            "cases.RuleFlag",
        ),
        retention="finished applications: PAMONG_RETENTION_DAYS after their last change, then answers, "
        "statements, input facts and files are cleared; decision records and the audit log stay",
        export=export,
        erase=erase,
        expire=expire,
    )
)

"""The document vault (once-only): a citizen uploads a KTP, a KK or a certificate once; every later application
offers it instead of asking again; another agency reads it only with the citizen's recorded consent. Writes carry
their audit entry in the same transaction (CONVENTIONS §2, §5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases import services as cases
from pamong.cases.vault import DocumentAsk, Offered
from pamong.core.crypto import encrypt_bytes
from pamong.core.errors import NotFound, ValidationFailed
from pamong.core.uploads import check_upload

from .models import VaultConsent, VaultDocument

T = VaultDocument.Type
# Which document types a service asks for, read from its requirements (the pack's text, UU 25/2009): a keyword
# table rather than a new pack field, so every shipped pack works unchanged.
REQUIREMENT_KEYWORDS = [
    (re.compile(r"\bKTP", re.IGNORECASE), T.KTP),
    (re.compile(r"Kartu Keluarga|\bKK\b", re.IGNORECASE), T.KK),
    (re.compile(r"akta kelahiran", re.IGNORECASE), T.BIRTH),
    (re.compile(r"ijazah", re.IGNORECASE), T.DIPLOMA),
]


def required_types(service) -> list[str]:
    found: list[str] = []
    for requirement in service.requirements or []:
        for pattern, doc_type in REQUIREMENT_KEYWORDS:
            if pattern.search(str(requirement)) and doc_type not in found:
                found.append(doc_type)
    return found


def held(user) -> list[VaultDocument]:
    today = timezone.localdate()
    return list(VaultDocument.objects.filter(owner=user, keep_until__gte=today))


def upload_document(*, actor, doc_type: str, uploaded, owner=None) -> VaultDocument:
    """Store an upload in the owner's vault (the actor's own, or — a counter officer scanning a paper document —
    the citizen's): type chosen, content checked (size, PDF/JPEG/PNG by its bytes), encrypted at rest, kept
    PAMONG_VAULT_RETENTION_DAYS."""
    owner = owner or actor
    if doc_type not in T.values:
        raise ValidationFailed(_("Choose the type of document."), code="document_type_required")
    if uploaded is None:
        raise ValidationFailed(_("Choose the file to upload."), code="file_required")
    head = uploaded.read(2048)
    checked = check_upload(name=uploaded.name or "", head=head, size=uploaded.size or 0)
    content = head + uploaded.read()
    now = timezone.now()
    with transaction.atomic():
        document = VaultDocument(
            owner=owner,
            uploaded_by=None if owner.pk == actor.pk else actor,
            doc_type=doc_type,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=now,
            keep_until=timezone.localdate() + dt.timedelta(days=settings.PAMONG_VAULT_RETENTION_DAYS),
        )
        document.file.save(
            f"{owner.pk}-{secrets.token_hex(8)}", ContentFile(encrypt_bytes(content)), save=False
        )
        document.save()
        audit.record_event(
            actor=actor,
            action=Action.VAULT_DOCUMENT_UPLOADED,
            subject=f"documents.vault:{owner.pk}",
            data={
                "document": document.pk,
                "type": doc_type,
                "sha256": document.sha256,
                "size": document.size,
            },
        )
    return document


def delete_document(document: VaultDocument, *, actor) -> None:
    if document.owner_id != actor.pk:
        raise NotFound(_("Document not found."), code="document_not_found")
    name = document.file.name
    with transaction.atomic():
        audit.record_event(
            actor=actor,
            action=Action.VAULT_DOCUMENT_DELETED,
            subject=f"documents.vault:{actor.pk}",
            data={"document": document.pk, "sha256": document.sha256},
        )
        document.delete()
        transaction.on_commit(lambda: document.file.storage.delete(name))


def give_consent(*, actor, agency) -> VaultConsent:
    with transaction.atomic():
        existing = VaultConsent.objects.filter(owner=actor, agency=agency, withdrawn_at__isnull=True).first()
        if existing:
            return existing
        consent = VaultConsent.objects.create(owner=actor, agency=agency, given_at=timezone.now())
        audit.record_event(
            actor=actor,
            action=Action.VAULT_CONSENT_GIVEN,
            subject=f"documents.vault:{actor.pk}",
            data={"agency": agency.slug},
        )
    return consent


def withdraw_consent(*, actor, agency) -> int:
    with transaction.atomic():
        count = VaultConsent.objects.filter(owner=actor, agency=agency, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        if count:
            audit.record_event(
                actor=actor,
                action=Action.VAULT_CONSENT_WITHDRAWN,
                subject=f"documents.vault:{actor.pk}",
                data={"agency": agency.slug},
            )
    return count


def has_consent(owner, agency) -> bool:
    return VaultConsent.objects.filter(owner=owner, agency=agency, withdrawn_at__isnull=True).exists()


def access_vault_document(actor, document_id) -> VaultDocument:
    """The owner reads their own; staff of an agency only with the owner's open consent for that agency. One
    404 for missing and forbidden (CONVENTIONS §4). A staff read is logged for the citizen."""
    document = VaultDocument.objects.select_related("owner").filter(pk=_int(document_id)).first()
    if document is None:
        raise NotFound(_("Document not found."), code="document_not_found")
    if document.owner_id == actor.pk:
        return document
    staff = bool(set(roles.roles_of(actor)) & set(roles.STAFF_ROLES))
    if not (staff and actor.agency_id and has_consent(document.owner, actor.agency)):
        raise NotFound(_("Document not found."), code="document_not_found")
    accounts.record_personal_data_access(
        actor=actor,
        citizen=document.owner,
        what=f"dokumen pribadi: {document.get_doc_type_display()}",
        why="membaca dokumen dengan persetujuan warga",
    )
    return document


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class VaultProvider:
    """Installed in pamong.cases.vault."""

    def documents_for(self, user, service) -> list[DocumentAsk]:
        wanted = required_types(service)
        if not wanted:
            return []
        documents = held(user)
        return [
            DocumentAsk(
                doc_type=doc_type,
                label=str(T(doc_type).label),
                offered=[
                    Offered(d.pk, d.original_name, timezone.localtime(d.uploaded_at).date())
                    for d in documents
                    if d.doc_type == doc_type
                ],
            )
            for doc_type in wanted
        ]

    def attach_chosen(self, application, *, actor, chosen: list[str]) -> int:
        """Attach the ticked vault documents to an application still open for documents (one decided at once
        needed none); each becomes an ordinary attachment through cases' own service, with its audit entry."""
        ids = [_int(value) for value in chosen]
        documents = VaultDocument.objects.filter(owner=actor, pk__in=ids)
        application.refresh_from_db()
        if application.status not in cases.OPEN_FOR_DOCUMENTS:
            return 0
        attached = 0
        for document in documents:
            upload = SimpleUploadedFile(
                document.original_name, document.read_content(), document.content_type
            )
            cases.attach_document(application, actor=actor, uploaded=upload)
            attached += 1
        return attached

    # --- the counter: an officer serving the citizen, with the citizen's consent; logged for the citizen ------

    def counter_offer(self, citizen) -> list[Offered]:
        return [
            Offered(d.pk, str(d.get_doc_type_display()), timezone.localtime(d.uploaded_at).date())
            for d in held(citizen)
        ]

    def document_types(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in T.choices]

    def counter_attach(self, application, *, actor, chosen: list[str], consent: dict) -> int:
        """Attach vault documents of the applicant the citizen agreed to; each read is in their access log."""
        citizen = application.applicant
        ids = [_int(value) for value in chosen]
        documents = [d for d in held(citizen) if d.pk in ids]
        if not documents:
            raise ValidationFailed(
                gettext("Tick the documents the citizen agreed to attach."), code="document_required"
            )
        cases.consent_for(application, actor=actor, consent=consent)  # no consent: nothing is read
        with transaction.atomic():
            for document in documents:
                _log_counter_access(
                    actor, document, why="dilampirkan ke permohonan di loket dengan persetujuan warga"
                )
                upload = SimpleUploadedFile(
                    document.original_name, document.read_content(), document.content_type
                )
                cases.attach_document(application, actor=actor, uploaded=upload, consent=consent)
        return len(documents)

    def counter_scan(self, application, *, actor, doc_type: str, uploaded, consent: dict) -> int:
        """A paper document the citizen brought, scanned at the counter: kept in their vault (offered on every
        later application) and attached to this case, in one transaction."""
        cases.consent_for(application, actor=actor, consent=consent)
        with transaction.atomic():
            document = upload_document(
                actor=actor, owner=application.applicant, doc_type=doc_type, uploaded=uploaded
            )
            _log_counter_access(
                actor, document, why="dipindai di loket ke Dokumen Saya dengan persetujuan warga"
            )
            uploaded.seek(0)  # the same bytes go to the case
            cases.attach_document(application, actor=actor, uploaded=uploaded, consent=consent)
        return 1


def _log_counter_access(actor, document: VaultDocument, *, why: str) -> None:
    with translation.override(
        "id"
    ):  # the citizen's log reads in Bahasa Indonesia, whatever the officer's page
        what = f"dokumen pribadi: {document.get_doc_type_display()}"
    accounts.record_personal_data_access(actor=actor, citizen=document.owner, what=what, why=why)

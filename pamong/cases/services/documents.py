"""Documents a citizen attaches to an open case (checked by size and by content before anything is stored)."""

from __future__ import annotations

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.crypto import encrypt_bytes
from pamong.core.errors import PermissionDenied, ValidationFailed
from pamong.core.uploads import check_upload

from .. import transitions
from ..models import Application, Attachment, Objection
from .common import S, locked, subject_of
from .counter import consent_for
from .notice import answer_with_document

MAX_ATTACHMENTS = 10
OPEN_FOR_DOCUMENTS = (S.UNDER_REVIEW, S.INFO_REQUESTED, S.OBJECTION, S.APPEAL, S.REFUSAL_NOTICE)


def attach_document(application: Application, *, actor, uploaded, consent: dict | None = None) -> Attachment:
    """Attach a file (a Django UploadedFile) while the case is open; during an objection or appeal it belongs
    to that objection. Size and type (by content) are checked first; nothing is stored if they fail. Any counter
    officer may attach for the citizen with their `consent` (recorded in the audit entry)."""
    head = uploaded.read(2048)
    checked = check_upload(name=uploaded.name or "", head=head, size=uploaded.size or 0)
    content = head + uploaded.read()
    with transaction.atomic():
        application = locked(application)
        on_behalf = None
        if actor.pk not in (application.applicant_id, application.assisted_by_id):
            if consent is None:
                raise PermissionDenied(
                    _("Only the applicant can attach documents."), code="not_the_applicant"
                )
            on_behalf = consent_for(application, actor=actor, consent=consent)
        transitions.require(application, *OPEN_FOR_DOCUMENTS)
        if application.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationFailed(
                _("At most %(count)s documents per application.") % {"count": MAX_ATTACHMENTS},
                code="too_many_files",
            )
        attachment = Attachment(
            application=application,
            objection=application.objections.filter(status=Objection.Status.PENDING).first(),
            uploaded_by=actor,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=timezone.now(),
        )
        # The file is personal data: stored encrypted at rest (AES-GCM, the project's keys); sha256 is of the plain.
        sealed = ContentFile(encrypt_bytes(content))
        attachment.file.save(f"{application.pk}-{secrets.token_hex(8)}", sealed, save=False)
        attachment.save()
        audit.record_event(
            actor=actor,
            action=Action.DOCUMENT_ATTACHED,
            subject=subject_of(application),
            data={
                "attachment": attachment.pk,
                "sha256": attachment.sha256,
                "type": checked.content_type,
                **({"on_behalf": on_behalf} if on_behalf else {}),
            },
        )
        if application.status == S.REFUSAL_NOTICE:  # a document is a response to the notice: a person decides
            answer_with_document(application)
    return attachment

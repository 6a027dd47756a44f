"""Pages: the citizen's letter download (beside the case page) and the public verification page /v/<code>
(no sign-in, no JavaScript, rate-limited per address by pamong.core.ratelimit). Thin: reads via selectors."""

from __future__ import annotations

import hashlib
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.cases.access import access_application_by_id
from pamong.core.errors import NotFound, ValidationFailed
from pamong.core.uploads import check_upload
from pamong.core.views import not_found

from . import selectors, signing
from .models import Letter

CODE_RE = re.compile(r"^[a-z2-7]{16,32}$")


@login_required
def application_letter(request: HttpRequest, application_id: str) -> HttpResponse:
    """The current signed letter of an application, to whoever may read the application (one 404 otherwise)."""
    try:
        application = access_application_by_id(request.user, application_id)
    except NotFound:
        return not_found(request)
    found = selectors.current_letter_pdf(application)
    if found is None:  # no final decision yet, or its letter is still being signed
        return render(request, "documents/no_letter.html", {"application": application}, status=409)
    letter, pdf = found
    if application.applicant_id != request.user.pk:  # staff reading a citizen's letter is logged for them
        accounts.record_personal_data_access(
            actor=request.user,
            citizen=application.applicant,
            what=f"permohonan {application.reference}: surat keputusan {letter.number}",
            why="mengunduh surat keputusan",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-{application.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def verify(request: HttpRequest, verification_code: str) -> HttpResponse:
    """Anyone checks a letter: status, issuer, type, number, date, the masked name as printed, the file's hash and
    its audit entry; uploading a PDF tells whether it is the very file issued."""
    code = verification_code
    letter = selectors.letter_by_code(code) if CODE_RE.match(code or "") else None
    if letter is None:
        return render(request, "documents/verify_unknown.html", status=404)
    context = {
        "letter": letter,
        "kind_text": Letter.Kind(letter.kind).label,
        "issued_audit": selectors.audit_link(letter.audit_index),
        "revoked_audit": selectors.audit_link(letter.revoke_audit_index),
        "replacement": letter.replaced_by,
    }
    status = 200
    if request.method == "POST":
        try:
            context["check"] = _check_file(request, letter)
        except ValidationFailed as exc:
            context["upload_error"] = exc.message
            status = exc.status
    return render(request, "documents/verify.html", context, status=status)


def _check_file(request: HttpRequest, letter: Letter) -> dict:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(_("Choose the PDF file of the letter to check."), code="file_required")
    head = upload.read(512)
    upload.seek(0)
    checked = check_upload(name=upload.name or "", head=head, size=upload.size)
    if checked.content_type != "application/pdf":
        raise ValidationFailed(
            _("This is not a PDF file. Upload the letter as the PDF you received."), code="not_a_pdf"
        )
    content = upload.read()
    same = bool(letter.sha256) and hashlib.sha256(content).hexdigest() == letter.sha256
    return {
        "same": same,
        "sha256": hashlib.sha256(content).hexdigest(),
        "signature": signing.validate(content) if not same else None,
    }


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    """Progress of batch issues (supervisors, agency administrators, auditors); reload to refresh, no JS."""
    if not set(roles.roles_of(request.user)) & {roles.SUPERVISOR, roles.ADMIN_INSTANSI, roles.AUDITOR}:
        return not_found(request)
    return render(request, "documents/batches.html", {"batches": selectors.batch_list()})

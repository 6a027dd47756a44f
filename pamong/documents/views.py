"""Pages: the citizen's letter download (beside the case page) and the public verification page /v/<code>
(no sign-in, no JavaScript, rate-limited per address by pamong.core.ratelimit). Thin: reads via selectors."""

from __future__ import annotations

import hashlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.cases.access import DECIDING_ROLES, access_application_by_id
from pamong.catalog.models import Agency
from pamong.core.errors import NotFound, PermissionDenied, ValidationFailed
from pamong.core.uploads import check_upload
from pamong.core.views import not_found

from . import selectors, services, signing, vault
from .models import Letter, LetterPreference, VaultConsent, VaultDocument

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


@login_required
def application_product(request: HttpRequest, application_id: str) -> HttpResponse:
    """The signed service product (e.g. the SKTM certificate) of a granted application, to whoever may read it."""
    try:
        application = access_application_by_id(request.user, application_id)
    except NotFound:
        return not_found(request)
    found = selectors.current_letter_pdf(application, document=Letter.Document.PRODUCT)
    if found is None:
        return render(request, "documents/no_letter.html", {"application": application}, status=409)
    _product, pdf = found
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="produk-{application.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def issue_product(request: HttpRequest, application_id: str) -> HttpResponse:
    """An officer's click on the case page: issue the service's product for a granted application."""
    try:
        application = access_application_by_id(request.user, application_id, for_decision=True)
    except (NotFound, PermissionDenied):  # one 404 for missing and not-yours (CONVENTIONS §4)
        return not_found(request)
    if not set(roles.roles_of(request.user)) & set(DECIDING_ROLES):
        return not_found(request)
    try:
        services.issue_product(application, actor=request.user)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("cases:case", application_id=application.pk)
    messages.success(request, _("The service product is being issued and signed."))
    return redirect("cases:case", application_id=application.pk)


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


# --- the document vault (once-only) -------------------------------------------------------------------------


def _is_citizen(user) -> bool:
    return roles.WARGA in roles.roles_of(user)


@login_required
def vault_page(request: HttpRequest) -> HttpResponse:
    """My documents: upload (type chosen, content checked), delete, and consent for agencies to read them."""
    if not _is_citizen(request.user):
        return not_found(request)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "upload":
                vault.upload_document(
                    actor=request.user,
                    doc_type=request.POST.get("doc_type", ""),
                    uploaded=request.FILES.get("file"),
                )
                messages.success(request, _("The document is kept in My documents."))
            elif action == "delete":
                vault.delete_document(
                    vault.access_vault_document(request.user, request.POST.get("document")),
                    actor=request.user,
                )
                messages.success(request, _("The document was deleted."))
            elif action == "language":
                services.choose_letter_language(actor=request.user, language=request.POST.get("language", ""))
                messages.success(request, _("Your letters will be issued in the language you chose."))
            elif action in ("consent", "withdraw"):
                agency = Agency.objects.filter(slug=request.POST.get("agency", "")).first()
                if agency is None:
                    raise ValidationFailed(_("Choose an agency."), code="agency_required")
                if action == "consent":
                    vault.give_consent(actor=request.user, agency=agency)
                else:
                    vault.withdraw_consent(actor=request.user, agency=agency)
            else:
                raise ValidationFailed(_("Unknown action."), code="unknown_action")
            return redirect("documents:vault")
        except (ValidationFailed, NotFound) as exc:
            errors[action or "upload"] = exc.message
            status = exc.status
    context = {
        "documents": vault.held(request.user),
        "issued": selectors.issued_to(request.user),
        "types": VaultDocument.Type.choices,
        "agencies": Agency.objects.order_by("name"),
        "consents": VaultConsent.objects.filter(owner=request.user, withdrawn_at__isnull=True).select_related(
            "agency"
        ),
        "errors": errors,
        "languages": LetterPreference.Language.choices,
        "letter_language": services.letter_language(request.user),
    }
    return render(request, "documents/vault.html", context, status=status)


@login_required
def vault_file(request: HttpRequest, document_id: str) -> HttpResponse:
    """A vault document's file, to its owner or to staff of an agency the owner consented to (one 404)."""
    try:
        document = vault.access_vault_document(request.user, document_id)
    except NotFound:
        return not_found(request)
    response = HttpResponse(document.read_content(), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.original_name}"'
    response["Cache-Control"] = "private, no-store"
    return response

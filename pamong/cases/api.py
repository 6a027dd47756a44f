"""Applications API. Citizens: /api/v1/applications (their own only); staff: /api/v1/staff/... (their agency).

Handlers are thin: parse, call one service or selector, shape the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Header, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit import services as audit
from pamong.catalog.selectors import service_get
from pamong.core.apiedge import session_auth
from pamong.core.errors import NotFound
from pamong.core.schemas import ErrorOut

from . import selectors, services
from .access import DECIDING_ROLES, access_application_by_id, access_objection_by_id, role_names
from .models import Application, Decision

citizen_router = Router(tags=["applications"], auth=session_auth)
staff_router = Router(tags=["staff"], auth=session_auth)

# Visible ASCII, 8 to 128 characters (a UUID is 36): a key of spaces or a one-letter key protects nothing.
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    pattern=r"^[\x21-\x7e]{8,128}$",
    description="8–128 visible ASCII characters, e.g. a UUID; the same key replays the first answer",
)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ApplicationIn(Schema):
    service: str = Field(max_length=50, description="slug of the service")
    form: dict[str, Any] = Field(description="values for the service's form fields")
    statement: str = Field("", max_length=4000)


class RuleResultOut(Schema):
    rule_id: str
    title: str
    status: str
    on_fail: str
    explanation: str
    legal_basis: str


class TimelineOut(Schema):
    at: dt.datetime
    action: str
    text: str
    audit_index: int


class DecisionOut(Schema):
    id: int
    kind: str
    kind_text: str
    outcome: str
    outcome_text: str
    final: bool
    decided_at: dt.datetime
    by_person: bool
    reasons: str
    legal_basis: str
    rule_set: str
    rules: list[RuleResultOut]
    audit_index: int | None


class ApplicationSummaryOut(Schema):
    id: UUID
    reference: str
    service: str
    status: str
    filed_at: dt.datetime
    decision_due: dt.date


class ApplicationOut(ApplicationSummaryOut):
    status_text: str
    service_name: str
    channel: str
    form: dict[str, Any]
    decision: DecisionOut | None
    timeline: list[TimelineOut]
    next_steps: list[str]


class StatementIn(Schema):
    statement: str = Field(max_length=4000)


class AnswerIn(Schema):
    answer: str = Field(max_length=4000)


class NoticeResponseIn(Schema):
    statement: str = Field(default="", max_length=4000)
    circumstance: str = Field(default="", max_length=20)  # disaster | moved | illness | data_error | other


class CorrectionIn(Schema):
    fact: str = Field(max_length=80)
    statement: str = Field(max_length=4000)


class CorrectionOut(Schema):
    id: int
    fact: str
    source: str
    status: str
    due: dt.date


class ObjectionOut(Schema):
    id: int
    stage: str
    status: str
    due: dt.date


def application_out(application: Application, *, decided: Decision | None = None) -> dict[str, Any]:
    """The API's view of an application. `decided`: the final decision this request has just recorded."""
    explained = selectors.page_explanation(application, known=decided)  # rule titles in the reader's language
    decision = explained.decision
    return {
        "id": application.pk,
        "reference": application.reference,
        "service": application.service.slug,
        "service_name": application.service.name,
        "status": application.status,
        "status_text": str(Application.Status(application.status).label),
        "channel": application.channel,
        "filed_at": application.filed_at,
        "decision_due": application.decision_due,
        "form": application.form_data,
        "decision": None
        if decision is None
        else {
            "id": decision.pk,
            "kind": decision.kind,
            "kind_text": explained.kind_text,
            "outcome": decision.outcome,
            "outcome_text": explained.outcome_text,
            "final": decision.final,
            "decided_at": decision.decided_at,
            "by_person": decision.decided_by_id is not None,
            "reasons": decision.reasons,
            "legal_basis": decision.legal_basis,
            "rule_set": explained.rule_set,
            "rules": explained.rules,
            "audit_index": decision.audit_index,
        },
        "timeline": selectors.timeline(application),
        "next_steps": selectors.next_steps(application),
    }


@citizen_router.post(
    "",
    response={200: ApplicationOut, 201: ApplicationOut, **ERRORS},
    summary="Apply for a service (send an Idempotency-Key header to make retries safe)",
)
def create_application(
    request: HttpRequest,
    payload: ApplicationIn,
    response: HttpResponse,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    if roles.WARGA not in role_names(request.user):  # staff apply for a citizen at the counter endpoint
        raise NotFound(_("Not found."), code="not_found")
    service = service_get(slug=payload.service)
    application, created = services.submit_application(
        actor=request.user,
        service=service,
        applicant=request.user,
        form=payload.form,
        statement=payload.statement,
        channel=Application.Channel.API,
        form_source="json",
        idempotency_key=idempotency_key or "",
    )
    return filing_answer(application, created)


def filing_answer(application: Application, created: bool) -> Status:
    """201 with the new application (its decision just taken, not read back), or 200 with a replayed one."""
    return Status(
        201 if created else 200,
        application_out(application, decided=application.decided_now if created else None),
    )


@citizen_router.get("", response=list[ApplicationSummaryOut], summary="My applications")
@paginate(LimitOffsetPagination)
def list_applications(request: HttpRequest):
    return [
        {**a.__dict__, "id": a.pk, "service": a.service.slug} for a in selectors.applications_of(request.user)
    ]


@citizen_router.get(
    "/{application_id}", response={200: ApplicationOut, **ERRORS}, summary="Status and explanation"
)
def get_application(request: HttpRequest, application_id: str):
    """The applicant's own view; staff who may read it see the same, and their reading is logged for the citizen."""
    application = access_application_by_id(request.user, application_id)
    accounts.record_personal_data_access(
        actor=request.user,
        citizen=application.applicant,
        what=f"permohonan {application.reference}: isian formulir dan keputusan",
        why="memeriksa permohonan melalui API",
    )
    return application_out(application)


@citizen_router.get(
    "/{application_id}/receipt", response={200: dict, **ERRORS}, summary="Decision receipt (JSON)"
)
def get_receipt(request: HttpRequest, application_id: str, decision: int | None = None):
    """The decision's audit entry with a signed tree head and inclusion proof, verifiable offline (docs/audit.md)."""
    application = access_application_by_id(request.user, application_id)
    decisions = application.decisions.exclude(audit_index=None)
    chosen = decisions.filter(pk=decision).first() if decision else decisions.filter(final=True).last()
    if chosen is None:
        raise NotFound(_("This application has no decision yet."), code="decision_not_found")
    return audit.build_receipt(index=chosen.audit_index)


@citizen_router.post("/{application_id}/information", response={200: ApplicationOut, **ERRORS})
def answer_information(request: HttpRequest, application_id: str, payload: AnswerIn):
    application = access_application_by_id(request.user, application_id)
    services.provide_information(application, actor=request.user, answer=payload.answer)
    return application_out(access_application_by_id(request.user, application_id))


@citizen_router.post("/{application_id}/objection", response={201: ObjectionOut, **ERRORS}, summary="Object")
def object_to_decision(request: HttpRequest, application_id: str, payload: StatementIn):
    application = access_application_by_id(request.user, application_id)
    return Status(201, services.file_objection(application, actor=request.user, statement=payload.statement))


@citizen_router.post(
    "/{application_id}/notice-response",
    response={200: ApplicationOut, **ERRORS},
    summary="Respond to a notice of intended refusal",
)
def respond_to_notice(request: HttpRequest, application_id: str, payload: NoticeResponseIn):
    """Words, a special circumstance, or both; the case then goes to an officer who must consider them."""
    application = access_application_by_id(request.user, application_id)
    services.respond_to_notice(
        application, actor=request.user, statement=payload.statement, circumstance=payload.circumstance
    )
    return application_out(access_application_by_id(request.user, application_id))


@citizen_router.post(
    "/{application_id}/data-correction",
    response={201: CorrectionOut, **ERRORS},
    summary="Say that a fact that decided the case is wrong",
)
def request_data_correction(request: HttpRequest, application_id: str, payload: CorrectionIn):
    application = access_application_by_id(request.user, application_id)
    return Status(
        201,
        services.request_data_correction(
            application, actor=request.user, fact=payload.fact, statement=payload.statement
        ),
    )


@citizen_router.post("/{application_id}/appeal", response={201: ObjectionOut, **ERRORS}, summary="Appeal")
def appeal_decision(request: HttpRequest, application_id: str, payload: StatementIn):
    application = access_application_by_id(request.user, application_id)
    return Status(201, services.file_appeal(application, actor=request.user, statement=payload.statement))


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    objection_id: int | None


@citizen_router.post(
    "/{application_id}/documents", response={201: AttachmentOut, **ERRORS}, summary="Attach a file"
)
def attach(request: HttpRequest, application_id: str, file: File[UploadedFile]):
    """PDF, JPEG or PNG (detected from the content), at most 5 MB; while the case or its objection is open."""
    application = access_application_by_id(request.user, application_id)
    return Status(201, services.attach_document(application, actor=request.user, uploaded=file))


@citizen_router.get("/{application_id}/documents", response={200: list[AttachmentOut], **ERRORS})
def list_documents(request: HttpRequest, application_id: str):
    return list(access_application_by_id(request.user, application_id).attachments.all())


@citizen_router.get("/{application_id}/documents/{attachment_id}/file", response={200: None, **ERRORS})
def download_document(request: HttpRequest, application_id: str, attachment_id: int):
    """The file itself, for whoever may read the application (the same 404 otherwise)."""
    application = access_application_by_id(request.user, application_id)
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("Document not found."), code="attachment_not_found")
    response = HttpResponse(attachment.read_content(), content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{attachment.original_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- staff ------------------------------------------------------------------------------------------------------


class QueueItemOut(Schema):
    id: UUID
    reference: str
    service: str
    status: str
    decision_due: dt.date
    working_days_left: int
    priority_score: int
    assigned_to: str | None


class DiscretionIn(Schema):
    purpose: Literal["smooth_government", "fill_legal_gap", "legal_certainty", "overcome_stagnation"]
    objective_reasons: str = Field(max_length=4000)
    legal_basis: str = Field(max_length=1000)
    conflict_of_interest: bool
    conflict_note: str = Field("", max_length=2000)


class DecideIn(Schema):
    outcome: Literal["GRANT", "DENY"]
    reasons: str = Field("", max_length=4000)
    legal_basis: str = Field("", max_length=1000)
    discretion: DiscretionIn | None = None


class MessageIn(Schema):
    message: str = Field(max_length=4000)


class ObjectionDecisionIn(Schema):
    overturn: bool
    reasons: str = Field(max_length=4000)


def _staff_only(request: HttpRequest) -> None:
    # The review queue is for deciding officers, as on the web (docs/security.md, the permissions table).
    if not request.user.agency_id or not role_names(request.user) & DECIDING_ROLES:
        raise NotFound(_("Not found."), code="not_found")


@staff_router.get("/queue", response={200: list[QueueItemOut], **ERRORS}, summary="Review queue of my agency")
@paginate(LimitOffsetPagination)
def get_queue(request: HttpRequest, service: str = ""):
    _staff_only(request)
    return [
        {
            "id": a.pk,
            "reference": a.reference,
            "service": a.service.slug,
            "status": a.status,
            "decision_due": a.decision_due,
            "working_days_left": selectors.sla_working_days_left(a),
            "priority_score": a.priority_score,
            "assigned_to": a.assigned_to.username if a.assigned_to else None,
        }
        for a in selectors.review_queue(request.user, service_slug=service[:50])
    ]


@staff_router.post("/applications/{application_id}/claim", response={200: ApplicationOut, **ERRORS})
def claim(request: HttpRequest, application_id: str):
    application = access_application_by_id(request.user, application_id, for_decision=True)
    return application_out(services.claim_application(application, actor=request.user))


@staff_router.post("/applications/{application_id}/decide", response={200: ApplicationOut, **ERRORS})
def decide(request: HttpRequest, application_id: str, payload: DecideIn):
    application = access_application_by_id(request.user, application_id, for_decision=True)
    discretion = services.DiscretionInput(**payload.discretion.dict()) if payload.discretion else None
    services.decide_application(
        application,
        actor=request.user,
        outcome=payload.outcome,
        reasons=payload.reasons,
        legal_basis=payload.legal_basis,
        discretion=discretion,
    )
    return application_out(access_application_by_id(request.user, application_id))


@staff_router.post(
    "/applications/{application_id}/request-information", response={200: ApplicationOut, **ERRORS}
)
def ask_information(request: HttpRequest, application_id: str, payload: MessageIn):
    application = access_application_by_id(request.user, application_id, for_decision=True)
    services.request_information(application, actor=request.user, message=payload.message)
    return application_out(access_application_by_id(request.user, application_id))


@staff_router.post("/objections/{objection_id}/decide", response={200: ApplicationOut, **ERRORS})
def decide_objection(request: HttpRequest, objection_id: int, payload: ObjectionDecisionIn):
    objection = access_objection_by_id(request.user, objection_id)
    services.decide_objection(
        objection, actor=request.user, overturn=payload.overturn, reasons=payload.reasons
    )
    return application_out(access_application_by_id(request.user, objection.application_id))


class CounterApplicationIn(ApplicationIn):
    nik: str = Field(min_length=16, max_length=16, pattern=r"^[0-9]{16}$")
    full_name: str = Field(max_length=200)
    consent_method: Application.ConsentMethod
    consent_statement: str = Field(max_length=1000)


@staff_router.post("/counter/applications", response={200: ApplicationOut, 201: ApplicationOut, **ERRORS})
def counter_apply(
    request: HttpRequest,
    payload: CounterApplicationIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """A counter officer (Mal Pelayanan Publik) applies on a citizen's behalf, with the citizen's consent."""
    application, created = services.submit_at_counter(
        actor=request.user,
        service=service_get(slug=payload.service),
        nik=payload.nik,
        full_name=payload.full_name,
        form=payload.form,
        statement=payload.statement,
        consent_method=payload.consent_method,
        consent_statement=payload.consent_statement,
        idempotency_key=idempotency_key or "",
        form_source="json",
    )
    return filing_answer(application, created)

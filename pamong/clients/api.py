"""The API for other systems. /api/v1/integrations/...: machine clients with a bearer token (scopes, their
agency only, a rate limit per client). /api/v1/webhooks: an agency administrator's subscribers (signed in).

Handlers are thin: parse, call one service or selector, shape the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status

from pamong.accounts import roles
from pamong.cases.models import Application
from pamong.core.apiedge import session_auth
from pamong.core.errors import NotFound
from pamong.core.schemas import ErrorOut

from . import selectors, services
from .auth import ClientThrottle, ClientToken
from .models import Event, Scope

integrations_router = Router(tags=["integrations"], throttle=ClientThrottle())
webhooks_router = Router(tags=["webhooks"], auth=session_auth)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OnBehalfIn(Schema):
    service: str = Field(max_length=50, description="slug of one of the client's agency's services")
    nik: str = Field(min_length=16, max_length=16, pattern=r"^[0-9]{16}$")
    full_name: str = Field(max_length=200)
    form: dict[str, Any] = Field(description="values for the service's form fields")
    statement: str = Field("", max_length=4000)
    consent_method: Literal["tanda_tangan", "lisan_disaksikan", "sidik_jari"]
    consent_statement: str = Field(max_length=1000, description="what the citizen agreed to, in their words")


class DecisionSummaryOut(Schema):
    kind: str
    outcome: str
    final: bool
    decided_at: dt.datetime
    audit_index: int | None


class StatusOut(Schema):
    id: UUID
    reference: str
    service: str
    status: str
    status_text: str
    channel: str
    filed_at: dt.datetime
    decision_due: dt.date
    decision: DecisionSummaryOut | None


def status_out(application) -> dict[str, Any]:
    decision = selectors.final_decision(application)
    return {
        "id": application.pk,
        "reference": application.reference,
        "service": application.service.slug,
        "status": application.status,
        "status_text": str(Application.Status(application.status).label),
        "channel": application.channel,
        "filed_at": application.filed_at,
        "decision_due": application.decision_due,
        "decision": None
        if decision is None
        else {
            "kind": decision.kind,
            "outcome": decision.outcome,
            "final": decision.final,
            "decided_at": decision.decided_at,
            "audit_index": decision.audit_index,
        },
    }


@integrations_router.post(
    "/applications",
    auth=ClientToken(Scope.SUBMIT),
    response={200: StatusOut, 201: StatusOut, **ERRORS},
    summary="Apply on behalf of a citizen, with their consent (scope applications:submit)",
)
def submit_on_behalf(
    request: HttpRequest,
    payload: OnBehalfIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
):
    application, created = services.submit_on_behalf(
        client=request.auth,
        service_slug=payload.service,
        nik=payload.nik,
        full_name=payload.full_name,
        form=payload.form,
        statement=payload.statement,
        consent_method=payload.consent_method,
        consent_statement=payload.consent_statement,
        idempotency_key=idempotency_key.strip(),
    )
    return Status(201 if created else 200, status_out(application))


@integrations_router.get(
    "/applications/{application_id}",
    auth=ClientToken(Scope.READ_STATUS),
    response={200: StatusOut, **ERRORS},
    summary="Status and decision of an application of my agency (scope applications:read)",
)
def application_status(request: HttpRequest, application_id: str):
    return status_out(selectors.access_application_for_client(request.auth, application_id))


class DatasetOut(Schema):
    name: str
    source: str
    sha256: str
    loaded_at: dt.datetime


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str
    dataset: DatasetOut


class PovertyLineOut(Schema):
    regency_code: str
    amount: int
    period: str
    effective_from: dt.date
    effective_until: dt.date | None
    source: str
    dataset: DatasetOut


@integrations_router.get(
    "/registers/regions/{code}",
    auth=ClientToken(Scope.READ_REGISTERS),
    response={200: RegionOut, **ERRORS},
    summary="A region (province, regency, district, village) with its source (scope registers:read)",
)
def region(request: HttpRequest, code: str):
    return selectors.region_get(code)


@integrations_router.get(
    "/registers/poverty-lines/{regency_code}",
    auth=ClientToken(Scope.READ_REGISTERS),
    response={200: PovertyLineOut, **ERRORS},
    summary="The poverty line of a regency in force on a date, today by default (scope registers:read)",
)
def poverty_line(request: HttpRequest, regency_code: str, on: dt.date | None = None):
    return selectors.poverty_line_on(regency_code, on or timezone.localdate())


# --- webhook subscribers (agency administrator) ------------------------------------------------------------


class WebhookIn(Schema):
    url: str = Field(max_length=500)
    events: list[Literal["application.status_changed", "application.decided"]] = Field(min_length=1)
    description: str = Field("", max_length=200)


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    created_at: dt.datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="whsec_...: shown this once; verify every delivery with it")


class AttemptOut(Schema):
    number: int
    at: dt.datetime
    status_code: int | None
    error: str
    duration_ms: int


class DeliveryOut(Schema):
    message_id: str
    event_type: str
    status: str
    attempts: int
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    next_attempt_at: dt.datetime
    last_error: str
    attempt_log: list[AttemptOut]


def _agency_admin(request: HttpRequest) -> int:
    """The administrator's agency; anyone else gets the 404 of a missing page (docs/security.md)."""
    if not request.user.agency_id or roles.ADMIN_INSTANSI not in roles.roles_of(request.user):
        raise NotFound(_("Not found."), code="not_found")
    return request.user.agency_id


def webhook_out(subscription) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "url": subscription.url,
        "description": subscription.description,
        "events": subscription.events,
        "active": subscription.active,
        "created_at": subscription.created_at,
    }


@webhooks_router.get(
    "", response={200: list[WebhookOut], **ERRORS}, summary="My agency's webhook subscribers"
)
def list_webhooks(request: HttpRequest):
    return [webhook_out(s) for s in selectors.webhooks_of(_agency_admin(request))]


@webhooks_router.post(
    "",
    response={201: WebhookCreatedOut, **ERRORS},
    summary="Register a subscriber (the secret is shown once)",
)
def create_webhook(request: HttpRequest, payload: WebhookIn):
    _agency_admin(request)
    subscription, secret = services.register_webhook(
        actor=request.user,
        agency=request.user.agency,
        url=payload.url,
        events=[Event(e) for e in payload.events],
        description=payload.description,
    )
    return Status(201, {**webhook_out(subscription), "secret": secret})


@webhooks_router.post(
    "/{webhook_id}/disable", response={200: WebhookOut, **ERRORS}, summary="Stop a subscriber"
)
def disable_webhook(request: HttpRequest, webhook_id: int):
    subscription = selectors.access_webhook_by_id(_agency_admin(request), webhook_id)
    return webhook_out(services.disable_webhook(subscription, actor=request.user))


@webhooks_router.get(
    "/{webhook_id}/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="The delivery log of a subscriber: every event and every attempt (newest 100)",
)
def webhook_deliveries(request: HttpRequest, webhook_id: int) -> HttpResponse:
    subscription = selectors.access_webhook_by_id(_agency_admin(request), webhook_id)
    return list(selectors.deliveries_of(subscription)[:100])

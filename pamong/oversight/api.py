"""Oversight API. Staff (analysts and supervisors of the agency; auditors read-only): mount `router` at
/api/v1/oversight. Public, no login: mount `public_router` at /api/v1/algorithms (the algorithm register).

Handlers are thin: parse, check access, call one selector or service, shape the answer.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from pamong.core.apiedge import session_auth
from pamong.core.errors import NotFound, PermissionDenied
from pamong.core.schemas import ErrorOut

from . import access, register, sandbox, selectors, services

router = Router(tags=["oversight"], auth=session_auth)
public_router = Router(tags=["algorithm register"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _viewer(request: HttpRequest) -> None:
    if not access.can_view(request.auth):
        raise PermissionDenied(
            _("The oversight pages are for analysts, supervisors and auditors."), code="oversight_only"
        )


def _period(days: int) -> selectors.Period:
    return selectors.last_days(max(1, min(days, 366)))


@router.get("/dashboard", response={200: dict[str, Any], **ERRORS}, url_name="oversight_dashboard")
def dashboard(request: HttpRequest, service: str, days: int = 30):
    """Outcomes per day, per rule and per region; referral, override and on-time rates; backlog; open breakers."""
    _viewer(request)
    return selectors.dashboard(access.access_service_by_slug(request.auth, service), _period(days))


@router.get("/fairness", response={200: dict[str, Any], **ERRORS})
def fairness(request: HttpRequest, service: str, days: int = 90, basis: str = "final"):
    """Grant rates per region, claimed sex and age band (from the NIK) and disability; four-fifths ratio."""
    _viewer(request)
    basis = "rules" if basis == "rules" else "final"
    return selectors.fairness(
        access.access_service_by_slug(request.auth, service), _period(days), basis=basis
    )


class BreakerOut(Schema):
    id: int
    service: str
    rule_id: str
    region_code: str | None
    opened_at: str
    automatic: bool
    reason: str
    statistics: dict[str, Any]
    closed_at: str | None
    close_justification: str


@router.get("/breakers", response={200: list[BreakerOut], **ERRORS})
def breakers(request: HttpRequest, service: str, open_only: bool = False):
    _viewer(request)
    found = access.access_service_by_slug(request.auth, service)
    rows = selectors.open_breakers(service=found) if open_only else selectors.breaker_list(service=found)
    return [selectors.breaker_dict(b) for b in rows]


class BreakerIn(Schema):
    service: str
    rule_id: str = Field(max_length=80)
    region_code: str | None = Field(None, max_length=10)
    reason: str = Field(max_length=4000)


@router.post("/breakers", response={201: BreakerOut, **ERRORS})
def open_breaker(request: HttpRequest, payload: BreakerIn):
    service = access.access_service_by_slug(request.auth, payload.service, for_write=True)
    breaker = services.open_breaker(
        service,
        rule_id=payload.rule_id,
        region_code=payload.region_code,
        actor=request.auth,
        reason=payload.reason,
    )
    return Status(201, selectors.breaker_dict(breaker))


class CloseIn(Schema):
    justification: str = Field(max_length=4000)


@router.post("/breakers/{breaker_id}/close", response={200: BreakerOut, **ERRORS})
def close_breaker(request: HttpRequest, breaker_id: int, payload: CloseIn):
    breaker = access.access_breaker_by_id(request.auth, breaker_id, for_write=True)
    return selectors.breaker_dict(
        services.close_breaker(breaker, actor=request.auth, justification=payload.justification)
    )


class RerunIn(Schema):
    service: str
    region_code: str = Field(max_length=10)


class RerunOut(Schema):
    service: str
    region_code: str
    candidates: int
    reopened: list[str]
    updated: list[str]
    unchanged: int
    skipped: int


@router.post("/rerun", response={200: RerunOut, **ERRORS})
def rerun(request: HttpRequest, payload: RerunIn):
    """Re-run the rules on a region's refusals after its data was fixed; wrong refusals are re-opened."""
    service = access.access_service_by_slug(request.auth, payload.service, for_write=True)
    return services.rerun_decisions(service, region_code=payload.region_code, actor=request.auth).__dict__


@router.get("/drafts/{draft_id}/simulation", response={200: dict[str, Any], **ERRORS})
def simulation(request: HttpRequest, draft_id: int):
    """The sandbox: the draft against the version in force on past applications (flips and per-group impact)."""
    draft = access.access_draft_by_id(request.auth, draft_id)
    result = sandbox.simulate_draft(draft)
    return {**result.summary(), "flips": result.flips[:1000]}


class JobOut(Schema):
    id: int
    kind: str
    status: str
    status_text: str
    total: int
    done: int
    changed: int
    percent: int
    error: str


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, url_name="oversight_job")
def job(request: HttpRequest, job_id: int):
    found = access.access_job_by_id(request.auth, job_id)
    return {
        "id": found.pk,
        "kind": found.kind,
        "status": found.status,
        "status_text": found.get_status_display(),
        "total": found.total,
        "done": found.done,
        "changed": found.changed,
        "percent": found.percent,
        "error": found.error,
    }


# --- public: the algorithm register ------------------------------------------------------------------------------
@public_router.get("", response=list[dict[str, Any]], summary="Automated services (algorithm register)")
def algorithms(request: HttpRequest):
    return register.register_list()


@public_router.get("/{slug}", response={200: dict[str, Any], 404: ErrorOut}, summary="One automated service")
def algorithm(request: HttpRequest, slug: str):
    entry = register.register_entry(slug)
    if entry is None:
        raise NotFound(_("Automated service not found."), code="algorithm_not_found")
    return entry

"""Catalog API: GET /api/v1/services and GET /api/v1/services/{slug} (public, no login)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from pamong.core.schemas import ErrorOut

from . import selectors
from .models import Service

router = Router(tags=["catalog"])


class AgencyOut(Schema):
    slug: str
    name: str
    name_en: str
    region_code: str
    region_name: str


class LegalBasisOut(Schema):
    title: str
    reference: str = ""


class ServiceSummaryOut(Schema):
    slug: str
    name: str
    name_en: str
    summary: str
    category: str
    agency: AgencyOut
    completion_days: int
    fee: int
    impact_level: int
    automated: bool


class ServiceOut(ServiceSummaryOut):
    summary_en: str
    keywords: list[str]
    requirements: list[str]
    procedure: list[str]
    fee_note: str
    product: str
    complaint_handling: str
    legal_basis: list[LegalBasisOut]
    facilities: list[str]
    staff_competence: str
    internal_supervision: str
    staff_count: str
    service_guarantee: str
    security_guarantee: str
    performance_evaluation: str
    decision_days: int
    objection_days: int
    appeal_days: int
    form_fields: list[dict]


@router.get("", response=list[ServiceSummaryOut], summary="List services (search with q, filter by agency)")
@paginate(LimitOffsetPagination)
def list_services(request: HttpRequest, q: str = "", agency: str = "") -> list[Service]:
    return selectors.service_list(query=q[:200], agency=agency[:50])


@router.get(
    "/{slug}", response={200: ServiceOut, 404: ErrorOut}, summary="One service and its service standard"
)
def get_service(request: HttpRequest, slug: str) -> Service:
    return selectors.service_get(slug=slug)

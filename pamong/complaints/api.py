"""File a report, read its status, list one's own, add photos. Two kinds of caller, each on its own path with one
authentication (so the published schema says exactly what each operation takes):
- /api/v1/complaints: a signed-in citizen (session);
- /api/v1/integrations/complaints: a machine client with a bearer token carrying the scope `complaints:submit`
  (a kiosk, another agency's system; the token Open311's `api_key` also takes); it reads only what it filed.
Errors in the project's one shape ({"code", "message", "details"}).

Handlers are thin: parse, call one service or selector, shape the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from pamong.accounts import roles
from pamong.catalog.models import Service
from pamong.core.apiedge import session_auth
from pamong.core.errors import NotFound
from pamong.core.schemas import ErrorOut

from . import pdfs, photos, selectors, services
from .auth import ComplaintsClientToken, ComplaintsThrottle, actor_of, is_client
from .models import Complaint

router = Router(tags=["complaints"], auth=session_auth, throttle=ComplaintsThrottle())
client_router = Router(tags=["integrations"], auth=ComplaintsClientToken(), throttle=ComplaintsThrottle())
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Privacy = Literal["public", "anonim", "rahasia"]


class ComplaintIn(Schema):
    service: str = Field(max_length=50, description="slug of the service the report is about")
    title: str = Field(max_length=150)
    description: str = Field(max_length=5000)
    kind: Literal["pengaduan", "aspirasi", "informasi"] = "pengaduan"
    privacy: Privacy = Field(
        "public", description="anonim: no agency user ever sees who reported; rahasia: not in the public list"
    )
    emergency: bool = Field(
        False, description="darurat: counted in clock hours, the officer on duty is alerted"
    )
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    region_code: str = Field("", max_length=20, description="Kemendagri region code, e.g. 32.73.01.1001")
    address: str = Field("", max_length=300)
    media_url: str = Field("", max_length=500, description="link to a photo (not for anonymous reports)")
    application: str = Field("", max_length=40, description="reference of the citizen's own application")
    contact: str = Field("", max_length=300, description="clients: the reporter's name, e-mail or phone")


class ComplaintOut(Schema):
    reference: str
    token: str = Field(description="Open311 token of the request")
    kind: str
    service: str
    agency: str
    title: str
    privacy: Privacy
    status: str
    status_text: str
    urgency: str
    received_at: dt.datetime
    due_at: dt.datetime
    answered_at: dt.datetime | None
    answer: str
    reopen_until: dt.date | None
    rating: int | None
    photos: int
    documents: int
    url: str


class PhotoOut(Schema):
    id: int
    content_type: str
    size: int
    width: int
    height: int
    sha256: str
    uploaded_at: dt.datetime


class DocumentOut(Schema):
    id: int
    content_type: str
    size: int
    pages: int
    sha256: str
    uploaded_at: dt.datetime


def complaint_out(complaint: Complaint) -> dict[str, Any]:
    """What the reporter (or the client that filed it) may read; never the reporter's identity or contact."""
    privacy = "anonim" if complaint.anonymous else "rahasia" if complaint.confidential else "public"
    return {
        "reference": complaint.reference,
        "token": complaint.token,
        "kind": complaint.kind,
        "service": complaint.service.slug,
        "agency": complaint.agency.slug,
        "title": complaint.title,
        "privacy": privacy,
        "status": complaint.status,
        "status_text": str(Complaint.Status(complaint.status).label),
        "urgency": complaint.urgency,
        "received_at": complaint.received_at,
        "due_at": complaint.due_at,
        "answered_at": complaint.answered_at,
        "answer": complaint.answer,
        "reopen_until": complaint.reopen_until,
        "rating": complaint.rating,
        "photos": complaint.photos.count(),
        "documents": complaint.documents.count(),
        "url": f"/pengaduan/l/{complaint.reference}/",
    }


def _report(request: HttpRequest, payload: ComplaintIn) -> tuple[services.Report, Any]:
    service = Service.objects.select_related("agency").filter(slug=payload.service).first()
    if service is None:
        raise NotFound(_("That service was not found."), code="service_not_found", status=422)
    client = is_client(request.auth)
    application = None if client else selectors.own_application(request.auth, payload.application)
    if payload.application and application is None:
        raise NotFound(_("That application was not found."), code="application_not_found", status=422)
    report = services.Report(
        service=service,
        title=payload.title,
        description=payload.description,
        kind=payload.kind,
        anonymous=payload.privacy == "anonim",
        confidential=payload.privacy == "rahasia",
        emergency=payload.emergency,
        latitude=payload.latitude,
        longitude=payload.longitude,
        region_code=payload.region_code.strip(),
        address=payload.address,
        media_url=payload.media_url.strip(),
        application=application,
        contact=payload.contact if client and payload.privacy != "anonim" else "",
    )
    return report, None if client else request.auth


def submit(request: HttpRequest, payload: ComplaintIn):
    if not is_client(request.auth) and roles.WARGA not in roles.roles_of(request.auth):
        raise NotFound("Tidak ditemukan.", code="not_found")  # staff file at the counter page
    report, reporter = _report(request, payload)
    complaint = services.submit_complaint(
        report, actor=actor_of(request.auth), reporter=reporter, channel=Complaint.Channel.API
    )
    return Status(201, complaint_out(complaint))


@paginate(LimitOffsetPagination)
def list_own(request: HttpRequest):
    return [complaint_out(c) for c in selectors.own_complaints(request.auth).prefetch_related("photos")]


def read(request: HttpRequest, reference: str):
    return complaint_out(selectors.access_own_complaint(request.auth, reference[:40]))


def add_photo(request: HttpRequest, reference: str, file: File[UploadedFile]):
    complaint = selectors.access_own_complaint(request.auth, reference[:40])
    content = file.read(photos.MAX_BYTES + 1)
    return Status(201, services.add_photo(complaint, actor=actor_of(request.auth), content=content))


def add_document(request: HttpRequest, reference: str, file: File[UploadedFile]):
    complaint = selectors.access_own_complaint(request.auth, reference[:40])
    content = file.read(pdfs.MAX_BYTES + 1)
    return Status(201, services.add_document(complaint, actor=actor_of(request.auth), content=content))


DOCUMENT_SUMMARY = (
    f"Add a document (PDF by content, ≤ {pdfs.MAX_BYTES // 2**20} MB, ≤ {pdfs.MAX_DOCUMENTS} per report, "
    "counted apart from photos); metadata such as the author is removed"
)
PHOTO_SUMMARY = (
    f"Add a photo (JPEG, PNG or WebP by content, ≤ {photos.MAX_BYTES // 2**20} MB, ≤ {photos.MAX_PHOTOS} per "
    "report); metadata such as the GPS position is removed"
)
# The same handlers on both paths; only the caller differs.
for _router, _who, _id in (
    (router, "a signed-in citizen", "complaints"),
    (client_router, "a client with complaints:submit", "integrations_complaints"),
):
    _router.post(
        "",
        response={201: ComplaintOut, **ERRORS},
        summary=f"File a report ({_who})",
        operation_id=f"{_id}_submit",
    )(submit)
    _router.get(
        "",
        response={200: list[ComplaintOut], **ERRORS},
        summary=f"Reports filed by {_who}",
        operation_id=f"{_id}_list",
    )(list_own)
    _router.get(
        "/{reference}",
        response={200: ComplaintOut, **ERRORS},
        summary="Status and answer",
        operation_id=f"{_id}_read",
    )(read)
    _router.post(
        "/{reference}/photos",
        response={201: PhotoOut, **ERRORS},
        summary=PHOTO_SUMMARY,
        operation_id=f"{_id}_add_photo",
    )(add_photo)
    _router.post(
        "/{reference}/documents",
        response={201: DocumentOut, **ERRORS},
        summary=DOCUMENT_SUMMARY,
        operation_id=f"{_id}_add_document",
    )(add_document)

"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) at /open311/v2/: JSON only.

Plain Django views rather than the django-ninja API: GeoReport fixes its own paths (".json" suffixes), its
form-encoded POST and its error shape (a JSON list of {"code", "description"} with the HTTP status), which are
not the project API's. The service codes are the catalog's service slugs; the mapping of statuses and fields is
in docs/complaints.md. Its texts follow the request's language like the project API's (ADR 51): Indonesian unless
the client asks for English in Accept-Language (or carries the language switch's cookie).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from pamong.catalog.models import Service
from pamong.core.errors import ApplicationError
from pamong.core.ratelimit import hit
from pamong.core.templatetags.pamong import loc

from . import photos, services
from .auth import client_for
from .models import Complaint

S = Complaint.Status
CLOSED = (S.ANSWERED, S.CLOSED, S.MERGED)  # Open311 "closed": the agency has answered
DEFAULT_DAYS = 90  # GeoReport v2: without dates, the last 90 days
MAX_REQUESTS = 1000  # ... and at most 1000 requests
STATUS_NOTES = {
    S.RECEIVED: gettext_lazy("Report received, awaiting verification."),
    S.VERIFIED: gettext_lazy("Report verified and classified."),
    S.FORWARDED: gettext_lazy("Report forwarded (disposition) to the officer or agency in charge."),
    S.IN_PROGRESS: gettext_lazy("The report is being followed up."),
    S.ANSWERED: gettext_lazy("The agency has answered the report."),
    S.CLOSED: gettext_lazy("Report closed."),
    S.MERGED: gettext_lazy("Report merged with another report of the same matter."),
}


def _attributes() -> list[dict[str, Any]]:
    """The service definition's attributes, in the request's language."""
    return [
        {
            "variable": True,
            "code": "title",
            "datatype": "string",
            "required": False,
            "datatype_description": _(
                "5–150 characters; without a title, the start of the description is used."
            ),
            "order": 1,
            "description": _("Title of the report (shown in the public list)"),
        },
        {
            "variable": True,
            "code": "kind",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 2,
            "description": _("Kind of report"),
            "values": [{"key": value, "name": str(label)} for value, label in Complaint.Kind.choices],
        },
        {
            "variable": True,
            "code": "privacy",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 3,
            "description": _("The reporter's choice of privacy"),
            "values": [
                {"key": "public", "name": _("Public")},
                {"key": "anonim", "name": _("Anonymous (the identity is never visible to the agency)")},
                {"key": "rahasia", "name": _("Confidential (not shown in the public list)")},
            ],
        },
        {
            "variable": True,
            "code": "region_code",
            "datatype": "string",
            "required": False,
            "datatype_description": _("Kemendagri region code, for example 32.73.01.1001."),
            "order": 4,
            "description": _("Region code (kelurahan/desa)"),
        },
    ]


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _w3c(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _service_json(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.slug,
        "service_name": loc(service, "name"),
        "description": loc(service, "summary"),
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(service.keywords or []),
        "group": service.agency.name,
    }


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri("/open311/v2/")
    return JsonResponse(
        {
            "changeset": "2026-11-30T00:00:00+07:00",
            "contact": _("See /kontak/"),
            "key_service": _(
                "API key: a client token (POST /oauth/token/, client credentials, scope complaints:submit)"
            ),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-11-30T00:00:00+07:00",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@require_GET
def service_list(request: HttpRequest) -> JsonResponse:
    rows = Service.objects.select_related("agency").order_by("slug")
    return JsonResponse([_service_json(service) for service in rows], safe=False)


@require_GET
def service_definition(request: HttpRequest, service_code: str) -> JsonResponse:
    if not Service.objects.filter(slug=service_code).exists():
        return _error(404, _("Unknown service_code."))
    return JsonResponse({"service_code": service_code, "attributes": _attributes()})


def _request_json(complaint: Complaint) -> dict[str, Any]:
    """The public face of a report: no reporter, no full text (the title stands for the description); an
    anonymous report's place is rounded to about 100 m and its address left out."""
    latitude, longitude = complaint.latitude, complaint.longitude
    if complaint.anonymous and latitude is not None:
        latitude, longitude = round(latitude, 3), round(longitude, 3)
    return {
        "service_request_id": complaint.reference,
        "status": "closed" if complaint.status in CLOSED else "open",
        "status_notes": str(STATUS_NOTES[complaint.status]),
        "service_name": loc(complaint.service, "name"),
        "service_code": complaint.service.slug,
        "description": complaint.title,
        "agency_responsible": complaint.agency.name,
        "service_notice": _notice(complaint),
        "requested_datetime": _w3c(complaint.received_at),
        "updated_datetime": _w3c(complaint.updated_at),
        "expected_datetime": _w3c(complaint.due_at),
        "address": "" if complaint.anonymous else complaint.address,
        "address_id": complaint.region_code,
        "zipcode": None,
        "lat": latitude,
        "long": longitude,
        "media_url": "" if complaint.anonymous else complaint.media_url,
    }


def _notice(complaint: Complaint) -> str:
    return _("Answered by %(due)s at the latest.") % {"due": _w3c(complaint.due_at)}


def _public():
    return Complaint.objects.filter(confidential=False).select_related("service", "agency")


def _parse_date(text: str) -> dt.datetime | bool | None:
    if not text:
        return None
    moment = parse_datetime(text.replace(" ", "+"))
    if moment is None or moment.tzinfo is None:
        return False
    return moment


@csrf_exempt
def requests(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _create(request)
    if request.method != "GET":
        return _error(405, _("Use GET or POST."))
    rows = _public()
    ids = [part.strip() for part in request.GET.get("service_request_id", "").split(",") if part.strip()]
    if ids:  # "all other parameters are ignored" when ids are given
        return JsonResponse(
            [_request_json(c) for c in rows.filter(reference__in=ids[:MAX_REQUESTS])], safe=False
        )
    codes = [part.strip() for part in request.GET.get("service_code", "").split(",") if part.strip()]
    if codes:
        rows = rows.filter(service__slug__in=codes)
    start, end = _parse_date(request.GET.get("start_date", "")), _parse_date(request.GET.get("end_date", ""))
    if start is False or end is False:
        return _error(
            400, _("Write start_date and end_date in W3C format, for example 2026-11-30T08:00:00+07:00.")
        )
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    if start:
        rows = rows.filter(received_at__gte=start)
    if end:
        rows = rows.filter(received_at__lte=end)
    statuses = {part.strip() for part in request.GET.get("status", "").split(",") if part.strip()}
    if statuses - {"open", "closed"}:
        return _error(400, _("status is only open or closed."))
    if statuses == {"open"}:
        rows = rows.exclude(status__in=CLOSED)
    elif statuses == {"closed"}:
        rows = rows.filter(status__in=CLOSED)
    return JsonResponse([_request_json(c) for c in rows.order_by("-received_at")[:MAX_REQUESTS]], safe=False)


def _create(request: HttpRequest) -> JsonResponse:
    data = request.POST
    header = request.headers.get("Authorization", "")
    api_key = data.get("api_key", "") or (header[7:] if header.startswith("Bearer ") else "")
    client = client_for(api_key) if api_key else None
    if client is None:
        return _error(403, _("The api_key is invalid, expired, or without the scope complaints:submit."))
    if not hit("client", f"client:{client.pk}", rate=client.rate_limit or None):
        return _error(429, _("Too many requests; try again in a moment."))
    service = Service.objects.select_related("agency").filter(slug=data.get("service_code", "")).first()
    if service is None:
        return _error(404, _("Unknown service_code."))
    try:
        latitude = float(data["lat"]) if data.get("lat") else None
        longitude = float(data["long"]) if data.get("long") else None
    except ValueError:
        return _error(400, _("lat and long are decimal numbers."))
    if latitude is None and not data.get("address_string") and not data.get("address_id"):
        return _error(400, _("Give the location: lat and long, address_string, or address_id."))
    description = data.get("description", "")
    privacy = data.get("attribute[privacy]", "public")
    if privacy not in ("public", "anonim", "rahasia"):
        return _error(400, _("attribute[privacy] is only public, anonim, or rahasia."))
    contact = " ".join(
        part
        for part in (
            data.get("first_name", ""),
            data.get("last_name", ""),
            data.get("email", ""),
            data.get("phone", ""),
        )
        if part
    )
    report = services.Report(
        service=service,
        title=data.get("attribute[title]", "") or description.strip()[:60],
        description=description,
        kind=data.get("attribute[kind]", Complaint.Kind.PENGADUAN),
        anonymous=privacy == "anonim",
        confidential=privacy == "rahasia",
        latitude=latitude,
        longitude=longitude,
        region_code=data.get("attribute[region_code]", "") or data.get("address_id", ""),
        address=data.get("address_string", "")[:300],
        media_url=data.get("media_url", "")[:500],
        contact="" if privacy == "anonim" else contact,
        # The photo itself, in a multipart POST (as FixMyStreet's and SeeClickFix's Open311 take `media`).
        photos=tuple(upload.read(photos.MAX_BYTES + 1) for upload in request.FILES.getlist("media")),
    )
    try:
        complaint = services.submit_complaint(report, actor=client.actor, channel=Complaint.Channel.OPEN311)
    except ApplicationError as exc:
        return _error(400 if exc.status == 422 else exc.status, str(exc.message))
    return JsonResponse(
        [
            {
                "service_request_id": complaint.reference,
                "token": complaint.token,
                "service_notice": _notice(complaint),
                "account_id": None,
            }
        ],
        status=201,
        safe=False,
    )


@require_GET
def request_detail(request: HttpRequest, service_request_id: str) -> JsonResponse:
    complaint = _public().filter(reference=service_request_id[:40]).first()
    if complaint is None:
        return _error(404, _("service_request_id not found."))
    return JsonResponse([_request_json(complaint)], safe=False)


@require_GET
def token_detail(request: HttpRequest, open311_token: str) -> JsonResponse:
    complaint = Complaint.objects.filter(token=open311_token[:40]).only("reference", "token").first()
    if complaint is None:
        return _error(404, _("token not found."))
    return JsonResponse([{"service_request_id": complaint.reference, "token": complaint.token}], safe=False)

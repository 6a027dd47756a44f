"""Complaint pages (Indonesian paths, no JavaScript): the report form, the reporter's pages, the staff inbox and
the public list. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.cases.models import Application
from pamong.catalog.models import Agency, Service
from pamong.core.errors import ApplicationError, NotFound
from pamong.core.views import not_found

from . import pdfs, photos, selectors, services
from .models import Complaint

PAGE_SIZE = 25


def _float(text: str) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _report(request: HttpRequest, application) -> tuple[services.Report | None, dict[str, str]]:
    post = request.POST
    service = Service.objects.select_related("agency").filter(slug=post.get("service", "")).first()
    errors: dict[str, str] = {}
    if service is None:
        errors["service"] = _("Choose the service the report is about.")
    latitude, longitude = _float(post.get("latitude", "")), _float(post.get("longitude", ""))
    if latitude != latitude or longitude != longitude:  # NaN: not a number
        errors["location"] = _("Coordinates are decimal numbers, e.g. -6.9147 and 107.6098.")
        latitude = longitude = None
    if errors:
        return None, errors
    return (
        services.Report(
            service=service,
            title=post.get("title", "")[:1000],
            description=post.get("description", "")[:6000],
            kind=post.get("kind", Complaint.Kind.PENGADUAN),
            anonymous=post.get("anonymous") == "1",
            confidential=post.get("confidential") == "1",
            emergency=post.get("emergency") == "1",
            latitude=latitude,
            longitude=longitude,
            region_code=post.get("region_code", "").strip()[:20],
            address=post.get("address", "")[:400],
            application=application,
            photos=_uploaded(request, "photos", photos.MAX_BYTES),
            documents=_uploaded(request, "documents", pdfs.MAX_BYTES),
        ),
        {},
    )


def _uploaded(request: HttpRequest, field: str, limit: int) -> tuple[bytes, ...]:
    # One byte past the limit is enough to refuse a file that is too large without reading all of it.
    return tuple(upload.read(limit + 1) for upload in request.FILES.getlist(field) if upload.size)


def _form_context(request: HttpRequest, application, **extra: Any) -> dict[str, Any]:
    return {
        "services": Service.objects.select_related("agency").order_by("name"),
        "kinds": Complaint.Kind.choices,
        "application": application,
        "values": request.POST
        if request.method == "POST"
        else {"service": application.service.slug if application else ""},
        "errors": {},
        "photo_limit": photos.MAX_PHOTOS,
        "photo_mb": photos.MAX_BYTES // (1024 * 1024),
        "document_limit": pdfs.MAX_DOCUMENTS,
        "document_mb": pdfs.MAX_BYTES // (1024 * 1024),
        **extra,
    }


@login_required
def new_complaint(request: HttpRequest) -> HttpResponse:
    if roles.WARGA not in roles.roles_of(request.user):
        return not_found(request)
    reference = (request.POST.get("application") or request.GET.get("permohonan") or "")[:40]
    application = selectors.own_application(request.user, reference)
    if request.method != "POST":
        return render(request, "complaints/new.html", _form_context(request, application))
    report, errors = _report(request, application)
    if report is not None and request.POST.get("send_anyway") != "1":
        duplicates = services.possible_duplicates(report)
        if duplicates:
            return render(
                request, "complaints/new.html", _form_context(request, application, duplicates=duplicates)
            )
    if report is not None:
        try:
            complaint = services.submit_complaint(report, actor=request.user, reporter=request.user)
        except ApplicationError as exc:
            errors = exc.details if isinstance(exc.details, dict) else {"form": str(exc.message)}
        else:
            messages.success(
                request, _("Your report was received. Its number is %(ref)s.") % {"ref": complaint.reference}
            )
            return redirect("complaints:detail", reference=complaint.reference)
    return render(
        request, "complaints/new.html", _form_context(request, application, errors=errors), status=422
    )


@login_required
def counter_complaint(request: HttpRequest) -> HttpResponse:
    """A counter officer records a report for a citizen in person, with the citizen's recorded consent."""
    if roles.PETUGAS_LOKET not in roles.roles_of(request.user):
        return not_found(request)
    context = _form_context(request, None, consent_methods=Application.ConsentMethod.choices)
    if request.method != "POST":
        return render(request, "complaints/counter.html", context)
    report, errors = _report(request, None)
    if report is not None:
        try:
            complaint = services.submit_at_counter(
                report,
                actor=request.user,
                nik=request.POST.get("nik", "")[:40],
                full_name=request.POST.get("full_name", "")[:200],
                consent_method=request.POST.get("consent_method", ""),
                consent_statement=request.POST.get("consent_statement", "")[:2000],
            )
        except ApplicationError as exc:
            errors = exc.details if isinstance(exc.details, dict) else {"form": str(exc.message)}
        else:
            messages.success(
                request, _("Your report was received. Its number is %(ref)s.") % {"ref": complaint.reference}
            )
            return redirect("complaints:counter")
    return render(request, "complaints/counter.html", {**context, "errors": errors}, status=422)


@login_required
def my_complaints(request: HttpRequest) -> HttpResponse:
    if roles.WARGA not in roles.roles_of(request.user):
        return not_found(request)
    page = Paginator(
        selectors.complaints_of(request.user).order_by("-received_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("halaman"))
    return render(request, "complaints/mine.html", {"page": page})


def _citizen_complaint(request: HttpRequest, reference: str) -> Complaint | None:
    try:
        return selectors.access_complaint_for_citizen(request.user, reference[:40])
    except NotFound:
        return None


def _detail_context(request: HttpRequest, complaint: Complaint, **extra: Any) -> dict[str, Any]:
    reporter = services.is_reporter(complaint, request.user)
    return {
        "complaint": complaint,
        "is_reporter": reporter,
        "can_respond": reporter and complaint.status == Complaint.Status.ANSWERED,
        "can_follow": roles.WARGA in roles.roles_of(request.user)
        and not reporter
        and not complaint.confidential
        and complaint.status not in (Complaint.Status.CLOSED, Complaint.Status.MERGED),
        "followers": complaint.followers.count(),
        "days": selectors.days_taken(complaint, timezone.now()),
        "photos": list(complaint.photos.all()) if reporter else [],
        "documents": list(complaint.documents.all()) if reporter else [],
        "error": "",
        **extra,
    }


def complaint_detail(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _citizen_complaint(request, reference)
    if complaint is None:
        return not_found(request)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


@require_POST
@login_required
def respond(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _citizen_complaint(request, reference)
    if complaint is None or not services.is_reporter(complaint, request.user):
        return not_found(request)
    try:
        if request.POST.get("choice") == "reopen":
            services.reopen_complaint(
                complaint, actor=request.user, reason=request.POST.get("reason", "")[:4000]
            )
        else:
            rating = request.POST.get("rating", "")
            services.rate_complaint(
                complaint,
                actor=request.user,
                rating=int(rating) if rating.isdigit() else 0,
                comment=request.POST.get("comment", "")[:4000],
            )
    except ApplicationError as exc:
        return render(
            request,
            "complaints/detail.html",
            _detail_context(request, complaint, error=exc.message),
            status=exc.status,
        )
    return redirect("complaints:detail", reference=complaint.reference)


@require_POST
@login_required
def follow(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _citizen_complaint(request, reference)
    if complaint is None or roles.WARGA not in roles.roles_of(request.user):
        return not_found(request)
    try:
        services.follow_complaint(complaint, actor=request.user)
    except ApplicationError as exc:
        return render(
            request,
            "complaints/detail.html",
            _detail_context(request, complaint, error=exc.message),
            status=exc.status,
        )
    messages.success(request, _("You follow this report; we will tell you of each step."))
    return redirect("complaints:detail", reference=complaint.reference)


def public_list(request: HttpRequest) -> HttpResponse:
    service_slug = request.GET.get("layanan", "")[:60]
    page = Paginator(selectors.public_complaints(service_slug=service_slug), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    now = timezone.now()
    rows = [{"complaint": c, "days": selectors.days_taken(c, now)} for c in page]
    try:
        days = int(request.GET.get("hari", 90))
    except ValueError:
        days = 90
    days = days if days in selectors.PERIODS else 90
    return render(
        request,
        "complaints/public.html",
        {
            "page": page,
            "rows": rows,
            "stats": selectors.statistics_by_category(service_slug=service_slug, days=days),
            "days": days,
            "periods": selectors.PERIODS,
            "service_slug": service_slug,
        },
    )


# --- staff ----------------------------------------------------------------------------------------------------
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not selectors.can_handle(request.user):
        return not_found(request)
    status = request.GET.get("status", "")[:20]
    page = Paginator(selectors.staff_complaints(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    return render(
        request,
        "complaints/inbox.html",
        {"page": page, "statuses": Complaint.Status.choices, "status": status, "now": timezone.now()},
    )


def _staff_complaint(request: HttpRequest, complaint_id: int) -> Complaint | None:
    try:
        return selectors.access_complaint_for_staff(request.user, complaint_id)
    except NotFound:
        return None


def _staff_context(request: HttpRequest, complaint: Complaint, **extra: Any) -> dict[str, Any]:
    report = services.Report(
        service=complaint.service,
        title=complaint.title,
        description=complaint.description,
        latitude=complaint.latitude,
        longitude=complaint.longitude,
        region_code=complaint.region_code,
    )
    return {
        "complaint": complaint,
        "urgencies": Complaint.Urgency.choices,
        "kinds": Complaint.Kind.choices,
        "officers": services.staff_of(complaint.agency, roles.PETUGAS, roles.SUPERVISOR),
        "agencies": Agency.objects.exclude(pk=complaint.agency_id).order_by("name"),
        "duplicates": [c for c in services.possible_duplicates(report) if c.pk != complaint.pk],
        "followers": complaint.followers.count(),
        "merged": complaint.merged.order_by(),
        "photos": list(complaint.photos.all()),
        "documents": list(complaint.documents.all()),
        "now": timezone.now(),
        "error": "",
        "form": "",
        **extra,
    }


@login_required
def staff_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _staff_complaint(request, complaint_id)
    if complaint is None:
        return not_found(request)
    if (
        complaint.reporter_id and not complaint.anonymous
    ):  # an anonymous reporter is never named, not even here
        accounts.record_personal_data_access(
            actor=request.user,
            citizen=complaint.reporter,
            what=f"pengaduan {complaint.reference}: nama pelapor dan isi laporan",
            why="menangani pengaduan (halaman petugas)",
        )
    return render(request, "complaints/staff_detail.html", _staff_context(request, complaint))


def _staff_step(request: HttpRequest, complaint_id: int, form: str, call) -> HttpResponse:
    complaint = _staff_complaint(request, complaint_id)
    if complaint is None:
        return not_found(request)
    try:
        call(complaint)
    except ApplicationError as exc:
        context = _staff_context(request, complaint, error=exc.message, form=form)
        return render(request, "complaints/staff_detail.html", context, status=exc.status)
    return redirect("complaints:staff-detail", complaint_id=complaint.pk)


@require_POST
@login_required
def verify(request: HttpRequest, complaint_id: int) -> HttpResponse:
    def call(complaint):
        services.verify_complaint(
            complaint,
            actor=request.user,
            urgency=request.POST.get("urgency", ""),
            kind=request.POST.get("kind") or None,
        )

    return _staff_step(request, complaint_id, "verify", call)


@require_POST
@login_required
def forward(request: HttpRequest, complaint_id: int) -> HttpResponse:
    def call(complaint):
        officer_id, agency_slug = request.POST.get("officer", ""), request.POST.get("agency", "")
        officer = User.objects.filter(pk=int(officer_id)).first() if officer_id.isdigit() else None
        agency = Agency.objects.filter(slug=agency_slug[:60]).first() if agency_slug else None
        services.forward_complaint(
            complaint,
            actor=request.user,
            officer=officer,
            agency=agency,
            note=request.POST.get("note", "")[:2000],
        )

    return _staff_step(request, complaint_id, "forward", call)


@require_POST
@login_required
def start(request: HttpRequest, complaint_id: int) -> HttpResponse:
    def call(complaint):
        services.start_complaint(complaint, actor=request.user, note=request.POST.get("note", "")[:4000])

    return _staff_step(request, complaint_id, "start", call)


@require_POST
@login_required
def answer(request: HttpRequest, complaint_id: int) -> HttpResponse:
    def call(complaint):
        services.answer_complaint(complaint, actor=request.user, answer=request.POST.get("answer", "")[:8000])

    return _staff_step(request, complaint_id, "answer", call)


@require_POST
@login_required
def merge(request: HttpRequest, complaint_id: int) -> HttpResponse:
    def call(complaint):
        target = Complaint.objects.filter(
            reference=request.POST.get("into", "").strip()[:40], agency_id=complaint.agency_id
        ).first()
        if target is None:
            raise NotFound(
                _("No open report of this agency has that number."), code="merge_target_not_found", status=422
            )
        services.merge_complaints(complaint, into=target, actor=request.user)

    return _staff_step(request, complaint_id, "merge", call)


# --- photos and documents (never public: the reporter and the agency's staff) ----------------------------------
def _file_response(complaint: Complaint, file_id: int, kind: str = "photos") -> HttpResponse | None:
    stored = getattr(complaint, kind).filter(pk=file_id).first()
    if stored is None:
        return None
    response = HttpResponse(stored.read_content(), content_type=stored.content_type)
    if kind == "photos":
        response["Content-Disposition"] = f'inline; filename="{complaint.reference}-{stored.pk}.jpg"'
    else:  # a PDF is downloaded, never rendered in the site's origin
        response["Content-Disposition"] = f'attachment; filename="{complaint.reference}-{stored.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def reporter_photo(request: HttpRequest, reference: str, photo_id: int, kind: str = "photos") -> HttpResponse:
    complaint = _citizen_complaint(request, reference)
    response = (
        _file_response(complaint, photo_id, kind)
        if complaint is not None and services.is_reporter(complaint, request.user)
        else None
    )
    return response or not_found(request)


@login_required
def staff_photo(request: HttpRequest, complaint_id: int, photo_id: int, kind: str = "photos") -> HttpResponse:
    complaint = _staff_complaint(request, complaint_id)
    response = _file_response(complaint, photo_id, kind) if complaint is not None else None
    return response or not_found(request)


def reporter_document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    return reporter_photo(request, reference, document_id, kind="documents")


def staff_document(request: HttpRequest, complaint_id: int, document_id: int) -> HttpResponse:
    return staff_photo(request, complaint_id, document_id, kind="documents")

"""Survey pages: the citizen's survey after a decision, the counter kiosk, and the agency's report per period
with its follow-up actions. Thin: check access, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pamong.cases.models import Application
from pamong.catalog.models import Service
from pamong.core.errors import ApplicationError, NotFound
from pamong.core.views import not_found

from . import access, reports, selectors, services
from .forms import PROFILE_FIELDS, clean_survey
from .ikm import ELEMENTS, SurveyError, parse_period
from .models import ELEMENT_LABELS, QUESTIONS, FollowUpAction, SurveyResponse

KIOSK_SALT = "pamong.surveys.kiosk"
KIOSK_MAX_AGE = 30 * 60  # a kiosk questionnaire is answered within half an hour of opening


def questions() -> list[dict[str, Any]]:
    return [
        {"name": name, "label": ELEMENT_LABELS[name], "question": QUESTIONS[name][0],
         "answers": list(enumerate(QUESTIONS[name][1], start=1))}
        for name in ELEMENTS
    ]  # fmt: skip


def profile_fields() -> list[dict[str, Any]]:
    labels = {
        "age_band": _("Age"),
        "sex": _("Sex"),
        "education": _("Education"),
        "occupation": _("Occupation"),
    }
    return [{"name": n, "label": labels[n], "choices": c.choices} for n, c in PROFILE_FIELDS.items()]


def _survey_context(values=None, error=None, **extra: Any) -> dict[str, Any]:
    return {
        "questions": questions(),
        "profile_fields": profile_fields(),
        "values": values or {},
        "error": error,
        **extra,
    }


def _error(exc: ApplicationError) -> dict[str, Any]:
    return {"message": exc.message, "fields": exc.details if isinstance(exc.details, dict) else {}}


# --- the citizen, after a decision -------------------------------------------------------------------------------


@login_required
def respond(request: HttpRequest, application_id: str) -> HttpResponse:
    try:
        application = access.own_application(request.user, application_id)
    except NotFound:
        return not_found(request)
    context = {"application": application, "action": reverse("surveys:respond", args=[application.pk])}
    try:
        services.check_can_respond(application)
    except ApplicationError as exc:
        return render(request, "surveys/closed.html", {**context, "reason": exc.message}, status=exc.status)
    if request.method != "POST":
        return render(request, "surveys/respond.html", _survey_context(**context))
    try:
        answers = clean_survey(request.POST)
        services.record_response(application, channel=SurveyResponse.Channel.WEB, answers=answers)
    except ApplicationError as exc:
        context = _survey_context(request.POST, _error(exc), **context)
        return render(request, "surveys/respond.html", context, status=exc.status)
    messages.success(request, _("Thank you. Your answers were recorded without your name."))
    return redirect("cases:application", application_id=application.pk)


# --- the counter kiosk -------------------------------------------------------------------------------------------


@login_required
def kiosk(request: HttpRequest) -> HttpResponse:
    """Step 1: the counter officer types the reference of a decided application. Step 2: the citizen answers on
    the same screen; the page carries only a signed, short-lived token of the application, never a name."""
    if not access.is_counter_officer(request.user):
        raise Http404
    if request.method != "POST":
        return render(request, "surveys/kiosk_start.html", {"reference": request.GET.get("ref", "")[:24]})
    if "token" not in request.POST:
        return _kiosk_open(request, request.POST.get("reference", "")[:24])
    try:
        application_id = signing.loads(request.POST["token"], salt=KIOSK_SALT, max_age=KIOSK_MAX_AGE)
        application = Application.objects.select_related("service__agency").get(
            pk=application_id, service__agency_id=request.user.agency_id
        )
    except (signing.BadSignature, Application.DoesNotExist, ValueError):
        context = {"error": {"message": _("The survey page expired. Type the reference number again.")}}
        return render(request, "surveys/kiosk_start.html", context, status=422)
    try:
        answers = clean_survey(request.POST)
        services.record_response(application, channel=SurveyResponse.Channel.KIOSK, answers=answers)
    except ApplicationError as exc:
        context = _survey_context(
            request.POST, _error(exc), application=application, token=request.POST["token"]
        )
        return render(request, "surveys/kiosk_survey.html", context, status=exc.status)
    return render(request, "surveys/kiosk_done.html")


def _kiosk_open(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        application = access.kiosk_application(request.user, reference)
        services.check_can_respond(application)
    except ApplicationError as exc:
        context = {"reference": reference, "error": {"message": exc.message}}
        return render(
            request, "surveys/kiosk_start.html", context, status=422 if exc.status == 404 else exc.status
        )
    token = signing.dumps(str(application.pk), salt=KIOSK_SALT)
    return render(request, "surveys/kiosk_survey.html", _survey_context(application=application, token=token))


# --- the agency's report -----------------------------------------------------------------------------------------


def default_period() -> str:
    return str(timezone.localdate().year)


def _report_context(request: HttpRequest) -> dict[str, Any]:
    """What the report shows for the agency, service and period the query names (404 for anyone who may not
    read it): the HTML page and the PDF read the same context, so they cannot disagree."""
    if not access.can_read_reports(request.user):
        raise Http404
    agencies = access.report_agencies(request.user)
    agency = agencies.filter(slug=request.GET.get("instansi", "")).first() or agencies.first()
    if agency is None:
        raise Http404
    services_qs = Service.objects.filter(agency=agency).order_by("name")
    service = services_qs.filter(slug=request.GET.get("layanan", "")).first()
    period_code = request.GET.get("periode") or default_period()
    try:
        period = parse_period(period_code)
    except SurveyError:
        period, period_code = parse_period(default_period()), default_period()
        messages.error(
            request, _("Unknown period; showing this year. Use 2026, 2026-S1, 2026-Q3 or 2026-11.")
        )
    scope = [service] if service else list(services_qs)
    survey = selectors.survey_of(scope, period)
    return {
        "agencies": agencies,
        "agency": agency,
        "services": services_qs,
        "service": service,
        "period": period,
        "period_code": period_code,
        "survey": survey,
        "elements": [(e, ELEMENT_LABELS[e.element]) for e in survey.result.elements],
        "weakest": [(e, ELEMENT_LABELS[e.element]) for e in survey.result.weakest()],
        "profile": selectors.profile_counts(scope, period),
        "profile_fields": profile_fields(),
        "comments": selectors.comments(scope, period),
        "monthly": selectors.monthly_ikm(scope, period),
        "followups": selectors.followups(agency=agency, service=service),
        "pdf_url": _report_url(agency, service, period_code, name="surveys:report-pdf"),
    }


@login_required
def report(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    agency = context["agency"]
    context |= {
        "can_record": access.can_record_followups(request.user, agency.pk),
        "element_choices": [(name, ELEMENT_LABELS[name]) for name in ELEMENTS],
        "statuses": FollowUpAction.Status.choices,
        "followup_error": None,
        "values": {},
    }
    return render(request, "surveys/report.html", context)


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The same report as PDF, for the head of the unit to sign and file (same readers as the HTML page)."""
    context = _report_context(request)
    context |= {"can_record": False, "printed_on": timezone.localdate()}
    service = context["service"]
    filename = reports.pdf_filename(context["agency"].slug, service and service.slug, context["period_code"])
    response = HttpResponse(reports.render_report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@require_POST
@login_required
def followup_create(request: HttpRequest) -> HttpResponse:
    agency = access.report_agencies(request.user).filter(pk=request.user.agency_id).first()
    if agency is None or not access.can_record_followups(request.user, agency.pk):
        raise Http404
    service = Service.objects.filter(agency=agency, slug=request.POST.get("layanan", "")).first()
    try:
        services.record_followup(
            actor=request.user,
            agency=agency,
            service=service,
            period=request.POST.get("periode", "")[:8],
            element=request.POST.get("element", ""),
            action=request.POST.get("action", "")[:2100],
            responsible=request.POST.get("responsible", "")[:210],
            due=_parse_date(request.POST.get("due", "")),
        )
    except ApplicationError as exc:
        fields = exc.details if isinstance(exc.details, dict) else {}
        for text in fields.values() or [exc.message]:
            messages.error(request, text)
        return redirect(_report_url(agency, service, request.POST.get("periode", "")), permanent=False)
    messages.success(
        request, _("The follow-up action was recorded. Publish it to show it on the public page.")
    )
    return redirect(_report_url(agency, service, request.POST.get("periode", "")))


@require_POST
@login_required
def followup_publish(request: HttpRequest, followup_id: int) -> HttpResponse:
    try:
        followup = access.access_followup_by_id(request.user, followup_id)
        status = request.POST.get("status") or None
        followup = services.publish_followup(followup, actor=request.user, status=status)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("surveys:report"))
    messages.success(request, _("The follow-up action is published."))
    return redirect(_report_url(followup.agency, followup.service, followup.period))


def _report_url(agency, service, period: str, *, name: str = "surveys:report") -> str:
    query = {"instansi": agency.slug, "periode": period}
    if service is not None:
        query["layanan"] = service.slug
    return reverse(name) + "?" + urlencode(query)

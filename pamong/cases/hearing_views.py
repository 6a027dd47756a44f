"""Pages for the right to be heard and the officers' voice (issue 13): the citizen answers a notice of intended
refusal or disputes a fact; an officer flags a rule or answers a correction request; a supervisor reviews the
diskresi register. Thin views over pamong.cases.services, plain forms (POST-redirect-GET), no JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pamong.accounts import roles
from pamong.core.errors import ApplicationError, NotFound, PermissionDenied
from pamong.core.views import not_found

from . import services, webforms
from .access import access_application_by_id, role_names
from .models import DataCorrectionRequest, Discretion
from .views import PAGE_SIZE, _case_context, _error_context, _staff_application, _status_context


def _citizen_form(request: HttpRequest, application_id: str, form: str, call) -> HttpResponse:
    try:
        application = access_application_by_id(request.user, application_id)
    except NotFound:
        return not_found(request)
    try:
        call(application)
    except PermissionDenied:
        return not_found(request)
    except ApplicationError as exc:
        context = _status_context(
            request, application, form_errors={form: _error_context(exc)}, values={form: request.POST}
        )
        return render(request, "cases/application_detail.html", context, status=exc.status)
    return redirect("cases:application", application_id=application.pk)


@require_POST
@login_required
def respond_to_notice(request: HttpRequest, application_id: str) -> HttpResponse:
    def call(application) -> None:
        services.respond_to_notice(
            application,
            actor=request.user,
            statement=request.POST.get("statement", "")[:4000],
            circumstance=request.POST.get("circumstance", "")[:20],
        )
        messages.success(request, _("Thank you. An officer will consider your response before deciding."))

    return _citizen_form(request, application_id, "notice", call)


@require_POST
@login_required
def dispute_fact(request: HttpRequest, application_id: str) -> HttpResponse:
    def call(application) -> None:
        services.request_data_correction(
            application,
            actor=request.user,
            fact=request.POST.get("fact", "")[:80],
            statement=request.POST.get("statement", "")[:4000],
        )
        messages.success(request, _("Your request was sent to the agency, which checks the data."))

    return _citizen_form(request, application_id, "correction", call)


def _staff_form(request: HttpRequest, application, form: str, call) -> HttpResponse:
    try:
        call()
    except ApplicationError as exc:
        context = _case_context(
            request, application, form_errors={form: _error_context(exc)}, values={form: request.POST}
        )
        return render(request, "cases/case_detail.html", context, status=exc.status)
    return redirect("cases:case", application_id=application.pk)


@require_POST
@login_required
def flag_rule(request: HttpRequest, application_id: str) -> HttpResponse:
    application = _staff_application(request, application_id)
    if application is None:
        return not_found(request)

    def call() -> None:
        services.flag_rule(
            application,
            actor=request.user,
            rule_id=request.POST.get("rule_id", "")[:80],
            reason=request.POST.get("reason", "")[:2000],
        )
        messages.success(request, _("Thank you. The analysts were told about this rule."))

    return _staff_form(request, application, "flag", call)


@require_POST
@login_required
def resolve_correction(request: HttpRequest, application_id: str, correction_id: int) -> HttpResponse:
    application = _staff_application(request, application_id)
    correction = (
        DataCorrectionRequest.objects.filter(pk=correction_id, application=application).first()
        if application
        else None
    )
    if correction is None:
        return not_found(request)
    corrected = request.POST.get("corrected", "")

    def call() -> None:
        services.resolve_data_correction(
            correction,
            actor=request.user,
            corrected=corrected == webforms.YES,
            resolution=request.POST.get("resolution", "")[:4000],
        )
        messages.success(request, _("The correction request was answered and the citizen is informed."))

    return _staff_form(request, application, "correction", call)


def _is_supervisor(user) -> bool:
    return bool(user.agency_id) and roles.SUPERVISOR in role_names(user)


@login_required
def discretion_register(request: HttpRequest) -> HttpResponse:
    if not _is_supervisor(request.user):
        return not_found(request)
    page = Paginator(services.discretion_register(request.user), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    context = {"page": page, "verdicts": Discretion.Verdict.choices, "form_errors": {}}
    return render(request, "cases/discretion_register.html", context)


@require_POST
@login_required
def review_discretion(request: HttpRequest, discretion_id: int) -> HttpResponse:
    if not _is_supervisor(request.user):
        return not_found(request)
    discretion = Discretion.objects.filter(
        pk=discretion_id, decision__application__service__agency_id=request.user.agency_id
    ).first()
    if discretion is None:
        return not_found(request)
    try:
        services.review_discretion(
            discretion,
            actor=request.user,
            verdict=request.POST.get("verdict", "")[:20],
            note=request.POST.get("note", "")[:2000],
        )
    except ApplicationError as exc:
        page = Paginator(services.discretion_register(request.user), PAGE_SIZE).get_page(1)
        context = {
            "page": page,
            "verdicts": Discretion.Verdict.choices,
            "form_errors": {discretion.pk: _error_context(exc)},
        }
        return render(request, "cases/discretion_register.html", context, status=exc.status)
    messages.success(request, _("The diskresi record was reviewed."))
    return redirect("cases:discretion-register")

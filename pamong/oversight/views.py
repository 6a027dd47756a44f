"""Oversight pages (Indonesian paths): the analysts' dashboard, breakers, fairness, the rule sandbox, the repair
re-run, and the public algorithm register. Thin: parse, call one selector or service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from pamong.accounts import roles
from pamong.core.errors import ApplicationError, NotFound
from pamong.core.formatting import format_number, format_significant
from pamong.registry.selectors import region_names

from . import access, charts, guard, register, sandbox, selectors, services
from .models import RuleSetDraft

OUTCOME_NAMES = {
    "GRANT": gettext_lazy("granted"),
    "REFER": gettext_lazy("to an officer"),
    "DENY": gettext_lazy("refused"),
}
PERIODS = (7, 30, 90)
FEATURE_TEXT = selectors.FEATURE_TEXT


def _viewer(request: HttpRequest) -> None:
    if not access.can_view(request.user):
        raise Http404


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("hari", 30))
    except ValueError:
        days = 30
    return days if days in PERIODS else 30


def _services_and_choice(request: HttpRequest):
    """The services this person may oversee, and the one chosen with ?layanan= (else the first)."""
    services_qs = access.visible_services(request.user)
    return services_qs, _service(request, services_qs)


def _service(request: HttpRequest, services_qs):
    slug = request.GET.get("layanan") or request.POST.get("layanan")
    if slug:
        try:
            return access.access_service_by_slug(request.user, slug)
        except NotFound:
            raise Http404 from None
    return services_qs.first()


def _feedback(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, str(exc.message))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    services_qs, service = _services_and_choice(request)
    days = _days(request)
    context: dict[str, Any] = {"services": services_qs, "service": service, "days": days, "periods": PERIODS}
    if service is not None:
        context.update(_dashboard_context(request, service, days))
    template = "oversight/_live.html" if request.GET.get("bagian") == "data" else "oversight/dashboard.html"
    return render(request, template, context)


def _dashboard_context(request: HttpRequest, service, days: int) -> dict[str, Any]:
    period = selectors.last_days(days)
    data = selectors.dashboard(service, period)
    labels = [dt.date.fromisoformat(d["day"]).strftime("%d/%m") for d in data["by_day"]]
    outcome_chart = charts.stacked_columns(
        "hasil-harian",
        gettext("Rule outcomes per day, last %(days)s days") % {"days": days},
        labels,
        {k: [d[k] for d in data["by_day"]] for k in ("GRANT", "REFER", "DENY")},
        names=OUTCOME_NAMES,
    )
    rules = [
        (
            r["title"],  # the rule's title in the reader's language, never its id (selectors.dashboard)
            (r["failed"] or 0) / r["n"] if r["n"] else None,
            gettext("%(rate)s failed of %(n)s")
            % {
                "rate": charts.percent((r["failed"] or 0) / r["n"] if r["n"] else None),
                "n": format_number(r["n"]),
            },
        )
        for r in data["rules"]
    ]
    breaking = {b["title"] for b in data["open_breakers"]}
    rule_chart = charts.rate_bars("gagal-aturan", gettext("Failure rate per rule"), rules, flagged=breaking)
    regions = [
        (
            r["region"] or gettext("unknown region"),
            r["denied"] / r["n"] if r["n"] else None,
            gettext("%(rate)s refused of %(n)s")
            % {"rate": charts.percent(r["denied"] / r["n"] if r["n"] else None), "n": r["n"]},
        )
        for r in data["by_region"]
    ]
    region_chart = charts.rate_bars("tolak-wilayah", gettext("Refusal rate per region"), regions)
    names = selectors_region_names([r["region"] for r in data["by_region"]])
    for row in data["by_region"]:
        row["name"] = names.get(row["region"], "")
    return {
        "data": data,
        "outcome_chart": outcome_chart,
        "rule_chart": rule_chart,
        "region_chart": region_chart,
        "referral_rate": charts.percent(data["referral_rate"]),
        "override_rate": charts.percent(data["override_rate"]),
        "sla_rate": charts.percent(data["sla"]["compliance"]),
        "breakers": selectors.breaker_list(service=service, limit=10),
        "can_act": access.can_act(request.user, service.agency_id),
        "voice": guard.dashboard_voice(service),
        "updated_at": timezone.localtime(),
    }


def selectors_region_names(codes: list[str]) -> dict[str, str]:
    return region_names([c for c in codes if c])


@login_required
def breaker_detail(request: HttpRequest, breaker_id: int) -> HttpResponse:
    try:
        breaker = access.access_breaker_by_id(request.user, breaker_id)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        try:
            breaker = access.access_breaker_by_id(request.user, breaker_id, for_write=True)
            services.close_breaker(
                breaker, actor=request.user, justification=request.POST.get("justification", "")
            )
        except ApplicationError as exc:
            _feedback(request, exc)
            return render(
                request,
                "oversight/breaker.html",
                {
                    "breaker": _in_readers_language(selectors.with_rule_titles([breaker])[0]),
                    "justification": request.POST.get("justification", ""),
                    "error": exc.message,
                },
                status=exc.status,
            )
        messages.success(request, gettext("Breaker closed; the rule applies in full again."))
        return redirect("oversight:breaker", breaker_id=breaker.pk)
    return render(
        request,
        "oversight/breaker.html",
        {
            "breaker": _in_readers_language(selectors.with_rule_titles([breaker])[0]),
            "can_act": access.can_act(request.user, breaker.service.agency_id),
        },
    )


def _in_readers_language(breaker):
    """An automatic breaker's reason is stored in Bahasa Indonesia; the page writes it again from its recorded
    figures in the reader's language. A reason an analyst typed is shown as it was written."""
    figures = breaker.statistics or {}
    breaker.reason_text = (
        services.spike_reason(breaker.rule_title, breaker.region_code or "", figures)
        if breaker.automatic and "recent_rate" in figures
        else breaker.reason
    )
    breaker.p_text = format_significant(figures.get("p_value"))
    return breaker


@login_required
def fairness(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    services_qs, service = _services_and_choice(request)
    days = _days(request)
    basis = "rules" if request.GET.get("dasar") == "aturan" else "final"
    context: dict[str, Any] = {"services": services_qs, "service": service, "days": days, "periods": PERIODS}
    if service is not None:
        report = selectors.fairness(service, selectors.last_days(days), basis=basis)
        for feature in report["features"]:
            feature["title"] = str(FEATURE_TEXT.get(feature["feature"], feature["feature"]))
            feature["chart"] = charts.rate_bars(
                f"adil-{feature['feature']}",
                gettext("Grant rate by %(feature)s") % {"feature": feature["title"].lower()},
                [
                    (
                        g["label"],
                        g["rate"],
                        (
                            gettext("%(rate)s of %(n)s (small sample)")
                            if g["small"]
                            else gettext("%(rate)s of %(n)s")
                        )
                        % {"rate": charts.percent(g["rate"]), "n": g["n"]},
                    )
                    for g in feature["groups"]
                ],
            )
            feature["ratio_text"] = charts.percent(feature["ratio"])
            feature["ratio_large_text"] = charts.percent(feature["ratio_large"])
            for group in feature["groups"]:
                group["rate_text"] = charts.percent(group["rate"])
        context.update({"report": report, "basis": basis})
    return render(request, "oversight/fairness.html", context)


@login_required
def sandbox_list(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    services_qs, service = _services_and_choice(request)
    context: dict[str, Any] = {"services": services_qs, "service": service}
    if request.method == "POST" and service is not None:
        try:
            service = access.access_service_by_slug(request.user, service.slug, for_write=True)
            if request.POST.get("pack_version"):  # a version loaded into the pack: into the four eyes
                draft = sandbox.propose_pack_version(
                    service, actor=request.user, version_id=request.POST["pack_version"]
                )
            else:
                draft = sandbox.create_draft(service, actor=request.user, yaml_text=_uploaded_yaml(request))
        except ApplicationError as exc:
            context.update(
                {
                    "error": exc.message,
                    "error_line": exc.details.get("line") if isinstance(exc.details, dict) else None,
                    "yaml_text": request.POST.get("yaml_text", ""),
                }
            )
            return render(
                request, "oversight/sandbox_list.html", {**context, **_drafts(service)}, status=exc.status
            )
        messages.success(
            request, gettext("Draft %(version)s saved. Check its simulation.") % {"version": draft.version_id}
        )
        return redirect("oversight:draft", draft_id=draft.pk)
    if service is not None:
        context.update(_drafts(service))
        context["can_act"] = access.can_act(request.user, service.agency_id)
        if context["can_act"] and request.GET.get("dari") == "berlaku":
            context["yaml_text"] = sandbox.text_in_force(service)
            context["started_from_force"] = True
    context["awaiting"] = selectors.drafts_awaiting(request.user)
    return render(request, "oversight/sandbox_list.html", context)


def _drafts(service) -> dict[str, Any]:
    return {
        "drafts": selectors.draft_list(service=service),
        "jobs": selectors.job_list(service=service),
        "pack_versions": sandbox.pending_pack_versions(service),
    }


def _uploaded_yaml(request: HttpRequest) -> str:
    upload = request.FILES.get("yaml_file")
    if upload is not None:
        if upload.size > 256_000:
            raise ApplicationError(
                gettext("The file is too large (at most 256 KB)."), code="file_too_large", status=422
            )
        return upload.read().decode("utf-8", errors="replace")
    return request.POST.get("yaml_text", "")


@login_required
def draft_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    try:
        draft = access.access_draft_by_id(request.user, draft_id)
    except NotFound:
        raise Http404 from None
    error, status = None, 422
    if request.method == "POST":
        try:
            if request.POST.get("action") == "setujui":
                effective = dt.date.fromisoformat(request.POST.get("effective_from", ""))
                sandbox.approve_draft(draft, actor=request.user, effective_from=effective)
                messages.success(request, gettext("Draft approved. It can now be published."))
            elif request.POST.get("action") == "publikasikan":
                draft = access.access_draft_by_id(request.user, draft_id, for_write=True)
                _, job = sandbox.publish_draft(
                    draft,
                    actor=request.user,
                    reevaluate_pending=bool(request.POST.get("reevaluate")),
                    fairness_justification=request.POST.get("fairness_justification", "")[:4000],
                )
                messages.success(request, gettext("Rule version published."))
                if job:
                    return redirect("oversight:job", job_id=job.pk)
            return redirect("oversight:draft", draft_id=draft.pk)
        except ValueError:
            error = "Tuliskan tanggal berlaku dalam bentuk TTTT-BB-HH."
        except ApplicationError as exc:
            error, status = exc.message, exc.status  # 403 for the author approving their own draft
        draft.refresh_from_db()
    try:
        result = sandbox.simulate_draft(draft)
    except ApplicationError as exc:
        result, error = None, error or exc.message
    user_roles = access.role_names(request.user)
    return render(
        request,
        "oversight/draft.html",
        {
            "draft": draft,
            "result": result,
            "error": error,
            "can_approve": roles.SUPERVISOR in user_roles
            and request.user.agency_id == draft.service.agency_id
            and draft.created_by_id != request.user.pk
            and draft.status == RuleSetDraft.Status.DRAFT,
            "can_publish": access.can_act(request.user, draft.service.agency_id)
            and draft.status == RuleSetDraft.Status.APPROVED,
            "feature_text": FEATURE_TEXT,
            "percent": charts.percent,
        },
        status=status if error else 200,
    )


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = access.access_job_by_id(request.user, job_id)
    except NotFound:
        raise Http404 from None
    return render(request, "oversight/job.html", {"job": job})


@login_required
def rerun(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    services_qs, service = _services_and_choice(request)
    context: dict[str, Any] = {"services": services_qs, "service": service}
    if request.method == "POST" and service is not None:
        try:
            service = access.access_service_by_slug(request.user, service.slug, for_write=True)
            region = request.POST.get("region_code", "")
            if request.POST.get("confirm") == "1":  # confirmed after seeing how many citizens may be told
                context["report"] = services.rerun_decisions(service, region_code=region, actor=request.user)
            else:
                context["preview"] = services.rerun_preview(service, region_code=region, actor=request.user)
        except ApplicationError as exc:
            context["error"] = exc.message
            return render(request, "oversight/rerun.html", context, status=exc.status)
    return render(request, "oversight/rerun.html", context)


@require_POST
@login_required
def open_breaker(request: HttpRequest) -> HttpResponse:
    _, service = _services_and_choice(request)
    if service is None:
        raise Http404
    try:
        breaker = services.open_breaker(
            service,
            rule_id=request.POST.get("rule_id", ""),
            region_code=request.POST.get("region_code", "") or None,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        _feedback(request, exc)
        return redirect(f"/pengawasan/?layanan={service.slug}")
    return redirect("oversight:breaker", breaker_id=breaker.pk)


# --- the public algorithm register -------------------------------------------------------------------------------
def register_index(request: HttpRequest) -> HttpResponse:
    return render(request, "oversight/register_list.html", {"entries": register.register_list()})


def register_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = register.register_entry(slug)
    if entry is None:
        raise Http404
    for feature in entry["fairness"]["features"]:
        feature["title"] = FEATURE_TEXT.get(feature["feature"], feature["feature"])
        feature["ratio_text"] = charts.percent(feature["ratio"])
        for group in feature["groups"]:
            group["rate_text"] = charts.percent(group["rate"])
    return render(request, "oversight/register_detail.html", {"entry": entry})

"""Staffing pages (Indonesian paths). Thin: parse, call one selector or service, render. Every form posts and
redirects, so the pages work without JavaScript."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.accounts.roles import is_staff_member
from pamong.core.errors import ApplicationError, ValidationFailed

from . import explain, routing, selectors, services
from .hours import TIME_ZONES
from .models import Function, Leave, Rota, Shift, SwapRequest

WEEKDAYS = ((0, "Senin"), (1, "Selasa"), (2, "Rabu"), (3, "Kamis"), (4, "Jumat"), (5, "Sabtu"), (6, "Minggu"))
PERIODS = (7, 28)
ROTA_DAYS, ROTA_SECONDS = 28, 10.0  # four weeks; the solver's time limit (the budget)


def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    """One-click acknowledgement of an urgent notice. The link itself is the key (a phone at 02:00 is not signed
    in); a GET only shows the button, so a link preview or a scanner acknowledges nothing."""
    notice = selectors.notice_by_token(token)
    if notice is None:
        raise Http404
    if request.method == "POST":
        notice = routing.acknowledge(token=token, actor=request.user)
    return render(request, "staffing/acknowledge.html", {"notice": notice})


def _staff(request: HttpRequest) -> None:
    if not is_staff_member(request.user) or not request.user.agency_id:
        raise Http404


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _time(value: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _fail(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, str(exc.message))


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """My working pattern, leave, shifts and swap requests."""
    _staff(request)
    user = request.user
    if request.method == "POST":
        try:
            _post_my_work(request, user)
        except ApplicationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Saved."))
        return redirect("staffing:mine")
    pattern = getattr(user, "working_pattern", None)
    context = {
        "pattern": pattern,
        "weekdays": WEEKDAYS,
        "chosen_days": pattern.weekdays if pattern else [0, 1, 2, 3, 4],
        "time_zones": list(TIME_ZONES),
        "functions": Function.choices,
        "leave_kinds": Leave.Kind.choices,
        "leaves": Leave.objects.filter(user=user, last_day__gte=timezone.localdate()).order_by("first_day"),
        "shifts": selectors.my_shifts(user, since=timezone.now())[:50],
        "swaps": selectors.swaps_for(user)[:20],
        "colleagues": selectors.colleagues(user),
        "may_plan": services.may_plan(user, user.agency_id),
    }
    return render(request, "staffing/mine.html", context)


def _post_my_work(request: HttpRequest, user) -> None:
    action = request.POST.get("action")
    if action == "pattern":
        services.set_pattern(
            user,
            actor=user,
            time_zone=request.POST.get("time_zone", "WIB"),
            weekdays=[int(d) for d in request.POST.getlist("weekdays") if d.isdigit()],
            start=_time(request.POST.get("start")) or dt.time(8),
            end=_time(request.POST.get("end")) or dt.time(16),
            flexible=request.POST.get("flexible") == "on",
            core_start=_time(request.POST.get("core_start")) or dt.time(9),
            core_end=_time(request.POST.get("core_end")) or dt.time(15),
            functions=(getattr(user, "working_pattern", None) and user.working_pattern.functions) or [],
        )
    elif action == "leave":
        first, last = _date(request.POST.get("first_day")), _date(request.POST.get("last_day"))
        if first is None or last is None:
            raise ValidationFailed(_("Enter the first and last day of the leave."), code="invalid_leave")
        services.record_leave(
            user, actor=user, kind=request.POST.get("kind", ""), first_day=first, last_day=last
        )
    elif action == "swap":
        shift = (
            selectors.my_shifts(user, since=timezone.now()).filter(pk=request.POST.get("shift") or 0).first()
        )
        colleague = selectors.colleagues(user).filter(pk=request.POST.get("colleague") or 0).first()
        if shift is None or colleague is None:
            raise ValidationFailed(_("Choose one of your shifts and a colleague."), code="invalid_swap")
        services.request_swap(shift, actor=user, colleague=colleague)
    elif action in ("agree", "decline"):
        swap = SwapRequest.objects.filter(pk=request.POST.get("swap") or 0, asked_of=user).first()
        if swap is None:
            raise Http404
        services.answer_swap(swap, actor=user, agree=action == "agree")
    else:
        raise ValidationFailed(_("Choose what to save."), code="unknown_action")


def _planner(request: HttpRequest):
    if not services.may_plan(request.user, request.user.agency_id):
        raise Http404
    return request.user.agency


@login_required
def rota_list(request: HttpRequest) -> HttpResponse:
    agency = _planner(request)
    if request.method == "POST":
        first = _date(request.POST.get("first_day"))
        functions = [f for f in request.POST.getlist("functions") if f in Function.values]
        try:
            if first is None:
                raise ValidationFailed(_("Enter the first day of the rota."), code="invalid_rota_request")
            rota = services.request_rota(
                agency,
                actor=request.user,
                first_day=first,
                days=ROTA_DAYS,
                functions=functions or None,
                time_limit=ROTA_SECONDS,
            )
        except ApplicationError as exc:
            _fail(request, exc)
            return redirect("staffing:rotas")
        return redirect("staffing:rota", rota_id=rota.pk)
    today = timezone.localdate()
    next_monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    return render(
        request,
        "staffing/rota_list.html",
        {
            "rotas": selectors.rota_list(agency)[:20],
            "next_monday": next_monday,
            "functions": Function.choices,
        },
    )


@login_required
def rota_detail(request: HttpRequest, rota_id: int) -> HttpResponse:
    agency = _planner(request)
    rota = selectors.rota_get(agency, rota_id)
    if rota is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                services.publish_rota(rota, actor=request.user)
                messages.success(request, _("Published. Everyone on the rota is told in their daily digest."))
            else:
                shift = Shift.objects.filter(rota=rota, pk=request.POST.get("shift") or 0).first()
                people = selectors.planner_choices(agency)
                primary = people.filter(pk=request.POST.get("primary") or 0).first()
                backup = people.filter(pk=request.POST.get("backup") or 0).first()
                if shift is None:
                    raise ValidationFailed(_("Choose a shift of this rota."), code="unknown_shift")
                services.adjust_shift(shift, actor=request.user, primary=primary, backup=backup)
                messages.success(request, _("Saved."))
        except ApplicationError as exc:
            _fail(request, exc)
        return redirect("staffing:rota", rota_id=rota.pk)
    if rota.status == Rota.Status.PLANNING:
        response = render(request, "staffing/rota_planning.html", {"rota": rota, **_progress(rota)})
        response["Refresh"] = str(PLANNING_REFRESH_SECONDS)  # reloads itself, no JavaScript needed
        return response
    names = rota.solver.get("names", {})
    conflicts = [
        explain.conflict_text(c, first_day=rota.first_day, names=names)
        for c in rota.solver.get("conflicts", [])
    ]
    return render(
        request,
        "staffing/rota_detail.html",
        {
            "rota": rota,
            "shifts": selectors.rota_shifts(rota),
            "conflicts": conflicts,
            "people": selectors.planner_choices(agency),
            "function_labels": dict(Function.choices),
            "gap_percent": None if rota.solver.get("gap") is None else round(100 * rota.solver["gap"], 1),
        },
    )


PLANNING_REFRESH_SECONDS = 5


def _progress(rota) -> dict:
    """How far the background job is: waiting for the worker, or solving since when and for how long at most."""
    started = rota.solver.get("started_at")
    started_at = dt.datetime.fromisoformat(started) if started else None
    limit = float(rota.solver.get("time_limit", 10))
    elapsed = (timezone.now() - started_at).total_seconds() if started_at else 0.0
    return {
        "started_at": started_at,
        "time_limit": int(limit),
        "elapsed": int(elapsed),
        "percent": min(int(100 * elapsed / limit), 99) if started_at and limit else 0,
        "refresh": PLANNING_REFRESH_SECONDS,
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    agency = _planner(request)
    try:
        days = int(request.GET.get("hari", 7))
    except ValueError:
        days = 7
    days = days if days in PERIODS else 7
    until = timezone.now()
    data = selectors.dashboard(agency, since=until - dt.timedelta(days=days), until=until)
    return render(request, "staffing/dashboard.html", {"d": data, "days": days, "periods": PERIODS})

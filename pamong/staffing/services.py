"""Writes of staffing: working patterns, leave (which returns the leaver's cases to the queue through the port),
rotas (generate with the solver, adjust, publish) and swaps. One transaction each, audited (CONVENTIONS §2, §5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.core.formatting import format_date
from pamong.core.workdays import default_calendar, working_days_between

from . import ports, routing, solver
from .hours import TIME_ZONES
from .models import Function, Leave, Rota, Shift, SwapRequest, WorkingPattern
from .tasks import plan_rota_task

MAX_LEAVE_DAYS = 366


def _may_manage(actor, user) -> bool:
    if actor.pk == user.pk:
        return True
    actor_roles = roles.roles_of(actor)
    return bool(
        actor.is_superuser
        or (
            actor.agency_id
            and actor.agency_id == user.agency_id
            and {roles.ADMIN_INSTANSI, roles.SUPERVISOR} & actor_roles
        )
    )


def set_pattern(
    user,
    *,
    actor,
    time_zone: str = "WIB",
    weekdays: list[int] | None = None,
    start: dt.time = dt.time(8),
    end: dt.time = dt.time(16),
    flexible: bool = False,
    core_start: dt.time = dt.time(9),
    core_end: dt.time = dt.time(15),
    functions: list[str] | None = None,
) -> WorkingPattern:
    if not _may_manage(actor, user):
        raise PermissionDenied(
            gettext("Only the officer or their agency's administrator can change a working pattern.")
        )
    weekdays = sorted(set(weekdays if weekdays is not None else [0, 1, 2, 3, 4]))
    functions = sorted(set(functions or []))
    problems = []
    if time_zone not in TIME_ZONES:
        problems.append("time_zone")
    if not weekdays or any(day not in range(7) for day in weekdays):
        problems.append("weekdays")
    if not start < end:
        problems.append("hours")
    if flexible and not (start <= core_start < core_end <= end):
        problems.append("core_hours")
    if any(function not in Function.values for function in functions):
        problems.append("functions")
    if problems:
        raise ValidationFailed(
            gettext(
                "The working pattern is not valid: check the time zone, the working days, a start before the end, and core hours within working hours."
            ),
            code="invalid_pattern",
            details={"fields": problems},
        )
    with transaction.atomic():
        pattern, _ = WorkingPattern.objects.update_or_create(
            user=user,
            defaults={
                "time_zone": time_zone,
                "weekdays": weekdays,
                "start": start,
                "end": end,
                "flexible": flexible,
                "core_start": core_start,
                "core_end": core_end,
                "functions": functions,
            },
        )
        audit.record_event(
            actor=actor,
            action=Action.STAFF_PATTERN_CHANGED,
            subject=f"accounts.user:{user.pk}",
            data={"time_zone": time_zone, "weekdays": weekdays, "flexible": flexible, "functions": functions},
        )
    return pattern


def record_leave(user, *, actor, kind: str, first_day: dt.date, last_day: dt.date) -> Leave:
    """Leave, sick days or training, entered by the person or their administrator. If it has started, the person's
    claimed cases go back to the queue at once (the citizen's clock is unchanged); otherwise the hourly job does it
    on the first day."""
    if not _may_manage(actor, user):
        raise PermissionDenied(gettext("Only the officer or their agency's administrator can record leave."))
    if kind not in Leave.Kind.values or last_day < first_day or (last_day - first_day).days >= MAX_LEAVE_DAYS:
        raise ValidationFailed(
            gettext(
                "Check the kind of leave and its dates: the last day cannot be before the first, and at most one year."
            ),
            code="invalid_leave",
        )
    with transaction.atomic():
        leave = Leave.objects.create(
            user=user,
            kind=kind,
            first_day=first_day,
            last_day=last_day,
            entered_by=actor,
            created_at=timezone.now(),
        )
        audit.record_event(
            actor=actor,
            action=Action.STAFF_LEAVE_RECORDED,
            subject=f"accounts.user:{user.pk}",
            data={"kind": kind, "first_day": first_day.isoformat(), "last_day": last_day.isoformat()},
        )
        if first_day <= timezone.localdate() <= last_day:
            _release(leave, actor=actor)
    return leave


def _release(leave: Leave, *, actor) -> int:
    moved = ports.officer_unavailable(leave.user, reason=leave.kind, actor=actor)
    leave.cases_released_at = timezone.now()
    leave.save(update_fields=["cases_released_at"])
    return moved


def release_unavailable(*, today: dt.date | None = None) -> int:
    """The hourly job: leave that has started and whose cases were not yet released, and deactivated staff who
    still hold cases, are reported to the port's listeners. Idempotent."""
    today = today or timezone.localdate()
    moved = 0
    for leave_id in Leave.objects.filter(
        first_day__lte=today, last_day__gte=today, cases_released_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            leave = Leave.objects.select_for_update().select_related("user").get(pk=leave_id)
            if leave.cases_released_at is None:
                moved += _release(leave, actor=None)
    for officer in User.objects.filter(is_active=False, agency__isnull=False):
        with transaction.atomic():
            moved += ports.officer_unavailable(officer, reason="deactivated", actor=None)
    return moved


WARN_AT_WORKING_DAYS = (2, 1)


def warn_deadlines(*, today: dt.date | None = None) -> int:
    """The daily job: a *mendesak* warning (held until working hours) 2 and 1 working days before anything the
    deadline sources report is due (decisions, objections and appeals from cases; complaint answers from
    complaints); to the assignee, or the agency's supervisors when nobody holds it. Returns the warnings routed.
    Run once a day: each day gives one warning per item at most."""
    today = today or timezone.localdate()
    count = 0
    for deadline in ports.deadlines_after(today):
        left = working_days_between(today, deadline.due)
        if left not in WARN_AT_WORKING_DAYS:
            continue
        assignee = deadline.assignee
        with transaction.atomic():
            recipients = (
                [assignee]
                if assignee is not None and assignee.is_active
                else list(routing.supervisors_of(deadline.agency))
            )
            for person in recipients:
                routing.notify_staff(
                    user=person,
                    urgency="mendesak",
                    template=deadline.template,
                    context={**deadline.context, "due": format_date(deadline.due), "days": left},
                )
        count += len(recipients)
    return count


# --- rotas ------------------------------------------------------------------------------------------------------

ROTA_ROLES = {roles.ADMIN_INSTANSI, roles.SUPERVISOR}
BLOCKING = {"not_enough_people", "on_call_cap", "leave", "pattern", "rest", "cover"}


def may_plan(actor, agency) -> bool:
    return bool(
        actor.is_authenticated
        and actor.agency_id
        and actor.agency_id == getattr(agency, "pk", agency)
        and ROTA_ROLES & roles.roles_of(actor)
    )


def _require_planner(actor, agency) -> None:
    if not may_plan(actor, agency):
        raise PermissionDenied(
            gettext("Only this agency's administrator or a supervisor can plan the on-call rota."),
            code="rota_planner_required",
        )


def rota_problem(
    agency, *, first_day: dt.date, days: int, functions: list[str], time_limit: float
) -> solver.Problem:
    """The solver's input from the database: the agency's active staff with their training, pattern and leave."""
    last_day = first_day + dt.timedelta(days=days - 1)
    patterns = {
        p.user_id: p
        for p in WorkingPattern.objects.filter(user__agency=agency, user__is_active=True).select_related(
            "user"
        )
    }
    away: dict[int, set[int]] = {user_id: set() for user_id in patterns}
    for leave in Leave.objects.filter(user_id__in=patterns, last_day__gte=first_day, first_day__lte=last_day):
        day = max(leave.first_day, first_day)
        while day <= min(leave.last_day, last_day):
            away[leave.user_id].add((day - first_day).days)
            day += dt.timedelta(days=1)
    people = [
        solver.Person(
            key=user_id,
            name=pattern.user.get_full_name() or pattern.user.username,
            functions=frozenset(pattern.functions) & frozenset(functions),
            weekdays=frozenset(pattern.weekdays),
            away=frozenset(away[user_id]),
        )
        for user_id, pattern in sorted(patterns.items())
        if set(pattern.functions) & set(functions)
    ]
    calendar = default_calendar()
    holidays = frozenset(
        first_day + dt.timedelta(days=d)
        for d in range(days)
        if (first_day + dt.timedelta(days=d)).weekday() < 5
        and not calendar.is_working_day(first_day + dt.timedelta(days=d))
    )
    return solver.Problem(
        people=people,
        first_day=first_day,
        days=days,
        functions=tuple(functions),
        non_working=holidays,
        time_limit=time_limit,
        on_call_cap_hours=settings.PAMONG_ONCALL_CAP_HOURS,
    )


def request_rota(
    agency,
    *,
    actor,
    first_day: dt.date,
    days: int = 28,
    functions: list[str] | None = None,
    time_limit: float = 10.0,
    queue: bool = True,
) -> Rota:
    """Ask for a rota: a row "being planned" now (audited), the solver in a background job after commit
    (`tasks.plan_rota`), so that no web request waits seconds for CP-SAT. The page shows its progress.
    `queue=False` leaves the planning to the caller (`generate_rota`)."""
    _require_planner(actor, agency)
    functions = sorted(set(functions or [Function.ALERTS, Function.COMPLAINTS, Function.REVIEW]))
    if not 1 <= days <= 42 or any(f not in Function.values for f in functions):
        raise ValidationFailed(gettext("Choose 1–42 days and a known function."), code="invalid_rota_request")
    with transaction.atomic():
        rota = Rota.objects.create(
            agency=agency,
            first_day=first_day,
            days=days,
            status=Rota.Status.PLANNING,
            created_by=actor,
            created_at=timezone.now(),
            solver={"functions": functions, "time_limit": time_limit},
        )
        audit.record_event(
            actor=actor,
            action=Action.ROTA_REQUESTED,
            subject=f"staffing.rota:{rota.pk}",
            data={"first_day": first_day.isoformat(), "days": days, "functions": functions},
        )
        if queue:
            transaction.on_commit(lambda: plan_rota_task(rota.pk))
    return rota


def generate_rota(agency, *, actor, first_day: dt.date, **options) -> Rota:
    """Request a rota and plan it at once, in this process (the demo, the CLI and tests of the plan itself)."""
    rota = request_rota(agency, actor=actor, first_day=first_day, queue=False, **options)
    return plan_rota(rota.pk)


def plan_rota(rota_id: int) -> Rota:
    """The background job's work: solve, then store the draft's shifts and the solver's figures. A rota no longer
    being planned (run twice) is left as it is. When no plan exists the draft has no shifts and its conflicts say
    why."""
    rota = Rota.objects.select_related("agency").get(pk=rota_id)
    if rota.status != Rota.Status.PLANNING:
        return rota
    functions, time_limit = rota.solver["functions"], rota.solver.get("time_limit", 10.0)
    Rota.objects.filter(pk=rota.pk).update(solver={**rota.solver, "started_at": timezone.now().isoformat()})
    problem = rota_problem(
        rota.agency, first_day=rota.first_day, days=rota.days, functions=functions, time_limit=time_limit
    )
    plan = solver.solve(problem)  # outside any transaction: it may take seconds
    zone = ZoneInfo(TIME_ZONES["WIB"])
    shift_types = {s.name: s for s in problem.shifts}
    with transaction.atomic():
        rota = Rota.objects.select_for_update().get(pk=rota.pk)
        if rota.status != Rota.Status.PLANNING:
            return rota
        rota.status = Rota.Status.DRAFT
        rota.solver = {
            "status": plan.status,
            "objective": plan.objective,
            "bound": plan.bound,
            "gap": plan.gap,
            "seconds": round(plan.seconds, 3),
            "first_solution_seconds": plan.first_solution_seconds,
            "source": plan.source,  # "greedy" when CP-SAT found no plan in time
            "gini": plan.gini,
            "functions": functions,
            "time_limit": time_limit,
            "conflicts": [asdict(c) for c in plan.conflicts],
            "names": {str(p.key): p.name for p in problem.people},
        }
        rota.save(update_fields=["status", "solver"])
        Shift.objects.bulk_create(
            [
                Shift(
                    rota=rota,
                    function=a.function,
                    kind=a.shift,
                    starts_at=(
                        start := dt.datetime.combine(
                            problem.date(a.day), dt.time(shift_types[a.shift].start_hour), tzinfo=zone
                        )
                    ),
                    ends_at=start + dt.timedelta(hours=shift_types[a.shift].hours),
                    primary_id=a.primary,
                    backup_id=a.backup,
                )
                for a in plan.assignments
            ]
        )
        audit.record_event(
            actor=rota.created_by,
            action=Action.ROTA_GENERATED,
            subject=f"staffing.rota:{rota.pk}",
            data={k: rota.solver[k] for k in ("status", "gap", "seconds", "gini", "functions")}
            | {"conflicts": len(plan.conflicts), "first_day": rota.first_day.isoformat(), "days": rota.days},
        )
    return rota


def _draft(rota: Rota) -> None:
    if rota.status == Rota.Status.PLANNING:
        raise Conflict(
            gettext("This rota is still being planned; reload the page in a moment."), code="rota_planning"
        )
    if rota.status != Rota.Status.DRAFT:
        raise Conflict(
            gettext("This rota is already published; change it through a swap."), code="rota_published"
        )


def adjust_shift(shift: Shift, *, actor, primary: User | None = None, backup: User | None = None) -> Shift:
    """An administrator's change to a draft: another primary or backup, who must be trained, present and not the
    same person as the other."""
    _require_planner(actor, shift.rota.agency_id)
    _draft(shift.rota)
    primary = primary or shift.primary
    backup = backup or shift.backup
    _check_can_cover(shift, primary)
    _check_can_cover(shift, backup)
    if primary.pk == backup.pk:
        raise ValidationFailed(
            gettext("The primary and the backup must be two different people."), code="same_person"
        )
    with transaction.atomic():
        before = (shift.primary_id, shift.backup_id)
        shift.primary, shift.backup = primary, backup
        shift.save(update_fields=["primary", "backup"])
        audit.record_event(
            actor=actor,
            action=Action.ROTA_SHIFT_CHANGED,
            subject=f"staffing.rota:{shift.rota_id}",
            data={"shift": shift.pk, "before": list(before), "after": [primary.pk, backup.pk]},
        )
    return shift


def _check_can_cover(shift: Shift, person: User) -> None:
    pattern = WorkingPattern.objects.filter(user=person).first()
    day = timezone.localtime(shift.starts_at).date()
    if (
        not person.is_active
        or person.agency_id != shift.rota.agency_id
        or pattern is None
        or shift.function not in pattern.functions
        or Leave.objects.filter(user=person, first_day__lte=day, last_day__gte=day).exists()
    ):
        raise ValidationFailed(
            gettext(
                "This officer cannot take that shift: they must be active at this agency, trained for its function and not on leave that day."
            ),
            code="cannot_cover",
        )


def publish_rota(rota: Rota, *, actor) -> Rota:
    _require_planner(actor, rota.agency_id)
    with transaction.atomic():
        rota = Rota.objects.select_for_update().get(pk=rota.pk)
        _draft(rota)
        blocking = [c for c in rota.solver.get("conflicts", []) if c["kind"] in BLOCKING]
        if blocking or not rota.shifts.exists():
            raise Conflict(
                gettext("This rota is not complete: resolve its conflicts, then plan it again."),
                code="rota_incomplete",
            )
        rota.status = Rota.Status.PUBLISHED
        rota.published_at = timezone.now()
        rota.save(update_fields=["status", "published_at"])
        audit.record_event(
            actor=actor,
            action=Action.ROTA_PUBLISHED,
            subject=f"staffing.rota:{rota.pk}",
            data={"shifts": rota.shifts.count()},
        )
        people = set(rota.shifts.values_list("primary_id", flat=True)) | set(
            rota.shifts.values_list("backup_id", flat=True)
        )
        for person in User.objects.filter(pk__in=people):
            routing.notify_staff(
                user=person,
                urgency="biasa",
                template="rota_published",
                context={"first_day": rota.first_day.isoformat(), "days": rota.days, "url": "/staf/"},
            )
    return rota


def request_swap(shift: Shift, *, actor, colleague: User) -> SwapRequest:
    """An officer in a published shift asks a colleague to take their place; nothing changes until they agree."""
    if actor.pk not in (shift.primary_id, shift.backup_id):
        raise PermissionDenied(
            gettext("Only the officer on this shift can ask for a swap."), code="not_your_shift"
        )
    if colleague.pk in (shift.primary_id, shift.backup_id):
        raise ValidationFailed(gettext("This colleague is already on the same shift."), code="same_person")
    _check_can_cover(shift, colleague)
    with transaction.atomic():
        swap = SwapRequest.objects.create(
            shift=shift,
            role="primary" if actor.pk == shift.primary_id else "backup",
            asked_by=actor,
            asked_of=colleague,
            created_at=timezone.now(),
        )
        routing.notify_staff(
            user=colleague,
            urgency="mendesak",
            template="swap_requested",
            context={
                "by": actor.get_full_name() or actor.username,
                "when": timezone.localtime(shift.starts_at).strftime("%d-%m-%Y %H:%M"),
                "function": shift.function,
                "url": "/staf/",
            },
        )
    return swap


def answer_swap(swap: SwapRequest, *, actor, agree: bool) -> SwapRequest:
    """The colleague agrees (the swap happens, audited) or declines. Only the colleague asked may answer."""
    if actor.pk != swap.asked_of_id:
        raise PermissionDenied(gettext("Only the colleague asked can answer."), code="not_asked")
    with transaction.atomic():
        swap = SwapRequest.objects.select_for_update().select_related("shift__rota").get(pk=swap.pk)
        if swap.status != SwapRequest.Status.ASKED:
            raise Conflict(gettext("This swap request has already been answered."), code="swap_answered")
        swap.answered_at = timezone.now()
        if not agree:
            swap.status = SwapRequest.Status.DECLINED
            swap.save(update_fields=["status", "answered_at"])
            return swap
        shift = Shift.objects.select_for_update().get(pk=swap.shift_id)
        if getattr(shift, f"{swap.role}_id") != swap.asked_by_id:
            raise Conflict(
                gettext("This shift has changed since the request was made."), code="shift_changed"
            )
        _check_can_cover(shift, actor)
        setattr(shift, swap.role, actor)
        shift.save(update_fields=[swap.role])
        swap.status = SwapRequest.Status.AGREED
        swap.save(update_fields=["status", "answered_at"])
        audit.record_event(
            actor=actor,
            action=Action.ROTA_SWAP_AGREED,
            subject=f"staffing.rota:{shift.rota_id}",
            data={"shift": shift.pk, "role": swap.role, "from": swap.asked_by_id, "to": actor.pk},
        )
    return swap

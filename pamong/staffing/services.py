"""Writes of staffing: working patterns, leave (which returns the leaver's cases to the queue through the port),
rotas (generate with the solver, adjust, publish) and swaps. One transaction each, audited (CONVENTIONS §2, §5)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import PermissionDenied, ValidationFailed

from . import ports
from .hours import TIME_ZONES
from .models import Function, Leave, WorkingPattern

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
            "Hanya petugas itu sendiri atau admin instansinya yang dapat mengubah pola kerja."
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
            "Pola kerja tidak valid: periksa zona waktu, hari kerja, jam mulai sebelum jam selesai, dan jam inti "
            "di dalam jam kerja.",
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
        raise PermissionDenied("Hanya petugas itu sendiri atau admin instansinya yang dapat mencatat cuti.")
    if kind not in Leave.Kind.values or last_day < first_day or (last_day - first_day).days >= MAX_LEAVE_DAYS:
        raise ValidationFailed(
            "Periksa jenis cuti dan tanggalnya: tanggal selesai tidak boleh sebelum tanggal mulai, paling lama "
            "satu tahun.",
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

"""Reads of staffing."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from django.db.models import Count, Q
from django.utils import timezone

from pamong.accounts.models import User
from pamong.accounts.roles import STAFF_ROLES
from pamong.core.workdays import default_calendar
from pamong.notify.models import Preference
from pamong.notify.services import phone_key

from . import hours, ports
from .models import Leave, Rota, Shift, StaffNotice, SwapRequest, Urgency
from .solver import gini


def notice_by_token(token: str) -> StaffNotice | None:
    return StaffNotice.objects.select_related("recipient", "acknowledged_by").filter(token=token).first()


def my_shifts(user, *, since: dt.datetime):
    return (
        Shift.objects.select_related("primary", "backup", "rota")
        .filter(rota__status=Rota.Status.PUBLISHED, ends_at__gte=since)
        .filter(Q(primary=user) | Q(backup=user))
        .order_by("starts_at")
    )


def swaps_for(user):
    return (
        SwapRequest.objects.select_related("shift", "asked_by", "asked_of")
        .filter(Q(asked_of=user) | Q(asked_by=user))
        .order_by("-created_at")
    )


def rota_list(agency):
    return Rota.objects.filter(agency=agency).select_related("created_by").order_by("-created_at", "-pk")


def rota_get(agency, rota_id: int) -> Rota | None:
    return Rota.objects.filter(agency=agency, pk=rota_id).first()


def rota_shifts(rota: Rota):
    return rota.shifts.select_related("primary", "backup").order_by("starts_at", "function")


def planner_choices(agency):
    """Active staff of the agency with a working pattern (those a rota can use)."""
    return (
        User.objects.filter(agency=agency, is_active=True, working_pattern__isnull=False)
        .select_related("working_pattern")
        .order_by("username")
    )


def colleagues(user):
    return (
        User.objects.filter(agency_id=user.agency_id, is_active=True).exclude(pk=user.pk).order_by("username")
    )


def _spread(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0, "min": 0, "median": 0, "max": 0, "gini": 0.0, "with_any": 0}
    return {
        "n": len(ordered),
        "min": ordered[0],
        "median": ordered[len(ordered) // 2],
        "max": ordered[-1],
        "gini": round(gini(ordered), 3),
        "with_any": sum(1 for v in ordered if v),
    }


def _backed_up(leave: Leave) -> bool:
    """Nobody had to call them: no published shift of theirs falls in the leave, and their cases were handed back
    (or the leave has not started yet)."""
    in_shift = (
        Shift.objects.filter(rota__status=Rota.Status.PUBLISHED, starts_at__date__gte=leave.first_day)
        .filter(starts_at__date__lte=leave.last_day)
        .filter(Q(primary_id=leave.user_id) | Q(backup_id=leave.user_id))
        .exists()
    )
    started = leave.first_day <= timezone.localdate()
    return not in_shift and (leave.cases_released_at is not None or not started)


def dashboard(agency, *, since: dt.datetime, until: dt.datetime) -> dict:
    """Work-life balance of an agency, aggregated (distributions, never names): notices outside working hours
    (urgent and not — the non-urgent count must be zero), on-call hours and their spread, load per officer and its
    Gini, leave taken while backed up, and cases stranded with officers who are away."""
    staff = list(
        User.objects.filter(agency=agency, is_active=True, groups__name__in=STAFF_ROLES)
        .distinct()
        .values_list("pk", flat=True)
    )
    notices = StaffNotice.objects.filter(recipient__agency=agency, sent_at__gte=since, sent_at__lt=until)
    after_hours = notices.filter(outside_hours=True)
    urgent_per_officer = dict(
        after_hours.filter(urgency=Urgency.DARURAT)
        .order_by()
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
    )
    shifts = Shift.objects.filter(
        rota__agency=agency, rota__status=Rota.Status.PUBLISHED, starts_at__gte=since, starts_at__lt=until
    )
    on_call: dict[int, float] = dict.fromkeys(staff, 0.0)
    load: dict[int, int] = dict.fromkeys(staff, 0)
    calendar = default_calendar()
    for shift in shifts:
        start = timezone.localtime(shift.starts_at)
        hours = (shift.ends_at - shift.starts_at).total_seconds() / 3600
        off = not calendar.is_working_day(start.date())
        for person in (shift.primary_id, shift.backup_id):
            load[person] = load.get(person, 0) + 1
            if shift.kind != "siang" or off:
                on_call[person] = on_call.get(person, 0.0) + hours
    today = timezone.localdate()
    leaves = Leave.objects.filter(
        user__agency=agency, first_day__lte=until.date(), last_day__gte=since.date()
    )
    away_today = set(
        Leave.objects.filter(user__agency=agency, first_day__lte=today, last_day__gte=today).values_list(
            "user_id", flat=True
        )
    )
    inactive = set(User.objects.filter(agency=agency, is_active=False).values_list("pk", flat=True))
    return {
        "since": since,
        "until": until,
        "staff": len(staff),
        "notices": notices.count(),
        "after_hours_urgent": after_hours.filter(urgency=Urgency.DARURAT).count(),
        "after_hours_non_urgent": after_hours.exclude(urgency=Urgency.DARURAT).count(),
        "urgent_spread": _spread([urgent_per_officer.get(pk, 0) for pk in staff]),
        "on_call": _spread([on_call[pk] for pk in staff]),
        "load": _spread([load[pk] for pk in staff]),
        "leaves": leaves.count(),
        "leaves_backed_up": sum(1 for leave in leaves if _backed_up(leave)),
        "stranded": ports.held_by(sorted(away_today | inactive)),
        "unacknowledged": StaffNotice.objects.filter(
            recipient__agency=agency,
            urgency=Urgency.DARURAT,
            status=StaffNotice.Status.SENT,
            created_at__gte=since,
        )
        .exclude(chain_id__in=StaffNotice.objects.filter(acknowledged_at__isnull=False).values("chain_id"))
        .values("chain_id")
        .distinct()
        .count(),
    }


def agency_next_open(agency, *, urgency: str = "biasa", at: dt.datetime | None = None) -> dt.datetime | None:
    """When the agency is next at work, for a citizen writing at `at`: None when it is at work now or the matter
    is *darurat* (someone on duty answers at any hour). Office hours are the default pattern (Monday–Friday
    08:00–16:00 WIB) on the working-day calendar (holidays and cuti bersama)."""
    at = at or timezone.now()
    if urgency == Urgency.DARURAT:
        return None
    office = hours.Pattern()
    if hours.is_at_work(office, at):
        return None
    return hours.next_working_moment(office, at)


def staff_by_address(address: str):
    """The one active account whose e-mail address or phone (any usual spelling, matched by its blind index) sent
    a reply; None when none or several match. "Name <a@b.id>" is read as the address."""
    address = address.strip()
    if "@" in address:
        address = parseaddr(address)[1] or address
        users = User.objects.filter(email__iexact=address, is_active=True)
    else:
        key = phone_key(address)
        owners = Preference.objects.filter(phone_index=key).values("user_id") if key else []
        users = User.objects.filter(pk__in=owners, is_active=True)
    matches = list(users[:2])
    return matches[0] if len(matches) == 1 else None

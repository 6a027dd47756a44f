"""Demo data for staffing: working patterns of the demo staff (one in WITA, one on flexible hours), a leave, and a
week of staff notices replayed through the real routing (biasa, mendesak, darurat at night, one acknowledged and
one escalated), so the staffing dashboard has a week to show. Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from pamong.accounts.models import User

from . import routing, services
from .models import StaffNotice, WorkingPattern

WIB = ZoneInfo("Asia/Jakarta")
PATTERNS = {
    "analis": {"functions": ["alerts"]},
    "supervisor": {"functions": ["alerts", "review"]},
    "petugas": {"functions": ["review"]},
    "petugas2": {
        "functions": ["review"],
        "time_zone": "WITA",
        "flexible": True,
        "start": dt.time(7),
        "end": dt.time(17),
        "core_start": dt.time(10),
        "core_end": dt.time(15),
    },
    "loket": {"functions": ["counter"]},
}
BREAKER = {
    "service": "Bantuan Sosial PKH",
    "rule_id": "penghasilan_di_bawah_garis",
    "region": "3204",
    "reason": "Lonjakan penolakan (demo)",
    "automatic": True,
    "url": "/pengawasan/",
}


def demo_week_start(today: dt.date) -> dt.date:
    """The Monday of the last full week before `today`."""
    return today - dt.timedelta(days=today.weekday() + 7)


def load(agency, *, today: dt.date | None = None) -> int:
    """Patterns and the replayed week; returns how many notices were routed (0 when already loaded)."""
    people = {u.username: u for u in User.objects.filter(agency=agency, username__in=PATTERNS)}
    if len(people) < len(PATTERNS) or WorkingPattern.objects.filter(user__in=people.values()).exists():
        return 0  # not the demo agency's staff, or loaded already
    monday = demo_week_start(today or timezone.localdate())
    with transaction.atomic():
        for username, pattern in PATTERNS.items():
            services.set_pattern(people[username], actor=people[username], **pattern)
        services.record_leave(
            people["petugas2"],
            actor=people["petugas2"],
            kind="cuti",
            first_day=monday + dt.timedelta(days=2),
            last_day=monday + dt.timedelta(days=2),
        )
        services.release_unavailable(today=monday + dt.timedelta(days=2))  # the hourly job on the leave's day

        def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
            return dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=WIB)

        events = [
            (
                at(0, 5, 30),
                lambda: routing.notify_staff(
                    user=people["petugas"],
                    urgency="mendesak",
                    template="deadline_warning",
                    context={
                        "reference": "PMG-DEMO-1",
                        "service": "Bansos PKH",
                        "due": "dua hari kerja",
                        "days": 2,
                        "what": "decision",
                    },
                ),
            ),
            (
                at(1, 2, 0),
                lambda: routing.notify_on_duty(
                    agency=agency,
                    function="alerts",
                    urgency="darurat",
                    template="breaker_opened",
                    context=BREAKER,
                ),
            ),
            (
                at(2, 9, 0),
                lambda: routing.notify_staff(
                    user=people["petugas2"],
                    urgency="mendesak",
                    template="discretion_recorded",
                    context={"reference": "PMG-DEMO-2", "service": "Bansos PKH"},
                ),
            ),
            (
                at(3, 23, 0),
                lambda: routing.notify_on_duty(
                    agency=agency,
                    function="alerts",
                    urgency="darurat",
                    template="breaker_opened",
                    context=BREAKER,
                ),
            ),
            (
                at(4, 21, 0),
                lambda: routing.notify_staff(
                    user=people["supervisor"],
                    urgency="biasa",
                    template="discretion_recorded",
                    context={"reference": "PMG-DEMO-3", "service": "Bansos PKH"},
                ),
            ),
            (
                at(5, 10, 0),
                lambda: routing.notify_staff(
                    user=people["supervisor"],
                    urgency="mendesak",
                    template="discretion_recorded",
                    context={"reference": "PMG-DEMO-4", "service": "Bansos PKH"},
                ),
            ),
        ]
        events.append((at(1, 2, 6), lambda: _acknowledge_latest(people["analis"])))
        ticks = []
        moment = at(0, 0)
        while moment <= at(7, 12):  # through the next Monday's digest
            ticks.append((moment, None))
            moment += dt.timedelta(minutes=15)
        for moment, event in sorted(events + ticks, key=lambda item: (item[0], item[1] is None)):
            with routing.replaying_at(moment):
                if event is None:
                    routing.route_due(now=moment)
                else:
                    event()
    return StaffNotice.objects.filter(recipient__agency=agency).count()


def _acknowledge_latest(user) -> None:
    notice = StaffNotice.objects.filter(recipient=user, urgency="darurat").order_by("-created_at").first()
    if notice is not None:
        routing.acknowledge(token=notice.token, actor=user)

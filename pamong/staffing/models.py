"""Staffing: who works when (patterns, leave), who covers what (rotas of primary + backup), and every notice
routed to a staff member by urgency (StaffNotice). Rows change only through pamong.staffing.services and
pamong.staffing.routing."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.fields import EncryptedJSONField


class Function(models.TextChoices):
    """The functions that need cover, each planned as a rota (issue 17)."""

    ALERTS = "alerts", _("Breaker and outage alerts")
    COMPLAINTS = "complaints", _("Urgent complaints")
    COUNTER = "counter", _("Counter")
    REVIEW = "review", _("Review queue")


class Urgency(models.TextChoices):
    DARURAT = "darurat", _("Emergency: now, at any hour")
    MENDESAK = "mendesak", _("Urgent: within working hours")
    BIASA = "biasa", _("Normal: in the daily digest")


class TimeZone(models.TextChoices):
    WIB = "WIB", _("WIB (UTC+7)")
    WITA = "WITA", _("WITA (UTC+8)")
    WIT = "WIT", _("WIT (UTC+9)")


def _weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class WorkingPattern(models.Model):
    """A staff member's working days and hours in their own time zone, flexible working with core hours, and the
    functions they are trained for. Without a row: Monday–Friday 08:00–16:00 WIB, trained for nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_pattern"
    )
    time_zone = models.CharField(max_length=4, choices=TimeZone.choices, default=TimeZone.WIB)
    weekdays = models.JSONField(default=_weekdays)  # 0 = Monday
    start = models.TimeField(default="08:00")
    end = models.TimeField(default="16:00")
    flexible = models.BooleanField(default=False)
    core_start = models.TimeField(default="09:00")
    core_end = models.TimeField(default="15:00")
    functions = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"pattern of {self.user_id}"


class Leave(models.Model):
    class Kind(models.TextChoices):
        CUTI = "cuti", _("Leave")
        SAKIT = "sakit", _("Sick")
        PELATIHAN = "pelatihan", _("Training")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leaves")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    first_day = models.DateField()
    last_day = models.DateField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    cases_released_at = models.DateTimeField(null=True, blank=True)  # when the leaver's cases went back

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="leave_days_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id} {self.first_day}–{self.last_day}"


class Rota(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("being planned")  # the solver runs in a background job (tasks.plan_rota)
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="rotas")
    first_day = models.DateField()
    days = models.PositiveSmallIntegerField(default=28)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    solver = models.JSONField(default=dict)  # status, objective, bound, gap, seconds, gini
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-first_day", "-pk"]

    def __str__(self) -> str:
        return f"rota of {self.agency_id} from {self.first_day} ({self.status})"


class Shift(models.Model):
    """One slot of one function: a primary and a backup (never the same person)."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="shifts")
    function = models.CharField(max_length=16, choices=Function.choices)
    kind = models.CharField(max_length=12)  # "siang" (working hours) or "malam" (on call)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    primary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    backup = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at", "function"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(primary=models.F("backup")), name="shift_backup_is_other"
            ),
            models.UniqueConstraint(fields=["rota", "function", "starts_at"], name="shift_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.function} {self.starts_at:%Y-%m-%d %H:%M}"


class SwapRequest(models.Model):
    """One officer asks another to take their place in a shift; it happens only when the other agrees."""

    class Status(models.TextChoices):
        ASKED = "asked", _("waiting for the colleague")
        AGREED = "agreed", _("agreed and swapped")
        DECLINED = "declined", _("declined")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swaps")
    role = models.CharField(max_length=8)  # "primary" or "backup"
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASKED)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"swap {self.shift_id} {self.asked_by_id}→{self.asked_of_id} ({self.status})"


def _token() -> str:
    return secrets.token_urlsafe(24)


class StaffNotice(models.Model):
    """One notice to one staff member, routed by urgency. `deliver_at` is when it may reach them: now for
    *darurat*, their next working moment for *mendesak*, the start of their next working day (the digest) for
    *biasa*. A *darurat* notice not acknowledged by `escalate_at` is passed on (backup, then supervisor); every
    notice of the chain shares `chain_id` and one acknowledgement ends the chain."""

    class Status(models.TextChoices):
        HELD = "held", _("waiting for working hours")
        SENT = "sent", _("sent")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notices"
    )
    agency = models.ForeignKey(
        "catalog.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    function = models.CharField(max_length=16, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    template = models.CharField(max_length=80)
    context = EncryptedJSONField(default=dict)  # may name a case or a person: encrypted at rest
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.HELD, db_index=True)
    created_at = models.DateTimeField()
    deliver_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    outside_hours = models.BooleanField(default=False)  # reached the person outside their working hours
    level = models.PositiveSmallIntegerField(default=0)  # 0 primary / named person, 1 backup, 2 supervisor
    chain_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    escalate_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=40, unique=True, default=_token)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.urgency} {self.template} → {self.recipient_id} ({self.status})"

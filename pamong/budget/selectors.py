"""Reads of the budget module: the public plan-versus-realisation figures (aggregated in SQL) and the APIP queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.catalog.models import Agency
from pamong.core.errors import NotFound

from .models import BudgetLine, Flag

PLAN = BudgetLine.Kind.PLAN
REALISATION = BudgetLine.Kind.REALISATION


def agencies_with_budget() -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=BudgetLine.objects.values("agency_id")).order_by("name")


def years_of(agency: Agency) -> list[int]:
    return sorted(
        BudgetLine.objects.filter(agency=agency).values_list("year", flat=True).distinct(), reverse=True
    )


@dataclass(frozen=True)
class ProgramRow:
    code: str
    name: str
    plan: int
    realised: int

    @property
    def share(self) -> float | None:
        return self.realised / self.plan if self.plan else None


@dataclass(frozen=True)
class MonthRow:
    month: int
    first_day: dt.date  # for the month's localised name
    plan: int
    realised: int
    plan_cumulative: int
    realised_cumulative: int


@dataclass(frozen=True)
class PlanVersusRealisation:
    agency: Agency
    year: int
    programs: list[ProgramRow]
    months: list[MonthRow]
    plan: int
    realised: int

    @property
    def share(self) -> float | None:
        return self.realised / self.plan if self.plan else None


def plan_versus_realisation(agency: Agency, year: int) -> PlanVersusRealisation:
    """Per program (ordered by code) and per month: the budget (DPA lines, by the month of their cash plan) and
    what was realised (paid). Two grouped queries."""
    lines = BudgetLine.objects.filter(agency=agency, year=year)
    plan_sum = Sum("amount", filter=Q(kind=PLAN), default=0)
    real_sum = Sum("amount", filter=Q(kind=REALISATION), default=0)
    programs = [
        ProgramRow(row["program_code"], row["program"], row["plan"], row["realised"])
        for row in lines.values("program_code", "program")
        .annotate(plan=plan_sum, realised=real_sum)
        .order_by("program_code", "program")
    ]
    by_month = {
        row["month"]: row
        for row in lines.annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(plan=plan_sum, realised=real_sum)
    }
    months, plan_total, real_total = [], 0, 0
    for month in range(1, 13):
        row = by_month.get(month, {"plan": 0, "realised": 0})
        plan_total += row["plan"]
        real_total += row["realised"]
        months.append(
            MonthRow(month, dt.date(year, month, 1), row["plan"], row["realised"], plan_total, real_total)
        )
    return PlanVersusRealisation(agency, year, programs, months, plan_total, real_total)


def can_review_flags(user) -> bool:
    return roles.AUDITOR in roles.roles_of(user)


def flag_queue(user, *, status: str = Flag.Status.OPEN) -> QuerySet[Flag]:
    """The APIP queue: auditors work across agencies (roles.py), so they see every agency's flags."""
    if not can_review_flags(user):
        return Flag.objects.none()
    return (
        Flag.objects.filter(status=status)
        .select_related("agency")
        .annotate(line_count=Count("lines"))
        .order_by("-raised_at", "-id")
    )


def flag_counts() -> dict[str, int]:
    return dict(Flag.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def access_flag_by_id(user, flag_id: int) -> Flag:
    """One 404 for a missing flag and for someone who may not see flags (CONVENTIONS §4)."""
    if not can_review_flags(user):
        raise NotFound(_("Flag not found."))
    flag = Flag.objects.select_related("agency", "dismissed_by").filter(pk=flag_id).first()
    if flag is None:
        raise NotFound(_("Flag not found."))
    return flag


def flag_lines(flag: Flag) -> QuerySet[BudgetLine]:
    return flag.lines.select_related("source").order_by("date", "id")

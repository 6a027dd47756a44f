"""The public performance of a service or an agency: figures for the calendar year up to the end of yesterday,
per month, with the IKM (surveys) and the complaints slot. Computed once a day and cached under a key that
carries the date ("updated daily"): the first visitor of the day computes, everyone else reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from pamong.cases.models import Application, Decision, Objection
from pamong.catalog.models import Agency, Service
from pamong.complaints import selectors as complaints
from pamong.core.workdays import working_days_between
from pamong.surveys import selectors as surveys
from pamong.surveys.ikm import Period, month_labels

from .figures import AppRow, Figures, FinalRow, ObjectionRow, first_finals, summarise_windows

CACHE_SECONDS = 26 * 3600  # a day's key outlives the day a little; the next day asks for a new key


@dataclass(frozen=True)
class ComplaintsFigures:
    received: int
    answered_on_time: int


@dataclass
class Performance:
    kind: str  # "service" | "agency"
    slug: str
    name: str
    agency_name: str
    as_of: dt.date  # figures include this day
    period: Period
    total: Figures
    months: list[Figures]
    survey: surveys.Survey
    followups: list[dict[str, Any]] = field(default_factory=list)
    complaints: ComplaintsFigures | None = None  # None: "belum tersedia" (not yet available)
    services: list[tuple[str, str]] = field(default_factory=list)  # an agency's services: (slug, name)


def complaints_figures(services: list[Service], period: Period) -> ComplaintsFigures | None:
    """Complaints about these services received in the period, and how many were answered within their deadline
    by urgency (pamong.complaints)."""
    received, on_time = complaints.received_and_answered_on_time(
        service_ids=[service.pk for service in services], start=period.start, end=period.end
    )
    return ComplaintsFigures(received=received, answered_on_time=on_time)


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def compute(kind: str, subject: Service | Agency, as_of: dt.date) -> Performance:
    services = [subject] if isinstance(subject, Service) else list(subject.services.order_by("name"))
    period = Period(str(as_of.year), dt.date(as_of.year, 1, 1), as_of + dt.timedelta(days=1))
    apps = [
        AppRow(str(pk), _local(filed), _local(completed), due)
        for pk, filed, completed, due in Application.objects.filter(service__in=services).values_list(
            "pk", "filed_at", "completed_at", "decision_due"
        )
    ]
    finals = first_finals(
        FinalRow(str(app_id), _local(at), kind_, outcome)
        for app_id, at, kind_, outcome in Decision.objects.filter(
            application__service__in=services, final=True
        ).values_list("application_id", "decided_at", "kind", "outcome")
    )
    objections = [
        ObjectionRow(_local(filed), status)
        for filed, status in Objection.objects.filter(application__service__in=services).values_list(
            "filed_at", "status"
        )
    ]

    windows = [(period.start, period.end)]
    for first in month_labels(period):
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        windows.append((first, min(following, period.end)))
    total, *months = summarise_windows(
        apps, finals, objections, windows=windows, working_days=working_days_between
    )
    agency = subject if isinstance(subject, Agency) else subject.agency
    followups = [
        {
            "element": f.get_element_display(),
            "action": f.action,
            "responsible": f.responsible,
            "due": f.due,
            "status": f.get_status_display(),
            "period": f.period,
        }
        for f in surveys.followups(
            agency=agency, service=subject if isinstance(subject, Service) else None, published_only=True
        )
    ]
    return Performance(
        kind=kind,
        slug=subject.slug,
        name=subject.name,
        agency_name=agency.name,
        as_of=as_of,
        period=period,
        total=total,
        months=months,
        survey=surveys.survey_of(services, period),
        followups=followups,
        complaints=complaints_figures(services, period),
        services=[(s.slug, s.name) for s in services] if kind == "agency" else [],
    )


def as_of_today() -> dt.date:
    """The figures run to the end of yesterday, so that one day's page never changes during the day."""
    return timezone.localdate() - dt.timedelta(days=1)


def performance(kind: str, subject: Service | Agency, as_of: dt.date | None = None) -> Performance:
    as_of = as_of or as_of_today()
    key = f"pamong:kinerja:v1:{kind}:{subject.slug}:{as_of.isoformat()}"
    return cache.get_or_set(key, lambda: compute(kind, subject, as_of), CACHE_SECONDS)


def public_services():
    return Service.objects.select_related("agency").order_by("agency__name", "name")


def public_agencies():
    return Agency.objects.order_by("name")


def warm_all(as_of: dt.date | None = None) -> int:
    """Compute the day's figures of every service and agency into the cache (the nightly job), so that no
    visitor waits for them. Returns the number of pages computed."""
    as_of = as_of or as_of_today()
    count = 0
    for service in public_services():
        performance("service", service, as_of)
        count += 1
    for agency in public_agencies():
        performance("agency", agency, as_of)
        count += 1
    return count

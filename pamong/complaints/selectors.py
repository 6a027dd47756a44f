"""Reads of the complaints module (CONVENTIONS §3, §4). A client-supplied id becomes a complaint only here, with one
404 for "missing" and "not yours"."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from pamong.accounts import roles
from pamong.cases.models import Application
from pamong.core.errors import NotFound

from . import deadlines
from .models import Complaint
from .services import is_reporter, reporter_key

S = Complaint.Status
HANDLERS = {roles.PETUGAS, roles.SUPERVISOR}


def can_handle(user) -> bool:
    return bool(getattr(user, "agency_id", None) and roles.roles_of(user) & HANDLERS)


def staff_complaints(user, *, status: str = "") -> QuerySet[Complaint]:
    """The complaints of the officer's agency, oldest deadline first."""
    if not can_handle(user):
        return Complaint.objects.none()
    queryset = Complaint.objects.filter(agency_id=user.agency_id).select_related(
        "service", "agency", "assigned_to"
    )
    if status in S.values:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.exclude(status__in=[S.CLOSED, S.MERGED])
    return queryset.order_by("due_at", "pk")


def access_complaint_for_staff(user, complaint_id: int) -> Complaint:
    complaint = None
    if can_handle(user):
        complaint = (
            Complaint.objects.select_related("service", "agency", "assigned_to", "application")
            .filter(pk=complaint_id, agency_id=user.agency_id)
            .first()
        )
    if complaint is None:
        raise NotFound("Laporan itu tidak ditemukan.", code="complaint_not_found")
    return complaint


def complaints_of(user) -> QuerySet[Complaint]:
    """The citizen's own reports, anonymous ones included (found by the blind index), and those they follow."""
    return (
        Complaint.objects.filter(
            Q(reporter=user) | Q(reporter_index=reporter_key(user)) | Q(followers__user=user)
        )
        .select_related("service", "agency")
        .distinct()
    )


def access_complaint_for_citizen(user, reference: str) -> Complaint:
    """The reporter's (or a follower's) report; public non-confidential reports are also readable by reference."""
    complaint = (
        Complaint.objects.select_related("service", "agency", "merged_into")
        .filter(reference=reference)
        .first()
    )
    if complaint is None or not (
        is_reporter(complaint, user)
        or complaint.followers.filter(user_id=getattr(user, "pk", None)).exists()
        or not complaint.confidential
    ):
        raise NotFound("Laporan itu tidak ditemukan.", code="complaint_not_found")
    return complaint


def own_application(user, reference: str) -> Application | None:
    """The citizen's application a complaint is about (the case page links with ?permohonan=<reference>)."""
    if not reference or not getattr(user, "is_authenticated", False):
        return None
    return Application.objects.select_related("service").filter(reference=reference, applicant=user).first()


def public_complaints(*, service_slug: str = "") -> QuerySet[Complaint]:
    """Non-confidential reports, without any personal data (only the columns the public list shows)."""
    queryset = Complaint.objects.filter(confidential=False).exclude(status=S.MERGED)
    if service_slug:
        queryset = queryset.filter(service__slug=service_slug)
    return queryset.select_related("service", "agency").only(
        "reference",
        "title",
        "kind",
        "status",
        "received_at",
        "answered_at",
        "closed_at",
        "due_at",
        "service__name",
        "service__slug",
        "agency__name",
        "region_code",
    )


def days_taken(complaint: Complaint, now: dt.datetime) -> int:
    return deadlines.working_days_taken(complaint.received_at, complaint.answered_at or now)


@dataclass(frozen=True)
class Tally:
    agency: str
    service: str
    service_slug: str
    received: int
    answered: int
    on_time: int
    median_days: float | None
    reopened_share: float | None


def statistics_by_category(*, service_slug: str = "") -> list[Tally]:
    """Per agency and category: received, answered on time, median working days to answer, share reopened.
    Counts every report (confidential ones too: they are counted, never shown)."""
    queryset = Complaint.objects.exclude(status=S.MERGED)
    if service_slug:
        queryset = queryset.filter(service__slug=service_slug)
    rows: dict[tuple[str, str, str], list] = {}
    for agency, service, slug, received_at, answered_at, due_at, reopened in (
        queryset.values_list(
            "agency__name",
            "service__name",
            "service__slug",
            "received_at",
            "answered_at",
            "due_at",
            "reopened",
        )
        .order_by("agency__name", "service__name")
        .iterator(chunk_size=2000)
    ):
        rows.setdefault((agency, service, slug), []).append((received_at, answered_at, due_at, reopened))
    tallies = []
    for (agency, service, slug), items in rows.items():
        answered = [item for item in items if item[1] is not None]
        days = [deadlines.working_days_taken(r, a) for r, a, _d, _o in answered]
        tallies.append(
            Tally(
                agency=agency,
                service=service,
                service_slug=slug,
                received=len(items),
                answered=len(answered),
                on_time=sum(1 for _r, a, d, _o in answered if a <= d),
                median_days=statistics.median(days) if days else None,
                reopened_share=(sum(1 for *_rest, o in answered if o) / len(answered)) if answered else None,
            )
        )
    return tallies

"""Reads of the complaints module (CONVENTIONS §3, §4). A client-supplied id becomes a complaint only here, with one
404 for "missing" and "not yours"."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.cases.models import Application
from pamong.core.errors import NotFound
from pamong.staffing.ports import Deadline

from . import deadlines
from .models import Complaint
from .services import OPEN, is_reporter, reporter_key

S = Complaint.Status
HANDLERS = {roles.PETUGAS, roles.SUPERVISOR}


def can_handle(user) -> bool:
    return bool(getattr(user, "agency_id", None) and roles.roles_of(user) & HANDLERS)


def staff_complaints(user, *, status: str = "") -> QuerySet[Complaint]:
    """The complaints of the officer's agency, oldest deadline first."""
    if not can_handle(user):
        return Complaint.objects.none()
    # The inbox shows no text, contact or answer: those columns (three of them encrypted) stay in the row.
    queryset = (
        Complaint.objects.filter(agency_id=user.agency_id)
        .select_related("service", "agency", "assigned_to")
        .defer("description", "contact", "hidden_reporter", "consent", "answer", "search_terms")
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
        raise NotFound(_("That report was not found."), code="complaint_not_found")
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
        raise NotFound(_("That report was not found."), code="complaint_not_found")
    return complaint


def own_complaints(auth) -> QuerySet[Complaint]:
    """For the API: a citizen's own reports (anonymous ones by the blind index; not those merely followed), or
    the reports a machine client filed. Anyone else: none."""
    label = getattr(auth, "actor", None) if hasattr(auth, "scopes") else None
    if isinstance(label, str) and label.startswith("client:"):
        queryset = Complaint.objects.filter(filed_by_client=label)
    elif getattr(auth, "is_authenticated", False):
        queryset = Complaint.objects.filter(Q(reporter=auth) | Q(reporter_index=reporter_key(auth)))
    else:
        return Complaint.objects.none()
    return queryset.select_related("service", "agency").order_by("-received_at", "-pk")


def access_own_complaint(auth, reference: str) -> Complaint:
    complaint = own_complaints(auth).filter(reference=reference).first()
    if complaint is None:
        raise NotFound(_("That report was not found."), code="complaint_not_found")
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
    if complaint.answer_days is not None:
        return complaint.answer_days
    return deadlines.working_days_taken(complaint.received_at, now)


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


PERIODS = (30, 90, 365)


def received_and_answered_on_time(*, service_ids: list[int], start: dt.date, end: dt.date) -> tuple[int, int]:
    """Reports about these services received from `start` up to (not including) `end`, local days, and how many
    of them were answered by their due time (a merged report counts once, in the report it joined). For the public
    performance pages (pamong.transparency)."""
    since, until = (timezone.make_aware(dt.datetime.combine(day, dt.time())) for day in (start, end))
    received = Complaint.objects.exclude(status=S.MERGED).filter(
        service_id__in=service_ids, received_at__gte=since, received_at__lt=until
    )
    on_time = received.filter(answered_at__isnull=False, answered_at__lte=F("due_at"))
    return received.count(), on_time.count()


def statistics_by_category(
    *, service_slug: str = "", days: int = 90, now: dt.datetime | None = None
) -> list[Tally]:
    """Per agency and category, for reports received in the last `days`: received, answered on time, median
    working days to the answer, share of answered reports reopened. Confidential reports are counted, never
    shown. Counts in SQL; the median from the stored `answer_days` of the period."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    queryset = Complaint.objects.exclude(status=S.MERGED).filter(received_at__gte=since)
    if service_slug:
        queryset = queryset.filter(service__slug=service_slug)
    answered = Q(answered_at__isnull=False)
    groups = (
        queryset.values("service_id", "agency__name", "service__name", "service__slug")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=answered),
            on_time=Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
            reopened=Count("pk", filter=answered & Q(reopened__gt=0)),
        )
        .order_by("agency__name", "service__name")
    )
    days_by_service: dict[int, list[int]] = {}
    for service_id, taken in queryset.filter(answer_days__isnull=False).values_list(
        "service_id", "answer_days"
    ):
        days_by_service.setdefault(service_id, []).append(taken)
    return [
        Tally(
            agency=row["agency__name"],
            service=row["service__name"],
            service_slug=row["service__slug"],
            received=row["received"],
            answered=row["answered"],
            on_time=row["on_time"],
            median_days=statistics.median(days_by_service[row["service_id"]])
            if days_by_service.get(row["service_id"])
            else None,
            reopened_share=row["reopened"] / row["answered"] if row["answered"] else None,
        )
        for row in groups
    ]


def deadlines_after(today: dt.date) -> Iterator[Deadline]:
    """Open complaints whose answer is due after `today`, for staffing's 2- and 1-working-day warnings (installed
    as a staffing port in `ComplaintsConfig.ready()`). *Darurat* complaints run on hours and are escalated by
    `services.escalate_overdue`; the due day is the one whose end `due_at` marks (midnight after it)."""
    after = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=deadlines.JAKARTA)
    open_complaints = (
        Complaint.objects.filter(status__in=OPEN, due_at__gt=after)
        .exclude(urgency=Complaint.Urgency.DARURAT)
        .select_related("agency", "service", "assigned_to")
    )
    for complaint in open_complaints:
        yield Deadline(
            agency=complaint.agency,
            due=(complaint.due_at - dt.timedelta(microseconds=1)).astimezone(deadlines.JAKARTA).date(),
            assignee=complaint.assigned_to,
            template="complaint_deadline_warning",
            context={  # never who reported
                "reference": complaint.reference,
                "title": complaint.title,
                "service": complaint.service.name,
                "url": f"/pengaduan/masuk/{complaint.pk}/",
            },
        )

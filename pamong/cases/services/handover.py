"""Cases that move (issue 17): when an officer starts leave or is deactivated, their claimed cases go back to the
queue; a supervisor can release or reassign any claimed case with a reason. The citizen's clock
(`decision_due`) is never touched: the law's deadline runs on whoever holds the case. Deadline warnings reach the
assigned officer (or the supervisors when nobody holds the case) 2 and 1 working days before it is due: cases
reports its deadlines to staffing's warning job (`deadlines_after`, a staffing port), which routes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.core.formatting import format_date
from pamong.core.workdays import working_days_between
from pamong.staffing import routing
from pamong.staffing.ports import Deadline

from .. import deadlines, transitions
from ..models import Application, InformationRequest, Objection
from .common import S, locked, notify_applicant, subject_of

OPEN = (S.UNDER_REVIEW, S.INFO_REQUESTED)


def release_claims_of(officer, *, reason: str, actor) -> int:
    """The staffing port's listener: every open case `officer` claimed goes back to the queue (audited)."""
    moved = 0
    for application in Application.objects.filter(assigned_to=officer, status__in=OPEN).order_by(
        "decision_due"
    ):
        application = locked(application)
        if application.assigned_to_id != officer.pk or application.status not in OPEN:
            continue
        _hand_over(
            application, to=None, actor=actor, reason=f"officer_unavailable:{reason}", previous=officer.pk
        )
        moved += 1
    return moved


def count_claimed_by(officer_ids: list[int]) -> int:
    """Open cases claimed by these officers (the staffing dashboard's "stranded" count for officers away)."""
    return Application.objects.filter(assigned_to_id__in=officer_ids, status__in=OPEN).count()


def release_case(application: Application, *, actor, reason: str, to: User | None = None) -> Application:
    """A supervisor returns a claimed case to the queue (`to` None) or gives it to another deciding officer of the
    agency, with a written reason."""
    if roles.SUPERVISOR not in roles.roles_of(actor) or actor.agency_id != application.service.agency_id:
        raise PermissionDenied(
            _("Only a supervisor of this agency can reassign an application."), code="supervisor_required"
        )
    if not reason.strip():
        raise ValidationFailed(_("Write why this application is reassigned."), code="reason_required")
    if to is not None and not (
        to.is_active
        and to.agency_id == application.service.agency_id
        and {roles.PETUGAS, roles.SUPERVISOR} & set(to.groups.values_list("name", flat=True))
    ):
        raise ValidationFailed(
            _("An application can only be given to an active officer of this agency."),
            code="invalid_assignee",
        )
    with transaction.atomic():
        application = locked(application)
        if application.status not in OPEN:
            raise Conflict(_("This application has already been decided."), code="already_decided")
        if application.assigned_to_id is None and to is None:
            raise Conflict(_("Nobody has claimed this application yet."), code="not_claimed")
        _hand_over(
            application, to=to, actor=actor, reason=reason.strip(), previous=application.assigned_to_id
        )
    return application


def _hand_over(application: Application, *, to, actor, reason: str, previous) -> None:
    application.assigned_to = to
    application.save(update_fields=["assigned_to", "updated_at"])
    audit.record_event(
        actor=actor,
        action=Action.CASE_RELEASED,
        subject=subject_of(application),
        data={
            "from": f"user:{previous}" if previous else None,
            "to": f"user:{to.pk}" if to else None,
            "reason": reason,
            "decision_due": application.decision_due.isoformat(),
        },
    )


def deadlines_after(today: dt.date) -> Iterator[Deadline]:
    """Cases' source for staffing's deadline warnings (installed in `CasesConfig.ready()`): applications under
    review (to the assigned officer) and pending objections and appeals (to the supervisors), due after `today`."""
    applications = Application.objects.select_related("service__agency", "assigned_to").filter(
        status=S.UNDER_REVIEW, decision_due__gt=today
    )
    for application in applications:
        yield _deadline(application, application.decision_due, application.assigned_to, "decision")
    objections = Objection.objects.select_related(
        "application__service__agency", "application__assigned_to"
    ).filter(status=Objection.Status.PENDING, due__gt=today)
    for objection in objections:
        yield _deadline(objection.application, objection.due, None, objection.stage)


def _deadline(application: Application, due: dt.date, officer, what: str) -> Deadline:
    return Deadline(
        agency=application.service.agency,
        due=due,
        assignee=officer,
        template="deadline_warning",
        context={"reference": application.reference, "service": application.service.name, "what": what},
    )


REMIND_AT_WORKING_DAYS = 2


def follow_information_requests(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job for open information requests: the citizen is reminded 2 working days before the last day
    to answer; the day after it the request ends unanswered, the clock runs again (the deadline moves by exactly
    the paused working days, as when the citizen answers), audited, and the officer is told (mendesak)."""
    today = today or deadlines.local_today()
    counts = {"reminded": 0, "ended": 0}
    open_requests = InformationRequest.objects.filter(
        answered_at__isnull=True, ended_at__isnull=True, answer_by__isnull=False
    ).select_related("application__service")
    for request in open_requests:
        if request.answer_by < today:
            counts["ended"] += _end_request(request.pk, today)
        elif working_days_between(today, request.answer_by) == REMIND_AT_WORKING_DAYS:
            with transaction.atomic():
                notify_applicant(
                    request.application,
                    "information_reminder",
                    message=request.message,
                    answer_by=format_date(request.answer_by),
                )
            counts["reminded"] += 1
    return counts


def _end_request(request_id: int, today: dt.date) -> int:
    with transaction.atomic():
        request = InformationRequest.objects.select_for_update().get(pk=request_id)
        application = locked(request.application)
        if request.answered_at or request.ended_at or application.status != S.INFO_REQUESTED:
            return 0
        transitions.move(application, S.UNDER_REVIEW)
        application.decision_due, paused = deadlines.resumed_due(
            application.decision_due, paused_since=application.paused_since, resumed_on=today
        )
        application.paused_since = None
        application.save()
        request.ended_at, request.paused_working_days = timezone.now(), paused
        request.save(update_fields=["ended_at", "paused_working_days"])
        audit.record_event(
            actor=None,
            action=Action.INFORMATION_REQUEST_ENDED,
            subject=subject_of(application),
            data={
                "request": request.pk,
                "paused_working_days": paused,
                "decision_due": str(application.decision_due),
            },
        )
        notify_applicant(
            application, "information_request_ended", decision_due_text=format_date(application.decision_due)
        )
        officer = application.assigned_to
        recipients = (
            [officer]
            if officer is not None and officer.is_active
            else list(routing.supervisors_of(application.service.agency))
        )
        for person in recipients:
            routing.notify_staff(
                user=person,
                urgency="mendesak",
                template="information_request_ended_staff",
                context={
                    "reference": application.reference,
                    "service": application.service.name,
                    "due": format_date(application.decision_due),
                },
            )
    return 1

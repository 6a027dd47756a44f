"""Human review: an officer claims a case, decides it (against the rules' result only with a *diskresi*
record), or asks the citizen for information (the clock pauses; the deadline moves by the paused days)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.core.formatting import format_date
from pamong.staffing import routing as staffing

from .. import deadlines, safeguards, transitions
from ..models import Application, Decision, Discretion, InformationRequest
from ..selectors import latest_proposal
from .common import S, locked, notify_applicant, record_decision, subject_of
from .counter import consent_for


def claim_application(application: Application, *, actor) -> Application:
    with transaction.atomic():
        application = locked(application)
        transitions.require(application, S.UNDER_REVIEW, S.INFO_REQUESTED)
        if application.assigned_to_id not in (None, actor.pk):
            raise Conflict(_("Another officer is already handling this application."), code="already_claimed")
        application.assigned_to = actor
        application.save(update_fields=["assigned_to", "updated_at"])
    return application


@dataclass(frozen=True)
class DiscretionInput:
    purpose: str
    objective_reasons: str
    legal_basis: str
    conflict_of_interest: bool
    conflict_note: str = ""


def decide_application(
    application: Application,
    *,
    actor,
    outcome: str,
    reasons: str,
    legal_basis: str = "",
    discretion: DiscretionInput | None = None,
) -> Decision:
    """An officer's decision. Deciding against the rules' GRANT or DENY is *diskresi*: it needs the record."""
    if outcome not in (Decision.Outcome.GRANT, Decision.Outcome.DENY):
        raise ValidationFailed(gettext("Choose the decision: grant or refuse."), code="invalid_outcome")
    with transaction.atomic():
        application = locked(application)
        transitions.require(application, S.UNDER_REVIEW)
        if application.assigned_to_id != actor.pk:
            raise Conflict(_("Claim this application before deciding it."), code="not_claimed")
        proposal = latest_proposal(application)
        machine = proposal.outcome if proposal else None
        overriding = machine in (Decision.Outcome.GRANT, Decision.Outcome.DENY) and outcome != machine
        _check_reasons(outcome, reasons, overriding, discretion)
        decision = record_decision(
            application,
            kind=Decision.Kind.OVERRIDE if overriding else Decision.Kind.HUMAN,
            outcome=outcome,
            final=True,
            actor=actor,
            reasons=reasons.strip(),
            legal_basis=legal_basis.strip(),
            evaluation=proposal.evaluation if proposal else None,
            facts=proposal.facts if proposal else None,
            extra={"machine_outcome": machine, **({"discretion": discretion.__dict__} if overriding else {})},
        )
        if overriding:
            _record_discretion(decision, discretion, application)
        if proposal is not None:  # oversight watches review patterns (coaching, never appraisal)
            safeguards.current().review_decided(decision)
        transitions.move(application, S.GRANTED if outcome == Decision.Outcome.GRANT else S.DENIED)
        application.save()
        notify_applicant(application, "decision_made")
    return decision


def _check_reasons(outcome: str, reasons: str, overriding: bool, discretion: DiscretionInput | None) -> None:
    if outcome == Decision.Outcome.DENY and not reasons.strip():
        raise ValidationFailed(
            _("A refusal must give reasons the citizen can read."), code="reasons_required"
        )
    if not overriding:
        return
    missing = []
    if discretion is None:
        missing = ["purpose", "objective_reasons", "legal_basis", "conflict_of_interest"]
    else:
        if discretion.purpose not in Discretion.Purpose.values:
            missing.append("purpose")
        if not discretion.objective_reasons.strip():
            missing.append("objective_reasons")
        if not discretion.legal_basis.strip():
            missing.append("legal_basis")
        if discretion.conflict_of_interest and not discretion.conflict_note.strip():
            missing.append("conflict_note")
    if missing:
        raise ValidationFailed(
            _(
                "A decision that differs from the rules' result is discretion: fill in the purpose, the objective reasons, the legal basis and the conflict-of-interest statement."
            ),
            code="discretion_record_required",
            details={"missing": missing},
        )


def _record_discretion(decision: Decision, discretion: DiscretionInput, application: Application) -> None:
    Discretion.objects.create(
        decision=decision,
        review_due=deadlines.discretion_review_due(recorded_on=deadlines.local_today()),
        **discretion.__dict__,
    )
    for supervisor in _supervisors_of(application):
        staffing.notify_staff(
            user=supervisor,
            urgency="mendesak",
            template="discretion_recorded",
            context={"reference": application.reference, "service": application.service.name},
        )


def _supervisors_of(application: Application):
    return User.objects.filter(agency_id=application.service.agency_id, groups__name=roles.SUPERVISOR)


def request_information(application: Application, *, actor, message: str) -> InformationRequest:
    if not message.strip():
        raise ValidationFailed(
            _("Write what information is needed from the citizen."), code="message_required"
        )
    with transaction.atomic():
        application = locked(application)
        if application.assigned_to_id != actor.pk:
            raise Conflict(_("Claim this application first."), code="not_claimed")
        transitions.move(application, S.INFO_REQUESTED)
        application.paused_since = deadlines.local_today()
        application.save()
        request = InformationRequest.objects.create(
            application=application,
            requested_by=actor,
            message=message.strip(),
            requested_at=timezone.now(),
            answer_by=deadlines.information_answer_by(requested_on=application.paused_since),
        )
        audit.record_event(
            actor=actor,
            action=Action.INFORMATION_REQUESTED,
            subject=subject_of(application),
            data={"request": request.pk, "clock_paused_on": application.paused_since.isoformat()},
        )
        notify_applicant(
            application,
            "information_requested",
            message=request.message,
            answer_by=format_date(request.answer_by),
        )
    return request


def provide_information(
    application: Application, *, actor, answer: str, consent: dict | None = None
) -> InformationRequest:
    """The citizen answers (or a counter officer for them, with their `consent`); the clock resumes and the
    deadline moves by exactly the paused working days."""
    if not answer.strip():
        raise ValidationFailed(_("Write your answer or the information asked for."), code="answer_required")
    with transaction.atomic():
        application = locked(application)
        if application.applicant_id != actor.pk and consent is None:
            raise PermissionDenied(_("Only the applicant can answer this request."), code="not_the_applicant")
        on_behalf = consent_for(application, actor=actor, consent=consent)
        transitions.move(application, S.UNDER_REVIEW)
        request = application.information_requests.filter(answered_at__isnull=True).last()
        application.decision_due, paused = deadlines.resumed_due(
            application.decision_due,
            paused_since=application.paused_since,
            resumed_on=deadlines.local_today(),
        )
        request.answer, request.answered_at, request.paused_working_days = (
            answer.strip(),
            timezone.now(),
            paused,
        )
        request.save()
        application.paused_since = None
        application.save()
        audit.record_event(
            actor=actor,
            action=Action.INFORMATION_PROVIDED,
            subject=subject_of(application),
            data={
                "request": request.pk,
                "paused_working_days": paused,
                "decision_due": str(application.decision_due),
                "on_behalf": on_behalf,
            },
        )
    return request

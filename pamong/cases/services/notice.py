"""The right to be heard (issue 13): a notice of intended refusal before an automated refusal is final.

- An automated DENY that would be final (impact level below 3) is recorded as an *intended* refusal (a decision
  record, not final) and a notice gives the citizen `deadlines.NOTICE_DAYS` working days to respond: add facts in
  words, attach a document, or declare a special circumstance. Anything added goes to a person (under review,
  the rules' refusal as the proposal); silence makes the refusal final, which starts the objection clock.
- A statement written on the form, which the rules cannot read, sends a refusal to a person instead of a notice.
- Disputing a fact during the notice ("Data ini tidak benar", corrections.py) is a response too.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.core.formatting import format_date
from pamong.staffing.routing import notify_on_duty

from .. import deadlines, transitions
from ..models import Application, Decision, RefusalNotice
from .common import S, locked, notify_applicant, record_decision, subject_of

MAX_RESPONSE = 4000


# --- the notice ---------------------------------------------------------------------------------------------
def issue_notice(application: Application, *, decision: Decision) -> RefusalNotice:
    """In the filing transaction: `decision` is the rules' refusal, recorded as not final."""
    issued = timezone.now()
    notice = RefusalNotice.objects.create(
        application=application,
        decision=decision,
        issued_at=issued,
        respond_by=deadlines.notice_response_due(issued_on=timezone.localtime(issued).date()),
    )
    transitions.move(application, S.REFUSAL_NOTICE)
    audit.record_event(
        actor=None,
        action=Action.REFUSAL_NOTICE_ISSUED,
        subject=subject_of(application),
        data={"notice": notice.pk, "decision": decision.pk, "respond_by": notice.respond_by.isoformat()},
    )
    return notice


def open_notice(application: Application) -> RefusalNotice | None:
    if application.status != S.REFUSAL_NOTICE:
        return None
    return application.refusal_notices.filter(status=RefusalNotice.Status.OPEN).first()


def respond_to_notice(
    application: Application, *, actor, statement: str, circumstance: str = ""
) -> RefusalNotice:
    """The citizen responds: the case goes to a person, who must consider the response before deciding."""
    statement = statement.strip()[:MAX_RESPONSE]
    if circumstance not in RefusalNotice.Circumstance.values:
        raise ValidationFailed(_("Choose a special circumstance from the list."), code="invalid_circumstance")
    if not statement and not circumstance:
        raise ValidationFailed(
            _("Write your response or choose the special circumstance you are in."), code="response_required"
        )
    with transaction.atomic():
        application = locked(application)
        if application.applicant_id != actor.pk:
            raise PermissionDenied(_("Only the applicant can respond."), code="not_the_applicant")
        notice = open_notice(application)
        if notice is None:
            raise Conflict(
                _("No notice of intended refusal is waiting for a response."), code="no_open_notice"
            )
        notice.response, notice.circumstance = statement, circumstance
        notice.status, notice.responded_at = RefusalNotice.Status.ANSWERED, timezone.now()
        notice.save()
        to_a_person(application, notice, reason="response")
        audit.record_event(
            actor=actor,
            action=Action.REFUSAL_NOTICE_ANSWERED,
            subject=subject_of(application),
            data={"notice": notice.pk, "circumstance": circumstance, "with_statement": bool(statement)},
        )
    return notice


def answer_with_document(application: Application) -> None:
    """In the attaching transaction (the row locked): a document sent during the notice answers it."""
    notice = open_notice(application)
    if notice is None:
        return
    notice.status, notice.responded_at = RefusalNotice.Status.ANSWERED, timezone.now()
    notice.save()
    to_a_person(application, notice, reason="document")
    audit.record_event(
        actor=application.applicant,
        action=Action.REFUSAL_NOTICE_ANSWERED,
        subject=subject_of(application),
        data={"notice": notice.pk, "circumstance": "", "with_document": True},
    )


def to_a_person(application: Application, notice: RefusalNotice, *, reason: str) -> Decision:
    """The rules' refusal becomes a proposal that an officer confirms or departs from, with a new date."""
    intended = notice.decision
    proposal = record_decision(
        application,
        kind=Decision.Kind.PROPOSAL,
        outcome=intended.outcome,
        final=False,
        actor=None,
        evaluation=intended.evaluation,
        facts=intended.facts,
        extra={"notice": notice.pk, "heard": reason, "replaces": intended.pk},
    )
    transitions.move(application, S.UNDER_REVIEW)
    application.decision_due = deadlines.decision_due(
        application.service, complete_on=deadlines.local_today()
    )
    application.assigned_to = None
    application.save()
    notify_on_duty(
        agency=application.service.agency,
        function="review",
        urgency="mendesak",
        template="refusal_notice_answered",
        context={"reference": application.reference, "url": f"/petugas/permohonan/{application.pk}/"},
    )
    notify_applicant(application, "refusal_notice_answered")
    return proposal


def finalise_lapsed_notices(*, today: dt.date | None = None) -> int:
    """Periodic: notices whose response period ended without a response make the refusal final (each in its own
    transaction). A document attached during the period counts as a response and goes to a person."""
    today = today or deadlines.local_today()
    lapsed = RefusalNotice.objects.filter(status=RefusalNotice.Status.OPEN, respond_by__lt=today)
    return sum(_finalise(pk, today) for pk in list(lapsed.values_list("pk", flat=True)))


def _finalise(pk: int, today: dt.date) -> int:
    with transaction.atomic():
        notice = RefusalNotice.objects.select_for_update().select_related("decision").get(pk=pk)
        if notice.status != RefusalNotice.Status.OPEN or notice.respond_by >= today:
            return 0
        application = locked(notice.application)
        notice.closed_at = timezone.now()
        if application.attachments.filter(uploaded_at__gte=notice.issued_at).exists():
            notice.status, notice.responded_at = RefusalNotice.Status.ANSWERED, notice.closed_at
            notice.save()
            to_a_person(application, notice, reason="document")
            return 1
        notice.status = RefusalNotice.Status.FINAL
        notice.save()
        intended = notice.decision
        final = record_decision(
            application,
            kind=Decision.Kind.AUTOMATIC,
            outcome=Decision.Outcome.DENY,
            final=True,
            actor=None,
            reasons=f"Tidak ada tanggapan atas pemberitahuan rencana penolakan sampai {format_date(notice.respond_by)}.",
            evaluation=intended.evaluation,
            facts=intended.facts,
            extra={"notice": notice.pk, "after_notice": True, "replaces": intended.pk},
        )
        transitions.move(application, S.DENIED)
        application.save()
        audit.record_event(
            actor=None,
            action=Action.REFUSAL_NOTICE_LAPSED,
            subject=subject_of(application),
            data={"notice": notice.pk, "decision": final.pk},
        )
        notify_applicant(application, "decision_made")
    return 1

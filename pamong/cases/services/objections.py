"""Objection (*keberatan*) to a refusal, decided by another officer; appeal (*banding*), decided by a supervisor."""

from __future__ import annotations

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.core.formatting import format_date, reader_date

from .. import access, deadlines, transitions
from ..models import Application, Decision, Objection
from ..selectors import final_decision
from .common import S, locked, notify_applicant, record_decision, subject_of
from .counter import consent_for


def complaint_url(application: Application) -> str:
    """The complaint form about this application (pamong.complaints sits above cases: linked by URL name only)."""
    try:
        return f"{reverse('complaints:new')}?permohonan={application.reference}"
    except NoReverseMatch:  # a site without the complaints module
        return "/kontak/"


def file_objection(
    application: Application, *, actor, statement: str, consent: dict | None = None
) -> Objection:
    """The applicant objects, or a counter officer files it for them with their `consent` (issue 15)."""
    if not statement.strip():
        raise ValidationFailed(_("Explain the grounds of your objection."), code="statement_required")
    with transaction.atomic():
        application = locked(application)
        if application.applicant_id != actor.pk and consent is None:
            raise PermissionDenied(_("Only the applicant can file an objection."), code="not_the_applicant")
        on_behalf = consent_for(application, actor=actor, consent=consent)
        contested = final_decision(application)
        if application.status != S.DENIED or contested is None or application.objections.exists():
            raise ValidationFailed(
                _("An objection can be filed once, against a refusal."), code="objection_not_possible"
            )
        deadline = deadlines.objection_deadline(contested)
        if deadlines.local_today() > deadline:
            raise ValidationFailed(
                _(
                    "The time to object has passed: it ended on %(date)s (%(days)s working days after you were "
                    "told of the decision). You can still file a complaint: %(url)s"
                )
                % {
                    "date": reader_date(deadline),  # the reader's words, like the appeal's
                    "days": application.service.objection_days,
                    "url": complaint_url(application),
                },
                code="objection_too_late",
                details={"deadline": deadline.isoformat(), "complaint_url": complaint_url(application)},
            )
        transitions.move(application, S.OBJECTION)
        application.save()
        objection = Objection.objects.create(
            application=application,
            stage=Objection.Stage.OBJECTION,
            contested=contested,
            statement=statement.strip(),
            filed_at=timezone.now(),
            due=deadlines.objection_due(filed_on=deadlines.local_today()),
        )
        audit.record_event(
            actor=actor,
            action=Action.OBJECTION_FILED,
            subject=subject_of(application),
            data={"objection": objection.pk, "due": objection.due.isoformat(), "on_behalf": on_behalf},
        )
        notify_applicant(application, "objection_received", due=format_date(objection.due))
    return objection


def file_appeal(application: Application, *, actor, statement: str, consent: dict | None = None) -> Objection:
    """The applicant appeals, or a counter officer files it for them with their `consent` (issue 15)."""
    if not statement.strip():
        raise ValidationFailed(_("Explain the grounds of your appeal."), code="statement_required")
    with transaction.atomic():
        application = locked(application)
        if application.applicant_id != actor.pk and consent is None:
            raise PermissionDenied(_("Only the applicant can file an appeal."), code="not_the_applicant")
        on_behalf = consent_for(application, actor=actor, consent=consent)
        last = application.objections.order_by("-filed_at").first()
        if application.status != S.DENIED or last is None or last.stage != Objection.Stage.OBJECTION:
            raise ValidationFailed(
                _("An appeal can be filed once your objection has been decided and refused."),
                code="appeal_not_possible",
            )
        deadline = deadlines.appeal_deadline(last)
        if deadlines.local_today() > deadline:
            raise ValidationFailed(
                _("The time to appeal has passed: it ended on %(date)s.") % {"date": reader_date(deadline)},
                code="appeal_too_late",
                details={"deadline": deadline.isoformat()},
            )
        transitions.move(application, S.APPEAL)
        application.save()
        appeal = Objection.objects.create(
            application=application,
            stage=Objection.Stage.APPEAL,
            contested=final_decision(application),
            statement=statement.strip(),
            filed_at=timezone.now(),
            due=deadlines.appeal_due(application.service, filed_on=deadlines.local_today()),
        )
        audit.record_event(
            actor=actor,
            action=Action.APPEAL_FILED,
            subject=subject_of(application),
            data={"appeal": appeal.pk, "due": appeal.due.isoformat(), "on_behalf": on_behalf},
        )
        notify_applicant(application, "appeal_received", due=format_date(appeal.due))
    return appeal


def decide_objection(objection: Objection, *, actor, overturn: bool, reasons: str) -> Decision:
    """Objection: a different officer (or the supervisor) decides. Appeal: the supervisor's level decides."""
    if not reasons.strip():
        raise ValidationFailed(
            _("A decision on an objection or appeal must give its reasons."), code="reasons_required"
        )
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("contested").get(pk=objection.pk)
        application = locked(objection.application)
        if objection.status != Objection.Status.PENDING:
            raise Conflict(_("This objection has already been decided."), code="already_decided")
        _check_objection_decider(objection, actor)
        appeal = objection.stage == Objection.Stage.APPEAL
        decision = record_decision(
            application,
            kind=Decision.Kind.APPEAL if appeal else Decision.Kind.OBJECTION,
            outcome=Decision.Outcome.GRANT if overturn else Decision.Outcome.DENY,
            final=True,
            actor=actor,
            reasons=reasons.strip(),
            extra={"objection": objection.pk, "overturned": overturn},
        )
        objection.status = Objection.Status.OVERTURNED if overturn else Objection.Status.UPHELD
        objection.decided_by, objection.decided_at, objection.reasons = actor, timezone.now(), reasons.strip()
        objection.save()
        transitions.move(application, S.GRANTED if overturn else S.DENIED)
        application.save()
        notify_applicant(application, "objection_decided", stage=Objection.Stage(objection.stage).label)
    return decision


def _check_objection_decider(objection: Objection, actor) -> None:
    refusal = access.objection_decision_refusal(actor, objection)  # the case page asks the same question
    if refusal is not None:
        raise refusal

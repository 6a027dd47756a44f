""" "Data ini tidak benar": the citizen disputes one registry fact that decided the case. The request names the
fact and its source and goes to the agency's officers with a deadline; when they correct the data the one case is
re-run (a refusal the corrected data no longer supports is re-opened) and the citizen is told."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.core.formatting import format_date
from pamong.staffing.routing import notify_on_duty

from .. import deadlines
from ..models import Application, DataCorrectionRequest, RefusalNotice
from .automation import rerun_application
from .common import locked, notify_applicant, subject_of
from .notice import MAX_RESPONSE, open_notice, to_a_person

CORRECTION_DAYS = 5  # the owning agency checks a disputed fact within 5 working days


def request_data_correction(
    application: Application, *, actor, fact: str, statement: str
) -> DataCorrectionRequest:
    """The citizen disputes one fact that decided the case (it must be one of the case's recorded facts)."""
    statement = statement.strip()[:MAX_RESPONSE]
    if not statement:
        raise ValidationFailed(
            _("Write what is wrong and what the correct data is."), code="statement_required"
        )
    with transaction.atomic():
        application = locked(application)
        if application.applicant_id != actor.pk:
            raise PermissionDenied(
                _("Only the applicant can ask for a data correction."), code="not_the_applicant"
            )
        facts = _recorded_facts(application)
        if fact not in facts:
            raise ValidationFailed(
                _("This data is not recorded on your application."),
                code="unknown_fact",
                details={"fact": fact[:80]},
            )
        if application.data_corrections.filter(fact=fact, status=DataCorrectionRequest.Status.OPEN).exists():
            raise Conflict(_("This data correction request is being checked."), code="correction_pending")
        now = timezone.now()
        correction = DataCorrectionRequest.objects.create(
            application=application,
            fact=fact,
            source=str(facts[fact].get("source", ""))[:120],
            statement=statement,
            filed_by=actor,
            filed_at=now,
            due=deadlines.add_working_days(timezone.localtime(now).date(), CORRECTION_DAYS),
        )
        notice = open_notice(application)
        if notice is not None:  # disputing the data during the notice is a response: a person decides
            notice.status, notice.responded_at = RefusalNotice.Status.ANSWERED, now
            notice.circumstance = RefusalNotice.Circumstance.DATA_ERROR
            notice.save()
            to_a_person(application, notice, reason="data_correction")
        audit.record_event(
            actor=actor,
            action=Action.DATA_CORRECTION_REQUESTED,
            subject=subject_of(application),
            data={"correction": correction.pk, "fact": fact, "source": correction.source},
        )
        notify_on_duty(
            agency=application.service.agency,
            function="review",
            urgency="mendesak",
            template="data_correction_requested",
            context={
                "reference": application.reference,
                "fact": fact,
                "due": format_date(correction.due),
                "url": f"/petugas/permohonan/{application.pk}/",
            },
        )
    return correction


def _recorded_facts(application: Application) -> dict:
    decision = application.decisions.order_by("-decided_at", "-pk").first()
    return dict(((decision.facts if decision else {}) or {}).get("facts") or {})


def resolve_data_correction(
    correction: DataCorrectionRequest, *, actor, corrected: bool, resolution: str
) -> DataCorrectionRequest:
    """An officer of the agency answers. Corrected: the source now holds the right value, so that one case is
    re-run (after this transaction: facts are gathered anew) and the citizen told either way."""
    if not resolution.strip():
        raise ValidationFailed(_("Write the result of checking the data."), code="resolution_required")
    with transaction.atomic():
        correction = DataCorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        application = locked(correction.application)
        if actor.agency_id != application.service.agency_id:
            raise PermissionDenied(_("This request belongs to another agency."), code="other_agency")
        if correction.status != DataCorrectionRequest.Status.OPEN:
            raise Conflict(
                _("This data correction request has already been answered."), code="correction_resolved"
            )
        correction.status = (
            DataCorrectionRequest.Status.CORRECTED if corrected else DataCorrectionRequest.Status.REJECTED
        )
        correction.resolved_by, correction.resolved_at = actor, timezone.now()
        correction.resolution = resolution.strip()[:MAX_RESPONSE]
        correction.save()
        audit.record_event(
            actor=actor,
            action=Action.DATA_CORRECTION_RESOLVED,
            subject=subject_of(application),
            data={"correction": correction.pk, "fact": correction.fact, "corrected": corrected},
        )
        notify_applicant(application, "data_correction_resolved", resolution=correction.resolution)
    if corrected:
        rerun_application(application.pk, actor=actor, repair=True)
    return correction


def open_corrections(user):
    """The agency's open correction requests, earliest deadline first (the officers' queue)."""
    return (
        DataCorrectionRequest.objects.filter(
            application__service__agency_id=user.agency_id, status=DataCorrectionRequest.Status.OPEN
        )
        .select_related("application__service")
        .order_by("due", "pk")
    )

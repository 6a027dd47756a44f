"""Officers' voice and guard: a case officer flags a rule that looks harmful (the analysts hear of it; oversight
may open a provisional breaker through the safeguards port), and a supervisor reviews each *diskresi* record
(acknowledge, support or return it) within its clock."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.registry.regions import region_code_of
from pamong.staffing.routing import notify_on_duty, notify_staff

from .. import safeguards
from ..models import Application, Discretion, RuleFlag
from .common import subject_of

MAX_REASON = 2000
MIN_REASON = 10


def flag_rule(application: Application, *, actor, rule_id: str, reason: str) -> RuleFlag:
    """A case officer of the agency flags one of the rules that judged this case, with a reason. The flag goes to
    the analysts (else supervisors); oversight counts flags per rule and region (two officers within 24 hours
    open a provisional breaker). Who flagged is audited, never used to appraise the flagger."""
    reason = reason.strip()[:MAX_REASON]
    if len(reason) < MIN_REASON:
        raise ValidationFailed(
            _("Write the reason (at least %(min)s characters): what in this rule harms citizens.")
            % {"min": MIN_REASON},
            code="reason_required",
        )
    if actor.agency_id != application.service.agency_id or not roles.roles_of(actor) & {
        roles.PETUGAS,
        roles.SUPERVISOR,
    }:
        raise PermissionDenied(_("Only an officer of this agency can flag a rule."), code="not_case_officer")
    decision = next((d for d in application.decisions.order_by("-decided_at", "-pk") if d.evaluation), None)
    evaluation = decision.evaluation if decision else {}
    known = [r.get("rule_id") for r in evaluation.get("rules", [])]
    if rule_id not in known:
        raise ValidationFailed(
            _("Choose a rule that assessed this application."), code="unknown_rule", details={"known": known}
        )
    values = ((decision.facts if decision else {}) or {}).get("values") or {}
    with transaction.atomic():
        flag = RuleFlag.objects.create(
            application=application,
            service=application.service,
            rule_id=rule_id,
            region_code=region_code_of(values, application.form_data),
            reason=reason,
            flagged_by=actor,
            flagged_at=timezone.now(),
        )
        audit.record_event(
            actor=actor,
            action=Action.RULE_FLAGGED,
            subject=subject_of(application),
            data={"flag": flag.pk, "service": application.service.slug, "rule_id": rule_id},
        )
        provisional = safeguards.current().rule_flagged(flag)
        notify_on_duty(
            agency=application.service.agency,
            function="alerts",
            urgency="mendesak",
            template="rule_flagged",
            context={
                "service": application.service.name,
                "rule_id": rule_id,
                "region": flag.region_code or "-",
                "reason": reason,
                "provisional": provisional,
            },
        )
    return flag


def review_discretion(discretion: Discretion, *, actor, verdict: str, note: str = "") -> Discretion:
    """A supervisor of the agency acknowledges, supports or returns a diskresi record (audited). Returning it
    needs a note, which the deciding officer receives."""
    if verdict not in Discretion.Verdict.values:
        raise ValidationFailed(_("Choose: noted, supported or returned."), code="invalid_verdict")
    if verdict == Discretion.Verdict.RETURNED and not note.strip():
        raise ValidationFailed(_("Write a note for the officer when returning it."), code="note_required")
    with transaction.atomic():
        discretion = (
            Discretion.objects.select_for_update(of=("self",))
            .select_related("decision__application__service", "decision__decided_by")
            .get(pk=discretion.pk)
        )
        application = discretion.decision.application
        if actor.agency_id != application.service.agency_id or roles.SUPERVISOR not in roles.roles_of(actor):
            raise PermissionDenied(
                _("Only a supervisor of this agency can review discretion."), code="not_supervisor"
            )
        if discretion.decision.decided_by_id == actor.pk:
            raise PermissionDenied(
                _("Your own discretion is reviewed by another supervisor."), code="own_discretion"
            )
        if discretion.verdict:
            raise Conflict(_("This discretion record has already been reviewed."), code="already_reviewed")
        discretion.verdict = verdict
        discretion.supervisor_note = note.strip()[:MAX_REASON]
        discretion.supervisor_acknowledged_by, discretion.supervisor_acknowledged_at = actor, timezone.now()
        discretion.save()
        audit.record_event(
            actor=actor,
            action=Action.DISCRETION_REVIEWED,
            subject=subject_of(application),
            data={"discretion": discretion.pk, "decision": discretion.decision_id, "verdict": verdict},
        )
        if verdict == Discretion.Verdict.RETURNED and discretion.decision.decided_by:
            notify_staff(
                user=discretion.decision.decided_by,
                urgency="biasa",
                template="discretion_returned",
                context={"reference": application.reference, "note": discretion.supervisor_note},
            )
    return discretion


def discretion_register(user):
    """The agency's diskresi records for its supervisors: unreviewed first, earliest clock first."""
    return (
        Discretion.objects.filter(decision__application__service__agency_id=user.agency_id)
        .select_related(
            "decision__application__service", "decision__decided_by", "supervisor_acknowledged_by"
        )
        .order_by("verdict", "review_due", "-pk")
    )

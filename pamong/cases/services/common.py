"""What every part of the decision path shares: the audit subject, the row lock, the one way to write a decision
record, and the one way to tell the applicant."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.formatting import format_date
from pamong.notify import services as notify

from .. import events
from ..models import Application, Decision
from ..selectors import subject_of

S = Application.Status
DECISION_ACTIONS = {
    Decision.Kind.AUTOMATIC: Action.DECISION_RECORDED,
    Decision.Kind.PROPOSAL: Action.DECISION_RECORDED,
    Decision.Kind.HUMAN: Action.DECISION_RECORDED,
    Decision.Kind.OVERRIDE: Action.DECISION_OVERRIDDEN,
    Decision.Kind.DEEMED: Action.DEEMED_APPROVED,
    Decision.Kind.OBJECTION: Action.OBJECTION_DECIDED,
    Decision.Kind.APPEAL: Action.APPEAL_DECIDED,
}


def locked(application: Application) -> Application:
    """Re-read and lock the row: whoever holds it decides; the other waits, then sees the new status."""
    return (
        Application.objects.select_for_update()
        .select_related("service__agency", "applicant")
        .get(pk=application.pk)
    )


def record_decision(
    application: Application,
    *,
    kind: str,
    outcome: str,
    final: bool,
    actor,
    reasons: str = "",
    legal_basis: str = "",
    evaluation: dict | None = None,
    facts: dict | None = None,
    extra: dict | None = None,
) -> Decision:
    """The one way to write a decision record, with its audit entry (leaf index kept on the record). Runs in the
    caller's transaction; the caller moves the status."""
    with transaction.atomic(savepoint=False):  # the append lock, taken by next_index, is held until commit
        index = audit.next_index()
        decision = Decision.objects.create(
            application=application,
            kind=kind,
            outcome=outcome,
            final=final,
            decided_by=actor,
            decided_at=timezone.now(),
            reasons=reasons,
            legal_basis=legal_basis,
            evaluation=evaluation or {},
            facts=facts or {},
            audit_index=index,  # the entry appended next, under the lock: no update after the append
        )
        entry = audit.record_event(
            actor=actor,
            action=DECISION_ACTIONS[kind],
            subject=subject_of(application),
            data={
                "decision": decision.pk,
                "kind": kind,
                "outcome": outcome,
                "final": final,
                "rule_set": (evaluation or {}).get("version_id"),
                "rule_set_hash": (evaluation or {}).get("content_hash"),
                **(extra or {}),
            },
        )
        if entry.index != index:  # cannot happen under the lock; never keep a pointer to another entry
            raise RuntimeError(f"audit entry {entry.index} appended where {index} was reserved")
    if final:
        application.decided_now = decision
    return decision


def status_text(status: str) -> str:
    """The status as the citizen reads it, from the one label the model declares (translated)."""
    return str(S(status).label) if status in S.values else status


def notify_applicant(
    application: Application, template: str, *, decision: Decision | None = None, **extra: Any
) -> None:
    """An outbox row for the applicant in the caller's transaction, delivered after commit. The texts are
    Indonesian (the citizen's language of record), whatever language the acting officer's page uses. `decision`:
    the final decision just recorded, passed on to the listeners of the change (they need not read it back)."""
    with translation.override("id"):
        context = {
            "reference": application.reference,
            "service": application.service.name,
            "status": status_text(application.status),
            "decision_due": format_date(application.decision_due),
            "url": notify.absolute_url(f"/permohonan/{application.pk}/"),
            **{key: str(value) if isinstance(value, Promise) else value for key, value in extra.items()},
        }
    notify.notify_user(
        user=application.applicant,
        template=template,
        context=context,
        subject_ref=subject_of(application),  # the objection clock asks when the citizen was told
        letter_queue=application.service.agency.slug,  # no channel works: a printed letter at its counter
    )
    # e.g. signed webhooks to other systems (pamong.clients), the decision's letter (pamong.documents)
    events.publish(application, change=template, decision=decision)

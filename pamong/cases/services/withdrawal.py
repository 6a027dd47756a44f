"""The applicant withdraws an application before its final decision (or while a re-opened refusal is examined
again): the case stops, whoever held it is released, the citizen is told, and modules above (documents) learn it
through the events port and issue the withdrawal letter."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pamong.audit import services as audit
from pamong.audit.actions import Action

from .. import transitions
from ..models import Application, RefusalNotice
from .common import S, locked, notify_applicant, subject_of
from .counter import consent_for

WITHDRAWABLE = transitions.ALLOWED[S.WITHDRAWN]


def withdraw_application(
    application: Application, *, actor, statement: str = "", consent: dict | None = None
) -> Application:
    """The applicant (or a counter officer with their `consent`) withdraws; one transaction with its audit entry.
    An open notice of intended refusal closes: the citizen answered it by withdrawing."""
    with transaction.atomic():
        application = locked(application)
        on_behalf = consent_for(application, actor=actor, consent=consent)
        transitions.move(application, S.WITHDRAWN)
        application.assigned_to = None
        application.paused_since = None
        application.save()
        now = timezone.now()
        application.refusal_notices.filter(status=RefusalNotice.Status.OPEN).update(
            status=RefusalNotice.Status.ANSWERED, responded_at=now, closed_at=now
        )
        audit.record_event(
            actor=actor,
            action=Action.APPLICATION_WITHDRAWN,
            subject=subject_of(application),
            data={"statement": statement.strip()[:500], "on_behalf": on_behalf},
        )
        notify_applicant(application, "application_withdrawn")
    return application

"""The counter through the whole case (issue 15): any counter officer, of any agency at the service mall, finds a
case by its reference number and the citizen's NIK (logged in the citizen's access log under the officer's
name), and files an objection, an appeal or an answer to an information request for the citizen with their
recorded consent; printed-letter tasks of the agency's counter queue are handed over or posted."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.selectors import account_by_nik
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import NotFound, PermissionDenied, ValidationFailed
from pamong.notify import services as notify
from pamong.notify.models import LetterTask

from ..access import role_names
from ..models import Application

CONSENT_STATEMENT_MAX = 1000


def is_counter_officer(user) -> bool:
    return roles.PETUGAS_LOKET in role_names(user)


def counter_find(*, actor, reference: str, nik: str, why: str = "") -> Application:
    """The application with this reference whose applicant has this NIK, for any counter officer; the same 404
    for a wrong reference, a wrong NIK or a caller who is not a counter officer. Logged for the citizen."""
    not_found = NotFound(
        _("No application has this reference number and NIK. Check both on the citizen's proof and KTP."),
        code="counter_case_not_found",
    )
    if not is_counter_officer(actor):
        raise not_found
    reference, nik = "".join(reference.split()).upper()[:24], "".join(nik.split())[:20]
    application = (
        Application.objects.select_related("service__agency", "applicant").filter(reference=reference).first()
    )
    citizen = account_by_nik(nik) if reference and len(nik) == 16 else None
    if application is None or citizen is None or application.applicant_id != citizen.pk:
        raise not_found
    accounts.record_personal_data_access(
        actor=actor,
        citizen=application.applicant,
        what=f"permohonan {application.reference}: status, alasan dan surat",
        why=why or "dicari di loket dengan nomor permohonan dan NIK",
    )
    return application


def consent_for(application: Application, *, actor, consent: dict[str, Any] | None) -> dict[str, Any] | None:
    """None when the applicant acts themself. A counter officer acting for them must bring the citizen's consent
    (method and the statement read to them): returned as it is recorded. Anybody else: PermissionDenied."""
    if application.applicant_id == actor.pk:
        return None
    if consent is None or not is_counter_officer(actor):
        raise PermissionDenied(_("Only the applicant may do this."), code="not_the_applicant")
    method = str(consent.get("method", ""))
    statement = str(consent.get("statement", "")).strip()
    problems = {}
    if method not in Application.ConsentMethod.values:
        problems["consent_method"] = _("Choose how the citizen gave consent.")
    if not statement:
        problems["consent_statement"] = _("Record the consent statement read to the citizen.")
    if problems:
        raise ValidationFailed(
            _("Record the citizen's consent before filing for them."),
            code="consent_required",
            details=problems,
        )
    return {
        "given": True,
        "method": method,
        "statement": statement[:CONSENT_STATEMENT_MAX],
        "recorded_by": actor.pk,
        "recorded_at": timezone.now().isoformat(),
    }


def hand_over_letter(*, actor, task_id: int, how: str) -> LetterTask:
    """A counter officer of the task's agency hands the printed letter over (the citizen is told now: the
    objection clock starts) or posts it. Audited on the citizen's account."""
    if not is_counter_officer(actor) or not actor.agency_id:
        raise NotFound(_("Letter not found."), code="letter_not_found")
    task = (
        LetterTask.objects.select_related("notification").filter(pk=task_id, queue=actor.agency.slug).first()
    )
    if task is None:
        raise NotFound(_("Letter not found."), code="letter_not_found")
    if how not in (LetterTask.Status.HANDED_OVER, LetterTask.Status.POSTED):
        raise ValidationFailed(_("Choose: handed over or posted."), code="invalid_hand_over")
    with transaction.atomic():
        task = notify.record_letter_handled(task=task, officer=actor, how=how)
        audit.record_event(
            actor=actor,
            action=Action.LETTER_HANDLED,
            subject=task.notification.subject_ref or f"accounts.user:{task.notification.recipient_id}",
            data={"letter": task.pk, "how": task.status},
        )
    return task

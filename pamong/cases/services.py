"""The decision path (DESIGN §3): submit, decide automatically or refer, review, object, appeal, deem granted.

Every function here is one transaction that writes its audit entry inside it (CONVENTIONS §2, §5); notifications
go out after commit. Rows that two people could act on at once are locked with select_for_update.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pamong.accounts import roles
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.core.formatting import format_date
from pamong.core.workdays import add_working_days, working_days_between
from pamong.notify import services as notify
from pamong.oversight.selectors import open_breaker_rule_ids, region_code_of

from . import rulebook, transitions
from .access import role_names
from .forms import FormInvalid, clean_form
from .models import Application, Attachment, Decision, Discretion, InformationRequest, Objection

S = Application.Status
OBJECTION_DECISION_DAYS = 10  # UU 30/2014 Art. 77(4): the agency decides an objection within 10 working days
APPEAL_FILING_DAYS = (
    10  # UU 30/2014 Art. 78(1): an appeal is filed within 10 working days of the objection decision
)
DECISION_ACTIONS = {
    Decision.Kind.AUTOMATIC: Action.DECISION_RECORDED,
    Decision.Kind.PROPOSAL: Action.DECISION_RECORDED,
    Decision.Kind.HUMAN: Action.DECISION_RECORDED,
    Decision.Kind.OVERRIDE: Action.DECISION_OVERRIDDEN,
    Decision.Kind.DEEMED: Action.DEEMED_APPROVED,
    Decision.Kind.OBJECTION: Action.OBJECTION_DECIDED,
    Decision.Kind.APPEAL: Action.APPEAL_DECIDED,
}


def local_today() -> dt.date:
    return timezone.localdate()


def subject_of(application: Application) -> str:
    return f"cases.application:{application.pk}"


# --- submit ------------------------------------------------------------------------------------------------


def request_digest(*, service_slug: str, form: Any, statement: str) -> str:
    body = {"service": service_slug, "form": form, "statement": statement}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def submit_application(
    *,
    actor,
    service,
    applicant,
    form: dict[str, Any],
    statement: str = "",
    channel: str = Application.Channel.WEB,
    idempotency_key: str = "",
    consent: dict[str, Any] | None = None,
) -> tuple[Application, bool]:
    """File an application and decide it at once where the rules allow. Returns (application, created).

    The same Idempotency-Key with the same request returns the first application; with a different request it
    is a 409, so a retried submission never creates a second application.
    """
    digest = request_digest(service_slug=service.slug, form=form, statement=statement)
    if idempotency_key:
        existing = Application.objects.filter(applicant=applicant, idempotency_key=idempotency_key).first()
        if existing:
            return _replayed(existing, digest), False
    try:
        with transaction.atomic():
            application = _file(
                actor=actor,
                service=service,
                applicant=applicant,
                form=form,
                statement=statement,
                channel=channel,
                idempotency_key=idempotency_key,
                digest=digest,
                consent=consent,
            )
            decide_automatically(application)
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer as if we had been second.
        existing = Application.objects.filter(applicant=applicant, idempotency_key=idempotency_key).first()
        if not idempotency_key or existing is None:
            raise
        return _replayed(existing, digest), False
    return application, True


def _replayed(existing: Application, digest: str) -> Application:
    if existing.request_digest != digest:
        raise Conflict(
            "Idempotency-Key ini sudah dipakai untuk permohonan lain dengan isi berbeda. "
            "Gunakan kunci baru untuk permohonan baru.",
            code="idempotency_key_reused",
            details={"application": str(existing.pk)},
        )
    return existing


def _file(
    *, actor, service, applicant, form, statement, channel, idempotency_key, digest, consent
) -> Application:
    today = local_today()
    try:
        cleaned = clean_form(service.form_fields, form, today=today, check_nik=_check_nik)
    except FormInvalid as exc:
        raise ValidationFailed(
            "Formulir belum benar. Periksa isian yang disebut.", code="form_invalid", details=exc.errors
        ) from exc
    if channel == Application.Channel.COUNTER:
        _check_consent(consent)
    now = timezone.now()
    application = Application.objects.create(
        reference=new_reference(today),
        service=service,
        applicant=applicant,
        channel=channel,
        assisted_by=actor if channel == Application.Channel.COUNTER else None,
        consent=consent or {},
        form_data=cleaned,
        statement=statement.strip()[:4000],
        status=S.UNDER_REVIEW,
        filed_at=now,
        completed_at=now,  # every required field is validated above, so the application is complete now
        decision_due=add_working_days(today, service.decision_days),
        idempotency_key=idempotency_key,
        request_digest=digest,
    )
    audit.record_event(
        actor=actor,
        action=Action.APPLICATION_SUBMITTED,
        subject=subject_of(application),
        data={
            "reference": application.reference,
            "service": service.slug,
            "channel": channel,
            "assisted_by": application.assisted_by_id,
            "decision_due": application.decision_due.isoformat(),
        },
    )
    return application


# Crockford's base32 without look-alikes (no I, L, O, U): easy to read out at a counter or over the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(today: dt.date) -> str:
    """PMG-YYYYMMDD-XXXXXXXX: 40 random bits a day. Collisions are rare but possible at national scale, so a
    taken reference is drawn again (the unique constraint is the final guard)."""
    for _ in range(10):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"PMG-{today:%Y%m%d}-{code}"
        if not Application.objects.filter(reference=reference).exists():
            return reference
    raise Conflict("Nomor permohonan tidak dapat dibuat; coba lagi.", code="reference_exhausted")


def _check_nik(nik: str) -> None:
    """A NIK in a form must be one that can exist: a known district and a possible birth date."""
    from pamong.registry.nik import NikError
    from pamong.registry.selectors import validate_nik

    try:
        validate_nik(nik)
    except NikError as exc:
        raise ValueError(exc.message) from exc


def _check_consent(consent: dict[str, Any] | None) -> None:
    if not consent or consent.get("given") is not True or not consent.get("method"):
        raise ValidationFailed(
            "Permohonan di loket memerlukan persetujuan warga yang tercatat (cara dan pernyataan persetujuan).",
            code="consent_required",
        )


# --- automatic decision ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRun:
    evaluation: dict[str, Any]
    facts: dict[str, Any]
    outcome: str
    proposed: bool
    problems: list[str]


def run_rules(application: Application) -> RuleRun | None:
    """Gather facts (form + registry, with provenance) and evaluate the version in force on the filing date."""
    from pamong.registry.services import gather_facts

    filing_date = timezone.localtime(application.filed_at).date()
    rule_set = rulebook.rule_set_in_force(application.service.slug, filing_date)
    if rule_set is None:
        return None
    gathered = gather_facts(
        fact_specs=rule_set.facts,
        form=application.form_data,
        nik=application.applicant.nik or "",
        on_date=filing_date,
        tables=list(rule_set.tables),
        system=system_facts(application),
    )
    evaluation = rule_set.evaluate(
        gathered.values(),
        gathered.tables,
        impact_level=application.service.impact_level,
        open_breakers=open_breaker_rule_ids(  # oversight: a rule whose breaker is open refers instead of denying
            service_slug=application.service.slug,
            region_code=region_code_of(gathered.values(), application.form_data),
        ),
    )
    outcome, proposed = str(evaluation.outcome), evaluation.proposed
    if gathered.problems and outcome == Decision.Outcome.DENY:
        # Missing or conflicting data never denies (DESIGN §3): a person looks at it.
        outcome, proposed = Decision.Outcome.REFER, False
    # The fact values beside their provenance (DESIGN §3: the record holds the input facts; re-running and the
    # oversight sandbox read them back).
    facts = {**gathered.provenance(), "values": json.loads(json.dumps(gathered.values(), default=str))}
    return RuleRun(evaluation.to_dict(), facts, outcome, proposed, list(gathered.problems))


def system_facts(application: Application) -> dict[str, Any]:
    """Facts the platform itself knows: where the deciding office is (BPS-style codes without dots)."""
    office = application.service.agency.region_code.replace(".", "")
    return {"office_village_code": office, "office_regency_code": office[:4]}


def decide_automatically(application: Application) -> Decision | None:
    """Safeguards of DESIGN §3: GRANT and (impact < 3) DENY are final; a DENY at impact ≥ 3 is only proposed;
    REFER and any source problem go to the review queue. A service without automation goes to the queue."""
    from pamong.oversight.services import observe_decision

    run = run_rules(application) if application.service.automated else None
    if run is None:
        application.save()
        _notify_applicant(application, "application_received")
        return None
    final = run.outcome in (Decision.Outcome.GRANT, Decision.Outcome.DENY) and not run.proposed
    decision = _record_decision(
        application,
        kind=Decision.Kind.AUTOMATIC if final else Decision.Kind.PROPOSAL,
        outcome=run.outcome,
        final=final,
        actor=None,
        evaluation=run.evaluation,
        facts=run.facts,
        extra={"problems": run.problems, "proposed": run.proposed},
    )
    observe_decision(decision)  # oversight: tallies per rule and region; a spike check every N decisions
    if final:
        transitions.move(application, S.GRANTED if run.outcome == Decision.Outcome.GRANT else S.DENIED)
    application.priority_score = int((run.evaluation.get("scores") or {}).get("vulnerability") or 0)
    application.save()
    _notify_applicant(application, "decision_made" if final else "application_received")
    return decision


def _record_decision(
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
    decision.audit_index = entry.index
    decision.save(update_fields=["audit_index"])
    return decision


# --- human review ------------------------------------------------------------------------------------------


def _locked(application: Application) -> Application:
    """Re-read and lock the row: whoever holds it decides; the other waits, then sees the new status."""
    return (
        Application.objects.select_for_update()
        .select_related("service__agency", "applicant")
        .get(pk=application.pk)
    )


def claim_application(application: Application, *, actor) -> Application:
    with transaction.atomic():
        application = _locked(application)
        transitions.require(application, S.UNDER_REVIEW, S.INFO_REQUESTED)
        if application.assigned_to_id not in (None, actor.pk):
            raise Conflict("Permohonan ini sudah ditangani petugas lain.", code="already_claimed")
        application.assigned_to = actor
        application.save(update_fields=["assigned_to", "updated_at"])
    return application


def latest_proposal(application: Application) -> Decision | None:
    return application.decisions.filter(kind=Decision.Kind.PROPOSAL).order_by("-decided_at", "-pk").first()


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
        raise ValidationFailed("Keputusan harus GRANT atau DENY.", code="invalid_outcome")
    with transaction.atomic():
        application = _locked(application)
        transitions.require(application, S.UNDER_REVIEW)
        if application.assigned_to_id != actor.pk:
            raise Conflict("Ambil (klaim) permohonan ini dulu sebelum memutus.", code="not_claimed")
        proposal = latest_proposal(application)
        machine = proposal.outcome if proposal else None
        overriding = machine in (Decision.Outcome.GRANT, Decision.Outcome.DENY) and outcome != machine
        _check_reasons(outcome, reasons, overriding, discretion)
        decision = _record_decision(
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
        transitions.move(application, S.GRANTED if outcome == Decision.Outcome.GRANT else S.DENIED)
        application.save()
        _notify_applicant(application, "decision_made")
    return decision


def _check_reasons(outcome: str, reasons: str, overriding: bool, discretion: DiscretionInput | None) -> None:
    if outcome == Decision.Outcome.DENY and not reasons.strip():
        raise ValidationFailed(
            "Penolakan wajib disertai alasan yang dapat dibaca warga.", code="reasons_required"
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
            "Keputusan yang berbeda dari hasil aturan adalah diskresi: lengkapi tujuan, alasan objektif, "
            "dasar hukum, dan pernyataan konflik kepentingan.",
            code="discretion_record_required",
            details={"missing": missing},
        )


def _record_discretion(decision: Decision, discretion: DiscretionInput, application: Application) -> None:
    Discretion.objects.create(decision=decision, **discretion.__dict__)
    for supervisor in _supervisors_of(application):
        notify.notify_user(
            user=supervisor,
            template="discretion_recorded",
            context={"reference": application.reference, "service": application.service.name},
        )


def _supervisors_of(application: Application):
    from pamong.accounts.models import User

    return User.objects.filter(agency_id=application.service.agency_id, groups__name=roles.SUPERVISOR)


def request_information(application: Application, *, actor, message: str) -> InformationRequest:
    if not message.strip():
        raise ValidationFailed("Tulis informasi apa yang diperlukan dari warga.", code="message_required")
    with transaction.atomic():
        application = _locked(application)
        if application.assigned_to_id != actor.pk:
            raise Conflict("Ambil (klaim) permohonan ini dulu.", code="not_claimed")
        transitions.move(application, S.INFO_REQUESTED)
        application.paused_since = local_today()
        application.save()
        request = InformationRequest.objects.create(
            application=application, requested_by=actor, message=message.strip(), requested_at=timezone.now()
        )
        audit.record_event(
            actor=actor,
            action=Action.INFORMATION_REQUESTED,
            subject=subject_of(application),
            data={"request": request.pk, "clock_paused_on": application.paused_since.isoformat()},
        )
        _notify_applicant(application, "information_requested", message=request.message)
    return request


def provide_information(application: Application, *, actor, answer: str) -> InformationRequest:
    """The citizen answers; the clock resumes and the deadline moves by exactly the paused working days."""
    if not answer.strip():
        raise ValidationFailed("Tuliskan jawaban atau informasi yang diminta.", code="answer_required")
    with transaction.atomic():
        application = _locked(application)
        if application.applicant_id != actor.pk:
            raise PermissionDenied(
                "Hanya pemohon yang dapat menjawab permintaan ini.", code="not_the_applicant"
            )
        transitions.move(application, S.UNDER_REVIEW)
        request = application.information_requests.filter(answered_at__isnull=True).last()
        paused = working_days_between(application.paused_since, local_today())
        request.answer, request.answered_at, request.paused_working_days = (
            answer.strip(),
            timezone.now(),
            paused,
        )
        request.save()
        application.decision_due = add_working_days(application.decision_due, paused)
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
            },
        )
    return request


# --- documents -----------------------------------------------------------------------------------------------

MAX_ATTACHMENTS = 10
OPEN_FOR_DOCUMENTS = (S.UNDER_REVIEW, S.INFO_REQUESTED, S.OBJECTION, S.APPEAL)


def attach_document(application: Application, *, actor, uploaded) -> Attachment:
    """Attach a file (a Django UploadedFile) while the case is open; during an objection or appeal it belongs
    to that objection. Size and type (by content) are checked first; nothing is stored if they fail."""
    from django.core.files.base import ContentFile

    from pamong.core.uploads import check_upload

    head = uploaded.read(2048)
    checked = check_upload(name=uploaded.name or "", head=head, size=uploaded.size or 0)
    content = head + uploaded.read()
    with transaction.atomic():
        application = _locked(application)
        if actor.pk not in (application.applicant_id, application.assisted_by_id):
            raise PermissionDenied("Hanya pemohon yang dapat melampirkan dokumen.", code="not_the_applicant")
        transitions.require(application, *OPEN_FOR_DOCUMENTS)
        if application.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationFailed(
                f"Paling banyak {MAX_ATTACHMENTS} dokumen per permohonan.", code="too_many_files"
            )
        attachment = Attachment(
            application=application,
            objection=application.objections.filter(status=Objection.Status.PENDING).first(),
            uploaded_by=actor,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=timezone.now(),
        )
        attachment.file.save(f"{application.pk}-{secrets.token_hex(8)}", ContentFile(content), save=False)
        attachment.save()
        audit.record_event(
            actor=actor,
            action=Action.DOCUMENT_ATTACHED,
            subject=subject_of(application),
            data={"attachment": attachment.pk, "sha256": attachment.sha256, "type": checked.content_type},
        )
    return attachment


# --- objection and appeal ----------------------------------------------------------------------------------


def final_decision(application: Application) -> Decision | None:
    return application.decisions.filter(final=True).order_by("-decided_at", "-pk").first()


def objection_deadline(decision: Decision) -> dt.date:
    decided_on = timezone.localtime(decision.decided_at).date()
    return add_working_days(decided_on, decision.application.service.objection_days)


def file_objection(application: Application, *, actor, statement: str) -> Objection:
    if not statement.strip():
        raise ValidationFailed("Jelaskan alasan keberatan Anda.", code="statement_required")
    with transaction.atomic():
        application = _locked(application)
        if application.applicant_id != actor.pk:
            raise PermissionDenied("Hanya pemohon yang dapat mengajukan keberatan.", code="not_the_applicant")
        contested = final_decision(application)
        if application.status != S.DENIED or contested is None or application.objections.exists():
            raise ValidationFailed(
                "Keberatan dapat diajukan sekali atas keputusan penolakan.", code="objection_not_possible"
            )
        deadline = objection_deadline(contested)
        if local_today() > deadline:
            raise ValidationFailed(
                f"Batas waktu keberatan sudah lewat: berakhir pada {format_date(deadline)} "
                f"({application.service.objection_days} hari kerja setelah keputusan). "
                "Anda masih dapat menyampaikan pengaduan.",
                code="objection_too_late",
                details={"deadline": deadline.isoformat()},
            )
        transitions.move(application, S.OBJECTION)
        application.save()
        objection = Objection.objects.create(
            application=application,
            stage=Objection.Stage.OBJECTION,
            contested=contested,
            statement=statement.strip(),
            filed_at=timezone.now(),
            due=add_working_days(local_today(), OBJECTION_DECISION_DAYS),
        )
        audit.record_event(
            actor=actor,
            action=Action.OBJECTION_FILED,
            subject=subject_of(application),
            data={"objection": objection.pk, "due": objection.due.isoformat()},
        )
        _notify_applicant(application, "objection_received", due=format_date(objection.due))
    return objection


def appeal_deadline(objection: Objection) -> dt.date:
    """The last day to appeal an objection decision (UU 30/2014 Art. 78(1))."""
    return add_working_days(timezone.localtime(objection.decided_at).date(), APPEAL_FILING_DAYS)


def file_appeal(application: Application, *, actor, statement: str) -> Objection:
    if not statement.strip():
        raise ValidationFailed("Jelaskan alasan banding Anda.", code="statement_required")
    with transaction.atomic():
        application = _locked(application)
        if application.applicant_id != actor.pk:
            raise PermissionDenied("Hanya pemohon yang dapat mengajukan banding.", code="not_the_applicant")
        last = application.objections.order_by("-filed_at").first()
        if application.status != S.DENIED or last is None or last.stage != Objection.Stage.OBJECTION:
            raise ValidationFailed(
                "Banding dapat diajukan setelah keberatan Anda diputus dan ditolak.",
                code="appeal_not_possible",
            )
        deadline = appeal_deadline(last)
        if local_today() > deadline:
            raise ValidationFailed(
                f"Batas waktu banding sudah lewat: berakhir pada {format_date(deadline)}.",
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
            due=add_working_days(local_today(), application.service.appeal_days),
        )
        audit.record_event(
            actor=actor,
            action=Action.APPEAL_FILED,
            subject=subject_of(application),
            data={"appeal": appeal.pk, "due": appeal.due.isoformat()},
        )
        _notify_applicant(application, "appeal_received", due=format_date(appeal.due))
    return appeal


def decide_objection(objection: Objection, *, actor, overturn: bool, reasons: str) -> Decision:
    """Objection: a different officer (or the supervisor) decides. Appeal: the supervisor's level decides."""
    if not reasons.strip():
        raise ValidationFailed(
            "Putusan keberatan atau banding wajib disertai alasan.", code="reasons_required"
        )
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("contested").get(pk=objection.pk)
        application = _locked(objection.application)
        if objection.status != Objection.Status.PENDING:
            raise Conflict("Keberatan ini sudah diputus.", code="already_decided")
        _check_objection_decider(objection, actor)
        appeal = objection.stage == Objection.Stage.APPEAL
        decision = _record_decision(
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
        _notify_applicant(application, "objection_decided", stage=objection.get_stage_display())
    return decision


def _check_objection_decider(objection: Objection, actor) -> None:
    if objection.stage == Objection.Stage.APPEAL:
        if roles.SUPERVISOR not in role_names(actor):
            raise PermissionDenied("Banding diputus oleh atasan (supervisor).", code="supervisor_required")
        return
    if objection.contested.decided_by_id == actor.pk:
        raise PermissionDenied(
            "Keberatan harus diputus oleh petugas lain atau atasan, bukan yang membuat keputusan.",
            code="same_officer",
        )


# --- deemed approval (fiktif positif) ----------------------------------------------------------------------


def deem_overdue(*, today: dt.date | None = None) -> int:
    """Grant by law what was not decided in time: applications under review past their decision date, and
    objections and appeals past theirs (UU 30/2014 Art. 53, 77(5), 78(5)). Each in its own transaction."""
    today = today or local_today()
    count = 0
    overdue = Application.objects.filter(status=S.UNDER_REVIEW, decision_due__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(overdue):
        count += _deem_application(pk, today)
    pending = Objection.objects.filter(status=Objection.Status.PENDING, due__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(pending):
        count += _deem_objection(pk, today)
    return count


def _deem_application(pk, today: dt.date) -> int:
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("service").get(pk=pk)
        if application.status != S.UNDER_REVIEW or application.decision_due >= today:
            return 0  # decided (or paused) in the meantime
        due = application.decision_due
        _grant_by_law(
            application,
            due=due,
            reasons=f"Tidak ada keputusan sampai batas waktu {format_date(due)}; "
            "permohonan dianggap dikabulkan menurut hukum.",
            legal_basis="UU 30/2014 Pasal 53 sebagaimana diubah dengan UU 6/2023",
            extra={"decision_due": due.isoformat()},
        )
    return 1


def _deem_objection(pk: int, today: dt.date) -> int:
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=pk)
        if objection.status != Objection.Status.PENDING or objection.due >= today:
            return 0
        application = _locked(objection.application)
        appeal = objection.stage == Objection.Stage.APPEAL
        objection.status = Objection.Status.DEEMED_GRANTED
        objection.decided_at = timezone.now()
        objection.save()
        _grant_by_law(
            application,
            due=objection.due,
            reasons=f"{objection.get_stage_display()} tidak diputus sampai {format_date(objection.due)}; "
            "dianggap dikabulkan menurut hukum.",
            legal_basis="UU 30/2014 Pasal 78 ayat (5)" if appeal else "UU 30/2014 Pasal 77 ayat (5)",
            extra={"objection": objection.pk},
        )
    return 1


def _grant_by_law(
    application: Application, *, due: dt.date, reasons: str, legal_basis: str, extra: dict
) -> None:
    """Fiktif positif: the state was silent past its own deadline, so the law grants; recorded and told."""
    _record_decision(
        application,
        kind=Decision.Kind.DEEMED,
        outcome=Decision.Outcome.GRANT,
        final=True,
        actor=None,
        reasons=reasons,
        legal_basis=legal_basis,
        extra=extra,
    )
    transitions.move(application, S.DEEMED_GRANTED)
    application.save()
    _notify_applicant(application, "deemed_granted", due=format_date(due))


# --- notifications ------------------------------------------------------------------------------------------


def _notify_applicant(application: Application, template: str, **extra: Any) -> None:
    context = {
        "reference": application.reference,
        "service": application.service.name,
        "status": transitions.STATUS_TEXT.get(application.status, application.status),
        "decision_due": format_date(application.decision_due),
        "url": f"/permohonan/{application.pk}/",
        **extra,
    }
    notify.notify_user(user=application.applicant, template=template, context=context)

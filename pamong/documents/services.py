"""Writes of the documents module (CONVENTIONS §2): a letter is queued inside the decision's transaction (a
pending `Letter` row, unique per decision), then rendered, signed and stored by a background job that is safe to
run twice; every issue and every revocation is an audit entry written in the same transaction as the row."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import Context, Template
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases import deadlines, events
from pamong.cases.models import Application, Decision, Objection
from pamong.cases.selectors import final_decision
from pamong.core.crypto import encrypt_bytes
from pamong.core.errors import ValidationFailed
from pamong.core.formatting import format_date
from pamong.registry.nik import mask_nik
from pamong.registry.selectors import person_by_nik

from . import rendering, signing
from .models import Batch, Letter, LetterPreference
from .tasks import issue_letter_task, run_batch_task

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
PRODUCT_TEMPLATE = "product.id.html"
CODE_BYTES = 13  # 104 random bits: not guessable, not enumerable
WITHDRAWN = "WITHDRAW"  # a withdrawal letter's outcome: no decision, the citizen withdrew
WITHDRAWAL_CHANGE = "application_withdrawn"  # the citizen's notice name that cases publishes on withdrawal


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").rstrip("=").lower()


def mask_name(name: str) -> str:
    """The name as printed beside the QR code and shown on the public page: each word's first letter, the rest
    hidden ("Siti Nurhaliza" → "S*** N*******"), enough to match the paper, too little to learn the name."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split()) or "-"


def citizen_name(user) -> str:
    """The name on the letter: the account's, or the population registry's for the account's NIK."""
    name = user.get_full_name().strip()
    if not name and user.nik:
        person = person_by_nik(user.nik)
        name = person.full_name if person else ""
    return name or user.get_username()


def letter_kind(decision: Decision) -> str:
    if decision.kind == Decision.Kind.DEEMED:
        return Letter.Kind.DEEMED
    if decision.kind == Decision.Kind.OBJECTION:
        return Letter.Kind.OBJECTION
    if decision.kind == Decision.Kind.APPEAL:
        return Letter.Kind.APPEAL
    return Letter.Kind.GRANT if decision.outcome == Decision.Outcome.GRANT else Letter.Kind.REFUSAL


def on_application_change(application: Application, *, change: str, decision: Decision | None = None) -> None:
    """The listener on cases' port (pamong.cases.events): a final decision that grants or refuses queues its
    letter in the decision's own transaction, so a rolled-back decision leaves no letter behind."""
    if change == WITHDRAWAL_CHANGE:
        queue_withdrawal_letter(application)
        return
    if change not in events.DECISION_CHANGES:
        return
    decision = final_decision(application, known=decision)
    if decision is None or decision.outcome not in (Decision.Outcome.GRANT, Decision.Outcome.DENY):
        return
    queue_letter(decision=decision)
    if (
        decision.outcome == Decision.Outcome.GRANT
        and application.service.automated
        and product_template(application.service)
    ):
        queue_product(decision=decision)  # automated services issue their product on grant without a click


def product_template(service) -> str:
    """The product document a pack declares (`packs/<slug>/product.id.html`, a Django template fragment the
    agency writes like its rules), or "" when the service has none."""
    path = Path(settings.PACKS_DIR) / service.slug / PRODUCT_TEMPLATE
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def letter_language(user) -> str:
    """The language the citizen chose for their letters on /akun/dokumen/ (Bahasa Indonesia unless they chose
    the English translation as well)."""
    chosen = LetterPreference.objects.filter(owner=user).values_list("language", flat=True).first()
    return chosen or LetterPreference.Language.INDONESIAN


def choose_letter_language(*, actor, language: str) -> LetterPreference:
    """The citizen's choice on /akun/dokumen/, with its audit entry; letters queued from now on follow it."""
    if language not in LetterPreference.Language.values:
        raise ValidationFailed(gettext("Choose the language of your letters."), code="language_required")
    with transaction.atomic():
        preference, _made = LetterPreference.objects.update_or_create(
            owner=actor, defaults={"language": language, "changed_at": timezone.now()}
        )
        audit.record_event(
            actor=actor,
            action=Action.LETTER_LANGUAGE_CHOSEN,
            subject=f"documents.vault:{actor.pk}",
            data={"language": language},
        )
    return preference


def _create_once(lookup: dict[str, Any], **fields: Any) -> tuple[Letter, bool]:
    """The pending row for `lookup` (decision + document, or the application's withdrawal), made once: the
    unique constraints hold even when two callers race. Returns (letter, made now). The insert is tried first
    (in a savepoint): nearly every call is the first for its decision, and a read before it would cost every
    automatic decision a query to save the rare second call an insert that fails."""
    try:
        with transaction.atomic():
            letter = _new_letter(**fields)
    except IntegrityError:  # another caller queued it first
        return Letter.objects.get(**lookup), False
    return letter, True


def _new_letter(**fields: Any) -> Letter:
    applicant = fields["application"].applicant
    return Letter.objects.create(
        code=new_code(),
        masked_name=mask_name(citizen_name(applicant)),
        language=letter_language(applicant),
        created_at=timezone.now(),
        **fields,
    )


def queue_product(*, decision: Decision) -> Letter:
    """The pending product of a final grant (once per decision, like a letter); issued by the same job."""
    if not (decision.final and decision.outcome == Decision.Outcome.GRANT):
        raise ValidationFailed(
            _("A service product is issued only for a granted application."), code="not_granted"
        )
    if not product_template(decision.application.service):
        raise ValidationFailed(_("This service declares no product document."), code="no_product")
    product, made = _create_once(
        {"decision": decision, "document": Letter.Document.PRODUCT},
        application=decision.application,
        decision=decision,
        document=Letter.Document.PRODUCT,
        kind=Letter.Kind.PRODUCT,
        outcome=decision.outcome,
    )
    if made:
        transaction.on_commit(lambda: issue_letter_task(product.pk))
    return product


def issue_product(application: Application, *, actor) -> Letter:
    """An officer's click: the product of a granted application of a service decided by people."""
    decision = final_decision(application)
    if decision is None:
        raise ValidationFailed(_("This application has not been decided yet."), code="not_decided")
    with transaction.atomic():
        product = queue_product(decision=decision)
        audit.record_event(
            actor=actor,
            action=Action.PRODUCT_REQUESTED,
            subject=f"documents.letter:{product.pk}",
            data={"application": str(application.pk), "decision": decision.pk},
        )
    return product


def queue_letter(*, decision: Decision, batch: Batch | None = None, enqueue: bool = True) -> Letter:
    """The pending letter of `decision` (made once: the unique constraint on the decision holds even when two
    callers race). A letter whose outcome differs from the application's earlier letters revokes them in the
    same transaction: the verification page says so at once, and links the replacement once it is issued."""
    # No savepoint of its own: inside the decision's transaction a failure here rolls the decision back anyway
    # (two statements fewer in every automatic decision); _create_once keeps the savepoint its race needs.
    fields = {
        "application": decision.application,
        "decision": decision,
        "kind": letter_kind(decision),
        "outcome": decision.outcome,
        "batch": batch,
    }
    with transaction.atomic(savepoint=False):
        if decision.application.filed_now:
            # Decided as it was filed, in this transaction: nobody else knows the decision yet (no race, so no
            # savepoint), and a new application has no earlier letter to revoke.
            letter = _new_letter(**fields)
        else:
            letter, made = _create_once({"decision": decision, "document": Letter.Document.LETTER}, **fields)
            if not made:
                return letter
            _revoke_earlier(
                letter,
                actor=decision.decided_by,
                reason="Keputusan berubah setelah keberatan atau banding; surat diganti.",
                different_outcome_only=True,
            )
    if enqueue:
        transaction.on_commit(lambda: issue_letter_task(letter.pk))
    return letter


def queue_withdrawal_letter(application: Application) -> Letter:
    """The citizen withdrew: a signed letter saying so (once per application), queued in the withdrawal's own
    transaction. Whatever the application still had valid or pending — a refusal letter of a decision re-opened
    for examination, its product — is revoked and points to this letter: the application no longer stands."""
    with transaction.atomic():
        letter, made = _create_once(
            {"application": application, "kind": Letter.Kind.WITHDRAWAL},
            application=application,
            decision=None,
            kind=Letter.Kind.WITHDRAWAL,
            outcome=WITHDRAWN,
        )
        if made:
            _revoke_earlier(
                letter,
                actor=application.applicant,
                reason="Permohonan dicabut oleh pemohon; surat diganti dengan surat keterangan pencabutan.",
            )
            transaction.on_commit(lambda: issue_letter_task(letter.pk))
    return letter


def _revoke_earlier(letter: Letter, *, actor: Any, reason: str, different_outcome_only: bool = False) -> None:
    """Revoke the application's other letters still valid or pending, each pointing to `letter`."""
    earlier = (
        Letter.objects.select_for_update()
        .filter(application=letter.application, status__in=(Letter.Status.PENDING, Letter.Status.VALID))
        .exclude(pk=letter.pk)
    )
    if different_outcome_only:
        earlier = earlier.exclude(outcome=letter.outcome)
    for old in earlier:
        revoke_letter(old, actor=actor, reason=reason, replaced_by=letter)


def revoke_letter(letter: Letter, *, actor: Any, reason: str, replaced_by: Letter | None = None) -> Letter:
    """Revoke a letter (valid or still pending) with its audit entry; the verification page shows it at once."""
    if not reason.strip():
        raise ValueError("a revocation needs a reason")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status == Letter.Status.REVOKED:
            return letter
        entry = audit.record_event(
            actor=actor,
            action=Action.LETTER_REVOKED,
            subject=f"documents.letter:{letter.pk}",
            data={
                "application": str(letter.application_id),
                "number": letter.number,
                "sha256": letter.sha256,
                "reason": reason,
                "replaced_by": replaced_by.pk if replaced_by else None,
            },
        )
        letter.status = Letter.Status.REVOKED
        letter.revoked_at = timezone.now()
        letter.revoked_reason = reason.strip()[:300]
        letter.replaced_by = replaced_by
        letter.revoke_audit_index = entry.index
        letter.save()
    return letter


def letter_number(letter: Letter) -> str:
    """Number / type / agency region / year, unique by the row's id (the same on every attempt)."""
    agency = letter.application.service.agency
    year = timezone.localtime(letter.created_at).year
    code = {
        "grant": "SK-K",
        "refusal": "SK-T",
        "deemed": "SK-FP",
        "objection": "SK-KB",
        "appeal": "SK-BD",
        "product": "PL",
        "withdrawal": "SK-PC",
    }
    return f"{letter.pk:06d}/{code[letter.kind]}/{agency.region_code or agency.slug}/{year}"


def verify_url(code: str) -> str:
    return f"{settings.PAMONG_PUBLIC_URL}/v/{code}"


def issue_letter(*, letter_id: int) -> str:
    """The job: render, sign and store one pending letter; returns its status afterwards. The slow part runs with
    no transaction open; the write re-checks under a row lock, so two workers on one letter issue it once."""
    letter = (
        Letter.objects.select_related("application__service__agency", "application__applicant", "decision")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or letter.status != Letter.Status.PENDING:
        return letter.status if letter else "missing"
    issued_at = timezone.now()
    number = letter_number(letter)
    try:
        pdf = rendering.render_pdf(
            letter_contexts(letter, number=number, issued_at=issued_at),
            template="documents/product.html"
            if letter.kind == Letter.Kind.PRODUCT
            else "documents/letter.html",
        )
        signed = signing.sign_pdf(
            pdf,
            reason=f"Keputusan {letter.application.reference}",
            location=letter.application.service.agency.name,
        )
    except Exception as exc:  # rendering or signing failed: counted, retried by the sweep, never half-written
        log.exception("letter %s could not be issued", letter_id)
        Letter.objects.filter(pk=letter_id).update(attempts=F("attempts") + 1, last_error=repr(exc)[:300])
        return "failed"
    digest = hashlib.sha256(signed).hexdigest()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status != Letter.Status.PENDING:
            return letter.status
        entry = audit.record_event(
            actor=None,
            action=Action.LETTER_ISSUED,
            subject=f"documents.letter:{letter.pk}",
            data={
                "application": str(letter.application_id),
                "decision": letter.decision_id,
                "kind": letter.kind,
                "document": letter.document,
                "number": number,
                "sha256": digest,
            },
        )
        letter.file.save(f"{letter.code}.pdf", ContentFile(encrypt_bytes(signed)), save=False)
        letter.number = number
        letter.issued_at = issued_at
        letter.size = len(signed)
        letter.sha256 = digest
        letter.audit_index = entry.index
        letter.status = Letter.Status.VALID
        letter.attempts = F("attempts") + 1
        letter.last_error = ""
        letter.save()
        if letter.batch_id:
            Batch.objects.filter(pk=letter.batch_id).update(done=F("done") + 1)
    return Letter.Status.VALID


def issue_pending(*, limit: int = 500) -> int:
    """The sweep (periodic job): letters still pending — a worker crashed, a queue was lost, a render failed —
    are issued now. Safe to run at any time, as often as wanted."""
    ids = list(
        Letter.objects.filter(status=Letter.Status.PENDING, attempts__lt=MAX_ATTEMPTS, batch__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(issue_letter(letter_id=pk) == Letter.Status.VALID for pk in ids)


def start_batch(*, actor: Any, decisions, label: str) -> Batch:
    """Queue a letter for every decision given that has none yet, as one batch with progress, and start its
    job after commit. Resuming a crashed batch is starting its job again (`run_batch`)."""
    with transaction.atomic():
        batch = Batch.objects.create(label=label[:200], created_at=timezone.now())
        have = set(
            Letter.objects.filter(decision__in=decisions, document=Letter.Document.LETTER).values_list(
                "decision_id", flat=True
            )
        )
        fresh = [d for d in decisions.select_related("application__applicant") if d.pk not in have]
        languages = dict(
            LetterPreference.objects.filter(
                owner__in={d.application.applicant_id for d in fresh}
            ).values_list("owner_id", "language")
        )
        now = timezone.now()
        Letter.objects.bulk_create(
            [
                Letter(
                    application=d.application,
                    decision=d,
                    kind=letter_kind(d),
                    outcome=d.outcome,
                    code=new_code(),
                    masked_name=mask_name(citizen_name(d.application.applicant)),
                    language=languages.get(d.application.applicant_id, "id"),
                    created_at=now,
                    batch=batch,
                )
                for d in fresh
            ],
            batch_size=500,
        )
        batch.total = len(fresh)
        batch.save(update_fields=["total"])
        audit.record_event(
            actor=actor,
            action=Action.LETTER_BATCH_STARTED,
            subject=f"documents.batch:{batch.pk}",
            data={"label": batch.label, "total": batch.total},
        )
    transaction.on_commit(lambda: run_batch_task(batch.pk))
    return batch


def run_batch(*, batch_id: int) -> int:
    """The batch job: issue every pending letter of the batch, in order; progress (`done`) is counted as each is
    written. Run again after a crash, it continues where it stopped: an issued letter is never issued twice."""
    Batch.objects.filter(pk=batch_id).update(status=Batch.Status.RUNNING)
    issued = 0
    while True:
        ids = list(
            Letter.objects.filter(batch_id=batch_id, status=Letter.Status.PENDING, attempts__lt=MAX_ATTEMPTS)
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        if not ids:
            break
        # A letter that fails counts an attempt, so after MAX_ATTEMPTS it leaves the loop (listed as pending).
        issued += sum(issue_letter(letter_id=pk) == Letter.Status.VALID for pk in ids)
    Batch.objects.filter(pk=batch_id).update(status=Batch.Status.DONE, finished_at=timezone.now())
    return issued


def _evaluated_before(decision: Decision | None) -> Decision | None:
    """The decision whose rules evaluation explains `decision` (itself, or the last evaluated one before it)."""
    if decision is None or decision.evaluation:
        return decision
    earlier = decision.application.decisions.filter(decided_at__lte=decision.decided_at).order_by(
        "-decided_at", "-pk"
    )
    return next((d for d in earlier if d.evaluation), None)


def _official(letter: Letter) -> tuple[str, str]:
    """(title line, name) of who answers for the letter, in the active language."""
    agency = letter.application.service.agency.name
    on_behalf = gettext("On behalf of the Head of %(agency)s") % {"agency": agency}
    head = gettext("Head of %(agency)s") % {"agency": agency}
    person = letter.decision.decided_by if letter.decision else None
    if person is None:
        automated = letter.kind not in (Letter.Kind.DEEMED, Letter.Kind.WITHDRAWAL)
        return (f"{on_behalf} {gettext('(automated decision)')}" if automated else on_behalf), head
    return on_behalf, person.get_full_name() or person.get_username()


def service_basis(service) -> str:
    """The service's legal basis as printed: "title, reference; title" (the pack lists title and reference)."""
    items = []
    for item in service.legal_basis or []:
        if isinstance(item, dict):
            items.append(", ".join(part for part in (item.get("title"), item.get("reference")) if part))
        else:
            items.append(str(item))
    return "; ".join(items)


def _date(day) -> str:
    """A date as the letter's language writes it: "5 Januari 2026", "5 January 2026"."""
    if day is None:
        return "-"
    if translation.get_language() == "id":
        return format_date(day)
    return dateformat.format(day.date() if hasattr(day, "date") else day, "j F Y")


def letter_contexts(letter: Letter, *, number: str, issued_at) -> list[dict[str, Any]]:
    """One context per copy the letter carries: Bahasa Indonesia (the text that binds), then English when the
    citizen chose it."""
    languages = ["id", "en"] if letter.language == "en" else ["id"]
    return [letter_context(letter, number=number, issued_at=issued_at, language=lang) for lang in languages]


def letter_context(letter: Letter, *, number: str, issued_at, language: str = "id") -> dict[str, Any]:
    with translation.override(language):
        return _letter_context(letter, number=number, issued_at=issued_at) | {"language": language}


def _letter_context(letter: Letter, *, number: str, issued_at) -> dict[str, Any]:
    application = letter.application
    decision = letter.decision
    service = application.service
    evaluated = _evaluated_before(decision)
    evaluation = evaluated.evaluation if evaluated else {}
    show_rules = letter.kind in (Letter.Kind.GRANT, Letter.Kind.REFUSAL)
    official_title, official_name = _official(letter)
    replaced = Letter.objects.filter(replaced_by=letter).exclude(number="").first()
    nik = application.applicant.nik or ""
    refusal = letter.kind == Letter.Kind.REFUSAL
    context = {
        "kind_text": str(Letter.Kind(letter.kind).label),
        "number": number,
        "agency": service.agency,
        "service": service,
        "service_basis": service_basis(service),
        "citizen_name": citizen_name(application.applicant),
        "masked_name": letter.masked_name,
        "masked_nik": mask_nik(nik) if nik else "-",
        "reference": application.reference,
        "filed_on": _date(timezone.localtime(application.filed_at)),
        "withdrawal": letter.kind == Letter.Kind.WITHDRAWAL,
        "decided_on": _date(timezone.localtime(decision.decided_at if decision else letter.created_at)),
        "issued_on": _date(timezone.localtime(issued_at)),
        "outcome_sentence": _outcome_sentence(letter),
        "reasons": decision.reasons if decision else "",
        "legal_basis": decision.legal_basis if decision else "",
        "rules": evaluation.get("rules", []) if show_rules else [],
        "rule_set": (
            f"{evaluation.get('version_id', '')} ({evaluation.get('content_hash', '')[:19]})"
            if show_rules and evaluation
            else ""
        ),
        "deemed": letter.kind == Letter.Kind.DEEMED,
        "completed_on": _date(timezone.localtime(application.completed_at)),
        "due_on": _date(application.decision_due),
        "refusal": refusal,
        "objection_deadline": _date(deadlines.objection_deadline(decision)) if refusal else "",
        "objection_days": service.objection_days,
        "objection_url": f"{settings.PAMONG_PUBLIC_URL}/permohonan/{application.pk}/",
        "replaces": replaced.number if replaced else "",
        "official_title": official_title,
        "official_name": official_name,
        "verify_url": verify_url(letter.code),
        "qr": rendering.qr_data_uri(verify_url(letter.code)),
    }
    if letter.kind == Letter.Kind.PRODUCT:
        context["product_body"] = Template(product_template(service)).render(
            Context({**context, "form": application.form_data, "service": service})
        )
    return context


def _outcome_sentence(letter: Letter) -> str:
    granted = letter.outcome == Decision.Outcome.GRANT
    if letter.kind == Letter.Kind.WITHDRAWAL:
        return gettext(
            "You WITHDREW your application on %(date)s. It is not processed further; you may apply again."
        ) % {"date": _date(timezone.localtime(letter.created_at))}
    if letter.kind == Letter.Kind.DEEMED:
        return gettext("Your application is DEEMED GRANTED by law (fiktif positif).")
    if letter.kind == Letter.Kind.OBJECTION:
        if granted:
            return gettext(
                "On your objection, the earlier refusal is SET ASIDE: your application is GRANTED."
            )
        objection = (
            Objection.objects.filter(application=letter.application, decided_at__isnull=False)
            .order_by("-decided_at")
            .first()
        )
        upheld = gettext("On your objection, the refusal is UPHELD.")
        if objection is None:
            return upheld
        return f"{upheld} " + gettext("You may appeal until %(date)s on your application's page.") % {
            "date": _date(deadlines.appeal_deadline(objection))
        }
    if letter.kind == Letter.Kind.APPEAL:
        if granted:
            return gettext("On your appeal, the earlier refusal is SET ASIDE: your application is GRANTED.")
        return gettext("On your appeal, the refusal is UPHELD.")
    return gettext("Your application is GRANTED.") if granted else gettext("Your application is REFUSED.")

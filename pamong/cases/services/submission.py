"""Filing an application: by the citizen (web, API) or by a counter officer on the citizen's behalf.

Gather, then write: everything is validated and the rules are run (registry calls included) *before* the write
transaction, so the transaction only records the application, its decision, their audit entries, the status
and the outbox row, and never holds the database's write lock (SQLite) or the audit lock while a registry
answers. A retried submission with the same Idempotency-Key returns the first application. A second open application
for the same service by the same person, or a new one within `REPEAT_AFTER_GRANT_DAYS` of a grant, is refused
with the first one linked, unless the service's pack allows repeats (issue 15). At the counter the name typed
is compared with the population registry's (`pamong.cases.identity`); a mismatch stops the filing until a
second officer confirms it, and that confirmation is recorded with the consent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.selectors import account_by_nik
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import Conflict, NotFound, ValidationFailed
from pamong.core.formatting import reader_date
from pamong.notify import services as notify
from pamong.registry.nik import NikError
from pamong.registry.selectors import person_by_nik, validate_nik

from .. import deadlines, identity
from ..access import role_names
from ..forms import FieldInvalid, FormInvalid, Problem, clean_form
from ..models import Application, Decision
from ..selectors import filed_with_key
from .automation import RuleRun, evaluate_rules, record_rule_run
from .common import S, subject_of

CONSENT_STATEMENT_MAX = 1000
OPEN_STATUSES = (S.UNDER_REVIEW, S.INFO_REQUESTED, S.OBJECTION, S.APPEAL)
# A grant is not applied for again within this many days (the demo services' benefits and certificates are
# reviewed yearly); a pack that needs more than one (a permit per location) sets `repeat_allowed`.
REPEAT_AFTER_GRANT_DAYS = 365
# Roles that may confirm, as the second officer, a filing whose name differs from the registry's.
CONFIRMING_ROLES = {roles.PETUGAS_LOKET, roles.PETUGAS, roles.SUPERVISOR}


class ToldBy:
    """How a citizen served at a counter wants to be told (kept in the consent record)."""

    PHONE = "phone"
    EMAIL = "email"
    COUNTER = "counter"  # picks the letter up at this counter
    POST = "post"
    ALL = (PHONE, EMAIL, COUNTER, POST)


@dataclass(frozen=True)
class CounterContact:
    told_by: str
    phone: str = ""
    email: str = ""


def contact_problems(contact: CounterContact | None) -> dict[str, str]:
    """Problems with how a counter citizen wants to be told ({} when none)."""
    if contact is None:
        return {}
    problems: dict[str, str] = {}
    if contact.told_by not in ToldBy.ALL:
        problems["told_by"] = _("Choose how the citizen wants to be told of the decision.")
    if contact.phone.strip():
        try:
            notify.parse_phone(contact.phone)
        except notify.InvalidPhone:
            problems["phone"] = _("Write a valid mobile number, for example 0812 3456 7890.")
    elif contact.told_by == ToldBy.PHONE:
        problems["phone"] = _("Write the mobile number the citizen wants to be told on.")
    if contact.email.strip():
        try:
            validate_email(contact.email.strip())
        except DjangoValidationError:
            problems["email"] = _("Write a valid e-mail address, for example nama@contoh.id.")
    elif contact.told_by == ToldBy.EMAIL:
        problems["email"] = _("Write the e-mail address the citizen wants to be told at.")
    return problems


def refuse_duplicate(service, applicant) -> None:
    """A second open application for the same service, or a new one right after a grant, shows the first."""
    if service.repeat_allowed or applicant is None:
        return
    mine = Application.objects.filter(applicant=applicant, service=service)
    first = mine.filter(status__in=OPEN_STATUSES).order_by("filed_at").first()
    if first is not None:
        raise Conflict(
            _(
                "You already have an application for this service that is still open (%(reference)s). "
                "It is being handled; follow it there instead of applying again."
            )
            % {"reference": first.reference},
            code="application_already_open",
            details={"application": str(first.pk), "reference": first.reference},
        )
    cutoff = timezone.now() - dt.timedelta(days=REPEAT_AFTER_GRANT_DAYS)
    grant = (
        Decision.objects.filter(
            application__in=mine.filter(status__in=(S.GRANTED, S.DEEMED_GRANTED)),
            final=True,
            outcome=Decision.Outcome.GRANT,
            decided_at__gte=cutoff,
        )
        .select_related("application")
        .order_by("-decided_at")
        .first()
    )
    if grant is not None:
        raise Conflict(
            _(
                "This service was already granted to you on %(date)s (%(reference)s). The grant still "
                "stands, so a new application is not needed."
            )
            % {
                "date": reader_date(timezone.localtime(grant.decided_at).date()),  # the reader's words
                "reference": grant.application.reference,
            },
            code="already_granted",
            details={"application": str(grant.application_id), "reference": grant.application.reference},
        )


NIK_LENGTH = 16
FULL_NAME_MAX = 200
STATEMENT_MAX = 4000


@dataclass(frozen=True)
class Prepared:
    """A submission that passed every check, with its rules already run: what the write transaction records."""

    service: Any
    form: dict[str, Any]
    statement: str
    filed_at: dt.datetime
    today: dt.date  # the agency's date of filing: the decision clock starts here
    digest: str
    run: RuleRun | None


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
    form_source: str = "form",
) -> tuple[Application, bool]:
    """A citizen files an application (web or API) and it is decided at once where the rules allow.
    Returns (application, created). Counter officers use `submit_at_counter`. `form_source`: "json" for typed
    JSON values (the API), "form" for a page's strings (pamong.cases.forms)."""
    digest = request_digest(service_slug=service.slug, form=form, statement=statement)
    replay = _replay(applicant, idempotency_key, digest)
    if replay:
        return replay, False
    refuse_duplicate(service, applicant)
    prepared = _prepare(
        service=service,
        form=form,
        statement=statement,
        nik=applicant.nik or "",
        digest=digest,
        form_source=form_source,
    )
    return _write(
        prepared,
        actor=actor,
        applicant=lambda: applicant,
        replay=lambda: _replay(applicant, idempotency_key, digest),
        channel=channel,
        idempotency_key=idempotency_key,
        consent=None,
    )


def counter_problems(
    *,
    service,
    nik: str,
    full_name: str,
    form: dict[str, Any],
    consent_method: str,
    consent_statement: str,
    form_source: str = "form",
) -> dict[str, str]:
    """Every problem of a counter submission, by field ({} when there is none); nothing is written."""
    problems: dict[str, str] = {}
    nik_problem = _nik_problem(nik)
    if not (len(nik) == NIK_LENGTH and nik.isdigit()):
        problems["nik"] = _("The NIK must be 16 digits.")
    elif nik_problem:
        problems["nik"] = nik_problem.message  # a district that does not exist, an impossible birth date
    if not full_name.strip():
        problems["full_name"] = _("Write the citizen's full name as on the KTP.")
    if consent_method not in Application.ConsentMethod.values:
        problems["consent_method"] = _("Choose how the citizen gave consent.")
    if not consent_statement.strip():
        problems["consent_statement"] = _("Record the consent statement read to the citizen.")
    try:
        clean_form(
            service.form_fields, form, today=deadlines.local_today(), check_nik=_check_nik, source=form_source
        )
    except FormInvalid as exc:
        problems = {**exc.errors, **problems}
    return problems


def submit_at_counter(
    *,
    actor,
    service,
    nik: str,
    full_name: str,
    form: dict[str, Any],
    consent_method: str,
    consent_statement: str,
    statement: str = "",
    idempotency_key: str = "",
    form_source: str = "form",
    contact: CounterContact | None = None,
    name_confirmed_by=None,
) -> tuple[Application, bool]:
    """A counter officer (Mal Pelayanan Publik) files for a citizen with the citizen's recorded consent: the
    citizen's account is found by NIK, or made (unable to sign in until activated). Everything is validated
    before anything is created, so an invalid request leaves no account and no audit entry behind.

    `contact`: how the citizen wants to be told (phone, e-mail, pick-up here, post), stored on their account.
    The name typed must match the registry's name for the NIK; if it does not, `name_confirmed_by` (a second
    officer, authenticated by the page) must confirm it, and the confirmation is kept in the consent record."""
    if roles.PETUGAS_LOKET not in role_names(actor):
        raise NotFound(_("Not found."), code="not_found")
    problems = contact_problems(contact)
    if problems:  # name every problem at once: the contact's and the rest of the form's
        problems = {
            **counter_problems(
                service=service,
                nik="".join(nik.split()),
                full_name=full_name,
                form=form,
                consent_method=consent_method,
                consent_statement=consent_statement,
                form_source=form_source,
            ),
            **problems,
        }
        raise ValidationFailed(
            _("The form is not complete yet. Check the answers named below."),
            code="form_invalid",
            details=problems,
        )
    name_check = check_counter_name(actor=actor, nik=nik, full_name=full_name, confirmed_by=name_confirmed_by)
    recorded = {"recorded_by": actor.pk, "name_check": name_check}
    if contact is not None:
        recorded["told_by"] = contact.told_by
    return submit_for_citizen(
        actor=actor,
        service=service,
        nik=nik,
        full_name=full_name,
        form=form,
        consent_method=consent_method,
        consent_statement=consent_statement,
        recorded_by=recorded,
        channel=Application.Channel.COUNTER,
        statement=statement,
        idempotency_key=idempotency_key,
        form_source=form_source,
        contact=contact,
    )


def check_counter_name(*, actor, nik: str, full_name: str, confirmed_by=None) -> dict[str, Any]:
    """Compare the typed name with the registry's name for the NIK (and with the name on an existing account).
    A mismatch raises `name_mismatch` (422) unless a second officer confirmed it; returns what is recorded."""
    nik = "".join(nik.split())
    person = person_by_nik(nik) if len(nik) == NIK_LENGTH and nik.isdigit() else None
    account = account_by_nik(nik) if len(nik) == NIK_LENGTH else None
    known = [
        name
        for name in (person.full_name if person else "", account.get_full_name() if account else "")
        if name
    ]
    if not known:
        return {"checked_against": None}  # nobody knows this NIK yet: nothing to compare with
    registered = known[0]
    if all(identity.names_match(full_name, name) for name in known):
        return {"checked_against": "registry" if person else "account", "match": True}
    if confirmed_by is None:
        raise ValidationFailed(
            _(
                "The name written (%(typed)s) is not the name registered for this NIK. Check the KTP: the "
                "application is filed for the person of this NIK. If the citizen in front of you is that "
                "person, a second officer must confirm it below."
            )
            % {"typed": full_name.strip()[:FULL_NAME_MAX]},
            code="name_mismatch",
            details={"full_name": _("The name does not match the population registry for this NIK.")},
        )
    if (
        confirmed_by.pk == actor.pk
        or not (role_names(confirmed_by) & CONFIRMING_ROLES)
        or not confirmed_by.agency_id
    ):
        raise ValidationFailed(
            _("The confirmation must come from a second officer, not from the officer filing."),
            code="second_officer_required",
            details={"second_officer": _("Another officer must confirm with their own sign-in.")},
        )
    return {
        "checked_against": "registry" if person else "account",
        "match": False,
        "similarity": round(identity.name_similarity(full_name, registered)),
        "confirmed_by": confirmed_by.pk,
        "confirmed_at": timezone.now().isoformat(),
    }


def submit_for_citizen(
    *,
    actor,
    service,
    nik: str,
    full_name: str,
    form: dict[str, Any],
    consent_method: str,
    consent_statement: str,
    recorded_by: dict[str, Any],
    channel: str,
    statement: str = "",
    idempotency_key: str = "",
    form_source: str = "form",
    contact: CounterContact | None = None,
) -> tuple[Application, bool]:
    """Filing for a citizen with their recorded consent, at a counter (`submit_at_counter`) or by another
    system (a machine client of pamong.clients, channel api; `actor` is its audit label). `recorded_by` says who
    recorded the consent and is kept in it. Validates everything before it creates anything."""
    nik = "".join(nik.split())
    problems = counter_problems(
        service=service,
        nik=nik,
        full_name=full_name,
        form=form,
        consent_method=consent_method,
        consent_statement=consent_statement,
        form_source=form_source,
    )
    if problems:
        nik_problem = _nik_problem(nik)
        # One problem with the NIK keeps its own code (nik_region_unknown, ...); several are a form problem.
        code = nik_problem.code if nik_problem and len(problems) == 1 else "form_invalid"
        raise ValidationFailed(
            nik_problem.message
            if code != "form_invalid"
            else _("The form is not complete yet. Check the answers named below."),
            code=code,
            details=problems,
        )
    digest = request_digest(service_slug=service.slug, form=form, statement=statement)
    existing = account_by_nik(nik)
    replay = _replay(existing, idempotency_key, digest) if existing else None
    if replay:
        return replay, False
    refuse_duplicate(service, existing)
    prepared = _prepare(
        service=service, form=form, statement=statement, nik=nik, digest=digest, form_source=form_source
    )
    consent = {
        "given": True,
        "method": consent_method,
        "statement": consent_statement.strip()[:CONSENT_STATEMENT_MAX],
        **recorded_by,
        "recorded_at": timezone.now().isoformat(),
    }
    return _write(
        prepared,
        actor=actor,
        applicant=lambda: _with_contact(
            accounts.citizen_for_nik(actor=actor, nik=nik, full_name=full_name.strip()[:FULL_NAME_MAX]),
            actor=actor,
            contact=contact,
        ),
        replay=lambda: _replay(account_by_nik(nik), idempotency_key, digest),
        channel=channel,
        idempotency_key=idempotency_key,
        consent=consent,
    )


def _with_contact(citizen, *, actor, contact: CounterContact | None):
    """In the write transaction: the phone and e-mail the citizen gave at the counter, on their account."""
    if contact is not None and (contact.phone.strip() or contact.email.strip()):
        accounts.record_contact_at_counter(
            officer=actor, citizen=citizen, phone=contact.phone.strip(), email=contact.email.strip()
        )
    return citizen


def _replay(applicant, idempotency_key: str, digest: str) -> Application | None:
    if not idempotency_key or applicant is None:
        return None  # no key, or a counter citizen without an account yet: nothing to replay
    existing = filed_with_key(applicant, idempotency_key).first()
    if existing is None:
        return None
    if existing.request_digest != digest:
        raise Conflict(
            _(
                "This Idempotency-Key was already used for another application with different content. Use a new key for a new application."
            ),
            code="idempotency_key_reused",
            details={"application": str(existing.pk)},
        )
    return existing


def _prepare(
    *, service, form: dict[str, Any], statement: str, nik: str, digest: str, form_source: str = "form"
) -> Prepared:
    """Validate the form, then run the rules (registry calls included), all outside any transaction."""
    filed_at, today = timezone.now(), deadlines.local_today()
    filing_date = timezone.localtime(filed_at).date()
    try:
        cleaned = clean_form(service.form_fields, form, today=today, check_nik=_check_nik, source=form_source)
    except FormInvalid as exc:
        raise ValidationFailed(
            _("The form is not complete yet. Check the answers named below."),
            code="form_invalid",
            details=exc.errors,
        ) from exc
    run = (
        evaluate_rules(service=service, form_data=cleaned, nik=nik, filing_date=filing_date)
        if service.automated
        else None
    )
    return Prepared(service, cleaned, statement.strip()[:STATEMENT_MAX], filed_at, today, digest, run)


def _write(
    prepared: Prepared,
    *,
    actor,
    applicant: Callable[[], Any],
    replay: Callable[[], Application | None],
    channel: str,
    idempotency_key: str,
    consent: dict[str, Any] | None,
) -> tuple[Application, bool]:
    """The write transaction: the applicant (made at the counter if new), the application, its decision. The
    reference is drawn without a read: the unique constraint refuses a taken one, and the filing is written
    again with a new draw (a query saved on every filing for a collision that 40 random bits make rare)."""
    for _draw in range(REFERENCE_DRAWS):
        reference = draw_reference(prepared.today)
        try:
            with transaction.atomic():
                application = _file(
                    prepared,
                    reference=reference,
                    actor=actor,
                    applicant=applicant(),
                    channel=channel,
                    idempotency_key=idempotency_key,
                    consent=consent,
                )
                record_rule_run(application, prepared.run)
        except IntegrityError:
            # A concurrent retry with the same key won the race: answer as if we had been second.
            first = replay()
            if first is not None:
                return first, False
            if not Application.objects.filter(reference=reference).exists():
                raise
            continue  # the reference drawn was taken: draw again
        return application, True
    raise Conflict(_("No application number could be made; try again."), code="reference_exhausted")


def _file(
    prepared: Prepared, *, reference: str, actor, applicant, channel, idempotency_key, consent
) -> Application:
    service = prepared.service
    refuse_duplicate(service, applicant)  # again inside the transaction: a concurrent filing may have won
    application = Application.objects.create(
        reference=reference,
        service=service,
        applicant=applicant,
        channel=channel,
        assisted_by=actor if channel == Application.Channel.COUNTER else None,
        consent=consent or {},
        form_data=prepared.form,
        statement=prepared.statement,
        status=S.UNDER_REVIEW,
        filed_at=prepared.filed_at,
        completed_at=prepared.filed_at,  # every required field was validated, so the application is complete
        decision_due=deadlines.decision_due(service, complete_on=prepared.today),
        idempotency_key=idempotency_key,
        request_digest=prepared.digest,
    )
    application.filed_now = True
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
            # the counter's name check, and the second officer's confirmation of a mismatch (issue 15)
            **({"name_check": consent["name_check"]} if consent and "name_check" in consent else {}),
        },
    )
    return application


# Crockford's base32 without look-alikes (no I, L, O, U): easy to read out at a counter or over the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


REFERENCE_DRAWS = 10


def draw_reference(today: dt.date) -> str:
    """PMG-YYYYMMDD-XXXXXXXX: 40 random bits a day. Collisions are rare but possible at national scale, so the
    callers draw again when the unique constraint (or a read) finds it taken."""
    return f"PMG-{today:%Y%m%d}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _letter in range(8))


def new_reference(today: dt.date) -> str:
    """A reference not taken yet (read first), for a record filed outside `_write` (a complaint)."""
    for _attempt in range(REFERENCE_DRAWS):
        reference = draw_reference(today)
        if not Application.objects.filter(reference=reference).exists():
            return reference
    raise Conflict(_("No application number could be made; try again."), code="reference_exhausted")


def _nik_problem(nik: str) -> NikError | None:
    try:
        validate_nik(nik)
    except NikError as exc:
        return exc
    return None


def _check_nik(nik: str) -> None:
    """A NIK in a form must be one that can exist: a known district and a possible birth date."""
    try:
        validate_nik(nik)
    except NikError as exc:  # its code and words go on with the form's problem, translated when read
        raise FieldInvalid(Problem(exc.code, exc.text, exc.params or {})) from exc

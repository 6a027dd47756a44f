"""Server-rendered pages of the application lifecycle: citizens apply and follow their case, officers review,
counter officers apply on a citizen's behalf. Plain forms and POST-redirect-GET, so every page works without
JavaScript.

Views are thin: read the request, call one service or selector, render. An ApplicationError is shown on the page
that holds the form, with its status (422 invalid input, 409 conflict, ...); "missing" and "not yours" are the
same 404 page (CONVENTIONS §4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pamong.accounts import roles
from pamong.accounts import selectors as account_selectors
from pamong.accounts import services as accounts
from pamong.catalog import selectors as catalog
from pamong.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed, stored, words
from pamong.core.views import not_found
from pamong.notify import services as notify
from pamong.registry.selectors import validate_nik

from . import letters, selectors, services, vault, webforms
from .access import DECIDING_ROLES, access_application_by_id, access_objection_by_id, role_names
from .labels import fact_label, in_sentence, source_label
from .models import Application, Discretion

PAGE_SIZE = 20
DECIDED = (Application.Status.DENIED, Application.Status.GRANTED, Application.Status.DEEMED_GRANTED)
# Which page field a service error belongs to, so its message sits beside that field.
ERROR_FIELDS = {
    "reasons_required": "reasons",
    "invalid_outcome": "outcome",
    "message_required": "message",
    "answer_required": "answer",
    "statement_required": "statement",
}


def _has_role(user, *wanted: str) -> bool:
    return bool(role_names(user) & set(wanted))


def _service_or_none(slug: str):
    try:
        return catalog.service_get(slug=slug)
    except NotFound:
        return None


def _error_context(exc: ApplicationError, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """The error summary at the top of a form: the service's message and one line per field."""
    fields = fields if fields is not None else webforms.field_errors(exc.details)
    if not fields and exc.code in ERROR_FIELDS:
        fields = {ERROR_FIELDS[exc.code]: exc.message}
    return {"message": exc.message, "fields": fields, "code": exc.code, "details": exc.details}


# --- citizen: apply ---------------------------------------------------------------------------------------------


def _apply_context(service, key: str, values=None, errors=None, statement: str = "", **extra: Any) -> dict:
    fields = service.form_fields
    return {
        "service": service,
        "widgets": webforms.widgets(fields, values, errors),
        "free_statement": not any(spec["name"] == "statement" for spec in fields),
        "statement": statement,
        "idempotency_key": key,
        "errors": errors or {},
        **extra,
    }


def _with_vault(context: dict, request: HttpRequest, service) -> dict:
    """The documents the service asks for, with what the citizen's vault holds (pamong.documents; else none)."""
    return {**context, "vault_asks": vault.documents_for(request.user, service)}


def _summary(errors: dict[str, str], inputs: list[tuple[str, str]], message: str) -> dict[str, Any]:
    """Error summary entries in the order of the form, each linked to its input (`inputs`: name, input id)."""
    ids = dict(inputs)
    order = [name for name, _id in inputs]
    ordered = sorted(
        errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
    )
    return {"message": message, "links": [{"id": ids.get(name, ""), "text": text} for name, text in ordered]}


def _inputs(service) -> list[tuple[str, str]]:
    return [(spec["name"], webforms.PREFIX + spec["name"]) for spec in service.form_fields] + [
        ("statement", "statement")
    ]


@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_or_none(slug)
    if service is None or not _has_role(request.user, roles.WARGA):
        return not_found(request)
    if request.method != "POST":
        context = _with_vault(_apply_context(service, _issued_key(request, service)), request, service)
        return render(request, "cases/apply.html", context)
    data, raw = webforms.submitted(service.form_fields, request.POST)
    key = webforms.idempotency_key(request.POST)
    statement = request.POST.get("statement", "")[:4000]
    unanswered = webforms.unanswered(service.form_fields, data)
    if unanswered:  # stop before the service, which would read a skipped yes/no question as "no"
        errors = {**webforms.check(service.form_fields, data), **unanswered}
        return _apply_invalid(request, service, key, raw, errors, statement)
    try:
        application, created = services.submit_application(
            actor=request.user,
            service=service,
            applicant=request.user,
            form=data,
            statement=statement,
            channel=Application.Channel.WEB,
            idempotency_key=key,
        )
    except ApplicationError as exc:
        return _apply_failed(request, service, key, raw, statement, exc)
    if not created:
        messages.info(request, _("This application was already sent; nothing new was created."))
    else:  # documents ticked from the citizen's vault (once-only) become attachments of the open case
        vault.attach_chosen(application, actor=request.user, chosen=request.POST.getlist("vault_document"))
    return redirect("cases:application", application_id=application.pk)


ISSUED_KEY_MINUTES = 30


def _issued_key(request: HttpRequest, service) -> str:
    """The idempotency key of this person's form for this service, kept in the session (issue 15): a reload
    or the Back button shows the form with the same key, so sending it again replays the first application
    instead of making a second. A new key once the application sent with it is older than
    ISSUED_KEY_MINUTES (a deliberate new application, where the service allows one)."""
    keys = request.session.get("apply_keys", {})
    key = keys.get(service.slug, "")
    used = selectors.filed_with_key(request.user, key).values_list("filed_at", flat=True)
    filed = used.first() if key else None
    if not key or (filed and timezone.now() - filed > dt.timedelta(minutes=ISSUED_KEY_MINUTES)):
        key = webforms.idempotency_key()
        request.session["apply_keys"] = {**keys, service.slug: key}
    return key


def _apply_invalid(request, service, key, raw, errors, statement, status: int = 422) -> HttpResponse:
    message = _("The form is not complete yet. Check the answers named below.")
    context = _apply_context(
        service, key, raw, errors, statement, summary=_summary(errors, _inputs(service), message)
    )
    return render(request, "cases/apply.html", _with_vault(context, request, service), status=status)


def _apply_failed(request, service, key, raw, statement, exc: ApplicationError) -> HttpResponse:
    errors = webforms.field_errors(exc.details) if exc.code == "form_invalid" else {}
    if errors:
        return _apply_invalid(request, service, key, raw, errors, statement, status=exc.status)
    # A reused key with other content (the back button): offer the existing application and a fresh key.
    existing = (exc.details or {}).get("application") if isinstance(exc.details, dict) else None
    summary = {"message": exc.message, "links": []}
    fresh = webforms.idempotency_key()
    request.session["apply_keys"] = {**request.session.get("apply_keys", {}), service.slug: fresh}
    context = _apply_context(service, fresh, raw, {}, statement, summary=summary, existing=existing)
    return render(request, "cases/apply.html", _with_vault(context, request, service), status=exc.status)


# --- citizen: my applications and the status page -------------------------------------------------------------


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    if not _has_role(request.user, roles.WARGA):
        return not_found(request)
    page = Paginator(selectors.applications_of(request.user), PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(request, "cases/my_applications.html", {"page": page})


def _status_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    explained = selectors.page_explanation(application)
    is_applicant = application.applicant_id == request.user.pk
    return {
        "application": application,
        "explained": explained,
        "answers": _answers(application),
        "timeline": selectors.timeline(application),
        "next_steps": selectors.next_steps(application),
        "actions": selectors.citizen_actions(application) if is_applicant else {},
        "deciding_facts": selectors.deciding_facts(application),
        "is_applicant": is_applicant,
        "has_receipt": bool(explained.decision and explained.decision.audit_index is not None),
        "letter": letters.current_letter(application),  # installed by pamong.documents; None without it
        "form_errors": {},
        "values": {},
        **extra,
    }


@login_required
def application_detail(request: HttpRequest, application_id: str) -> HttpResponse:
    try:
        application = access_application_by_id(request.user, application_id)
    except NotFound:
        return not_found(request)
    accounts.record_personal_data_access(  # staff reading a citizen's status page is logged for the citizen
        actor=request.user,
        citizen=application.applicant,
        what=f"permohonan {application.reference}: halaman status",
        why="membuka halaman status permohonan",
    )
    if application.applicant_id == request.user.pk and application.status in DECIDED:
        # The applicant reads the decision on the site: they are told now (UU 30/2014 Art. 77(1), issue 15).
        notify.mark_read_about(user=request.user, subject_ref=selectors.subject_of(application))
    return render(request, "cases/application_detail.html", _status_context(request, application))


def _citizen_action(request: HttpRequest, application_id: str, form: str, call) -> HttpResponse:
    """POST of one citizen form on the status page; on error the page is shown again with the message."""
    try:
        application = access_application_by_id(request.user, application_id)
    except NotFound:
        return not_found(request)
    text = request.POST.get("answer" if form == "information" else "statement", "")[:4000]
    try:
        call(application, actor=request.user, text=text)
    except PermissionDenied:
        return not_found(request)
    except ApplicationError as exc:
        context = _status_context(
            request, application, form_errors={form: _error_context(exc)}, values={form: text}
        )
        return render(request, "cases/application_detail.html", context, status=exc.status)
    return redirect("cases:application", application_id=application.pk)


@require_POST
@login_required
def answer_information(request: HttpRequest, application_id: str) -> HttpResponse:
    def call(application, *, actor, text):
        uploaded = request.FILES.get("document")
        if uploaded is not None:  # "mohon unggah ...": the file goes with the answer (checked by its content)
            services.attach_document(application, actor=actor, uploaded=uploaded)
        services.provide_information(application, actor=actor, answer=text)
        messages.success(request, _("Thank you. Your answer was sent and the deadline runs again."))

    return _citizen_action(request, application_id, "information", call)


@require_POST
@login_required
def file_objection(request: HttpRequest, application_id: str) -> HttpResponse:
    def call(application, *, actor, text):
        services.file_objection(application, actor=actor, statement=text)
        messages.success(request, _("Your objection was filed. Another officer will decide it."))

    return _citizen_action(request, application_id, "objection", call)


@require_POST
@login_required
def file_appeal(request: HttpRequest, application_id: str) -> HttpResponse:
    def call(application, *, actor, text):
        services.file_appeal(application, actor=actor, statement=text)
        messages.success(request, _("Your appeal was filed. The supervisor's level will decide it."))

    return _citizen_action(request, application_id, "appeal", call)


@require_POST
@login_required
def withdraw(request: HttpRequest, application_id: str) -> HttpResponse:
    def call(application, *, actor, text):
        services.withdraw_application(application, actor=actor, statement=text)
        messages.success(request, _("Your application was withdrawn. The signed letter follows shortly."))

    return _citizen_action(request, application_id, "withdraw", call)


def _answers(application: Application) -> list[dict[str, str]]:
    return webforms.answers(application.service.form_fields, application.form_data)


# --- staff: queue and case page -------------------------------------------------------------------------------


def _is_staff(user) -> bool:
    return bool(user.agency_id) and _has_role(user, *DECIDING_ROLES)


@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    if not _is_staff(request.user):
        return not_found(request)
    service_slug = request.GET.get("layanan", "")[:50]
    queue = selectors.review_queue(request.user, service_slug=service_slug)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [{"application": a, "days_left": selectors.sla_working_days_left(a)} for a in page]
    context = {
        "page": page,
        "rows": rows,
        "objections": selectors.pending_objections(request.user),
        "corrections": services.open_corrections(request.user)[:PAGE_SIZE],
        "services": catalog.service_list(agency=request.user.agency.slug),
        "service_slug": service_slug,
    }
    return render(request, "cases/staff_queue.html", context)


def _staff_application(request: HttpRequest, application_id: str) -> Application | None:
    if not _is_staff(request.user):
        return None
    try:
        return access_application_by_id(request.user, application_id, for_decision=True)
    except (NotFound, PermissionDenied):
        return None


def _case_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    actions = selectors.case_actions(application, request.user)
    proposal = actions["proposal"]
    return {
        "application": application,
        "explained": selectors.page_explanation(application),
        "answers": _answers(application),
        "timeline": selectors.timeline(application),
        "actions": actions,
        "voice": selectors.officer_voice(application),
        "facts": _provenance(proposal.facts if proposal else {}),
        "computed": selectors.computed_values(proposal, application.service.slug),
        "days_left": selectors.sla_working_days_left(application),
        "officers": selectors.deciding_officers(application) if actions["can_move"] else [],
        "purposes": Discretion.Purpose.choices,
        "letter": letters.current_letter(application),  # installed by pamong.documents; None without it
        "form_errors": {},
        "values": {},
        **extra,
    }


@login_required
def case_detail(request: HttpRequest, application_id: str) -> HttpResponse:
    application = _staff_application(request, application_id)
    if application is None:
        return not_found(request)
    accounts.record_personal_data_access(
        actor=request.user,
        citizen=application.applicant,
        what=f"permohonan {application.reference}: isian formulir, data registri dan keputusan",
        why="memeriksa permohonan (halaman petugas)",
    )
    return render(request, "cases/case_detail.html", _case_context(request, application))


def _staff_action(request: HttpRequest, application: Application, form: str, call) -> HttpResponse:
    """POST of one staff form on the case page; errors (409 conflict, 422 missing input) re-show it."""
    try:
        call()
    except ApplicationError as exc:
        fields = _discretion_errors(exc, request.POST) if form == "decide" else None
        context = _case_context(
            request, application, form_errors={form: _error_context(exc, fields)}, values={form: request.POST}
        )
        return render(request, "cases/case_detail.html", context, status=exc.status)
    return redirect("cases:case", application_id=application.pk)


@require_POST
@login_required
def claim(request: HttpRequest, application_id: str) -> HttpResponse:
    application = _staff_application(request, application_id)
    if application is None:
        return not_found(request)

    def call() -> None:
        services.claim_application(application, actor=request.user)
        messages.success(request, _("You have taken this application; it is yours to decide."))

    return _staff_action(request, application, "claim", call)


@require_POST
@login_required
def move(request: HttpRequest, application_id: str) -> HttpResponse:
    """A supervisor hands a case to another officer or back to the queue, with a reason (audited)."""
    application = _staff_application(request, application_id)
    if application is None:
        return not_found(request)
    officer_id = request.POST.get("officer", "")
    officer = (
        selectors.deciding_officers(application).filter(pk=officer_id).first()
        if officer_id.isdigit()
        else None
    )

    def call() -> None:
        services.release_case(
            application, actor=request.user, reason=request.POST.get("reason", ""), to=officer
        )
        messages.success(request, _("The case has been moved."))

    return _staff_action(request, application, "move", call)


@require_POST
@login_required
def decide(request: HttpRequest, application_id: str) -> HttpResponse:
    application = _staff_application(request, application_id)
    if application is None:
        return not_found(request)
    post = request.POST

    def call() -> None:
        services.decide_application(
            application,
            actor=request.user,
            outcome=post.get("outcome", ""),
            reasons=post.get("reasons", "")[:4000],
            legal_basis=post.get("legal_basis", "")[:1000],
            discretion=_discretion_input(post),
        )
        messages.success(request, _("The decision was recorded and the citizen is informed."))

    return _staff_action(request, application, "decide", call)


def _discretion_input(post: QueryDict) -> services.DiscretionInput | None:
    """The diskresi record as typed; None while the conflict-of-interest question is unanswered, so that the
    service asks for the record instead of reading the silence as "no conflict"."""
    conflict = post.get("conflict_of_interest", "")
    if conflict not in (webforms.YES, webforms.NO):
        return None
    return services.DiscretionInput(
        purpose=post.get("purpose", ""),
        objective_reasons=post.get("objective_reasons", "")[:4000],
        legal_basis=post.get("discretion_legal_basis", "")[:1000],
        conflict_of_interest=conflict == webforms.YES,
        conflict_note=post.get("conflict_note", "")[:2000],
    )


DISCRETION_FIELDS = {  # service name → (page input, message)
    "purpose": ("purpose", gettext_lazy("Choose the purpose of the discretion.")),
    "objective_reasons": (
        "objective_reasons",
        gettext_lazy("Write the objective reasons for departing from the rules."),
    ),
    "legal_basis": ("discretion_legal_basis", gettext_lazy("Write the legal basis of the discretion.")),
    "conflict_of_interest": (
        "conflict_of_interest",
        gettext_lazy("Declare whether you have a conflict of interest."),
    ),
    "conflict_note": ("conflict_note", gettext_lazy("Explain the conflict of interest you declared.")),
}


def _discretion_errors(exc: ApplicationError, post: QueryDict) -> dict[str, str] | None:
    if exc.code != "discretion_record_required":
        return None
    missing = list((exc.details or {}).get("missing", []))
    if _discretion_input(post) is None:  # the record was not sent: name only what is really empty
        missing = [name for name in missing if not post.get(DISCRETION_FIELDS[name][0], "").strip()]
        missing = missing or ["conflict_of_interest"]
    return {DISCRETION_FIELDS[name][0]: str(DISCRETION_FIELDS[name][1]) for name in missing}


@require_POST
@login_required
def request_information(request: HttpRequest, application_id: str) -> HttpResponse:
    application = _staff_application(request, application_id)
    if application is None:
        return not_found(request)

    def call() -> None:
        services.request_information(
            application, actor=request.user, message=request.POST.get("message", "")[:4000]
        )
        messages.success(request, _("The request was sent to the citizen; the deadline is paused."))

    return _staff_action(request, application, "information", call)


@require_POST
@login_required
def decide_objection(request: HttpRequest, objection_id: int) -> HttpResponse:
    if not _is_staff(request.user):
        return not_found(request)
    try:
        objection = access_objection_by_id(request.user, objection_id)
    except (NotFound, PermissionDenied):
        return not_found(request)
    overturn = request.POST.get("overturn", "")

    def call() -> None:
        if overturn not in (webforms.YES, webforms.NO):
            raise ValidationFailed(
                _("Choose whether the decision is overturned."), details={"overturn": _("Choose yes or no.")}
            )
        services.decide_objection(
            objection,
            actor=request.user,
            overturn=overturn == webforms.YES,
            reasons=request.POST.get("reasons", "")[:4000],
        )
        messages.success(request, _("The objection was decided and the citizen is informed."))

    return _staff_action(request, objection.application, "objection", call)


def _provenance(facts: dict[str, Any]) -> dict[str, Any]:
    """Facts and tables with their source and fetch time, the times parsed for display."""

    def row(name: str, entry: dict[str, Any]) -> dict[str, Any]:
        fetched = entry.get("fetched_at") or entry.get("on_date")
        return {
            "name": name,
            **entry,
            "label": fact_label(name),
            "source_text": source_label(str(entry.get("source") or "")),
            "fetched": _parse_time(fetched),
        }

    return {
        "facts": [row(n, e) for n, e in (facts.get("facts") or {}).items()],
        "tables": [row(n, e) for n, e in (facts.get("tables") or {}).items()],
        "problems": [_problem_words(problem) for problem in facts.get("problems") or []],
    }


def _problem_words(problem: Any) -> Any:
    """A source problem in the reader's language, the fact and the register it names in words (their labels),
    never as identifiers ("The value of household income per month from Dukcapil (population register) ...")."""
    kept = stored(problem)
    params = kept.get("params") if isinstance(kept, dict) else None
    if not params:
        return words(problem)
    params = dict(params)
    if isinstance(params.get("fact"), str):
        params["fact"] = in_sentence(fact_label(params["fact"]))
    if isinstance(params.get("source"), str):
        source = params["source"]
        params["source"] = source_label(source if ":" in source else f"registry:{source}")
    return words({**kept, "params": params})


def _parse_time(text: Any) -> dt.datetime | dt.date | None:
    try:
        moment = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment.date()


# --- counter (petugas loket) ----------------------------------------------------------------------------------


def _is_counter(user) -> bool:
    return _has_role(user, roles.PETUGAS_LOKET)


@login_required
def counter_services(request: HttpRequest) -> HttpResponse:
    if not _is_counter(request.user):
        return not_found(request)
    return render(request, "cases/counter_services.html", {"services": catalog.service_list()})


def _consent_text(service, officer) -> str:
    return _(
        "I, the citizen named above, agree that counter officer %(officer)s files this application for "
        "%(service)s on my behalf, and that the agency uses my data, including data held by other agencies, "
        "to decide it. The officer has read this statement to me."
    ) % {"officer": officer.get_full_name() or officer.username, "service": service.name}


def _counter_context(request, service, key, post=None, errors=None, **extra) -> dict[str, Any]:
    post = post or {}
    values = {name: post.get(webforms.PREFIX + name, "") for name in (s["name"] for s in service.form_fields)}
    return {
        **_apply_context(service, key, values, errors, post.get("statement", "")),
        "nik": post.get("nik", ""),
        "full_name": post.get("full_name", ""),
        "consent_method": post.get("consent_method", ""),
        "consent_statement": post.get("consent_statement", _consent_text(service, request.user)),
        "told_by": post.get("told_by", ""),
        "phone": post.get("phone", ""),
        "email": post.get("email", ""),
        "told_by_choices": TOLD_BY_CHOICES,
        "name_mismatch": bool(post.get("second_officer_username")),
        **extra,
    }


TOLD_BY_CHOICES = [  # how a counter citizen wants to be told (issue 15)
    (services.ToldBy.PHONE, gettext_lazy("SMS or WhatsApp to the mobile number below")),
    (services.ToldBy.EMAIL, gettext_lazy("E-mail to the address below")),
    (services.ToldBy.COUNTER, gettext_lazy("Picks the letter up at this counter")),
    (services.ToldBy.POST, gettext_lazy("A letter by post")),
]


def _second_officer(request: HttpRequest):
    """The second officer who confirms a name mismatch, signed in with their own username and password on
    this page (failures count towards their lockout like any sign-in); None when nobody tried; False when the
    sign-in failed."""
    username = request.POST.get("second_officer_username", "").strip()[:150]
    if not username:
        return None
    officer = authenticate(
        request, username=username, password=request.POST.get("second_officer_password", "")[:200]
    )
    return officer or False


@login_required
def counter_apply(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_or_none(slug)
    if service is None or not _is_counter(request.user):
        return not_found(request)
    if request.method != "POST":
        return render(
            request,
            "cases/counter_apply.html",
            _counter_context(request, service, webforms.idempotency_key()),
        )
    post, key = request.POST, webforms.idempotency_key(request.POST)
    data, _raw = webforms.submitted(service.form_fields, post)
    answers = _counter_answers(post)
    unanswered = webforms.unanswered(service.form_fields, data)
    if unanswered:  # stop before the service, which would read a skipped yes/no question as "no"
        problems = services.counter_problems(service=service, form=data, **_without_statement(answers))
        return _counter_invalid(request, service, key, {**problems, **unanswered})
    contact = services.CounterContact(
        told_by=post.get("told_by", ""), phone=post.get("phone", "")[:40], email=post.get("email", "")[:200]
    )
    confirmed_by = _second_officer(request)
    if confirmed_by is False:
        errors = {"second_officer": _("The second officer's username or password is wrong.")}
        return _counter_invalid(request, service, key, errors, name_mismatch=True)
    try:
        application, _created = services.submit_at_counter(
            actor=request.user,
            service=service,
            form=data,
            idempotency_key=key,
            contact=contact,
            name_confirmed_by=confirmed_by,
            **answers,
        )
    except ApplicationError as exc:
        return _counter_invalid(
            request,
            service,
            key,
            _counter_failure_fields(exc),
            exc.message,
            exc.status,
            name_mismatch=exc.code in ("name_mismatch", "second_officer_required"),
        )
    return redirect("cases:counter-receipt", application_id=application.pk)


def _counter_failure_fields(exc: ApplicationError) -> dict[str, str]:
    """The input each failure belongs to: a NIK problem (nik_* codes, details such as the region code) to the
    NIK input; form errors to their fields; anything else to the summary alone, never a bare detail value."""
    if exc.code.startswith("nik_"):
        return {"nik": exc.message}
    if exc.code in ("name_mismatch", "second_officer_required"):
        return webforms.field_errors(exc.details)
    return webforms.field_errors(exc.details) if exc.code == "form_invalid" else {}


def _counter_invalid(
    request, service, key, errors, message: str = "", status: int = 422, name_mismatch: bool = False
) -> HttpResponse:
    message = message or _("The form is not complete yet. Check the answers named below.")
    inputs = [("nik", "nik"), ("full_name", "full_name"), ("told_by", "told_by"), ("phone", "phone")]
    inputs += [("email", "email"), ("second_officer", "second_officer"), *_inputs(service)]
    inputs += [("consent_method", "consent_method"), ("consent_statement", "consent_statement")]
    context = _counter_context(
        request, service, key, request.POST, errors, summary=_summary(errors, inputs, message)
    )
    context["name_mismatch"] = name_mismatch or context["name_mismatch"]
    return render(request, "cases/counter_apply.html", context, status=status)


def _counter_answers(post: QueryDict) -> dict[str, str]:
    """The counter page's own inputs as the counter service takes them (it validates them all)."""
    return {
        "nik": post.get("nik", ""),
        "full_name": post.get("full_name", ""),
        "consent_method": post.get("consent_method", ""),
        "consent_statement": post.get("consent_statement", ""),
        "statement": post.get("statement", ""),
    }


def _without_statement(answers: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in answers.items() if name != "statement"}


@login_required
def counter_receipt(request: HttpRequest, application_id: str) -> HttpResponse:
    if not _is_counter(request.user):
        return not_found(request)
    try:
        application = access_application_by_id(request.user, application_id)
    except NotFound:
        return not_found(request)
    accounts.record_personal_data_access(  # every counter action on a citizen's case is in their access log
        actor=request.user,
        citizen=application.applicant,
        what=f"permohonan {application.reference}: tanda bukti",
        why="tanda bukti permohonan dicetak di loket",
    )
    return _counter_receipt(request, application)


def _counter_receipt(request: HttpRequest, application: Application, **extra: Any) -> HttpResponse:
    context = {
        "application": application,
        "explained": selectors.page_explanation(application),
        "next_steps": selectors.next_steps(application),
        "status_url": request.build_absolute_uri(reverse("cases:application", args=[application.pk])),
        "can_activate": not application.applicant.has_usable_password(),
        "activate_url": request.build_absolute_uri(reverse("accounts:activate")),
        "activation_days": settings.PAMONG_ACTIVATION_CODE_DAYS,
        "told_by": dict(TOLD_BY_CHOICES).get(application.consent.get("told_by", "")),
        **extra,
    }
    return render(request, "cases/counter_receipt.html", context)


@login_required
def counter_citizen(request: HttpRequest) -> HttpResponse:
    """A citizen at the counter forgot their password (or never set one): after checking the KTP, the officer
    prints an activation code for the account of that NIK. Opening the account is logged for the citizen."""
    if not _is_counter(request.user):
        return not_found(request)
    nik = request.POST.get("nik", "").replace(" ", "")[:20]
    context: dict[str, Any] = {
        "nik": nik,
        "errors": {},
        "activation_days": settings.PAMONG_ACTIVATION_CODE_DAYS,
    }
    if request.method != "POST":
        return render(request, "cases/counter_citizen.html", context)
    errors = context["errors"]
    citizen = None
    try:
        validate_nik(nik)
    except ApplicationError as exc:
        errors["nik"] = exc.message
    else:
        citizen = account_selectors.account_by_nik(nik)
        if citizen is None or roles.WARGA not in citizen.role_names:
            errors["nik"] = _(
                "There is no Pamong account for this NIK yet: it is made with the first application."
            )
    if request.POST.get("ktp_checked") != "ya":
        errors["ktp_checked"] = _("Check the citizen's KTP first, then tick the box.")
    if errors:
        return render(request, "cases/counter_citizen.html", context, status=422)
    with transaction.atomic():  # the opening is logged exactly when a code is issued
        accounts.record_personal_data_access(
            actor=request.user,
            citizen=citizen,
            what=_("account"),
            why=_("activation code printed at the counter"),
        )
        code = accounts.issue_activation_code(officer=request.user, citizen=citizen)
    context.update(
        citizen=citizen,
        activation_code=code,
        activate_url=request.build_absolute_uri(reverse("accounts:activate")),
    )
    return render(request, "cases/counter_citizen.html", context)


@require_POST
@login_required
def counter_activation_code(request: HttpRequest, application_id: str) -> HttpResponse:
    """Print an activation code on the proof, for a citizen whose account the counter made: shown once, on
    this response only (never stored in clear, never in a redirect)."""
    if not _is_counter(request.user):
        return not_found(request)
    try:
        application = access_application_by_id(request.user, application_id)
        code = accounts.issue_activation_code(officer=request.user, citizen=application.applicant)
    except NotFound:
        return not_found(request)
    return _counter_receipt(request, application, activation_code=code)

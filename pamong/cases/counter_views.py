"""Counter pages for the whole case (issue 15): find a case by reference + NIK (any counter officer of any
agency), print its status with reasons and its letter, and file an objection, an appeal or an answer for the
citizen with recorded consent; the agency's printed-letter queue. Stateless: every POST carries the reference
and the NIK again and is checked (and logged for the citizen) again, so no page opens a case by its id alone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pamong.accounts import services as accounts
from pamong.core.errors import ApplicationError, NotFound
from pamong.core.views import not_found
from pamong.notify import services as notify
from pamong.notify.models import LetterTask

from . import letters as letters_port
from . import selectors, services
from . import vault as vault_port
from .models import Application

PAGE_SIZE = 20
ACTIONS = {"objection", "appeal", "information"}


def _find_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "reference": request.POST.get("reference", "")[:40],
        "nik": request.POST.get("nik", "")[:20],
        "errors": {},
        **extra,
    }


@login_required
def counter_find(request: HttpRequest) -> HttpResponse:
    """GET: the search form. POST: the case found by reference + NIK, with its status, reasons and forms."""
    if not services.is_counter_officer(request.user):
        return not_found(request)
    if request.method != "POST":
        return render(request, "cases/counter_find.html", _find_context(request))
    try:
        application = services.counter_find(
            actor=request.user, reference=request.POST.get("reference", ""), nik=request.POST.get("nik", "")
        )
    except NotFound as exc:  # the officer's input matched nothing: 422 with the form again, not a 404 page
        return render(
            request, "cases/counter_find.html", _find_context(request, message=exc.message), status=422
        )
    return render(request, "cases/counter_case.html", _case_context(request, application))


def _case_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    explained = selectors.page_explanation(application)
    open_for_documents = application.status in services.OPEN_FOR_DOCUMENTS
    tasks = notify.letter_tasks(queue=application.service.agency.slug, open_only=False).filter(
        notification__subject_ref=selectors.subject_of(application)
    )
    return {
        "application": application,
        "explained": explained,
        "next_steps": selectors.next_steps(application),
        "actions": selectors.citizen_actions(application),
        "letters": list(tasks),
        "signed_letter": _issued(letters_port.current_letter(application)),
        "nik": request.POST.get("nik", "")[:20],
        "status_url": notify.absolute_url(reverse("cases:application", args=[application.pk])),
        "form_errors": {},
        "values": {},
        "consent_text": _counter_consent_text(request.user),
        # The citizen's vault (types and dates only) while the case takes documents; files move only with consent.
        "vault_offered": vault_port.counter_offer(application.applicant) if open_for_documents else [],
        "vault_types": vault_port.document_types() if open_for_documents else [],
        **extra,
    }


def _counter_consent_text(officer) -> str:
    return _(
        "I, the applicant, agree that counter officer %(officer)s files this for me, and the officer has read "
        "it to me."
    ) % {"officer": officer.get_full_name() or officer.username}


def _consent(request: HttpRequest) -> dict[str, str]:
    return {
        "method": request.POST.get("consent_method", ""),
        "statement": request.POST.get("consent_statement", "")[:1000],
    }


def _act_for_citizen(request: HttpRequest, *, why: str, action: str | None, call) -> HttpResponse:
    """Find the case again by reference + NIK (logged for the citizen), run `call(application, consent)`, which
    returns the message to show, and show the case page again: with it, or with the error beside form `action`."""
    if not services.is_counter_officer(request.user):
        return not_found(request)
    try:
        application = services.counter_find(
            actor=request.user,
            reference=request.POST.get("reference", ""),
            nik=request.POST.get("nik", ""),
            why=why,
        )
    except NotFound as exc:
        return render(
            request, "cases/counter_find.html", _find_context(request, message=exc.message), status=422
        )
    if action is None:
        return render(request, "cases/counter_case.html", _case_context(request, application), status=422)
    try:
        done = call(application, _consent(request))
    except ApplicationError as exc:
        application.refresh_from_db()
        fields = dict(exc.details) if isinstance(exc.details, dict) else {}
        error = {
            "message": exc.message,
            "fields": {k: str(v) for k, v in fields.items() if isinstance(v, str)},
        }
        context = _case_context(
            request, application, form_errors={action: error}, values={action: request.POST}
        )
        return render(request, "cases/counter_case.html", context, status=exc.status)
    application.refresh_from_db()
    return render(request, "cases/counter_case.html", _case_context(request, application, done=done))


@require_POST
@login_required
def counter_act(request: HttpRequest) -> HttpResponse:
    """File an objection, an appeal or an answer to an information request for the citizen, with consent."""
    action = request.POST.get("action", "")
    text = request.POST.get("text", "")[:4000]

    def call(application: Application, consent: dict[str, str]) -> str:
        if action == "objection":
            services.file_objection(application, actor=request.user, statement=text, consent=consent)
            return _("The objection was filed for the citizen. Another officer will decide it.")
        if action == "appeal":
            services.file_appeal(application, actor=request.user, statement=text, consent=consent)
            return _("The appeal was filed for the citizen. The supervisor's level will decide it.")
        services.provide_information(application, actor=request.user, answer=text, consent=consent)
        return _("The citizen's answer was sent and the deadline runs again.")

    return _act_for_citizen(
        request,
        why=_("filing for the citizen at the counter"),
        action=action if action in ACTIONS else None,
        call=call,
    )


@require_POST
@login_required
def counter_documents(request: HttpRequest) -> HttpResponse:
    """Documents for the citizen's case, with their consent: attach some from their vault (My documents), or scan
    a paper document into the vault and attach it. Through cases' vault port; each read logged for the citizen."""
    scan = request.POST.get("action") == "vault_scan"

    def call(application: Application, consent: dict[str, str]) -> str:
        if scan:
            vault_port.counter_scan(
                application,
                actor=request.user,
                doc_type=request.POST.get("doc_type", ""),
                uploaded=request.FILES.get("file"),
                consent=consent,
            )
            return _("The scanned document is kept in the citizen's documents and attached to the case.")
        chosen = request.POST.getlist("vault_document")
        count = vault_port.counter_attach(application, actor=request.user, chosen=chosen, consent=consent)
        return _("Documents from the citizen's vault attached: %(count)d.") % {"count": count}

    return _act_for_citizen(
        request,
        why=_("attaching documents for the citizen at the counter"),
        action="vault_scan" if scan else "vault_attach",
        call=call,
    )


# --- the agency's printed-letter queue ---------------------------------------------------------------------------


def _letter_officer(user) -> bool:
    return services.is_counter_officer(user) and bool(user.agency_id)


@login_required
def letter_queue(request: HttpRequest) -> HttpResponse:
    """Notices no channel could deliver, to print and hand over or post: the agency's undelivered list."""
    if not _letter_officer(request.user):
        return not_found(request)
    tasks = notify.letter_tasks(queue=request.user.agency.slug)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(request, "cases/letter_queue.html", {"page": page})


def _letter_of_agency(request: HttpRequest, task_id: int) -> LetterTask | None:
    if not _letter_officer(request.user):
        return None
    return (
        LetterTask.objects.select_related("notification__recipient")
        .filter(pk=task_id, queue=request.user.agency.slug)
        .first()
    )


@login_required
def letter_print(request: HttpRequest, task_id: int) -> HttpResponse:
    """The letter as printed: the notice's text, and the signed decision letter (PDF) once it is issued."""
    task = _letter_of_agency(request, task_id)
    if task is None:
        return not_found(request)
    accounts.record_personal_data_access(
        actor=request.user,
        citizen=task.notification.recipient,
        what=_("printed letter of a notice"),
        why=_("printing the notice no channel could deliver"),
    )
    application = _application_of(task)
    signed = letters_port.current_letter(application) if application else None
    context = {"task": task, "signed_letter": _issued(signed)}
    return render(request, "cases/letter_print.html", context)


@login_required
def letter_task_pdf(request: HttpRequest, task_id: int) -> HttpResponse:
    """The signed decision letter of a letter task's case, for the agency's counter to print and hand over."""
    task = _letter_of_agency(request, task_id)
    if task is None:
        return not_found(request)
    application = _application_of(task)
    if application is None:  # a notice about no application (an account matter): there is no decision letter
        return render(request, "cases/letter_not_ready.html", {"application": None}, status=409)
    return _signed_letter_response(request, application)


@require_POST
@login_required
def counter_letter_pdf(request: HttpRequest) -> HttpResponse:
    """Any counter prints the signed letter of a case it found by reference + NIK (found again: access-logged)."""
    if not services.is_counter_officer(request.user):
        return not_found(request)
    try:
        application = services.counter_find(
            actor=request.user, reference=request.POST.get("reference", ""), nik=request.POST.get("nik", "")
        )
    except NotFound:
        return not_found(request)
    return _signed_letter_response(request, application)


def _issued(letter: letters_port.LetterSummary | None) -> letters_port.LetterSummary | None:
    return letter if letter is not None and letter.issued_at is not None else None


def _application_of(task: LetterTask) -> Application | None:
    prefix = "cases.application:"
    ref = task.notification.subject_ref
    if not ref.startswith(prefix):
        return None
    return Application.objects.select_related("service__agency").filter(pk=ref.removeprefix(prefix)).first()


def _signed_letter_response(request: HttpRequest, application: Application) -> HttpResponse:
    found = letters_port.current_letter_pdf(application)
    if (
        found is None
    ):  # no final decision yet, or its letter is still being signed: say so, and print the notice
        return render(request, "cases/letter_not_ready.html", {"application": application}, status=409)
    number, pdf = found
    accounts.record_personal_data_access(
        actor=request.user,
        citizen=application.applicant,
        what=_("signed decision letter %(number)s") % {"number": number},
        why=_("printing the letter for the citizen at a counter"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-{application.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def letter_handled(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _letter_of_agency(request, task_id)
    if task is None:
        return not_found(request)
    try:
        services.hand_over_letter(actor=request.user, task_id=task.pk, how=request.POST.get("how", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("cases:letters")
    messages.success(request, _("Recorded. The letter is off the list."))
    return redirect("cases:letters")

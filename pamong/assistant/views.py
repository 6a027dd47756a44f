"""/tanya/: a question form and its answer on one page, without JavaScript; /tanya/loket/: a counter officer asks
about the citizen they serve (found by reference + NIK, as on the counter's case page); /instansi/tanya/: the
hand-overs of the agency, each a complaint of type *permintaan informasi*."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pamong.cases import services as cases
from pamong.complaints import selectors as complaints
from pamong.core.errors import NotFound
from pamong.core.views import not_found

from . import selectors, services
from .models import Channel, Handover


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: what are the requirements for a birth certificate?"),
    )
    contact = forms.CharField(
        label=_("Phone or e-mail for an answer by an officer (optional)"), max_length=200, required=False
    )


def ask_page(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST or None)
    reply, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            reply = services.ask_question(
                form.cleaned_data["question"],
                user=request.user,
                channel=Channel.WEB,
                contact=form.cleaned_data["contact"],
            )
        else:
            status = 422
    context = {
        "form": form,
        "reply": reply,
        "question": form.cleaned_data.get("question", "") if form.is_bound and form.is_valid() else "",
    }
    return render(request, "assistant/ask.html", context, status=status)


class CounterAskForm(forms.Form):
    """The served citizen is the applicant of the case found by reference + NIK (re-checked and logged at each
    question, as every counter form); the question never names the person."""

    reference = forms.CharField(label=_("Reference number"), max_length=40)
    nik = forms.CharField(label=_("NIK (16 digits, from the KTP-el)"), max_length=20)
    question = forms.CharField(
        label=_("The citizen's question"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: why was the application refused?"),
    )


@login_required
def counter_ask(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the case found by reference + NIK (logged for the citizen), then the answer about the
    citizen's applications (the answer logged too); a reference and NIK that match nothing: 422, no answer."""
    if not cases.is_counter_officer(request.user):
        return not_found(request)
    form = CounterAskForm(request.POST or None)
    context: dict = {"form": form, "reply": None}
    if request.method != "POST":
        return render(request, "assistant/counter.html", context)
    if not form.is_valid():
        return render(request, "assistant/counter.html", context, status=422)
    data = form.cleaned_data
    try:
        application = cases.counter_find(
            actor=request.user,
            reference=data["reference"],
            nik=data["nik"],
            why=gettext("a question to the assistant at the counter"),
        )
    except NotFound as exc:
        context["message"] = exc.message
        return render(request, "assistant/counter.html", context, status=422)
    reply = services.ask_at_counter(data["question"], officer=request.user, application=application)
    context.update(reply=reply, application=application, question=data["question"])
    return render(request, "assistant/counter.html", context)


@login_required
def handover_list(request: HttpRequest) -> HttpResponse:
    agency_id = selectors.handover_agency(request.user)
    if agency_id is None:
        return not_found(request)
    status = Handover.Status.CLOSED if request.GET.get("status") == "closed" else Handover.Status.OPEN
    page = Paginator(selectors.handovers_of(agency_id, status=status), 20).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "can_open": complaints.can_handle(request.user)}
    return render(request, "assistant/handovers.html", context)


@require_POST
@login_required
def handover_close(request: HttpRequest, handover_id: int) -> HttpResponse:
    """An officer of the agency marks a hand-over from before hand-overs were complaints answered (audited)."""
    try:
        handover = selectors.access_handover_by_id(request.user, handover_id)
    except NotFound:
        return not_found(request)
    services.close_handover(handover, actor=request.user)
    messages.success(request, gettext("Marked as answered."))
    return redirect("assistant:handovers")

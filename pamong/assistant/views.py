"""/tanya/: a question form and its answer on one page, without JavaScript; /instansi/tanya/: the hand-overs
waiting for the agency's staff."""

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


@login_required
def handover_list(request: HttpRequest) -> HttpResponse:
    agency_id = selectors.handover_agency(request.user)
    if agency_id is None:
        return not_found(request)
    status = Handover.Status.CLOSED if request.GET.get("status") == "closed" else Handover.Status.OPEN
    page = Paginator(selectors.handovers_of(agency_id, status=status), 20).get_page(request.GET.get("page"))
    return render(request, "assistant/handovers.html", {"page": page, "status": status})


@require_POST
@login_required
def handover_close(request: HttpRequest, handover_id: int) -> HttpResponse:
    """An officer of the agency marks a hand-over answered (audited)."""
    try:
        handover = selectors.access_handover_by_id(request.user, handover_id)
    except NotFound:
        return not_found(request)
    services.close_handover(handover, actor=request.user)
    messages.success(request, gettext("Marked as answered."))
    return redirect("assistant:handovers")

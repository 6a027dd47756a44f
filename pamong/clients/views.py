"""The OAuth 2.0 token endpoint (client credentials) and the agency administrator's webhook page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.views import TokenView

from pamong.accounts import roles
from pamong.core.errors import ApplicationError, NotFound
from pamong.core.ratelimit import client_ip, hit
from pamong.core.views import not_found

from . import selectors, services
from .models import Event


@method_decorator(csrf_exempt, name="dispatch")
class ClientTokenView(TokenView):
    """POST /oauth/token/ with grant_type=client_credentials and the client's id and secret (HTTP Basic, or
    in the form body). Token requests are limited per IP address (guessing a secret): 429 in the one error
    shape."""

    def post(self, request: HttpRequest, *args, **kwargs):
        if not hit("client_token", f"ip:{client_ip(request)}"):
            response = JsonResponse(
                {
                    "code": "too_many_requests",
                    "message": "Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.",
                },
                status=429,
            )
            response["Retry-After"] = "60"
            return response
        return super().post(request, *args, **kwargs)


# --- the agency administrator's webhook page --------------------------------------------------------------------


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Subscriber URL"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Where the signed events are sent, e.g. https://sistem.instansi.go.id/pamong"),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)


def _admin_agency(request: HttpRequest) -> int | None:
    user = request.user
    return user.agency_id if user.agency_id and roles.ADMIN_INSTANSI in roles.roles_of(user) else None


@login_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    """The agency's subscribers and a form for a new one. A new subscriber's secret is shown on the answer to
    the form, once: it is not put in a message or the session."""
    agency_id = _admin_agency(request)
    if agency_id is None:
        return not_found(request)
    form = WebhookForm(request.POST or None)
    created, secret, status = None, "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, secret = services.register_webhook(
                    actor=request.user, agency=request.user.agency, **form.cleaned_data
                )
            except ApplicationError as exc:
                form.add_error("url", str(exc.message))
                status = 422
            else:
                form, status = WebhookForm(), 201
        else:
            status = 422
    context = {
        "subscriptions": selectors.webhooks_of(agency_id),
        "form": form,
        "created": created,
        "secret": secret,
        "event_labels": dict(Event.choices),
    }
    return render(request, "clients/webhook_list.html", context, status=status)


def _subscription(request: HttpRequest, webhook_id: int):
    agency_id = _admin_agency(request)
    try:
        return selectors.access_webhook_by_id(agency_id, webhook_id)
    except NotFound:
        return None


@login_required
def webhook_detail(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """A subscriber and its delivery log: the newest 50 events with every attempt."""
    subscription = _subscription(request, webhook_id)
    if subscription is None:
        return not_found(request)
    context = {
        "subscription": subscription,
        "deliveries": selectors.deliveries_of(subscription)[:50],
        "event_labels": dict(Event.choices),
    }
    return render(request, "clients/webhook_detail.html", context)


@require_POST
@login_required
def webhook_disable(request: HttpRequest, webhook_id: int) -> HttpResponse:
    subscription = _subscription(request, webhook_id)
    if subscription is None:
        return not_found(request)
    services.disable_webhook(subscription, actor=request.user)
    messages.success(request, _("The subscriber was switched off; its pending deliveries were cancelled."))
    return redirect("clients:webhook-detail", webhook_id=subscription.pk)

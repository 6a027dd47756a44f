"""Reads for machine clients and webhook subscribers (CONVENTIONS §3, §4): a client-supplied id becomes an object
only here, and "missing" and "another agency's" give the same 404."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken

from pamong.cases.models import Application
from pamong.core.errors import NotFound
from pamong.notify.models import WebhookDelivery
from pamong.registry.models import PovertyLine, Region

from .models import ApiClient, WebhookSubscription


def access_token_get(token: str) -> AccessToken | None:
    """The stored token for a bearer value (looked up by its SHA-256, as django-oauth-toolkit does), with its
    client; None when unknown."""
    checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
    return (
        AccessToken.objects.select_related("application__api_client__agency")
        .filter(token_checksum=checksum)
        .first()
    )


def client_of(access_token: AccessToken) -> ApiClient | None:
    return getattr(access_token.application, "api_client", None) if access_token.application_id else None


def access_application_for_client(client: ApiClient, application_id: str) -> Application:
    """An application of one of the client's agency's services; the same 404 for missing and for another
    agency's."""
    not_found = NotFound(_("Application not found."), code="application_not_found")
    try:
        key = uuid.UUID(str(application_id))
    except ValueError:
        raise not_found from None
    application = (
        Application.objects.select_related("service__agency")
        .filter(pk=key, service__agency_id=client.agency_id)
        .first()
    )
    if application is None:
        raise not_found
    return application


def final_decision(application: Application):
    return application.decisions.filter(final=True).order_by("-decided_at", "-pk").first()


def region_get(code: str) -> Region:
    """A region by its Kemendagri code, with or without dots (stored without)."""
    code = code.replace(".", "")
    region = (
        Region.objects.select_related("dataset").filter(code=code).first()
        if re.fullmatch(r"[0-9]{2,10}", code)
        else None
    )
    if region is None:
        raise NotFound(_("Region not found."), code="region_not_found")
    return region


def poverty_line_on(regency_code: str, on: dt.date) -> PovertyLine:
    regency_code = regency_code.replace(".", "")
    if not re.fullmatch(r"[0-9]{4}", regency_code):
        raise NotFound(_("No poverty line for this regency on that date."), code="poverty_line_not_found")
    line = (
        PovertyLine.objects.select_related("dataset")
        .filter(regency_code=regency_code, effective_from__lte=on)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if line is None:
        raise NotFound(_("No poverty line for this regency on that date."), code="poverty_line_not_found")
    return line


def webhooks_of(agency_id: int) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(agency_id=agency_id).select_related("agency")


def access_webhook_by_id(agency_id: int | None, webhook_id: int) -> WebhookSubscription:
    subscription = webhooks_of(agency_id).filter(pk=webhook_id).first() if agency_id else None
    if subscription is None:
        raise NotFound(_("Webhook not found."), code="webhook_not_found")
    return subscription


def deliveries_of(subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    """The delivery log of a subscriber, newest first, with every attempt."""
    return WebhookDelivery.objects.filter(source=subscription.source).prefetch_related("attempt_log")

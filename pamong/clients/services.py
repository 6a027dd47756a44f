"""Writes for machine clients and webhook subscribers (CONVENTIONS §2): one transaction, one audit entry each.

A client acts under its own audit label, "client:<client_id>" (ApiClient.actor), like "user:<id>" for people.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, get_application_model

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases import events
from pamong.cases import services as cases
from pamong.cases.models import Application, Decision
from pamong.cases.selectors import final_decision
from pamong.catalog.models import Agency
from pamong.catalog.selectors import service_get
from pamong.core import generations
from pamong.core.errors import NotFound, ValidationFailed
from pamong.core.ratelimit import parse_rate
from pamong.notify import services as notify
from pamong.notify import webhooks

from .models import ApiClient, Event, Scope, WebhookSubscription

# --- clients --------------------------------------------------------------------------------------------------


def register_client(
    *, actor: Any, agency: Agency, name: str, scopes: list[str], rate_limit: str = ""
) -> tuple[ApiClient, str]:
    """A new machine client of an agency with its scopes. Returns (client, secret): the secret is shown this
    once; only its hash is stored (django-oauth-toolkit)."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if not scopes or unknown:
        raise ValidationFailed(
            _("Choose one or more scopes from: %(scopes)s.") % {"scopes": ", ".join(Scope.values)},
            code="invalid_scopes",
            details={"unknown": unknown},
        )
    if rate_limit:
        try:
            parse_rate(rate_limit)
        except (ValueError, KeyError, IndexError):
            raise ValidationFailed(
                _("Write the rate limit as count/period, e.g. 600/m."), code="invalid_rate_limit"
            ) from None
    if not name.strip():
        raise ValidationFailed(_("Give the client a name."), code="name_required")
    application_model = get_application_model()
    secret = generate_client_secret()
    with transaction.atomic():
        application = application_model.objects.create(
            name=name.strip()[:200],
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,  # hashed on save
            hash_client_secret=True,
        )
        client = ApiClient.objects.create(
            application=application,
            agency=agency,
            name=name.strip()[:200],
            scopes=sorted(set(scopes)),
            rate_limit=rate_limit,
            created_at=timezone.now(),
        )
        audit.record_event(
            actor=actor,
            action=Action.CLIENT_REGISTERED,
            subject=f"clients.client:{client.pk}",
            data={
                "client_id": application.client_id,
                "agency": agency.slug,
                "scopes": client.scopes,
                "rate_limit": rate_limit,
            },
        )
    return client, secret


def record_token_issued(*, client: ApiClient, access_token: str, scopes: list[str], expires_in: int) -> None:
    """Audit a token given to a client (called by the OAuth validator in the token's own transaction). The
    token is named by its row id, never by its value."""
    checksum = hashlib.sha256(access_token.encode("utf-8")).hexdigest()
    token_id = AccessToken.objects.filter(token_checksum=checksum).values_list("pk", flat=True).first()
    audit.record_event(
        actor=client.actor,
        action=Action.CLIENT_TOKEN_ISSUED,
        subject=f"clients.client:{client.pk}",
        data={"token": token_id, "scopes": sorted(scopes), "expires_in": expires_in},
    )


def submit_on_behalf(
    *,
    client: ApiClient,
    service_slug: str,
    nik: str,
    full_name: str,
    form: dict[str, Any],
    statement: str,
    consent_method: str,
    consent_statement: str,
    idempotency_key: str = "",
) -> tuple[Application, bool]:
    """A client files an application for a citizen, for a service of its own agency, with the citizen's consent
    recorded (method, statement, which client, when): the counter's path (`cases.submit_for_citizen`, which
    validates everything before it creates anything), on the API channel, with the client as the actor."""
    if "\x00" in f"{full_name}{statement}{consent_statement}":
        raise ValidationFailed(_("Remove the control characters from the text."), code="invalid_text")
    service = service_get(slug=service_slug)
    if service.agency_id != client.agency_id:  # another agency's service: the same 404 as a missing one
        raise NotFound(_("Service '%(slug)s' not found.") % {"slug": service_slug}, code="service_not_found")
    return cases.submit_for_citizen(
        actor=client.actor,
        service=service,
        nik=nik,
        full_name=full_name,
        form=form,
        consent_method=consent_method,
        consent_statement=consent_statement,
        recorded_by={"recorded_by_client": client.client_id},
        channel=Application.Channel.API,
        statement=statement,
        idempotency_key=idempotency_key,
        form_source="json",  # a machine client sends JSON: money is an integer, not Indonesian grouping
    )


# --- webhooks -------------------------------------------------------------------------------------------------


def register_webhook(
    *, actor: Any, agency: Agency, url: str, events: list[str], description: str = ""
) -> tuple[WebhookSubscription, str]:
    """A subscriber of the agency's application events. Returns (subscription, secret): the `whsec_` secret is
    shown this once (it is kept encrypted to sign deliveries)."""
    url = url.strip()
    if webhooks.check_url(url) is not None or "\x00" in description:
        raise ValidationFailed(
            _("Give an https:// address with a host name, without a user name or password."),
            code="invalid_webhook_url",
            details=[{"field": "url", "message": _("Not an acceptable address.")}],
        )
    unknown = sorted(set(events) - set(Event.values))
    if not events or unknown:
        raise ValidationFailed(
            _("Choose one or more events from: %(events)s.") % {"events": ", ".join(Event.values)},
            code="invalid_events",
            details={"unknown": unknown},
        )
    secret = webhooks.new_secret()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            agency=agency,
            url=url,
            description=description.strip()[:200],
            events=sorted(set(events)),
            secret=secret,
            created_at=timezone.now(),
        )
        audit.record_event(
            actor=actor,
            action=Action.WEBHOOK_REGISTERED,
            subject=f"clients.webhook:{subscription.pk}",
            data={"agency": agency.slug, "url": url, "events": subscription.events},
        )
    return subscription, secret


def disable_webhook(subscription: WebhookSubscription, *, actor: Any) -> WebhookSubscription:
    """Stop a subscriber: no new deliveries, and the pending ones are cancelled (kept in the delivery log)."""
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        if not subscription.active:
            return subscription
        subscription.active = False
        subscription.save(update_fields=["active"])
        cancelled = notify.cancel_webhooks(source=subscription.source)
        audit.record_event(
            actor=actor,
            action=Action.WEBHOOK_DISABLED,
            subject=f"clients.webhook:{subscription.pk}",
            data={"cancelled_deliveries": cancelled},
        )
    return subscription


def event_payload(
    application: Application, *, event: str, change: str, final: Decision | None = None
) -> dict[str, Any]:
    """What a subscriber receives: identifiers, status and the decision's outcome, no personal data (a client
    with the applications:read scope asks for more). `final`: the final decision, when the caller has it."""
    decision = None
    if event == Event.DECIDED:
        final = final_decision(application, known=final)
        if final is not None:
            decision = {
                "id": final.pk,
                "kind": final.kind,
                "outcome": final.outcome,
                "decided_at": final.decided_at.isoformat(),
                "audit_index": final.audit_index,
            }
    return {
        "type": str(event),
        "timestamp": timezone.now().isoformat(),
        "data": {
            "application": str(application.pk),
            "reference": application.reference,
            "service": application.service.slug,
            "agency": application.service.agency.slug,
            "status": application.status,
            "change": change,
            "decision": decision,
        },
    }


@dataclass(frozen=True)
class Subscriber:
    source: str
    url: str
    secret: str
    events: frozenset[str]


def active_subscribers(agency_id: int) -> tuple[Subscriber, ...]:
    """The agency's active subscribers, read once per generation of the subscriptions table (every decision
    asks; pamong.core.generations)."""
    return generations.cached("webhooks", ("active", agency_id), lambda: _read_subscribers(agency_id))


def _read_subscribers(agency_id: int) -> tuple[Subscriber, ...]:
    return tuple(
        Subscriber(source=s.source, url=s.url, secret=s.secret, events=frozenset(s.events))
        for s in WebhookSubscription.objects.filter(agency_id=agency_id, active=True)
    )


def on_application_change(application: Application, *, change: str, decision: Decision | None = None) -> None:
    """The listener on cases' port: one outbox row per subscriber of the application's agency that wants this
    event, in the caller's transaction (delivered after commit, with retries, pamong.notify)."""
    event = Event.DECIDED if change in events.DECISION_CHANGES else Event.STATUS_CHANGED
    subscribers = [s for s in active_subscribers(application.service.agency_id) if event in s.events]
    if not subscribers:
        return
    body = json.dumps(
        event_payload(application, event=event, change=change, final=decision), separators=(",", ":")
    )
    for subscription in subscribers:
        notify.queue_webhook(
            source=subscription.source,
            url=subscription.url,
            secret=subscription.secret,
            event_type=str(event),
            body=body,
        )

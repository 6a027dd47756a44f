"""Other systems as clients: machine clients (OAuth 2.0 client credentials, django-oauth-toolkit) and the
webhook subscriptions of an agency. Deliveries themselves are rows of the outbox in pamong.notify."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.fields import EncryptedTextField


class Scope(models.TextChoices):
    """What a client may do; a token carries a subset of its client's scopes."""

    SUBMIT = (
        "applications:submit",
        _("Submit applications on behalf of citizens, with their recorded consent"),
    )
    READ_STATUS = "applications:read", _("Read the status and decision of the agency's applications")
    READ_REGISTERS = "registers:read", _("Read reference registers (regions, poverty lines)")
    SUBMIT_COMPLAINTS = "complaints:submit", _("Submit complaints (Open311 POST requests.json)")


class Event(models.TextChoices):
    """Webhook event types (the payload's `type`)."""

    STATUS_CHANGED = "application.status_changed", _("An application's status changed")
    DECIDED = "application.decided", _("A final decision was recorded")


class ApiClient(models.Model):
    """A machine client of one agency (a kiosk, a counter machine, another agency's system). Its credentials are
    a django-oauth-toolkit Application (client credentials grant; the secret is stored hashed)."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="api_client"
    )
    agency = models.ForeignKey(
        "catalog.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("name"), max_length=200)
    scopes = models.JSONField(default=list)
    # "count/period" (pamong.core.ratelimit); empty: the default PAMONG_RATE_LIMITS["client"].
    rate_limit = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["agency_id", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_id})"

    @property
    def client_id(self) -> str:
        return self.application.client_id

    @property
    def actor(self) -> str:
        """Who acted, in the audit log: a stable label, as "user:<id>" is for people."""
        return f"client:{self.application.client_id}"


class WebhookSubscription(models.Model):
    """A subscriber of an agency: a URL that receives signed events about the agency's applications."""

    agency = models.ForeignKey(
        "catalog.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(default=list)
    secret = EncryptedTextField()  # whsec_...; shown once when created, encrypted at rest
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["agency_id", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"

    @property
    def source(self) -> str:
        """How the outbox names this subscription's deliveries (pamong.notify.WebhookDelivery.source)."""
        return f"clients.webhook:{self.pk}"

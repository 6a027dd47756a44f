"""The notification outbox: one row per message and channel, delivered at least once, every attempt recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.fields import EncryptedJSONField, EncryptedTextField


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed after every retry")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    template = models.CharField(max_length=80)
    # What a message says is personal data (a name, a reference, a decision): encrypted at rest like the rest.
    context = EncryptedJSONField(default=dict)
    subject = EncryptedTextField()
    body = EncryptedTextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient_id} via {self.channel} ({self.status})"


class Preference(models.Model):
    """The channels a citizen chose. Without a row, email is used (every account has an address or none)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    channels = models.JSONField(default=list)
    phone = EncryptedTextField(
        blank=True, default=""
    )  # personal data: encrypted at rest (pamong.core.fields)
    # Keyed blind index of the normalised number (pamong.notify.services.phone_key): sign-in by phone finds the
    # account, and its failures count against that account (issue 21), without the number in clear.
    phone_index = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.channels)}"


class WebhookDelivery(models.Model):
    """One signed event for one subscriber's URL (Standard Webhooks): the outbox row, written in the caller's
    transaction and delivered after commit, at least once. `message_id` is the `webhook-id` header and stays the
    same across retries, so a subscriber can drop a duplicate. `source` names who asked for it (e.g. the
    subscription "clients.webhook:12"); notify knows nothing else about subscriptions."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed after every retry")
        CANCELLED = "cancelled", _("cancelled")

    source = models.CharField(max_length=80, db_index=True)
    url = models.URLField(max_length=500)
    secret = EncryptedTextField()  # the subscriber's whsec_ secret, encrypted at rest
    message_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=80)
    body = models.TextField()  # the exact JSON text that is signed and sent
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id} → {self.url} ({self.status})"


class WebhookAttempt(models.Model):
    """The delivery log: every attempt with its answer (HTTP status) or its error, and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="notify_webhook_attempt_once")
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}: {self.status_code or self.error}"

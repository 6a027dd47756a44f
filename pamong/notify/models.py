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
    """One notice to one person. It tries the person's channels in their order of preference, then the others
    (settings.NOTIFY_FALLBACK_ORDER); `channel` is the one being tried (or that delivered) and `fallbacks` the
    ones left. When none is left, a notice with a `letter_queue` becomes a printed-letter task (`LetterTask`)
    on that agency's counter queue: it always ends delivered or as a letter, never silently failed (issue 15).
    Notices without a letter queue (one-time codes) end FAILED as before."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        LETTER = "letter", _("to be handed over as a printed letter")
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
    sent_at = models.DateTimeField(null=True, blank=True)  # delivered: the channel accepted it
    fallbacks = models.JSONField(default=list, blank=True)  # channels still to try, in order
    # What the notice is about (e.g. "cases.application:<uuid>"), so the module that sent it can ask when the
    # person was told (`notified_at`); notify knows nothing else about it.
    subject_ref = models.CharField(max_length=120, blank=True, default="", db_index=True)
    # The agency (slug) whose counter prints and hands over the letter when every channel fails; "" for none.
    letter_queue = models.CharField(max_length=80, blank=True, default="")
    read_at = models.DateTimeField(null=True, blank=True)  # read in the inbox on the site
    handed_over_at = models.DateTimeField(null=True, blank=True)  # the printed letter given at a counter
    # The first of delivery, reading and hand-over: when the person was told (UU 30/2014 Art. 77(1)).
    notified_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # An address given for this notice only (a one-time code to an e-mail or phone being verified), instead
    # of the account's; encrypted like the rest. Such a notice is tried on its channel only.
    to_address = EncryptedTextField(blank=True, default="")
    # The delivery record: every attempt with its channel, time and error ("" when accepted).
    attempt_log = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient_id} via {self.channel} ({self.status})"


class LetterTask(models.Model):
    """A printed-letter task on an agency's counter queue: a notice no channel could deliver, to be handed over
    at the counter or posted. `text` is the notice as printed; the case's signed decision letter (PDF) is printed
    beside it through the cases port `pamong.cases.letters`, which the documents module fills."""

    class Status(models.TextChoices):
        OPEN = "open", _("to print and hand over")
        HANDED_OVER = "handed_over", _("handed over at the counter")
        POSTED = "posted", _("sent by post")

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="letter_task")
    queue = models.CharField(max_length=80, db_index=True)  # the agency's slug
    text = EncryptedTextField()  # the notice as printed (personal data: encrypted at rest)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"letter for notification {self.notification_id} ({self.status})"


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
    phone_verified_at = models.DateTimeField(null=True, blank=True)  # confirmed with a one-time code

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

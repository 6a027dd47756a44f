"""Queue and deliver notifications. Rows are written in the caller's transaction; delivery starts after commit
(CONVENTIONS §10), so a rolled-back action never notifies. Delivery is at-least-once: a row is marked sent only
after its channel accepted it, and a failed attempt is retried with exponential backoff."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pamong.core.crypto import blind_index

from . import webhooks
from .channels import DeliveryError, Message, backend_for
from .models import Channel, Notification, Preference, WebhookAttempt, WebhookDelivery
from .tasks import deliver_notification, deliver_webhook_task


def chosen_channels(user) -> list[str]:
    preference = Preference.objects.filter(user=user).first()
    return list(preference.channels) if preference and preference.channels else [Channel.EMAIL]


def normalize_phone(phone: str) -> str:
    """One spelling of an Indonesian mobile number: digits only, +62/62 written as a leading 0."""
    digits = re.sub(r"[\s().-]", "", phone or "")
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def phone_key(phone: str) -> str:
    """The keyed blind index of a phone number ("" for none): equality lookups without the number in clear."""
    normalized = normalize_phone(phone)
    return blind_index(normalized, purpose="phone") if normalized else ""


def set_preference(*, user, channels: list[str], phone: str = "") -> Preference:
    unknown = sorted(set(channels) - set(Channel.values))
    if unknown or not channels:
        raise ValueError(f"unknown or no channels: {unknown}")
    preference, _ = Preference.objects.update_or_create(
        user=user, defaults={"channels": channels, "phone": phone, "phone_index": phone_key(phone)}
    )
    return preference


def notify_user(
    *, user, template: str, context: dict[str, Any], channels: list[str] | None = None
) -> list[Notification]:
    """Render `notify/<template>.txt` (first line = subject) in Bahasa Indonesia for every chosen channel (or the
    given `channels`, e.g. the one a citizen chose for sign-in codes)."""
    with translation.override("id"):
        subject, _, body = render_to_string(f"notify/{template}.txt", context).strip().partition("\n")
    now = timezone.now()
    notifications = [
        Notification.objects.create(
            recipient=user,
            channel=channel,
            template=template,
            context=context,
            subject=subject.strip(),
            body=body.strip(),
            next_attempt_at=now,
        )
        for channel in (channels or chosen_channels(user))
    ]
    ids = [notification.pk for notification in notifications]
    transaction.on_commit(lambda: _enqueue(ids))
    return notifications


def _enqueue(ids: list[int]) -> None:
    for notification_id in ids:
        deliver_notification(notification_id)


def address_for(notification: Notification) -> str:
    if notification.channel == Channel.EMAIL:
        return notification.recipient.email
    preference = Preference.objects.filter(user_id=notification.recipient_id).first()
    return preference.phone if preference else ""


def deliver(*, notification_id: int) -> str:
    """One delivery attempt if the row is due; returns its status afterwards. Safe to call twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != Notification.Status.PENDING:
            return notification.status if notification else "missing"
        if notification.next_attempt_at > timezone.now():
            return notification.status
        message = Message(to=address_for(notification), subject=notification.subject, body=notification.body)
        notification.attempts += 1
        try:
            backend_for(notification.channel).send(message)
        except DeliveryError as exc:
            _schedule_retry(notification, str(exc))
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
        notification.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    return notification.status


def _schedule_retry(notification: Notification, error: str) -> None:
    notification.last_error = error[:1000]
    if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        notification.status = Notification.Status.FAILED
        return
    delay = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1)
    notification.next_attempt_at = timezone.now() + timedelta(seconds=delay)


def deliver_due() -> int:
    """Attempt every pending notification and webhook whose time has come (the periodic job); returns how many."""
    due = Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now())
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:500])
    for notification_id in ids:
        deliver(notification_id=notification_id)
    hooks = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    )
    hook_ids = list(hooks.order_by("next_attempt_at").values_list("pk", flat=True)[:500])
    for delivery_id in hook_ids:
        deliver_webhook(delivery_id=delivery_id)
    return len(ids) + len(hook_ids)


# --- webhooks ---------------------------------------------------------------------------------------------------


def queue_webhook(*, source: str, url: str, secret: str, event_type: str, body: str) -> WebhookDelivery:
    """Write a signed-webhook outbox row in the caller's transaction; the first attempt starts after commit."""
    delivery = WebhookDelivery.objects.create(
        source=source,
        url=url,
        secret=secret,
        message_id=webhooks.new_message_id(),
        event_type=event_type,
        body=body,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue_webhook(delivery.pk))
    return delivery


def _enqueue_webhook(delivery_id: int) -> None:
    deliver_webhook_task(delivery_id)


def deliver_webhook(*, delivery_id: int) -> str:
    """One attempt if the row is due; returns its status afterwards. Safe to call twice and concurrently.

    The HTTP call is made outside any transaction (on SQLite a transaction holds the one write lock): a short
    transaction claims the attempt (its number, and a lease past the timeout so no other worker takes it), the
    POST follows, and a second short transaction records the answer in the delivery log."""
    now = timezone.now()
    lease = timedelta(seconds=settings.PAMONG_WEBHOOK_TIMEOUT + 30)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return "missing"
        if delivery.status != WebhookDelivery.Status.PENDING or delivery.next_attempt_at > now:
            return delivery.status
        delivery.attempts += 1
        delivery.next_attempt_at = now + lease
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    number = delivery.attempts
    headers = webhooks.signed_headers(
        secret=delivery.secret, message_id=delivery.message_id, body=delivery.body, at=timezone.now()
    )
    answer = webhooks.post(url=delivery.url, headers=headers, body=delivery.body)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            at=now,
            status_code=answer.status_code,
            error=answer.error,
            duration_ms=answer.duration_ms,
        )
        if delivery.status != WebhookDelivery.Status.PENDING:  # cancelled while we were sending
            return delivery.status
        if answer.ok:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        else:
            delivery.last_error = answer.error
            if delivery.attempts >= settings.PAMONG_WEBHOOK_MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.Status.FAILED
            else:
                delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        delivery.save(update_fields=["status", "delivered_at", "last_error", "next_attempt_at"])
    return delivery.status


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: base, 2×base, 4×base, ..."""
    return timedelta(seconds=settings.PAMONG_WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def cancel_webhooks(*, source: str) -> int:
    """Stop the pending deliveries of a source (a subscription switched off); returns how many."""
    return WebhookDelivery.objects.filter(source=source, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.CANCELLED, last_error="cancelled"
    )

"""Queue and deliver notifications. Rows are written in the caller's transaction; delivery starts after commit
(CONVENTIONS §10), so a rolled-back action never notifies. Delivery is at-least-once: a row is marked sent only
after its channel accepted it, and a failed attempt is retried with exponential backoff."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pamong.core.crypto import blind_index

from . import webhooks
from .channels import DeliveryError, Message, Unreachable, backend_for
from .models import Channel, LetterTask, Notification, Preference, WebhookAttempt, WebhookDelivery
from .tasks import deliver_notification, deliver_webhook_task

logger = logging.getLogger(__name__)


def chosen_channels(user) -> list[str]:
    preference = Preference.objects.filter(user=user).first()
    return list(preference.channels) if preference and preference.channels else [Channel.EMAIL]


class InvalidPhone(ValueError):
    """A phone number that is not a valid number (for Indonesia when written without a country code)."""


def parse_phone(phone: str) -> str:
    """The number in E.164 ("+6281234567890"), parsed by Google's libphonenumber port (`phonenumbers`): every
    usual Indonesian spelling ("+62 812-3456-7890", "0812 3456 7890", "62812...", "(0812) 3456-7890") gives
    the same result. Raises InvalidPhone for anything that is not a valid number."""
    try:
        number = phonenumbers.parse(phone or "", "ID")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(phone: str) -> str:
    """One spelling of an Indonesian number for the blind index: the national form with a leading 0
    ("081234567890"), as the index was first built, so indexes stored before E.164 still match."""
    try:
        number = phonenumbers.parse(phone or "", "ID")
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", phone or "")
    if number.country_code == INDONESIA:
        return f"0{number.national_number}"
    return f"+{number.country_code}{number.national_number}"


INDONESIA = 62


def phone_key(phone: str) -> str:
    """The keyed blind index of a phone number ("" for none): equality lookups without the number in clear."""
    normalized = normalize_phone(phone)
    return blind_index(normalized, purpose="phone") if normalized else ""


def set_preference(*, user, channels: list[str], phone: str = "", phone_verified: bool = False) -> Preference:
    """The citizen's channels (in their order of preference) and phone, stored in E.164. A phone that is not
    the one already stored loses its verification unless `phone_verified`."""
    unknown = sorted(set(channels) - set(Channel.values))
    if unknown or not channels:
        raise ValueError(f"unknown or no channels: {unknown}")
    phone = parse_phone(phone) if phone else ""
    current = Preference.objects.filter(user=user).first()
    verified_at = None
    if phone_verified:
        verified_at = timezone.now()
    elif current and current.phone_verified_at and current.phone_index == phone_key(phone):
        verified_at = current.phone_verified_at
    preference, _ = Preference.objects.update_or_create(
        user=user,
        defaults={
            "channels": channels,
            "phone": phone,
            "phone_index": phone_key(phone),
            "phone_verified_at": verified_at if phone else None,
        },
    )
    return preference


def absolute_url(path: str) -> str:
    """A link a citizen can open from a phone: the site's address (PAMONG_BASE_URL) and the path."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.PAMONG_BASE_URL}/{path.lstrip('/')}"


def delivery_order(user) -> list[str]:
    """The citizen's channels in their order, then the others in the fallback order (WhatsApp, SMS, e-mail)."""
    chosen = chosen_channels(user)
    return chosen + [c for c in settings.NOTIFY_FALLBACK_ORDER if c not in chosen]


def reachable_first(user) -> list[str]:
    """The delivery order with the channels the person actually has an address for first (an e-mail address, a
    phone for SMS and WhatsApp); the others stay behind as fallbacks. For staff alerts (issue 13): an alert is not
    first tried on an e-mail address the analyst does not have."""
    order = delivery_order(user)
    preference = Preference.objects.filter(user=user).first()
    has = {Channel.EMAIL: bool(user.email), Channel.SMS: bool(preference and preference.phone)}
    has[Channel.WHATSAPP] = has[Channel.SMS]
    return [c for c in order if has.get(c)] + [c for c in order if not has.get(c)]


def notify_user(
    *,
    user,
    template: str,
    context: dict[str, Any],
    channels: list[str] | None = None,
    subject_ref: str = "",
    letter_queue: str = "",
    to_address: str = "",
    immediate: bool = False,
) -> list[Notification]:
    """Render `notify/<template>.txt` (first line = subject) in Bahasa Indonesia, as one notice that tries the
    citizen's channels in order and falls back to the others (`delivery_order`); with `channels` (e.g. the one
    a citizen chose for sign-in codes) only those are tried. `letter_queue` (an agency's slug) turns a notice
    that no channel could deliver into a printed-letter task on that agency's counter queue; `subject_ref`
    says what the notice is about (`notified_at`). Returns the notice in a list (the earlier one row per
    channel shape). `to_address`: send to this address instead of the account's (a contact being verified).
    `immediate`: deliver at commit in this process rather than through the task queue, so that an emergency
    alert never waits behind a bulk of citizen notices (issue 13)."""
    with translation.override("id"):
        subject, _, body = render_to_string(f"notify/{template}.txt", context).strip().partition("\n")
    order = list(channels) if channels else delivery_order(user)
    notification = Notification.objects.create(
        recipient=user,
        channel=order[0],
        fallbacks=order[1:],
        template=template,
        context=context,
        subject=subject.strip(),
        body=body.strip(),
        next_attempt_at=timezone.now(),
        subject_ref=subject_ref,
        letter_queue=letter_queue,
        to_address=to_address,
    )
    if immediate:  # an emergency staff alert: delivered at commit, ahead of any backlog of queued notices
        transaction.on_commit(lambda: _deliver_now(notification.pk))
    else:
        transaction.on_commit(lambda: _enqueue([notification.pk]))
    return [notification]


def _deliver_now(notification_id: int) -> None:
    try:
        deliver(notification_id=notification_id)
    except Exception:  # a broken channel must not break the request: the queue and the retries take over
        logger.exception("immediate delivery of notification %s failed; queued", notification_id)
        _enqueue([notification_id])


def _enqueue(ids: list[int]) -> None:
    for notification_id in ids:
        deliver_notification(notification_id)


def address_for(notification: Notification) -> str:
    if notification.to_address:
        return notification.to_address
    if notification.channel == Channel.EMAIL:
        return notification.recipient.email
    preference = Preference.objects.filter(user_id=notification.recipient_id).first()
    return preference.phone if preference else ""


def deliver(*, notification_id: int) -> str:
    """One delivery attempt if the row is due; returns its status afterwards. Safe to call twice.

    A channel without an address (or a gateway that is not configured) is skipped at once; a channel that
    fails is retried with backoff up to NOTIFY_MAX_ATTEMPTS, then the next channel is tried. When none is left
    the notice becomes a printed-letter task (or FAILED when it has no letter queue)."""
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
        while True:
            message = Message(
                to=address_for(notification), subject=notification.subject, body=notification.body
            )
            notification.attempts += 1
            try:
                backend_for(notification.channel).send(message)
            except Unreachable as exc:  # nothing to retry on this channel: the next one, now
                _log_attempt(notification, str(exc))
                if _next_channel(notification, str(exc)):
                    continue
            except DeliveryError as exc:
                _log_attempt(notification, str(exc))
                if _schedule_retry(notification, str(exc)):
                    continue
            else:
                _log_attempt(notification, "")
                now = timezone.now()
                notification.status = Notification.Status.SENT
                notification.sent_at = now
                notification.notified_at = notification.notified_at or now
                notification.last_error = ""
            break
        notification.save()
    return notification.status


def _log_attempt(notification: Notification, error: str) -> None:
    entry = {"at": timezone.now().isoformat(), "channel": notification.channel, "error": error[:300]}
    notification.attempt_log = [*notification.attempt_log, entry]


def _schedule_retry(notification: Notification, error: str) -> bool:
    """A later retry on this channel (False), or, its attempts spent, the next channel now (True)."""
    notification.last_error = error[:1000]
    if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        return _next_channel(notification, error)
    delay = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1)
    notification.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    return False


def _next_channel(notification: Notification, error: str) -> bool:
    """Move to the next channel (True: try it now), or end the notice: a letter task, or FAILED."""
    notification.last_error = error[:1000]
    if notification.fallbacks:
        notification.channel, *notification.fallbacks = notification.fallbacks
        notification.attempts = 0
        notification.next_attempt_at = timezone.now()
        return True
    if notification.letter_queue:
        notification.status = Notification.Status.LETTER
        LetterTask.objects.create(
            notification=notification,
            queue=notification.letter_queue,
            text=f"{notification.subject}\n\n{notification.body}",
        )
    else:
        notification.status = Notification.Status.FAILED
    return False


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


# --- reading, hand-over, and when a person was told --------------------------------------------------------------


def mark_read(notification: Notification) -> Notification:
    """The recipient opened the notice on the site (inbox, letter download): recorded once."""
    now = timezone.now()
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if updated:
        Notification.objects.filter(pk=notification.pk, notified_at__isnull=True).update(notified_at=now)
    notification.refresh_from_db(fields=["read_at", "notified_at"])
    return notification


def mark_read_about(*, user, subject_ref: str) -> int:
    """The recipient read what their notices about `subject_ref` say on the site itself (the case's status
    page): every such notice counts as read now, once. Returns how many were marked."""
    now = timezone.now()
    mine = Notification.objects.filter(recipient=user, subject_ref=subject_ref, read_at__isnull=True)
    Notification.objects.filter(
        recipient=user, subject_ref=subject_ref, read_at__isnull=True, notified_at__isnull=True
    ).update(notified_at=now)
    return mine.update(read_at=now)


def record_letter_handled(*, task: LetterTask, officer, how: str) -> LetterTask:
    """A counter officer handed the printed letter over (the citizen is told now) or posted it (the citizen is
    told when it arrives, which nobody records: the upper bound of the caller's clock applies)."""
    if how not in (LetterTask.Status.HANDED_OVER, LetterTask.Status.POSTED):
        raise ValueError(f"unknown hand-over {how!r}")
    with transaction.atomic():
        task = LetterTask.objects.select_for_update().select_related("notification").get(pk=task.pk)
        if task.status != LetterTask.Status.OPEN:
            return task
        now = timezone.now()
        task.status, task.handled_by, task.handled_at = how, officer, now
        task.save(update_fields=["status", "handled_by", "handled_at"])
        if how == LetterTask.Status.HANDED_OVER:
            notification = task.notification
            notification.handed_over_at = now
            notification.notified_at = notification.notified_at or now
            notification.save(update_fields=["handed_over_at", "notified_at"])
    return task


def notified_at(*, subject_ref: str, since) -> Any:
    """When the person was first told of something about `subject_ref` sent at or after `since`: the first of
    delivery, reading and hand-over of any such notice (None while nobody knows they were told)."""
    return (
        Notification.objects.filter(subject_ref=subject_ref, created_at__gte=since, notified_at__isnull=False)
        .order_by("notified_at")
        .values_list("notified_at", flat=True)
        .first()
    )


INBOX_HIDDEN_TEMPLATES = ("login_code", "activation_code_sent", "activation_code_issued", "contact_code")


def inbox_of(user):
    """A person's notices, unread first, newest first (one-time codes are never listed)."""
    return (
        Notification.objects.filter(recipient=user)
        .exclude(template__in=INBOX_HIDDEN_TEMPLATES)
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")
    )


def letter_tasks(*, queue: str, open_only: bool = True):
    """The printed-letter tasks of an agency's counter queue, oldest first."""
    tasks = LetterTask.objects.filter(queue=queue).select_related("notification__recipient")
    return tasks.filter(status=LetterTask.Status.OPEN) if open_only else tasks


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

"""Personal data held by notify: the outbox (what was sent to whom) and each person's channels and phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from pamong.core.personal_data import PersonalData, declare

from .models import LetterTask, Notification, Preference, WebhookDelivery


def export(user) -> dict[str, Any]:
    preference = Preference.objects.filter(user=user).first()
    return {
        "notification_preference": {"channels": preference.channels, "phone": preference.phone}
        if preference
        else None,
        "notifications": [
            {
                "created_at": n.created_at.isoformat(),
                "channel": n.channel,
                "subject": n.subject,
                "status": n.status,
                "delivered_at": n.sent_at.isoformat() if n.sent_at else None,
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "handed_over_at": n.handed_over_at.isoformat() if n.handed_over_at else None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
    }


def erase(user) -> dict[str, int]:
    LetterTask.objects.filter(notification__recipient=user).delete()
    notifications, _ = Notification.objects.filter(recipient=user).delete()
    preferences, _ = Preference.objects.filter(user=user).delete()
    return {"notifications_deleted": notifications, "preferences_deleted": preferences}


def expire(now: dt.datetime, dry_run: bool) -> dict[str, int]:
    old = Notification.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.PAMONG_NOTIFICATION_RETENTION_DAYS)
    )
    count = old.count()
    # The webhook delivery log holds no personal data (identifiers and outcomes; the encrypted field is the
    # subscriber's signing secret), but it is kept no longer than the notifications it stands beside.
    old_hooks = WebhookDelivery.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.PAMONG_NOTIFICATION_RETENTION_DAYS)
    ).exclude(status=WebhookDelivery.Status.PENDING)
    hooks = old_hooks.count()
    if not dry_run:
        old.delete()
        old_hooks.delete()
    return {"notifications_deleted": count, "webhook_deliveries_deleted": hooks}


declare(
    PersonalData(
        module="notify",
        models=("notify.Notification", "notify.Preference", "notify.WebhookDelivery", "notify.LetterTask"),
        retention="notifications (their printed-letter tasks with them) and the webhook delivery log: PAMONG_NOTIFICATION_RETENTION_DAYS; channel "
        "preferences while the account exists",
        export=export,
        erase=erase,
        expire=expire,
    )
)

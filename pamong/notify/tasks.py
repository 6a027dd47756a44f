from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def deliver_notification(notification_id: int) -> str:
    return services.deliver(notification_id=notification_id)


@db_task()
def deliver_webhook_task(delivery_id: int) -> str:
    return services.deliver_webhook(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*"))
def deliver_due_notifications() -> int:
    return services.deliver_due()

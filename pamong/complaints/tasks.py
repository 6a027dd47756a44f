"""Periodic job: escalate complaints at 80% of their deadline and when late; close answered ones past reopening."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/10"))
def escalate_complaints() -> dict[str, int]:
    return services.escalate_overdue()

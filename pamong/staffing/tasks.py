"""Periodic jobs of staffing: release held notices, send digests, escalate (every minute); return the cases of
officers who became unavailable (every hour, so a leave that starts today takes effect on its first morning)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import routing, services


@db_periodic_task(crontab(minute="*"))
def route_due_notices() -> dict:
    return routing.route_due()


@db_periodic_task(crontab(minute="7"))
def release_unavailable_officers() -> int:
    return services.release_unavailable()

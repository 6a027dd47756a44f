"""Periodic jobs of staffing: release held notices, send digests, escalate (every minute); return the cases of
officers who became unavailable (every hour, so a leave that starts today takes effect on its first morning); warn of deadlines 2 and 1 working
days ahead (daily)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import routing, services


@db_periodic_task(crontab(minute="*"))
def route_due_notices() -> dict:
    return routing.route_due()


@db_periodic_task(crontab(minute="7"))
def release_unavailable_officers() -> int:
    return services.release_unavailable()


@db_periodic_task(crontab(minute="30", hour="5"))
def warn_approaching_deadlines() -> int:
    """Once a day, early: the routing holds each warning until the recipient's working hours."""
    return services.warn_deadlines()


@db_task()
def plan_rota_task(rota_id: int) -> str:
    """CP-SAT in the worker, never in a web request (it may take its whole time limit)."""
    return services.plan_rota(rota_id).status

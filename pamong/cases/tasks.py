"""Periodic job: deemed approval (fiktif positif) for whatever passed its legal deadline undecided."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="5"))
def deem_overdue_applications() -> int:
    return services.deem_overdue()

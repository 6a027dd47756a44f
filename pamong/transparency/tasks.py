"""Nightly job: the public performance pages of the new day, computed before the first visitor asks.
Huey's crontab is in UTC: 17:20 UTC is 00:20 WIB, just after the day (and its figures up to yesterday) turned."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import selectors


@db_periodic_task(crontab(hour="17", minute="20"))
def refresh_public_performance() -> int:
    return selectors.warm_all()

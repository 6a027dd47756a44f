"""Periodic jobs: deemed approval (fiktif positif) for whatever passed its legal deadline undecided (the deadline
warnings 2 and 1 working days before are staffing's job, fed by `handover.deadlines_after`); information
requests reminded and ended at their date; refusal notices whose response period ended become final refusals."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="5"))
def deem_overdue_applications() -> int:
    return services.deem_overdue()


@db_periodic_task(crontab(minute="40", hour="5"))
def follow_information_requests() -> dict:
    return services.follow_information_requests()


@db_periodic_task(crontab(minute="15"))
def finalise_lapsed_refusal_notices() -> int:
    return services.finalise_lapsed_notices()

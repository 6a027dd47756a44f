"""Background jobs of oversight: the spike check every minute (beside the check every N decisions), and the
re-evaluation of pending cases after a rule-set publication (progress in a Job row)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import guard, sandbox, services


@db_periodic_task(crontab(minute="*"))
def check_spikes_every_minute() -> int:
    return services.check_all_services()


@db_task()
def reevaluate_pending(job_id: int) -> int:
    return sandbox.run_reevaluation(job_id=job_id)


@db_periodic_task(crontab(minute="30", hour="6"))
def check_fairness_daily() -> int:
    return guard.check_fairness_of_all_services()

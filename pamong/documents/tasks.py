from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task(retries=2, retry_delay=30)
def issue_letter_task(letter_id: int) -> str:
    return services.issue_letter(letter_id=letter_id)


@db_task()
def run_batch_task(batch_id: int) -> int:
    return services.run_batch(batch_id=batch_id)


@db_periodic_task(crontab(minute="*/5"))
def issue_pending_letters() -> int:
    """Letters left pending (a crashed worker, a lost queue) are issued within minutes."""
    return services.issue_pending()

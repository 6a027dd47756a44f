from huey import crontab
from huey.contrib.djhuey import db_periodic_task
from oauth2_provider.models import clear_expired


@db_periodic_task(crontab(minute="23"))
def clear_expired_client_tokens() -> None:
    """Expired client tokens are useless: delete them hourly (django-oauth-toolkit's own cleaner). Their issue
    stays in the audit log."""
    clear_expired()

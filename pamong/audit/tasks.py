"""Periodic job: publish a signed tree head every 10 minutes when the log has grown (DESIGN §5)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import selectors, services


@db_periodic_task(crontab(minute="*/10"))
def publish_tree_head() -> None:
    latest = selectors.latest_tree_head()
    if latest is None or latest.tree_size < services.tree_size():
        services.sign_tree_head()

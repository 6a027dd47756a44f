"""`pamong worker`: the background-job worker on its own (deadlines, notifications, tree heads, re-evaluation).

Run one per machine beside the web processes, or as many as the queue needs: with Redis (PAMONG_REDIS_URL) every
worker takes jobs from the one queue, and each job runs once. Periodic jobs are scheduled by every worker unless
started with --no-periodic; they are safe to run twice (each locks the rows it changes and checks again), but
one scheduler is enough (docs/operations.md).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections


class Command(BaseCommand):
    help = "Run the background-job worker (Huey) until stopped; SIGTERM lets the running job finish."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=1, help="jobs run at once (default 1)")
        parser.add_argument("--no-periodic", action="store_true", help="do not schedule the periodic jobs")

    def handle(self, *args, threads: int, no_periodic: bool, **options):
        # One database connection per job thread at most (PostgreSQL pool; set before the first connection).
        pool = connections["default"].settings_dict.get("OPTIONS", {}).get("pool")
        if isinstance(pool, dict):
            pool["max_size"] = threads
        call_command(
            "run_huey",
            workers=threads,
            periodic=not no_periodic,
            graceful_signal="TERM",
            shutdown_timeout=30,
            simple_log=True,
        )

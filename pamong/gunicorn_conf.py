"""gunicorn settings for `pamong serve` (docs/operations.md, ADR "gunicorn serves production" in
docs/ARCHITECTURE.md). Every value comes from the environment; `pamong serve` passes --bind and --workers.

Each worker process runs PAMONG_WEB_THREADS threads, and each thread holds at most one database connection
(PostgreSQL: a pool of that size per process), so the server holds at most workers x threads connections.
"""

import os

from django.urls import reverse

wsgi_app = "pamong.wsgi:application"
worker_class = "gthread"
threads = int(os.environ.get("PAMONG_WEB_THREADS", 4))
# A request that runs longer than this is cut off (its worker restarted); SIGTERM waits this long for running
# requests (graceful stop); SIGHUP starts new workers and retires the old ones when they finish (graceful
# restart, e.g. after an upgrade).
timeout = int(os.environ.get("PAMONG_WEB_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("PAMONG_WEB_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Workers are recycled after this many requests (a jitter keeps them from restarting together).
max_requests = int(os.environ.get("PAMONG_WEB_MAX_REQUESTS", 10000))
max_requests_jitter = max_requests // 10
# Access log on standard output; the NIK never travels in a URL, so none is logged.
accesslog = os.environ.get("PAMONG_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("PAMONG_LOG_LEVEL", "info").lower()
# The TLS proxy in front; X-Forwarded-* headers are trusted only from these addresses.
forwarded_allow_ips = os.environ.get("PAMONG_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Request line and header limits (gunicorn's defaults, stated here so they are seen).
limit_request_line = 4094
limit_request_fields = 100
# gunicorn's control socket (gunicornc) only when a path is given: the default path is one per user, which two
# servers on one machine would share.
control_socket = os.environ.get("PAMONG_CONTROL_SOCKET", "") or None
control_socket_disable = not control_socket


def post_worker_init(worker) -> None:
    """Load the URL configuration (every view and the API) before the first request, so no citizen's request
    pays the import (seconds on a busy machine) after each start, restart or recycling of a worker process.
    scipy.stats too: every 50th decision runs the spike check, and its first import (2.3 s measured) would
    otherwise land on one citizen's submission in every worker."""
    reverse("home")
    import scipy.stats  # noqa: F401, PLC0415  (Django's start skips it: tests and commands rarely need it)

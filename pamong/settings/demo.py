"""The demo as `make run` serves it: the production server with DEBUG off, over plain HTTP on 127.0.0.1.

Everything else is local: SQLite under var/, printed e-mail and SMS, development keys. Cookies are not
Secure-only, because the demo has no TLS; never expose it beyond the machine (production.py is for that)."""

from .local import *  # noqa: F403
from .local import env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
PAMONG_ENVIRONMENT = "demo"

"""Development: DEBUG on, console e-mail, everything under var/."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
PAMONG_ENVIRONMENT = "local"

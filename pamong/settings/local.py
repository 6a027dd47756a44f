"""Development: DEBUG on, console e-mail, everything under var/."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# No SMS/WhatsApp provider in development: those messages are printed.
NOTIFY_CHANNELS = {
    "email": "pamong.notify.channels.EmailChannel",
    "sms": "pamong.notify.channels.ConsoleChannel",
    "whatsapp": "pamong.notify.channels.ConsoleChannel",
}
PAMONG_ENVIRONMENT = "local"
PAMONG_WEBHOOK_ALLOW_HTTP = True  # subscribers on loopback in development

"""Delivery channels. Each `send` raises DeliveryError on failure so the outbox retries it.

Email goes through Django's e-mail backend; SMS and WhatsApp go to an HTTP gateway (the agency's contracted
provider) configured by URL and token; in development every channel may be the console.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("pamong.notify")


class DeliveryError(Exception):
    pass


class Unreachable(DeliveryError):
    """Nothing to retry on this channel (no address, gateway not configured): the next channel is tried now."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


class ChannelBackend(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleChannel:
    def send(self, message: Message) -> None:
        if not message.to:
            raise Unreachable("the recipient has no address for this channel")
        logger.info("notification to %s: %s\n%s", message.to, message.subject, message.body)


class EmailChannel:
    def send(self, message: Message) -> None:
        if not message.to:
            raise Unreachable("the recipient has no e-mail address")
        try:
            send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to])
        except OSError as exc:  # SMTP failures are OSError subclasses
            raise DeliveryError(f"e-mail failed: {exc}") from exc


class GatewayChannel:
    """POST {"to", "text"} as JSON to a provider's gateway with a bearer token; any non-2xx is a failure."""

    def __init__(self, url_setting: str, token_setting: str) -> None:
        self.url = getattr(settings, url_setting, "")
        self.token = getattr(settings, token_setting, "")
        self.url_setting = url_setting

    def send(self, message: Message) -> None:
        if not self.url:
            raise Unreachable(f"{self.url_setting} is not configured")
        if not message.to:
            raise Unreachable("the recipient has no phone number")
        payload = json.dumps({"to": message.to, "text": f"{message.subject}\n{message.body}"}).encode()
        request = urllib.request.Request(  # noqa: S310  (the URL comes from the operator's settings)
            self.url,
            data=payload,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.NOTIFY_GATEWAY_TIMEOUT) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise DeliveryError(f"gateway answered {response.status}")
        except (urllib.error.URLError, TimeoutError) as exc:
            raise DeliveryError(f"gateway unreachable: {exc}") from exc


class SmsChannel(GatewayChannel):
    def __init__(self) -> None:
        super().__init__("NOTIFY_SMS_GATEWAY_URL", "NOTIFY_SMS_GATEWAY_TOKEN")


class WhatsAppChannel(GatewayChannel):
    def __init__(self) -> None:
        super().__init__("NOTIFY_WHATSAPP_GATEWAY_URL", "NOTIFY_WHATSAPP_GATEWAY_TOKEN")


def backend_for(channel: str) -> ChannelBackend:
    return import_string(settings.NOTIFY_CHANNELS[channel])()

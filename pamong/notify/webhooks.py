"""Signed webhooks (Standard Webhooks, https://www.standardwebhooks.com/): the signature and one HTTP POST.

The signature is the `standardwebhooks` package's own `Webhook.sign` (a small, dependency-free, maintained
implementation of the spec), so what we send is exactly what a subscriber's `Webhook.verify` checks:
`webhook-signature: v1,<base64 HMAC-SHA256(secret, "<webhook-id>.<webhook-timestamp>.<body>")>`, with the
secret given to the subscriber as `whsec_<base64>`.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105  (the spec's prefix, not a secret)


def new_secret() -> str:
    """A fresh signing secret: 32 random bytes, base64, with the `whsec_` prefix of the spec."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_message_id() -> str:
    return f"msg_{secrets.token_hex(16)}"


def signed_headers(*, secret: str, message_id: str, body: str, at: dt.datetime) -> dict[str, str]:
    timestamp = int(at.timestamp())
    signature = Webhook(secret).sign(
        msg_id=message_id, timestamp=dt.datetime.fromtimestamp(timestamp, dt.UTC), data=body
    )
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
        "Content-Type": "application/json",
        "User-Agent": "Pamong-Webhooks/1",
    }


def check_url(url: str) -> str | None:
    """Why a subscriber URL is not acceptable, or None: https only (plain http where the operator allows it,
    e.g. development and tests on loopback), a host, no credentials in it."""
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        return "characters"
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.PAMONG_WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        return "scheme"
    try:
        hostname, username, password = parts.hostname, parts.username, parts.password
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        return "port"
    if not hostname or username or password:
        return "host"
    return None


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: a subscriber must give its final URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(*, url: str, headers: dict[str, str], body: str) -> Answer:
    """POST the body; 2xx is delivered, anything else (3xx, 4xx, 5xx, timeout, refused) is an error."""
    started = time.monotonic()
    request = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")  # noqa: S310
    status, error = None, ""
    try:
        with _OPENER.open(request, timeout=settings.PAMONG_WEBHOOK_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        error = f"unreachable: {getattr(exc, 'reason', exc)}"
    duration_ms = int((time.monotonic() - started) * 1000)
    if status is not None and not 200 <= status < 300 and not error:
        error = f"HTTP {status}"
    return Answer(status_code=status, error=error[:500], duration_ms=duration_ms)

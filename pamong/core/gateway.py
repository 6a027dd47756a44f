"""Signed webhooks from a messaging gateway (WhatsApp Business / SMS / e-mail relay): an HMAC-SHA256 signature
over "<timestamp>.<body>" with a shared secret, refused when more than 5 minutes away from now. Used by the
assistant's gateway and by staffing's replies (acknowledging a notice by answering it)."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.http import HttpRequest

from .errors import ApplicationError

SIGNATURE_HEADER = "X-Pamong-Signature"  # "sha256=<hex HMAC-SHA256 of '<timestamp>.<body>'>"
TIMESTAMP_HEADER = "X-Pamong-Timestamp"  # Unix seconds; refused when more than 5 minutes away from now
TOLERANCE_SECONDS = 300


class BadSignature(ApplicationError):
    status = 401
    code = "bad_signature"

    def __init__(self) -> None:
        super().__init__("Tanda tangan permintaan tidak valid atau sudah kedaluwarsa.")


class GatewayOff(ApplicationError):
    """No secret configured: the webhook does not exist on this server."""

    status = 404
    code = "not_found"

    def __init__(self) -> None:
        super().__init__("Tidak ditemukan.")


def check_signature(request: HttpRequest, secret: str, now: float | None = None) -> None:
    """Raise BadSignature unless the request carries a fresh signature of its body made with `secret`; an empty
    secret means the webhook is switched off (GatewayOff). Call before reading the body."""
    if not secret:
        raise GatewayOff()
    signature = request.headers.get(SIGNATURE_HEADER, "")
    stamp = request.headers.get(TIMESTAMP_HEADER, "")
    if not stamp.isdigit() or abs((now or time.time()) - int(stamp)) > TOLERANCE_SECONDS:
        raise BadSignature()
    if not hmac.compare_digest(signature, sign(secret, int(stamp), request.body)):
        raise BadSignature()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header a gateway sends (used by tests and the gateway's adapter)."""
    return (
        "sha256="
        + hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    )


def signed_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The two headers a gateway sends with `body` (tests and the gateway's adapter)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return {TIMESTAMP_HEADER: str(stamp), SIGNATURE_HEADER: sign(secret, stamp, body)}


def message_body_openapi(**properties: dict) -> dict:
    """The OpenAPI request body of a gateway message: JSON {"from": sender, "text": message, ...}."""
    schema = {
        "type": "object",
        "required": ["from", "text"],
        "properties": {"from": {"type": "string"}, "text": {"type": "string"}, **properties},
    }
    return {"requestBody": {"content": {"application/json": {"schema": schema}}}}

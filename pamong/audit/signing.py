"""Ed25519 signing of tree heads. The key comes from settings; in development one is generated under var/."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from .receipt import tree_head_message

__all__ = ["key_id", "public_key_bytes", "sign", "tree_head_message", "verify"]


class SigningKeyError(Exception):
    pass


def _seed_from_settings() -> bytes:
    if settings.AUDIT_SIGNING_KEY:
        try:
            seed = base64.b64decode(settings.AUDIT_SIGNING_KEY, validate=True)
        except ValueError as exc:
            raise SigningKeyError("PAMONG_AUDIT_SIGNING_KEY is not valid base64") from exc
        if len(seed) != 32:
            raise SigningKeyError("PAMONG_AUDIT_SIGNING_KEY must decode to 32 bytes (an Ed25519 seed)")
        return seed
    path = settings.AUDIT_DEV_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        path.write_bytes(base64.b64encode(seed))
        path.chmod(0o600)
    return base64.b64decode(path.read_bytes())


@cache
def private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_seed_from_settings())


def public_key_bytes() -> bytes:
    return private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id() -> str:
    return hashlib.sha256(public_key_bytes()).hexdigest()[:16]


def sign(message: bytes) -> bytes:
    return private_key().sign(message)


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True

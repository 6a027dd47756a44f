"""Personal data encrypted at rest (UU 27/2022 PDP) and keyed blind indexes for equality lookups.

Ciphertext is text: ``v1:<key_id>:<base64(nonce || ciphertext+tag)>``, AES-256-GCM with a random 96-bit nonce;
the ``v1:<key_id>`` header is bound as associated data, so it cannot be edited without detection.

Keys come from settings:
- ``PAMONG_ENCRYPTION_KEYS``: ``"key_id:base64key,key_id:base64key"`` (32-byte keys); the first encrypts, all
  decrypt, so a key can be rotated by putting a new one first and re-encrypting rows with ``reencrypt``.
- ``PAMONG_BLIND_INDEX_KEY``: hex, at least 32 bytes; HMAC-SHA256 of a value, for ``WHERE nik_index = ...``.
Unset in local/test runs, fixed development keys (labelled ``dev``) are derived from published strings, so
development databases stay readable across restarts; production refuses to start without real keys
(``pamong.core.checks``) and this module refuses to use the development keys there.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32
DEV_KEY_ID = "dev"
# Published on purpose: these derive the development keys, which protect nothing real.
_DEV_ENCRYPTION_SEED = b"pamong development encryption key - NOT FOR PRODUCTION"
_DEV_BLIND_INDEX_SEED = b"pamong development blind-index key - NOT FOR PRODUCTION"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class CryptoError(Exception):
    """Base class: a value could not be decrypted. Operator-facing (never shown to a citizen)."""


class DecryptionFailed(CryptoError):
    pass


class UnknownKey(CryptoError):
    pass


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]  # key id -> 32-byte AES key, the current one included

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def parse_keys(text: str) -> Keyring:
    """``"k2:base64,k1:base64"`` -> Keyring with k2 current. Raises ImproperlyConfigured naming the bad item."""
    keys: dict[str, bytes] = {}
    for position, item in enumerate(filter(None, (part.strip() for part in text.split(","))), start=1):
        key_id, sep, encoded = item.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"PAMONG_ENCRYPTION_KEYS item {position}: expected key_id:base64key with key_id of [A-Za-z0-9_-]"
            )
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise ImproperlyConfigured(f"PAMONG_ENCRYPTION_KEYS key '{key_id}' is not valid base64") from exc
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"PAMONG_ENCRYPTION_KEYS key '{key_id}' must be {KEY_BYTES} bytes, got {len(key)}"
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"PAMONG_ENCRYPTION_KEYS key id '{key_id}' appears twice")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured("PAMONG_ENCRYPTION_KEYS holds no key")
    return Keyring(current_id=next(iter(keys)), keys=keys)


def generate_key_text(key_id: str) -> str:
    """A fresh ``key_id:base64key`` item for PAMONG_ENCRYPTION_KEYS (used by operators and tests)."""
    return f"{key_id}:{base64.b64encode(os.urandom(KEY_BYTES)).decode('ascii')}"


def _production() -> bool:
    return getattr(settings, "PAMONG_ENVIRONMENT", "") == "production"


def keyring() -> Keyring:
    return _keyring_for(getattr(settings, "PAMONG_ENCRYPTION_KEYS", ""), _production())


@functools.lru_cache(maxsize=8)
def _keyring_for(text: str, production: bool) -> Keyring:
    if text.strip():
        return parse_keys(text)
    if production:
        raise ImproperlyConfigured("PAMONG_ENCRYPTION_KEYS is missing: personal data cannot be encrypted")
    return Keyring(current_id=DEV_KEY_ID, keys={DEV_KEY_ID: hashlib.sha256(_DEV_ENCRYPTION_SEED).digest()})


def _blind_key() -> bytes:
    return _blind_key_for(getattr(settings, "PAMONG_BLIND_INDEX_KEY", ""), _production())


@functools.lru_cache(maxsize=8)
def _blind_key_for(text: str, production: bool) -> bytes:
    if text.strip():
        try:
            key = bytes.fromhex(text.strip())
        except ValueError as exc:
            raise ImproperlyConfigured("PAMONG_BLIND_INDEX_KEY must be hexadecimal") from exc
        if len(key) < KEY_BYTES:
            raise ImproperlyConfigured(f"PAMONG_BLIND_INDEX_KEY must be at least {KEY_BYTES} bytes")
        return key
    if production:
        raise ImproperlyConfigured("PAMONG_BLIND_INDEX_KEY is missing: NIK lookups cannot be indexed")
    return hashlib.sha256(_DEV_BLIND_INDEX_SEED).digest()


# --- encryption -----------------------------------------------------------------------------------------------
def _header(key_id: str) -> str:
    return f"{VERSION}:{key_id}"


def encrypt(plaintext: str) -> str:
    """Encrypt under the current key; a fresh random nonce each time, so equal values differ."""
    ring = keyring()
    header = _header(ring.current_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.current).encrypt(nonce, plaintext.encode("utf-8"), header.encode("ascii"))
    return f"{header}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def split(token: str) -> tuple[str, str, bytes]:
    """(version, key_id, nonce+ciphertext) of a token, or DecryptionFailed if it is not one."""
    version, _, rest = token.partition(":")
    key_id, _, body = rest.partition(":")
    if version != VERSION or not _KEY_ID.match(key_id) or not body:
        raise DecryptionFailed(f"not a {VERSION} ciphertext (expected '{VERSION}:<key_id>:<base64>')")
    try:
        raw = base64.b64decode(body, validate=True)
    except binascii.Error as exc:
        raise DecryptionFailed(f"ciphertext under key '{key_id}' is not valid base64") from exc
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionFailed(f"ciphertext under key '{key_id}' is too short to be genuine")
    return version, key_id, raw


def decrypt(token: str) -> str:
    _, key_id, raw = split(token)
    key = keyring().keys.get(key_id)
    if key is None:
        raise UnknownKey(
            f"ciphertext was encrypted with key '{key_id}', which is not in PAMONG_ENCRYPTION_KEYS; "
            "keep retired keys listed until `pamong keys rotate` has re-encrypted every row"
        )
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _header(key_id).encode("ascii"))
    except InvalidTag as exc:
        raise DecryptionFailed(
            f"ciphertext under key '{key_id}' failed authentication: it was altered, or the key is wrong"
        ) from exc
    return plain.decode("utf-8")


# --- files ---------------------------------------------------------------------------------------------------
# A file encrypted at rest: MAGIC, the "v1:<key_id>" header, a newline, the nonce, the ciphertext and tag. The
# header (with MAGIC) is the associated data. Files stored before encryption have no MAGIC and are read as they are.
FILE_MAGIC = b"PAMONG-ENC\x00"


def encrypt_bytes(data: bytes) -> bytes:
    ring = keyring()
    header = FILE_MAGIC + _header(ring.current_id).encode("ascii") + b"\n"
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(ring.current).encrypt(nonce, data, header)


def is_encrypted_bytes(blob: bytes) -> bool:
    return blob.startswith(FILE_MAGIC)


def decrypt_bytes(blob: bytes) -> bytes:
    if not is_encrypted_bytes(blob):
        return blob  # written before files were encrypted
    end = blob.find(b"\n", len(FILE_MAGIC))
    if end < 0:
        raise DecryptionFailed("encrypted file has no header")
    header = blob[: end + 1]
    version, _, key_id = header[len(FILE_MAGIC) : -1].decode("ascii", "replace").partition(":")
    key = keyring().keys.get(key_id)
    if version != VERSION or key is None:
        raise UnknownKey(f"file was encrypted with key '{key_id}', which is not in PAMONG_ENCRYPTION_KEYS")
    body = blob[end + 1 :]
    try:
        return AESGCM(key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], header)
    except InvalidTag as exc:
        raise DecryptionFailed(f"file under key '{key_id}' failed authentication") from exc


def key_id_of(token: str) -> str:
    return split(token)[1]


def needs_reencrypt(token: str) -> bool:
    return key_id_of(token) != keyring().current_id


def reencrypt(token: str) -> str:
    """The same plaintext under the current key; unchanged (same text) if it already uses the current key."""
    if not needs_reencrypt(token):
        return token
    return encrypt(decrypt(token))


# --- blind index --------------------------------------------------------------------------------------------
def blind_index(value: str, *, purpose: str = "nik") -> str:
    """Keyed HMAC-SHA256 (hex) for equality lookups. ``purpose`` separates domains (a NIK and a KK number with
    the same digits get different indexes). Callers normalise the value first (e.g. strip spaces)."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(_blind_key(), message, hashlib.sha256).hexdigest()

"""Model fields that keep personal data encrypted at rest (see pamong.core.crypto).

The database holds only ``v1:<key_id>:...`` text; Python code sees plaintext. Because every encryption uses a
fresh nonce, equal values have different ciphertexts: these fields support no lookup but ``isnull``. Search
by a separate blind-index column instead (``nik_index = blind_index(nik)``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import models

from pamong.core import crypto

_ALLOWED_LOOKUPS = {"isnull"}


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest with AES-256-GCM"

    def get_lookup(self, lookup_name: str):
        # Returning None makes Django raise FieldError("Unsupported lookup ...") for exact, contains, ...
        if lookup_name not in _ALLOWED_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)

    def to_plain(self, value: Any) -> str:
        return str(value)

    def from_plain(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return crypto.encrypt(self.to_plain(value))

    def from_db_value(self, value: str | None, expression, connection) -> Any:
        if value is None:
            return None
        return self.from_plain(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        # Forms and deserialisation hand over plaintext; ciphertext only ever arrives through from_db_value.
        return value


class EncryptedDateField(EncryptedTextField):
    description = "Date encrypted at rest with AES-256-GCM (ISO text inside)"

    def to_plain(self, value: Any) -> str:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            value = dt.date.fromisoformat(str(value))
        return value.isoformat()

    def from_plain(self, text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    def to_python(self, value: Any) -> dt.date | None:
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        return dt.date.fromisoformat(str(value))


class EncryptedFloatField(EncryptedTextField):
    """A number encrypted at rest: a home's coordinates locate a family as precisely as its street address."""

    description = "Float encrypted at rest with AES-256-GCM (repr text inside)"

    def to_plain(self, value: Any) -> str:
        return repr(float(value))  # repr round-trips every float exactly

    def from_plain(self, text: str) -> float:
        return float(text)

    def to_python(self, value: Any) -> float | None:
        return None if value is None else float(value)


class EncryptedJSONField(EncryptedTextField):
    """A JSON document encrypted at rest: application answers, the facts and results of a decision."""

    description = "JSON encrypted at rest with AES-256-GCM"

    def to_plain(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)

    def from_plain(self, text: str) -> Any:
        return json.loads(text)

"""`pamong keys rotate`: re-encrypt every encrypted column under the current key (the first of
PAMONG_ENCRYPTION_KEYS). Reads the stored ciphertext directly, so rows already under the current key are left
untouched and the command can be stopped and run again at any time."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, transaction

from pamong.core import crypto
from pamong.core.fields import EncryptedTextField

BATCH = 500


def encrypted_columns() -> list[tuple[str, str, str]]:
    """(table, primary-key column, encrypted column) for every EncryptedTextField in the project."""
    columns = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                columns.append((model._meta.db_table, model._meta.pk.column, field.column))
    return sorted(columns)


def rotate_keys() -> dict[str, int]:
    """Re-encrypt what is not under the current key; returns how many values were re-encrypted per column."""
    report = {}
    for table, pk, column in encrypted_columns():
        report[f"{table}.{column}"] = _rotate_column(table, pk, column)
    return report


def _rotate_column(table: str, pk: str, column: str) -> int:
    quote = connection.ops.quote_name
    select = f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} WHERE {quote(column)} IS NOT NULL"  # noqa: S608
    update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(select)
        stale = [(key, token) for key, token in cursor.fetchall() if crypto.needs_reencrypt(token)]
    for start in range(0, len(stale), BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            batch = stale[start : start + BATCH]
            cursor.executemany(update, [(crypto.reencrypt(token), key) for key, token in batch])
    return len(stale)

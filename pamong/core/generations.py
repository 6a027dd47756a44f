"""Read caches that are never stale, for tables that are read on every decision and written rarely (the rule
versions in force and the breakers that hold them, reference data).

Each family of such tables has a generation token. A database trigger on every table of the family gives the
token a new random value on every write, in the writer's own transaction, whatever wrote it: a service, the
admin, a bulk load or raw SQL (ADR 64). A process keeps what it computed under the token it read first; when the
token it reads differs, it drops what it held for that family. So a reader sees exactly what a direct read would
have seen, for the price of one small query:

- the token is read before the tables, so a value is never older than its token;
- a token is random, never a counter, so the token of a rolled-back write is never seen again and what was
  computed under it can never be served;
- a family without a token row (a database flushed by a test, say) is not cached at all.

Written by hand: Django's cache framework has no invalidation that follows the database's own transactions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection, migrations

T = TypeVar("T")
TABLE = "core_generation"

_held: dict[str, tuple[int, dict[Any, Any]]] = {}  # family -> (token, {key: value})
_lock = threading.Lock()


def cached(family: str, key: Any, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave before under the family's current token. The value is shared by every
    thread of the process: return something the callers do not change (tuples, frozensets)."""
    token = current_token(family)
    if token is None:
        return compute()
    with _lock:
        held = _held.get(family)
        if held is None or held[0] != token:
            held = (token, {})
            _held[family] = held
        if key in held[1]:
            return held[1][key]
    value = compute()  # outside the lock: two threads may both compute once, which is harmless
    with _lock:
        held[1][key] = value
    return value


def current_token(family: str) -> int | None:
    # Plain SQL: this query replaces several, so it must cost less than building one ORM query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE family = %s", [family])  # noqa: S608
        row = cursor.fetchone()
    return None if row is None else int(row[0])


# --- the triggers, installed by each app's migration for its own tables -------------------------------------
_SQLITE_BUMP = (
    "INSERT INTO core_generation (family, token) VALUES ('{family}', random()) "
    "ON CONFLICT (family) DO UPDATE SET token = excluded.token;"
)
_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION core_generation_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO core_generation (family, token)
    VALUES (TG_ARGV[0], floor(random() * 9007199254740991)::bigint - 4503599627370496)
    ON CONFLICT (family) DO UPDATE SET token = excluded.token;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def watch(family: str, tables: Sequence[str]) -> migrations.RunPython:
    """A migration operation: every write to `tables` gives `family` a new token (and creates its row)."""

    def install(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            for statement in _install_sql(vendor, family, table):
                schema_editor.execute(statement)
        schema_editor.execute(_SQLITE_BUMP.format(family=family) if vendor == "sqlite" else _seed_sql(family))

    def remove(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            for statement in _remove_sql(vendor, table):
                schema_editor.execute(statement)

    return migrations.RunPython(install, remove)


def _seed_sql(family: str) -> str:
    return f"INSERT INTO {TABLE} (family, token) VALUES ('{family}', 0) ON CONFLICT (family) DO NOTHING"  # noqa: S608


def _install_sql(vendor: str, family: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS generation_{table}_{op.lower()} AFTER {op} ON {table} "
            f"BEGIN {_SQLITE_BUMP.format(family=family)} END"
            for op in ("INSERT", "UPDATE", "DELETE")
        ]
    if vendor == "postgresql":
        return [
            _POSTGRES_FUNCTION,
            f"DROP TRIGGER IF EXISTS generation_{table} ON {table}",
            f"CREATE TRIGGER generation_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION core_generation_bump('{family}')",
        ]
    raise NotImplementedError(f"generation triggers for {vendor}")


def _remove_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS generation_{table}_{op}" for op in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS generation_{table} ON {table}"]

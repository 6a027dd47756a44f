"""Database snapshots for test fixtures: build expensive state once per test session, restore it in each test.

`capture(name, build)` runs `build()` once (committed), copies every row it added into side tables of the test
database (`<name>_<n>`, plain tables Django knows nothing of, so a `flush` leaves them alone), and deletes those
rows again, leaving the database as it was. `restore(snapshot)` copies the rows back with one
`INSERT ... SELECT` per table: the very bytes the real services wrote (hashes, signatures, encrypted fields and
timestamps included), in a fraction of the time the services take. It works inside a test's transaction (rolled
back at its end) and in transactional tests (committed, then flushed at their end) alike, on SQLite and
PostgreSQL, the zulip "template database" idea at table level.

Foreign keys are checked at commit (Django creates them DEFERRABLE INITIALLY DEFERRED on both backends), so the
tables are copied in any order. On PostgreSQL the id sequences are moved past the restored rows. Only the
database is kept: a file the build stores (the tests' in-memory file storage) is the fixture's own business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model

from pamong.core import generations


class SnapshotError(RuntimeError):
    """The build changed rows that existed before it: a snapshot of the added rows would not reproduce it."""


@dataclass(frozen=True)
class Table:
    model: type[Model]
    copy: str
    rows: int


@dataclass(frozen=True)
class Snapshot:
    name: str
    using: str
    tables: tuple[Table, ...]

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


def _models(using: str) -> list[type[Model]]:
    existing = set(connections[using].introspection.table_names())
    seen: set[str] = set()
    found = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table == generations.TABLE:  # kept by the database's own triggers as the other tables change
            continue
        if model._meta.managed and not model._meta.proxy and table in existing and table not in seen:
            seen.add(table)
            found.append(model)
    return found


def _rows(cursor, model: type[Model], qn) -> tuple[list[str], list[tuple]]:
    """The table's column names and its rows in key order."""
    pk = qn(model._meta.pk.column)
    cursor.execute(f"SELECT * FROM {qn(model._meta.db_table)} ORDER BY {pk}")  # noqa: S608 (names from models)
    rows = cursor.fetchall()
    return [column[0] for column in cursor.description], rows


def capture(name: str, build: Callable[[], object], *, using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """Run `build()` in one committed transaction and keep the rows it added (see the module docstring).
    Call it with database access unblocked and no transaction open (a session fixture)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    models = _models(using)
    with connection.cursor() as cursor:
        before = {model: _rows(cursor, model, qn) for model in models}
    with transaction.atomic(using=using):
        build()
    tables = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for number, model in enumerate(models):
            table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
            copy = f"{name}_{number}"
            cursor.execute(f"DROP TABLE IF EXISTS {qn(copy)}")
            columns, old_rows = before[model]
            old_keys = [row[columns.index(model._meta.pk.column)] for row in old_rows]
            where, params = "", []
            if old_keys:
                where = f" WHERE {pk} NOT IN ({', '.join(['%s'] * len(old_keys))})"
                params = old_keys
            cursor.execute(f"CREATE TABLE {qn(copy)} AS SELECT * FROM {table}{where}", params)  # noqa: S608
            cursor.execute(f"SELECT COUNT(*) FROM {qn(copy)}")  # noqa: S608
            (count,) = cursor.fetchone()
            if count:
                cursor.execute(f"DELETE FROM {table} WHERE {pk} IN (SELECT {pk} FROM {qn(copy)})")  # noqa: S608
                tables.append(Table(model=model, copy=copy, rows=count))
            else:
                cursor.execute(f"DROP TABLE {qn(copy)}")
        # With the added rows deleted again every table must be as it was: a build that changed an older row
        # cannot be reproduced by adding rows.
        changed = [model._meta.db_table for model in models if _rows(cursor, model, qn) != before[model]]
    if changed:
        raise SnapshotError(f"the build of {name!r} changed rows that existed before it in {changed}")
    return Snapshot(name=name, using=using, tables=tuple(tables))


def restore(snapshot: Snapshot) -> None:
    """Copy the snapshot's rows back (in the caller's transaction, or one of its own in autocommit)."""
    connection = connections[snapshot.using]
    qn = connection.ops.quote_name
    with transaction.atomic(using=snapshot.using), connection.cursor() as cursor:
        for table in snapshot.tables:
            cursor.execute(f"INSERT INTO {qn(table.model._meta.db_table)} SELECT * FROM {qn(table.copy)}")  # noqa: S608
        for statement in connection.ops.sequence_reset_sql(no_style(), [t.model for t in snapshot.tables]):
            cursor.execute(statement)


def remove(snapshot: Snapshot) -> None:
    """Delete the snapshot's rows from the tables (after a committed `restore`, to build another snapshot on top)."""
    connection = connections[snapshot.using]
    qn = connection.ops.quote_name
    with transaction.atomic(using=snapshot.using), connection.cursor() as cursor:
        for table in snapshot.tables:
            name, pk = qn(table.model._meta.db_table), qn(table.model._meta.pk.column)
            cursor.execute(f"DELETE FROM {name} WHERE {pk} IN (SELECT {pk} FROM {qn(table.copy)})")  # noqa: S608

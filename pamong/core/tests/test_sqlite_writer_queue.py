"""The SQLite backend's queue for the write turn (pamong/core/sqlite/base.py): a writer waits its turn in the
process and across processes, gets it as soon as it is given back (commit, rollback, close, a holder killed),
and is refused with "database is locked" (a 503 for the reader) when it waits longer than the timeout."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.utils import OperationalError

from pamong.core.sqlite.base import DatabaseWrapper, WriterQueue

pytestmark = pytest.mark.one_pass  # its own database files, whatever the test database is

HOLD_IN_ANOTHER_PROCESS = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def test_another_thread_waits_for_the_turn_and_gets_it_when_it_is_given_back(tmp_path):
    queue = WriterQueue(str(tmp_path / "db.writer-lock"))
    queue.acquire(timeout=1)
    got: list[float] = []

    def second_writer() -> None:
        queue.acquire(timeout=5)
        got.append(time.monotonic())
        queue.release()

    waiter = threading.Thread(target=second_writer)
    waiter.start()
    time.sleep(0.2)
    assert got == []  # still waiting: the turn is taken
    given_back = time.monotonic()
    queue.release()
    waiter.join(timeout=5)
    assert got and got[0] - given_back < 0.05  # woken at once, not after a busy handler's sleep


def test_a_writer_that_waits_too_long_is_refused_as_locked(tmp_path):
    queue = WriterQueue(str(tmp_path / "db.writer-lock"))
    queue.acquire(timeout=1)
    errors: list[Exception] = []

    def impatient() -> None:
        try:
            queue.acquire(timeout=0.1)
        except OperationalError as exc:
            errors.append(exc)

    worker = threading.Thread(target=impatient)
    worker.start()
    worker.join(timeout=5)
    queue.release()
    assert len(errors) == 1 and "database is locked" in str(errors[0])


def test_the_turn_held_by_another_process_is_waited_for_and_freed_when_that_process_is_killed(tmp_path):
    path = str(tmp_path / "db.writer-lock")
    holder = subprocess.Popen(  # noqa: S603 (our own script)
        [sys.executable, "-c", HOLD_IN_ANOTHER_PROCESS, path], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        queue = WriterQueue(path)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            queue.acquire(timeout=0.3)
        assert 0.3 <= time.monotonic() - started < 2
        assert queue.threads.acquire(blocking=False)  # a refused wait leaves the process's lock free
        queue.threads.release()
    finally:
        holder.kill()  # as kill -9: the kernel gives the lock back
        holder.wait(timeout=10)
    queue.acquire(timeout=5)
    queue.release()


def open_own(settings: dict, alias: str) -> DatabaseWrapper:
    """A connection through the project's backend, known to django.db.connections in this thread (so that
    transaction.atomic(using=alias) works as in the code)."""
    database = DatabaseWrapper(settings, alias=alias)
    connections[alias] = database
    return database


@pytest.fixture
def own_database(tmp_path, django_db_blocker):
    """A connection through the project's backend, on a database file of its own (not the test database)."""
    with django_db_blocker.unblock():
        database = open_own(
            {**connection.settings_dict, "NAME": str(tmp_path / "own.sqlite3")}, "writer_queue"
        )
        with database.cursor() as cursor:
            cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        yield database
        database.close()
        del connections["writer_queue"]


def turn_is_free(database: DatabaseWrapper) -> bool:
    queue = database.turn_queue()
    try:
        queue.acquire(timeout=0)
    except OperationalError:
        return False
    queue.release()
    return True


def test_the_backend_gives_the_turn_back_on_commit_rollback_and_close(own_database):
    with transaction.atomic(using="writer_queue"):
        own_database.cursor().execute("INSERT INTO note (text) VALUES ('kept')")
        assert own_database.holds_write_turn and not turn_is_free(own_database)
    assert turn_is_free(own_database)

    with pytest.raises(RuntimeError), transaction.atomic(using="writer_queue"):
        own_database.cursor().execute("INSERT INTO note (text) VALUES ('undone')")
        raise RuntimeError("the action failed")
    assert turn_is_free(own_database)

    own_database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert not turn_is_free(own_database)
    own_database.close()  # a connection dropped mid-transaction gives its turn back too
    assert turn_is_free(own_database)
    with own_database.cursor() as cursor:
        cursor.execute("SELECT text FROM note")
        assert [row[0] for row in cursor.fetchall()] == ["kept"]


def test_many_threads_writing_at_once_all_get_their_turn(own_database):
    settings = own_database.settings_dict
    failures: list[Exception] = []

    def writer(n: int) -> None:
        database = open_own(settings, f"writer_{n}")
        try:
            for i in range(25):
                with transaction.atomic(using=f"writer_{n}"):
                    database.cursor().execute("INSERT INTO note (text) VALUES (%s)", [f"{n}-{i}"])
        except Exception as exc:  # collected and asserted below
            failures.append(exc)
        finally:
            database.close()
            del connections[f"writer_{n}"]

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with own_database.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT text) FROM note")
        assert cursor.fetchone() == (200, 200)

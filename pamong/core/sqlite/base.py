"""Django's SQLite backend with a queue for the write lock that wakes the next writer at once.

SQLite lets one writer in at a time. A writer that finds the lock taken waits in SQLite's busy handler, which
sleeps in growing steps (up to 100 ms) and checks again; under many concurrent writers (gunicorn's threads and
processes) most of that sleep is spent while the lock is already free, so latency grows by tens of milliseconds
and the throughput falls (docs/benchmarks.md, ADR 62). Here a transaction first waits its turn in this
process (a `threading.Lock`, which wakes the next thread as soon as it is released) and then across processes
(an advisory `flock` on a file beside the database, which the kernel releases if the holder dies), and only
then sends `BEGIN IMMEDIATE`. SQLite's own lock still guards the data: statements outside a transaction, and
other programs, go through the busy handler as before. No library offers this for Django: the waits are the
standard library's.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

# Between processes the turn is polled without blocking (a blocking flock cannot time out): the waits grow to
# this cap, short enough that the lock is never idle for long and few enough to cost next to nothing.
POLL_CAP_SECONDS = 0.002


class WriterQueue:
    """One database file's write turn: a thread lock within the process, a `flock` across processes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.threads = threading.Lock()
        self.fd: int | None = None
        self.pid = 0

    def acquire(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            raise OperationalError("database is locked (waited for the write turn)")
        try:
            self._lock_file(deadline)
        except BaseException:
            self.threads.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self.threads.release()

    def _lock_file(self, deadline: float) -> None:
        fd, pause = self._file(), 0.0002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked (waited for the write turn)") from None
                time.sleep(pause)
                pause = min(pause * 2, POLL_CAP_SECONDS)

    def _file(self) -> int:
        """The lock file, opened once per process: a descriptor inherited through fork would share its lock
        with the parent, so a forked worker (gunicorn) opens its own."""
        if self.fd is None or self.pid != os.getpid():
            self.fd, self.pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        return self.fd


_queues: dict[str, WriterQueue] = {}
_queues_lock = threading.Lock()


def _forget_queues_in_child() -> None:
    """A forked child (a gunicorn worker) starts with queues of its own: a thread lock copied while some thread
    of the parent held it would never be released in the child."""
    global _queues_lock  # replaced, not mutated: the copied one may be held
    _queues.clear()
    _queues_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_queues_in_child)


def writer_queue(database_path: str) -> WriterQueue:
    with _queues_lock:
        return _queues.setdefault(database_path, WriterQueue(f"{database_path}.writer-lock"))


class DatabaseWrapper(base.DatabaseWrapper):
    holds_write_turn = False

    def _start_transaction_under_autocommit(self) -> None:
        queue = self.turn_queue()
        if queue is None:
            super()._start_transaction_under_autocommit()
            return
        queue.acquire(timeout=float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5)))
        self.holds_write_turn = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._give_back_write_turn()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._give_back_write_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._give_back_write_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._give_back_write_turn()

    def _give_back_write_turn(self) -> None:
        if self.holds_write_turn:
            self.holds_write_turn = False
            self.turn_queue().release()

    def turn_queue(self) -> WriterQueue | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db():
            return None  # one connection's database: nobody to queue with
        return writer_queue(os.path.abspath(name))

"""Concurrent writers never fork the log: appends are serialised (advisory lock on PostgreSQL,
BEGIN IMMEDIATE on SQLite) and the result verifies."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from pamong.audit import services
from pamong.audit.actions import Action
from pamong.audit.models import AuditEntry
from pamong.audit.verification import verify_log


def _writer(worker: int, count: int) -> None:
    try:
        for n in range(count):
            services.record_event(
                actor=f"system:writer-{worker}",
                action=Action.DECISION_RECORDED,
                subject=f"w{worker}",
                data={"n": n},
            )
    finally:
        connection.close()


def _run_writers(writers: int, appends: int) -> None:
    with ThreadPoolExecutor(max_workers=writers) as pool:
        for future in [pool.submit(_writer, worker, appends) for worker in range(writers)]:
            future.result()


def _assert_one_consistent_tree(total: int, writers: int, appends: int) -> None:
    assert AuditEntry.objects.count() == total
    assert list(AuditEntry.objects.order_by("index").values_list("index", flat=True)) == list(range(total))
    for worker in range(writers):
        assert AuditEntry.objects.filter(subject=f"w{worker}").count() == appends
    services.sign_tree_head()
    report = verify_log()
    assert report.problems == []
    assert report.size == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_writers_times_500_appends_on_postgresql():
    _run_writers(8, 500)
    _assert_one_consistent_tree(4000, 8, 500)


@pytest.mark.django_db(transaction=True)
def test_four_writers_on_sqlite_or_postgresql():
    _run_writers(4, 40)
    _assert_one_consistent_tree(160, 4, 40)

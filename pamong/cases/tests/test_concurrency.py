"""Two officers can never both decide one case: 20 parallel decide attempts give exactly one decision."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from pamong.cases import services
from pamong.cases.models import Application, Decision
from pamong.core.errors import ApplicationError


def _attempt(application_id, officer, barrier: threading.Barrier) -> str:
    try:
        application = Application.objects.get(pk=application_id)
        barrier.wait(timeout=30)
        services.decide_application(
            application, actor=officer, outcome="GRANT", reasons="Data sudah diperiksa."
        )
        return "decided"
    except ApplicationError as exc:
        return exc.code
    finally:
        connection.close()


def _race(world, attempts: int) -> list[str]:
    application, _ = services.submit_application(
        actor=world.refer, service=world.bansos, applicant=world.refer, form=world.forms[world.niks.REFER_NIK]
    )
    services.claim_application(application, actor=world.petugas)
    barrier = threading.Barrier(attempts)
    with ThreadPoolExecutor(max_workers=attempts) as pool:
        futures = [pool.submit(_attempt, application.pk, world.petugas, barrier) for _ in range(attempts)]
        results = [future.result() for future in futures]
    assert Decision.objects.filter(application=application, final=True).count() == 1
    assert Application.objects.get(pk=application.pk).status == "granted"
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_decisions_on_postgresql_give_exactly_one(world):
    results = _race(world, 20)
    assert results.count("decided") == 1
    assert results.count("invalid_transition") == 19


@pytest.mark.django_db(transaction=True)
def test_parallel_decisions_on_any_database_give_exactly_one(world):
    results = _race(world, 4)
    assert results.count("decided") == 1
    assert sorted(set(results)) == ["decided", "invalid_transition"]

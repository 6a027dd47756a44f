"""One answer per application even when the same survey is sent several times at once (double click, two
tabs): the unique digest decides, and the losers get the "already answered" conflict with nothing written."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Application
from pamong.core.errors import ApplicationError
from pamong.surveys import services as surveys
from pamong.surveys.forms import clean_survey
from pamong.surveys.ikm import ELEMENTS
from pamong.surveys.models import SurveyResponse


def _attempt(application_id, barrier: threading.Barrier) -> str:
    try:
        application = Application.objects.select_related("service").get(pk=application_id)
        barrier.wait(timeout=30)
        surveys.record_response(
            application, channel="web", answers=clean_survey(dict.fromkeys(ELEMENTS, "4"))
        )
        return "recorded"
    except ApplicationError as exc:
        return exc.code
    finally:
        connection.close()


def _race(world, attempts: int) -> list[str]:
    application, _ = cases.submit_application(
        actor=world.warga, service=world.bansos, applicant=world.warga, form=world.forms[world.niks.WARGA_NIK]
    )
    entries = AuditEntry.objects.count()
    barrier = threading.Barrier(attempts)
    with ThreadPoolExecutor(max_workers=attempts) as pool:
        results = [
            f.result() for f in [pool.submit(_attempt, application.pk, barrier) for _ in range(attempts)]
        ]
    assert SurveyResponse.objects.count() == 1
    assert AuditEntry.objects.filter(action="surveys.response_recorded").count() == 1
    assert AuditEntry.objects.count() == entries + 1
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_answers_on_postgresql_give_exactly_one(world):
    results = _race(world, 10)
    assert results.count("recorded") == 1 and results.count("survey_answered") == 9


@pytest.mark.django_db(transaction=True)
def test_parallel_answers_on_any_database_give_exactly_one(world):
    results = _race(world, 4)
    assert sorted(set(results)) == ["recorded", "survey_answered"] and results.count("recorded") == 1

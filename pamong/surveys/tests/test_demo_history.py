"""IKM answers for the demo history (issue 20): written in bulk, deterministic, at a realistic rate, with a weakest
element, comments and profiles, and one audit entry each as `record_response` writes it."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pamong.audit.models import AuditEntry
from pamong.audit.verification import verify_log
from pamong.catalog.models import Service
from pamong.site import history
from pamong.site.demo import load_demo
from pamong.site.tests.test_history import SMALL, TODAY
from pamong.surveys import demo_history, selectors
from pamong.surveys.ikm import ELEMENTS, parse_period
from pamong.surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(packs_root):
    """The decided applications of the short history the demo history's own tests write, unanswered: the site's
    history answers them with this module's story, and these tests measure that story on its own."""
    load_demo(packs_root=packs_root)
    history.build_history(today=TODAY, **SMALL)
    SurveyResponse.objects.all().delete()
    return demo_history.decided()


def _story(plan):
    return [
        (r.application_token, r.month, r.channel, r.comment, r.age_band, *(getattr(r, n) for n in ELEMENTS))
        for r in plan.responses
    ]


def test_the_same_seed_gives_the_same_answers(decided):
    first = demo_history.plan_history(decided, seed=3, today=TODAY)
    assert _story(first) == _story(demo_history.plan_history(decided, seed=3, today=TODAY))
    assert _story(first) != _story(demo_history.plan_history(decided, seed=4, today=TODAY))


def test_the_history_answers_in_bulk_as_record_response_would(decided):
    assert len(decided) > 300
    before = AuditEntry.objects.count()
    answered_before = SurveyResponse.objects.count()
    with CaptureQueriesContext(connection) as queries:
        written = demo_history.write_history(seed=3, today=TODAY)
    assert len(queries) <= 25  # bulk: a few statements, not one transaction per answer
    assert SurveyResponse.objects.count() == answered_before + written
    assert 0.25 <= written / len(decided) <= 0.5  # about a third on the portal, more at the counter
    kiosk = SurveyResponse.objects.filter(channel="kiosk").count()
    assert 0 < kiosk < written
    # one audit entry per answer, naming the service and never the application, and the log still verifies
    entries = AuditEntry.objects.filter(index__gte=before).order_by("index")
    assert entries.count() == written
    first = entries.first()
    assert first.action == "surveys.response_recorded" and first.subject.startswith("surveys.service:")
    payload = json.loads(first.payload)
    assert set(payload) == {"month", "channel", "scores"} and set(payload["scores"]) == set(ELEMENTS)
    times = list(entries.values_list("created_at", flat=True))
    assert times == sorted(times)
    assert all(t.date() <= TODAY for t in times)
    assert verify_log().ok
    # what the report shows: bansos PKH rated good with completion time its weakest element
    bansos = Service.objects.get(slug="bansos-pkh")
    survey = selectors.survey_of([bansos], parse_period("2026-11"))
    assert survey.result.respondents > 20
    assert survey.result.band in ("B", "C"), survey.result.ikm_2dp
    assert survey.result.weakest()[0].element == "waktu"
    # some comments, most profiles filled in
    responses = SurveyResponse.objects.all()
    comments = [c for c in responses.values_list("comment", flat=True) if c]
    assert 0.05 * written <= len(comments) <= 0.3 * written
    assert 0.5 * written <= responses.exclude(age_band="").count() <= 0.9 * written
    # answered once: a second run finds every drawn application already answered
    assert demo_history.write_history(seed=3, today=TODAY) == 0

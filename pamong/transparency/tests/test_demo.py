"""The demo shows an IKM on bansos PKH's public performance page, with a published follow-up action."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from pamong.catalog.models import Service
from pamong.site.demo import DEMO_SURVEY_RESPONSES, load_demo
from pamong.surveys import selectors
from pamong.surveys.ikm import parse_period
from pamong.surveys.models import SurveyResponse
from pamong.transparency import selectors as transparency


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_shows_the_ikm_on_the_service_page(packs_root, client, monkeypatch):
    load_demo(packs_root=packs_root)
    load_demo(packs_root=packs_root)  # twice changes nothing
    assert SurveyResponse.objects.count() == DEMO_SURVEY_RESPONSES
    service = Service.objects.get(slug="bansos-pkh")
    result = selectors.ikm_of([service], parse_period(str(timezone.localdate().year)))
    assert result.respondents == DEMO_SURVEY_RESPONSES and result.band is not None
    # The page runs to the end of yesterday and the demo's answers are dated by month up to this one: on the first
    # of a month this month's answers show from tomorrow, so read tomorrow's page (figures up to today).
    monkeypatch.setattr(transparency, "as_of_today", timezone.localdate)
    cache.clear()
    html = client.get(reverse("transparency:service", args=["bansos-pkh"])).content.decode()
    shown = re.search(r'data-figure="ikm">([^<]+)<', html)[1]
    assert shown == str(result.ikm_2dp).replace(".", ",")
    assert re.search(r'data-figure="ikm_band">([ABCD])<', html)[1] == result.band
    assert "Verifikasi lapangan dijadwalkan" in html  # the published follow-up action

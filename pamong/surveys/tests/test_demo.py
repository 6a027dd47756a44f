"""Issue 19, "must show": in the demo, the citizen is offered the survey once their application is decided, and
their answer counts in the IKM on the service's public performance page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from pamong.accounts.models import User
from pamong.cases import services as cases
from pamong.catalog.models import Service
from pamong.registry import demo as registry_demo
from pamong.site.demo import load_demo
from pamong.surveys import selectors
from pamong.surveys.ikm import parse_period
from pamong.surveys.tests.conftest import answers
from pamong.transparency import selectors as transparency

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_demo_citizen_answers_after_the_decision_and_the_service_page_counts_it(
    packs_root, client, monkeypatch
):
    load_demo(packs_root=packs_root)
    siti, bansos = User.objects.get(username="warga"), Service.objects.get(slug="bansos-pkh")
    application, _ = cases.submit_application(
        actor=siti, service=bansos, applicant=siti,
        form=dict(registry_demo.DEMO_BANSOS_FORMS[registry_demo.WARGA_NIK]),
    )  # fmt: skip
    assert application.status == "granted"  # decided by the rules at once: a final decision
    year = parse_period(str(timezone.localdate().year))
    before = selectors.ikm_of([bansos], year)
    client.force_login(siti)
    case_page = client.get(reverse("cases:application", args=[application.pk])).content.decode()
    survey_url = reverse("surveys:respond", args=[application.pk])
    assert survey_url in case_page and "Isi survei kepuasan" in case_page
    assert client.post(survey_url, answers(4, 4, 4, 4, 4, 4, 4, 4, 4)).status_code == 302
    after = selectors.ikm_of([bansos], year)
    assert after.respondents == before.respondents + 1 and after.ikm > before.ikm
    # The public page runs to the end of yesterday and counts answers by month, so on the first of a month
    # today's answer shows from tomorrow: read tomorrow's page (figures up to today).
    monkeypatch.setattr(transparency, "as_of_today", timezone.localdate)
    cache.clear()  # the public page is computed once a day; a new day's figures
    client.logout()
    html = client.get(reverse("transparency:service", args=["bansos-pkh"])).content.decode()
    assert re.search(r'data-figure="ikm">([^<]+)<', html)[1] == str(after.ikm_2dp).replace(".", ",")
    assert re.search(r'data-figure="respondents" hidden>(\d+)<', html)[1] == str(after.respondents)

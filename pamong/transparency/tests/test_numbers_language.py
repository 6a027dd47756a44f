"""The public performance page writes its numbers the reader's way (issue 20 point 3): IKM 73,61 and 60,0% in
Bahasa Indonesia, 73.61 and 60.0% in English; the JSON download keeps the machine form ("73.61")."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pamong.transparency.tests.test_performance import _figures, build_scenario, today_included  # noqa: F401

pytestmark = pytest.mark.django_db


def figures(language: str) -> dict[str, str]:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("transparency:service", args=["bansos-pkh"])).content.decode()
    return _figures(html) | {"html": html}


def test_the_performance_page_writes_numbers_the_readers_way(world, today_included):  # noqa: F811
    build_scenario(world)
    english, indonesian = figures("en"), figures("id")
    assert (english["ikm"], indonesian["ikm"]) == ("73.61", "73,61")  # 25 × 53 / 18, by hand
    assert "(60.0%)" in english["html"] and "(60,0%)" not in english["html"]  # 3 of 5 decided on time
    assert "(60,0%)" in indonesian["html"] and "(60.0%)" not in indonesian["html"]
    assert "," not in english["median_working_days"] and "." not in indonesian["median_working_days"]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    data = json.loads(client.get(reverse("transparency:service-json", args=["bansos-pkh"])).content)
    assert data["ikm"]["nilai"] == "73.61"  # a machine format in either language

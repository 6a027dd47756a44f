"""Numbers and the fairness notes follow the reader's language (issue 20 point 3): a percentage is 42,0% on an
Indonesian page and 42.0% on an English one, and the fairness notes the API serves are in the request's language.
The JSON keeps machine numbers (a share as a float) whatever the language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from pamong.oversight.tests.test_rule_titles import analyst, page, visible, watched  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

INDONESIAN_PERCENT = re.compile(r"\b\d{1,3},\d%")
ENGLISH_PERCENT = re.compile(r"\b\d{1,3}\.\d%")


@pytest.mark.parametrize(
    "path", ["/pengawasan/?layanan=bansos-pkh", "/pengawasan/keadilan/?layanan=bansos-pkh"]
)
def test_percentages_are_written_the_readers_way(analyst, watched, path):  # noqa: F811
    english = visible(page(analyst, path, "en"))
    indonesian = visible(page(analyst, path, "id"))
    assert ENGLISH_PERCENT.search(english) and not INDONESIAN_PERCENT.search(english), english
    assert INDONESIAN_PERCENT.search(indonesian) and not ENGLISH_PERCENT.search(indonesian), indonesian


def fairness_json(user, language: str) -> dict:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get("/api/v1/oversight/fairness?service=bansos-pkh&days=90&basis=rules")
    assert response.status_code == 200
    return response.json()


def test_the_fairness_notes_of_the_api_follow_the_request_language(analyst, watched):  # noqa: F811
    english, indonesian = fairness_json(analyst, "en"), fairness_json(analyst, "id")
    notes_en = [note for feature in english["features"] for note in feature["notes"]]
    notes_id = [note for feature in indonesian["features"] for note in feature["notes"]]
    assert notes_en and notes_id  # three applications: every group is a small sample
    assert all("fewer than 30 applications" in note and "sampel kecil" not in note for note in notes_en)
    assert all("kurang dari 30 permohonan" in note and "'sampel kecil'" in note for note in notes_id)
    # the figures stay machine numbers in either language
    assert english["features"][0]["groups"] == indonesian["features"][0]["groups"]
    assert isinstance(english["features"][0]["groups"][0]["rate"], float)

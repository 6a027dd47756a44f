"""Budget pages in the reader's language (issue 20 point 3): rupiah and percentages grouped the reader's way
(Rp1.234.567 and 45,2% in Bahasa Indonesia, Rp1,234,567 and 45.2% in English) and the red flags' titles and
explanations kept in their English source with parameters, so each reader gets them in their language; a flag
raised before keeps its Indonesian words. The CSV keeps machine numbers."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db.models import Sum
from django.test import Client
from django.utils import translation

from pamong.budget import demo, flags
from pamong.budget.models import BudgetLine, Flag
from pamong.budget.tests.test_queue import auditor, loaded  # noqa: F401 (fixtures)
from pamong.catalog.models import Agency

pytestmark = [pytest.mark.django_db]


def read(path: str, language: str, user=None) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_public_budget_page_writes_rupiah_and_percentages_the_readers_way(loaded):  # noqa: F811
    agency = Agency.objects.get(slug=demo.AGENCY)
    path = f"/anggaran/?instansi={agency.slug}&tahun=2025"
    plan = BudgetLine.objects.filter(agency=agency, year=2025, kind="anggaran").aggregate(s=Sum("amount"))[
        "s"
    ]
    assert plan >= 1_000_000
    english, indonesian = read(path, "en"), read(path, "id")
    assert f"Rp{plan:,}" in english and f"Rp{plan:,}".replace(",", ".") not in english
    assert f"Rp{plan:,}".replace(",", ".") in indonesian and f"Rp{plan:,}" not in indonesian
    assert re.search(r"\(\d{1,3}\.\d%\)", english) and not re.search(r"\(\d{1,3},\d%\)", english)
    assert re.search(r"\(\d{1,3},\d%\)", indonesian) and not re.search(r"\(\d{1,3}\.\d%\)", indonesian)
    english_csv = read(f"{path}&format=csv", "en")  # the download keeps plain machine numbers in any language
    assert f";{plan};" in english_csv and f"{plan:,}" not in english_csv


def test_a_flag_reads_in_the_readers_language(loaded, auditor):  # noqa: F811
    split = loaded.get(kind=flags.SPLIT)
    spike = loaded.get(kind=flags.SPIKE)
    english = read(f"/apip/?tanda={split.pk}", "en", auditor)
    indonesian = read(f"/apip/?tanda={split.pk}", "id", auditor)
    assert "each below the direct procurement ceiling of Rp200,000,000" in english
    assert "Presidential Regulation 16/2018 Article 20" in english and "pembelian" not in english
    assert "masing-masing di bawah batas pengadaan langsung Rp200.000.000" in indonesian
    assert "Perpres 16/2018 Pasal 20" in indonesian and "each below" not in indonesian
    queue_en, queue_id = read("/apip/", "en", auditor), read("/apip/", "id", auditor)
    assert re.search(r"December 2025 spending: \d{1,3}\.\d% of the year", queue_en)
    assert re.search(r"Belanja Desember 2025: \d{1,3},\d% dari setahun", queue_id)
    # the Indonesian columns keep what was raised (search, exports), whatever language raised it
    assert spike.title.startswith("Belanja Desember 2025: ") and "," in spike.title
    with translation.override("en"):
        assert str(spike.shown_title).startswith("December 2025 spending: ")


def test_a_flag_raised_before_its_words_were_kept_shows_its_indonesian_words(loaded, auditor):  # noqa: F811
    split = loaded.get(kind=flags.SPLIT)
    Flag.objects.filter(pk=split.pk).update(texts={}, explanation="Penjelasan lama dalam bahasa Indonesia.")
    english = read(f"/apip/?tanda={split.pk}", "en", auditor)
    assert "Penjelasan lama dalam bahasa Indonesia." in english
    assert split.title in english  # the stored Indonesian title, as it is

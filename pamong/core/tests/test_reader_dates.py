"""Dates on a page follow the reader's language (issue 20 point 3): "5 January 2026" under the English switch,
"5 Januari 2026" otherwise; texts that are stored or sent keep Bahasa Indonesia (format_date)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from pamong.cases import services as cases
from pamong.cases.models import Application
from pamong.core.formatting import format_date, reader_date

MONTHS_ID = re.compile(r"\b\d{1,2} (Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober|Desember) \d{4}\b")
MONTHS_EN = re.compile(r"\b\d{1,2} (January|February|March|May|June|July|August|October|December) \d{4}\b")


def test_a_page_date_follows_the_reader_and_a_stored_one_stays_indonesian():
    day = dt.date(2026, 1, 5)
    with translation.override("en"):
        assert reader_date(day) == "5 January 2026"
        assert reader_date(dt.datetime(2026, 8, 17, 9, 30, tzinfo=dt.UTC)) == "17 August 2026"
        assert (
            format_date(day) == "5 Januari 2026"
        )  # a notice or a decision's reasons: the language of record
        assert Template("{% load pamong %}{{ d|tanggal }}").render(Context({"d": day})) == "5 January 2026"
        assert reader_date(None) == "-"
    with translation.override("id"):
        assert reader_date(day) == "5 Januari 2026"
        assert Template("{% load pamong %}{{ d|tanggal }}").render(Context({"d": day})) == "5 Januari 2026"


@pytest.mark.django_db
def test_the_citizens_application_page_gives_its_dates_in_the_readers_language(world, client_for):
    citizen = world.refer  # passed to an officer: the page shows when it is due
    filed, _ = cases.submit_application(
        actor=citizen, service=world.bansos, applicant=citizen, form=world.forms[world.niks.REFER_NIK]
    )
    Application.objects.filter(pk=filed.pk).update(decision_due=dt.date(2027, 1, 5))  # a month named apart
    client = client_for(citizen)
    pages = {}
    for language in ("en", "id"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = client.get(f"/permohonan/{filed.pk}/").content.decode()
    assert "5 January 2027" in pages["en"] and "5 Januari 2027" not in pages["en"]
    assert "5 Januari 2027" in pages["id"] and "5 January 2027" not in pages["id"]
    assert not MONTHS_ID.search(pages["en"]), MONTHS_ID.findall(pages["en"])
    assert not MONTHS_EN.search(pages["id"]), MONTHS_EN.findall(pages["id"])

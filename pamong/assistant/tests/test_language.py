"""The assistant speaks the reader's language (issue 20 point 3): its fixed sentences (the templates of answers,
hand-over messages, "no answer" texts, errors) are English msgids with Indonesian in the catalogue, chosen by the
page's language (the switch's cookie) or the API's Accept-Language. Retrieval stays Indonesian and the agencies'
texts are quoted as published, in Indonesian, with a note saying so; the Indonesian answers are unchanged."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pamong.assistant.models import Handover
from pamong.catalog.models import Service

pytestmark = pytest.mark.django_db

AKTA = "syarat bikin akta kelahiran apa aja?"
PRESIDENT = "siapa presiden pertama?"


def ask_api(client, question: str, **headers):
    return client.post(
        "/api/v1/assistant/ask", {"question": question}, content_type="application/json", headers=headers
    )


def visible(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split())


def test_the_page_answers_in_english_under_the_switch_quoting_the_agency_in_indonesian(world, client):
    requirements = Service.objects.get(slug="akta-kelahiran").requirements
    indonesian = visible(client.post("/tanya/", {"question": AKTA}))
    assert "Persyaratan Akta Kelahiran:" in indonesian
    assert "Akta Kelahiran selesai paling lama 1 hari kerja setelah persyaratan lengkap." in indonesian
    assert "Selengkapnya: /layanan/akta-kelahiran/" in indonesian
    assert "Requirements for" not in indonesian and "quotes the agencies' texts" not in indonesian

    client.cookies["django_language"] = "en"
    english = visible(client.post("/tanya/", {"question": AKTA}))
    assert "Requirements for Akta Kelahiran:" in english
    assert "Akta Kelahiran is completed within 1 working day once the requirements are complete." in english
    assert "More: /layanan/akta-kelahiran/" in english
    assert f"• {requirements[0]}" in english  # the agency's text, as published
    assert "The answer quotes the agencies' texts as they are published, in Indonesian." in english
    for said in ("Persyaratan Akta Kelahiran", "selesai paling lama", "Selengkapnya", "Biaya "):
        assert said not in english


def test_a_count_of_days_is_singular_for_one_and_plural_for_more_in_english(world, client):
    one = ask_api(client, "berapa lama akta kelahiran selesai", accept_language="en").json()["answer"]
    assert "is completed within 1 working day once" in one and "1 working days" not in one
    five = ask_api(client, "berapa lama bansos pkh selesai", accept_language="en").json()["answer"]
    assert "is completed within 5 working days once" in five
    indonesian = ask_api(client, "berapa lama akta kelahiran selesai").json()["answer"]
    assert "selesai paling lama 1 hari kerja setelah persyaratan lengkap" in indonesian


def test_the_api_follows_accept_language(world, client):
    indonesian = ask_api(client, "biaya kk berapa").json()["answer"].split("\n")
    assert indonesian[0] == "Biaya Kartu Keluarga (Penerbitan dan Perubahan): gratis (Rp0)."
    assert indonesian[-1] == "Selengkapnya: /layanan/kartu-keluarga/"
    english = ask_api(client, "biaya kk berapa", accept_language="en").json()["answer"].split("\n")
    assert english[0] == "Cost of Kartu Keluarga (Penerbitan dan Perubahan): free (Rp0)."
    assert english[-1] == "More: /layanan/kartu-keluarga/"
    assert english[1] == indonesian[1]  # the agency's fee note, quoted as published


def test_pamongs_own_words_in_the_knowledge_are_said_in_english(world, client):
    hours = ask_api(client, "jam buka kantor", accept_language="en").json()["answer"]
    assert "Counter opening hours: working days (Monday–Friday" in hours and "08.00 to 16.00 WIB" in hours
    assert "Jam layanan" not in hours and "hari kerja" not in hours
    rules = ask_api(client, "aturan bansos apa aja", accept_language="en").json()["answer"]
    assert rules.startswith("Rules used for Bantuan Sosial Program Keluarga Harapan (PKH) (version ")
    assert "If not met, the application is refused (a refusal is proposed when the impact is high)." in rules
    assert "Bila tidak terpenuhi" not in rules and "Aturan yang dipakai" not in rules
    indonesian = ask_api(client, "aturan bansos apa aja").json()["answer"]
    assert indonesian.startswith(
        "Aturan yang dipakai untuk Bantuan Sosial Program Keluarga Harapan (PKH) (versi "
    )
    assert "Bila tidak terpenuhi, permohonan ditolak (diusulkan ditolak bila dampak tinggi)." in indonesian


ENGLISH_MONTHS = [dt.date(2026, month, 1).strftime("%B") for month in range(1, 13)]
# Indonesian month names that differ from the English ones (April and November are the same in both)
INDONESIAN_ONLY_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "Oktober",
    "Desember",
]


def test_a_hand_over_is_announced_in_english_and_the_agency_reads_indonesian(world, client):
    body = ask_api(client, PRESIDENT, accept_language="en").json()
    assert body["handover"] is True
    complaint = Handover.objects.get().complaint
    answer = body["answer"]
    assert answer.startswith("Sorry, this question is outside the services we know about")
    assert f"Report number: {complaint.reference}." in answer
    assert "An officer answers on working days (Monday–Friday" in answer
    # the date it is answered by is written the English way too ("8 December 2026", not "8 Desember 2026")
    assert any(f" {month} 20" in answer for month in ENGLISH_MONTHS), answer
    assert not any(f" {month} 20" in answer for month in INDONESIAN_ONLY_MONTHS), answer
    assert "You left no contact: sign in, or write a phone number or e-mail" in answer
    for said in ("Maaf", "Nomor laporan", "Petugas menjawab", "Anda tidak meninggalkan kontak"):
        assert said not in answer
    # the transcript the agency's officer reads is Indonesian, whoever asked
    assert "Asisten: Maaf, pertanyaan ini di luar layanan yang kami ketahui" in complaint.description


def test_an_empty_question_is_refused_in_the_readers_language(world, client):
    english = ask_api(client, "   ", accept_language="en")
    assert english.status_code == 422
    assert english.json()["code"] == "empty_question"
    assert english.json()["message"] == "Write your question first."
    assert ask_api(client, "   ").json()["message"] == "Tulis pertanyaan Anda terlebih dahulu."

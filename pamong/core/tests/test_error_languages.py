"""Errors in the reader's language (issue 20 point 3, issue 11 point 6, ADR 51): invalid input on the main forms,
sent once with the English switch and once in Indonesian. The errors a page shows (summary, field errors, alerts,
flash messages) hold no Indonesian under English and no English under Indonesian, the refused page shows no raw
code (as test_journeys checks for every page), and the API answers a bad application with its machine code and a
message in the request's language."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from pamong.accounts import roles
from pamong.cases import services as cases

from .test_journeys import LEAKS, people, visible_text  # noqa: F401  (people: a fixture)

pytestmark = pytest.mark.django_db

# Function words only: a pack's Indonesian label without an English version ("Kota Bandung") is allowed, a
# sentence is not.
INDONESIAN = re.compile(
    r"\b(yang|harus|wajib|tidak|paling|dengan|atau|untuk|belum|sudah|dapat|Tuliskan|Tulis|Pilih|Periksa|"
    r"Jelaskan|Hanya|berkas|isian)\b"
)
ENGLISH = re.compile(
    r"\b(the|must|is|are|not|Choose|Write|cannot|only|Only|please|Please|with|already|should|field)\b"
)
ERROR_CLASSES = {"error-summary", "field-error", "error", "flash"}


class ErrorText(HTMLParser):
    """The text of every error element: class error-summary, field-error, error or flash, or role=alert."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 inside an error element
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if self.depth:
            self.depth += tag not in ("br", "input", "img", "hr", "meta", "link")
        elif classes & ERROR_CLASSES or attributes.get("role") == "alert":
            self.depth = 1
            self.parts.append("|")

    def handle_endtag(self, tag) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data) -> None:
        if self.depth:
            self.parts.append(data)


def errors_shown(html: str) -> str:
    parser = ErrorText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


BAD_BANSOS = {  # as the page sends them: its own prefix before each service field
    "f-declared_regency_code": "9999",
    "f-household_size": "banyak",
    "f-household_income": "2.000.000,50",
    "f-assets_value": "Rp 1.00",
    "f-has_pkh_component": "mungkin",
}


@pytest.fixture
def cases_open(world):
    """A refusal the citizen may object to, and a case claimed by the officer, not yet decided."""

    def submit(citizen, nik):
        application, _ = cases.submit_application(
            actor=citizen, service=world.bansos, applicant=citizen, form=dict(world.forms[nik])
        )
        return application

    denied = submit(world.denied, world.niks.DENIED_NIK)
    cases.claim_application(denied, actor=world.petugas)
    cases.decide_application(
        denied, actor=world.petugas, outcome="DENY", reasons="Penghasilan di atas batas."
    )
    claimed = submit(world.refer, world.niks.REFER_NIK)
    cases.claim_application(claimed, actor=world.petugas)
    return denied, claimed


def invalid_forms(world, people, open_cases):  # noqa: F811  (people is the fixture's value here)
    """(who, path, data) of the main forms, each with input that must be refused, on a page that shows it."""
    denied, claimed = open_cases
    return [
        (world.warga, "/layanan/bansos-pkh/ajukan/", BAD_BANSOS),
        (
            people[roles.PETUGAS_LOKET],
            "/loket/ajukan/bansos-pkh/",
            {"nik": "3273994108870002", "full_name": "", "consent_method": "", **BAD_BANSOS},
        ),
        (people[roles.PETUGAS_LOKET], "/loket/warga/", {"nik": "3273094108870000"}),
        (world.denied, f"/permohonan/{denied.pk}/keberatan/", {"statement": ""}),
        (world.petugas, f"/petugas/permohonan/{claimed.pk}/putuskan/", {"outcome": "DENY", "reasons": ""}),
        (
            world.warga,
            "/pengaduan/baru/",
            {"service": "bansos-pkh", "title": "x", "description": "y", "kind": "x", "latitude": "1"},
        ),
        (world.warga, "/akun/dokumen/", {"action": "upload", "doc_type": ""}),
        (
            people[roles.PETUGAS],
            "/staf/",
            {"action": "leave", "kind": "cuti", "first_day": "2026-05-02", "last_day": "2026-05-01"},
        ),
    ]


@pytest.mark.parametrize(("language", "foreign"), [("en", INDONESIAN), ("id", ENGLISH)])
def test_invalid_forms_answer_in_the_page_language(world, people, cases_open, language, foreign):  # noqa: F811
    shown, wrong, raw = {}, {}, {}
    for who, path, data in invalid_forms(world, people, cases_open):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.force_login(who)
        response = client.post(path, data, follow=True)
        assert response["Content-Language"] == language, path
        html = response.content.decode()
        text = errors_shown(html)
        shown[path] = text
        found = sorted({m.group(0) for m in foreign.finditer(text)})
        if found:
            wrong[path] = (found, text)
        # and, as on every page (test_journeys), no code, exception text or bare value after a refusal
        if leaks := sorted({m.group(0) for m in LEAKS.finditer(visible_text(html))}):
            raw[path] = leaks
    refused_in_words = {path: text for path, text in shown.items() if len(text) > 10}
    assert refused_in_words.keys() == shown.keys()
    assert wrong == {}
    assert raw == {}


def test_the_nik_and_field_errors_follow_the_language(world):
    """The same refused values, once in each language: the pack's English label under English."""
    texts = {}
    for language in ("id", "en"):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.force_login(world.warga)
        texts[language] = errors_shown(
            client.post("/layanan/bansos-pkh/ajukan/", BAD_BANSOS).content.decode()
        )
    assert "Jumlah anggota keluarga harus bilangan bulat, tulis angka saja." in texts["id"]
    assert "Household size must be a whole number; write digits only." in texts["en"]
    assert "Monthly household income (rupiah) must be whole rupiah without cents" in texts["en"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_api_keeps_its_codes_and_speaks_the_requests_language(world, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.warga)
    response = client.post(
        "/api/v1/applications",
        {"service": "bansos-pkh", "form": {**world.forms[world.niks.WARGA_NIK], "household_size": "dua"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "form_invalid"
    expected = {
        "id": (
            "Formulir belum lengkap. Periksa isian yang disebut di bawah ini.",
            "Jumlah anggota keluarga harus",
        ),
        "en": ("The form is not complete yet. Check the answers named below.", "Household size must be"),
    }[language]
    assert body["message"] == expected[0]
    assert body["details"]["household_size"].startswith(expected[1])


def test_the_registrys_problems_follow_the_readers_language(world):
    """Facts that could not be gathered are kept with their English source and shown in the reader's language:
    a citizen whom no registry knows, filed at the counter, and the officer reading the case in each language."""
    counter = Client()
    counter.force_login(world.loket)
    filed = counter.post(
        "/api/v1/staff/counter/applications",
        {
            "service": "bansos-pkh",
            "form": dict(world.forms[world.niks.WARGA_NIK]),
            "nik": world.niks.UNREGISTERED_NIK,
            "full_name": "Orang Baru",
            "consent_method": "lisan_disaksikan",
            "consent_statement": "Saya setuju.",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",  # the language at filing time does not fix the words kept
    )
    assert filed.status_code == 201, filed.content
    pk = filed.json()["id"]
    shown = {}
    for language in ("id", "en"):
        officer = Client()
        officer.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        officer.force_login(world.petugas)
        shown[language] = visible_text(officer.get(f"/petugas/permohonan/{pk}/").content.decode())
    # The register is named by its label in the reader's language (pamong.cases.labels), not its code.
    indonesian = (
        "NIK pemohon tidak ditemukan pada sumber data DTSEN (Data Tunggal Sosial dan Ekonomi Nasional)."
    )
    english = "NIK was not found in data source DTSEN (social and economic register)."
    assert indonesian in shown["id"] and english not in shown["id"]
    assert english in shown["en"] and "NIK pemohon tidak ditemukan" not in shown["en"]
    # ... and the rule that could not be judged names the missing fact by its label too ("Missing data").
    assert not re.search(r"\bin_dtsen\b", shown["id"] + shown["en"])
    assert "Data yang belum ada: Keluarga terdaftar dalam DTSEN" in shown["id"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("", "Ukuran tidak valid: perlu 0 ≤ from ≤ to ≤ 0."),
        ("id", "Ukuran tidak valid: perlu 0 ≤ from ≤ to ≤ 0."),
        ("en", "Invalid sizes: 0 ≤ from ≤ to ≤ 0 is needed."),
    ],
)
def test_an_api_refusal_written_in_python_follows_the_requests_language(db, language, expected):
    """The audit log's API (an error raised below the views) answers in the request's language."""
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = Client(**headers).get("/api/v1/audit/consistency?from=5&to=2")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_tree_sizes"
    assert response.json()["message"] == expected


@pytest.mark.parametrize(
    ("language", "duplicate", "missing"),
    [
        (
            "id",
            "Kunci 'a' muncul dua kali dalam JSON; kirim setiap kunci sekali saja.",
            "Entri audit #99 tidak ada.",
        ),
        (
            "en",
            "The key 'a' appears twice in the JSON; send each key once.",
            "Audit entry #99 does not exist.",
        ),
    ],
)
def test_the_api_edge_speaks_the_requests_language(world, language, duplicate, missing):
    """The strict JSON edge (core.apiedge) and the audit log's not-found, in the language the client asks for."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.warga)
    refused = client.post("/api/v1/applications", '{"a": 1, "a": 2}', content_type="application/json")
    assert refused.status_code == 422, refused.content
    assert refused.json()["code"] == "invalid_json"
    assert refused.json()["message"] == duplicate
    assert refused.json()["details"]["reason"] == "duplicate_key"
    absent = client.get("/api/v1/audit/entries/99")
    assert absent.status_code == 404
    assert absent.json() == {"code": "audit_entry_not_found", "message": missing}

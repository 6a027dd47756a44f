"""The public verification page /v/<code>: no sign-in, no JavaScript, small, rate-limited; an upload tells
whether a PDF is the very file issued."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from pamong.documents import services
from pamong.documents.models import Letter

from .conftest import apply_pkh

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(world, client_for, run_jobs) -> Letter:
    with run_jobs():
        body = apply_pkh(client_for(world.warga), world, world.niks.WARGA_NIK)
    return Letter.objects.get(application_id=body["id"])


def test_the_page_shows_what_is_printed_and_nothing_more(letter, world):
    response = Client().get(f"/v/{letter.code}")
    assert response.status_code == 200
    page = response.content.decode()
    assert len(response.content) <= 20 * 1024
    assert "<script" not in page
    assert "SAH" in page
    assert letter.number in page and letter.sha256 in page
    assert letter.application.service.agency.name in page
    assert "Surat keputusan: dikabulkan" in page
    assert letter.masked_name == "S*** N********"
    assert letter.masked_name in page
    assert "Nurhaliza" not in page and world.niks.WARGA_NIK not in page
    assert letter.application.reference not in page
    assert f'href="/api/v1/audit/entries/{letter.audit_index}"' in page


def test_the_code_has_at_least_80_random_bits_and_an_unknown_code_is_a_404():
    codes = {services.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[a-z2-7]{21}", code) for code in codes)  # 21 base32 characters = 105 bits
    assert Client().get("/v/aaaaaaaaaaaaaaaaaaaaa").status_code == 404
    assert Client().get("/v/not-a-code").status_code == 404


def test_the_issued_file_is_recognised_and_a_changed_one_is_not(letter):
    pdf = letter.read_content()
    same = Client().post(f"/v/{letter.code}", {"file": SimpleUploadedFile("surat.pdf", pdf)})
    assert same.status_code == 200
    assert "persis berkas yang diterbitkan" in same.content.decode()
    changed = pdf[:-20] + b"%" + pdf[-19:]
    other = Client().post(f"/v/{letter.code}", {"file": SimpleUploadedFile("surat.pdf", changed)})
    assert other.status_code == 200
    assert "bukan berkas yang diterbitkan" in other.content.decode()


def test_an_upload_that_is_not_a_pdf_gets_an_indonesian_error(letter):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 400
    response = Client().post(f"/v/{letter.code}", {"file": SimpleUploadedFile("surat.pdf", png)})
    assert response.status_code == 422
    assert "Ini bukan berkas PDF" in response.content.decode()
    empty = Client().post(f"/v/{letter.code}", {})
    assert empty.status_code == 422
    assert "Pilih berkas PDF" in empty.content.decode()
    text = Client().post(f"/v/{letter.code}", {"file": SimpleUploadedFile("surat.pdf", b"halo " * 100)})
    assert text.status_code == 422


@override_settings(PAMONG_UPLOAD_MAX_BYTES=1024)
def test_a_too_large_upload_is_refused(letter):
    response = Client().post(
        f"/v/{letter.code}", {"file": SimpleUploadedFile("surat.pdf", letter.read_content())}
    )
    assert response.status_code == 422
    assert "terlalu besar" in response.content.decode()


def test_the_page_is_rate_limited_per_address(letter, settings):
    settings.PAMONG_RATE_LIMITS = {
        **settings.PAMONG_RATE_LIMITS,
        "verify": "3/h",
    }  # an hour: no window edge mid-test
    client = Client()
    assert [client.get(f"/v/{letter.code}").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_revocation_shows_at_once(letter, world):
    services.revoke_letter(letter, actor=world.supervisor, reason="Salah tulis nama; diterbitkan ulang.")
    page = Client().get(f"/v/{letter.code}").content.decode()
    assert "DICABUT" in page and "Salah tulis nama" in page

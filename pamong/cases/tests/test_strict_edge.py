"""Issue 21, "Must show": a number means what the citizen meant on every channel, and garbage is refused at the
edge with its field or reason — 422, 413 or 415 in the one error shape, never a 500 or a traceback."""

from __future__ import annotations

import json

import pytest

from pamong.audit.models import AuditEntry
from pamong.cases.models import Application
from pamong.cases.tests.test_views import counter_post, form_post

pytestmark = pytest.mark.django_db

APPLY = "/api/v1/applications"
COUNTER_API = "/api/v1/staff/counter/applications"
BAD_INCOMES = [1234.56, 0.5, "1..2", "rp. 5"]
PAGE_MESSAGE = (
    "Penghasilan keluarga per bulan (rupiah) harus jumlah rupiah bulat tanpa sen, mis. 2.000.000 "
    "(tanpa koma atau titik desimal)."
)


def nothing_written() -> tuple[int, int]:
    return Application.objects.count(), AuditEntry.objects.filter(
        action="cases.application_submitted"
    ).count()


def post_json(client, path, payload, **headers):
    return client.post(path, json.dumps(payload), content_type="application/json", **headers)


@pytest.mark.parametrize("income", BAD_INCOMES)
def test_a_bad_income_is_refused_in_the_api_naming_the_field(world, client_for, income):
    form = {**world.forms[world.niks.WARGA_NIK], "household_income": income}
    response = post_json(client_for(world.warga), APPLY, {"service": "bansos-pkh", "form": form})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "form_invalid"
    assert list(body["details"]) == ["household_income"]
    assert body["details"]["household_income"].startswith("Penghasilan keluarga per bulan (rupiah) harus ")
    assert nothing_written() == (0, 0)


@pytest.mark.parametrize("income", ["1234.56", "0.5", "1..2", "rp. 5"])
def test_a_bad_income_is_refused_on_the_web_form_naming_the_field(world, client_for, income):
    form = {**world.forms[world.niks.WARGA_NIK], "household_income": income}
    response = client_for(world.warga).post("/layanan/bansos-pkh/ajukan/", form_post(form))
    assert response.status_code == 422
    assert f'<a href="#f-household_income">{PAGE_MESSAGE}</a>' in response.content.decode()
    assert nothing_written() == (0, 0)


@pytest.mark.parametrize("income", ["1234.56", "0.5", "1..2", "rp. 5"])
def test_a_bad_income_is_refused_at_the_counter_page_naming_the_field(world, client_for, income):
    response = client_for(world.loket).post(
        "/loket/ajukan/bansos-pkh/", counter_post(world, **{"f-household_income": income})
    )
    assert response.status_code == 422
    assert PAGE_MESSAGE in response.content.decode()
    assert nothing_written() == (0, 0)


@pytest.mark.parametrize("income", BAD_INCOMES)
def test_a_bad_income_is_refused_by_the_counter_api_naming_the_field(world, client_for, income):
    payload = {
        "service": "bansos-pkh",
        "form": {**world.forms[world.niks.REFER_NIK], "household_income": income},
        "nik": "3273025203900009",
        "full_name": "Ratna Dewi",
        "consent_method": "tanda_tangan",
        "consent_statement": "Saya setuju.",
    }
    response = post_json(client_for(world.loket), COUNTER_API, payload)
    assert response.status_code == 422
    assert list(response.json()["details"]) == ["household_income"]
    assert nothing_written() == (0, 0)


def test_rp_grouped_on_the_web_form_is_two_million(world, client_for):
    form = {**world.forms[world.niks.WARGA_NIK], "household_income": "Rp2.000.000"}
    response = client_for(world.warga).post("/layanan/bansos-pkh/ajukan/", form_post(form))
    assert response.status_code == 302
    assert Application.objects.get().form_data["household_income"] == 2_000_000


def raw_apply(client, body: bytes | str, content_type="application/json", **headers):
    return client.post(APPLY, body, content_type=content_type, **headers)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"service": "bansos-pkh", "service": "sktm", "form": {}}', "duplicate_key"),
        ('{"service": "bansos-pkh", "form": {"household_income": NaN}}', "non_finite_number"),
        ('{"service": "bansos-pkh", "form": {"household_income": Infinity}}', "non_finite_number"),
        ('{"service": "bansos-pkh", "form": {"household_income": 1e999}}', "non_finite_number"),
        ('{"service": "bansos-pkh", "form": {}, "statement": "\\ud800"}', "lone_surrogate"),
        ('{"service": "bansos-pkh", "form": {}, "statement": "a\\u0000b"}', "control_character"),
        (b'{"service": "bansos-pkh", "form": {}, "statement": "\xff"}', "not_utf8"),
        ('{"service": ', "malformed"),
    ],
)
def test_json_that_is_not_strict_json_is_a_422_with_its_reason(world, client_for, body, reason):
    response = raw_apply(client_for(world.warga), body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_json"
    assert response.json()["details"]["reason"] == reason
    assert nothing_written() == (0, 0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("child_name", {"a": 1}, "Nama lengkap anak harus berupa teks."),
        ("child_name", True, "Nama lengkap anak harus berupa teks."),
        ("birth_date", "0001-01-01", "Tanggal lahir anak paling awal 1900-01-01."),
        (
            "birth_date",
            "2026-W01-1",
            "Tanggal lahir anak harus tanggal dengan format TTTT-BB-HH, mis. 2026-01-05.",
        ),
        (
            "birth_date",
            "20260101",
            "Tanggal lahir anak harus tanggal dengan format TTTT-BB-HH, mis. 2026-01-05.",
        ),
    ],
)
def test_garbage_in_form_fields_is_a_422_naming_the_field(world, client_for, field, value, message):
    response = post_json(
        client_for(world.warga), APPLY, {"service": "akta-kelahiran", "form": {field: value}}
    )
    assert response.status_code == 422
    assert response.json()["details"][field] == message


@pytest.mark.parametrize("key", ["        ", "short", "ключ-неASCII", "a" * 129, "with space inside"])
def test_an_idempotency_key_outside_visible_ascii_8_to_128_is_refused(world, client_for, key):
    form = world.forms[world.niks.WARGA_NIK]
    response = post_json(
        client_for(world.warga), APPLY, {"service": "bansos-pkh", "form": form}, HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert nothing_written() == (0, 0)


def test_a_uuid_idempotency_key_still_makes_retries_safe(world, client_for):
    client, form = client_for(world.warga), world.forms[world.niks.WARGA_NIK]
    key = "0b9f7a5e-4c1d-4e8a-9f3b-2a6c8d1e5f70"
    first = post_json(client, APPLY, {"service": "bansos-pkh", "form": form}, HTTP_IDEMPOTENCY_KEY=key)
    again = post_json(client, APPLY, {"service": "bansos-pkh", "form": form}, HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Application.objects.count() == 1


def test_a_body_over_the_limit_is_a_413_in_the_error_shape(world, client_for, settings):
    body = json.dumps(
        {"service": "bansos-pkh", "form": {}, "statement": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    )
    from django.test import Client

    for client in (client_for(world.warga), Client()):
        response = raw_apply(client, body)
        assert response.status_code == 413
        assert response.json() == {
            "code": "body_too_large",
            "message": "Isi permintaan terlalu besar; paling besar 2048 KB.",
            "details": {"limit_bytes": 2 * 1024 * 1024},
        }
    assert nothing_written() == (0, 0)


@pytest.mark.parametrize("debug", [False, True])
def test_a_multipart_body_at_a_json_operation_is_a_415_without_a_traceback(
    world, client_for, settings, debug
):
    settings.DEBUG = debug
    client = client_for(world.warga)
    response = client.post(APPLY, {"service": "bansos-pkh", "form": "{}"})  # the test client sends multipart
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert response.json()["details"]["expected"] == "application/json"
    response = raw_apply(client, "service=bansos-pkh", content_type="text/plain")
    assert response.status_code == 415
    assert b"Traceback" not in response.content
    assert nothing_written() == (0, 0)


def test_json_at_an_upload_operation_is_a_415(world, client_for):
    client = client_for(world.warga)
    application = post_json(
        client, APPLY, {"service": "bansos-pkh", "form": world.forms[world.niks.WARGA_NIK]}
    )
    response = post_json(client, f"{APPLY}/{application.json()['id']}/documents", {"file": "x"})
    assert response.status_code == 415
    assert response.json()["details"]["expected"] == "multipart/form-data"


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data"])
def test_an_anonymous_api_write_is_a_401_even_with_a_made_up_csrf_cookie(client, world, content_type):
    client.cookies["csrftoken"] = "made-up-token-made-up-token-1234"
    body = json.dumps({"service": "bansos-pkh", "form": {}})
    response = (
        client.post(APPLY, body, content_type=content_type)
        if content_type == "application/json"
        else client.post(APPLY, {"service": "bansos-pkh"})
    )
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "Silakan masuk terlebih dahulu."}


def test_a_signed_in_browser_without_the_csrf_token_is_still_refused(world, client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.warga)
    body = json.dumps({"service": "bansos-pkh", "form": world.forms[world.niks.WARGA_NIK]})
    response = browser.post(APPLY, body, content_type="application/json")
    assert response.status_code == 403
    assert nothing_written() == (0, 0)


@pytest.mark.parametrize("field", ["statement", "f-household_income", "f-declared_regency_code"])
def test_a_nul_in_a_page_form_is_a_400_and_nothing_is_stored(world, client_for, field):
    form = form_post(world.forms[world.niks.WARGA_NIK])
    form[field] = "3273\x00" if field != "statement" else "Mohon\x00 dibantu"
    response = client_for(world.warga).post("/layanan/bansos-pkh/ajukan/", form)
    assert response.status_code == 400
    assert "karakter kendali" in response.content.decode()
    assert nothing_written() == (0, 0)

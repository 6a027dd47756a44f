"""Rate limits: applying (web form and API) per account, public reads per address; 429 in the one JSON error
shape on the API and an Indonesian page on the web."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(settings):
    settings.PAMONG_RATE_LIMITS = {**settings.PAMONG_RATE_LIMITS, "apply": "2/h", "public": "3/m"}


def test_public_api_reads_are_limited_per_address(world, client, small_limits):
    statuses = [client.get("/api/v1/services").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    body = client.get("/api/v1/audit/tree-head").json()  # the same bucket: public reads from this address
    assert body == {
        "code": "too_many_requests",
        "message": "Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.",
    }
    assert client.get("/api/v1/services", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_applying_through_the_api_is_limited_per_account(world, client_for, small_limits):
    client = client_for(world.warga)
    world.bansos.repeat_allowed = True  # what is limited here is the rate, not the duplicate guard (issue 15)
    world.bansos.save(update_fields=["repeat_allowed"])
    body = json.dumps({"service": "bansos-pkh", "form": world.forms[world.niks.WARGA_NIK]})
    statuses = [
        client.post(
            "/api/v1/applications",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"apply-key-{i}",
        ).status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert client.get("/api/v1/applications").status_code == 200  # reading is not applying


def test_the_web_apply_form_is_limited_with_an_indonesian_page(world, client_for, small_limits):
    client = client_for(world.warga)
    statuses = [client.post("/layanan/bansos-pkh/ajukan/", {}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
    html = client.post("/layanan/bansos-pkh/ajukan/", {}).content.decode()
    assert "Terlalu banyak permintaan" in html and '<html lang="id">' in html
    assert client.get("/layanan/bansos-pkh/ajukan/").status_code == 200  # the form itself still opens


def test_the_openapi_document_declares_429(world, client):
    schema = client.get("/api/openapi.json").json()
    assert "429" in schema["paths"]["/api/v1/services"]["get"]["responses"]

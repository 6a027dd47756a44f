"""Catalog API: responses match the OpenAPI schema; errors use the one error shape."""

import pytest

from pamong.core.testing.openapi import assert_matches_schema

pytestmark = pytest.mark.django_db


def test_list_services_matches_schema(client, demo_catalog):
    response = client.get("/api/v1/services")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    assert [item["slug"] for item in body["items"]][:2] == ["akta-kelahiran", "akta-kematian"]
    assert_matches_schema("/api/v1/services", "get", 200, body)


def test_search_and_pagination(client, demo_catalog):
    body = client.get("/api/v1/services", {"q": "pembuatan akta kelahiran anak", "limit": 1}).json()
    assert [item["slug"] for item in body["items"]] == ["akta-kelahiran"]
    assert body["count"] >= 1
    page2 = client.get("/api/v1/services", {"limit": 2, "offset": 2}).json()
    assert [item["slug"] for item in page2["items"]] == ["bansos-pkh", "kartu-keluarga"]


def test_service_detail_matches_schema_and_has_all_14_components(client, demo_catalog):
    response = client.get("/api/v1/services/bansos-pkh")
    assert response.status_code == 200
    body = response.json()
    assert_matches_schema("/api/v1/services/{slug}", "get", 200, body)
    components = [
        "requirements",
        "procedure",
        "completion_days",
        "fee",
        "product",
        "complaint_handling",
        "legal_basis",
        "facilities",
        "staff_competence",
        "internal_supervision",
        "staff_count",
        "service_guarantee",
        "security_guarantee",
        "performance_evaluation",
    ]
    assert all(body[name] not in (None, "", []) or name == "fee" for name in components)
    assert body["impact_level"] == 3 and body["automated"] is True
    assert body["legal_basis"][2]["title"].startswith("Peraturan Menteri Sosial Nomor 1 Tahun 2018")


def test_unknown_service_is_a_404_with_the_error_shape(client, demo_catalog):
    response = client.get("/api/v1/services/tidak-ada")
    assert response.status_code == 404
    assert response.json() == {"code": "service_not_found", "message": "Layanan 'tidak-ada' tidak ditemukan."}
    assert_matches_schema("/api/v1/services/{slug}", "get", 404, response.json())


def test_bad_pagination_input_is_a_422_not_a_500(client, demo_catalog):
    response = client.get("/api/v1/services", {"limit": "banyak"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/services/{slug}" in document["paths"]

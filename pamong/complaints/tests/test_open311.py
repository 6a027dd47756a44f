"""An Open311 GeoReport v2 client: list services, POST a request with an API key (a client-credentials token),
get it by id and by token, list with status and date filters; field names as the spec gives them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pamong.complaints import services
from pamong.complaints.models import Complaint

from .conftest import photo_with_metadata, report, token_for

AT_CIHAPIT = {"service_code": "bansos-pkh", "lat": "-6.9147", "long": "107.6098"}
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def test_the_open311_client_flow(client, world, api_key):
    services_json = client.get("/open311/v2/services.json").json()
    assert set(services_json[0]) == SERVICE_FIELDS
    assert "bansos-pkh" in [s["service_code"] for s in services_json]
    definition = client.get("/open311/v2/services/bansos-pkh.json").json()
    assert definition["service_code"] == "bansos-pkh"
    assert all(set(attribute) >= ATTRIBUTE_FIELDS for attribute in definition["attributes"])

    posted = client.post(
        "/open311/v2/requests.json",
        {
            **AT_CIHAPIT,
            "api_key": api_key,
            "address_string": "Jl. Cihapit No. 5, Bandung",
            "description": "Petugas pendamping PKH tidak pernah datang ke RW kami selama enam bulan terakhir.",
            "email": "warga@contoh.id",
            "attribute[kind]": "pengaduan",
        },
    )
    assert posted.status_code == 201, posted.content
    (created,) = posted.json()
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    complaint = Complaint.objects.get(reference=created["service_request_id"])
    assert complaint.channel == "open311" and complaint.contact == "warga@contoh.id"

    (by_id,) = client.get(f"/open311/v2/requests/{created['service_request_id']}.json").json()
    assert set(by_id) == REQUEST_FIELDS
    assert by_id["status"] == "open" and by_id["lat"] == -6.9147 and by_id["service_code"] == "bansos-pkh"
    assert "warga@contoh.id" not in str(by_id)
    assert client.get(f"/open311/v2/tokens/{created['token']}.json").json() == [
        {"service_request_id": created["service_request_id"], "token": created["token"]}
    ]

    closed = services.submit_complaint(report(world), actor=world.warga, reporter=world.warga)
    Complaint.objects.filter(pk=closed.pk).update(status="closed")
    old = services.submit_complaint(
        report(world),
        actor=world.warga,
        reporter=world.warga,
        now=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
    )

    def ids(query: str) -> set[str]:
        answer = client.get(f"/open311/v2/requests.json{query}")
        assert answer.status_code == 200, answer.content
        return {r["service_request_id"] for r in answer.json()}

    assert ids("") == {created["service_request_id"], closed.reference}  # the last 90 days by default
    assert ids("?status=open") == {created["service_request_id"]}
    assert ids("?status=closed") == {closed.reference}
    assert ids("?start_date=2026-01-01T00:00:00Z&end_date=2026-01-31T00:00:00Z") == {old.reference}
    assert ids(f"?service_request_id={old.reference},{closed.reference}") == {old.reference, closed.reference}
    assert ids("?service_code=sktm") == set()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"service_code": "bansos-pkh"}, 403),  # no api_key
        ({"service_code": "bansos-pkh", "api_key": "salah"}, 403),
        ({"service_code": "tidak-ada", "key": True, "lat": "1", "long": "1"}, 404),
        (
            {
                "service_code": "bansos-pkh",
                "key": True,
                "description": "Jalan rusak parah di depan sekolah dasar.",
            },
            400,
        ),
        ({"service_code": "bansos-pkh", "key": True, "lat": "x", "long": "1"}, 400),
        ({"service_code": "bansos-pkh", "key": True, "lat": "1", "long": "1", "description": "pendek"}, 400),
    ],
)
def test_errors_have_the_spec_shape(client, world, api_key, data, status):
    if data.pop("key", False):
        data["api_key"] = api_key
    answer = client.post("/open311/v2/requests.json", data)
    assert answer.status_code == status
    (error,) = answer.json()
    assert set(error) == {"code", "description"} and error["code"] == status
    assert Complaint.objects.count() == 0


def test_a_token_without_the_scope_is_refused(client, world):
    token = token_for(client, world, ["applications:read"])
    answer = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": token,
            "service_code": "bansos-pkh",
            "lat": "1",
            "long": "1",
            "description": "Jalan rusak parah di depan sekolah dasar.",
        },
    )
    assert answer.status_code == 403


def test_unknown_ids_and_bad_filters(client, world):
    assert client.get("/open311/v2/services/tidak-ada.json").status_code == 404
    assert client.get("/open311/v2/requests/ADU-0.json").json()[0]["code"] == 404
    assert client.get("/open311/v2/tokens/abc.json").status_code == 404
    assert client.get("/open311/v2/requests.json?status=pending").status_code == 400
    assert client.get("/open311/v2/requests.json?start_date=kemarin").status_code == 400


def test_open311_takes_the_photo_itself_as_multipart_media_without_its_metadata(client, world, api_key):
    posted = client.post(
        "/open311/v2/requests.json",
        {
            **AT_CIHAPIT,
            "api_key": api_key,
            "description": "Tumpukan sampah menutup saluran air di depan balai warga sejak pekan lalu.",
            "attribute[privacy]": "anonim",
            "media": SimpleUploadedFile("IMG_ratna.jpg", photo_with_metadata("Ratna Kusumawati")),
        },
    )
    assert posted.status_code == 201, posted.content
    complaint = Complaint.objects.get(reference=posted.json()[0]["service_request_id"])
    content = complaint.photos.get().read_content()
    assert b"Ratna" not in content and b"Exif" not in content
    (public,) = client.get(f"/open311/v2/requests/{complaint.reference}.json").json()
    assert public["media_url"] == "" and public["lat"] == -6.915  # anonymous: place rounded, no link
    refused = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "bansos-pkh",
            "address_string": "Jl. Cihapit 5",
            "description": "Tumpukan sampah menutup saluran air di depan balai warga sejak pekan lalu.",
            "media": SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>" * 30),
        },
    )
    assert refused.status_code == 400 and "JPEG" in refused.json()[0]["description"]
    assert Complaint.objects.count() == 1


def test_open311_speaks_the_requests_language(client, world, api_key):
    """Indonesian by default, English when the client asks for it in Accept-Language (ADR 51): errors, the
    service list and definition, and a request's notes."""
    complaint = services.submit_complaint(report(world), actor=world.warga, reporter=world.warga)
    said = {}
    for language in ("", "en"):
        headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        said[language or "id"] = {
            "error": client.get("/open311/v2/requests.json?status=pending", **headers).json()[0][
                "description"
            ],
            "no_key": client.post(
                "/open311/v2/requests.json", {"service_code": "bansos-pkh"}, **headers
            ).json(),
            "service": next(
                s
                for s in client.get("/open311/v2/services.json", **headers).json()
                if s["service_code"] == "bansos-pkh"
            ),
            "attributes": client.get("/open311/v2/services/bansos-pkh.json", **headers).json()["attributes"],
            "request": client.get(f"/open311/v2/requests/{complaint.reference}.json", **headers).json()[0],
        }
    indonesian, english = said["id"], said["en"]
    assert indonesian["error"] == "status hanya open atau closed."
    assert english["error"] == "status is only open or closed."
    assert indonesian["no_key"][0]["description"].startswith("api_key tidak sah")
    assert english["no_key"][0]["description"].startswith("The api_key is invalid")
    assert indonesian["service"]["service_name"] == world.bansos.name
    assert english["service"]["service_name"] == world.bansos.name_en != world.bansos.name
    assert english["service"]["description"] == world.bansos.summary_en
    assert indonesian["attributes"][0]["description"] == "Judul laporan (ditampilkan di daftar publik)"
    assert english["attributes"][0]["description"] == "Title of the report (shown in the public list)"
    assert indonesian["request"]["status_notes"] == "Laporan diterima, menunggu verifikasi."
    assert english["request"]["status_notes"] == "Report received, awaiting verification."
    assert indonesian["request"]["service_notice"].startswith("Dijawab paling lambat ")
    assert english["request"]["service_notice"].startswith("Answered by ")

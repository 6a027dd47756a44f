"""/api/v1/complaints (a citizen, session) and /api/v1/integrations/complaints (a machine client, bearer token with
complaints:submit): file a report, read its status and answer, list their own, add a photo; errors carry a code
and a human message."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pamong.complaints import services
from pamong.complaints.models import Complaint

from .conftest import photo_with_metadata, token_for

REPORT = {
    "service": "bansos-pkh",
    "title": "Bantuan PKH tidak cair tiga bulan",
    "description": "Sudah tiga bulan bantuan PKH keluarga kami tidak cair, padahal status masih aktif di DTKS.",
    "region_code": "32.73.01.1001",
}
ANSWER = (
    "Data keluarga Bapak sudah kami periksa bersama pendamping PKH; pencairan tertunda karena rekening "
    "belum aktif, dan bank sudah mengaktifkannya kemarin."
)


def answer_it(complaint, world) -> None:
    services.verify_complaint(complaint, actor=world.petugas, urgency="ringan")
    services.forward_complaint(complaint, actor=world.petugas, officer=world.petugas)
    services.start_complaint(complaint, actor=world.petugas, note="Kami periksa data rekening keluarga.")
    services.answer_complaint(complaint, actor=world.petugas, answer=ANSWER)


def post_json(client, path: str, body: dict, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_a_citizen_files_reads_and_lists_and_sees_the_answer(client, world):
    client.force_login(world.warga)
    created = post_json(client, "/api/v1/complaints", {**REPORT, "privacy": "anonim"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["status"] == "received" and body["privacy"] == "anonim" and body["reference"].startswith("ADU-")
    )
    complaint = Complaint.objects.get(reference=body["reference"])
    assert complaint.channel == "api" and complaint.reporter_id is None  # anonymous: only the blind index
    listed = client.get("/api/v1/complaints").json()
    assert [c["reference"] for c in listed["items"]] == [body["reference"]] and listed["count"] == 1

    answer_it(complaint, world)
    read = client.get(f"/api/v1/complaints/{body['reference']}").json()
    assert read["status"] == "answered" and read["answer"] == ANSWER and read["reopen_until"]
    assert "warga" not in json.dumps(read)  # nothing names the reporter, not even to themselves here

    client.force_login(world.denied)  # another citizen: not theirs, the same 404 as a missing one
    for path in (f"/api/v1/complaints/{body['reference']}", "/api/v1/complaints/ADU-TIDAK-ADA"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json()["code"] == "complaint_not_found"
    assert client.get("/api/v1/complaints").json()["count"] == 0


CLIENT_PATH = "/api/v1/integrations/complaints"


def test_a_machine_client_files_and_reads_only_its_own(client, world, api_key):
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {api_key}"}
    created = post_json(
        client,
        CLIENT_PATH,
        {**REPORT, "contact": "Ibu Sari 0812 3456 7890", "kind": "aspirasi"},
        **bearer,
    )
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.filed_by_client.startswith("client:") and complaint.contact.startswith("Ibu Sari")
    assert "0812" not in created.content.decode()  # contact is never echoed
    assert client.get(f"{CLIENT_PATH}/{reference}", **bearer).json()["kind"] == "aspirasi"
    assert [c["reference"] for c in client.get(CLIENT_PATH, **bearer).json()["items"]] == [reference]
    assert client.get("/api/v1/complaints", **bearer).status_code == 401  # the citizens' path takes a session
    # the same reference is Open311's service_request_id
    assert client.get(f"/open311/v2/requests/{reference}.json").json()[0]["service_request_id"] == reference
    photo = client.post(
        f"{CLIENT_PATH}/{reference}/photos",
        {"file": SimpleUploadedFile("a.jpg", photo_with_metadata("Sari"))},
        **bearer,
    )
    assert photo.status_code == 201, photo.content
    assert (
        photo.json()["content_type"] == "image/jpeg" and b"Sari" not in complaint.photos.get().read_content()
    )

    other = token_for(client, world, ["complaints:submit"])  # another client sees none of them
    answer = client.get(f"{CLIENT_PATH}/{reference}", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert answer.status_code == 404
    mine = services.submit_complaint(
        services.Report(service=world.bansos, title=REPORT["title"], description=REPORT["description"]),
        actor=world.warga,
        reporter=world.warga,
    )
    assert client.get(f"{CLIENT_PATH}/{mine.reference}", **bearer).status_code == 404


@pytest.mark.parametrize(
    ("path", "auth", "status", "code"),
    [
        ("/api/v1/complaints", None, 401, "unauthenticated"),
        (CLIENT_PATH, None, 401, "unauthenticated"),
        (CLIENT_PATH, "Bearer salah", 401, "unauthenticated"),
        (CLIENT_PATH, "scope", 403, "insufficient_scope"),
    ],
)
def test_who_may_not_file(client, world, path, auth, status, code):
    headers = {}
    if auth == "scope":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token_for(client, world, ['applications:read'])}"
    elif auth:
        headers["HTTP_AUTHORIZATION"] = auth
    answer = post_json(client, path, REPORT, **headers)
    assert answer.status_code == status and answer.json()["code"] == code and answer.json()["message"]
    assert not Complaint.objects.exists()


def test_staff_file_at_the_counter_not_here(client, world):
    client.force_login(world.petugas)
    assert post_json(client, "/api/v1/complaints", REPORT).status_code == 404


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"description": "pendek"}, 422, "complaint_invalid", "description"),
        ({"service": "tidak-ada"}, 422, "service_not_found", None),
        ({"latitude": 200}, 422, "invalid_input", None),
        ({"latitude": -6.9}, 422, "complaint_invalid", "location"),
        (
            {"privacy": "anonim", "media_url": "https://contoh.id/foto.jpg"},
            422,
            "complaint_invalid",
            "media_url",
        ),
        ({"application": "PKH-TIDAK-ADA"}, 422, "application_not_found", None),
        ({"kind": "gosip"}, 422, "invalid_input", None),
    ],
)
def test_bad_reports_get_a_code_and_a_message(client, world, change, status, code, field):
    client.force_login(world.warga)
    answer = post_json(client, "/api/v1/complaints", {**REPORT, **change})
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert body["code"] == code and body["message"]
    if field:
        assert field in body["details"]
    assert not Complaint.objects.exists()


def test_photos_by_the_api_are_checked_and_close_with_the_report(client, world):
    client.force_login(world.warga)
    reference = post_json(client, "/api/v1/complaints", REPORT).json()["reference"]
    path = f"/api/v1/complaints/{reference}/photos"
    bad = client.post(path, {"file": SimpleUploadedFile("a.jpg", b"%PDF-1.4\n" + b"x" * 400)})
    assert bad.status_code == 422 and bad.json()["code"] == "photo_type_not_allowed"
    assert (
        client.post(path, {"file": SimpleUploadedFile("a.png", photo_with_metadata("W"))}).status_code == 201
    )
    complaint = Complaint.objects.get(reference=reference)
    answer_it(complaint, world)
    late = client.post(path, {"file": SimpleUploadedFile("b.jpg", photo_with_metadata("W"))})
    assert late.status_code == 409 and late.json()["code"] == "complaint_not_open"
    client.force_login(world.denied)
    other = client.post(path, {"file": SimpleUploadedFile("b.jpg", photo_with_metadata("W"))})
    assert other.status_code == 404


def test_the_complaints_operations_are_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/complaints"])
    assert "get" in paths["/api/v1/complaints/{reference}"]
    assert "post" in paths["/api/v1/complaints/{reference}/photos"]
    for path, scheme in (("/api/v1/complaints", "StrictSessionAuth"), (CLIENT_PATH, "ComplaintsClientToken")):
        post = paths[path]["post"]
        assert {"201", "401", "403", "422"} <= {str(code) for code in post["responses"]}
        assert post["security"] == [{scheme: []}]
    assert {"get"} <= set(paths[f"{CLIENT_PATH}/{{reference}}"]) and "post" in paths[
        f"{CLIENT_PATH}/{{reference}}/photos"
    ]

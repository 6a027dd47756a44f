"""Documents: size and type checked by content; only the applicant attaches; only those who may read download."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pamong.audit.models import AuditEntry
from pamong.cases.models import Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 400


@pytest.fixture
def application(world, client_for):
    body = (
        client_for(world.refer)
        .post(
            "/api/v1/applications",
            json.dumps({"service": "bansos-pkh", "form": world.forms[world.niks.REFER_NIK]}),
            content_type="application/json",
        )
        .json()
    )
    return body["id"]


def upload(client, application_id, name: str, content: bytes, content_type: str = "application/pdf"):
    return client.post(
        f"/api/v1/applications/{application_id}/documents",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_the_applicant_attaches_a_pdf_and_staff_can_download_it(world, client_for, application):
    response = upload(client_for(world.refer), application, "surat domisili.pdf", PDF)
    assert response.status_code == 201
    body = response.json()
    assert (body["original_name"], body["content_type"], body["size"]) == (
        "surat domisili.pdf",
        "application/pdf",
        len(PDF),
    )
    assert AuditEntry.objects.filter(action="cases.document_attached").count() == 1
    download = client_for(world.petugas).get(
        f"/api/v1/applications/{application}/documents/{body['id']}/file"
    )
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"


def test_a_stored_file_is_encrypted_at_rest_and_tampering_is_detected(world, client_for, application):
    from pamong.core.crypto import FILE_MAGIC, DecryptionFailed

    body = upload(client_for(world.refer), application, "kk.pdf", PDF).json()
    attachment = Attachment.objects.get(pk=body["id"])
    with attachment.file.open("rb") as stored:
        on_disk = stored.read()
    assert on_disk.startswith(FILE_MAGIC + b"v1:dev\n")
    assert b"%PDF" not in on_disk and b"/Catalog" not in on_disk
    assert attachment.read_content() == PDF
    tampered = on_disk[:-1] + bytes([on_disk[-1] ^ 1])
    with attachment.file.open("wb") as stored:
        stored.write(tampered)
    with pytest.raises(DecryptionFailed):
        attachment.read_content()


def test_type_is_checked_by_content_not_by_name(world, client_for, application):
    disguised = b"MZ\x90\x00" + b"\x00" * 400  # a Windows executable named like a PDF
    response = upload(client_for(world.refer), application, "ktp.pdf", disguised)
    assert response.status_code == 422
    assert response.json()["code"] == "upload_type_not_allowed"
    assert Attachment.objects.count() == 0
    renamed_png = upload(client_for(world.refer), application, "foto.pdf", PNG)
    assert renamed_png.json()["content_type"] == "image/png"


def test_too_large_files_are_refused(world, client_for, application, settings):
    settings.PAMONG_UPLOAD_MAX_BYTES = 300
    response = upload(client_for(world.refer), application, "besar.pdf", PDF)
    assert response.status_code == 422
    assert response.json()["code"] == "upload_too_large"
    assert Attachment.objects.count() == 0


def test_others_can_neither_attach_nor_download(world, client_for, application):
    attachment = upload(client_for(world.refer), application, "kk.pdf", PDF).json()
    stranger = client_for(world.warga)
    assert upload(stranger, application, "x.pdf", PDF).status_code == 404
    path = f"/api/v1/applications/{application}/documents/{attachment['id']}/file"
    assert stranger.get(path).status_code == 404
    assert client_for(world.dukcapil_officer).get(path).status_code == 404
    assert Attachment.objects.count() == 1

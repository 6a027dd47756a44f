"""The document vault (once-only): a KK uploaded once is offered on the next application and not asked again;
another agency reads it only with the citizen's recorded consent; uploads are checked by content."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pamong.audit.models import AuditEntry
from pamong.cases.models import Application, Attachment
from pamong.documents.models import VaultConsent, VaultDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 400


def upload(client, doc_type: str, name: str, content: bytes):
    return client.post(
        "/akun/dokumen/",
        {"action": "upload", "doc_type": doc_type, "file": SimpleUploadedFile(name, content)},
    )


def apply_page(client) -> str:
    return client.get("/layanan/bansos-pkh/ajukan/").content.decode()


def test_a_kk_uploaded_once_is_offered_on_the_next_application_and_not_asked_again(world, client_for):
    citizen = client_for(world.refer)
    before = apply_page(citizen)
    assert 'data-type="kk"' in before and 'data-type="ktp"' in before  # the service asks for both
    assert upload(citizen, "kk", "kk-asep.pdf", PDF).status_code == 302
    kk = VaultDocument.objects.get(owner=world.refer)
    assert (kk.doc_type, kk.content_type, kk.size) == ("kk", "application/pdf", len(PDF))
    assert not kk.file.open("rb").read().startswith(b"%PDF")  # encrypted at rest
    assert AuditEntry.objects.filter(action="documents.vault_document_uploaded").count() == 1

    page = apply_page(citizen)
    assert 'data-type="kk"' not in page  # not asked again
    assert f'name="vault_document" value="{kk.pk}" checked' in page  # offered, attached by choosing it
    assert 'data-type="ktp"' in page  # what the vault does not hold is still asked

    form = {f"f-{name}": value for name, value in world.forms[world.niks.REFER_NIK].items()}
    form = {k: ("ya" if v is True else "tidak" if v is False else v) for k, v in form.items()}
    response = citizen.post(
        "/layanan/bansos-pkh/ajukan/",
        {**form, "idempotency_key": "vault-test-1", "vault_document": [str(kk.pk)]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(applicant=world.refer)
    attachment = Attachment.objects.get(application=application)
    assert (attachment.original_name, attachment.sha256) == ("kk-asep.pdf", kk.sha256)
    assert f'value="{kk.pk}" checked' in apply_page(citizen)  # and again on the application after


def test_uploads_are_checked_by_content_with_indonesian_errors(world, client_for):
    citizen = client_for(world.warga)
    text = upload(citizen, "kk", "kk.pdf", b"bukan pdf " * 100)
    assert text.status_code == 422
    assert "Jenis berkas tidak diterima" in text.content.decode()
    no_type = upload(citizen, "", "kk.pdf", PDF)
    assert no_type.status_code == 422 and "Pilih jenis dokumen" in no_type.content.decode()
    no_file = citizen.post("/akun/dokumen/", {"action": "upload", "doc_type": "kk"})
    assert no_file.status_code == 422 and "Pilih berkas" in no_file.content.decode()
    assert upload(citizen, "ktp", "ktp.png", PNG).status_code == 302
    assert list(VaultDocument.objects.values_list("doc_type", "content_type")) == [("ktp", "image/png")]


def test_another_agency_reads_a_document_only_with_recorded_consent(world, client_for):
    assert upload(client_for(world.warga), "kk", "kk.pdf", PDF).status_code == 302
    kk = VaultDocument.objects.get(owner=world.warga)
    path = f"/dokumen/{kk.pk}/berkas/"
    assert client_for(world.dukcapil_officer).get(path).status_code == 404
    assert client_for(world.denied).get(path).status_code == 404  # another citizen
    owner = client_for(world.warga)
    assert owner.get(path).content == PDF
    owner.post("/akun/dokumen/", {"action": "consent", "agency": "disdukcapil-kota-bandung"})
    assert VaultConsent.objects.filter(owner=world.warga, withdrawn_at__isnull=True).count() == 1
    officer = client_for(world.dukcapil_officer)
    read = officer.get(path)
    assert (read.status_code, read.content) == (200, PDF)
    assert client_for(world.petugas).get(path).status_code == 404  # consent is per agency
    client_for(world.warga).post(
        "/akun/dokumen/", {"action": "withdraw", "agency": "disdukcapil-kota-bandung"}
    )
    assert client_for(world.dukcapil_officer).get(path).status_code == 404
    actions = list(
        AuditEntry.objects.filter(action__startswith="documents.vault_consent").values_list(
            "action", flat=True
        )
    )
    assert actions == ["documents.vault_consent_given", "documents.vault_consent_withdrawn"]


def test_the_owner_deletes_a_document(world, client_for):
    citizen = client_for(world.warga)
    upload(citizen, "kk", "kk.pdf", PDF)
    kk = VaultDocument.objects.get(owner=world.warga)
    assert (
        client_for(world.denied).post("/akun/dokumen/", {"action": "delete", "document": kk.pk}).status_code
        == 404
    )
    assert VaultDocument.objects.filter(pk=kk.pk).exists()
    assert (
        client_for(world.warga).post("/akun/dokumen/", {"action": "delete", "document": kk.pk}).status_code
        == 302
    )
    assert not VaultDocument.objects.filter(pk=kk.pk).exists()

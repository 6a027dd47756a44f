"""Counter uploads through the vault (issue 14, point 6): a counter officer of any agency serving a citizen
attaches documents from the citizen's vault, or scans a paper document into it, only with the citizen's recorded
consent; every read is in the citizen's access log. cases reaches the vault only through its port."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import AccessLog
from pamong.audit.models import AuditEntry
from pamong.cases.models import Application, Attachment
from pamong.catalog.models import Agency
from pamong.documents.models import VaultDocument

from .conftest import apply_pkh

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 400
CONSENT = {"consent_method": "tanda_tangan", "consent_statement": "Saya setuju dokumen saya dilampirkan."}


@pytest.fixture
def referred(world, client_for) -> Application:
    """Asep's Bansos PKH application, referred to an officer: open for documents."""
    application = Application.objects.get(
        pk=apply_pkh(client_for(world.refer), world, world.niks.REFER_NIK)["id"]
    )
    assert application.status == Application.Status.UNDER_REVIEW
    return application


@pytest.fixture
def mpp(world):
    """A counter officer of another agency (the public service mall's Disdukcapil desk)."""
    return accounts.create_account(
        actor="system:test",
        username="loket-mpp",
        password="x" * 14,
        role=roles.PETUGAS_LOKET,
        agency=Agency.objects.get(slug="disdukcapil-kota-bandung"),
        full_name="Dewi Lestari",
    )


def found(client, world, application):
    return {"reference": application.reference, "nik": world.niks.REFER_NIK}


def test_a_counter_attaches_a_kk_from_the_citizens_vault_only_with_consent(world, client_for, referred, mpp):
    citizen = client_for(world.refer)
    citizen.post(
        "/akun/dokumen/", {"action": "upload", "doc_type": "kk", "file": SimpleUploadedFile("kk.pdf", PDF)}
    )
    kk = VaultDocument.objects.get(owner=world.refer)
    officer = client_for(mpp)
    page = officer.post("/loket/cari/", found(officer, world, referred)).content.decode()
    assert "Dokumen untuk permohonan" in page  # the section, in Indonesian
    assert f'name="vault_document" value="{kk.pk}"' in page and "kk.pdf" not in page  # types, not file names
    reads_before = AccessLog.objects.filter(citizen=world.refer, what__startswith="dokumen pribadi").count()

    no_consent = officer.post(
        "/loket/cari/dokumen/",
        {**found(officer, world, referred), "action": "vault_attach", "vault_document": [str(kk.pk)]},
    )
    assert no_consent.status_code == 422
    assert "Catat persetujuan warga" in no_consent.content.decode()
    assert not Attachment.objects.filter(application=referred).exists()
    assert (
        AccessLog.objects.filter(citizen=world.refer, what__startswith="dokumen pribadi").count()
        == reads_before
    )

    done = officer.post(
        "/loket/cari/dokumen/",
        {
            **found(officer, world, referred),
            "action": "vault_attach",
            "vault_document": [str(kk.pk)],
            **CONSENT,
        },
    )
    assert done.status_code == 200
    attachment = Attachment.objects.get(application=referred)
    assert (attachment.sha256, attachment.uploaded_by_id) == (kk.sha256, mpp.pk)
    entry = AuditEntry.objects.get(action="cases.document_attached")
    assert entry.data["on_behalf"]["method"] == "tanda_tangan"
    log = AccessLog.objects.get(citizen=world.refer, actor=mpp, what="dokumen pribadi: Kartu Keluarga (KK)")
    assert "persetujuan warga" in log.why
    # The citizen sees it in their access log page.
    assert "Dewi Lestari" in citizen.get("/akun/").content.decode()


def test_a_counter_scans_a_paper_document_into_the_vault_and_the_case(world, client_for, referred, mpp):
    officer = client_for(mpp)
    form = {**found(officer, world, referred), "action": "vault_scan", "doc_type": "ktp", **CONSENT}
    refused = officer.post(
        "/loket/cari/dokumen/", {**form, "file": SimpleUploadedFile("ktp.jpg", b"teks " * 90)}
    )
    assert refused.status_code == 422
    assert not VaultDocument.objects.exists()  # a refused upload keeps nothing

    scanned = officer.post("/loket/cari/dokumen/", {**form, "file": SimpleUploadedFile("ktp.jpg", JPEG)})
    assert scanned.status_code == 200, scanned.content.decode()[:1500]
    kept = VaultDocument.objects.get(owner=world.refer)
    assert (kept.doc_type, kept.content_type, kept.uploaded_by_id) == ("ktp", "image/jpeg", mpp.pk)
    attachment = Attachment.objects.get(application=referred)
    assert attachment.sha256 == kept.sha256
    assert AccessLog.objects.filter(citizen=world.refer, actor=mpp, what="dokumen pribadi: KTP-el").exists()
    # Once-only: the citizen's next form offers the scanned KTP instead of asking for it.
    page = client_for(world.refer).get("/layanan/bansos-pkh/ajukan/").content.decode()
    assert 'data-type="ktp"' not in page and f'value="{kept.pk}" checked' in page


def test_a_scan_without_consent_stores_nothing(world, client_for, referred, mpp):
    officer = client_for(mpp)
    response = officer.post(
        "/loket/cari/dokumen/",
        {
            **found(officer, world, referred),
            "action": "vault_scan",
            "doc_type": "ktp",
            "file": SimpleUploadedFile("ktp.jpg", JPEG),
        },
    )
    assert response.status_code == 422
    assert not VaultDocument.objects.exists() and not Attachment.objects.exists()


def test_a_citizen_cannot_use_the_counter_form(world, client_for, referred):
    citizen = client_for(world.refer)
    response = citizen.post(
        "/loket/cari/dokumen/", {**found(citizen, world, referred), "action": "vault_attach", **CONSENT}
    )
    assert response.status_code == 404

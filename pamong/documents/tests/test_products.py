"""Service products from packs: issued on grant without a click for automated services, with one officer's click
otherwise; signed and verifiable like a letter."""

from __future__ import annotations

import shutil

import pytest
from django.test import Client

from pamong.audit.models import AuditEntry
from pamong.catalog.models import Service
from pamong.documents import rendering, services, signing
from pamong.documents.models import Letter

from .conftest import APPLY, post

pytestmark = pytest.mark.django_db

SKTM_GRANT = {
    "purpose": "pendidikan",
    "household_size": 4,
    "household_income": 800_000,
    "has_rt_rw_letter": True,
}


def test_an_automated_service_issues_its_product_on_grant(world, client_for, run_jobs):
    with run_jobs():
        body = post(client_for(world.warga), APPLY, {"service": "sktm", "form": SKTM_GRANT}).json()
    assert body["status"] == "granted", body
    product = Letter.objects.get(application_id=body["id"], document="product")
    letter = Letter.objects.get(application_id=body["id"], document="letter")
    assert (product.kind, product.status, letter.status) == ("product", "valid", "valid")
    assert product.decision_id == letter.decision_id and product.code != letter.code
    html = rendering.render_html(
        services.letter_context(product, number=product.number, issued_at=product.issued_at),
        template="documents/product.html",
    )
    assert "Surat Keterangan Tidak Mampu" in html and "Siti Nurhaliza" in html and "4 orang" in html
    pdf = client_for(world.warga).get(f"/permohonan/{body['id']}/produk/")
    assert pdf.status_code == 200 and signing.validate(pdf.content).ok
    assert "/produk/" in client_for(world.warga).get(f"/permohonan/{body['id']}/").content.decode()
    page = Client().get(f"/v/{product.code}").content.decode()
    assert "SAH" in page and "Produk layanan" in page
    issued = AuditEntry.objects.get(index=product.audit_index)
    assert issued.data["document"] == "product"


@pytest.fixture
def bansos_by_people(world, tmp_path, settings):
    """Bansos PKH decided by people (not automated) with a product document in its pack."""
    packs = tmp_path / "packs"
    shutil.copytree(settings.PACKS_DIR / "bansos-pkh", packs / "bansos-pkh")
    (packs / "bansos-pkh" / "product.id.html").write_text(
        "<h1>Kartu Peserta PKH</h1><p>Nama: {{ citizen_name }} · NIK {{ masked_nik }}</p>", encoding="utf-8"
    )
    settings.PACKS_DIR = packs
    Service.objects.filter(slug="bansos-pkh").update(automated=False)


def test_an_officer_issues_the_product_with_one_click(world, client_for, run_jobs, bansos_by_people):
    body = post(
        client_for(world.refer), APPLY, {"service": "bansos-pkh", "form": world.forms[world.niks.REFER_NIK]}
    ).json()
    officer = client_for(world.petugas)
    post(officer, f"/api/v1/staff/applications/{body['id']}/claim", {})
    with run_jobs():
        post(
            officer,
            f"/api/v1/staff/applications/{body['id']}/decide",
            {
                "outcome": "GRANT",
                "reasons": "KK sudah dimutakhirkan ke Kota Bandung.",
                "legal_basis": "Permensos 1/2018",
            },
        )
    assert not Letter.objects.filter(application_id=body["id"], document="product").exists()  # not automatic
    case = officer.get(f"/petugas/permohonan/{body['id']}/").content.decode()
    assert f'action="/petugas/permohonan/{body["id"]}/produk/"' in case
    # A citizen cannot click it; an officer of another agency gets the same 404 as a missing case.
    assert client_for(world.refer).post(f"/petugas/permohonan/{body['id']}/produk/").status_code == 404
    assert (
        client_for(world.dukcapil_officer).post(f"/petugas/permohonan/{body['id']}/produk/").status_code
        == 404
    )
    with run_jobs():
        clicked = client_for(world.petugas).post(f"/petugas/permohonan/{body['id']}/produk/")
    assert clicked.status_code == 302
    product = Letter.objects.get(application_id=body["id"], document="product")
    assert product.status == "valid" and signing.validate(product.read_content()).ok
    assert AuditEntry.objects.get(action="documents.product_requested").actor == f"user:{world.petugas.pk}"
    with run_jobs():  # a second click issues nothing new
        client_for(world.petugas).post(f"/petugas/permohonan/{body['id']}/produk/")
    assert Letter.objects.filter(application_id=body["id"], document="product").count() == 1


def test_a_refused_application_gets_no_product(world, client_for, bansos_by_people):
    body = post(
        client_for(world.refer), APPLY, {"service": "bansos-pkh", "form": world.forms[world.niks.REFER_NIK]}
    ).json()
    officer = client_for(world.petugas)
    post(officer, f"/api/v1/staff/applications/{body['id']}/claim", {})
    post(
        officer,
        f"/api/v1/staff/applications/{body['id']}/decide",
        {"outcome": "DENY", "reasons": "KK di luar wilayah.", "legal_basis": "Permensos 1/2018"},
    )
    response = client_for(world.petugas).post(f"/petugas/permohonan/{body['id']}/produk/", follow=True)
    assert "hanya terbit untuk permohonan yang dikabulkan" in response.content.decode()
    assert not Letter.objects.filter(document="product").exists()

"""Agency scoping and ownership: an officer of another agency, or another citizen, gets exactly the answer a
missing object gets (404), and nothing changes: no status, no decision, no audit entry, no access-log row."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pamong.accounts.models import AccessLog
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Application, Decision, Objection

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400


@pytest.fixture
def dinsos_case(world):
    """Bambang's application at Dinas Sosial: a proposed refusal waiting for an officer, with a document."""
    application, _ = cases.submit_application(
        actor=world.denied,
        service=world.bansos,
        applicant=world.denied,
        form=dict(world.forms[world.niks.DENIED_NIK]),
    )
    cases.attach_document(
        application, actor=world.denied, uploaded=SimpleUploadedFile("kk.pdf", PDF, "application/pdf")
    )
    return application


def _snapshot(application: Application) -> tuple:
    application.refresh_from_db()
    return (
        application.status,
        application.assigned_to_id,
        Decision.objects.count(),
        Objection.objects.count(),
        AuditEntry.objects.count(),
        AccessLog.objects.count(),
    )


def staff_requests(application_id: str, objection_id: int) -> list[tuple[str, str, dict | None]]:
    a = application_id
    return [
        ("GET", f"/petugas/permohonan/{a}/", None),
        ("POST", f"/petugas/permohonan/{a}/klaim/", {}),
        ("POST", f"/petugas/permohonan/{a}/putuskan/", {"outcome": "DENY", "reasons": "Tidak memenuhi."}),
        ("POST", f"/petugas/permohonan/{a}/minta-informasi/", {"message": "Kirim KK."}),
        ("POST", f"/petugas/keberatan/{objection_id}/putuskan/", {"overturn": "tidak", "reasons": "Tetap."}),
        ("GET", f"/permohonan/{a}/", None),
        ("GET", f"/api/v1/applications/{a}", None),
        ("GET", f"/api/v1/applications/{a}/receipt", None),
        ("GET", f"/api/v1/applications/{a}/documents", None),
        ("POST", f"/api/v1/staff/applications/{a}/claim", None),
        ("POST", f"/api/v1/staff/applications/{a}/decide", {"outcome": "DENY", "reasons": "Tidak memenuhi."}),
        ("POST", f"/api/v1/staff/applications/{a}/request-information", {"message": "Kirim KK."}),
        ("POST", f"/api/v1/staff/objections/{objection_id}/decide", {"overturn": False, "reasons": "Tetap."}),
    ]


def _send(client, method: str, path: str, body):
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        return client.post(path, json.dumps(body or {}), content_type="application/json")
    return client.post(path, body or {})


@pytest.fixture
def pending_objection(world):
    """Asep's application refused by an officer of Dinas Sosial, and his objection waiting for another one."""
    application, _ = cases.submit_application(
        actor=world.refer,
        service=world.bansos,
        applicant=world.refer,
        form=dict(world.forms[world.niks.REFER_NIK]),
    )
    cases.claim_application(application, actor=world.petugas2)
    cases.decide_application(
        application, actor=world.petugas2, outcome="DENY", reasons="Alamat berbeda dari KK."
    )
    application.refresh_from_db()
    return cases.file_objection(
        application, actor=world.refer, statement="Saya sudah pindah ke Kota Bandung."
    )


@pytest.mark.parametrize("officer", ["dukcapil_officer", "lurah_staff"])
def test_an_officer_of_another_agency_can_neither_see_nor_act_on_the_case(
    world, client_for, dinsos_case, pending_objection, officer
):
    client = client_for(getattr(world, officer))
    before = _snapshot(dinsos_case), pending_objection.status
    for method, path, body in staff_requests(str(dinsos_case.pk), pending_objection.pk):
        response = _send(client, method, path, body)
        assert response.status_code == 404, (method, path, response.status_code)
        missing_path = path.replace(str(dinsos_case.pk), str(uuid.uuid4())).replace(
            f"/{pending_objection.pk}/", "/999999/"
        )
        missing = _send(client, method, missing_path, body)
        assert missing.status_code == 404
        if path.startswith("/api/"):  # the same body as for an id that does not exist
            assert response.json() == missing.json(), path
    pending_objection.refresh_from_db()
    assert (_snapshot(dinsos_case), pending_objection.status) == before


def test_the_officer_of_the_agency_does_see_and_decide_it(world, client_for, dinsos_case, pending_objection):
    client = client_for(world.petugas)
    assert client.get(f"/petugas/permohonan/{dinsos_case.pk}/").status_code == 200
    response = client.post(
        f"/petugas/keberatan/{pending_objection.pk}/putuskan/",
        {"overturn": "ya", "reasons": "Terbukti pindah."},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/permohonan/{open}/",
        "/api/v1/applications/{open}",
        "/api/v1/applications/{granted}/receipt",
        "/api/v1/applications/{open}/documents",
        "/api/v1/applications/{open}/documents/{doc}/file",
    ],
)
def test_another_citizen_gets_the_same_404_as_for_a_missing_application(world, client_for, path):
    granted, _ = cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    # A grant more than a year old (a new application right after a grant is refused, issue 15).
    Decision.objects.filter(application=granted).update(decided_at=timezone.now() - dt.timedelta(days=400))
    form = {**world.forms[world.niks.WARGA_NIK], "declared_regency_code": "3204"}  # REFER: stays open
    open_application, _ = cases.submit_application(
        actor=world.warga, service=world.bansos, applicant=world.warga, form=form, idempotency_key="second"
    )
    document = cases.attach_document(
        open_application, actor=world.warga, uploaded=SimpleUploadedFile("kk.pdf", PDF, "application/pdf")
    )
    own_path = path.format(open=open_application.pk, granted=granted.pk, doc=document.pk)
    missing_path = path.format(open=uuid.uuid4(), granted=uuid.uuid4(), doc=document.pk)
    other = client_for(world.denied)
    before = AccessLog.objects.count(), AuditEntry.objects.count()
    response, missing = other.get(own_path), other.get(missing_path)
    assert response.status_code == missing.status_code == 404
    if path.startswith("/api/"):
        assert response.json() == missing.json()
    else:
        assert "Halaman tidak ditemukan" in response.content.decode()
    assert (AccessLog.objects.count(), AuditEntry.objects.count()) == before
    assert client_for(world.warga).get(own_path).status_code == 200

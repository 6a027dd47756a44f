"""Decision letters: issued for each final outcome, signed (validated with pyHanko), downloadable from the case
page, verifiable by anyone, revoked and replaced when an objection or appeal changes the outcome."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader

from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Application, Decision
from pamong.documents import rendering, selectors, services, signing
from pamong.documents.models import Letter

from .conftest import APPLY, SKTM_FORM, apply_pkh, let_notices_lapse, post

pytestmark = pytest.mark.django_db


def grant(world, client_for, run_jobs):
    with run_jobs():
        body = apply_pkh(client_for(world.warga), world, world.niks.WARGA_NIK)
    assert body["status"] == "granted"
    return Application.objects.get(pk=body["id"])


def test_a_grant_ends_with_a_signed_letter_the_citizen_downloads(world, client_for, run_jobs):
    application = grant(world, client_for, run_jobs)
    letter = Letter.objects.get(application=application)
    assert (letter.kind, letter.status, letter.outcome) == ("grant", "valid", "GRANT")
    page = client_for(world.warga).get(f"/permohonan/{application.pk}/")
    assert f"/permohonan/{application.pk}/surat/" in page.content.decode()
    download = client_for(world.warga).get(f"/permohonan/{application.pk}/surat/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = download.content
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) <= 150 * 1024
    assert letter.sha256 and __import__("hashlib").sha256(pdf).hexdigest() == letter.sha256
    checked = signing.validate(pdf)
    assert (checked.intact, checked.trusted, checked.covers_whole_file) == (True, True, True)
    assert "Penandatangan Instansi" in checked.signer
    # One byte changed inside the signed content: pyHanko's validator no longer accepts it.
    middle = len(pdf) // 3
    tampered = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1 :]
    assert signing.validate(tampered).ok is False
    issued = AuditEntry.objects.get(index=letter.audit_index)
    assert (issued.action, issued.subject) == ("documents.letter_issued", f"documents.letter:{letter.pk}")
    assert issued.data["sha256"] == letter.sha256


def test_the_issued_letter_is_listed_in_my_documents(world, client_for, run_jobs):
    application = grant(world, client_for, run_jobs)
    letter = Letter.objects.get(application=application)
    page = client_for(world.warga).get("/akun/dokumen/").content.decode()
    assert (
        letter.number in page
        and f"/permohonan/{application.pk}/surat/" in page
        and f"/v/{letter.code}" in page
    )
    assert letter.number not in client_for(world.denied).get("/akun/dokumen/").content.decode()


def test_the_fonts_are_embedded(world, client_for, run_jobs):
    application = grant(world, client_for, run_jobs)
    _, pdf = selectors.current_letter_pdf(application)
    reader = PdfFileReader(io.BytesIO(pdf))
    fonts = []
    for page_ref in reader.root["/Pages"]["/Kids"]:
        for font in page_ref.get_object()["/Resources"]["/Font"].values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described["/FontDescriptor"].get_object()
            fonts.append(
                (
                    str(font["/BaseFont"]),
                    any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")),
                )
            )
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert any("DejaVu" in name for name, _ in fonts)


def test_another_citizen_cannot_download_the_letter(world, client_for, run_jobs):
    application = grant(world, client_for, run_jobs)
    assert client_for(world.denied).get(f"/permohonan/{application.pk}/surat/").status_code == 404
    assert client_for(world.dukcapil_officer).get(f"/permohonan/{application.pk}/surat/").status_code == 404
    assert client_for(world.petugas).get(f"/permohonan/{application.pk}/surat/").status_code == 200


def test_the_job_issues_a_letter_once_however_often_it_runs(world, client_for, run_jobs):
    application = grant(world, client_for, run_jobs)
    letter = Letter.objects.get(application=application)
    assert services.issue_letter(letter_id=letter.pk) == "valid"
    assert services.issue_pending() == 0
    assert Letter.objects.filter(application=application).count() == 1
    assert AuditEntry.objects.filter(action="documents.letter_issued").count() == 1
    decision = Decision.objects.get(pk=letter.decision_id)
    assert services.queue_letter(decision=decision).pk == letter.pk


def test_a_letter_left_pending_by_a_crash_is_issued_by_the_sweep(world, client_for):
    # No on-commit run: the queued job is "lost", as if the worker had died.
    body = post(
        client_for(world.warga), APPLY, {"service": "bansos-pkh", "form": world.forms[world.niks.WARGA_NIK]}
    ).json()
    letter = Letter.objects.get(application_id=body["id"])
    assert letter.status == "pending"
    page = client_for(world.warga).get(f"/permohonan/{body['id']}/").content.decode()
    assert "sedang disiapkan" in page
    assert services.issue_pending() == 1
    letter.refresh_from_db()
    assert letter.status == "valid"


def test_a_refusal_letter_has_every_reason_legal_basis_and_the_objection_deadline(
    world, client_for, run_jobs
):
    client = client_for(world.denied)
    with run_jobs():
        body = post(client, APPLY, {"service": "sktm", "form": SKTM_FORM}).json()
        assert body["status"] == "refusal_notice" and let_notices_lapse() == 1
    body = client.get(f"{APPLY}/{body['id']}").json()
    assert body["status"] == "denied"
    letter = Letter.objects.get(application_id=body["id"])
    assert (letter.kind, letter.status) == ("refusal", "valid")
    decision = Decision.objects.get(pk=letter.decision_id)
    html = rendering.render_html(
        services.letter_context(letter, number=letter.number, issued_at=letter.issued_at)
    )
    for rule in decision.evaluation["rules"]:
        assert rule["explanation"] in html
        assert rule["legal_basis"] in html
    deadline = body["next_steps"][0].removeprefix("Anda dapat mengajukan keberatan sampai ").split(" ")[:3]
    assert " ".join(deadline).rstrip(".,") in html
    assert "DITOLAK" in html
    assert "keberatan" in html and f"/permohonan/{body['id']}/" in html
    assert "loket" in html
    assert signing.validate(letter.read_content()).ok


def test_a_deemed_approval_letter_is_issued_by_the_deadline_job(world, client_for, run_jobs):
    body = post(
        client_for(world.refer), APPLY, {"service": "bansos-pkh", "form": world.forms[world.niks.REFER_NIK]}
    ).json()
    assert not Letter.objects.filter(application_id=body["id"]).exists()  # referred: no final decision yet
    due = dt.date.fromisoformat(body["decision_due"])
    with run_jobs():
        assert cases.deem_overdue(today=due + dt.timedelta(days=1)) == 1
    letter = Letter.objects.get(application_id=body["id"])
    assert (letter.kind, letter.status, letter.outcome) == ("deemed", "valid", "GRANT")
    html = rendering.render_html(
        services.letter_context(letter, number=letter.number, issued_at=letter.issued_at)
    )
    assert "DIANGGAP DIKABULKAN" in html
    assert "UU 30/2014 Pasal 53" in html
    assert signing.validate(letter.read_content()).ok


def test_a_successful_appeal_revokes_the_refusal_and_links_the_replacement(world, client_for, run_jobs):
    # Bansos PKH (impact level 3): the rules propose a refusal, an officer confirms it, an objection is upheld by
    # another officer, and the supervisor grants on appeal.
    body = post(
        client_for(world.denied), APPLY, {"service": "bansos-pkh", "form": world.forms[world.niks.DENIED_NIK]}
    ).json()
    officer = client_for(world.petugas)
    post(officer, f"/api/v1/staff/applications/{body['id']}/claim", {})
    with run_jobs():
        confirmed = post(
            officer,
            f"/api/v1/staff/applications/{body['id']}/decide",
            {"outcome": "DENY", "reasons": "Data kepemilikan kendaraan sesuai dokumen."},
        )
    assert confirmed.json()["status"] == "denied"
    refusal = Letter.objects.get(application_id=body["id"])
    assert "SAH" in Client().get(f"/v/{refusal.code}").content.decode()
    objection = post(
        client_for(world.denied), f"{APPLY}/{body['id']}/objection", {"statement": "Mobil sudah dijual."}
    ).json()
    with run_jobs():
        post(
            client_for(world.petugas2),
            f"/api/v1/staff/objections/{objection['id']}/decide",
            {"overturn": False, "reasons": "Slip gaji terbaru masih di atas garis kemiskinan."},
        )
    upheld = Letter.objects.get(application_id=body["id"], kind="objection")
    assert upheld.status == "valid"
    refusal.refresh_from_db()
    assert refusal.status == "valid"  # the outcome did not change: the refusal letter stands
    appeal = post(
        client_for(world.denied), f"{APPLY}/{body['id']}/appeal", {"statement": "Mohon ditinjau atasan."}
    ).json()
    with run_jobs():
        decided = post(
            client_for(world.supervisor),
            f"/api/v1/staff/objections/{appeal['id']}/decide",
            {"overturn": True, "reasons": "Surat PHK membuktikan penghasilan di bawah garis kemiskinan."},
        )
    assert decided.json()["status"] == "granted"
    replacement = Letter.objects.get(application_id=body["id"], kind="appeal")
    assert (replacement.status, replacement.outcome) == ("valid", "GRANT")
    for old in (refusal, upheld):
        old.refresh_from_db()
        assert (old.status, old.replaced_by_id) == ("revoked", replacement.pk)
        assert AuditEntry.objects.get(index=old.revoke_audit_index).action == "documents.letter_revoked"
        page = Client().get(f"/v/{old.code}").content.decode()
        assert "DICABUT" in page
        assert f'href="/v/{replacement.code}"' in page
        assert replacement.number in page
    # The citizen's download is now the replacement.
    _, pdf = selectors.current_letter_pdf(Application.objects.get(pk=body["id"]))
    assert __import__("hashlib").sha256(pdf).hexdigest() == replacement.sha256


def test_production_never_signs_with_the_demo_ca(settings):
    settings.PAMONG_ENVIRONMENT = "production"  # with no PAMONG_DOCUMENTS_SIGNING_P12 set
    with pytest.raises(ImproperlyConfigured, match="PAMONG_DOCUMENTS_SIGNING_P12"):
        signing.key_paths()


def test_a_letter_that_cannot_be_signed_stays_pending_and_is_counted(world, client_for, monkeypatch):
    body = post(
        client_for(world.warga), APPLY, {"service": "bansos-pkh", "form": world.forms[world.niks.WARGA_NIK]}
    ).json()
    letter = Letter.objects.get(application_id=body["id"])

    def no_key(*args, **kwargs):
        raise ImproperlyConfigured("PAMONG_DOCUMENTS_SIGNING_P12 is not set: letters cannot be signed")

    monkeypatch.setattr(signing, "sign_pdf", no_key)
    assert services.issue_letter(letter_id=letter.pk) == "failed"
    letter.refresh_from_db()
    assert (letter.status, letter.attempts, letter.number, letter.file.name) == ("pending", 1, "", "")
    assert "PAMONG_DOCUMENTS_SIGNING_P12" in letter.last_error
    assert not AuditEntry.objects.filter(action="documents.letter_issued").exists()
    monkeypatch.undo()
    assert services.issue_pending() == 1  # the sweep issues it once signing works again


def test_the_demo_ca_is_made_once(tmp_path):
    first = signing.ensure_demo_certificates(tmp_path)
    content = first.p12.read_bytes()
    again = signing.ensure_demo_certificates(tmp_path)
    assert again == first and again.p12.read_bytes() == content
    assert b"BEGIN CERTIFICATE" in first.trust_root.read_bytes()


def test_export_lists_the_letters_and_erasure_removes_their_files(world, client_for, run_jobs):
    from pamong.documents import personal_data

    application = grant(world, client_for, run_jobs)
    exported = personal_data.export(world.warga)
    letter = Letter.objects.get(application=application)
    assert [(x["number"], x["sha256"]) for x in exported["letters"]] == [(letter.number, letter.sha256)]
    with run_jobs():
        assert personal_data.erase(world.warga)["letters_erased"] == 1
    letter.refresh_from_db()
    assert (letter.file.name, letter.masked_name, letter.status) == ("", "-", "valid")
    assert selectors.current_letter_pdf(application) is None
    assert "SAH" in Client().get(f"/v/{letter.code}").content.decode()  # a paper copy still verifies

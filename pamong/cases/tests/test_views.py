"""The web pages of the application lifecycle, in Bahasa Indonesia, through the Django test client.

Each test reads given / when / then; negative cases assert that nothing changed (applications, decisions, audit)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from pamong.accounts.models import User
from pamong.audit.models import AuditEntry
from pamong.cases import services
from pamong.cases.models import Application, Decision, Discretion, Objection

pytestmark = pytest.mark.django_db


def form_post(form: dict, key: str = "", statement: str = "") -> dict:
    """The POST a browser sends for the generated form: prefixed names, yes/no radios as ya/tidak."""
    data = {
        f"f-{name}": ("ya" if value is True else "tidak" if value is False else value)
        for name, value in form.items()
    }
    data["idempotency_key"] = key or str(uuid.uuid4())
    if statement:
        data["statement"] = statement
    return data


def apply_on_page(client, form: dict, key: str = ""):
    return client.post("/layanan/bansos-pkh/ajukan/", form_post(form, key))


def submitted(world, citizen, nik: str) -> Application:
    application, _created = services.submit_application(
        actor=citizen, service=world.bansos, applicant=citizen, form=dict(world.forms[nik])
    )
    return application


def denied(world) -> Application:
    """Bambang's application: the rules propose DENY (impact level 3), an officer confirms the refusal."""
    application = submitted(world, world.denied, world.niks.DENIED_NIK)
    services.claim_application(application, actor=world.petugas)
    services.decide_application(
        application, actor=world.petugas, outcome="DENY", reasons="Penghasilan di atas garis kemiskinan."
    )
    application.refresh_from_db()
    return application


def main(response) -> str:
    """The page's content without the header, whose forms carry the path and a CSRF token."""
    return response.content.decode().split('<main id="isi" class="wrap">')[1]


def counts() -> tuple[int, int, int, int]:
    return (
        Application.objects.count(),
        Decision.objects.count(),
        AuditEntry.objects.count(),
        User.objects.count(),
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- who sees which page ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "allowed", "refused"),
    [
        ("/layanan/bansos-pkh/ajukan/", "warga", "petugas"),
        ("/permohonan/", "warga", "loket"),
        ("/petugas/antrean/", "petugas", "warga"),
        ("/petugas/antrean/", "supervisor", "loket"),
        ("/loket/", "loket", "petugas"),
        ("/loket/ajukan/bansos-pkh/", "loket", "warga"),
    ],
)
def test_each_page_renders_for_its_role_and_is_a_404_for_others(world, client, path, allowed, refused):
    client.force_login(getattr(world, allowed))
    assert client.get(path).status_code == 200
    client.force_login(getattr(world, refused))
    response = client.get(path)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in text(response)


@pytest.mark.parametrize(
    "path",
    ["/layanan/bansos-pkh/ajukan/", "/permohonan/", "/petugas/antrean/", "/loket/", "/loket/ajukan/sktm/"],
)
def test_anonymous_visitors_are_sent_to_sign_in(world, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/masuk/?next={path}"


def test_case_page_is_a_404_for_officers_of_another_agency_and_for_citizens(world, client_for):
    application = submitted(world, world.refer, world.niks.REFER_NIK)
    path = f"/petugas/permohonan/{application.pk}/"
    assert client_for(world.petugas).get(path).status_code == 200
    assert client_for(world.dukcapil_officer).get(path).status_code == 404
    assert client_for(world.refer).get(path).status_code == 404


# --- apply ----------------------------------------------------------------------------------------------------


def test_apply_form_is_generated_from_the_service_with_the_decision_notice(world, client_for):
    response = client_for(world.warga).get("/layanan/bansos-pkh/ajukan/")
    html = text(response)
    assert response.status_code == 200
    # choice with 8 options: radios in a fieldset; required boolean: yes/no radios; money: numeric text input
    assert '<fieldset id="f-declared_regency_code"' in html
    assert html.count('name="f-declared_regency_code"') == 8
    assert '<input type="radio" name="f-has_pkh_component" id="f-has_pkh_component-1" value="ya">' in html
    assert '<input type="radio" name="f-has_pkh_component" id="f-has_pkh_component-2" value="tidak">' in html
    assert 'name="f-household_income" id="f-household_income" value="" inputmode="numeric"' in html
    assert re.search(r'name="idempotency_key" value="[0-9a-f-]{36}"', html)
    assert "setiap penolakan diputus oleh seorang petugas" in html
    assert "Keputusan paling lambat 5 hari kerja setelah permohonan lengkap." in html
    assert "dianggap dikabulkan menurut hukum" in html


def test_service_page_has_an_apply_button(world, client):
    html = text(client.get("/layanan/bansos-pkh/"))
    assert '<a class="button primary" href="/layanan/bansos-pkh/ajukan/">Ajukan permohonan</a>' in html


def test_invalid_form_shows_indonesian_messages_keeps_values_and_creates_nothing(world, client_for):
    client = client_for(world.warga)
    before = counts()
    form = {
        "declared_regency_code": "3273",
        "household_size": "lima",
        "household_income": "",
        "assets_value": "0",
    }
    response = apply_on_page(client, form)
    html = text(response)
    assert response.status_code == 422
    assert (
        "<title>Kesalahan: Ajukan permohonan: Bantuan Sosial Program Keluarga Harapan (PKH) · Pamong</title>"
        in html
    )
    assert (
        '<a href="#f-household_size">Jumlah anggota keluarga harus bilangan bulat, tulis angka saja.</a>'
        in html
    )
    assert '<a href="#f-household_income">Penghasilan keluarga per bulan (rupiah) wajib diisi.</a>' in html
    assert (
        '<a href="#f-has_pkh_component">Ada ibu hamil, balita, anak sekolah, lansia, atau penyandang disabilitas '
        "berat dalam keluarga: pilih ya atau tidak.</a>"
    ) in html
    assert 'id="f-household_size" value="lima"' in html
    assert 'value="3273" checked' in html
    assert 'aria-invalid="true"' in html
    assert counts() == before


def test_a_skipped_yes_no_question_is_asked_again_not_read_as_no(world, client_for):
    client = client_for(world.warga)
    form = dict(world.forms[world.niks.WARGA_NIK])
    del form["has_pkh_component"]
    before = counts()
    response = apply_on_page(client, form)
    assert response.status_code == 422
    assert "berat dalam keluarga: pilih ya atau tidak." in text(response)
    assert counts() == before


def test_valid_form_redirects_to_the_status_page(world, client_for):
    client = client_for(world.warga)
    response = apply_on_page(client, world.forms[world.niks.WARGA_NIK])
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/permohonan/{application.pk}/"
    assert (application.channel, application.status, application.applicant) == ("web", "granted", world.warga)


def test_double_submission_with_the_same_key_creates_one_application(world, client_for):
    client = client_for(world.warga)
    key = str(uuid.uuid4())
    first = apply_on_page(client, world.forms[world.niks.WARGA_NIK], key)
    entries = AuditEntry.objects.count()
    second = apply_on_page(client, world.forms[world.niks.WARGA_NIK], key)
    assert Application.objects.count() == 1
    assert AuditEntry.objects.count() == entries
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    page = text(client.get(second["Location"]))
    assert "Permohonan ini sudah terkirim; tidak ada permohonan baru yang dibuat." in page


def test_same_key_with_other_answers_is_a_409_with_a_link_to_the_first(world, client_for):
    client = client_for(world.warga)
    key = str(uuid.uuid4())
    apply_on_page(client, world.forms[world.niks.WARGA_NIK], key)
    first = Application.objects.get()
    changed = {**world.forms[world.niks.WARGA_NIK], "household_size": "6"}
    response = apply_on_page(client, changed, key)
    html = text(response)
    assert response.status_code == 409
    assert "Idempotency-Key ini sudah dipakai" in html
    assert f'href="/permohonan/{first.pk}/"' in html
    assert f'value="{key}"' not in html  # a fresh key, so the next send is a new application
    assert Application.objects.count() == 1


# --- status page --------------------------------------------------------------------------------------------


def test_status_page_explains_each_rule_of_an_automatic_grant(world, client_for):
    client = client_for(world.warga)
    application = submitted(world, world.warga, world.niks.WARGA_NIK)
    response = client.get(f"/permohonan/{application.pk}/")
    html = text(response)
    assert response.status_code == 200
    assert f"<strong>{application.reference}</strong>" in html
    assert "Keputusan: <strong>dikabulkan</strong>" in html
    assert "aturan yang dipublikasikan (otomatis)" in html
    rules = application.decisions.get().evaluation["rules"]
    assert len(rules) == 5
    assert html.count("✓ Terpenuhi") == 5
    for rule in rules:
        assert rule["explanation"] in html
        assert f"Dasar hukum: {rule['legal_basis']}" in html
    assert "tidak melebihi 120% garis kemiskinan" in html
    assert f'href="/api/v1/applications/{application.pk}/receipt"' in html
    assert "Ajukan keberatan" not in html
    assert "Permohonan diterima" in html  # the timeline


def test_status_page_of_a_refusal_shows_failed_rules_reasons_and_the_objection_form(world, client_for):
    application = denied(world)
    html = text(client_for(world.denied).get(f"/permohonan/{application.pk}/"))
    assert "Keputusan: <strong>ditolak</strong>" in html
    assert "oleh petugas" in html
    assert "Penghasilan di atas garis kemiskinan." in html
    assert "✗ Tidak terpenuhi" in html
    failed = [r for r in application.decisions.last().evaluation["rules"] if r["status"] == "failed"]
    assert failed and all(rule["explanation"] in html for rule in failed)
    assert f'action="/permohonan/{application.pk}/keberatan/"' in html
    assert "Anda dapat mengajukan keberatan sampai" in html


def test_a_proposed_refusal_is_shown_as_a_proposal_not_a_decision(world, client_for):
    application = submitted(world, world.denied, world.niks.DENIED_NIK)
    html = text(client_for(world.denied).get(f"/permohonan/{application.pk}/"))
    assert (
        "Usulan aturan: <strong>ditolak</strong> — belum merupakan keputusan; petugas yang memutus." in html
    )
    assert "sedang diperiksa petugas" in html
    assert "keberatan/" not in html


def test_another_citizens_application_is_the_same_404_as_a_missing_one(world, client_for):
    application = submitted(world, world.warga, world.niks.WARGA_NIK)
    client = client_for(world.denied)
    theirs = client.get(f"/permohonan/{application.pk}/")
    missing = client.get(f"/permohonan/{uuid.uuid4()}/")
    garbage = client.get("/permohonan/bukan-uuid/")
    assert theirs.status_code == missing.status_code == garbage.status_code == 404
    assert main(theirs) == main(missing) == main(garbage)


def test_citizen_files_an_objection_from_the_status_page(world, client_for):
    application = denied(world)
    client = client_for(world.denied)
    response = client.post(
        f"/permohonan/{application.pk}/keberatan/", {"statement": "Mobil itu sudah dijual."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/permohonan/{application.pk}/"
    application.refresh_from_db()
    assert application.status == "objection"
    assert Objection.objects.get().statement == "Mobil itu sudah dijual."
    html = text(client.get(response["Location"]))
    assert "Keberatan Anda sudah diajukan. Petugas lain akan memutusnya." in html
    assert 'action="/permohonan/' + str(application.pk) + '/keberatan/"' not in html


def test_an_empty_objection_is_a_422_on_the_status_page_and_changes_nothing(world, client_for):
    application = denied(world)
    before = (counts(), Objection.objects.count())
    response = client_for(world.denied).post(f"/permohonan/{application.pk}/keberatan/", {"statement": " "})
    html = text(response)
    assert response.status_code == 422
    assert '<a href="#objection-statement">Jelaskan alasan keberatan Anda.</a>' in html
    assert (counts(), Objection.objects.count()) == before
    application.refresh_from_db()
    assert application.status == "denied"


def test_another_citizen_cannot_object_to_my_decision(world, client_for):
    application = denied(world)
    response = client_for(world.warga).post(f"/permohonan/{application.pk}/keberatan/", {"statement": "x"})
    assert response.status_code == 404
    assert Objection.objects.count() == 0


def test_information_request_is_answered_on_the_status_page(world, client_for):
    application = submitted(world, world.refer, world.niks.REFER_NIK)
    services.claim_application(application, actor=world.petugas)
    services.request_information(application, actor=world.petugas, message="Kirim surat keterangan domisili.")
    client = client_for(world.refer)
    html = text(client.get(f"/permohonan/{application.pk}/"))
    assert "Kirim surat keterangan domisili." in html
    assert f'action="/permohonan/{application.pk}/informasi/"' in html
    response = client.post(
        f"/permohonan/{application.pk}/informasi/", {"answer": "Surat domisili dari RT 03."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "under_review"
    assert application.information_requests.get().answer == "Surat domisili dari RT 03."


def test_the_answer_to_an_information_request_carries_the_asked_document(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400
    application = submitted(world, world.refer, world.niks.REFER_NIK)
    services.claim_application(application, actor=world.petugas)
    services.request_information(application, actor=world.petugas, message="Mohon unggah surat domisili.")
    client = client_for(world.refer)
    assert 'name="document" type="file"' in text(client.get(f"/permohonan/{application.pk}/"))
    refused = client.post(
        f"/permohonan/{application.pk}/informasi/",
        {"answer": "Terlampir.", "document": SimpleUploadedFile("domisili.pdf", b"bukan pdf " * 50)},
    )
    assert refused.status_code == 422
    assert "Jenis berkas tidak diterima" in text(refused)
    application.refresh_from_db()
    assert (application.status, application.attachments.count()) == ("info_requested", 0)
    response = client.post(
        f"/permohonan/{application.pk}/informasi/",
        {"answer": "Terlampir.", "document": SimpleUploadedFile("domisili.pdf", pdf)},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "under_review"
    assert list(application.attachments.values_list("original_name", "content_type")) == [
        ("domisili.pdf", "application/pdf")
    ]


def test_my_applications_lists_mine_only_and_has_an_empty_state(world, client_for):
    client = client_for(world.warga)
    assert "Anda belum pernah mengajukan permohonan." in text(client.get("/permohonan/"))
    mine = submitted(world, world.warga, world.niks.WARGA_NIK)
    theirs = submitted(world, world.denied, world.niks.DENIED_NIK)
    html = text(client.get("/permohonan/"))
    assert mine.reference in html
    assert theirs.reference not in html


# --- staff ----------------------------------------------------------------------------------------------------


def test_queue_lists_open_cases_with_deadline_and_pending_objections(world, client_for):
    proposal = submitted(world, world.denied, world.niks.DENIED_NIK)
    granted = submitted(world, world.warga, world.niks.WARGA_NIK)
    client = client_for(world.petugas)
    html = text(client.get("/petugas/antrean/"))
    assert f'href="/petugas/permohonan/{proposal.pk}/">{proposal.reference}</a>' in html
    assert granted.reference not in html
    assert "sisa 5 hari kerja" in html
    assert "belum ada" in html
    assert "Tidak ada keberatan atau banding yang menunggu." in html
    filtered = text(client.get("/petugas/antrean/", {"layanan": "sktm"}))
    assert proposal.reference not in filtered


def test_case_page_shows_answers_rules_and_facts_with_provenance(world, client_for):
    application = submitted(world, world.denied, world.niks.DENIED_NIK)
    html = text(client_for(world.petugas).get(f"/petugas/permohonan/{application.pk}/"))
    assert "Jumlah anggota keluarga" in html and "Rp4.500.000" in html
    assert "✗ Tidak terpenuhi" in html
    assert (
        '<td data-label="Fakta">Anggota keluarga memiliki mobil</td>'
        '<td data-label="Sumber">Korlantas Polri (data kendaraan bermotor)</td>' in html
    )
    assert (
        '<td data-label="Fakta">Penghasilan keluarga per bulan</td><td data-label="Sumber">formulir permohonan</td>'
        in html
    )
    assert "Ambil permohonan ini" in html
    assert "Catat keputusan" not in html  # deciding needs the claim first


def test_officer_claims_then_confirms_the_proposed_refusal(world, client_for):
    application = submitted(world, world.denied, world.niks.DENIED_NIK)
    client = client_for(world.petugas)
    case = f"/petugas/permohonan/{application.pk}/"
    assert client.post(case + "klaim/")["Location"] == case
    html = text(client.get(case))
    assert "Anda mengambil permohonan ini; Anda yang memutusnya." in html
    assert "Catatan diskresi" in html and "diteruskan kepada atasan Anda" in html
    response = client.post(case + "putuskan/", {"outcome": "DENY", "reasons": "Aset melebihi batas."})
    assert response.status_code == 302
    application.refresh_from_db()
    decision = application.decisions.filter(final=True).get()
    assert (application.status, decision.kind, decision.outcome) == ("denied", "human", "DENY")
    assert not Discretion.objects.exists()


def test_granting_against_the_rules_without_the_diskresi_record_is_a_422_and_decides_nothing(
    world, client_for
):
    application = submitted(world, world.denied, world.niks.DENIED_NIK)
    services.claim_application(application, actor=world.petugas)
    before = counts()
    response = client_for(world.petugas).post(
        f"/petugas/permohonan/{application.pk}/putuskan/",
        {"outcome": "GRANT", "reasons": "Mobil sudah dijual.", "objective_reasons": "Bukti jual beli ada."},
    )
    html = text(response)
    assert response.status_code == 422
    assert "Keputusan yang berbeda dari hasil aturan adalah diskresi" in html
    assert '<a href="#decide-purpose">Pilih tujuan diskresi.</a>' in html
    assert '<a href="#decide-discretion_legal_basis">Tulis dasar hukum diskresi.</a>' in html
    assert (
        '<a href="#decide-conflict_of_interest">Nyatakan apakah Anda memiliki konflik kepentingan.</a>'
        in html
    )
    assert "#decide-objective_reasons" not in html  # it was filled in, and it is kept
    assert ">Bukti jual beli ada.</textarea>" in html
    assert counts() == before
    application.refresh_from_db()
    assert application.status == "under_review"


def test_granting_against_the_rules_with_the_diskresi_record(world, client_for):
    application = submitted(world, world.denied, world.niks.DENIED_NIK)
    services.claim_application(application, actor=world.petugas)
    response = client_for(world.petugas).post(
        f"/petugas/permohonan/{application.pk}/putuskan/",
        {
            "outcome": "GRANT",
            "reasons": "Mobil sudah dijual; keluarga memenuhi syarat.",
            "purpose": "legal_certainty",
            "objective_reasons": "Akta jual beli mobil bertanggal 2 Maret 2026.",
            "discretion_legal_basis": "UU 30/2014 Pasal 22",
            "conflict_of_interest": "tidak",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    discretion = Discretion.objects.get()
    assert (application.status, discretion.decision.kind, discretion.purpose) == (
        "granted",
        "override",
        "legal_certainty",
    )
    assert (discretion.conflict_of_interest, discretion.legal_basis) == (False, "UU 30/2014 Pasal 22")


def test_a_case_claimed_by_someone_else_says_so_and_a_claim_is_a_409(world, client_for):
    application = submitted(world, world.denied, world.niks.DENIED_NIK)
    services.claim_application(application, actor=world.petugas)
    client = client_for(world.petugas2)
    html = text(client.get(f"/petugas/permohonan/{application.pk}/"))
    assert "Sudah ditangani petugas lain" in html
    assert "Ambil permohonan ini" not in html
    response = client.post(f"/petugas/permohonan/{application.pk}/klaim/")
    assert response.status_code == 409
    assert "Permohonan ini sudah ditangani petugas lain." in text(response)
    application.refresh_from_db()
    assert application.assigned_to == world.petugas


def test_officer_requests_information_and_an_empty_request_is_a_422(world, client_for):
    application = submitted(world, world.refer, world.niks.REFER_NIK)
    services.claim_application(application, actor=world.petugas)
    client = client_for(world.petugas)
    path = f"/petugas/permohonan/{application.pk}/minta-informasi/"
    empty = client.post(path, {"message": ""})
    assert empty.status_code == 422
    assert "Tulis informasi apa yang diperlukan dari warga." in text(empty)
    assert application.information_requests.count() == 0
    assert client.post(path, {"message": "Kirim foto KK terbaru."}).status_code == 302
    application.refresh_from_db()
    assert application.status == "info_requested"


def test_a_different_officer_decides_the_objection_on_the_case_page(world, client_for):
    application = denied(world)
    objection = services.file_objection(application, actor=world.denied, statement="Mobil sudah dijual.")
    client = client_for(world.petugas2)
    queue = text(client.get("/petugas/antrean/")).split("Keberatan dan banding yang menunggu")[1]
    assert (
        f'href="/petugas/permohonan/{application.pk}/">{application.reference}</a></td> '
        '<td data-label="Jenis">keberatan</td>' in queue
    )
    html = text(client.get(f"/petugas/permohonan/{application.pk}/"))
    assert "Putuskan: keberatan" in html and "Mobil sudah dijual." in html
    path = f"/petugas/keberatan/{objection.pk}/putuskan/"
    unanswered = client.post(path, {"reasons": "Bukti jual beli sah."})
    assert unanswered.status_code == 422
    assert "Pilih apakah keputusan dibatalkan." in text(unanswered)
    assert client.post(path, {"overturn": "ya", "reasons": "Bukti jual beli sah."}).status_code == 302
    objection.refresh_from_db()
    application.refresh_from_db()
    assert (objection.status, application.status) == ("overturned", "granted")


REASON_SAME_OFFICER = "Diputus oleh petugas lain atau atasan, karena Anda yang memutus permohonan ini."


def test_the_officer_who_decided_cannot_decide_the_objection(world, client_for):
    application = denied(world)
    objection = services.file_objection(application, actor=world.denied, statement="Mobil sudah dijual.")
    client = client_for(world.petugas)
    # The page shows her the reason instead of a form she may not submit
    page = text(client.get(f"/petugas/permohonan/{application.pk}/"))
    assert "Putuskan: keberatan" in page and REASON_SAME_OFFICER in page
    assert f'action="/petugas/keberatan/{objection.pk}/putuskan/"' not in page
    # and the service refuses the same, with the same words
    response = client.post(f"/petugas/keberatan/{objection.pk}/putuskan/", {"overturn": "ya", "reasons": "x"})
    assert response.status_code == 403
    assert REASON_SAME_OFFICER in text(response)
    objection.refresh_from_db()
    assert objection.status == "pending"


def test_only_the_supervisor_is_offered_the_appeal_form(world, client_for):
    application = denied(world)
    objection = services.file_objection(application, actor=world.denied, statement="Mobil sudah dijual.")
    services.decide_objection(
        objection, actor=world.petugas2, overturn=False, reasons="Mobil masih terdaftar."
    )
    application.refresh_from_db()
    appeal = services.file_appeal(application, actor=world.denied, statement="Mohon diperiksa atasan.")
    form = f'action="/petugas/keberatan/{appeal.pk}/putuskan/"'
    officer_page = text(client_for(world.petugas2).get(f"/petugas/permohonan/{application.pk}/"))
    assert form not in officer_page
    assert "Banding diputus oleh atasan (supervisor); atasan Anda yang akan memutusnya." in officer_page
    supervisor_page = text(client_for(world.supervisor).get(f"/petugas/permohonan/{application.pk}/"))
    assert form in supervisor_page
    assert "Banding diputus oleh atasan" not in supervisor_page


# --- counter --------------------------------------------------------------------------------------------------


def counter_post(world, **extra) -> dict:
    data = form_post(world.forms[world.niks.REFER_NIK])
    data.update(
        nik="3273025203900009",
        full_name="Ratna Dewi",
        consent_method="lisan_disaksikan",
        consent_statement="Saya setuju petugas loket mengajukan permohonan ini.",
        told_by="counter",
    )
    data.update(extra)
    return data


def test_counter_form_has_citizen_fields_and_a_prefilled_consent_statement(world, client_for):
    html = text(client_for(world.loket).get("/loket/ajukan/bansos-pkh/"))
    assert 'id="nik" name="nik"' in html and 'id="full_name" name="full_name"' in html
    assert (
        "menyetujui petugas loket loket mengajukan permohonan Bantuan Sosial Program Keluarga Harapan (PKH)"
        in html
    )
    for method in ("tanda_tangan", "lisan_disaksikan", "sidik_jari"):
        assert f'value="{method}"' in html


def test_counter_applies_for_a_citizen_with_recorded_consent(world, client_for):
    client = client_for(world.loket)
    response = client.post("/loket/ajukan/bansos-pkh/", counter_post(world))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/loket/permohonan/{application.pk}/"
    assert (application.channel, application.assisted_by) == ("counter", world.loket)
    assert application.applicant.get_full_name() == "Ratna Dewi"
    consent = application.consent
    assert (consent["given"], consent["method"], consent["recorded_by"]) == (
        True,
        "lisan_disaksikan",
        world.loket.pk,
    )
    assert consent["statement"] == "Saya setuju petugas loket mengajukan permohonan ini."
    receipt = text(client.get(response["Location"]))
    assert "Tanda bukti permohonan" in receipt
    assert f"<strong>{application.reference}</strong>" in receipt
    assert "Ratna Dewi" in receipt


def test_counter_without_consent_is_a_422_and_creates_no_citizen_and_no_application(world, client_for):
    before = counts()
    response = client_for(world.loket).post(
        "/loket/ajukan/bansos-pkh/", counter_post(world, consent_method="", nik="123")
    )
    html = text(response)
    assert response.status_code == 422
    assert '<a href="#nik">NIK harus 16 angka.</a>' in html
    assert '<a href="#consent_method">Pilih cara warga memberikan persetujuan.</a>' in html
    assert 'value="Ratna Dewi"' in html
    assert counts() == before


def test_counter_receipt_is_a_404_for_another_counter_officer(world, client_for):
    response = client_for(world.loket).post("/loket/ajukan/bansos-pkh/", counter_post(world))
    other = User.objects.create_user(username="loket2", password="x")
    from pamong.accounts import services as accounts

    accounts.assign_role(actor="system:test", user=other, role="petugas_loket")
    assert client_for(other).get(response["Location"]).status_code == 404


# --- page weight (DESIGN §8: citizen pages ≤ 100 KB on first load, CSS included) -------------------------------


def stylesheet_bytes(html: str) -> int:
    total = 0
    for href in re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html):
        total += Path(finders.find(href)).stat().st_size
    return total


def test_citizen_pages_weigh_at_most_100_kb_with_their_css(world, client_for):
    client = client_for(world.warga)
    application = submitted(world, world.warga, world.niks.WARGA_NIK)
    for path in ["/layanan/bansos-pkh/", "/layanan/bansos-pkh/ajukan/", f"/permohonan/{application.pk}/"]:
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200
        assert stylesheet_bytes(html) > 0
        assert "<script" not in html
        assert len(response.content) + stylesheet_bytes(html) <= 100 * 1024, path


# --- words that must not leak or mislead (issue 20) ---------------------------------------------------------


def test_a_proposal_is_not_shown_to_the_citizen_as_a_refusal(world, client_for):
    application = submitted(world, world.denied, world.niks.DENIED_NIK)  # impact 3: DENY is only a proposal
    html = text(client_for(world.denied).get(f"/permohonan/{application.pk}/"))
    assert "Aturan memberi usulan; petugas memeriksanya (belum keputusan)" in html
    assert "Keputusan dicatat: ditolak" not in html


def test_a_supervisor_granting_an_appeal_is_named_so_and_the_failed_rules_are_explained(world, client_for):
    application = denied(world)
    objection = services.file_objection(application, actor=world.denied, statement="Mobil sudah dijual.")
    services.decide_objection(
        objection, actor=world.petugas2, overturn=False, reasons="Mobil masih terdaftar."
    )
    application.refresh_from_db()
    appeal = services.file_appeal(application, actor=world.denied, statement="Mohon diperiksa atasan.")
    services.decide_objection(appeal, actor=world.supervisor, overturn=True, reasons="Bukti jual beli sah.")
    html = text(client_for(world.denied).get(f"/permohonan/{application.pk}/"))
    assert "Keputusan: <strong>dikabulkan</strong>" in html
    assert "(atasan)" in html and "(petugas)" not in html
    assert "✗ Tidak terpenuhi" in html
    assert (
        'id="decision-over-rules">Keputusan ini diambil oleh orang (atasan) dan berbeda dari hasil aturan'
        in html
    )


def test_the_officer_reads_that_the_citizen_is_to_answer_and_what_the_score_is(world, client_for):
    application = submitted(world, world.refer, world.niks.REFER_NIK)
    services.claim_application(application, actor=world.petugas)
    services.request_information(application, actor=world.petugas, message="Kirim foto KK terbaru.")
    client = client_for(world.petugas)
    case = text(client.get(f"/petugas/permohonan/{application.pk}/"))
    queue = text(client.get("/petugas/antrean/"))
    for html in (case, queue):
        assert "menunggu informasi tambahan dari warga" in html
        assert "dari Anda" not in html
    assert '<th scope="col">Skor kerentanan</th>' in queue
    assert "hanya mengurutkan antrean; skor tidak pernah memutus" in queue


def test_deciding_without_an_outcome_names_the_choice_in_words(world, client_for):
    application = submitted(world, world.refer, world.niks.REFER_NIK)
    services.claim_application(application, actor=world.petugas)
    response = client_for(world.petugas).post(
        f"/petugas/permohonan/{application.pk}/putuskan/", {"reasons": "x"}
    )
    assert response.status_code == 422
    assert "Pilih keputusan: kabulkan atau tolak." in text(response)
    assert "GRANT" not in main(response).replace('value="GRANT"', "")


def test_an_absurd_income_is_called_too_large(world, client_for):
    form = form_post({**world.forms[world.niks.WARGA_NIK], "household_income": "100000000000000000000"})
    response = client_for(world.warga).post("/layanan/bansos-pkh/ajukan/", form)
    assert response.status_code == 422
    assert "Penghasilan keluarga per bulan (rupiah) terlalu besar; periksa kembali angkanya." in text(
        response
    )
    assert "tanpa sen" not in text(response)
    assert Application.objects.count() == 0


def test_a_nik_with_an_unknown_region_is_named_at_the_nik_input(world, client_for):
    response = client_for(world.loket).post(
        "/loket/ajukan/bansos-pkh/", counter_post(world, nik="0000004101900001")
    )
    html = text(response)
    assert response.status_code == 422
    assert 'aria-invalid="true" aria-describedby="nik-error"' in html
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert '<a href="#nik">Enam angka pertama NIK (000000) bukan kode kecamatan yang terdaftar.' in summary
    assert ">000000<" not in summary
    assert Application.objects.count() == 0


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_values_the_rules_worked_out_are_money_written_the_readers_way(world, client_for, language):
    """Income per person and the poverty line that applied were printed bare (544500) on the officer's page."""
    application = submitted(world, world.denied, world.niks.DENIED_NIK)
    values = application.decisions.get(kind=Decision.Kind.PROPOSAL).evaluation["values"]
    client = client_for(world.petugas)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = text(client.get(f"/petugas/permohonan/{application.pk}/"))
    for name in ("income_per_capita", "regional_poverty_line"):
        grouped = f"{values[name]:,}".replace(",", "." if language == "id" else ",")
        assert f"<dd>Rp{grouped}</dd>" in html, name
        assert f"<dd>{values[name]}</dd>" not in html, name

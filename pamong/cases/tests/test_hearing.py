"""The right to be heard: a notice of intended refusal before an automated refusal is final; the data that
decided a case, with its source, and "Data ini tidak benar"; officers flag rules; supervisors review diskresi."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pamong.audit.models import AuditEntry
from pamong.cases import deadlines, selectors, services
from pamong.cases.models import Application, DataCorrectionRequest, Decision, Discretion, RefusalNotice
from pamong.catalog.models import Service
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed
from pamong.core.testing.staff_notices import staff_told
from pamong.core.workdays import add_working_days
from pamong.notify.models import Notification

pytestmark = pytest.mark.django_db

SKTM_FORM = {
    "purpose": "pendidikan",
    "household_size": 3,
    "household_income": 4_500_000,
    "has_rt_rw_letter": True,
}


def refused(world, statement: str = "") -> Application:
    application, _ = services.submit_application(
        actor=world.denied,
        service=world.sktm,
        applicant=world.denied,
        form=SKTM_FORM,
        statement=statement,
        form_source="json",
    )
    return application


def test_an_automated_refusal_is_first_a_notice_with_five_working_days(world):
    application = refused(world)
    assert application.status == Application.Status.REFUSAL_NOTICE
    notice = RefusalNotice.objects.get(application=application)
    issued = notice.issued_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    assert notice.respond_by == add_working_days(issued, 5)
    assert (notice.decision.kind, notice.decision.outcome, notice.decision.final) == (
        "automatic",
        "DENY",
        False,
    )
    assert selectors.final_decision(application) is None  # nothing final yet: no objection clock
    assert Notification.objects.filter(recipient=world.denied, template="refusal_intended").count() == 1
    assert (
        selectors.explanation(application).outcome_text
        == "penolakan direncanakan (belum final): Anda dapat menanggapi"
    )
    assert AuditEntry.objects.filter(action="cases.refusal_notice_issued").count() == 1


def test_notice_then_the_citizen_adds_a_fact_then_a_person_decides(world):
    application = refused(world)
    services.respond_to_notice(
        application,
        actor=world.denied,
        statement="Suami saya terkena PHK bulan lalu; penghasilan keluarga kini Rp1.000.000.",
        circumstance="",
    )
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    proposal = selectors.latest_proposal(application)
    assert (proposal.kind, proposal.outcome, proposal.final) == ("proposal", "DENY", False)
    assert application.decision_due == deadlines.decision_due(world.sktm, complete_on=deadlines.local_today())
    # the officer sees the response on the case page, and decides: here, departing from the rules (diskresi)
    voice = selectors.officer_voice(application)
    assert [n.response for n in voice["notices"]] == [
        "Suami saya terkena PHK bulan lalu; penghasilan keluarga kini Rp1.000.000."
    ]
    assert staff_told("refusal_notice_answered", recipient=world.lurah_staff)
    services.claim_application(application, actor=world.lurah_staff)
    decision = services.decide_application(
        application,
        actor=world.lurah_staff,
        outcome="GRANT",
        reasons="Penghasilan keluarga berubah setelah PHK; dibuktikan surat keterangan.",
        discretion=services.DiscretionInput(
            purpose="legal_certainty",
            objective_reasons="Fakta baru dari warga",
            legal_basis="UU 30/2014 Pasal 22",
            conflict_of_interest=False,
        ),
    )
    application.refresh_from_db()
    assert (application.status, decision.kind, decision.final) == ("granted", "override", True)
    assert RefusalNotice.objects.get(application=application).status == "answered"


def test_notice_then_silence_then_final_after_five_working_days(world):
    application = refused(world)
    notice = RefusalNotice.objects.get(application=application)
    assert (
        services.finalise_lapsed_notices(today=notice.respond_by) == 0
    )  # the last day still belongs to the citizen
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSAL_NOTICE
    assert services.finalise_lapsed_notices(today=notice.respond_by + dt.timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.status == Application.Status.DENIED
    final = selectors.final_decision(application)
    assert (final.kind, final.outcome, final.final) == ("automatic", "DENY", True)
    assert final.evaluation == notice.decision.evaluation
    # the objection clock starts with the final refusal, once it is made known (issue 15), not with the notice
    known_on, _told = deadlines.made_known_on(application, decided_at=final.decided_at)
    assert known_on >= final.decided_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    assert deadlines.objection_deadline(final) == add_working_days(known_on, world.sktm.objection_days)
    assert selectors.citizen_actions(application)["objection_until"] is not None
    assert services.finalise_lapsed_notices(today=notice.respond_by + dt.timedelta(days=9)) == 0  # once only
    assert AuditEntry.objects.filter(action="cases.refusal_notice_lapsed").count() == 1


def test_uploading_a_document_during_the_notice_answers_it(world):
    application = refused(world)
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400
    services.attach_document(
        application, actor=world.denied, uploaded=SimpleUploadedFile("surat-phk.pdf", pdf, "application/pdf")
    )
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    notice = RefusalNotice.objects.get(application=application)
    assert notice.status == "answered"
    assert selectors.latest_proposal(application).outcome == "DENY"
    assert services.finalise_lapsed_notices(today=notice.respond_by + dt.timedelta(days=1)) == 0


def test_a_document_attached_during_the_notice_goes_to_a_person(world):
    application = refused(world)
    notice = RefusalNotice.objects.get(application=application)
    application.attachments.create(
        uploaded_by=world.denied,
        file="attachments/x.pdf",
        original_name="surat-phk.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_at=notice.issued_at + dt.timedelta(hours=1),
    )
    assert services.finalise_lapsed_notices(today=notice.respond_by + dt.timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert selectors.final_decision(application) is None


def test_a_written_statement_sends_a_refusal_to_a_person_instead(world):
    application = refused(world, statement="Rumah kami terkena banjir; penghasilan tidak tetap.")
    assert application.status == Application.Status.UNDER_REVIEW
    assert not RefusalNotice.objects.filter(application=application).exists()
    proposal = selectors.latest_proposal(application)
    assert (proposal.outcome, proposal.final) == ("DENY", False)


def test_a_response_needs_words_or_a_circumstance_and_only_the_applicant_may_respond(world):
    application = refused(world)
    with pytest.raises(ValidationFailed) as empty:
        services.respond_to_notice(application, actor=world.denied, statement="  ", circumstance="")
    assert empty.value.code == "response_required"
    with pytest.raises(PermissionDenied):
        services.respond_to_notice(application, actor=world.warga, statement="x", circumstance="")
    services.respond_to_notice(application, actor=world.denied, statement="", circumstance="illness")
    with pytest.raises(Conflict):
        services.respond_to_notice(application, actor=world.denied, statement="lagi", circumstance="")
    assert RefusalNotice.objects.get(application=application).circumstance == "illness"


def test_the_citizen_sees_each_fact_with_its_source_and_can_dispute_a_registry_fact(world):
    application = refused(world)
    facts = {row["name"]: row for row in selectors.deciding_facts(application)}
    assert facts["household_income"]["value"] == "Rp4.500.000"
    assert facts["household_income"]["source"] == "form" and not facts["household_income"]["registry"]
    registry_facts = [name for name, row in facts.items() if row["registry"]]
    assert registry_facts
    fact = registry_facts[0]
    assert facts[fact]["source"].startswith("registry:") and facts[fact]["as_of"]
    with pytest.raises(ValidationFailed):
        services.request_data_correction(application, actor=world.denied, fact="nope", statement="salah")
    correction = services.request_data_correction(
        application,
        actor=world.denied,
        fact=fact,
        statement="Data ini tidak benar: alamat saya sudah pindah.",
    )
    assert correction.due == add_working_days(deadlines.local_today(), 5)
    application.refresh_from_db()
    # disputing the data during the notice is a response: a person decides
    assert application.status == Application.Status.UNDER_REVIEW
    assert RefusalNotice.objects.get(application=application).circumstance == "data_error"
    assert staff_told("data_correction_requested", recipient=world.lurah_staff)
    with pytest.raises(Conflict):
        services.request_data_correction(application, actor=world.denied, fact=fact, statement="lagi")
    services.resolve_data_correction(
        correction,
        actor=world.lurah_staff,
        corrected=False,
        resolution="Data Dukcapil sudah diperiksa: benar.",
    )
    correction.refresh_from_db()
    assert correction.status == DataCorrectionRequest.Status.REJECTED
    assert (
        Notification.objects.filter(recipient=world.denied, template="data_correction_resolved").count() == 1
    )


def test_a_supervisor_reviews_each_diskresi_record_once(world):
    application, _ = services.submit_application(
        actor=world.refer,
        service=world.bansos,
        applicant=world.refer,
        form=world.forms[world.niks.REFER_NIK],
        form_source="json",
    )
    services.claim_application(application, actor=world.petugas)
    proposal = selectors.latest_proposal(application)
    # given the rules had proposed a refusal, granting is diskresi
    Decision.objects.filter(pk=proposal.pk).update(
        outcome="DENY", evaluation={**proposal.evaluation, "outcome": "DENY"}
    )
    services.decide_application(
        application,
        actor=world.petugas,
        outcome="GRANT",
        reasons="Keadaan khusus.",
        discretion=services.DiscretionInput(
            purpose="legal_certainty",
            objective_reasons="Alasan",
            legal_basis="UU 30/2014",
            conflict_of_interest=False,
        ),
    )
    discretion = Discretion.objects.get()
    assert discretion.review_due == deadlines.discretion_review_due(recorded_on=deadlines.local_today())
    assert list(services.discretion_register(world.supervisor)) == [discretion]
    with pytest.raises(PermissionDenied):
        services.review_discretion(discretion, actor=world.petugas2, verdict="acknowledged")
    with pytest.raises(ValidationFailed):
        services.review_discretion(discretion, actor=world.supervisor, verdict="returned", note="")
    services.review_discretion(discretion, actor=world.supervisor, verdict="returned", note="Lengkapi bukti.")
    discretion.refresh_from_db()
    assert (discretion.verdict, discretion.supervisor_acknowledged_by) == ("returned", world.supervisor)
    assert len(staff_told("discretion_returned", recipient=world.petugas)) == 1
    assert AuditEntry.objects.filter(action="cases.discretion_reviewed").count() == 1
    with pytest.raises(Conflict):
        services.review_discretion(discretion, actor=world.supervisor, verdict="supported")


def test_the_status_page_shows_the_notice_the_facts_and_the_accountable_official(world, client):
    application = refused(world)
    client.force_login(world.denied)
    page = client.get(f"/permohonan/{application.pk}/").content.decode()
    assert "Pemberitahuan rencana penolakan" in page
    assert "Data yang menentukan permohonan Anda" in page and "Rp4.500.000" in page
    assert "Lurah Cihapit" in page  # the accountable official of the deciding agency
    assert "Data ini tidak benar" in page
    empty = client.post(f"/permohonan/{application.pk}/tanggapan/", {"statement": "", "circumstance": ""})
    assert empty.status_code == 422
    assert "Tuliskan tanggapan Anda" in empty.content.decode()
    sent = client.post(f"/permohonan/{application.pk}/tanggapan/", {"statement": "", "circumstance": "moved"})
    assert sent.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    # the officer's case page shows the response to consider and the flag form
    client.force_login(world.lurah_staff)
    case = client.get(f"/petugas/permohonan/{application.pk}/").content.decode()
    assert "Tanggapan warga atas pemberitahuan rencana penolakan" in case and "saya pindah alamat" in case
    assert "Tandai aturan yang merugikan" in case


def test_an_impact_level_1_service_that_published_an_opt_out_refuses_at_once(world):

    Service.objects.filter(pk=world.sktm.pk).update(
        impact_level=1, refusal_notice_opt_out="Surat keterangan dapat diajukan ulang kapan saja tanpa biaya."
    )
    world.sktm.refresh_from_db()
    application = refused(world)
    assert application.status == Application.Status.DENIED
    assert not RefusalNotice.objects.filter(application=application).exists()
    assert selectors.final_decision(application).kind == "automatic"


def test_a_correction_request_waits_in_the_agencys_queue_until_answered(world, client):
    application = refused(world)
    fact = next(row["name"] for row in selectors.deciding_facts(application) if row["registry"])
    services.request_data_correction(application, actor=world.denied, fact=fact, statement="Data saya salah.")
    client.force_login(world.lurah_staff)
    queue = client.get("/petugas/antrean/").content.decode()
    assert application.reference in queue and "Permintaan perbaikan data" in queue
    client.force_login(world.petugas)  # another agency's officer does not see it
    assert application.reference not in client.get("/petugas/antrean/").content.decode()


def test_the_data_that_decided_is_named_and_written_in_the_readers_language(world, client):
    """Issue 20 point 3: on the citizen's notice each fact has its words (never its name), its source in words and
    its value the reader's way; the Indonesian page keeps the pack's own descriptions and ya/tidak."""
    from django.conf import settings

    from pamong.core.tests.test_journeys import visible_text

    application = refused(world)
    client.force_login(world.denied)
    shown = {}
    for language in ("en", "id"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        shown[language] = visible_text(client.get(f"/permohonan/{application.pk}/").content.decode())
    names = [row["name"] for row in selectors.deciding_facts(application)]
    for language, text in shown.items():
        for name in names:
            assert f" {name} " not in f" {text} ", (language, name)
        assert "registry:" not in text, text[text.find("registry:") - 300 :][:400]
    assert "Rp4,500,000" in shown["en"] and "Rp4.500.000" in shown["id"]
    assert "Dukcapil (population register)" in shown["en"]
    assert "Dukcapil (data kependudukan)" in shown["id"]


@pytest.mark.parametrize(("language", "expected"), [("id", "2 Desember 2026"), ("en", "2 December 2026")])
def test_a_fact_is_dated_on_the_agencys_calendar_in_the_readers_words(language, expected):
    # Read by a registry at 17:55 UTC: already 2 December in Jakarta (UTC+7), never the raw "2026-12-01".
    with translation.override(language):
        assert selectors.as_of_text("2026-12-01T17:55:12Z") == expected
        assert selectors.as_of_text("2026-12-02") == expected  # a filing date, already on the calendar
        assert selectors.as_of_text("") == "" and selectors.as_of_text("garbled") == ""

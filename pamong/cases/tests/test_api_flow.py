"""The decision path over HTTP, end to end: apply, decide, explain, object, review, pause, deem, retry, isolate."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamong.audit.models import AuditEntry
from pamong.audit.receipt import verify_receipt
from pamong.audit.selectors import published_key
from pamong.cases import deadlines, services
from pamong.cases.models import Application, Decision, Discretion
from pamong.cases.services import submission
from pamong.core.testing.openapi import assert_matches_schema
from pamong.notify.models import Notification
from pamong.staffing import routing
from pamong.staffing.models import StaffNotice

pytestmark = pytest.mark.django_db

APPLY = "/api/v1/applications"


def apply(client, service: str, form: dict, key: str = "", statement: str = ""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = json.dumps({"service": service, "form": form, "statement": statement})
    return client.post(APPLY, body, content_type="application/json", **headers)


def post(client, path: str, payload: dict, **headers):
    return client.post(path, json.dumps(payload), content_type="application/json", **headers)


SKTM_FORM = {
    "purpose": "pendidikan",
    "household_size": 3,
    "household_income": 4_500_000,
    "has_rt_rw_letter": True,
}


def refused_after_notice(client, form: dict = SKTM_FORM) -> dict:
    """An automated refusal is first a notice of intended refusal; the citizen stays silent past its period."""
    body = apply(client, "sktm", form).json()
    assert (body["status"], body["decision"]["outcome"], body["decision"]["final"]) == (
        "refusal_notice",
        "DENY",
        False,
    )
    assert services.finalise_lapsed_notices(today=deadlines.local_today() + dt.timedelta(days=30)) == 1
    return client.get(f"{APPLY}/{body['id']}").json()


def test_automatic_grant_with_explanation_and_a_receipt(world, client_for):
    client = client_for(world.warga)
    response = apply(client, "bansos-pkh", world.forms[world.niks.WARGA_NIK])
    assert response.status_code == 201
    body = response.json()
    assert_matches_schema(APPLY, "post", 201, body)
    assert body["status"] == "granted"
    decision = body["decision"]
    assert (decision["kind"], decision["outcome"], decision["final"], decision["by_person"]) == (
        "automatic",
        "GRANT",
        True,
        False,
    )
    assert [rule["status"] for rule in decision["rules"]] == ["passed"] * len(decision["rules"])
    assert any("tidak melebihi 120% garis kemiskinan" in rule["explanation"] for rule in decision["rules"])
    assert all(rule["legal_basis"] for rule in decision["rules"])
    assert [step["action"] for step in body["timeline"]] == [
        "cases.application_submitted",
        "cases.decision_recorded",
    ]
    receipt = client.get(f"{APPLY}/{body['id']}/receipt").json()
    assert verify_receipt(receipt, trusted_public_key=published_key()["public_key"]) == []
    assert receipt["leaf_index"] == decision["audit_index"]
    stored = Decision.objects.get(pk=decision["id"])
    assert stored.evaluation["content_hash"].startswith("sha256:")
    assert stored.facts["facts"]["in_dtsen"]["source"].startswith("registry:dtsen")
    assert Notification.objects.filter(recipient=world.warga, template="decision_made").count() == 1


def test_automatic_deny_is_explained_and_an_objection_overturns_it(world, client_for):
    citizen = client_for(world.denied)
    body = refused_after_notice(citizen)
    assert (body["status"], body["decision"]["kind"], body["decision"]["outcome"]) == (
        "denied",
        "automatic",
        "DENY",
    )
    failed = [rule for rule in body["decision"]["rules"] if rule["status"] == "failed"]
    assert any(rule["rule_id"] == "income_below_poverty_line" for rule in failed)
    assert (
        "melebihi garis kemiskinan"
        in next(r for r in failed if r["rule_id"] == "income_below_poverty_line")["explanation"]
    )
    assert body["next_steps"][0].startswith("Anda dapat mengajukan keberatan sampai ")

    objection = post(
        citizen,
        f"{APPLY}/{body['id']}/objection",
        {"statement": "Penghasilan suami saya berhenti bulan lalu."},
    )
    assert objection.status_code == 201
    assert Application.objects.get(pk=body["id"]).status == "objection"

    officer = client_for(world.lurah_staff)
    decided = post(
        officer,
        f"/api/v1/staff/objections/{objection.json()['id']}/decide",
        {"overturn": True, "reasons": "Surat PHK dilampirkan; penghasilan kini di bawah garis kemiskinan."},
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "granted"
    assert decided.json()["decision"]["kind"] == "objection"
    receipt = client_for(world.denied).get(f"{APPLY}/{body['id']}/receipt").json()
    assert verify_receipt(receipt, trusted_public_key=published_key()["public_key"]) == []
    assert json.loads(receipt["entry"])["action"] == "cases.objection_decided"


def refused_and_told_on(citizen, day: dt.date) -> dict:
    """A refusal made final after its notice, decided and delivered to the citizen at 09.00 UTC on `day`."""
    body = refused_after_notice(citizen)
    decided = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC)
    Decision.objects.filter(application_id=body["id"]).update(decided_at=decided)
    Notification.objects.filter(subject_ref=f"cases.application:{body['id']}").update(
        created_at=decided, sent_at=decided, notified_at=decided, status="sent"
    )
    return body


def test_a_late_objection_is_refused_with_the_reason_and_the_date(world, client_for):
    citizen = client_for(world.denied)
    # Given the decision was made and delivered on Monday 2 March 2026: 21 working days after the citizen was
    # told is Wednesday 8 April 2026 (the clock runs from notification, UU 30/2014 Art. 77(1)).
    body = refused_and_told_on(citizen, dt.date(2026, 3, 2))
    response = post(citizen, f"{APPLY}/{body['id']}/objection", {"statement": "Saya keberatan."})
    assert response.status_code == 422
    assert response.json()["code"] == "objection_too_late"
    assert response.json()["message"].startswith(
        "Batas waktu keberatan sudah lewat: berakhir pada 8 April 2026"
    )
    assert Application.objects.get(pk=body["id"]).status == "denied"


def test_a_late_objection_is_refused_with_its_date_in_the_readers_language(world, client_for):
    citizen = client_for(world.denied)
    # Told on Monday 5 January 2026: the 21 working days end in February, spelled differently in the two languages.
    body = refused_and_told_on(citizen, dt.date(2026, 1, 5))
    response = post(
        citizen, f"{APPLY}/{body['id']}/objection", {"statement": "I object."}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422 and response.json()["code"] == "objection_too_late"
    message = response.json()["message"]
    assert message.startswith("The time to object has passed: it ended on ") and " February 2026 " in message
    assert "Februari" not in message


def test_referral_decided_by_an_officer(world, client_for):
    body = apply(client_for(world.refer), "bansos-pkh", world.forms[world.niks.REFER_NIK]).json()
    assert (body["status"], body["decision"]["outcome"], body["decision"]["final"]) == (
        "under_review",
        "REFER",
        False,
    )
    refer_rule = next(r for r in body["decision"]["rules"] if r["rule_id"] == "address_matches_kk")
    assert refer_rule["status"] == "failed"
    assert "tidak membuat permohonan Anda ditolak" in refer_rule["explanation"]

    officer = client_for(world.petugas)
    assert post(officer, f"/api/v1/staff/applications/{body['id']}/claim", {}).status_code == 200
    decided = post(
        officer,
        f"/api/v1/staff/applications/{body['id']}/decide",
        {"outcome": "GRANT", "reasons": "Warga pindah domisili; surat pindah sedang diproses."},
    )
    assert decided.status_code == 200
    assert (decided.json()["decision"]["kind"], decided.json()["status"]) == ("human", "granted")


def test_overriding_a_proposed_denial_needs_the_discretion_record(world, client_for):
    body = apply(client_for(world.denied), "bansos-pkh", world.forms[world.niks.DENIED_NIK]).json()
    assert (body["status"], body["decision"]["kind"], body["decision"]["outcome"]) == (
        "under_review",
        "proposal",
        "DENY",
    )
    officer = client_for(world.petugas)
    post(officer, f"/api/v1/staff/applications/{body['id']}/claim", {})
    path = f"/api/v1/staff/applications/{body['id']}/decide"
    entries = AuditEntry.objects.count()

    refused = post(officer, path, {"outcome": "GRANT", "reasons": "Keluarga baru saja kehilangan pekerjaan."})
    assert refused.status_code == 422
    assert refused.json()["code"] == "discretion_record_required"
    assert refused.json()["details"]["missing"] == [
        "purpose",
        "objective_reasons",
        "legal_basis",
        "conflict_of_interest",
    ]
    assert AuditEntry.objects.count() == entries
    assert Application.objects.get(pk=body["id"]).status == "under_review"

    granted = post(
        officer,
        path,
        {
            "outcome": "GRANT",
            "reasons": "Keluarga baru saja kehilangan pekerjaan; mobil sudah dijual.",
            "discretion": {
                "purpose": "overcome_stagnation",
                "objective_reasons": "Bukti PHK 1 Maret 2026 dan akta jual beli mobil 3 Maret 2026 terlampir.",
                "legal_basis": "UU 30/2014 Pasal 22 ayat (2) huruf d",
                "conflict_of_interest": False,
            },
        },
    )
    assert granted.status_code == 200
    assert (granted.json()["decision"]["kind"], granted.json()["status"]) == ("override", "granted")
    discretion = Discretion.objects.get()
    assert discretion.decision.decided_by == world.petugas
    # The supervisor is told through the staffing routing: mendesak, so in their working hours (held until then).
    told = StaffNotice.objects.get(recipient=world.supervisor, template="discretion_recorded")
    assert told.urgency == "mendesak"
    routing.route_due(now=told.deliver_at)
    assert (
        Notification.objects.filter(recipient=world.supervisor, template="discretion_recorded").count() == 1
    )
    assert AuditEntry.objects.filter(action="cases.decision_overridden").count() == 1


def test_information_request_pauses_the_clock_by_exactly_the_paused_working_days(
    world, client_for, monkeypatch
):
    # Filed Monday 9 March 2026: due 5 working days later, Monday 16 March.
    monkeypatch.setattr(deadlines, "local_today", lambda: dt.date(2026, 3, 9))
    body = apply(client_for(world.refer), "bansos-pkh", world.forms[world.niks.REFER_NIK]).json()
    assert body["decision_due"] == "2026-03-16"
    officer = client_for(world.petugas)
    post(officer, f"/api/v1/staff/applications/{body['id']}/claim", {})
    # Asked on Friday 13 March; answered Thursday 26 March. Paused working days in (13 Mar, 26 Mar]:
    # 16, 17, 25, 26 March (18–24 March are Nyepi, Idul Fitri and cuti bersama) = 4.
    monkeypatch.setattr(deadlines, "local_today", lambda: dt.date(2026, 3, 13))
    asked = post(
        officer,
        f"/api/v1/staff/applications/{body['id']}/request-information",
        {"message": "Unggah surat keterangan domisili dari RT/RW."},
    )
    assert asked.json()["status"] == "info_requested"
    monkeypatch.setattr(deadlines, "local_today", lambda: dt.date(2026, 3, 26))
    answered = post(
        client_for(world.refer),
        f"{APPLY}/{body['id']}/information",
        {"answer": "Surat domisili dari RT 03/RW 05 sudah saya unggah."},
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "under_review"
    # The deadline moves by those 4 working days: after Monday 16 March come 17, 25, 26 and 27 March.
    application = Application.objects.get(pk=body["id"])
    assert application.information_requests.get().paused_working_days == 4
    assert application.decision_due == dt.date(2026, 3, 27)


def test_deemed_approval_when_no_decision_in_time(world, client_for):
    body = apply(client_for(world.refer), "bansos-pkh", world.forms[world.niks.REFER_NIK]).json()
    due = dt.date.fromisoformat(body["decision_due"])
    assert services.deem_overdue(today=due) == 0  # deciding on the due date is still in time
    assert services.deem_overdue(today=due + dt.timedelta(days=1)) == 1
    detail = client_for(world.refer).get(f"{APPLY}/{body['id']}").json()
    assert detail["status"] == "deemed_granted"
    assert (detail["decision"]["kind"], detail["decision"]["outcome"]) == ("deemed", "GRANT")
    assert "UU 30/2014 Pasal 53" in detail["decision"]["legal_basis"]
    assert Notification.objects.filter(recipient=world.refer, template="deemed_granted").count() == 1
    assert services.deem_overdue(today=due + dt.timedelta(days=2)) == 0  # idempotent


def test_an_idempotent_retry_creates_nothing_new(world, client_for):
    client = client_for(world.warga)
    form = world.forms[world.niks.WARGA_NIK]
    first = apply(client, "bansos-pkh", form, key="retry-7f3a")
    entries, notifications = AuditEntry.objects.count(), Notification.objects.count()
    again = apply(client, "bansos-pkh", form, key="retry-7f3a")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Application.objects.count() == 1
    assert (AuditEntry.objects.count(), Notification.objects.count()) == (entries, notifications)
    changed = apply(client, "bansos-pkh", {**form, "household_size": "6"}, key="retry-7f3a")
    assert changed.status_code == 409
    assert changed.json()["code"] == "idempotency_key_reused"
    assert Application.objects.count() == 1


def test_another_citizens_application_is_a_404(world, client_for):
    body = apply(client_for(world.warga), "bansos-pkh", world.forms[world.niks.WARGA_NIK]).json()
    stranger = client_for(world.denied)
    for path in [f"{APPLY}/{body['id']}", f"{APPLY}/{body['id']}/receipt"]:
        response = stranger.get(path)
        assert response.status_code == 404
        assert response.json() == {"code": "application_not_found", "message": "Permohonan tidak ditemukan."}
    assert post(stranger, f"{APPLY}/{body['id']}/objection", {"statement": "x"}).status_code == 404
    assert (
        stranger.get(f"{APPLY}/00000000-0000-0000-0000-000000000000").json()["code"]
        == "application_not_found"
    )
    assert stranger.get(f"{APPLY}/bukan-uuid").status_code == 404


def test_invalid_form_gets_indonesian_messages_and_creates_nothing(world, client_for):
    response = apply(client_for(world.warga), "bansos-pkh", {"household_size": "lima", "zodiak": "leo"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "form_invalid"
    assert (
        body["details"]["household_size"]
        == "Jumlah anggota keluarga harus bilangan bulat (angka JSON), bukan teks."
    )
    assert body["details"]["household_income"] == "Penghasilan keluarga per bulan (rupiah) wajib diisi."
    assert body["details"]["form"] == "Isian tidak dikenal: zodiak."
    assert Application.objects.count() == 0
    assert AuditEntry.objects.filter(action="cases.application_submitted").count() == 0


def test_an_officer_of_another_agency_cannot_see_or_act(world, client_for):
    body = apply(client_for(world.refer), "bansos-pkh", world.forms[world.niks.REFER_NIK]).json()
    outsider = client_for(world.dukcapil_officer)
    assert outsider.get(f"{APPLY}/{body['id']}").status_code == 404
    assert post(outsider, f"/api/v1/staff/applications/{body['id']}/claim", {}).status_code == 404
    assert outsider.get("/api/v1/staff/queue").json()["items"] == []


def test_unauthenticated_requests_are_401(client, world):
    assert client.get(APPLY).status_code == 401
    assert apply(client, "bansos-pkh", {}).status_code == 401


def application_with_reference(world, reference: str) -> Application:
    """Another citizen's application that holds `reference`."""
    return Application.objects.create(
        reference=reference,
        service=world.kk,
        applicant=world.denied,
        channel="web",
        status="under_review",
        filed_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
        completed_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
        decision_due=dt.date(2026, 3, 10),
    )


def test_a_taken_reference_is_drawn_again(world, monkeypatch):
    draws = iter("AAAAAAAA" + "AAAAAAAA" + "BBBBBBBB")
    monkeypatch.setattr(submission.secrets, "choice", lambda alphabet: next(draws))
    first = services.new_reference(dt.date(2026, 3, 9))
    application_with_reference(world, first)
    assert first == "PMG-20260309-AAAAAAAA"
    assert services.new_reference(dt.date(2026, 3, 9)) == "PMG-20260309-BBBBBBBB"


def test_a_filing_whose_drawn_reference_is_taken_is_written_again_under_a_new_one(
    world, client_for, monkeypatch
):
    today = deadlines.local_today()
    taken = application_with_reference(world, f"PMG-{today:%Y%m%d}-AAAAAAAA")
    entries_before = AuditEntry.objects.count()
    draws = iter([taken.reference, f"PMG-{today:%Y%m%d}-BBBBBBBB"])
    monkeypatch.setattr(submission, "draw_reference", lambda day: next(draws))

    response = apply(client_for(world.warga), "bansos-pkh", world.forms[world.niks.WARGA_NIK])

    assert response.status_code == 201
    body = response.json()
    assert (body["reference"], body["status"]) == (f"PMG-{today:%Y%m%d}-BBBBBBBB", "granted")
    # The first attempt left nothing behind: one new application, and only the second attempt's two entries.
    assert Application.objects.exclude(pk=taken.pk).count() == 1
    assert AuditEntry.objects.count() == entries_before + 2
    assert body["decision"]["audit_index"] == entries_before + 1


def test_appeal_after_an_upheld_objection_decided_by_the_supervisor(world, client_for):
    citizen = client_for(world.denied)
    body = refused_after_notice(citizen)
    objection = post(
        citizen, f"{APPLY}/{body['id']}/objection", {"statement": "Penghasilan kami turun."}
    ).json()
    upheld = post(
        client_for(world.lurah_staff),
        f"/api/v1/staff/objections/{objection['id']}/decide",
        {"overturn": False, "reasons": "Slip gaji terbaru masih di atas garis kemiskinan."},
    )
    assert upheld.json()["status"] == "denied"
    assert upheld.json()["next_steps"][0].startswith("Keberatan Anda ditolak. Anda dapat mengajukan banding")

    appeal = post(
        client_for(world.denied), f"{APPLY}/{body['id']}/appeal", {"statement": "Mohon ditinjau atasan."}
    )
    assert appeal.status_code == 201
    assert appeal.json()["stage"] == "appeal"
    # An appeal is decided at the supervisor's level: an officer is refused, nothing changes.
    refused = post(
        client_for(world.lurah_staff),
        f"/api/v1/staff/objections/{appeal.json()['id']}/decide",
        {"overturn": True, "reasons": "x"},
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "supervisor_required")
    assert Application.objects.get(pk=body["id"]).status == "appeal"


def test_an_appeal_not_decided_in_time_is_deemed_granted(world, client_for):
    citizen = client_for(world.denied)
    body = refused_after_notice(citizen)
    objection = post(
        citizen, f"{APPLY}/{body['id']}/objection", {"statement": "Penghasilan kami turun."}
    ).json()
    post(
        client_for(world.lurah_staff),
        f"/api/v1/staff/objections/{objection['id']}/decide",
        {"overturn": False, "reasons": "Masih di atas garis kemiskinan."},
    )
    appeal = post(
        client_for(world.denied), f"{APPLY}/{body['id']}/appeal", {"statement": "Mohon ditinjau."}
    ).json()
    due = dt.date.fromisoformat(appeal["due"])
    assert services.deem_overdue(today=due + dt.timedelta(days=1)) == 1
    detail = client_for(world.denied).get(f"{APPLY}/{body['id']}").json()
    assert (detail["status"], detail["decision"]["kind"]) == ("deemed_granted", "deemed")
    assert "Pasal 78 ayat (5)" in detail["decision"]["legal_basis"]


def test_a_nik_in_a_form_must_be_one_that_can_exist(world, client_for):
    form = {
        "child_name": "Bayu",
        "birth_date": "2026-01-05",
        "birth_place": "Bandung",
        "mother_nik": "9999994108870002",
        "has_birth_letter": True,
    }
    response = apply(client_for(world.warga), "akta-kelahiran", form)
    assert response.status_code == 422
    assert response.json()["details"]["mother_nik"] == (
        "Enam angka pertama NIK (999999) bukan kode kecamatan yang terdaftar. "
        "Periksa kembali NIK pada KTP-el atau Kartu Keluarga Anda."
    )
    assert Application.objects.count() == 0


def test_the_counter_refuses_an_impossible_nik(world, client_for):
    payload = {
        "service": "bansos-pkh",
        "form": world.forms[world.niks.WARGA_NIK],
        "nik": "3273094199870002",
        "full_name": "Siti",
        "consent_method": "tanda_tangan",
        "consent_statement": "Saya setuju.",
    }
    response = post(client_for(world.loket), "/api/v1/staff/counter/applications", payload)
    assert response.status_code == 422
    assert response.json()["code"] == "nik_birth_date_invalid"
    assert Application.objects.count() == 0


def test_the_notice_of_intended_refusal_over_the_api(world, client_for):
    citizen = client_for(world.denied)
    body = apply(citizen, "sktm", SKTM_FORM).json()
    assert body["status"] == "refusal_notice"
    wrong = post(citizen, f"{APPLY}/{body['id']}/notice-response", {"circumstance": "holiday"})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "invalid_circumstance")
    disputed = post(
        citizen,
        f"{APPLY}/{body['id']}/data-correction",
        {"fact": "household_income", "statement": "Penghasilan kami kini Rp1.000.000."},
    )
    assert disputed.status_code == 201 and disputed.json()["source"] == "form"
    # disputing the data during the notice is a response: a person decides
    assert client_for(world.denied).get(f"{APPLY}/{body['id']}").json()["status"] == "under_review"
    late = post(citizen, f"{APPLY}/{body['id']}/notice-response", {"statement": "Tambahan."})
    assert (late.status_code, late.json()["code"]) == (409, "no_open_notice")

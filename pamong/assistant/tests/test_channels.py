"""The assistant's channels: /tanya/ (no JavaScript), POST /api/v1/assistant/ask and the messaging gateway's
signed webhook; the issue's must-show questions; hand-over to the agency; who hears about which application."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pamong.assistant.models import Handover, Question
from pamong.audit.models import AuditEntry
from pamong.cases.deadlines import objection_deadline
from pamong.cases.selectors import final_decision
from pamong.catalog.models import Service
from pamong.core import gateway
from pamong.core.formatting import format_date
from pamong.core.testing.staff_notices import staff_told
from pamong.core.workdays import add_working_days

pytestmark = pytest.mark.django_db

AKTA = "syarat bikin akta kelahiran apa aja?"
WHY = "kenapa bansos saya ditolak"
PRESIDENT = "siapa presiden pertama?"


def ask_api(client, question: str):
    return client.post("/api/v1/assistant/ask", {"question": question}, content_type="application/json")


def flat(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- must show: the birth certificate's requirements -------------------------------------------------------


def test_api_answers_the_birth_certificate_requirements_with_a_link(world, client):
    response = ask_api(client, AKTA)
    assert response.status_code == 200
    body = response.json()
    service = Service.objects.get(slug="akta-kelahiran")
    assert body["handover"] is False
    assert body["sources"][0] == {
        "kind": "service",
        "slug": "akta-kelahiran",
        "url": "/layanan/akta-kelahiran/",
    }
    lines = body["answer"].split("\n")
    assert lines[0] == "Persyaratan Akta Kelahiran:"  # the direct answer first
    assert lines[1 : 1 + len(service.requirements)] == [f"• {item}" for item in service.requirements]
    assert "Akta Kelahiran selesai paling lama 1 hari kerja setelah persyaratan lengkap." in lines
    assert lines[-1] == "Selengkapnya: /layanan/akta-kelahiran/"
    assert Handover.objects.count() == 0
    assert Question.objects.get().top_source == "service:akta-kelahiran"


def test_the_page_answers_without_javascript_in_under_30_kb(world, client):
    form = client.get("/tanya/")
    assert form.status_code == 200
    assert b"<script" not in form.content and 'name="question"' in form.content.decode()
    response = client.post("/tanya/", {"question": AKTA})
    html = flat(response)
    assert response.status_code == 200
    assert len(response.content) <= 30 * 1024
    assert b"<script" not in response.content
    for item in Service.objects.get(slug="akta-kelahiran").requirements:
        assert f"<p>• {item}</p>" in html
    assert '<li><a href="/layanan/akta-kelahiran/">Akta Kelahiran</a></li>' in html
    assert 'name="viewport" content="width=device-width' in html  # the site's 360 px layout


def test_an_empty_question_is_refused_clearly(world, client):
    page = client.post("/tanya/", {"question": ""})
    assert page.status_code == 422 and "Bidang ini tidak boleh kosong." in flat(page)
    api = ask_api(client, "   ")
    assert api.status_code == 422 and api.json()["code"] == "empty_question"
    too_long = ask_api(client, "a" * 501)
    assert too_long.status_code == 422 and too_long.json()["code"] == "invalid_input"
    assert Question.objects.count() == 0


# --- must show: why was I refused ----------------------------------------------------------------------------


def test_the_refused_citizen_hears_the_failing_rules_and_the_objection_date(world, refused, client_for):
    decision = final_decision(refused)
    failed = [
        rule["explanation"]
        for rule in refused.decisions.last().evaluation["rules"]
        if rule["status"] == "failed"
    ]
    deadline = format_date(objection_deadline(decision))
    body = ask_api(client_for(world.denied), WHY).json()
    lines = body["answer"].split("\n")
    assert body["handover"] is False
    assert (
        lines[0]
        == f"Permohonan Bantuan Sosial Program Keluarga Harapan (PKH) Anda ({refused.reference}) ditolak."
    )
    assert lines[1] == "Alasannya menurut aturan yang dipublikasikan:"
    assert lines[2 : 2 + len(failed)] == [f"• {text}" for text in failed] and len(failed) >= 2
    assert "Alasan petugas: Penghasilan di atas garis kemiskinan." in lines
    assert f"Anda dapat mengajukan keberatan sampai {deadline} di /permohonan/{refused.pk}/" in lines
    assert body["sources"] == [
        {"kind": "application", "slug": refused.reference, "url": f"/permohonan/{refused.pk}/"}
    ]
    page = flat(client_for(world.denied).post("/tanya/", {"question": WHY}))
    assert failed[0] in page and deadline in page


def test_nobody_else_hears_about_that_application(world, refused, client, client_for):
    other = ask_api(client_for(world.warga), WHY).json()
    assert refused.reference not in other["answer"]
    assert other["answer"].startswith("Belum ada permohonan atas nama Anda untuk Bantuan Sosial")
    client.logout()
    anonymous = ask_api(client, WHY).json()
    assert refused.reference not in anonymous["answer"]
    assert anonymous["answer"].startswith("Untuk melihat permohonan Anda sendiri, silakan masuk")
    staff = ask_api(client_for(world.petugas), WHY).json()  # staff read cases on their own pages, not here
    assert refused.reference not in staff["answer"]


def test_a_proposed_refusal_is_told_as_a_proposal(world, client_for):
    from pamong.cases import services as cases

    application, _ = cases.submit_application(
        actor=world.denied,
        service=world.bansos,
        applicant=world.denied,
        form=dict(world.forms[world.niks.DENIED_NIK]),
    )
    answer = ask_api(client_for(world.denied), WHY).json()["answer"]
    assert answer.startswith(
        f"Permohonan Bantuan Sosial Program Keluarga Harapan (PKH) Anda ({application.reference}) belum diputus: "
        f"aturan mengusulkan penolakan, dan seorang petugas yang memutus paling lambat "
        f"{format_date(application.decision_due)}."
    )
    assert "ditolak." not in answer.split("\n")[0]


# --- must show: hand-over, as a complaint of type permintaan informasi ----------------------------------------


def jakarta_day(moment) -> dt.date:
    return moment.astimezone(ZoneInfo("Asia/Jakarta")).date()


def test_an_off_topic_question_is_handed_over_as_an_information_request(world, client, client_for):
    before = AuditEntry.objects.count()
    body = ask_api(client, PRESIDENT).json()
    assert body["handover"] is True and body["sources"] == []
    handover = Handover.objects.get()
    complaint = handover.complaint
    assert handover.reason == "out_of_scope" and handover.agency.slug == "disdukcapil-kota-bandung"
    assert (complaint.kind, complaint.confidential, complaint.status) == ("informasi", True, "received")
    assert complaint.agency.slug == "disdukcapil-kota-bandung" and complaint.reporter is None
    assert complaint.channel == "api" and handover.answer_by == complaint.due_at
    # the transcript is attached (masked, encrypted at rest); the Handover row keeps none of it
    lines = complaint.description.split("\n")
    assert lines[0] == (
        "Percakapan dengan asisten Tanya, diteruskan kepada petugas (bukan tentang layanan instansi; kanal: API)."
    )
    assert lines[1] == f"Warga: {PRESIDENT}"
    assert lines[2].startswith("Asisten: Maaf, pertanyaan ini di luar layanan yang kami ketahui")
    assert handover.transcript == [] and handover.contact == "" and handover.citizen is None
    # the person reads the report number and when to expect the answer: working hours, the 5th working day
    last = add_working_days(jakarta_day(complaint.received_at), 5)
    assert body["answer"].startswith("Maaf, pertanyaan ini di luar layanan yang kami ketahui")
    assert f"Nomor laporan: {complaint.reference}." in body["answer"]
    assert (
        "Petugas menjawab pada hari kerja (Senin–Jumat, kecuali hari libur nasional dan cuti bersama) pukul "
        f"08.00–16.00 WIB, paling lambat {format_date(last)}." in body["answer"]
    )
    assert jakarta_day(complaint.due_at) == last + dt.timedelta(days=1)  # 24:00 of the 5th working day
    assert "Anda tidak meninggalkan kontak" in body["answer"]
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))[before:]
    assert actions == ["complaints.submitted", "assistant.handover_opened"]
    # the agency's complaints function is told, through staffing's routing; nobody of another agency
    told = staff_told("assistant_handover")
    assert told and {t.recipient for t in told} == {world.dukcapil_officer}
    assert told[0].urgency == "mendesak" and complaint.reference in told[0].body
    assert f"/pengaduan/masuk/{complaint.pk}/" in told[0].body
    # in the complaints staff queue of the agency, with the transcript; never on the public list
    inbox = flat(client_for(world.dukcapil_officer).get("/pengaduan/masuk/"))
    assert complaint.reference in inbox
    detail = client_for(world.dukcapil_officer).get(f"/pengaduan/masuk/{complaint.pk}/")
    assert detail.status_code == 200 and PRESIDENT in flat(detail)
    assert complaint.reference not in flat(client_for(world.petugas).get("/pengaduan/masuk/"))
    client.logout()
    assert complaint.reference not in flat(client.get("/pengaduan/"))
    page = flat(client.post("/tanya/", {"question": PRESIDENT, "contact": "budi@contoh.id"}))
    assert "Maaf, pertanyaan ini di luar layanan" in page and "Sumber" not in page
    assert "Petugas menjawab melalui kontak yang Anda berikan." in page
    assert Handover.objects.latest("pk").complaint.contact == "budi@contoh.id"


def test_a_signed_in_citizen_reads_the_answer_on_their_own_report(world, client_for):
    page = client_for(world.warga).post("/tanya/", {"question": "sy mau ngomong sama petugas"})
    complaint = Handover.objects.get().complaint
    assert complaint.reporter == world.warga and not complaint.anonymous
    assert f'href="/pengaduan/l/{complaint.reference}/"' in flat(page)
    mine = client_for(world.warga).get(f"/pengaduan/l/{complaint.reference}/")
    assert mine.status_code == 200 and "sy mau ngomong sama petugas" in flat(mine)
    # confidential: another citizen gets the same 404 as for a missing report
    assert client_for(world.denied).get(f"/pengaduan/l/{complaint.reference}/").status_code == 404


def test_distress_reaches_the_on_duty_officer_at_once_as_darurat(world, client):
    body = ask_api(client, "sy udah ga kuat lagi pengen mati").json()
    handover = Handover.objects.get()
    complaint = handover.complaint
    assert (handover.reason, handover.urgency, complaint.urgency) == ("distress", "darurat", "darurat")
    assert complaint.due_at == complaint.received_at + dt.timedelta(hours=4)
    told = staff_told("complaint_emergency")
    assert told and all(t.urgency == "darurat" for t in told)
    assert {t.recipient for t in told} == {world.dukcapil_officer}
    assert complaint.reference in told[0].subject
    assert staff_told("assistant_handover") == []  # told once, by the complaints module's alert
    due = complaint.due_at.astimezone(ZoneInfo("Asia/Jakarta"))
    assert body["answer"].startswith("Pesan Anda sudah kami teruskan sekarang juga kepada petugas jaga")
    assert "hubungi layanan darurat 112" in body["answer"]
    assert (
        f"Petugas jaga menjawab paling lambat {format_date(due.date())} pukul {due:%H.%M} WIB."
        in body["answer"]
    )


@pytest.mark.parametrize(
    ("question", "reason", "urgency"),
    [
        ("anjing lu pelayanan lelet", "abuse", "biasa"),
        ("sy mau ngomong sama petugas", "human", "biasa"),
        ("sy udah ga kuat lagi pengen mati", "distress", "darurat"),
        ("bikin paspor dmn", "other_agency", "biasa"),
    ],
)
def test_hand_over_reasons(world, client, question, reason, urgency):
    body = ask_api(client, question).json()
    handover = Handover.objects.get()
    assert body["handover"] is True
    assert (handover.reason, handover.urgency) == (reason, urgency)
    assert handover.complaint.kind == "informasi"


def test_a_hand_over_s_category_is_the_service_it_came_closest_to(world, client):
    body = ask_api(client, "pkh tabungan emas investasi saham reksadana").json()
    assert body["handover"] is True
    handover = Handover.objects.get()
    assert handover.reason == "low_confidence" and handover.agency.slug == "dinsos-kota-bandung"
    assert handover.complaint.service.slug == "bansos-pkh"
    assert staff_told("assistant_handover")[0].recipient.agency == handover.agency


def test_personal_numbers_are_masked_in_what_is_kept(world, client):
    question = "nik sy 3273071206750001 hp 0812-3456-7890 mau ngomong sama petugas"
    ask_api(client, question)
    masked = "nik sy [NIK] hp [telepon] mau ngomong sama petugas"
    assert Question.objects.get().text == masked
    description = Handover.objects.get().complaint.description
    assert f"Warga: {masked}" in description.split("\n")
    assert "3273071206750001" not in description and "3456" not in description


# --- the agency's page of hand-overs ---------------------------------------------------------------------------


def test_staff_see_only_their_agencys_hand_overs(world, client, client_for):
    ask_api(client, PRESIDENT)
    reference = Handover.objects.get().complaint.reference
    page = client_for(world.dukcapil_officer).get("/instansi/tanya/")
    assert page.status_code == 200
    assert f'href="/pengaduan/masuk/{Handover.objects.get().complaint.pk}/">{reference}</a>' in flat(page)
    other = client_for(world.petugas).get("/instansi/tanya/")
    assert other.status_code == 200 and reference not in flat(other)
    assert "Tidak ada pertanyaan di sini." in flat(other)
    assert client_for(world.warga).get("/instansi/tanya/").status_code == 404


def test_an_answered_complaint_moves_the_hand_over_to_answered(world, client, client_for):
    from pamong.complaints import services as complaints

    ask_api(client, PRESIDENT)
    complaint = Handover.objects.get().complaint
    officer = client_for(world.dukcapil_officer)
    assert complaint.reference in flat(officer.get("/instansi/tanya/"))
    officer_user = world.dukcapil_officer
    complaints.verify_complaint(complaint, actor=officer_user, urgency="ringan")
    complaints.forward_complaint(complaint, actor=officer_user, officer=officer_user)
    complaints.start_complaint(complaint, actor=officer_user, note="Pertanyaan Anda sedang kami periksa.")
    complaints.answer_complaint(
        complaint,
        actor=officer_user,
        answer="Presiden pertama Republik Indonesia adalah Ir. Soekarno (1945–1967), menurut sejarah resmi.",
    )
    assert complaint.reference not in flat(officer.get("/instansi/tanya/"))
    assert complaint.reference in flat(officer.get("/instansi/tanya/?status=closed"))


# --- the messaging gateway ------------------------------------------------------------------------------------

SECRET = "rahasia-gateway-uji"


def post_gateway(client, body: dict, *, secret: str = SECRET, stamp: int | None = None, signature: str = ""):
    raw = json.dumps(body).encode()
    headers = gateway.signed_headers(secret, raw, stamp)
    if signature:
        headers[gateway.SIGNATURE_HEADER] = signature
    return client.post("/api/v1/assistant/gateway", raw, content_type="application/json", headers=headers)


def test_the_gateway_answers_a_signed_message_in_plain_text(world, client, settings):
    settings.PAMONG_ASSISTANT_WEBHOOK_SECRET = SECRET
    response = post_gateway(client, {"from": "+6281234567890", "text": "syarat sktm apa aja"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Persyaratan Surat Keterangan Tidak Mampu (SKTM):\n• ")
    assert text.endswith("\nSumber: http://testserver/layanan/sktm/")
    assert "<" not in text
    handed = post_gateway(client, {"from": "+6281234567890", "text": PRESIDENT})
    assert handed.content.decode().startswith("Maaf, pertanyaan ini di luar layanan")
    assert Handover.objects.get().complaint.contact == "+6281234567890"


def test_the_gateway_refuses_unsigned_stale_or_unconfigured_calls(world, client, settings):
    settings.PAMONG_ASSISTANT_WEBHOOK_SECRET = SECRET
    body = {"from": "+62812", "text": "syarat sktm"}
    assert post_gateway(client, body, secret="salah").status_code == 401
    assert post_gateway(client, body, stamp=int(time.time()) - 600).status_code == 401
    assert post_gateway(client, body, signature="sha256=00").json()["code"] == "bad_signature"
    assert post_gateway(client, {"from": "+62812"}).status_code == 422
    settings.PAMONG_ASSISTANT_WEBHOOK_SECRET = ""
    assert post_gateway(client, body).status_code == 404
    assert Question.objects.count() == 0


def test_a_session_without_its_csrf_token_hears_nothing_about_its_case(world, refused):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.denied)
    response = ask_api(client, WHY)
    assert refused.reference not in response.content.decode()
    assert response.status_code == 403  # the session is refused, not read as anonymous


def test_an_officer_marks_an_older_hand_over_answered_once_and_only_in_their_agency(
    world, client, client_for
):
    """Rows from before hand-overs were complaints keep their transcript and are closed on the page; a
    complaint's hand-over is answered in the complaints inbox (404 here)."""
    ask_api(client, PRESIDENT)
    linked = Handover.objects.get()
    handover = Handover.objects.create(
        agency=linked.agency,
        channel="web",
        reason="human",
        transcript=[{"from": "warga", "text": "Saya mau bicara dengan petugas."}],
        opened_at=timezone.now(),
        answer_by=timezone.now() + dt.timedelta(days=1),
    )
    before = AuditEntry.objects.count()
    assert client_for(world.dukcapil_officer).post(f"/instansi/tanya/{linked.pk}/selesai/").status_code == 404
    refused = client_for(world.petugas).post(f"/instansi/tanya/{handover.pk}/selesai/")
    assert refused.status_code == 404
    handover.refresh_from_db()
    assert handover.status == "open" and AuditEntry.objects.count() == before
    assert "Saya mau bicara dengan petugas." in flat(
        client_for(world.dukcapil_officer).get("/instansi/tanya/")
    )
    done = client_for(world.dukcapil_officer).post(f"/instansi/tanya/{handover.pk}/selesai/")
    assert done.status_code == 302 and done["Location"] == "/instansi/tanya/"
    handover.refresh_from_db()
    assert handover.status == "closed"
    assert (
        AuditEntry.objects.count() == before + 1
        and AuditEntry.objects.last().action == "assistant.handover_closed"
    )
    again = client_for(world.dukcapil_officer).post(f"/instansi/tanya/{handover.pk}/selesai/")
    assert again.status_code == 302 and AuditEntry.objects.count() == before + 1
    answered = client_for(world.dukcapil_officer).get("/instansi/tanya/?status=closed")
    assert "Saya mau bicara dengan petugas." in flat(answered)


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/json", b'{"question": "a", "question": "b"}', 422),
        ("application/json", b'{"question": NaN}', 422),
        ("application/json", b"[1, 2, 3]", 422),
        ("application/json", b"\xff\xfe", 422),
        ("application/x-www-form-urlencoded", b"question=akta", 415),
        ("text/plain", b"question=akta", 415),
    ],
)
def test_the_ask_operation_refuses_a_bad_body_in_the_error_shape(world, client, content_type, body, status):
    response = client.generic("POST", "/api/v1/assistant/ask", body, content_type=content_type)
    assert response.status_code == status
    assert set(response.json()) <= {"code", "message", "details"}
    assert Question.objects.count() == 0

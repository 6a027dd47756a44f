"""The permissions table in docs/security.md is the source of truth: every route of the site and of the API is
in it, and every cell is what the route really answers, for every role.

allowed: 2xx, a redirect that is not to a sign-in page, 409 (a state conflict) or 422 (invalid input): the
request passed the permission check and was judged on its content.
denied: a redirect to sign in, 401, 403 or 404 ("missing" and "not yours" are the same 404).
own / agency: allowed for the citizen or counter officer whose application it is, or for staff of the agency
that runs the service; denied for another citizen, counter officer or staff member of another agency.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.accounts.tests.routes import ROLES, api_routes, permission_table, web_routes
from pamong.assistant.models import Handover
from pamong.cases import services as cases
from pamong.cases.models import Application, Attachment, Decision, Discretion
from pamong.catalog.models import Agency
from pamong.clients import services as clients
from pamong.core.testing import snapshot
from pamong.notify import services as notify
from pamong.notify.models import LetterTask
from pamong.staffing import services as staffing

TABLE = permission_table()
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 400
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f"
    "1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f00"
    "00010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203"
    "00041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738"
    "393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2"
    "a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7"
    "f8f9faffda0008010100003f00fbd3ffd9"
)  # a 1×1 grey JPEG
DENIED_STATUSES = {401, 403, 404}
ALLOWED_STATUSES = {409, 422}


def test_every_route_is_in_the_table_and_every_row_is_a_route():
    web = web_routes()
    api = api_routes()
    rows_by_path = {path for _method, path in TABLE}
    missing_web = sorted(path for path in web if path not in rows_by_path)
    missing_api = sorted(f"{m} {p}" for m, p in api if (m, p) not in TABLE)
    assert missing_web == [], "URL patterns missing from the table in docs/security.md"
    assert missing_api == [], "API operations missing from the table in docs/security.md"
    stale = sorted(
        f"{m} {p}"
        for m, p in TABLE
        if (p.startswith("/api/v1/") and (m, p) not in api) or (not p.startswith("/api/v1/") and p not in web)
    )
    assert stale == [], "rows in docs/security.md for routes that do not exist"


# --- the world the table is checked against ---------------------------------------------------------------------


@dataclass
class Cast:
    people: dict[str, object]  # role → the user who owns the objects / works at their agency
    others: dict[str, object]  # role → another citizen / counter officer / officer of another agency
    values: dict[str, str]  # path parameter → value


def _person(username: str, role: str, agency=None, nik=None):
    return accounts.create_account(
        actor="system:test", username=username, password="x" * 12, role=role, agency=agency, nik=nik
    )


def _oversight_objects(world, analis, packs_root) -> dict[str, str]:
    """A circuit breaker, a rule draft and a re-evaluation job of Dinas Sosial's bansos service."""
    from pamong.oversight import sandbox
    from pamong.oversight import services as oversight

    breaker = oversight.open_breaker(
        world.bansos, rule_id="income_below_poverty_line", region_code="3204", actor=analis, reason="Uji."
    )
    text = (packs_root / "bansos-pkh" / "rules" / "2026-07.yaml").read_text(encoding="utf-8")
    draft = sandbox.create_draft(
        world.bansos,
        actor=analis,
        yaml_text=text.replace("version: 2026-07", "version: 2099-01").replace(
            "effective_from: 2026-07-01", "effective_from: 2099-01-01"
        ),
    )
    job = sandbox.start_reevaluation(draft, actor=analis)
    return {"breaker_id": str(breaker.pk), "draft_id": str(draft.pk), "job_id": str(job.pk)}


def _survey_followup(world):
    import datetime as dt

    from pamong.surveys import services as surveys

    return surveys.record_followup(
        actor=world.supervisor,
        agency=world.bansos.agency,
        service=world.bansos,
        period="2026",
        element="waktu",
        action="Menambah petugas verifikasi pada jam sibuk.",
        responsible="Bidang Perlindungan Sosial",
        due=dt.date(2026, 12, 31),
    )


def _complaint_objects(world) -> dict[str, str]:
    """A public complaint by the citizen about Dinas Sosial's bansos service, just received, with a photo and a
    PDF document."""
    import io

    from PIL import Image
    from pypdf import PdfWriter

    from pamong.complaints import services as complaints

    photo, document = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(photo, format="JPEG")
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(document)
    report = complaints.Report(
        service=world.bansos,
        title="Bantuan PKH belum cair",
        description="Bantuan PKH keluarga kami belum cair tiga bulan, padahal status masih aktif.",
        photos=(photo.getvalue(),),
        documents=(document.getvalue(),),
    )
    complaint = complaints.submit_complaint(report, actor=world.warga, reporter=world.warga)
    return {
        "reference": complaint.reference,
        "complaint_id": str(complaint.pk),
        "photo_id": str(complaint.photos.get().pk),
        "document_id": str(complaint.documents.get().pk),
        "service_code": "bansos-pkh",
        "service_request_id": complaint.reference,
        "open311_token": complaint.token,
    }


def _letter_code(application) -> str:
    from django.apps import apps

    if not apps.is_installed("pamong.documents"):
        return "tidakada"
    return apps.get_model("documents", "Letter").objects.get(application=application).code


def _vault_document(owner) -> str:
    from importlib import import_module

    from django.apps import apps

    if not apps.is_installed("pamong.documents"):
        return "0"
    vault = import_module("pamong.documents.vault")
    return str(
        vault.upload_document(actor=owner, doc_type="kk", uploaded=SimpleUploadedFile("kk.pdf", PDF)).pk
    )


def build_cast(world, packs_root) -> Cast:
    dinsos = world.bansos.agency
    dukcapil = Agency.objects.get(slug="disdukcapil-kota-bandung")
    people = {
        "anonymous": None,
        "warga": world.warga,
        "petugas_loket": world.loket,
        "petugas": world.petugas,
        "supervisor": world.supervisor,
        "analis": _person("analis", roles.ANALIS, dinsos),
        "auditor": _person("auditor", roles.AUDITOR),
        "admin_instansi": _person("admin", roles.ADMIN_INSTANSI, dinsos),
    }
    others = {
        "warga": world.denied,
        "petugas_loket": _person("loket-dukcapil", roles.PETUGAS_LOKET, dukcapil),
        "petugas": world.dukcapil_officer,
        "supervisor": _person("supervisor-dukcapil", roles.SUPERVISOR, dukcapil),
        "analis": _person("analis-dukcapil", roles.ANALIS, dukcapil),
        "admin_instansi": _person("admin-dukcapil", roles.ADMIN_INSTANSI, dukcapil),
    }
    # Siti's granted application, its grant dated more than a year back: a new application right after a grant
    # is refused (issue 15), one a year later is not.
    granted, _ = cases.submit_at_counter(
        actor=world.loket,
        service=world.bansos,
        nik=world.warga.nik,
        full_name="Siti Nurhaliza",
        form=dict(world.forms[world.niks.WARGA_NIK]),
        consent_method="tanda_tangan",
        consent_statement="Setuju.",
    )
    assert granted.status == "granted", granted.status
    Decision.objects.filter(application=granted).update(decided_at=timezone.now() - dt.timedelta(days=400))
    # Siti's application, filed for her at the counter by the counter officer, waiting for an officer (REFER:
    # the declared regency differs from her KK), with one document.
    form = {**world.forms[world.niks.WARGA_NIK], "declared_regency_code": "3204"}
    application, _ = cases.submit_at_counter(
        actor=world.loket,
        service=world.bansos,
        nik=world.warga.nik,
        full_name="Siti Nurhaliza",
        form=form,
        consent_method="tanda_tangan",
        consent_statement="Setuju.",
    )
    assert application.status == "under_review", application.status
    attachment = cases.attach_document(
        application, actor=world.warga, uploaded=SimpleUploadedFile("kk.pdf", PDF, "application/pdf")
    )
    # Bambang's refused application with his pending objection (decided by another officer than petugas).
    refused, _ = cases.submit_application(
        actor=world.denied,
        service=world.bansos,
        applicant=world.denied,
        form=dict(world.forms[world.niks.DENIED_NIK]),
    )
    cases.claim_application(refused, actor=world.petugas2)
    cases.decide_application(
        refused, actor=world.petugas2, outcome="DENY", reasons="Di atas garis kemiskinan."
    )
    refused.refresh_from_db()
    objection = cases.file_objection(refused, actor=world.denied, statement="Mobil sudah dijual.")
    # Siti disputes a registry fact of her case; the decision on Bambang's case carries a diskresi record.
    correction = cases.request_data_correction(
        application, actor=world.warga, fact="in_dtsen", statement="Keluarga saya sudah terdaftar di DTSEN."
    )
    discretion = Discretion.objects.create(
        decision=cases.final_decision(refused),
        purpose="legal_certainty",
        objective_reasons="Uji.",
        legal_basis="UU 30/2014",
        conflict_of_interest=False,
    )
    webhook, _secret = clients.register_webhook(
        actor="system:test",
        agency=dinsos,
        url="https://sistem.contoh.go.id/hook",
        events=["application.decided"],
    )
    # A notice to Siti that no channel could deliver: a printed-letter task on Dinas Sosial's counter queue.
    [letter] = notify.notify_user(
        user=world.warga,
        template="decision_made",
        context={"reference": granted.reference, "service": "PKH", "status": "dikabulkan", "url": "-"},
        channels=["sms"],
        letter_queue=dinsos.slug,
    )
    notify.deliver(notification_id=letter.pk)
    # A question the assistant passed to Dinas Sosial before hand-overs were complaints (only those are marked
    # answered on /instansi/tanya/; a complaint is answered in the complaints inbox).
    handover = Handover.objects.create(
        agency=dinsos,
        channel="web",
        reason="human",
        transcript=[{"from": "warga", "text": "Saya mau bicara dengan petugas."}],
        opened_at=timezone.now(),
        answer_by=timezone.now() + dt.timedelta(days=1),
    )
    values = {
        "notification_id": str(letter.pk),
        "task_id": str(LetterTask.objects.get(notification=letter).pk),
        "handover_id": str(handover.pk),
        "application_id": str(application.pk),
        "decided_application_id": str(granted.pk),
        "attachment_id": str(attachment.pk),
        "objection_id": str(objection.pk),
        "correction_id": str(correction.pk),
        "discretion_id": str(discretion.pk),
        "slug": "bansos-pkh",
        "index": "0",
        "user_id": str(world.petugas.pk),  # a staff member of Dinas Sosial, managed by its administrator
        "uidb64": "MQ",  # the one-time password link of `pamong setup`: the token guards it, not a role
        "token": "no-such-token",
        "webhook_id": str(webhook.pk),  # a webhook subscriber of Dinas Sosial
        # The public verification page of the granted application's letter (pamong.documents, if installed).
        "verification_code": _letter_code(granted),
        "document_id": _vault_document(world.warga),  # a KK in Siti's document vault
        "code": "3273",
        "regency_code": "3273",
        **_oversight_objects(world, people["analis"], packs_root),
        "agency_slug": "dinsos-kota-bandung",
        "followup_id": str(_survey_followup(world).pk),  # a follow-up action of Dinas Sosial's IKM survey
        # A draft rota of Dinas Sosial (nobody trained yet: the solver explains at once why there is no plan).
        "rota_id": str(
            staffing.generate_rota(
                dinsos, actor=world.supervisor, first_day=dt.date(2026, 11, 23), days=7, functions=["counter"]
            ).pk
        ),
        **_complaint_objects(world),
    }
    return Cast(people=people, others=others, values=values)


@pytest.fixture(scope="session")
def cast_snapshot(snapshot_on_world, packs_root):
    """The cast built once per session on top of the world (it goes through the decision path and the sandbox):
    the snapshot, the usernames of its people, its path values and the document's stored file."""
    made = {}

    def build(world):
        cast = build_cast(world, packs_root)
        attachment = Attachment.objects.get(pk=cast.values["attachment_id"])
        with attachment.file.open("rb") as stored:
            made["file"] = (attachment.file.name, stored.read())
        made["people"] = {role: user and user.username for role, user in cast.people.items()}
        made["others"] = {role: user.username for role, user in cast.others.items()}
        made["values"] = cast.values

    return snapshot_on_world("cast", build), made


@pytest.fixture
def cast(world, cast_snapshot) -> Cast:
    taken, made = cast_snapshot
    snapshot.restore(taken)
    name, content = made["file"]
    storage = Attachment._meta.get_field("file").storage
    if not storage.exists(name):  # the file store is not rolled back with the database
        assert storage.save(name, ContentFile(content)) == name
    names = [*made["people"].values(), *made["others"].values()]
    users = User.objects.in_bulk([name for name in names if name], field_name="username")
    return Cast(
        people={role: users.get(username) for role, username in made["people"].items()},
        others={role: users[username] for role, username in made["others"].items()},
        values=dict(made["values"]),
    )


def _bodies(world) -> dict[tuple[str, str], object]:
    warga_form = dict(world.forms[world.niks.WARGA_NIK])
    warga_case = Application.objects.filter(applicant=world.warga).order_by("filed_at").first()
    return {
        ("POST", "/loket/cari/surat/"): {"reference": warga_case.reference, "nik": world.niks.WARGA_NIK},
        ("POST", "/api/v1/applications"): {"service": "bansos-pkh", "form": warga_form},
        ("POST", "/api/v1/complaints"): {
            "service": "bansos-pkh",
            "title": "Bantuan PKH tidak cair tiga bulan",
            "description": "Sudah tiga bulan bantuan PKH keluarga kami tidak cair, padahal status masih aktif.",
        },
        ("POST", "/api/v1/applications/{application_id}/information"): {"answer": "Sudah saya lengkapi."},
        ("POST", "/api/v1/applications/{application_id}/objection"): {"statement": "Saya keberatan."},
        ("POST", "/api/v1/applications/{application_id}/appeal"): {"statement": "Saya banding."},
        ("POST", "/api/v1/applications/{application_id}/notice-response"): {"statement": "Ada fakta baru."},
        ("POST", "/api/v1/applications/{application_id}/data-correction"): {
            "fact": "in_dtsen",
            "statement": "Salah.",
        },
        ("POST", "/api/v1/staff/applications/{application_id}/decide"): {
            "outcome": "DENY",
            "reasons": "Alamat pada KK berbeda dengan yang dinyatakan.",
            "legal_basis": "Permensos 1/2018",
        },
        ("POST", "/api/v1/staff/applications/{application_id}/request-information"): {
            "message": "Mohon kirim KK terbaru."
        },
        ("POST", "/api/v1/staff/objections/{objection_id}/decide"): {"overturn": False, "reasons": "Tetap."},
        ("POST", "/api/v1/oversight/breakers"): {
            "service": "bansos-pkh",
            "rule_id": "income_below_poverty_line",
            "region_code": "3273",
            "reason": "Lonjakan penolakan sedang diperiksa.",
        },
        ("POST", "/api/v1/oversight/breakers/{breaker_id}/close"): {
            "justification": "Peta kemiskinan sudah diperiksa ulang dengan 20 sampel dan benar."
        },
        ("POST", "/api/v1/oversight/rerun"): {"service": "bansos-pkh", "region_code": "3204"},
        ("POST", "/api/v1/staff/counter/applications"): {
            "service": "bansos-pkh",
            "form": warga_form,
            "nik": world.niks.WARGA_NIK,
            "full_name": "Siti Nurhaliza",
            "consent_method": "tanda_tangan",
            "consent_statement": "Warga setuju.",
        },
        ("POST", "/api/v1/webhooks"): {
            "url": "https://sistem.contoh.go.id/pamong",
            "events": ["application.status_changed"],
        },
        # Web forms: filled in, so that the permission check, not an empty-field message, decides the answer.
        ("POST", "/permohonan/<application_id>/informasi/"): {"answer": "Sudah saya lengkapi."},
        ("POST", "/oauth/token/"): {"grant_type": "client_credentials"},  # a session is no client: 401
        ("POST", "/instansi/webhook/"): {
            "url": "https://sistem.contoh.go.id/pamong",
            "events": ["application.decided"],
        },
        ("POST", "/permohonan/<application_id>/keberatan/"): {"statement": "Saya keberatan."},
        ("POST", "/petugas/permohonan/<application_id>/pindahkan/"): {"reason": "Petugas cuti."},
        ("POST", "/permohonan/<application_id>/banding/"): {"statement": "Saya banding."},
        ("POST", "/permohonan/<application_id>/tanggapan/"): {"statement": "Ada fakta baru."},
        ("POST", "/permohonan/<application_id>/data-salah/"): {"fact": "in_dtsen", "statement": "Salah."},
        ("POST", "/petugas/permohonan/<application_id>/tandai-aturan/"): {
            "rule_id": "address_matches_kk",
            "reason": "Aturan ini merugikan warga yang baru pindah.",
        },
        ("POST", "/petugas/permohonan/<application_id>/perbaikan-data/<correction_id>/"): {
            "corrected": "tidak",
            "resolution": "Data DTSEN sudah diperiksa.",
        },
        ("POST", "/petugas/diskresi/<discretion_id>/tinjau/"): {"verdict": "acknowledged"},
        ("POST", "/instansi/petugas/"): {
            "full_name": "Budi Santoso",
            "username": "budi.santoso",
            "role": "petugas",
            "password": "kata-sandi-yang-panjang-2026",
        },
        ("POST", "/instansi/petugas/<user_id>/peran/"): {"roles": ["petugas", "supervisor"]},
        ("POST", "/instansi/petugas/<user_id>/autentikator/"): {"reason": "Telepon genggam hilang di jalan."},
        ("POST", "/instansi/petugas/<user_id>/kata-sandi/"): {
            "password": "kata-sandi-sementara-2026",
            "reason": "Lupa kata sandi setelah cuti.",
        },
        ("POST", "/instansi/petugas/<user_id>/status/"): {
            "active": "0",
            "reason": "Pindah tugas ke kecamatan.",
        },
    }


# Required query parameters (without them the answer is a 422 before any permission check).
QUERIES = {
    ("GET", "/api/v1/oversight/dashboard"): "?service=bansos-pkh",
    ("GET", "/api/v1/oversight/fairness"): "?service=bansos-pkh",
    ("GET", "/api/v1/oversight/breakers"): "?service=bansos-pkh",
}
# Pages that answer a refusal with a redirect and an error message (post-redirect-get) instead of a 403/404:
# the message tells a refusal from an invalid form. Prefer a 404 in new pages.
REFUSAL_MESSAGES = {
    ("POST", "/pengawasan/pemutus/buka/"): "Hanya analis atau supervisor instansi ini",
}
# Routes that need an object in another state than the open application: the receipt needs a final decision.
VALUE_OVERRIDES = {
    ("GET", "/api/v1/applications/{application_id}/receipt"): {"application_id": "decided_application_id"},
}


def _fill(route: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        route = route.replace(f"<{name}>", value).replace(f"{{{name}}}", value)
    assert "<" not in route and "{" not in route, f"no test value for a parameter of {route}: add it to cast"
    return route


def _request(client, method: str, path: str, body) -> object:
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/") and path.endswith("/documents"):
        return client.post(path, {"file": SimpleUploadedFile("surat.pdf", PDF, "application/pdf")})
    if path.startswith("/api/") and path.endswith("/photos"):
        return client.post(path, {"file": SimpleUploadedFile("foto.jpg", JPEG, "image/jpeg")})
    if path.startswith("/api/"):
        return client.generic(method, path, json.dumps(body or {}), content_type="application/json")
    return client.post(path, body or {})


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        return "denied" if location.startswith(("/masuk/", "/admin/login/")) else "allowed"
    if 200 <= status < 300 or status in ALLOWED_STATUSES:
        return "allowed"
    if status in DENIED_STATUSES:
        return "denied"
    return f"unexpected {status}"


@pytest.mark.parametrize(("method", "route"), sorted(TABLE), ids=[f"{m} {r}" for m, r in sorted(TABLE)])
def test_the_route_answers_each_role_as_the_table_says(method, route, world, cast, client):
    body = _bodies(world).get((method, route))
    values = dict(cast.values)
    for name, source in VALUE_OVERRIDES.get((method, route), {}).items():
        values[name] = cast.values[source]
    path = _fill(route, values) + QUERIES.get((method, route), "")
    observed, expected = {}, {}
    for role in ROLES:
        cell = TABLE[(method, route)][role]
        checks = [(role, cast.people[role], "denied" if cell == "denied" else "allowed")]
        if cell in ("own", "agency"):
            checks.append(
                (f"{role} (other {'owner' if cell == 'own' else 'agency'})", cast.others[role], "denied")
            )
        for label, user, wanted in checks:
            client.logout()
            if user is not None:
                client.force_login(user)
            response = _request(client, method, path, body)
            result = outcome(response)
            refusal = REFUSAL_MESSAGES.get((method, route))
            if refusal and result == "allowed" and response.status_code == 302:
                from django.contrib.messages import get_messages

                if any(refusal in str(m) for m in get_messages(response.wsgi_request)):
                    result = "denied"
            observed[label] = f"{result} ({response.status_code})"
            expected[label] = wanted
    if os.environ.get("PAMONG_PRINT_PERMISSIONS"):
        print(f"\n{method} {route}: " + ", ".join(f"{k}={v}" for k, v in observed.items()))
    assert {k: v.split(" (")[0] for k, v in observed.items()} == expected, observed

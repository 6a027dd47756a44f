"""The pages: the report form without JavaScript (also from a case page), the reporter's answer and rating, the
staff inbox and steps, and the public list; an anonymous reporter is never shown to any agency user."""

from __future__ import annotations

import json
import re

import pytest

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import AccessLog
from pamong.accounts.tests.routes import api_routes, web_routes
from pamong.audit.models import AuditEntry
from pamong.catalog.models import Agency
from pamong.complaints import services
from pamong.complaints.models import Complaint
from pamong.notify.models import Notification
from pamong.staffing.models import StaffNotice

from .conftest import photo_with_metadata, report

FORM = {
    "service": "bansos-pkh",
    "kind": "pengaduan",
    "title": "Petugas meminta uang untuk surat",
    "description": "Di kantor kelurahan petugas meminta uang Rp50.000 agar surat pengantar segera dibuat.",
    "region_code": "32.73.01.1001",
}


def test_a_citizen_reports_through_the_form_without_javascript(client, world, refused):
    client.force_login(world.denied)
    page = client.get(f"/pengaduan/baru/?permohonan={refused.reference}")
    assert page.status_code == 200
    assert f'name="application" value="{refused.reference}"' in page.content.decode()
    assert "<script" not in page.content.decode().split("<main", 1)[-1]
    answer = client.post("/pengaduan/baru/", {**FORM, "application": refused.reference})
    complaint = Complaint.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/pengaduan/l/{complaint.reference}/"
    assert (
        complaint.application == refused and complaint.reporter == world.denied and complaint.channel == "web"
    )
    detail = client.get(answer["Location"]).content.decode()
    assert FORM["description"] in detail


def test_someone_elses_application_is_not_linked(client, world, refused):
    client.force_login(world.warga)
    page = client.get(f"/pengaduan/baru/?permohonan={refused.reference}")
    assert 'name="application"' not in page.content.decode()


def test_an_invalid_form_is_shown_again_with_the_problems(client, world):
    client.force_login(world.warga)
    answer = client.post("/pengaduan/baru/", {**FORM, "title": "x", "latitude": "abc", "longitude": "1"})
    assert answer.status_code == 422
    assert "Koordinat" in answer.content.decode() or "desimal" in answer.content.decode()
    answer = client.post("/pengaduan/baru/", {**FORM, "title": "x"})
    assert answer.status_code == 422 and "5–150 karakter" in answer.content.decode()
    assert Complaint.objects.count() == 0


def test_the_late_objection_message_and_the_case_page_link_to_the_form(client, world, refused):
    client.force_login(world.denied)
    page = client.get(f"/permohonan/{refused.pk}/").content.decode()
    assert f"/pengaduan/baru/?permohonan={refused.reference}" in page


def test_staff_steps_and_the_reporter_rates(client, world):
    complaint = services.submit_complaint(report(world), actor=world.warga, reporter=world.warga)
    client.force_login(world.petugas)
    assert complaint.reference in client.get("/pengaduan/masuk/").content.decode()
    base = f"/pengaduan/masuk/{complaint.pk}/"
    assert client.get(base).status_code == 200
    assert AccessLog.objects.filter(citizen=world.warga, actor=world.petugas).count() == 1  # shown on /akun/
    assert client.post(base + "verifikasi/", {"urgency": "ringan", "kind": "pengaduan"}).status_code == 302
    assert client.post(base + "disposisi/", {"officer": world.petugas2.pk}).status_code == 302
    client.force_login(world.petugas2)
    assert client.post(base + "proses/", {"note": "pendek"}).status_code == 422
    assert (
        client.post(base + "proses/", {"note": "Kami cek data DTKS keluarga Ibu minggu ini."}).status_code
        == 302
    )
    refused_answer = client.post(base + "jawab/", {"answer": "Terima kasih atas laporan Anda."})
    assert refused_answer.status_code == 422 and "terlalu singkat" in refused_answer.content.decode()
    text = "Data Ibu sudah diperbarui di DTKS tanggal 2 Desember; bantuan tahap IV cair lewat Bank BNI minggu depan."
    assert client.post(base + "jawab/", {"answer": text}).status_code == 302
    client.force_login(world.warga)
    page = client.get(f"/pengaduan/l/{complaint.reference}/").content.decode()
    assert text in page and "Terima dan tutup" in page
    assert (
        client.post(
            f"/pengaduan/l/{complaint.reference}/tanggapi/", {"choice": "accept", "rating": "5"}
        ).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.rating == 5


def test_another_agency_and_citizens_cannot_open_the_staff_page(client, world):
    complaint = services.submit_complaint(report(world), actor=world.warga, reporter=world.warga)
    for user in (world.dukcapil_officer, world.warga, world.loket):
        client.force_login(user)
        assert client.get(f"/pengaduan/masuk/{complaint.pk}/").status_code == 404
        assert (
            client.post(f"/pengaduan/masuk/{complaint.pk}/verifikasi/", {"urgency": "ringan"}).status_code
            == 404
        )
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_a_confidential_report_is_absent_from_the_public_list(client, world):
    public = services.submit_complaint(
        report(world, title="Jalan rusak depan kantor dinas"), actor=world.warga, reporter=world.warga
    )
    secret = services.submit_complaint(
        report(world, title="Pungutan liar oleh oknum petugas", confidential=True),
        actor=world.warga,
        reporter=world.warga,
    )
    page = client.get("/pengaduan/").content.decode()
    assert public.reference in page and public.title in page
    assert secret.reference not in page and secret.title not in page
    assert re.search(r"<td[^>]*>2</td>", page)  # counted in the statistics (2 received), never listed
    assert client.get(f"/pengaduan/l/{secret.reference}/").status_code == 404
    client.force_login(world.denied)
    assert client.get(f"/pengaduan/l/{secret.reference}/").status_code == 404
    open311 = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in open311] == [public.reference]


# --- anonymity: walk every staff page and API answer --------------------------------------------------------
PARAMS_FROM = {
    "complaint_id": lambda c, w, a: str(c.pk),
    "reference": lambda c, w, a: c.reference,
    "service_request_id": lambda c, w, a: c.reference,
    "open311_token": lambda c, w, a: c.token,
    "service_code": lambda c, w, a: "bansos-pkh",
    "slug": lambda c, w, a: "bansos-pkh",
    "application_id": lambda c, w, a: str(a.pk),
    "code": lambda c, w, a: "3273",
    "regency_code": lambda c, w, a: "3273",
    "index": lambda c, w, a: "0",
    "user_id": lambda c, w, a: str(w.petugas.pk),
    "photo_id": lambda c, w, a: str(c.photos.get().pk),
}


def _fill(route: str, values: dict[str, str]) -> str | None:
    for name, value in values.items():
        route = route.replace(f"<{name}>", value).replace(f"{{{name}}}", value)
    return None if ("<" in route or "{" in route) else route


@pytest.mark.slow
def test_no_agency_user_ever_sees_an_anonymous_reporter(client, world, refused):
    reporter = accounts.create_account(
        actor="system:test",
        username="pelapor-rahasia-71",
        password="x" * 12,
        role=roles.WARGA,
        full_name="Ratna Kusumawati Hidayat",
    )
    complaint = services.submit_complaint(
        # a phone photo whose EXIF, XMP and comment name her and give where she stood
        report(
            world,
            anonymous=True,
            title="Petugas meminta imbalan di loket",
            photos=(photo_with_metadata("Ratna Kusumawati Hidayat"),),
        ),
        actor=reporter,
        reporter=reporter,
    )
    services.verify_complaint(complaint, actor=world.petugas, urgency="darurat")
    services.forward_complaint(complaint, actor=world.petugas, officer=world.petugas2)
    assert complaint.reporter is None and "71" not in complaint.hidden_reporter.replace(
        f"user:{reporter.pk}", ""
    )
    markers = ("pelapor-rahasia-71", "Ratna Kusumawati", f"user:{reporter.pk}")
    staff = [
        world.petugas,
        world.petugas2,
        world.supervisor,
        world.loket,
        world.dukcapil_officer,
        accounts.create_account(
            actor="system:test", username="auditor-x", password="x" * 12, role=roles.AUDITOR
        ),
        accounts.create_account(
            actor="system:test",
            username="analis-x",
            password="x" * 12,
            role=roles.ANALIS,
            agency=world.bansos.agency,
        ),
        accounts.create_account(
            actor="system:test",
            username="admin-x",
            password="x" * 12,
            role=roles.ADMIN_INSTANSI,
            agency=world.bansos.agency,
        ),
    ]
    values = {name: make(complaint, world, refused) for name, make in PARAMS_FROM.items()}
    pages = sorted(p for p in (_fill(r, values) for r in web_routes()) if p and not p.startswith("/admin/"))
    apis = sorted(p for m, r in api_routes() if m == "GET" and (p := _fill(r, values)))
    pages += [f"/pengaduan/masuk/?status={s}" for s in Complaint.Status.values]
    pages += ["/audit/?halaman=1", "/open311/v2/requests.json?status=open"]
    seen = 0
    for user in staff:
        client.force_login(user)
        for path in pages + apis:
            response = client.get(path)
            if response.status_code != 200:
                continue
            body = response.content.decode("utf-8", errors="replace")
            for marker in markers:
                assert marker not in body, (user.username, path, marker)
            seen += 1
    assert seen > 100
    staff_page = client.get(f"/pengaduan/masuk/{complaint.pk}/")  # admin-x: not a handler
    assert staff_page.status_code == 404
    client.force_login(world.petugas2)
    assert "Anonim" in client.get(f"/pengaduan/masuk/{complaint.pk}/").content.decode()
    for entry in AuditEntry.objects.filter(subject=f"complaint:{complaint.reference}"):
        assert all(marker not in entry.entry + entry.payload for marker in markers)
    assert not AccessLog.objects.filter(citizen=reporter).exists()
    for note in Notification.objects.exclude(recipient=reporter):
        assert all(marker not in note.subject + note.body for marker in markers)
    for notice in StaffNotice.objects.all():  # what staffing holds for staff until their working hours
        assert all(marker not in json.dumps(notice.context) for marker in markers)
    # ... while the reporter finds it among their own and is told of each step
    client.force_login(reporter)
    assert complaint.reference in client.get("/pengaduan/saya/").content.decode()
    assert Notification.objects.filter(recipient=reporter, template="complaint_status").count() == 2


def test_following_and_merging_keep_every_reporter_informed(client, world):
    first = services.submit_complaint(
        report(
            world,
            title="Lampu jalan mati di Jalan Cihapit",
            description="Lampu penerangan jalan mati sejak sepekan di Jalan Cihapit dekat pasar.",
        ),
        actor=world.warga,
        reporter=world.warga,
    )
    similar = report(
        world,
        title="Penerangan jalan Cihapit padam",
        description="Lampu jalan di Cihapit dekat pasar padam, jalan gelap sekali malam hari.",
    )
    client.force_login(world.refer)
    shown = client.post(
        "/pengaduan/baru/",
        {**FORM, "title": similar.title, "description": similar.description, "region_code": "3273011001"},
    )
    assert shown.status_code == 200 and f"Sama dengan laporan {first.reference}" in shown.content.decode()
    assert Complaint.objects.count() == 1
    assert client.post(f"/pengaduan/l/{first.reference}/ikuti/").status_code == 302
    assert first.followers.filter(user=world.refer).exists()
    client.force_login(world.denied)
    anyway = client.post(
        "/pengaduan/baru/",
        {
            **FORM,
            "title": similar.title,
            "description": similar.description,
            "region_code": "3273011001",
            "send_anyway": "1",
        },
    )
    assert anyway.status_code == 302
    second = Complaint.objects.exclude(pk=first.pk).get()
    client.force_login(world.petugas)
    assert (
        first.reference in client.get(f"/pengaduan/masuk/{second.pk}/").content.decode()
    )  # offered for merging
    assert client.post(f"/pengaduan/masuk/{second.pk}/gabung/", {"into": first.reference}).status_code == 302
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into == first
    assert Notification.objects.filter(recipient=world.denied, template="complaint_merged").count() == 1
    services.verify_complaint(first, actor=world.petugas, urgency="ringan")
    told = set(
        Notification.objects.filter(template="complaint_status").values_list("recipient__username", flat=True)
    )
    assert told == {"warga", "asep", "bambang"}  # reporter, follower and the merged report's reporter


def test_a_report_far_away_or_about_something_else_is_not_a_duplicate(world):
    services.submit_complaint(
        report(world, region_code="", latitude=-6.9147, longitude=107.6098),
        actor=world.warga,
        reporter=world.warga,
    )
    near = report(world, region_code="", latitude=-6.9157, longitude=107.6098)  # 111 m
    far = report(world, region_code="", latitude=-6.9177, longitude=107.6098)  # 334 m
    other = report(
        world,
        region_code="",
        latitude=-6.9147,
        longitude=107.6098,
        title="Antrean loket sangat panjang",
        description="Antrean di loket pelayanan mengular sampai ke parkiran sejak subuh.",
    )
    assert len(services.possible_duplicates(near)) == 1
    assert services.possible_duplicates(far) == []
    assert services.possible_duplicates(other) == []
    assert Agency.objects.exists()


def test_a_counter_officer_records_a_report_with_consent(client, world):
    client.force_login(world.loket)
    assert (
        'href="/loket/pengaduan/"' in client.get("/loket/").content.decode()
    )  # from the counter's first page
    assert client.get("/loket/pengaduan/").status_code == 200
    without = client.post(
        "/loket/pengaduan/", {**FORM, "nik": world.niks.WARGA_NIK, "full_name": "Siti Nurhaliza"}
    )
    assert without.status_code == 422 and Complaint.objects.count() == 0
    answer = client.post(
        "/loket/pengaduan/",
        {
            **FORM,
            "nik": world.niks.WARGA_NIK,
            "full_name": "Siti Nurhaliza",
            "consent_method": "tanda_tangan",
            "consent_statement": "Warga setuju laporannya dicatat.",
        },
    )
    assert answer.status_code == 302
    complaint = Complaint.objects.get()
    assert (
        complaint.channel == "counter"
        and complaint.reporter == world.warga
        and complaint.filed_by == world.loket
    )
    assert complaint.consent["method"] == "tanda_tangan"
    client.force_login(world.warga)
    assert client.get("/loket/pengaduan/").status_code == 404


def test_a_late_objection_points_to_the_complaint_form(world, refused):
    import datetime as dt

    from pamong.cases import services as cases
    from pamong.cases.models import Decision
    from pamong.core.errors import ValidationFailed

    Decision.objects.filter(application=refused).update(
        decided_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    )
    with pytest.raises(ValidationFailed) as caught:
        cases.file_objection(refused, actor=world.denied, statement="Saya keberatan.")
    assert caught.value.code == "objection_too_late"
    url = f"/pengaduan/baru/?permohonan={refused.reference}"
    assert caught.value.details["complaint_url"] == url and caught.value.message.endswith(url)

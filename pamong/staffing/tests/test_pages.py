"""Staffing pages and the demo week: the dashboard shows zero non-urgent notices outside working hours; staff keep
their own pattern and leave; planners only see rotas; a supervisor moves a case from its page."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.staffing import demo, selectors, services
from pamong.staffing.models import Leave, StaffNotice, WorkingPattern


@pytest.fixture
def demo_week(world):
    accounts.create_account(
        actor="system:test", username="analis", password=None, role=roles.ANALIS, agency=world.petugas.agency
    )
    routed = demo.load(world.petugas.agency)
    assert routed > 0
    return demo.demo_week_start(dt.date.today())


def test_the_demo_week_has_no_non_urgent_notice_outside_working_hours(world, demo_week):
    monday = dt.datetime.combine(demo_week, dt.time(0), tzinfo=demo.WIB)
    data = selectors.dashboard(world.petugas.agency, since=monday, until=monday + dt.timedelta(days=8))
    assert data["after_hours_non_urgent"] == 0
    assert data["after_hours_urgent"] >= 2  # the 02:00 and 23:00 alerts (and the escalation at 23:15)
    assert (data["urgent_spread"]["max"], data["urgent_spread"]["with_any"]) == (
        2,
        2,
    )  # analyst 2, supervisor 1
    assert data["unacknowledged"] == 1
    assert (data["leaves"], data["leaves_backed_up"], data["stranded"]) == (
        1,
        1,
        0,
    )  # the 23:00 alert went to the supervisor and nobody acknowledged it
    assert StaffNotice.objects.filter(status="held").count() == 0  # everything waited, then arrived
    # The Friday 21:00 biasa notice arrived in Monday's digest; the WITA officer's notice in her core hours.
    biasa = StaffNotice.objects.get(urgency="biasa")
    assert biasa.sent_at == dt.datetime.combine(demo_week + dt.timedelta(days=7), dt.time(8), tzinfo=demo.WIB)
    assert demo.load(world.petugas.agency) == 0  # loading twice changes nothing


def test_the_dashboard_page_is_for_planners_and_names_nobody(world, demo_week, client_for):
    page = client_for(world.supervisor).get("/staf/dasbor/?hari=28")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pemberitahuan tidak mendesak di luar jam kerja" in text and "<strong>0</strong>" in text
    assert "analis" not in text.split("<main", 1)[-1].split("</main>", 1)[0]  # aggregated, not per person
    assert client_for(world.petugas).get("/staf/dasbor/").status_code == 404
    assert client_for(world.supervisor).get("/staf/dasbor/?hari=x").status_code == 200


def test_an_officer_keeps_their_own_pattern_and_leave(world, client_for):
    client = client_for(world.petugas2)
    assert "Pola kerja saya" in client.get("/staf/").content.decode()
    client.post(
        "/staf/",
        {
            "action": "pattern",
            "time_zone": "WITA",
            "weekdays": ["0", "1", "2", "3"],
            "start": "07:30",
            "end": "16:00",
        },
    )
    pattern = WorkingPattern.objects.get(user=world.petugas2)
    assert (pattern.time_zone, pattern.weekdays, pattern.start) == ("WITA", [0, 1, 2, 3], dt.time(7, 30))
    bad = client.post(
        "/staf/",
        {"action": "leave", "kind": "cuti", "first_day": "2026-12-10", "last_day": "2026-12-01"},
        follow=True,
    )
    assert "tanggal selesai tidak boleh sebelum tanggal mulai" in bad.content.decode()
    assert not Leave.objects.exists()
    client.post(
        "/staf/", {"action": "leave", "kind": "sakit", "first_day": "2026-12-01", "last_day": "2026-12-02"}
    )
    assert Leave.objects.get().kind == "sakit"
    refused = client.post(
        "/staf/", {"action": "pattern", "time_zone": "GMT", "start": "16:00", "end": "08:00"}, follow=True
    )
    assert "Pola kerja tidak valid" in refused.content.decode()


def test_rota_pages_are_for_planners_and_explain_conflicts(world, client_for):
    assert client_for(world.petugas).get("/staf/jadwal/").status_code == 404
    services.set_pattern(world.petugas, actor=world.petugas, functions=["counter"])
    rota = services.generate_rota(
        world.supervisor.agency,
        actor=world.supervisor,
        first_day=dt.date(2026, 11, 23),
        days=7,
        functions=["counter"],
        time_limit=1,
    )
    client = client_for(world.supervisor)
    assert str(rota.first_day.year) in client.get("/staf/jadwal/").content.decode()
    detail = client.get(f"/staf/jadwal/{rota.pk}/").content.decode()
    assert "kurang dari dua petugas terlatih" in detail and "Konflik" in detail
    refused = client.post(f"/staf/jadwal/{rota.pk}/", {"action": "publish"}, follow=True)
    assert "belum lengkap" in refused.content.decode()
    assert client_for(world.dukcapil_officer).get(f"/staf/jadwal/{rota.pk}/").status_code == 404


def test_a_supervisor_moves_a_case_from_its_page(world, client_for):
    application, _ = cases.submit_application(
        actor=world.refer,
        service=world.bansos,
        applicant=world.refer,
        form=world.forms[world.niks.REFER_NIK],
        form_source="json",
    )
    cases.claim_application(application, actor=world.petugas)
    page = client_for(world.supervisor).get(f"/petugas/permohonan/{application.pk}/").content.decode()
    assert "Pindahkan permohonan ini" in page
    url = f"/petugas/permohonan/{application.pk}/pindahkan/"
    refused = client_for(world.petugas2).post(url, {"reason": "ambil alih", "officer": world.petugas2.pk})
    assert refused.status_code == 403
    moved = client_for(world.supervisor).post(
        url, {"reason": "Petugas sakit", "officer": str(world.petugas2.pk)}
    )
    assert moved.status_code == 302
    application.refresh_from_db()
    assert application.assigned_to == world.petugas2
    entry = AuditEntry.objects.get(action="cases.case_released")
    assert entry.actor == f"user:{world.supervisor.pk}"

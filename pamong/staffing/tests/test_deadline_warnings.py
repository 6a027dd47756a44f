"""Deadline warnings 2 and 1 working days ahead (issue 17, point 4) for every source installed on staffing's
deadline port: here complaints (which sit above staffing and install their source in `ComplaintsConfig.ready()`)."""

from __future__ import annotations

import datetime as dt

from pamong.complaints import services as complaints
from pamong.complaints.tests.conftest import BEFORE_CHRISTMAS, report
from pamong.core.testing.staff_notices import staff_told
from pamong.staffing import ports
from pamong.staffing import services as staffing

TUESDAY_22, WEDNESDAY_23 = dt.date(2026, 12, 22), dt.date(2026, 12, 23)
MONDAY_28, TUESDAY_29, WEDNESDAY_30 = dt.date(2026, 12, 28), dt.date(2026, 12, 29), dt.date(2026, 12, 30)


def complaint(world, urgency: str, officer=None):
    filed = complaints.submit_complaint(
        report(world), actor=world.warga, reporter=world.warga, now=BEFORE_CHRISTMAS
    )
    filed = complaints.verify_complaint(filed, actor=world.petugas, urgency=urgency)
    if officer is not None:
        filed = complaints.forward_complaint(filed, actor=world.petugas, officer=officer)
    return filed


def test_the_complaints_source_is_installed_on_the_port(world):
    assert "complaints" in ports._deadline_sources and "cases" in ports._deadline_sources


def test_an_assigned_complaint_warns_its_officer_two_and_one_working_days_before(world):
    # Normatif: 5 working days from Tue 22 Dec (23, 28, 29, 30, 31; 24–27 are holidays and a weekend): due Thu 31.
    filed = complaint(world, "normatif", officer=world.petugas2)
    assert staffing.warn_deadlines(today=MONDAY_28) == 0  # three working days left
    assert staffing.warn_deadlines(today=TUESDAY_29) == 1
    assert staffing.warn_deadlines(today=WEDNESDAY_30) == 1
    told = staff_told("complaint_deadline_warning")
    assert [t.recipient for t in told] == [world.petugas2, world.petugas2]
    assert {t.urgency for t in told} == {"mendesak"}
    assert [t.subject for t in told] == [
        f"Tenggat laporan {filed.reference}: 2 hari kerja lagi",
        f"Tenggat laporan {filed.reference}: 1 hari kerja lagi",
    ]
    assert "31 Desember 2026" in told[0].body and f"/pengaduan/masuk/{filed.pk}/" in told[0].body


def test_holidays_count_as_no_working_day_and_an_unassigned_complaint_warns_the_supervisor(world):
    # Ringan: 2 working days from Tue 22 Dec: Wed 23, then Mon 28 (Thu 24 cuti bersama, Fri 25 Christmas).
    filed = complaint(world, "ringan")
    assert filed.assigned_to is None
    assert staffing.warn_deadlines(today=TUESDAY_22) == 1  # 23 and 28: two working days
    assert staffing.warn_deadlines(today=WEDNESDAY_23) == 1  # five calendar days, one working day
    told = staff_told("complaint_deadline_warning")
    assert [t.recipient for t in told] == [world.supervisor, world.supervisor]
    assert [t.subject.rsplit(": ", 1)[1] for t in told] == ["2 hari kerja lagi", "1 hari kerja lagi"]
    assert "28 Desember 2026" in told[1].body


def test_an_emergency_complaint_runs_on_hours_and_is_not_warned_in_days(world):
    complaint(world, "darurat", officer=world.petugas2)  # runs on hours: escalated by complaints itself
    assert staffing.warn_deadlines(today=TUESDAY_22) == 0
    assert staffing.warn_deadlines(today=WEDNESDAY_23) == 0
    assert staff_told("complaint_deadline_warning") == []

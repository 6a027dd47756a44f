"""The workflow of a complaint through its services: every step guarded and audited, deadlines in working days
across a holiday, escalation at 80% and when late by the periodic job, answers that say nothing refused."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.audit.models import AuditEntry
from pamong.complaints import deadlines, services
from pamong.complaints.models import Complaint
from pamong.core.errors import InvalidTransition, NotFound, ValidationFailed
from pamong.staffing.models import StaffNotice

from .conftest import BEFORE_CHRISTMAS, WIB, report

ANSWER = (
    "Data keluarga Bapak sudah kami perbarui di DTKS pada 29 Desember; bantuan tahap berikutnya cair "
    "melalui Bank Mandiri paling lambat 15 Januari."
)


def actions(complaint) -> list[str]:
    return list(
        AuditEntry.objects.filter(subject=f"complaint:{complaint.reference}")
        .order_by("index")
        .values_list("action", flat=True)
    )


def test_deadlines_skip_the_christmas_holidays(world):
    complaint = services.submit_complaint(
        report(world), actor=world.warga, reporter=world.warga, now=BEFORE_CHRISTMAS
    )
    # Working days after Tue 22 Dec: Wed 23, (Thu 24 cuti bersama, Fri 25 Christmas, weekend), Mon 28, Tue 29,
    # Wed 30, Thu 31. Normatif = 5 working days: ends at the end of Thursday 31 December.
    assert complaint.due_at == dt.datetime(2027, 1, 1, 0, 0, tzinfo=WIB)
    assert complaint.forward_due == dt.datetime(2026, 12, 30, 0, 0, tzinfo=WIB)  # 3 working days
    assert complaint.response_due == dt.datetime(2027, 1, 1, 0, 0, tzinfo=WIB)  # 5 working days
    # 80% of the working time 22 Dec 10:00 → 1 Jan 00:00 (14 + 24 + 4×24 = 134 h): 107.2 h, i.e. 30 Dec 21:12.
    assert complaint.escalate_at == dt.datetime(2026, 12, 30, 21, 12, tzinfo=WIB)


@pytest.mark.parametrize(
    ("urgency", "due"),
    [
        ("ringan", dt.datetime(2026, 12, 29, 0, 0, tzinfo=WIB)),  # 2 working days: 23, 28
        (
            "tidak_berkadar",
            dt.datetime(2027, 1, 16, 0, 0, tzinfo=WIB),
        ),  # 14: 23, 28–31 Dec, 4, 6–8, 11–15 Jan
        ("darurat", dt.datetime(2026, 12, 22, 14, 0, tzinfo=WIB)),  # 4 clock hours
    ],
)
def test_the_urgency_class_sets_the_answer_deadline(world, urgency, due):
    complaint = services.submit_complaint(
        report(world), actor=world.warga, reporter=world.warga, now=BEFORE_CHRISTMAS
    )
    complaint = services.verify_complaint(complaint, actor=world.petugas, urgency=urgency)
    assert complaint.due_at == due


def test_an_agency_may_set_its_own_clock(world):
    from pamong.complaints.models import ComplaintClock

    ComplaintClock.objects.create(agency=world.bansos.agency, urgency="ringan", amount=1)
    complaint = services.submit_complaint(
        report(world), actor=world.warga, reporter=world.warga, now=BEFORE_CHRISTMAS
    )
    complaint = services.verify_complaint(complaint, actor=world.petugas, urgency="ringan")
    assert complaint.due_at == dt.datetime(2026, 12, 24, 0, 0, tzinfo=WIB)


def test_the_whole_cycle_about_a_refused_application(world, refused):
    complaint = services.submit_complaint(
        report(world, application=refused, title="Penolakan bansos saya keliru"),
        actor=world.denied,
        reporter=world.denied,
        now=BEFORE_CHRISTMAS,
    )
    assert complaint.application == refused
    services.verify_complaint(complaint, actor=world.petugas, urgency="normatif")
    services.forward_complaint(complaint, actor=world.petugas, officer=world.petugas2)
    assert services.escalate_overdue(now=dt.datetime(2026, 12, 30, 21, 11, tzinfo=WIB)) == {
        "warned": 0,
        "late": 0,
        "closed": 0,
    }
    assert services.escalate_overdue(now=dt.datetime(2026, 12, 30, 21, 12, tzinfo=WIB)) == {
        "warned": 1,
        "late": 0,
        "closed": 0,
    }
    assert services.escalate_overdue(now=dt.datetime(2026, 12, 30, 22, 0, tzinfo=WIB))["warned"] == 0  # once
    told = StaffNotice.objects.filter(template="complaint_escalated").values_list(
        "recipient__username", flat=True
    )
    assert set(told) == {"supervisor"}
    services.start_complaint(
        complaint, actor=world.petugas2, note="Kami periksa ulang data DTKS keluarga Bapak."
    )
    answered = services.answer_complaint(
        complaint, actor=world.petugas2, answer=ANSWER, now=dt.datetime(2026, 12, 31, 9, 0, tzinfo=WIB)
    )
    # 10 working days after 31 Dec: 1 Jan (New Year) and 5 Jan (Isra Mi'raj) do not count.
    assert answered.reopen_until == dt.date(2027, 1, 18)
    closed = services.rate_complaint(answered, actor=world.denied, rating=4)
    assert closed.status == "closed" and closed.rating == 4
    assert actions(complaint) == [
        "complaints.submitted",
        "complaints.verified",
        "complaints.forwarded",
        "complaints.escalated",
        "complaints.started",
        "complaints.answered",
        "complaints.rated",
    ]
    answered_entry = AuditEntry.objects.get(
        subject=f"complaint:{complaint.reference}", action="complaints.answered"
    )
    assert '"on_time":true' in answered_entry.payload and '"working_days":5' in answered_entry.payload


def test_late_and_emergency_escalation(world):
    complaint = services.submit_complaint(
        report(world, emergency=True), actor=world.warga, reporter=world.warga, now=BEFORE_CHRISTMAS
    )
    assert complaint.urgency == "darurat"
    alerted = set(
        StaffNotice.objects.filter(template="complaint_emergency", urgency="darurat").values_list(
            "recipient__username", flat=True
        )
    )
    assert alerted == {"supervisor"}  # on duty for complaints: no rota yet, so the agency's supervisor
    counts = services.escalate_overdue(now=dt.datetime(2026, 12, 22, 14, 0, tzinfo=WIB))
    assert counts == {"warned": 0, "late": 1, "closed": 0}
    complaint.refresh_from_db()
    assert complaint.escalation_level == 2


def test_an_answer_that_says_nothing_is_refused(world):
    complaint = services.submit_complaint(report(world), actor=world.warga, reporter=world.warga)
    services.verify_complaint(complaint, actor=world.petugas, urgency="ringan")
    services.forward_complaint(complaint, actor=world.petugas, officer=world.petugas)
    services.start_complaint(complaint, actor=world.petugas, note="Laporan sedang kami periksa di lapangan.")
    before = actions(complaint)
    for text, code in [
        ("Terima kasih atas laporan Anda. Sudah ditindaklanjuti.", "answer_too_short"),
        (
            "Terima kasih, bantuan Bapak akan cair pada tanggal [TANGGAL] melalui bank [NAMA BANK] sesuai data.",
            "answer_template_unfilled",
        ),
        (
            "Bantuan akan cair pada ... di kantor pos terdekat, mohon membawa KTP dan KK asli saat mengambil.",
            "answer_template_unfilled",
        ),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            services.answer_complaint(complaint, actor=world.petugas, answer=text)
        assert caught.value.code == code
    complaint.refresh_from_db()
    assert complaint.status == "in_progress" and complaint.answer == "" and actions(complaint) == before


def test_guards(world):
    complaint = services.submit_complaint(report(world), actor=world.warga, reporter=world.warga)
    with pytest.raises(InvalidTransition):
        services.answer_complaint(complaint, actor=world.petugas, answer=ANSWER)
    with pytest.raises(NotFound):  # another agency's officer cannot touch it
        services.verify_complaint(complaint, actor=world.dukcapil_officer, urgency="ringan")
    with pytest.raises(NotFound):  # nor the reporter
        services.verify_complaint(complaint, actor=world.warga, urgency="ringan")
    with pytest.raises(ValidationFailed):
        services.submit_complaint(report(world, title="x"), actor=world.warga, reporter=world.warga)
    with pytest.raises(ValidationFailed) as caught:
        services.submit_complaint(report(world), actor=world.loket, reporter=world.warga, channel="counter")
    assert caught.value.code == "consent_required"
    counter = services.submit_complaint(
        report(world),
        actor=world.loket,
        reporter=world.warga,
        channel="counter",
        consent={"method": "tanda_tangan", "statement": "Warga setuju."},
    )
    assert counter.filed_by == world.loket and counter.reporter == world.warga


def test_forwarding_to_another_agency_moves_the_report(world):
    from pamong.catalog.models import Agency

    dukcapil = Agency.objects.get(slug="disdukcapil-kota-bandung")
    complaint = services.submit_complaint(report(world), actor=world.warga, reporter=world.warga)
    services.verify_complaint(complaint, actor=world.petugas, urgency="normatif")
    services.forward_complaint(complaint, actor=world.petugas, agency=dukcapil)
    complaint.refresh_from_db()
    assert complaint.agency == dukcapil and complaint.status == "forwarded"
    with pytest.raises(NotFound):  # no longer Dinas Sosial's
        services.start_complaint(
            complaint, actor=world.petugas, note="Kami periksa ulang data DTKS keluarga."
        )
    services.start_complaint(
        complaint, actor=world.dukcapil_officer, note="Data kependudukan kami periksa ulang."
    )


def test_reopen_within_ten_working_days_then_the_job_closes(world):
    complaint = services.submit_complaint(
        report(world), actor=world.warga, reporter=world.warga, now=BEFORE_CHRISTMAS
    )
    services.verify_complaint(complaint, actor=world.petugas, urgency="normatif")
    services.forward_complaint(complaint, actor=world.petugas, officer=world.petugas)
    services.start_complaint(complaint, actor=world.petugas, note="Laporan sedang kami periksa di lapangan.")
    answered_at = dt.datetime(2026, 12, 23, 9, 0, tzinfo=WIB)
    services.answer_complaint(complaint, actor=world.petugas, answer=ANSWER, now=answered_at)
    reopened = services.reopen_complaint(
        complaint,
        actor=world.warga,
        reason="Bantuan belum juga cair sampai hari ini.",
        now=dt.datetime(2027, 1, 4, 9, 0, tzinfo=WIB),
    )
    assert reopened.status == "in_progress" and reopened.reopened == 1
    assert reopened.due_at == dt.datetime(2027, 1, 13, 0, 0, tzinfo=WIB)  # a fresh 5: 6, 7, 8, 11, 12 Jan
    services.answer_complaint(
        reopened, actor=world.petugas, answer=ANSWER, now=dt.datetime(2027, 1, 5, 9, 0, tzinfo=WIB)
    )
    reopened.refresh_from_db()
    assert reopened.reopen_until == dt.date(2027, 1, 19)
    with pytest.raises(ValidationFailed):
        services.reopen_complaint(
            reopened,
            actor=world.warga,
            reason="Bantuan belum juga cair sampai hari ini.",
            now=dt.datetime(2027, 1, 20, 9, 0, tzinfo=WIB),
        )
    assert services.escalate_overdue(now=dt.datetime(2027, 1, 20, 9, 0, tzinfo=WIB))["closed"] == 1
    reopened.refresh_from_db()
    assert reopened.status == "closed"


def test_working_point_is_pure_working_time():
    start = dt.datetime(2026, 12, 23, 12, 0, tzinfo=WIB)  # Wednesday noon
    end = dt.datetime(2026, 12, 29, 12, 0, tzinfo=WIB)  # next Tuesday noon: 12 + 24 + 12 = 48 working hours
    assert deadlines.working_point(start, end, 0.5) == dt.datetime(2026, 12, 28, 12, 0, tzinfo=WIB)
    assert Complaint.Status.RECEIVED == "received"


def test_statistics_per_agency_and_category(world):
    from pamong.complaints import selectors

    def answered(at, **changes):
        complaint = services.submit_complaint(
            report(world, **changes), actor=world.warga, reporter=world.warga, now=BEFORE_CHRISTMAS
        )
        services.verify_complaint(
            complaint, actor=world.petugas, urgency="ringan"
        )  # due at the end of 28 Dec
        services.forward_complaint(complaint, actor=world.petugas, officer=world.petugas)
        services.start_complaint(
            complaint, actor=world.petugas, note="Laporan sedang kami periksa di lapangan."
        )
        return services.answer_complaint(complaint, actor=world.petugas, answer=ANSWER, now=at)

    answered(dt.datetime(2026, 12, 23, 9, 0, tzinfo=WIB))  # 1 working day, on time
    late = answered(dt.datetime(2026, 12, 30, 9, 0, tzinfo=WIB))  # 4 working days, late
    services.reopen_complaint(
        late,
        actor=world.warga,
        reason="Bantuan belum juga cair sampai hari ini.",
        now=dt.datetime(2026, 12, 30, 10, 0, tzinfo=WIB),
    )  # ringan again: due end of 4 Jan
    services.submit_complaint(
        report(world, confidential=True), actor=world.warga, reporter=world.warga, now=BEFORE_CHRISTMAS
    )
    (tally,) = selectors.statistics_by_category(days=30, now=dt.datetime(2027, 1, 4, tzinfo=WIB))
    # The reopened report is in progress again: not answered until its new answer.
    assert (tally.received, tally.answered, tally.on_time, tally.median_days) == (3, 1, 1, 1)
    services.answer_complaint(
        late, actor=world.petugas, answer=ANSWER, now=dt.datetime(2027, 1, 6, 9, 0, tzinfo=WIB)
    )
    (tally,) = selectors.statistics_by_category(days=30, now=dt.datetime(2027, 1, 10, tzinfo=WIB))
    assert (tally.service_slug, tally.received, tally.answered, tally.on_time) == ("bansos-pkh", 3, 2, 1)
    assert tally.median_days == 4  # 1 and 7 working days (23, 28–31 Dec, 4 and 6 Jan; 5 Jan is a holiday)
    assert tally.reopened_share == 0.5
    assert selectors.statistics_by_category(days=30, now=dt.datetime(2027, 3, 1, tzinfo=WIB)) == []

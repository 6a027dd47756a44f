"""Cases that move (issue 17): an officer goes on leave with three claimed cases; they return to the queue with
the citizen's clock unchanged, a colleague decides one, the supervisor is warned before the deadline and hands the
others on, and none reaches deemed approval by neglect. A supervisor can release or reassign with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.audit.models import AuditEntry
from pamong.cases import services
from pamong.cases.models import Application, Decision
from pamong.core.errors import ApplicationError
from pamong.core.workdays import add_working_days, working_days_between
from pamong.notify.models import Notification
from pamong.staffing import routing
from pamong.staffing import selectors as staffing_selectors
from pamong.staffing import services as staffing
from pamong.staffing.models import StaffNotice
from pamong.staffing.tests.conftest import WIB, Clock

THURSDAY = dt.datetime(2026, 11, 19, 10, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def repeats(world):
    """These tests file several cases for one citizen and service (what they test is who holds each case, not
    the duplicate guard of issue 15)."""
    world.bansos.repeat_allowed = True
    world.bansos.save(update_fields=["repeat_allowed"])


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(THURSDAY)
    return clock


def three_claimed(world):
    claimed = []
    for key in ("a", "b", "c"):
        application, _ = services.submit_application(
            actor=world.refer,
            service=world.bansos,
            applicant=world.refer,
            form=world.forms[world.niks.REFER_NIK],
            form_source="json",
            idempotency_key=f"leave-{key}",
        )
        assert application.status == Application.Status.UNDER_REVIEW
        claimed.append(services.claim_application(application, actor=world.petugas))
    return claimed


def test_an_officer_on_leave_hands_back_three_cases_and_none_is_deemed_approved_by_neglect(world, clock):
    cases = three_claimed(world)
    due = {case.pk: case.decision_due for case in cases}

    staffing.record_leave(
        world.petugas,
        actor=world.supervisor,
        kind="cuti",
        first_day=THURSDAY.date(),
        last_day=dt.date(2026, 12, 31),
    )

    for case in cases:
        case.refresh_from_db()
        assert case.assigned_to is None  # back in the queue
        assert case.decision_due == due[case.pk]  # the citizen's clock is unchanged
    released = AuditEntry.objects.filter(action="cases.case_released")
    assert released.count() == 3
    assert {entry.actor for entry in released} == {f"user:{world.supervisor.pk}"}

    # A colleague takes one from the queue and decides it.
    first = services.claim_application(cases[0], actor=world.petugas2)
    services.decide_application(
        first, actor=world.petugas2, outcome="GRANT", reasons="Alamat sesuai domisili."
    )

    # Two working days before the deadline nobody holds the other two: the supervisor is warned (working hours).
    warning_day = add_working_days(THURSDAY.date(), 0)
    while add_working_days(warning_day, 2) < cases[1].decision_due:
        warning_day += dt.timedelta(days=1)
    assert staffing.warn_deadlines(today=warning_day) == 2
    warned = StaffNotice.objects.filter(template="deadline_warning")
    assert {n.recipient for n in warned} == {world.supervisor}
    assert {n.urgency for n in warned} == {"mendesak"}

    # The supervisor hands them to the colleague, with a reason; the colleague decides both.
    for case in cases[1:]:
        services.release_case(
            case, actor=world.supervisor, reason="Petugas cuti; dialihkan.", to=world.petugas2
        )
        case.refresh_from_db()
        assert case.assigned_to == world.petugas2
        services.decide_application(
            case, actor=world.petugas2, outcome="GRANT", reasons="Alamat sesuai domisili."
        )

    last_due = max(due.values())
    assert services.deem_overdue(today=last_due + dt.timedelta(days=30)) == 0
    assert not Decision.objects.filter(kind=Decision.Kind.DEEMED).exists()
    assert set(Application.objects.filter(pk__in=due).values_list("status", flat=True)) == {"granted"}
    assert set(Decision.objects.filter(kind="human").values_list("decided_by", flat=True)) == {
        world.petugas2.pk
    }


def test_leave_in_the_future_releases_on_its_first_day_by_the_hourly_job(world, clock):
    cases = three_claimed(world)
    staffing.record_leave(
        world.petugas,
        actor=world.petugas,
        kind="cuti",
        first_day=dt.date(2026, 11, 23),
        last_day=dt.date(2026, 11, 27),
    )
    assert Application.objects.filter(assigned_to=world.petugas).count() == 3
    assert staffing.release_unavailable(today=dt.date(2026, 11, 20)) == 0
    assert staffing.release_unavailable(today=dt.date(2026, 11, 23)) == 3
    assert Application.objects.filter(pk__in=[c.pk for c in cases], assigned_to__isnull=True).count() == 3
    assert staffing.release_unavailable(today=dt.date(2026, 11, 24)) == 0  # once


def test_a_deactivated_officer_strands_nothing(world, clock):
    three_claimed(world)
    world.petugas.is_active = False
    world.petugas.save(update_fields=["is_active"])
    assert staffing.release_unavailable() == 3
    assert not Application.objects.filter(assigned_to=world.petugas).exists()


def test_the_assigned_officer_is_warned_in_working_hours(world, clock):
    [case, *_] = three_claimed(world)
    day = case.decision_due - dt.timedelta(days=1)
    while add_working_days(day, 1) != case.decision_due:
        day -= dt.timedelta(days=1)
    assert staffing.warn_deadlines(today=day) == 3
    notice = StaffNotice.objects.filter(template="deadline_warning", recipient=world.petugas).first()
    assert notice.context["days"] == 1
    routing.route_due(now=notice.deliver_at)
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.outside_hours is False


@pytest.mark.parametrize(
    ("who", "reason", "code"),
    [("petugas2", "alasan", "supervisor_required"), ("supervisor", "  ", "reason_required")],
)
def test_only_a_supervisor_moves_a_case_and_only_with_a_reason(world, clock, who, reason, code):
    [case, *_] = three_claimed(world)
    entries = AuditEntry.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.release_case(case, actor=getattr(world, who), reason=reason)
    assert refused.value.code == code
    case.refresh_from_db()
    assert case.assigned_to == world.petugas and AuditEntry.objects.count() == entries


def test_a_case_cannot_be_given_to_an_officer_of_another_agency(world, clock):
    [case, *_] = three_claimed(world)
    with pytest.raises(ApplicationError) as refused:
        services.release_case(case, actor=world.supervisor, reason="alih", to=world.dukcapil_officer)
    assert refused.value.code == "invalid_assignee"


def test_a_citizen_writing_outside_working_hours_is_told_when_the_agency_is_next_at_work(world, clock):
    clock.set(dt.datetime(2026, 8, 14, 21, 0, tzinfo=WIB))  # Friday night; Monday 17 August is a holiday
    services.submit_application(
        actor=world.refer,
        service=world.bansos,
        applicant=world.refer,
        form=world.forms[world.niks.REFER_NIK],
        form_source="json",
    )
    told = Notification.objects.get(recipient=world.refer, template="application_received")
    assert "di luar jam kerja: petugas mulai memeriksanya pada 18 Agustus 2026 pukul 08.00 WIB" in told.body


def test_in_working_hours_nothing_is_said_about_the_next_working_day(world, clock):
    services.submit_application(
        actor=world.refer,
        service=world.bansos,
        applicant=world.refer,
        form=world.forms[world.niks.REFER_NIK],
        form_source="json",
    )
    told = Notification.objects.get(recipient=world.refer, template="application_received")
    assert "di luar jam kerja" not in told.body


def test_a_darurat_matter_is_not_told_to_wait():
    night = dt.datetime(2026, 8, 14, 21, 0, tzinfo=WIB)
    assert staffing_selectors.agency_next_open(None, urgency="darurat", at=night) is None
    assert staffing_selectors.agency_next_open(None, urgency="biasa", at=night) == dt.datetime(
        2026, 8, 18, 8, 0, tzinfo=WIB
    )
    assert (
        staffing_selectors.agency_next_open(
            None, urgency="mendesak", at=dt.datetime(2026, 8, 13, 10, 0, tzinfo=WIB)
        )
        is None
    )


def test_an_information_request_reminds_the_citizen_and_ends_at_its_date(world, clock):
    [case, *_] = three_claimed(world)
    due_before = case.decision_due
    request = services.request_information(case, actor=world.petugas, message="Kirim KK terbaru.")
    answer_by = add_working_days(THURSDAY.date(), 10)
    assert request.answer_by == answer_by
    asked = Notification.objects.get(recipient=world.refer, template="information_requested")
    assert "Jawab paling lambat" in asked.body

    day_before_reminder = answer_by - dt.timedelta(days=1)
    while add_working_days(day_before_reminder, 2) != answer_by:
        day_before_reminder -= dt.timedelta(days=1)
    assert services.follow_information_requests(today=day_before_reminder) == {"reminded": 1, "ended": 0}
    assert Notification.objects.filter(recipient=world.refer, template="information_reminder").count() == 1
    assert services.follow_information_requests(today=answer_by) == {"reminded": 0, "ended": 0}

    after = add_working_days(answer_by, 1)
    assert services.follow_information_requests(today=after) == {"reminded": 0, "ended": 1}
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == "under_review" and request.ended_at is not None
    assert case.decision_due == add_working_days(due_before, working_days_between(THURSDAY.date(), after))
    assert AuditEntry.objects.filter(action="cases.information_request_ended").count() == 1
    assert (
        Notification.objects.filter(recipient=world.refer, template="information_request_ended").count() == 1
    )
    assert StaffNotice.objects.get(template="information_request_ended_staff").recipient == world.petugas
    assert services.follow_information_requests(today=after) == {"reminded": 0, "ended": 0}  # once

"""The test week of issue 17: non-urgent notices wait for working hours (digest on the next working day, a
holiday Monday moves it to Tuesday); a darurat alert at 02:00 reaches the on-duty primary, then the backup after 15
minutes without acknowledgement, then the supervisor; one click acknowledges and stops the chain."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.audit.models import AuditEntry
from pamong.notify.models import Notification
from pamong.staffing import routing, services
from pamong.staffing.models import Rota, Shift, StaffNotice

from .conftest import WIB

FRIDAY_NIGHT = dt.datetime(2026, 11, 20, 21, 0, tzinfo=WIB)
MONDAY_0800 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WIB)
CONTEXT = {"reference": "PMG-1", "service": "Bansos PKH"}


def sent_to(user, template=None):
    rows = Notification.objects.filter(recipient=user)
    return list(rows.filter(template=template) if template else rows)


def publish_rota(agency, primary, backup, *, start, hours=24, function="alerts"):
    rota = Rota.objects.create(
        agency=agency,
        first_day=start.date(),
        days=1,
        status=Rota.Status.PUBLISHED,
        created_by=primary,
        created_at=start,
        published_at=start,
    )
    return Shift.objects.create(
        rota=rota,
        function=function,
        kind="malam",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        primary=primary,
        backup=backup,
    )


def test_biasa_on_friday_night_arrives_in_mondays_digest_at_the_start_of_the_day(world, clock):
    clock.set(FRIDAY_NIGHT)
    routing.notify_staff(
        user=world.supervisor, urgency="biasa", template="discretion_recorded", context=CONTEXT
    )
    notice = StaffNotice.objects.get()
    assert notice.status == "held" and notice.deliver_at == MONDAY_0800
    assert sent_to(world.supervisor) == []

    for moment in (
        dt.datetime(2026, 11, 21, 9, 0, tzinfo=WIB),
        dt.datetime(2026, 11, 22, 12, 0, tzinfo=WIB),
        MONDAY_0800 - dt.timedelta(minutes=1),
    ):
        clock.set(moment)
        assert routing.route_due() == {"released": 0, "digests": 0, "escalated": 0}
    assert sent_to(world.supervisor) == []

    clock.set(MONDAY_0800)
    assert routing.route_due()["digests"] == 1
    [digest] = sent_to(world.supervisor)
    assert digest.template == "staff_digest"
    assert digest.subject == "Ringkasan harian: 1 pemberitahuan"
    assert "PMG-1" in digest.body
    notice.refresh_from_db()
    assert (notice.status, notice.outside_hours) == ("sent", False)
    assert routing.route_due()["digests"] == 0  # idempotent: one digest, not two


def test_a_holiday_monday_moves_the_digest_to_tuesday(world, clock):
    clock.set(dt.datetime(2026, 8, 14, 21, 0, tzinfo=WIB))  # Monday 17 August 2026 is Independence Day
    routing.notify_staff(user=world.petugas, urgency="biasa", template="discretion_recorded", context=CONTEXT)
    assert StaffNotice.objects.get().deliver_at == dt.datetime(2026, 8, 18, 8, 0, tzinfo=WIB)
    clock.set(dt.datetime(2026, 8, 17, 10, 0, tzinfo=WIB))
    routing.route_due()
    assert sent_to(world.petugas) == []
    clock.set(dt.datetime(2026, 8, 18, 8, 0, tzinfo=WIB))
    routing.route_due()
    assert [n.template for n in sent_to(world.petugas)] == ["staff_digest"]


def test_several_biasa_notices_make_one_digest(world, clock):
    clock.set(FRIDAY_NIGHT)
    for reference in ("PMG-1", "PMG-2", "PMG-3"):
        routing.notify_staff(
            user=world.supervisor,
            urgency="biasa",
            template="discretion_recorded",
            context={**CONTEXT, "reference": reference},
        )
    clock.set(MONDAY_0800 + dt.timedelta(minutes=1))
    routing.route_due()
    [digest] = sent_to(world.supervisor)
    assert digest.subject == "Ringkasan harian: 3 pemberitahuan"
    assert all(reference in digest.body for reference in ("PMG-1", "PMG-2", "PMG-3"))


def test_mendesak_waits_for_the_recipients_own_working_hours_in_their_time_zone(world, clock):
    services.set_pattern(world.petugas2, actor=world.petugas2, time_zone="WITA")
    clock.set(FRIDAY_NIGHT)
    routing.notify_staff(
        user=world.petugas2, urgency="mendesak", template="discretion_recorded", context=CONTEXT
    )
    routing.notify_staff(
        user=world.petugas, urgency="mendesak", template="discretion_recorded", context=CONTEXT
    )
    # 08:00 WITA is 07:00 WIB: the officer in Makassar gets it an hour before the one in Bandung.
    clock.set(dt.datetime(2026, 11, 23, 7, 0, tzinfo=WIB))
    assert routing.route_due()["released"] == 1
    assert [n.template for n in sent_to(world.petugas2)] == ["discretion_recorded"]
    assert sent_to(world.petugas) == []
    clock.set(MONDAY_0800)
    assert routing.route_due()["released"] == 1
    assert [n.template for n in sent_to(world.petugas)] == ["discretion_recorded"]
    assert not StaffNotice.objects.filter(outside_hours=True).exists()


def test_mendesak_in_working_hours_goes_at_once(world, clock):
    clock.set(dt.datetime(2026, 11, 19, 10, 30, tzinfo=WIB))
    routing.notify_staff(
        user=world.supervisor, urgency="mendesak", template="discretion_recorded", context=CONTEXT
    )
    assert [n.template for n in sent_to(world.supervisor)] == ["discretion_recorded"]
    assert StaffNotice.objects.get().status == "sent"


def test_flexible_working_gets_non_urgent_messages_in_core_hours_only(world, clock):
    services.set_pattern(
        world.petugas,
        actor=world.petugas,
        flexible=True,
        start=dt.time(7),
        end=dt.time(19),
        core_start=dt.time(10),
        core_end=dt.time(15),
    )
    clock.set(dt.datetime(2026, 11, 19, 8, 0, tzinfo=WIB))
    routing.notify_staff(
        user=world.petugas, urgency="mendesak", template="discretion_recorded", context=CONTEXT
    )
    assert StaffNotice.objects.get().deliver_at == dt.datetime(2026, 11, 19, 10, 0, tzinfo=WIB)


def test_nothing_non_urgent_reaches_someone_on_leave_it_waits_for_their_return(world, clock):
    clock.set(dt.datetime(2026, 11, 19, 9, 0, tzinfo=WIB))
    services.record_leave(
        world.petugas,
        actor=world.petugas,
        kind="cuti",
        first_day=dt.date(2026, 11, 19),
        last_day=dt.date(2026, 11, 24),
    )
    routing.notify_staff(
        user=world.petugas, urgency="mendesak", template="discretion_recorded", context=CONTEXT
    )
    assert StaffNotice.objects.get().deliver_at == dt.datetime(2026, 11, 25, 8, 0, tzinfo=WIB)
    assert sent_to(world.petugas) == []


def test_leave_entered_after_the_notice_makes_it_wait_again(world, clock):
    clock.set(FRIDAY_NIGHT)
    routing.notify_staff(user=world.petugas, urgency="biasa", template="discretion_recorded", context=CONTEXT)
    clock.set(dt.datetime(2026, 11, 22, 10, 0, tzinfo=WIB))
    services.record_leave(
        world.petugas,
        actor=world.petugas,
        kind="sakit",
        first_day=dt.date(2026, 11, 23),
        last_day=dt.date(2026, 11, 23),
    )
    clock.set(MONDAY_0800)
    routing.route_due()
    assert sent_to(world.petugas) == []
    assert StaffNotice.objects.get().deliver_at == dt.datetime(2026, 11, 24, 8, 0, tzinfo=WIB)


def test_darurat_at_0200_reaches_the_primary_then_the_backup_after_15_minutes_then_the_supervisor(
    world, clock, analysts
):
    primary, backup = analysts
    night = dt.datetime(2026, 11, 21, 2, 0, tzinfo=WIB)
    publish_rota(world.petugas.agency, primary, backup, start=dt.datetime(2026, 11, 20, 16, 0, tzinfo=WIB))
    clock.set(night)
    routing.notify_on_duty(
        agency=world.petugas.agency,
        function="alerts",
        urgency="darurat",
        template="breaker_opened",
        context={
            "service": "Bansos",
            "rule_id": "R1",
            "region": "3204",
            "reason": "lonjakan",
            "automatic": True,
            "url": "/pengawasan/pemutus/1/",
        },
    )
    [alert] = sent_to(primary)
    notice = StaffNotice.objects.get(recipient=primary)
    assert "/staf/terima/" + notice.token + "/" in alert.body
    assert notice.outside_hours is True and notice.level == 0
    assert sent_to(backup) == [] and sent_to(world.supervisor) == []

    clock.set(night + dt.timedelta(minutes=14, seconds=59))
    assert routing.route_due()["escalated"] == 0
    clock.set(night + dt.timedelta(minutes=15))
    assert routing.route_due()["escalated"] == 1
    assert [n.template for n in sent_to(backup)] == ["breaker_opened"]
    assert StaffNotice.objects.get(recipient=backup).level == 1
    assert sent_to(world.supervisor) == []

    clock.set(night + dt.timedelta(minutes=30))
    assert routing.route_due()["escalated"] == 1
    assert [n.template for n in sent_to(world.supervisor)] == ["breaker_opened"]
    clock.set(night + dt.timedelta(minutes=60))
    assert routing.route_due()["escalated"] == 0  # the supervisor is the end of the line
    assert AuditEntry.objects.filter(action="staffing.notice_escalated").count() == 2


def test_one_click_acknowledgement_stops_the_escalation(world, clock, analysts, client):
    primary, backup = analysts
    night = dt.datetime(2026, 11, 21, 2, 0, tzinfo=WIB)
    publish_rota(world.petugas.agency, primary, backup, start=dt.datetime(2026, 11, 20, 16, 0, tzinfo=WIB))
    clock.set(night)
    routing.notify_on_duty(
        agency=world.petugas.agency,
        function="alerts",
        urgency="darurat",
        template="breaker_opened",
        context={
            "service": "Bansos",
            "rule_id": "R1",
            "region": "3204",
            "reason": "x",
            "automatic": True,
            "url": "/",
        },
    )
    notice = StaffNotice.objects.get(recipient=primary)
    clock.set(night + dt.timedelta(minutes=4))
    page = client.get(routing.ack_path(notice))
    assert page.status_code == 200 and "Terima" in page.content.decode()
    assert (
        StaffNotice.objects.get(pk=notice.pk).acknowledged_at is None
    )  # a GET (a link preview) changes nothing
    response = client.post(routing.ack_path(notice))
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.status == "acknowledged" and notice.acknowledged_by == primary
    clock.set(night + dt.timedelta(minutes=20))
    assert routing.route_due()["escalated"] == 0
    assert sent_to(backup) == []
    assert AuditEntry.objects.filter(action="staffing.notice_acknowledged").count() == 1


def test_an_unknown_acknowledgement_link_is_a_clear_404(world, client):
    response = client.post("/staf/terima/bukan-token/")
    assert response.status_code == 404


def test_without_a_rota_every_role_holder_gets_the_darurat_alert(world, clock, analysts):
    clock.set(dt.datetime(2026, 11, 21, 2, 0, tzinfo=WIB))
    routing.notify_on_duty(
        agency=world.petugas.agency,
        function="alerts",
        urgency="darurat",
        template="breaker_opened",
        context={
            "service": "Bansos",
            "rule_id": "R1",
            "region": "3204",
            "reason": "x",
            "automatic": True,
            "url": "/",
        },
    )
    assert {n.recipient for n in Notification.objects.filter(template="breaker_opened")} == set(analysts)


def test_the_primary_on_leave_is_skipped_for_the_backup(world, clock, analysts):
    primary, backup = analysts
    publish_rota(world.petugas.agency, primary, backup, start=dt.datetime(2026, 11, 20, 16, 0, tzinfo=WIB))
    clock.set(dt.datetime(2026, 11, 20, 17, 0, tzinfo=WIB))
    services.record_leave(
        primary, actor=primary, kind="sakit", first_day=dt.date(2026, 11, 20), last_day=dt.date(2026, 11, 20)
    )
    routing.notify_on_duty(
        agency=world.petugas.agency,
        function="alerts",
        urgency="darurat",
        template="breaker_opened",
        context={
            "service": "Bansos",
            "rule_id": "R1",
            "region": "3204",
            "reason": "x",
            "automatic": True,
            "url": "/",
        },
    )
    assert sent_to(primary) == [] and len(sent_to(backup)) == 1


@pytest.mark.parametrize("urgency", ["segera", "", "DARURAT"])
def test_an_unknown_urgency_is_refused_and_nothing_is_written(world, urgency):
    with pytest.raises(routing.UnknownUrgency):
        routing.notify_staff(
            user=world.petugas, urgency=urgency, template="discretion_recorded", context=CONTEXT
        )
    assert not StaffNotice.objects.exists()

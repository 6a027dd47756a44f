"""Officers' voice and guard (issue 13): flags from two officers open a provisional breaker; review patterns
(rubber-stamping) are noticed for coaching; breaker alerts reach someone even without an analyst."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pamong.accounts.models import User
from pamong.audit.models import AuditEntry
from pamong.cases import selectors as case_selectors
from pamong.cases import services as cases
from pamong.cases.models import Application, RuleFlag
from pamong.core.errors import ValidationFailed
from pamong.core.testing.staff_notices import staff_told
from pamong.oversight import guard, services
from pamong.oversight.models import CircuitBreaker
from pamong.staffing.models import StaffNotice

pytestmark = pytest.mark.django_db
RULE = "income_below_poverty_line"


def refused_bansos(world) -> Application:
    application, _ = cases.submit_application(
        actor=world.denied, service=world.bansos, applicant=world.denied, form=world.forms[world.denied.nik]
    )
    return application


def test_flags_from_two_officers_within_24_hours_open_a_provisional_breaker(world):
    application = refused_bansos(world)
    region = case_selectors.officer_voice(application)
    assert RULE in [rule for rule, _ in region["rules"]]
    cases.flag_rule(application, actor=world.petugas, rule_id=RULE, reason="Garis kemiskinan tampak usang.")
    cases.flag_rule(application, actor=world.petugas, rule_id=RULE, reason="Masih tampak usang hari ini.")
    assert not CircuitBreaker.objects.exists()  # one officer twice is one voice
    assert len(staff_told("rule_flagged", recipient=world.supervisor)) == 2
    cases.flag_rule(
        application, actor=world.petugas2, rule_id=RULE, reason="Saya juga melihat hal yang sama."
    )
    breaker = CircuitBreaker.objects.get()
    flag = RuleFlag.objects.first()
    assert (breaker.rule_id, breaker.region_code or "", breaker.opened_by) == (RULE, flag.region_code, None)
    assert breaker.statistics == {"provisional": True, "flags": 2}
    # the officer deciding a case under that rule sees the breaker, the rule named by its title
    held = ["Penghasilan per kapita tidak melebihi 120% garis kemiskinan"]
    assert case_selectors.officer_voice(application)["held_rules"] == held
    # no analyst in the agency: the breaker alert goes to its supervisor rather than to nobody
    assert len(staff_told("breaker_opened", recipient=world.supervisor)) == 1
    assert AuditEntry.objects.filter(action="cases.rule_flagged").count() == 3


def test_flags_older_than_24_hours_do_not_add_up(world):
    application = refused_bansos(world)
    cases.flag_rule(application, actor=world.petugas, rule_id=RULE, reason="Garis kemiskinan tampak usang.")
    RuleFlag.objects.update(flagged_at=timezone.now() - dt.timedelta(hours=25))
    cases.flag_rule(application, actor=world.petugas2, rule_id=RULE, reason="Garis kemiskinan tampak usang.")
    assert not CircuitBreaker.objects.exists()


def test_a_flag_names_a_rule_of_the_case_and_a_reason(world):
    application = refused_bansos(world)
    with pytest.raises(ValidationFailed) as unknown:
        cases.flag_rule(application, actor=world.petugas, rule_id="no_such_rule", reason="Alasan yang cukup.")
    assert unknown.value.code == "unknown_rule"
    with pytest.raises(ValidationFailed) as short:
        cases.flag_rule(application, actor=world.petugas, rule_id=RULE, reason="buruk")
    assert short.value.code == "reason_required"
    assert not RuleFlag.objects.exists()


@pytest.mark.parametrize(
    ("proposals", "confirmed", "median", "flagged"),
    [
        (50, 49, 10.0, True),  # 98% of 50
        (50, 48, 10.0, False),  # 96%
        (49, 49, 10.0, False),  # too few to say
        (50, 50, 60.0, False),  # a minute or more per case
        (50, 50, 59.9, True),
        (100, 98, 5.0, True),
        (100, 97, 5.0, False),
    ],
)
def test_the_rubber_stamp_threshold_is_exact(proposals, confirmed, median, flagged):
    pattern = guard.ReviewPattern(1, proposals, confirmed, median, 0)
    assert pattern.rubber_stamp is flagged


def test_breaker_alerts_fall_back_to_the_platform_operators(world):
    platform = User.objects.create_user(username="operator", password=None, is_superuser=True)
    world.supervisor.groups.clear()  # the agency has neither analyst nor supervisor
    services.open_provisional_breaker(
        world.bansos, rule_id=RULE, region_code=None, reason="uji", statistics={"provisional": True}
    )
    assert list(
        StaffNotice.objects.filter(template="breaker_opened").values_list("recipient", flat=True)
    ) == [platform.pk]


def test_an_alert_goes_on_a_channel_the_supervisor_has_ahead_of_949_queued_citizen_notices(
    world, monkeypatch, settings, django_capture_on_commit_callbacks
):
    """The SKTM scenario: the kelurahan has no analyst; its supervisor has no e-mail address, only a phone; 949
    citizen notices wait in the task queue. The breaker alert reaches the supervisor at once, on WhatsApp."""
    from pamong.accounts import roles
    from pamong.accounts import services as accounts
    from pamong.notify import services as notify
    from pamong.notify.models import Notification

    settings.NOTIFY_CHANNELS = {
        **settings.NOTIFY_CHANNELS,
        "whatsapp": "pamong.notify.channels.ConsoleChannel",
    }
    lurah = accounts.create_account(
        actor="system:test", username="lurah", password=None, role=roles.SUPERVISOR, agency=world.sktm.agency
    )
    assert lurah.email == ""
    notify.set_preference(user=lurah, channels=["email"], phone="081234567890")
    queued: list[int] = []
    monkeypatch.setattr(notify, "deliver_notification", queued.append)  # the queue is busy: nothing runs
    backlog = Notification.objects.bulk_create(
        Notification(
            recipient=world.warga,
            channel="email",
            template="decision_made",
            subject="Keputusan",
            body="…",
            next_attempt_at=timezone.now(),
        )
        for _ in range(949)
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.open_provisional_breaker(
            world.sktm,
            rule_id="income_below_poverty_line",
            region_code=None,
            reason="uji",
            statistics={"provisional": True},
        )

    alert = Notification.objects.get(recipient=lurah, template="breaker_opened")
    assert (alert.status, alert.channel) == ("sent", "whatsapp")
    # The channel the supervisor has was tried first: no failed attempt on a missing e-mail address.
    assert [(a["channel"], a["error"]) for a in alert.attempt_log] == [("whatsapp", "")]
    assert alert.fallbacks == ["sms", "email"]
    assert alert.pk not in queued  # not put behind the queue
    assert Notification.objects.filter(pk__in=[n.pk for n in backlog], status="pending").count() == 949


def test_staff_channels_are_ordered_by_what_the_person_has(world):
    """Every staff notice tries first the channels the person has an address for; the others stay behind."""
    from pamong.notify import services as notify

    world.supervisor.email = ""
    world.supervisor.save(update_fields=["email"])
    notify.set_preference(user=world.supervisor, channels=["email"], phone="081234567890")
    assert notify.reachable_first(world.supervisor) == ["whatsapp", "sms", "email"]
    world.supervisor.email = "spv@contoh.id"
    assert notify.reachable_first(world.supervisor) == ["email", "whatsapp", "sms"]

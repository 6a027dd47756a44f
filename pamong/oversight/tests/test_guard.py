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
    # the officer deciding a case under that rule sees the breaker
    assert case_selectors.officer_voice(application)["held_rules"] == [RULE]
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

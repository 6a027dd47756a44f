"""The scenario of the essays, end to end: 5,000 bansos applications arrive from Kabupaten Bandung while the
spatial poverty map of that regency is stale (an old, much lower poverty line was loaded). The income rule, a
*deny* rule, fails wrongly for a large share of them.

given  four weeks of history in which the income rule failed for about a third of the regency's applicants
when   the stale map is loaded and 5,000 applications arrive
then   within the first few hundred the spike check opens the rule's circuit breaker for the regency and alerts
       the analyst; after that no application of the regency is denied by that rule (DENY becomes REFER)
when   the map is corrected, the analyst closes the breaker with a justification and re-runs the regency
then   exactly the wrongly refused applications are re-opened for a person, and their citizens are told
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import transaction
from django.db.models import F

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Application, Decision
from pamong.core.testing.staff_notices import staff_told
from pamong.notify.models import Notification
from pamong.oversight import guard, services
from pamong.oversight.models import CircuitBreaker, DecisionObservation, RuleTally
from pamong.registry import services as registry

from .factories import LINE_2025, Population, poverty_map

# slow: about 45 s alone (5,400 applications through the real decision path). It runs in every `make test`;
# `-m "not slow"` leaves it out of a quick local loop.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

RULE = "income_below_poverty_line"
PATTERN_AFTER = 50  # decisions after which a confirm-everything officer is noticed
STALE_LINE = 295_000  # the regency's line from an old survey period: about 60% of the current one
BATCH = 250


def threshold(line: int) -> int:
    return line * 12 // 10  # rule set 2026-07: at most 120% of the line


def submit_all(citizens, bansos) -> None:
    """The real decision path, one transaction per batch (the test's only shortcut is batching commits)."""
    for start in range(0, len(citizens), BATCH):
        with transaction.atomic():
            for citizen in citizens[start : start + BATCH]:
                cases.submit_application(
                    actor=citizen.user, service=bansos, applicant=citizen.user, form=citizen.form
                )


def rule_result(decision: Decision) -> dict:
    return next(r for r in decision.evaluation["rules"] if r["rule_id"] == RULE)


def test_stale_poverty_map_opens_the_breaker_and_the_repair_reopens_the_wrong_refusals(
    world, monkeypatch, tmp_path
):
    started = time.perf_counter()
    analis = accounts.create_account(
        actor="system:test", username="analis", password=None, role=roles.ANALIS, agency=world.bansos.agency
    )
    population = Population()
    population.install(monkeypatch)

    # given: history a week ago, with the correct map (income fails for about a third of applicants)
    history = population.make(300, regency="3204") + population.make(100, regency="3273")
    submit_all(history, world.bansos)
    week = dt.timedelta(days=7)
    RuleTally.objects.update(hour=F("hour") - week)
    DecisionObservation.objects.update(decided_at=F("decided_at") - week)
    Decision.objects.update(decided_at=F("decided_at") - week)
    Application.objects.update(filed_at=F("filed_at") - week, completed_at=F("completed_at") - week)
    assert not CircuitBreaker.objects.exists()
    # A busy officer confirms the rules' refusal proposals as they come, seconds apart (a rubber stamp).
    history_users = {c.user.pk for c in history}
    stamped = 0
    for proposal in Decision.objects.filter(
        kind="proposal", outcome="DENY", application__applicant__in=list(history_users)
    ).select_related("application__service", "application__applicant"):
        cases.claim_application(proposal.application, actor=world.petugas)
        cases.decide_application(
            proposal.application, actor=world.petugas, outcome="DENY", reasons="Sesuai hasil aturan."
        )
        stamped += 1
        if stamped == PATTERN_AFTER - 1:  # not yet: too few decisions to say anything
            assert not AuditEntry.objects.filter(action="oversight.review_pattern_alerted").exists()
    assert stamped >= PATTERN_AFTER
    # then: the pattern is noticed at the 50th decision, once, and the supervisor is told (as coaching)
    noticed = AuditEntry.objects.get(action="oversight.review_pattern_alerted")
    assert (noticed.subject, noticed.data["proposals"], noticed.data["confirmed"]) == (
        guard.officer_subject(world.petugas.pk),
        PATTERN_AFTER,
        PATTERN_AFTER,
    )
    [coaching] = staff_told("review_pattern")
    assert coaching.recipient == world.supervisor and "pembinaan" in coaching.subject.lower()

    # when: the stale map is loaded, then 5,000 applications arrive from the regency
    stale = poverty_map(tmp_path, "stale", amounts={"3204": STALE_LINE}, note="peta kemiskinan lama (keliru)")
    assert (
        registry.load_reference_data(actor="system:test", data_dir=stale).outcomes["poverty_lines"]
        == "created"
    )
    arriving_started = time.perf_counter()
    arriving = population.make(5000, regency="3204")
    submit_all(arriving, world.bansos)
    arrived = time.perf_counter()

    # then: the breaker opened automatically, early, for this rule and this regency only
    breaker = CircuitBreaker.objects.get()
    assert (breaker.rule_id, breaker.region_code, breaker.opened_by, breaker.closed_at) == (
        RULE,
        "3204",
        None,
        None,
    )
    recent = DecisionObservation.objects.filter(service=world.bansos, region_code__startswith="3204")
    before_breaker = recent.filter(decided_at__gte=breaker.opened_at - dt.timedelta(hours=2)).filter(
        decided_at__lt=breaker.opened_at
    )
    assert before_breaker.count() <= 300
    assert breaker.statistics["recent_rate"] > breaker.statistics["baseline_rate"] + 0.2
    assert breaker.statistics["method"] == "z" and breaker.statistics["z"] >= breaker.statistics["critical_z"]
    [alert] = staff_told("breaker_opened")
    assert alert.recipient == analis and "3204" in alert.subject
    assert AuditEntry.objects.filter(action="oversight.breaker_opened", actor="system").count() == 1

    # ... and after it opened, no application of the regency was denied by that rule
    after = Decision.objects.filter(
        application__applicant__in=[c.user for c in arriving], decided_at__gte=breaker.opened_at
    )
    assert after.count() >= 4700
    for decision in after:
        result = rule_result(decision)
        assert not (result["status"] == "failed" and result["on_fail"] == "deny")
    wrongly_failing = [
        d for d in after if rule_result(d)["status"] == "failed" and rule_result(d)["on_fail"] == "refer"
    ]
    assert len(wrongly_failing) > 1000  # the breaker caught all of these: a person looks at each
    assert all(d.outcome != "DENY" or _other_deny(d) for d in after)

    # Before the breaker opened, a busy officer confirmed the machine's refusal proposals as they were.
    arriving_users = {c.user.pk: c for c in arriving}
    proposals = Decision.objects.filter(
        kind="proposal",
        outcome="DENY",
        decided_at__lt=breaker.opened_at,
        application__applicant__in=list(arriving_users),
    ).select_related("application__service", "application__applicant")
    confirmed = []
    for proposal in proposals:
        application = proposal.application
        cases.claim_application(application, actor=world.petugas)
        cases.decide_application(
            application, actor=world.petugas, outcome="DENY", reasons="Sesuai hasil pemeriksaan aturan."
        )
        confirmed.append(arriving_users[application.applicant_id])
    assert confirmed
    wrongly_refused = [
        c
        for c in confirmed
        if threshold(STALE_LINE) < c.per_capita <= threshold(LINE_2025["3204"]) and not _fails_otherwise(c)
    ]
    assert wrongly_refused

    # when: the map is corrected, the breaker closed with a justification, and the regency re-run
    fixed = poverty_map(tmp_path, "fixed", amounts={}, note="diperbaiki: garis kemiskinan BPS Maret 2025")
    assert (
        registry.load_reference_data(actor="system:test", data_dir=fixed).outcomes["poverty_lines"]
        == "created"
    )
    services.close_breaker(
        breaker,
        actor=analis,
        justification="Peta kemiskinan Kabupaten Bandung diganti dengan publikasi BPS Maret 2025 yang benar.",
    )
    # then: the next spike check keeps it closed (the refusals it was closed over are not counted again)
    assert services.check_spikes(world.bansos).opened == []
    assert not CircuitBreaker.objects.filter(rule_id=RULE, closed_at__isnull=True).exists()
    rerun_started = time.perf_counter()
    report = services.rerun_decisions(world.bansos, region_code="3204", actor=analis)
    rerun_seconds = time.perf_counter() - rerun_started

    # then: exactly the wrong refusals are back under review with a new proposal, and their citizens told
    reopened = {c.user.pk for c in wrongly_refused}
    assert {a.applicant_id for a in Application.objects.filter(reference__in=report.reopened)} == reopened
    for citizen in wrongly_refused:
        application = Application.objects.get(applicant=citizen.user)
        assert application.status == "under_review"
        proposal = cases.latest_proposal(application)
        assert proposal.outcome in ("GRANT", "REFER") and rule_result(proposal)["status"] == "passed"
        assert Notification.objects.filter(recipient=citizen.user, template="decision_reopened").count() == 1
    still_denied = [c for c in confirmed if c.user.pk not in reopened]
    assert all(Application.objects.get(applicant=c.user).status == "denied" for c in still_denied)
    assert AuditEntry.objects.filter(action="cases.decision_reopened").count() == len(reopened)
    assert (
        AuditEntry.objects.filter(action="oversight.breaker_closed", actor=f"user:{analis.pk}").count() == 1
    )
    # Officers' voice: two officers flag the rule on a case of the regency; a provisional breaker holds it again
    case = Application.objects.get(applicant=still_denied[0].user)
    for officer in (world.petugas, world.petugas2):
        cases.flag_rule(
            case, actor=officer, rule_id=RULE, reason="Garis kemiskinan wilayah ini perlu diperiksa."
        )
    provisional = CircuitBreaker.objects.get(closed_at__isnull=True)
    assert (provisional.rule_id, provisional.region_code[:4], provisional.statistics["provisional"]) == (
        RULE,
        "3204",
        True,
    )
    elapsed = time.perf_counter() - started
    print(
        f"\nscenario: 5,400 applications, {len(confirmed)} confirmed refusals, {len(reopened)} re-opened; "
        f"breaker after {before_breaker.count()} applications; total {elapsed:.1f} s, of which 5,000 arrivals "
        f"{arrived - arriving_started:.1f} s ({(arrived - arriving_started) / 5:.2f} ms each), re-run of "
        f"{report.candidates} candidates {rerun_seconds:.1f} s"
    )


def _fails_otherwise(citizen) -> bool:
    """Would another deny rule refuse this citizen anyway?"""
    form, facts = citizen.form, citizen.facts
    return (
        not facts["in_dtsen"]
        or facts["owns_car"]
        or int(form["assets_value"]) > 60_000_000
        or not form["has_pkh_component"]
    )


def _other_deny(decision: Decision) -> bool:
    return any(
        r["status"] == "failed" and r["on_fail"] == "deny" and r["rule_id"] != RULE
        for r in decision.evaluation["rules"]
    )

"""The demo history (issue 20, point 7): real rules on what the registry holds, records the services would
write, an audit log in time order that verifies, and the same story from the same seed."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from pamong.accounts.models import User
from pamong.audit.actions import Action
from pamong.audit.models import AuditEntry
from pamong.audit.verification import verify_log
from pamong.cases import rulebook
from pamong.cases.models import Application, Decision, Objection
from pamong.cases.selectors import subject_of
from pamong.cases.services import automation
from pamong.complaints.models import Complaint
from pamong.oversight.models import CircuitBreaker, DecisionObservation, RuleTally
from pamong.registry import services as registry
from pamong.registry.services import gather_facts
from pamong.site import history
from pamong.site.demo import load_demo
from pamong.surveys import services as survey_services
from pamong.surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)
SMALL = {"days": 12, "per_working_day": 60, "scale": 1}


@pytest.fixture
def demo(packs_root):
    load_demo(packs_root=packs_root)


def test_the_same_seed_tells_the_same_story(demo):
    first, second = (history.plan_history(today=TODAY, **SMALL) for _ in range(2))
    assert [a.reference for a in first.applications] == [a.reference for a in second.applications]
    assert [(d.kind, d.outcome, d.decided_at) for d, _ in first.decisions] == [
        (d.kind, d.outcome, d.decided_at) for d, _ in second.decisions
    ]
    other = history.plan_history(today=TODAY, seed=7, **SMALL)
    assert [a.reference for a in other.applications] != [a.reference for a in first.applications]


def test_the_history_is_recorded_as_the_services_record_it(demo):
    entries_before, answers_before = AuditEntry.objects.count(), SurveyResponse.objects.count()
    complaints_before = list(Complaint.objects.values_list("pk", flat=True))
    report = history.build_history(today=TODAY, **SMALL)
    applications = Application.objects.filter(applicant__username__startswith="riwayat-")
    assert applications.count() == report.applications > 400
    assert all(TODAY - dt.timedelta(days=12) <= a.filed_at.date() < TODAY for a in applications)
    # every application has its submission entry; every decision the entry it names, in the log's time order
    assert AuditEntry.objects.count() == entries_before + report.audit_entries
    decisions = Decision.objects.filter(application__in=applications).select_related("application")
    assert decisions.count() == report.decisions
    for decision in decisions[:300]:
        entry = AuditEntry.objects.get(index=decision.audit_index)
        assert entry.subject == subject_of(decision.application)
        assert json.loads(entry.payload)["decision"] == decision.pk
        assert json.loads(entry.payload)["outcome"] == decision.outcome
    times = list(
        AuditEntry.objects.filter(index__gte=entries_before).order_by("index").values_list("created_at")
    )
    assert times == sorted(times)
    assert verify_log().ok
    # the people decided answer the IKM survey (the surveys module's story), one answer per application at most
    tokens = {survey_services.application_token(d.application) for d in decisions if d.final}
    answered = SurveyResponse.objects.filter(application_token__in=tokens)
    assert SurveyResponse.objects.count() - answers_before == answered.count() == report.survey_responses > 0
    # and complain: the complaints module's story of the same days, in the same time-ordered log
    complaints = Complaint.objects.exclude(pk__in=complaints_before)
    assert complaints.count() == report.complaints > 0
    assert {c.reporter_id for c in complaints if c.reporter_id} <= set(
        applications.values_list("applicant_id", flat=True)
    ) | set(User.objects.filter(username__startswith="riwayat-").values_list("pk", flat=True))
    submitted = AuditEntry.objects.filter(index__gte=entries_before, action=Action.COMPLAINT_SUBMITTED)
    assert submitted.count() == report.complaints
    survey_entries = AuditEntry.objects.filter(index__gte=entries_before, action=Action.SURVEY_RESPONDED)
    assert survey_entries.count() == report.survey_responses
    # the status is what the last final decision says; open cases have none
    for application in applications.prefetch_related("decisions", "objections"):
        final = [d for d in application.decisions.all() if d.final]
        pending = [o for o in application.objections.all() if o.status == Objection.Status.PENDING]
        if pending:
            assert application.status in (Application.Status.OBJECTION, Application.Status.APPEAL)
        elif not final:
            assert application.status in (Application.Status.UNDER_REVIEW, Application.Status.INFO_REQUESTED)
        else:
            last = max(final, key=lambda d: (d.decided_at, d.pk))
            expected = {
                (Decision.Kind.DEEMED, "GRANT"): Application.Status.DEEMED_GRANTED,
            }.get((last.kind, last.outcome), {"GRANT": "granted", "DENY": "denied"}[last.outcome])
            assert application.status == expected, application.reference
    # oversight sees every rules evaluation
    automated = decisions.filter(kind__in=[Decision.Kind.AUTOMATIC, Decision.Kind.PROPOSAL])
    assert DecisionObservation.objects.filter(decision__in=automated).count() == automated.count()
    evaluated = sum(len(d.evaluation["rules"]) for d in automated)
    before_today = RuleTally.objects.filter(
        hour__lt=dt.datetime(2026, 11, 29, 17, 0, tzinfo=dt.UTC)
    )  # WIB midnight
    assert (
        sum(before_today.values_list("evaluated", flat=True)) == evaluated
    )  # the demo's own cases are today
    statuses = Counter(applications.values_list("status", flat=True))
    assert statuses["granted"] > statuses["denied"] > 0
    # nobody applied twice for the same service (no pack allows it)
    pairs = Counter(applications.values_list("applicant_id", "service_id"))
    assert max(pairs.values()) == 1


def test_every_recorded_fact_is_what_the_registry_adapters_say(demo):
    """The facts are derived from the same households the registry was loaded from: the real adapters give the
    same values for a sample of the history's automated decisions."""
    history.build_history(today=TODAY, **SMALL)
    automated = (
        Decision.objects.filter(
            kind__in=[Decision.Kind.AUTOMATIC, Decision.Kind.PROPOSAL],
            application__applicant__username__startswith="riwayat-",
        )
        .select_related("application__service__agency", "application__applicant")
        .order_by("pk")
    )
    checked = Counter()
    for decision in automated[:: max(1, automated.count() // 80)]:
        application = decision.application
        filed_on = dt.date.fromisoformat(decision.facts["on_date"])
        rule_set = rulebook.rule_set_in_force(application.service.slug, filed_on)
        gathered = gather_facts(
            fact_specs=rule_set.facts,
            form=application.form_data,
            nik=application.applicant.nik,
            on_date=filed_on,
            tables=list(rule_set.tables),
            system=automation.system_facts(application.service),
        )
        real = json.loads(json.dumps(gathered.values(), default=str))
        assert decision.facts["values"] == real, application.reference
        assert decision.facts["generated_by"] == history.GENERATED_BY
        checked[application.service.slug] += 1
    assert set(checked) == {"bansos-pkh", "sktm", "nib-risiko-rendah", "akta-kelahiran"}


@pytest.mark.slow
def test_the_breaker_episode_opens_on_the_spike_and_is_repaired(demo):
    registry.load_reference_data(population=True, scale=3)  # enough people for 52 days without applying twice
    history.build_history(today=TODAY, days=52, per_working_day=90, scale=3)  # 11 days before the episode
    breaker = CircuitBreaker.objects.get()
    assert (breaker.rule_id, breaker.region_code) == (history.EPISODE_RULE, history.EPISODE_REGION)
    figures = breaker.statistics
    assert breaker.opened_by is None and figures["p_value"] <= figures["threshold"]
    assert figures["recent_rate"] - figures["baseline_rate"] >= 0.05
    assert breaker.closed_at > breaker.opened_at and breaker.close_justification
    # while it was open, the rule it holds referred instead of refusing
    held = Decision.objects.filter(
        application__service__slug="bansos-pkh",
        decided_at__gte=breaker.opened_at,
        decided_at__lt=breaker.closed_at,
        kind=Decision.Kind.AUTOMATIC,
    )
    refusals = [
        d
        for d in held
        if d.outcome == "DENY"
        and any(
            r["rule_id"] == history.EPISODE_RULE and r["status"] == "failed" for r in d.evaluation["rules"]
        )
    ]
    assert refusals == []
    actions = list(AuditEntry.objects.filter(subject=f"oversight.breaker:{breaker.pk}").values_list("action"))
    assert actions == [("oversight.breaker_opened",), ("oversight.breaker_closed",)]

"""The demo's history (issue 20): about 90 days of activity before today — 20,000+ applications across the
services, officers' decisions, information requests, objections, appeals, deemed approvals, and one breaker
episode with its repair — so that every dashboard, queue and report shows something meaningful on first run.

How it is made, and why not through the services:
- The applicants are the registry's synthetic population (`registry.services.demo_population`, loaded at a
  larger scale for the demo), and every fact a rule reads is the value the registry adapters give for that
  person — derived here from the same in-memory households the registry was loaded from
  (`test_history.py` checks a sample against the real adapters). The rules are the real rule sets, evaluated
  by the real engine with the real reference tables on each filing date.
- It is written in bulk: through the services each application costs a registry round and a transaction
  (10–40 ms), minutes for 20,000; here the whole history takes seconds. The records are the ones the services
  write: applications, decision records with facts and provenance, observations and hourly tallies for
  oversight, and one audit entry per state change (appended with `audit.record_events`, in time order).
- Times are simulated: every record and audit entry carries the moment it happened in the story. The decision
  records say so (`facts["generated_by"]`), so nobody mistakes the demo history for real cases.
- Deterministic: the same seed and the same `today` give the same history.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases import deadlines, rulebook
from pamong.cases.models import Application, Decision, InformationRequest, Objection
from pamong.cases.services import automation, subject_of
from pamong.cases.services.submission import REFERENCE_ALPHABET
from pamong.catalog.models import Agency, Service
from pamong.complaints import demo_history as complaint_history
from pamong.complaints.models import Complaint
from pamong.core.crypto import blind_index
from pamong.core.workdays import add_working_days, is_working_day
from pamong.oversight import stats
from pamong.oversight.models import CircuitBreaker, DecisionObservation, RuleTally
from pamong.oversight.services import MonitorSettings, breaker_subject, hour_of
from pamong.registry import selectors as registry_selectors
from pamong.registry import services as registry
from pamong.registry.adapters import CAR_WHEELS, ELDERLY_AGE
from pamong.registry.models import ReferenceDataset
from pamong.registry.regions import region_code_of
from pamong.registry.synthetic import age_on
from pamong.surveys import demo_history as survey_history
from pamong.surveys.models import SurveyResponse

SEED = 2026
DAYS = 90
POPULATION_SCALE = 15  # the demo loads 15× the test population: ~5,400 households, ~19,000 people
PER_WORKING_DAY = 310  # applications on an ordinary working day; weekends and holidays see a trickle
SHARES = {  # which service people apply for
    "bansos-pkh": 0.24,
    "akta-kelahiran": 0.20,
    "kartu-keluarga": 0.20,
    "nib-risiko-rendah": 0.18,
    "akta-kematian": 0.12,
    "sktm": 0.06,
}
CHANNELS = [
    (Application.Channel.WEB, 0.68),
    (Application.Channel.COUNTER, 0.27),
    (Application.Channel.API, 0.05),
]
WIB = ZoneInfo("Asia/Jakarta")
GENERATED_BY = "demo-history"
USERNAME_PREFIX = "riwayat"  # history people and colleagues; they cannot sign in
# The breaker episode: one morning DTSEN answers "not registered" for every household of Kota Bandung after a
# faulty update; the spike check opens a breaker, the analyst closes it once the source is repaired, and the
# officers grant the refusals it proposed.
EPISODE_DAYS_AGO = 41
EPISODE_REGION = "3273"
EPISODE_RULE = "registered_in_dtsen"
EPISODE_HOURS = 26  # how long the source gave wrong answers
EPISODE_DEMAND = 2.5  # that day quarterly PKH registration opened: many more applications, mostly bansos

S = Application.Status
K = Decision.Kind
O = Decision.Outcome  # noqa: E741  (the outcome codes, as in the rest of cases)


@dataclass(frozen=True)
class HistoryReport:
    applications: int
    decisions: int
    information_requests: int
    objections: int
    appeals: int
    deemed: int
    breakers: int
    survey_responses: int
    complaints: int
    audit_entries: int
    by_status: dict[str, int]


@dataclass
class _Event:
    at: dt.datetime
    actor: Any
    action: Action
    subject: str
    data: dict[str, Any]
    decision: Decision | None = None  # gets the entry's index as its audit_index


@dataclass
class Story:
    """Everything the history writes, gathered in memory first."""

    users: list[User] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    decisions: list[tuple[Decision, dict[str, Any]]] = field(default_factory=list)  # with the audit extra
    requests: list[InformationRequest] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)
    observations: list[DecisionObservation] = field(default_factory=list)
    tallies: Counter = field(default_factory=Counter)  # (service, rule, region, hour, column) -> count
    events: list[_Event] = field(default_factory=list)
    breakers: list[tuple[CircuitBreaker, list[_Event]]] = field(default_factory=list)
    survey_responses: list[SurveyResponse] = field(default_factory=list)
    # Complaints are told when the story is written: a report names its citizen's saved account.
    complaint_story: tuple[dt.date, int, dict[int, list[User]]] | None = (
        None  # today, seed, handlers by agency
    )
    complaints: list[Complaint] = field(default_factory=list)


def loaded() -> bool:
    return User.objects.filter(username__startswith=f"{USERNAME_PREFIX}-").exists()


def plan_history(
    *,
    today: dt.date,
    seed: int = SEED,
    days: int = DAYS,
    per_working_day: int = PER_WORKING_DAY,
    scale: int = POPULATION_SCALE,
) -> Story:
    """The history of the `days` before `today`, in memory. Reads the demo (services, staff) and expects the
    registry population loaded at `scale`; adds history colleagues where an agency has too few staff."""
    return _Writer(today=today, seed=seed, days=days, per_working_day=per_working_day, scale=scale).tell()


def build_history(*, today: dt.date, **shape: Any) -> HistoryReport:
    """Plan (`plan_history`, same arguments) and write the history; refuses to run twice."""
    if loaded():
        raise RuntimeError("the demo history is already loaded")
    story = plan_history(today=today, **shape)
    with transaction.atomic():
        events = _write(story)
    return HistoryReport(
        applications=len(story.applications),
        decisions=len(story.decisions),
        information_requests=len(story.requests),
        objections=sum(o.stage == Objection.Stage.OBJECTION for o in story.objections),
        appeals=sum(o.stage == Objection.Stage.APPEAL for o in story.objections),
        deemed=sum(d.kind == K.DEEMED for d, _ in story.decisions),
        breakers=len(story.breakers),
        survey_responses=len(story.survey_responses),
        complaints=len(story.complaints),
        audit_entries=events,
        by_status=dict(Counter(a.status for a in story.applications)),
    )


class _Writer:
    def __init__(self, *, today: dt.date, seed: int, days: int, per_working_day: int, scale: int) -> None:
        self.seed = seed
        self.today, self.rng, self.days, self.per_working_day = (
            today,
            random.Random(seed),
            days,
            per_working_day,
        )
        self.services = {s.slug: s for s in Service.objects.select_related("agency").filter(slug__in=SHARES)}
        self.story = Story()
        self.staff = _staff_by_agency(
            random.Random(seed + 1)
        )  # its own draws: the story's do not depend on it
        self.counter_officers = list(User.objects.filter(groups__name=roles.PETUGAS_LOKET))
        dataset = registry_selectors.latest_dataset(ReferenceDataset.Name.POPULATION)
        self.population_label = f"{dataset.pk}:{dataset.sha256}" if dataset else ""
        self.households = registry.demo_population(scale=scale)
        taken = set(User.objects.exclude(nik_index=None).values_list("nik_index", flat=True))
        self.adults = [  # not the demo's own citizens: their pages show only what the README walks through
            (person, household)
            for household in self.households
            for person in household.members
            if age_on(person.birth_date, today) >= 18 and blind_index(person.nik) not in taken
        ]
        self.accounts: dict[str, User] = {}
        self.pools: dict[str, list] | None = None
        self.applied: set[tuple[str, str]] = set()
        self.references: set[str] = set()
        self.rule_sets: dict[tuple[str, dt.date], tuple[Any, registry.ReferenceTables | None]] = {}
        self.settings = MonitorSettings.current()
        self.breaker: CircuitBreaker | None = None
        self.episode_start = _at(_working_day_on_or_before(today - dt.timedelta(days=EPISODE_DAYS_AGO)), 8, 0)
        self.episode_counts: dict[dt.datetime, list[int]] = defaultdict(lambda: [0, 0])  # hour -> [n, failed]

    # --- the story, day by day ---------------------------------------------------------------------------------
    def tell(self) -> Story:
        for offset in range(self.days, 0, -1):
            day = self.today - dt.timedelta(days=offset)
            count = self.per_working_day if is_working_day(day) else self.per_working_day // 12
            episode = day == self.episode_start.astimezone(WIB).date()
            count = int(count * self.rng.uniform(0.85, 1.15) * (EPISODE_DEMAND if episode else 1))
            for filed_at in sorted(self._moments(day, count)):
                self._application(filed_at, bansos_day=episode)
        self._surveys()
        handlers = {
            agency_id: staff[roles.PETUGAS] + staff[roles.SUPERVISOR]
            for agency_id, staff in self.staff.items()
        }
        self.story.complaint_story = (self.today, self.seed, self.days, handlers)
        return self.story

    def _surveys(self) -> None:
        """The IKM answers of the people decided in the story (the surveys module's own story of who answers and
        how), merged into the story's audit stream so that the log stays in time order."""
        first: dict[uuid.UUID, survey_history.Decided] = {}
        for decision, _ in self.story.decisions:
            application = decision.application
            known = first.get(application.pk)
            if decision.final and (known is None or decision.decided_at < known.decided_at):
                first[application.pk] = survey_history.Decided(
                    str(application.pk), application.reference, application.service_id,
                    application.service.slug, application.channel, decision.outcome, decision.decided_at,
                )  # fmt: skip
        candidates = sorted(first.values(), key=lambda d: (d.decided_at, d.reference))
        answers = survey_history.plan_history(candidates, seed=self.seed, today=self.today)
        self.story.survey_responses = answers.responses
        self.story.events += [_Event(e.at, e.actor, e.action, e.subject, e.data) for e in answers.events]

    def _moments(self, day: dt.date, count: int) -> list[dt.datetime]:
        # Office hours for the counter and most of the web traffic; some evening use of the portal.
        return [
            _at(day, self.rng.choice([8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 19, 20]), self.rng.randrange(60))
            + dt.timedelta(seconds=self.rng.randrange(60))
            for _ in range(count)
        ]

    def _application(self, filed_at: dt.datetime, *, bansos_day: bool = False) -> None:
        slug = self.rng.choices(list(SHARES), weights=list(SHARES.values()))[0]
        if bansos_day and self.rng.random() < 0.5:
            slug = "bansos-pkh"
        service = self.services[slug]
        person, household = self._applicant(slug)
        channel = self.rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
        form, facts = _FORMS[slug](self, person, household, filed_at)
        application = self._file(service, person, channel, form, filed_at)
        run = self._evaluate(service, form, facts, filed_at) if service.automated else None
        if run is None:
            self._by_officer(application, filed_at)
            return
        evaluation, provenance, outcome, proposed = run
        final = outcome in (O.GRANT, O.DENY) and not proposed
        decision = self._decide(
            application,
            kind=K.AUTOMATIC if final else K.PROPOSAL,
            outcome=outcome,
            final=final,
            at=filed_at + dt.timedelta(seconds=1),
            actor=None,
            evaluation=evaluation,
            facts=provenance,
            extra={"problems": [], "proposed": proposed},
        )
        self._observe(application, decision, evaluation)
        application.priority_score = int((evaluation.get("scores") or {}).get("vulnerability") or 0)
        if final:
            application.status = S.GRANTED if outcome == O.GRANT else S.DENIED
            self._afterwards(application, decision)
        else:
            self._by_officer(application, filed_at, proposal=decision)

    def _applicant(self, slug: str):
        """Someone who has not applied for this service yet (no pack allows a second application), from the
        people likely to apply: bansos applicants are mostly on the welfare register, SKTM applicants live in
        the issuing kelurahan while there are any left."""
        if self.pools is None:
            office = self.services["sktm"].agency.region_code.replace(".", "")
            self.pools = {
                "bansos-pkh": [(p, h) for p, h in self.adults if h.in_dtsen],
                "sktm": [(p, h) for p, h in self.adults if h.village_code == office],
            }
        preferred = self.pools.get(slug, [])
        share = {"bansos-pkh": 0.85, "sktm": 0.9}.get(slug, 0.0)
        for pool in ([preferred] if self.rng.random() < share else []) + [self.adults]:
            for _attempt in range(30):
                person, household = self.rng.choice(pool) if pool else (None, None)
                if person is not None and (person.nik, slug) not in self.applied:
                    self.applied.add((person.nik, slug))
                    return person, household
        raise RuntimeError("the population is too small for the history: raise POPULATION_SCALE")

    def _file(self, service: Service, person, channel: str, form: dict, filed_at: dt.datetime) -> Application:
        applicant = self._account(person)
        day = filed_at.astimezone(WIB).date()
        counter = channel == Application.Channel.COUNTER and self.counter_officers
        application = Application(
            id=uuid.UUID(int=self.rng.getrandbits(128), version=4),
            reference=self._reference(day),
            service=service,
            applicant=applicant,
            channel=channel,
            assisted_by=self.rng.choice(self.counter_officers) if counter else None,
            consent=(
                {
                    "given": True,
                    "method": "tanda_tangan",
                    "statement": "Ditandatangani di loket.",
                    "at": _iso(filed_at),
                }
                if counter
                else {}
            ),
            form_data=form,
            status=S.UNDER_REVIEW,
            filed_at=filed_at,
            completed_at=filed_at,
            decision_due=deadlines.decision_due(service, complete_on=day),
        )
        self.story.applications.append(application)
        self._event(
            filed_at,
            application.assisted_by,
            Action.APPLICATION_SUBMITTED,
            application,
            {
                "reference": application.reference,
                "service": service.slug,
                "channel": channel,
                "assisted_by": application.assisted_by_id,
                "decision_due": application.decision_due.isoformat(),
            },
        )
        return application

    def _account(self, person) -> User:
        account = self.accounts.get(person.nik)
        if account is None:
            number = len(self.accounts) + 1
            account = User(
                username=f"{USERNAME_PREFIX}-{number:05d}",
                password="!",  # an unusable password: history people cannot sign in  # noqa: S106
                first_name=person.full_name.partition(" ")[0],
                last_name=person.full_name.partition(" ")[2],
                nik=person.nik,
                nik_index=blind_index(person.nik),
            )
            self.accounts[person.nik] = account
            self.story.users.append(account)
        return account

    def _reference(self, day: dt.date) -> str:
        while True:
            code = "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(8))
            reference = f"PMG-{day:%Y%m%d}-{code}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    # --- the rules ------------------------------------------------------------------------------------------------
    def _evaluate(self, service: Service, form: dict, facts: dict, filed_at: dt.datetime):
        day = filed_at.astimezone(WIB).date()
        key = (service.slug, day)
        if key not in self.rule_sets:  # the version in force and its tables, once per service and day
            rule_set = rulebook.rule_set_in_force(service.slug, day)
            tables = registry.reference_tables(list(rule_set.tables), day) if rule_set else None
            self.rule_sets[key] = (rule_set, tables)
        rule_set, tables = self.rule_sets[key]
        if rule_set is None:
            return None
        values = {name: facts.get(name, form.get(name)) for name in rule_set.facts}
        values.update(filing_date=day, **automation.system_facts(service))
        values = {name: values.get(name) for name in rule_set.facts}
        region = region_code_of(values, form)
        held = self._held_rules(service, region, filed_at)
        evaluation = rule_set.evaluate(
            values, tables.tables, impact_level=service.impact_level, open_breakers=held
        )
        provenance = {
            "generated_by": GENERATED_BY,
            "gathered_at": _iso(filed_at),
            "on_date": day.isoformat(),
            "facts": {name: self._provenance(spec, filed_at) for name, spec in rule_set.facts.items()},
            "tables": tables.provenance,
            "problems": [],
            "values": json.loads(json.dumps(values, default=str)),
        }
        result = evaluation.to_dict()
        self._count(service, region, filed_at, result["rules"])
        if service.slug == "bansos-pkh" and self.breaker is None:
            self._check_spike(service, filed_at)
        return result, provenance, str(evaluation.outcome), evaluation.proposed

    def _provenance(self, spec, at: dt.datetime) -> dict[str, str]:
        source = getattr(spec, "source", "form")
        found = {"source": source, "fetched_at": _iso(at)}
        if source.startswith("registry:"):
            found["dataset"] = self.population_label
        return found

    def _held_rules(self, service: Service, region: str, at: dt.datetime) -> set[str]:
        breaker = self.breaker
        if breaker is None or breaker.service_id != service.pk or at < breaker.opened_at:
            return set()
        if breaker.closed_at is not None and at >= breaker.closed_at:
            return set()
        return {breaker.rule_id} if region.startswith(breaker.region_code or "") else set()

    def _count(self, service: Service, region: str, at: dt.datetime, rules: list[dict]) -> None:
        hour = hour_of(at)
        for rule in rules:
            key = (service.pk, rule["rule_id"], region, hour)
            self.story.tallies[(*key, "evaluated")] += 1
            if rule.get("status") in ("failed", "unknown"):
                self.story.tallies[(*key, rule["status"])] += 1
            if rule["rule_id"] == EPISODE_RULE and region.startswith(EPISODE_REGION):
                self.episode_counts[hour][0] += 1
                self.episode_counts[hour][1] += rule.get("status") == "failed"

    def _check_spike(self, service: Service, now: dt.datetime) -> None:
        """The spike check of oversight (the same statistics, on the hourly tallies written so far) for the
        episode's rule and city, run after each bansos decision in the episode as the monitor runs after every
        few; opens the episode's breaker when the test says so."""
        if not self.in_glitch(now):
            return
        config = self.settings
        recent_start = hour_of(now) - dt.timedelta(hours=config.recent_hours - 1)
        baseline_start = recent_start - dt.timedelta(days=config.baseline_days)
        figures = {"rn": 0, "rk": 0, "bn": 0, "bk": 0}
        for hour, (evaluated, failed) in self.episode_counts.items():
            if hour >= baseline_start:
                side = "r" if hour >= recent_start else "b"
                figures[f"{side}n"] += evaluated
                figures[f"{side}k"] += failed
        group = stats.SpikeGroup(
            (EPISODE_RULE, EPISODE_REGION), figures["rn"], figures["rk"], figures["bn"], figures["bk"]
        )
        tests = stats.detect_spikes(
            [group],
            alpha=config.alpha,
            min_recent=config.min_recent,
            min_baseline=config.min_baseline,
            min_excess=config.min_excess,
        )
        if tests and tests[0].spike:
            self._open_breaker(service, now, tests[0])

    def _open_breaker(self, service: Service, now: dt.datetime, test: stats.SpikeTest) -> None:
        statistics = {**test.as_dict(), "window": {"recent_hours": self.settings.recent_hours}}
        breaker = CircuitBreaker(
            service=service,
            rule_id=EPISODE_RULE,
            region_code=EPISODE_REGION,
            opened_at=now + dt.timedelta(seconds=2),
            opened_by=None,
            reason=(
                f"Lonjakan penolakan pada aturan 'Terdaftar dalam DTSEN' di wilayah {EPISODE_REGION}: "
                f"{test.recent_failed} dari {test.recent_n} permohonan dalam {self.settings.recent_hours} jam "
                f"terakhir, dibanding {test.baseline_rate:.0%} sebelumnya."
            ),
            statistics=statistics,
        )
        analyst = self.staff[service.agency_id][roles.ANALIS][0]
        repaired = self.episode_start + dt.timedelta(hours=EPISODE_HOURS)
        breaker.closed_at = _next_office_moment(repaired + dt.timedelta(hours=2), 10)
        breaker.closed_by = analyst
        breaker.close_justification = (
            "Sumber DTSEN mengirim data kosong setelah pembaruan; sumber sudah diperbaiki dan diuji ulang, "
            "usulan penolakan selama gangguan diperiksa kembali oleh petugas."
        )
        opened = _Event(
            breaker.opened_at,
            None,
            Action.BREAKER_OPENED,
            "",
            {
                "service": service.slug,
                "rule_id": EPISODE_RULE,
                "region_code": EPISODE_REGION,
                "automatic": True,
                "statistics": statistics,
            },
        )
        closed = _Event(
            breaker.closed_at,
            analyst,
            Action.BREAKER_CLOSED,
            "",
            {"justification": breaker.close_justification},
        )
        self.breaker = breaker
        self.story.breakers.append((breaker, [opened, closed]))

    def in_glitch(self, at: dt.datetime) -> bool:
        return self.episode_start <= at < self.episode_start + dt.timedelta(hours=EPISODE_HOURS)

    def _observe(self, application: Application, decision: Decision, evaluation: dict) -> None:
        self.story.observations.append(
            DecisionObservation(
                decision=decision,
                application=application,
                service=application.service,
                region_code=region_code_of((decision.facts or {}).get("values"), application.form_data),
                decided_at=decision.decided_at,
                outcome=decision.outcome,
                proposed=bool(evaluation.get("proposed")),
            )
        )

    # --- people at work -------------------------------------------------------------------------------------------
    def _by_officer(
        self,
        application: Application,
        filed_at: dt.datetime,
        *,
        proposal: Decision | None = None,
    ) -> None:
        """A case in the queue: an officer decides it within a few working days (asking for information first
        now and then), unless it came in recently; a few wait past their deadline and are granted by law."""
        service, rng = application.service, self.rng
        day = filed_at.astimezone(WIB).date()
        if rng.random() < 0.004:  # nobody decided in time: deemed granted the working day after the deadline
            deemed_on = add_working_days(application.decision_due, 1)
            if deemed_on < self.today:
                self._deemed(application, deemed_on)
                return
        officer = rng.choice(self.staff[service.agency_id][roles.PETUGAS])
        start = day
        if rng.random() < 0.12:
            start = self._ask_for_information(application, officer, day)
            if start is None:
                return
        decided_on = add_working_days(start, rng.choice([1, 1, 2, 2, 3, 4]))
        if decided_on >= self.today:
            return  # still in the queue today
        at = _at(decided_on, rng.choice([9, 10, 11, 13, 14, 15]), rng.randrange(60))
        if proposal is not None and proposal.outcome == O.DENY:
            glitch = self._in_episode(proposal)
            outcome = O.GRANT if glitch or rng.random() < 0.12 else O.DENY
            reasons = (
                "Data DTSEN yang dipakai saat permohonan diputus keliru akibat gangguan sumber; data yang benar "
                "menunjukkan keluarga terdaftar."
                if glitch
                else _OFFICER_REASONS[outcome]
            )
        else:
            outcome = O.GRANT if rng.random() < 0.8 else O.DENY
            reasons = _OFFICER_REASONS[outcome]
        decision = self._decide(
            application,
            kind=K.HUMAN,
            outcome=outcome,
            final=True,
            at=at,
            actor=officer,
            reasons=reasons,
            legal_basis="UU 30/2014 tentang Administrasi Pemerintahan, Pasal 52",
        )
        application.assigned_to = officer
        application.status = S.GRANTED if outcome == O.GRANT else S.DENIED
        self._afterwards(application, decision)

    def _in_episode(self, proposal: Decision) -> bool:
        breaker = self.breaker
        if breaker is None:
            return False
        values = (proposal.facts or {}).get("values") or {}
        failed = any(
            r["rule_id"] == EPISODE_RULE and r.get("status") == "failed"
            for r in proposal.evaluation.get("rules", [])
        )
        return (
            failed
            and str(values.get("kk_regency_code", "")).startswith(EPISODE_REGION)
            and self.in_glitch(proposal.decided_at)
        )

    def _ask_for_information(self, application: Application, officer: User, day: dt.date) -> dt.date | None:
        asked_on = add_working_days(day, 1)
        if asked_on >= self.today:
            return None
        asked_at = _at(asked_on, 10, self.rng.randrange(60))
        request = InformationRequest(
            application=application,
            requested_by=officer,
            message="Mohon lengkapi dokumen pendukung (surat pengantar atau fotokopi dokumen yang disebut di persyaratan).",
            requested_at=asked_at,
        )
        self.story.requests.append(request)
        application.assigned_to = officer
        self._event(
            asked_at,
            officer,
            Action.INFORMATION_REQUESTED,
            application,
            {"clock_paused_on": asked_on.isoformat()},
        )
        answered_on = add_working_days(asked_on, self.rng.choice([1, 2, 3]))
        if answered_on >= self.today:
            application.status, application.paused_since = S.INFO_REQUESTED, asked_on
            return None
        paused = max(0, _working_days(asked_on, answered_on))
        request.answer = "Dokumen sudah saya lengkapi."
        request.answered_at = _at(answered_on, 19, self.rng.randrange(60))
        request.paused_working_days = paused
        application.decision_due = add_working_days(application.decision_due, paused)
        self._event(
            request.answered_at,
            application.applicant,
            Action.INFORMATION_PROVIDED,
            application,
            {"paused_working_days": paused},
        )
        return answered_on

    def _deemed(self, application: Application, on: dt.date) -> None:
        decision = self._decide(
            application,
            kind=K.DEEMED,
            outcome=O.GRANT,
            final=True,
            at=_at(on, 0, 5),
            actor=None,
            reasons="Permohonan dianggap dikabulkan secara hukum karena tidak diputus dalam batas waktu.",
            legal_basis="UU 30/2014 Pasal 53 ayat (3); UU 6/2023 (Cipta Kerja) Pasal 175",
        )
        application.status = S.DEEMED_GRANTED
        self._afterwards(application, decision)

    def _afterwards(self, application: Application, decision: Decision) -> None:
        """Some refused citizens object; some of those whose objection fails appeal."""
        if decision.outcome != O.DENY or self.rng.random() > 0.18:
            return
        filed_on = add_working_days(
            decision.decided_at.astimezone(WIB).date(), self.rng.choice([2, 5, 9, 14])
        )
        if filed_on >= self.today:
            return
        outcome = self._review(application, decision, Objection.Stage.OBJECTION, filed_on, change_share=0.3)
        if outcome is not None and outcome.outcome == O.DENY and self.rng.random() < 0.3:
            appeal_on = add_working_days(outcome.decided_at.astimezone(WIB).date(), self.rng.choice([3, 6]))
            if appeal_on < self.today:
                self._review(application, outcome, Objection.Stage.APPEAL, appeal_on, change_share=0.2)

    def _review(
        self, application, contested: Decision, stage: str, filed_on: dt.date, *, change_share: float
    ):
        service = application.service
        objection_stage = stage == Objection.Stage.OBJECTION
        due = (
            deadlines.objection_due(filed_on=filed_on)
            if objection_stage
            else deadlines.appeal_due(service, filed_on=filed_on)
        )
        filed_at = _at(filed_on, 20, self.rng.randrange(60))
        objection = Objection(
            application=application,
            stage=stage,
            contested=contested,
            statement=self.rng.choice(_OBJECTION_STATEMENTS),
            filed_at=filed_at,
            due=due,
        )
        self.story.objections.append(objection)
        application.status = S.OBJECTION if objection_stage else S.APPEAL
        filed_action = Action.OBJECTION_FILED if objection_stage else Action.APPEAL_FILED
        self._event(filed_at, application.applicant, filed_action, application, {"due": due.isoformat()})
        decided_on = add_working_days(filed_on, self.rng.choice([3, 5, 7, 9]))
        if decided_on >= self.today:
            return None
        people = self.staff[service.agency_id]
        decider = self.rng.choice(people[roles.SUPERVISOR] if not objection_stage else people[roles.PETUGAS])
        if decider.pk == contested.decided_by_id and len(people[roles.PETUGAS]) > 1:
            decider = next(p for p in people[roles.PETUGAS] if p.pk != contested.decided_by_id)
        changed = self.rng.random() < change_share
        decision = self._decide(
            application,
            kind=K.OBJECTION if objection_stage else K.APPEAL,
            outcome=O.GRANT if changed else O.DENY,
            final=True,
            at=_at(decided_on, 14, self.rng.randrange(60)),
            actor=decider,
            reasons=(
                "Keberatan diterima: dokumen baru yang diserahkan menunjukkan persyaratan terpenuhi."
                if changed
                else "Keberatan ditolak: tidak ada fakta baru yang mengubah pertimbangan keputusan semula."
            ),
            legal_basis="UU 30/2014 Pasal 77" if objection_stage else "UU 30/2014 Pasal 78",
        )
        objection.status = Objection.Status.OVERTURNED if changed else Objection.Status.UPHELD
        objection.decided_by, objection.decided_at, objection.reasons = (
            decider,
            decision.decided_at,
            decision.reasons,
        )
        application.status = S.GRANTED if changed else S.DENIED
        return decision

    def _decide(
        self,
        application: Application,
        *,
        kind,
        outcome,
        final,
        at,
        actor,
        reasons="",
        legal_basis="",
        evaluation=None,
        facts=None,
        extra=None,
    ) -> Decision:
        decision = Decision(
            application=application,
            kind=kind,
            outcome=outcome,
            final=final,
            decided_by=actor,
            decided_at=at,
            reasons=reasons,
            legal_basis=legal_basis,
            evaluation=evaluation or {},
            facts=facts or {},
        )
        data = {
            "kind": kind,
            "outcome": outcome,
            "final": final,
            "rule_set": (evaluation or {}).get("version_id"),
            "rule_set_hash": (evaluation or {}).get("content_hash"),
            **(extra or {}),
        }
        self.story.decisions.append((decision, data))
        self._event(at, actor, _DECISION_ACTIONS[kind], application, data, decision=decision)
        return decision

    def _event(self, at, actor, action: Action, application: Application, data: dict, decision=None) -> None:
        self.story.events.append(_Event(at, actor, action, subject_of(application), data, decision))


_DECISION_ACTIONS = {
    K.AUTOMATIC: Action.DECISION_RECORDED,
    K.PROPOSAL: Action.DECISION_RECORDED,
    K.HUMAN: Action.DECISION_RECORDED,
    K.DEEMED: Action.DEEMED_APPROVED,
    K.OBJECTION: Action.OBJECTION_DECIDED,
    K.APPEAL: Action.APPEAL_DECIDED,
}
_OFFICER_REASONS = {
    O.GRANT: "Persyaratan telah diperiksa dan terpenuhi; data pemohon sesuai dengan dokumen yang diserahkan.",
    O.DENY: "Persyaratan tidak terpenuhi setelah diperiksa: dokumen yang diserahkan tidak sesuai dengan data kependudukan.",
}
_OBJECTION_STATEMENTS = [
    "Data penghasilan keluarga kami sudah berubah sejak bulan lalu; saya lampirkan surat keterangan.",
    "Kami masih tinggal di alamat yang sama; mohon diperiksa kembali.",
    "Saya sudah melengkapi dokumen yang diminta, mohon keputusan ditinjau ulang.",
]


# --- forms and facts per service: what the person writes, and what the registry holds of them --------------------
def _household_facts(household, person, day: dt.date) -> dict[str, Any]:
    """What the registry adapters answer for this person (see registry/adapters.py), from the same household
    the registry was loaded from."""
    return {
        "nik_verified": True,
        "applicant_birth_date": person.birth_date,
        "kk_regency_code": household.regency_code,
        "kk_district_code": household.district_code,
        "kk_village_code": household.village_code or None,
        "household_member_count": len(household.members),
        "elderly_count": sum(1 for m in household.members if age_on(m.birth_date, day) >= ELDERLY_AGE),
        "in_dtsen": household.in_dtsen,
        "welfare_decile": household.welfare_decile,
        "owns_car": any(w >= CAR_WHEELS for m in household.members for w in m.vehicles),
        "school_children_count": sum(1 for m in household.members if m.school_level),
    }


def _income(rng: random.Random, household) -> int:
    decile = household.welfare_decile or rng.randint(5, 10)
    return int(rng.uniform(0.35, 1.1) * decile * 550_000) // 1000 * 1000


def _bansos(writer: _Writer, person, household, at: dt.datetime):
    rng, facts = writer.rng, _household_facts(household, person, _day(at))
    if writer.in_glitch(at) and household.regency_code == EPISODE_REGION:
        facts["in_dtsen"] = False  # the faulty DTSEN update answered "not registered" for everyone
    size = len(household.members) if rng.random() > 0.06 else len(household.members) + 1
    form = {
        "declared_regency_code": household.regency_code if rng.random() > 0.03 else "3204",
        "household_size": size,
        "household_income": _income(rng, household),
        "assets_value": rng.choice([0, 0, 2, 5, 5, 10, 15, 25, 40, 80]) * 1_000_000,
        "has_pkh_component": facts["elderly_count"] > 0
        or facts["school_children_count"] > 0
        or rng.random() < 0.3,
        "statement": "",
    }
    return form, facts


def _sktm(writer: _Writer, person, household, at: dt.datetime):
    rng, day = writer.rng, _day(at)
    form = {
        "purpose": rng.choice(["pendidikan", "pendidikan", "kesehatan", "kesehatan", "bantuan_hukum"]),
        "household_size": len(household.members),
        "household_income": _income(rng, household),
        "has_rt_rw_letter": rng.random() < 0.9,
    }
    return form, _household_facts(household, person, day)


def _nib(writer: _Writer, person, household, at: dt.datetime):
    rng, day = writer.rng, _day(at)
    form = {
        "business_name": f"Usaha {rng.choice(['Berkah', 'Maju Jaya', 'Sinar', 'Barokah', 'Mandiri', 'Sejahtera'])} "
        f"{person.full_name.split()[0]}",
        "kbli_code": rng.choice(
            ["56102", "56102", "47111", "10792", "96011", "47721", "14111", "62019", "41011"]
        ),
        "capital": rng.choice([5, 10, 25, 50, 100, 250, 500, 1500, 6000]) * 1_000_000,
        "business_address": f"Jl. {rng.choice(['Cihapit', 'Riau', 'Dago', 'Buah Batu', 'Sukajadi'])} No. {rng.randint(1, 200)}",
    }
    return form, _household_facts(household, person, day)


def _akta_kelahiran(writer: _Writer, person, household, at: dt.datetime):
    rng, day = writer.rng, _day(at)
    spouse = next(
        (m for m in household.members if m.relation in ("kepala", "pasangan") and m.nik != person.nik), person
    )
    mother, father = (person, spouse) if person.sex == "P" else (spouse, person)
    recorded = [m.birth_date for m in household.members if m.mother_nik == mother.nik and m.birth_registered]
    if recorded and rng.random() < 0.03:  # a child whose birth is already recorded, applied for again
        born = rng.choice(recorded)
    else:
        born = day - dt.timedelta(days=rng.choice([3, 7, 12, 20, 30, 45, 58, 75, 120]))
    form = {
        "child_name": f"{rng.choice(['Aditya', 'Nadia', 'Rizky', 'Salsabila', 'Fajar', 'Aulia'])} "
        f"{father.full_name.split()[-1]}",
        "birth_date": born.isoformat(),
        "birth_place": "Bandung",
        "mother_nik": mother.nik,
        "father_nik": father.nik,
        "has_birth_letter": rng.random() < 0.94,
        "has_marriage_certificate": rng.random() < 0.88,
        "has_sptjm_marriage": False,
    }
    # Dukcapil: the mother is registered (she is in the population); a birth is recorded when one of her
    # registered children was born that day.
    facts = {"mother_nik_registered": True, "birth_already_recorded": born in recorded, "birth_date": born}
    return form, facts


def _akta_kematian(writer: _Writer, person, household, at: dt.datetime):
    rng, day = writer.rng, _day(at)
    died = day - dt.timedelta(days=rng.randint(1, 40))
    other = rng.choice(household.members)
    form = {
        "deceased_nik": other.nik,
        "date_of_death": died.isoformat(),
        "place_of_death": rng.choice(["RSUD Kota Bandung", "Rumah", "RS Hasan Sadikin"]),
    }
    return form, {}


def _kartu_keluarga(writer: _Writer, person, household, at: dt.datetime):
    rng = writer.rng
    form = {
        "reason": rng.choice(
            ["keluarga_baru", "perubahan_data", "perubahan_data", "pisah_kk", "hilang_rusak"]
        ),
        "family_card_number": household.kk_number,
        "statement": "",
    }
    return form, {}


_FORMS = {
    "bansos-pkh": _bansos,
    "sktm": _sktm,
    "nib-risiko-rendah": _nib,
    "akta-kelahiran": _akta_kelahiran,
    "akta-kematian": _akta_kematian,
    "kartu-keluarga": _kartu_keluarga,
}


# --- writing ----------------------------------------------------------------------------------------------------
def _write(story: Story) -> int:
    """Everything in bulk, parents first (bulk_create fills each foreign key from its saved object)."""
    User.objects.bulk_create(story.users, batch_size=2000)
    warga = Group.objects.get(name=roles.WARGA)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=warga.pk) for u in story.users], batch_size=5000
    )
    Application.objects.bulk_create(story.applications, batch_size=2000)
    _tell_complaints(story)
    for breaker, breaker_events in story.breakers:
        breaker.save(force_insert=True)
        for event in breaker_events:
            event.subject = breaker_subject(breaker)
    # Decisions get their ids here, so that their audit entries can name them and each can carry the index of
    # its entry without a second pass over 30,000 rows.
    first_id = (Decision.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    for number, (decision, data) in enumerate(story.decisions):
        decision.pk = data["decision"] = first_id + number
    events = sorted(
        story.events + [event for _, breaker_events in story.breakers for event in breaker_events],
        key=lambda e: e.at,
    )  # the audit log's order is the story's
    first_index = audit.tree_size()
    for offset, event in enumerate(events):
        if event.decision is not None:
            event.decision.audit_index = first_index + offset
    Decision.objects.bulk_create([d for d, _ in story.decisions], batch_size=2000)
    with connection.cursor() as cursor:  # PostgreSQL: the id sequence continues after the ids given here
        for statement in connection.ops.sequence_reset_sql(no_style(), [Decision]):
            cursor.execute(statement)
    InformationRequest.objects.bulk_create(story.requests, batch_size=2000)
    Objection.objects.bulk_create(story.objections, batch_size=2000)
    DecisionObservation.objects.bulk_create(story.observations, batch_size=2000)
    RuleTally.objects.bulk_create(_tallies(story.tallies), batch_size=2000)
    SurveyResponse.objects.bulk_create(story.survey_responses, batch_size=2000)
    Complaint.objects.bulk_create(story.complaints, batch_size=1000)
    first = audit.record_events(
        [
            audit.PendingEvent(at=e.at, actor=e.actor, action=e.action, subject=e.subject, data=e.data)
            for e in events
        ]
    )
    if first != first_index:
        raise RuntimeError("the audit log grew while the history was being written")
    return len(events)


def _tell_complaints(story: Story) -> None:
    """The complaints module's story of the same days, reported by the story's citizens (saved by now) and handled
    by each agency's officers and supervisors; its entries join the story's audit stream in time order."""
    if story.complaint_story is None:
        return
    today, seed, days, handlers = story.complaint_story
    told = complaint_history.plan_history(
        today=today, seed=seed, citizens=story.users, officers=handlers, days=days
    )
    story.complaints = told.complaints
    story.events += [_Event(e.at, e.actor, e.action, e.subject, e.data) for e in told.events]


def _tallies(counts: Counter) -> list[RuleTally]:
    rows: dict[tuple, RuleTally] = {}
    for (service_id, rule_id, region, hour, column), count in counts.items():
        key = (service_id, rule_id, region, hour)
        row = rows.get(key) or RuleTally(
            service_id=service_id, rule_id=rule_id, region_code=region, hour=hour
        )
        rows[key] = row
        setattr(row, column, getattr(row, column) + count)
    return list(rows.values())


def _staff_by_agency(rng: random.Random) -> dict[int, dict[str, list[User]]]:
    """Every agency's officers, supervisors and analysts for the story: the demo's own accounts, and history
    colleagues (who cannot sign in) where an agency has none, so that every queue has someone working it."""
    staff: dict[int, dict[str, list[User]]] = defaultdict(lambda: defaultdict(list))
    for user in User.objects.filter(agency__isnull=False).prefetch_related("groups"):
        for group in user.groups.all():
            staff[user.agency_id][group.name].append(user)
    for agency in Agency.objects.all():
        for role, count in ((roles.PETUGAS, 3), (roles.SUPERVISOR, 1), (roles.ANALIS, 1)):
            have = staff[agency.pk][role]
            for n in range(len(have), count):
                user = User.objects.create(
                    username=f"{USERNAME_PREFIX}-{role}-{agency.slug}-{n + 1}",
                    password="!",  # noqa: S106  (unusable: history colleagues cannot sign in)
                    first_name=rng.choice(_STAFF_NAMES),
                    last_name=f"({agency.name})",
                    agency=agency,
                    is_staff=False,
                )
                user.groups.add(Group.objects.get(name=role))
                have.append(user)
    return staff


_STAFF_NAMES = [
    "Dewi Lestari",
    "Bambang Sutrisno",
    "Rudi Hartono",
    "Sri Wahyuni",
    "Teguh Prasetyo",
    "Lina Marlina",
]


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB).astimezone(dt.UTC)


def _next_office_moment(moment: dt.datetime, hour: int) -> dt.datetime:
    day = moment.astimezone(WIB).date()
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return max(moment, _at(day, hour, 0))


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(WIB).date()


def _working_day_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _working_days(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range((end - start).days) if is_working_day(start + dt.timedelta(days=n + 1)))

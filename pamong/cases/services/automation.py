"""Automated decisions by the published rules (DESIGN §3), and re-running them after a data fix or a newly
published rule version. Facts are gathered and the rules run before any write transaction; the transaction
only records the result."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.core.errors import stored
from pamong.core.formatting import format_date
from pamong.registry.regions import region_code_of
from pamong.registry.services import gather_facts
from pamong.staffing import selectors as staffing

from .. import deadlines, rulebook, safeguards, transitions
from ..models import Application, Decision
from .common import S, locked, notify_applicant, record_decision, subject_of
from .notice import issue_notice


@dataclass(frozen=True)
class RuleRun:
    evaluation: dict[str, Any]
    facts: dict[str, Any]
    outcome: str
    proposed: bool
    problems: list[Any]  # JSON-ready: {"text", "params"} put in the reader's language when shown (ADR 51)

    @property
    def final(self) -> bool:
        """GRANT and (below impact 3) DENY are final; a proposal or a REFER waits for a person."""
        return self.outcome in (Decision.Outcome.GRANT, Decision.Outcome.DENY) and not self.proposed


def evaluate_rules(*, service, form_data: dict[str, Any], nik: str, filing_date: dt.date) -> RuleRun | None:
    """Gather facts (form + registry, with provenance) and evaluate the version in force on the filing date.
    Reads only: call it outside a write transaction. None when the service has no rules."""
    rule_set = rulebook.rule_set_in_force(service.slug, filing_date)
    if rule_set is None:
        return None
    gathered = gather_facts(
        fact_specs=rule_set.facts,
        form=form_data,
        nik=nik,
        on_date=filing_date,
        tables=list(rule_set.tables),
        system=system_facts(service),
    )
    evaluation = rule_set.evaluate(
        gathered.values(),
        gathered.tables,
        impact_level=service.impact_level,
        open_breakers=safeguards.current().open_breaker_rule_ids(  # a rule held by a breaker refers
            service_slug=service.slug,
            region_code=region_code_of(gathered.values(), form_data),
        ),
    )
    outcome, proposed = str(evaluation.outcome), evaluation.proposed
    if gathered.problems and outcome == Decision.Outcome.DENY:
        # Missing or conflicting data never denies (DESIGN §3): a person looks at it.
        outcome, proposed = Decision.Outcome.REFER, False
    # The fact values beside their provenance (DESIGN §3: the record holds the input facts; re-running and the
    # oversight sandbox read them back).
    facts = {**gathered.provenance(), "values": json.loads(json.dumps(gathered.values(), default=str))}
    return RuleRun(
        evaluation.to_dict(), facts, outcome, proposed, [stored(problem) for problem in gathered.problems]
    )


def run_rules(application: Application) -> RuleRun | None:
    """The rules again on a filed application, exactly as on the day it was filed (facts gathered anew)."""
    return evaluate_rules(
        service=application.service,
        form_data=application.form_data,
        nik=application.applicant.nik or "",
        filing_date=timezone.localtime(application.filed_at).date(),
    )


def system_facts(service) -> dict[str, Any]:
    """Facts the platform itself knows: where the deciding office is (BPS-style codes without dots)."""
    office = service.agency.region_code.replace(".", "")
    return {"office_village_code": office, "office_regency_code": office[:4]}


def record_rule_run(application: Application, run: RuleRun | None) -> Decision | None:
    """In the filing transaction: the safeguards of DESIGN §3 applied to a rules run. GRANT is final; a DENY at
    impact ≥ 3 is only proposed; below, a DENY is only intended (notice of intended refusal, or a person when the
    citizen wrote a statement); REFER and any source problem go to the review queue. A service without automation
    (run None) goes to the queue."""
    if run is None:
        notify_applicant(application, "application_received", next_open=next_open_text(application))
        return None
    # The right to be heard: an automated refusal is never final at once. With a written statement (which the
    # rules cannot read) a person decides; otherwise a notice of intended refusal gives the citizen time to answer.
    refusal = run.final and run.outcome == Decision.Outcome.DENY and not _opted_out(application.service)
    statement = refusal and bool(application.statement.strip())
    final = run.final and not refusal
    kind = Decision.Kind.AUTOMATIC if final or (refusal and not statement) else Decision.Kind.PROPOSAL
    extra = {"problems": run.problems, "proposed": run.proposed}
    if refusal:
        extra["heard"] = "statement" if statement else "notice"
    decision = record_decision(
        application,
        kind=kind,
        outcome=run.outcome,
        final=final,
        actor=None,
        evaluation=run.evaluation,
        facts=run.facts,
        extra=extra,
    )
    safeguards.current().decision_recorded(decision, rerun=False)
    if final:
        transitions.move(application, S.GRANTED if run.outcome == Decision.Outcome.GRANT else S.DENIED)
    elif refusal and not statement:
        notice = issue_notice(application, decision=decision)
    application.priority_score = int((run.evaluation.get("scores") or {}).get("vulnerability") or 0)
    # Only what a rules run changes: a full save would encrypt the form again and rewrite every column.
    application.save(update_fields=["status", "priority_score"])
    if refusal and not statement:
        notify_applicant(application, "refusal_intended", respond_by=format_date(notice.respond_by))
    elif final:
        notify_applicant(application, "decision_made", decision=decision)
    else:
        notify_applicant(application, "application_received", next_open=next_open_text(application))
    return decision


def next_open_text(application: Application) -> str:
    """Written outside working hours, a citizen is told when the agency is next at work (issue 17); "" otherwise."""
    moment = staffing.agency_next_open(application.service.agency)
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{format_date(local.date())} pukul {local:%H.%M} WIB"


def _opted_out(service) -> bool:
    """Only an impact-level-1 service may publish a reason to refuse at once (catalog.packs checks it too)."""
    return service.impact_level == 1 and bool(service.refusal_notice_opt_out.strip())


def rerun_application(pk, *, actor, repair: bool) -> tuple[str, str] | None:
    """Run the rules again on one application (facts gathered first, then one short transaction). Returns
    ("reopened" | "updated" | "unchanged", reference), or None when the application is not one to re-run.

    repair=True (after a data fix): only denials; a refused application whose rules no longer deny is re-opened:
    back under review with a new PROPOSAL for a person to confirm, a new decision date, and the citizen is told.
    repair=False (after a publication): a pending application gets a new proposal when the outcome differs.
    """
    application = Application.objects.select_related("service__agency", "applicant").get(pk=pk)
    latest = _rerunnable(application, repair)
    if latest is None:
        return None
    run = run_rules(application)
    if run is None:
        return None
    if run.outcome == latest.outcome or (repair and run.outcome == Decision.Outcome.DENY):
        return ("unchanged", application.reference)
    with transaction.atomic():
        application = locked(application)
        if _rerunnable(application, repair) != latest:
            return None  # decided or re-run by someone else while the facts were gathered
        reopening = application.status == S.DENIED
        decision = record_decision(
            application,
            kind=Decision.Kind.PROPOSAL,
            outcome=run.outcome,
            final=False,
            actor=None,
            evaluation=run.evaluation,
            facts=run.facts,
            extra={
                "problems": run.problems,
                "proposed": run.proposed,
                "rerun": "data_fix" if repair else "publication",
                "replaces": latest.pk,
            },
        )
        if reopening:
            _reopen(application, actor=actor, previous=latest, proposal=decision)
        application.save()
        safeguards.current().decision_recorded(decision, rerun=True)
    return ("reopened" if reopening else "updated", application.reference)


def _rerunnable(application: Application, repair: bool) -> Decision | None:
    """The latest decision when this application may be re-run, else None."""
    latest = application.decisions.order_by("-decided_at", "-pk").first()
    allowed = (S.DENIED, S.UNDER_REVIEW) if repair else (S.UNDER_REVIEW,)
    if latest is None or application.status not in allowed:
        return None
    if repair and latest.outcome != Decision.Outcome.DENY:
        return None  # only denials are repaired: referred cases are already with a person
    return latest


def _reopen(application: Application, *, actor, previous: Decision, proposal: Decision) -> None:
    """A refusal the corrected data no longer supports goes back to a person, with a new decision date."""
    transitions.move(application, S.UNDER_REVIEW)
    application.assigned_to = None
    application.decision_due = deadlines.decision_due(
        application.service, complete_on=deadlines.local_today()
    )
    audit.record_event(
        actor=actor,
        action=Action.DECISION_REOPENED,
        subject=subject_of(application),
        data={
            "previous_decision": previous.pk,
            "proposal": proposal.pk,
            "new_outcome": proposal.outcome,
            "decision_due": application.decision_due.isoformat(),
            "reason": "rerun_after_data_fix",
        },
    )
    notify_applicant(application, "decision_reopened")

"""Reads for citizens and staff: own applications, the review queue, the timeline, explanation and next steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit.models import AuditEntry
from pamong.core.formatting import format_number, page_rupiah, reader_date, reader_is_english
from pamong.core.workdays import working_days_between
from pamong.registry.regions import region_code_of
from pamong.rules.formatting import format_value

from . import access, rulebook, safeguards, transitions
from .deadlines import appeal_deadline, local_today, objection_deadline
from .labels import fact_label, source_label
from .models import Application, DataCorrectionRequest, Decision, Objection, RefusalNotice

S = Application.Status


def subject_of(application: Application) -> str:
    """The audit subject of an application: its timeline is read from the audit entries under it."""
    return f"cases.application:{application.pk}"


def filed_with_key(applicant: User, idempotency_key: str) -> QuerySet[Application]:
    """The application `applicant` filed with this Idempotency-Key (at most one, by the unique constraint).
    The exclude restates that partial index's condition: without it SQLite does not use the index and reads
    every application of the applicant instead (3.8 ms per submission at 17,000 applications, measured)."""
    return Application.objects.filter(applicant=applicant, idempotency_key=idempotency_key).exclude(
        idempotency_key=""
    )


def final_decision(application: Application, *, known: Decision | None = None) -> Decision | None:
    """The application's latest final decision. `known`: a decision the caller has just recorded (the events
    port passes it); when it is final it is the latest one, so it is not read again."""
    if known is not None and known.final:
        return known
    return application.decisions.filter(final=True).order_by("-decided_at", "-pk").first()


def latest_proposal(application: Application) -> Decision | None:
    return application.decisions.filter(kind=Decision.Kind.PROPOSAL).order_by("-decided_at", "-pk").first()


# Every text a person reads goes through the catalogue (Indonesian first); an unknown code never reaches a page.
TIMELINE_TEXT = {
    "cases.application_submitted": _("Application received"),
    "cases.decision_recorded": _("Decision recorded"),
    "cases.decision_overridden": _("Decided by an officer with discretion"),
    "cases.information_requested": _("The officer asked for more information (the deadline is paused)"),
    "cases.information_provided": _("More information received (the deadline runs again)"),
    "cases.objection_filed": _("Objection filed"),
    "cases.objection_decided": _("Objection decided"),
    "cases.appeal_filed": _("Appeal filed"),
    "cases.appeal_decided": _("Appeal decided"),
    "cases.deemed_approved": _("Deemed granted because it was not decided in time"),
    "cases.letter_handled": _("The printed letter was handed over at the counter or posted"),
    "cases.case_released": _("Handed to another officer (the deadline does not change)"),
    "cases.information_request_ended": _(
        "The request for information ended unanswered (the deadline runs again)"
    ),
    "cases.refusal_notice_issued": _("Notice of intended refusal: you may respond before it becomes final"),
    "cases.refusal_notice_answered": _("Your response to the notice was received; an officer decides"),
    "cases.refusal_notice_lapsed": _("No response to the notice: the refusal became final"),
    "cases.data_correction_requested": _("You said some data is wrong; the agency checks it"),
    "cases.data_correction_resolved": _("The agency answered your data correction request"),
}
INTENDED_TEXT = _("refusal intended (not final): you may respond")
PROPOSAL_TEXT = _("The rules proposed an outcome; an officer checks it")
KIND_TEXT = {
    Decision.Kind.AUTOMATIC: _("automatic, by the published rules"),
    Decision.Kind.PROPOSAL: _("the rules' proposal; an officer checks it"),
    Decision.Kind.HUMAN: _("by an officer"),
    Decision.Kind.OVERRIDE: _("by an officer with discretion"),
    Decision.Kind.DEEMED: _("deemed granted by law"),
    Decision.Kind.OBJECTION: _("on objection"),
    Decision.Kind.APPEAL: _("on appeal"),
}
OUTCOME_TEXT = {"GRANT": _("granted"), "DENY": _("refused"), "REFER": _("passed to an officer")}
OTHER_EVENT = _("Recorded in the audit log")


def applications_of(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("service__agency").order_by("-filed_at")


def review_queue(user, *, service_slug: str = "") -> QuerySet[Application]:
    """The agency's open cases, most urgent deadline first, then the most vulnerable (priority score)."""
    queue = Application.objects.filter(
        service__agency_id=user.agency_id, status__in=[S.UNDER_REVIEW, S.INFO_REQUESTED]
    ).select_related("service", "assigned_to")
    if service_slug:
        queue = queue.filter(service__slug=service_slug)
    return queue.order_by("decision_due", "-priority_score", "filed_at")


def pending_objections(user) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(
            application__service__agency_id=user.agency_id, status=Objection.Status.PENDING
        )
        .select_related("application__service", "contested")
        .order_by("due")
    )


def sla_working_days_left(application: Application, today: dt.date | None = None) -> int:
    return working_days_between(today or local_today(), application.decision_due)


def timeline(application: Application) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(subject=subject_of(application)).order_by("index")
    return [
        {
            "at": entry.created_at,
            "action": entry.action,
            "text": _timeline_text(entry),
            "audit_index": entry.index,
        }
        for entry in entries
    ]


def _timeline_text(entry: AuditEntry) -> str:
    outcome = entry.data.get("outcome")
    kind = entry.data.get("kind")
    if kind == Decision.Kind.PROPOSAL:
        # A proposal is not a decision: the citizen must not read "refused" where an officer has yet to decide.
        return str(PROPOSAL_TEXT)
    if entry.data.get("heard") == "notice":  # an intended refusal is not a decision either
        return f"{TIMELINE_TEXT[entry.action]}: {INTENDED_TEXT}"
    text = str(TIMELINE_TEXT.get(entry.action, OTHER_EVENT))
    if outcome in OUTCOME_TEXT and kind in KIND_TEXT:
        text = f"{text}: {OUTCOME_TEXT[outcome]} ({KIND_TEXT[kind]})"
    return text


@dataclass(frozen=True)
class Explanation:
    decision: Decision | None
    outcome_text: str
    kind_text: str
    rules: list[dict[str, Any]]
    reasons: str
    legal_basis: str
    rule_set: str
    by_role: str = ""  # the decider's role as the citizen reads it: officer or supervisor
    overrides_rules: bool = False  # a person's decision that differs from what the rules below found


def explanation(application: Application, *, known: Decision | None = None) -> Explanation:
    """What was decided, by whom or what, each rule's result in plain Bahasa Indonesia, and the legal basis.
    `known`: a final decision the caller has just recorded (not read again)."""
    decision = (
        final_decision(application, known=known)
        or application.decisions.order_by("-decided_at", "-pk").first()
    )
    if decision is None:
        return Explanation(None, gettext("not decided yet"), "", [], "", "", "")
    source = decision if decision.evaluation else _last_evaluated(application)
    evaluation = source.evaluation if source else {}
    version = (
        f"{evaluation.get('version_id', '')} ({evaluation.get('content_hash', '')[:19]})"
        if evaluation
        else ""
    )
    intended = not decision.final and decision.kind == Decision.Kind.AUTOMATIC
    return Explanation(
        decision=decision,
        outcome_text=str(INTENDED_TEXT if intended else OUTCOME_TEXT.get(decision.outcome, "")),
        kind_text=str(KIND_TEXT.get(decision.kind, "")),
        rules=list(evaluation.get("rules", [])),
        reasons=decision.reasons,
        legal_basis=decision.legal_basis,
        rule_set=version,
        by_role=_role_text(decision.decided_by),
        overrides_rules=bool(decision.decided_by_id)
        and decision.outcome != evaluation.get("outcome", decision.outcome),
    )


def page_explanation(application: Application, *, known: Decision | None = None) -> Explanation:
    """`explanation` for a page or an API answer: each rule named in the reader's language. The decision keeps the Indonesian
    title it was taken under; an English reader gets the rule's English title (`rulebook.rule_titles`), or that
    stored title when no version of the rules knows the rule. Letters quote the stored titles (pamong.documents)."""
    explained = explanation(application, known=known)
    if not explained.rules or not reader_is_english():
        return explained
    titles = rulebook.rule_titles(application.service.slug)
    rules = [
        {**rule, "title": titles.get(rule.get("rule_id", "")) or rule.get("title", "")}
        for rule in explained.rules
    ]
    return replace(explained, rules=rules)


def _role_text(user) -> str:
    if user is None:
        return ""
    return str(_("supervisor") if roles.SUPERVISOR in roles.roles_of(user) else _("officer"))


def _last_evaluated(application: Application) -> Decision | None:
    # The evaluation is encrypted, so "has one" is decided here rather than in SQL; a case has few decisions.
    return next((d for d in application.decisions.order_by("-decided_at", "-pk") if d.evaluation), None)


def next_steps(application: Application, today: dt.date | None = None) -> list[str]:
    today = today or local_today()
    status = application.status
    if status == S.UNDER_REVIEW:
        return [
            gettext("An officer will decide by %(date)s.") % {"date": reader_date(application.decision_due)},
            gettext(
                "If there is no decision by that date, your application is deemed granted (fiktif positif)."
            ),
        ]
    if status == S.REFUSAL_NOTICE:
        notice = application.refusal_notices.filter(status=RefusalNotice.Status.OPEN).first()
        until = reader_date(notice.respond_by) if notice else "-"
        return [
            gettext(
                "The rules would refuse your application, but it is not final. Until %(date)s you can add "
                "information, attach a document, tell us about special circumstances or say that data is wrong; "
                "an officer will consider it."
            )
            % {"date": until},
            gettext("If you do not respond by then, the refusal becomes final and you may still object."),
        ]
    if status == S.INFO_REQUESTED:
        return [gettext("Answer the officer's request for information; the deadline stops until you answer.")]
    if status == S.DENIED:
        return _after_denial(application, today)
    if status == S.WITHDRAWN:
        return [gettext("You withdrew this application. You may apply again at any time.")]
    if status in (S.OBJECTION, S.APPEAL):
        pending = application.objections.filter(status=Objection.Status.PENDING).first()
        due = reader_date(pending.due) if pending else "-"
        return [
            gettext("Decided by %(date)s at the latest; if not decided by then, it is deemed granted.")
            % {"date": due}
        ]
    return [gettext("There is nothing you need to do. Download the decision receipt as proof.")]


def _after_denial(application: Application, today: dt.date) -> list[str]:
    last = application.objections.order_by("-filed_at").first()
    if last is None:
        deadline = objection_deadline(final_decision(application))
        if today <= deadline:
            return [gettext("You may file an objection until %(date)s.") % {"date": reader_date(deadline)}]
        return [
            gettext("The period for an objection ended on %(date)s. You can still file a complaint.")
            % {"date": reader_date(deadline)}
        ]
    if last.stage == Objection.Stage.OBJECTION:
        return [
            gettext(
                "Your objection was refused. You may appeal to the supervisor's level within 10 working days."
            )
        ]
    return [
        gettext(
            "Your appeal was refused. You may bring a claim before the State Administrative Court (PTUN)."
        )
    ]


# --- what the pages may offer (added for pamong.cases.views; the services still check every guard) ----------


def citizen_actions(application: Application, today: dt.date | None = None) -> dict[str, Any]:
    """Which citizen forms the status page shows: the open information request, objection, appeal."""
    today = today or local_today()
    open_request = application.information_requests.filter(answered_at__isnull=True).last()
    last = application.objections.order_by("-filed_at").first()
    contested = final_decision(application) if application.status == S.DENIED else None
    objection_until = objection_deadline(contested) if contested and last is None else None
    appeal_until = None
    if contested and last and last.stage == Objection.Stage.OBJECTION and last.decided_at:
        appeal_until = appeal_deadline(last)
    notice = None
    if application.status == S.REFUSAL_NOTICE:
        notice = application.refusal_notices.filter(status=RefusalNotice.Status.OPEN).first()
    return {
        "notice": notice,
        "circumstances": [c for c in RefusalNotice.Circumstance.choices if c[0]],
        "corrections": list(application.data_corrections.order_by("filed_at")),
        "open_request": open_request if application.status == S.INFO_REQUESTED else None,
        "objection_until": objection_until if objection_until and today <= objection_until else None,
        "appeal_until": appeal_until if appeal_until and today <= appeal_until else None,
        "objections": list(application.objections.order_by("filed_at")),
        "withdrawable": application.status in transitions.ALLOWED[S.WITHDRAWN],
    }


def case_actions(application: Application, user) -> dict[str, Any]:
    """Which staff forms the case page shows, and the rules' proposal the officer confirms or departs from."""
    open_status = application.status in (S.UNDER_REVIEW, S.INFO_REQUESTED)
    mine = application.assigned_to_id == user.pk
    pending = (
        application.objections.filter(status=Objection.Status.PENDING).select_related("contested").first()
    )
    return {
        "proposal": latest_proposal(application),
        "can_claim": open_status and application.assigned_to_id is None,
        "claimed_by_other": open_status and application.assigned_to_id not in (None, user.pk),
        "can_decide": application.status == S.UNDER_REVIEW and mine,
        "can_request_information": application.status == S.UNDER_REVIEW and mine,
        "pending_objection": pending,
        # The same check the service makes: the form is shown only to whom may submit it, the reason to others.
        "objection_refusal": access.objection_decision_refusal(user, pending) if pending else None,
        "information_requests": list(application.information_requests.order_by("requested_at")),
        "objections": list(application.objections.order_by("filed_at")),
        # A supervisor may hand an open case to another officer or back to the queue (issue 17), with a reason.
        "can_move": open_status and roles.SUPERVISOR in access.role_names(user),
    }


def deciding_officers(application: Application):
    """Active officers of the case's agency who may decide it (the choices when a supervisor moves a case)."""
    return (
        User.objects.filter(
            agency_id=application.service.agency_id,
            is_active=True,
            groups__name__in=sorted(access.DECIDING_ROLES),
        )
        .distinct()
        .order_by("username")
    )


# --- the facts that decided a case, as the citizen reads them -----------------------------------------------
MASKED = "••••"


def _deciding_rule_set(service_slug: str, evaluation: dict[str, Any]):
    """The rule-set version that made `evaluation` (None if it is no longer known)."""
    version = evaluation.get("version_id")
    return next((r for r in rulebook.rule_sets_for(service_slug) if r.version_id == version), None)


def computed_values(decision: Decision | None, service_slug: str) -> list[dict[str, str]]:
    """The values the rules worked out (income per person, the poverty line that applied, scores) for the
    officer's page: labelled, and written as their type and the reader's language ask (Rp544.500, not 544500)."""
    if decision is None:
        return []
    evaluation = decision.evaluation or {}
    rule_set = _deciding_rule_set(service_slug, evaluation)
    types = rule_set.value_types if rule_set else {}
    return [
        {"label": fact_label(name), "value": fact_value_text(value, types.get(name, "str"))}
        for name, value in (evaluation.get("values") or {}).items()
    ]


def deciding_facts(application: Application) -> list[dict[str, Any]]:
    """Every fact of the latest rules run with its description, source, as-of date and value (identity numbers
    masked but for their last four digits, UU 24/2013 Art. 79 and UU 27/2022). Registry facts can be disputed."""
    decision = next((d for d in application.decisions.order_by("-decided_at", "-pk") if d.facts), None)
    if decision is None:
        return []
    recorded = decision.facts or {}
    values = recorded.get("values") or {}
    rule_set = _deciding_rule_set(application.service.slug, decision.evaluation or {})
    declared = rule_set.facts if rule_set else {}
    open_disputes = set(
        application.data_corrections.filter(status=DataCorrectionRequest.Status.OPEN).values_list(
            "fact", flat=True
        )
    )
    rows = []
    english = reader_is_english()
    descriptions = {name: fact.description for name, fact in declared.items()}
    for name, provenance in (recorded.get("facts") or {}).items():
        fact = declared.get(name)
        source = str(provenance.get("source") or (fact.source if fact else ""))
        value = values.get(name)
        shown = fact_value_text(value, fact.type if fact and fact.type != "date" else "str")
        if isinstance(value, str) and value.isdigit() and len(value) >= 12:
            shown = MASKED + value[-4:]
        # The pack's own words in Bahasa Indonesia; under English the label table's words (never the name).
        described = fact.description if fact and fact.description and not english else ""
        rows.append(
            {
                "name": name,
                "description": described or fact_label(name, descriptions),
                "source": source,
                "source_text": source_label(source),
                "as_of": provenance.get("fetched_at") or recorded.get("on_date"),
                "as_of_text": as_of_text(provenance.get("fetched_at") or recorded.get("on_date")),
                "value": shown,
                "registry": source.startswith("registry:"),
                "disputed": name in open_disputes,
            }
        )
    return rows


def as_of_text(stamp: str | None) -> str:
    """When a fact was read, as the reader's date on the agency's calendar: a registry's UTC time of reading
    ("2026-12-01T17:55:12Z" is 2 Desember 2026 in Jakarta) or the filing date, never a raw ISO string."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        return reader_date(timezone.localtime(moment).date())
    return reader_date(moment.date())


def fact_value_text(value: Any, type_name: str) -> str:
    """A fact's value on a page: as a rule explanation writes it in Bahasa Indonesia (format_value), and the
    reader's way under English (yes/no, 1,250 and Rp1,250,000 rather than ya/tidak and 1.250)."""
    if not reader_is_english():
        return format_value(value, type_name)
    if value is None:
        return gettext("not known")
    if type_name == "bool":
        return gettext("yes") if value else gettext("no")
    if type_name == "money":
        return page_rupiah(value)
    if type_name in ("int", "number") and isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, 0 if isinstance(value, int) else 2)
    return str(value)


def _rule_title(titles: rulebook.RuleTitles, rule_id: str, recorded: str | None) -> str:
    """The rule sets' title in the reader's language; else the one recorded with the evaluation; else the
    fallback of rulebook.unknown_rule_title (an evaluation without a title recorded the id as its title)."""
    if rule_id in titles:
        return titles[rule_id]
    return recorded if recorded and recorded != rule_id else titles[rule_id]


def officer_voice(application: Application) -> dict[str, Any]:
    """What the case page shows the officer beside the decision: the citizen's responses to a notice (to be
    considered before deciding), correction requests, the rules that can be flagged, flags already made, and
    circuit breakers holding any of this case's rules."""
    latest = next((d for d in application.decisions.order_by("-decided_at", "-pk") if d.evaluation), None)
    titles = rulebook.rule_titles(application.service.slug)  # in the reader's language
    rules = [
        (r["rule_id"], _rule_title(titles, r["rule_id"], r.get("title")))
        for r in (latest.evaluation if latest else {}).get("rules", [])
        if r.get("rule_id")
    ]
    values = ((latest.facts if latest else {}) or {}).get("values") or {}
    held = safeguards.current().open_breaker_rule_ids(
        service_slug=application.service.slug, region_code=region_code_of(values, application.form_data)
    )
    return {
        "notices": [n for n in application.refusal_notices.order_by("issued_at") if n.responded_at],
        "corrections": list(application.data_corrections.order_by("filed_at")),
        "rules": rules,
        "flags": list(application.rule_flags.order_by("-flagged_at")),
        "held_rules": sorted(title for rule, title in rules if rule in held),  # by title, never by id
    }

"""The public algorithm register (no login): for each automated service, what it decides, on which legal basis,
with which rules (in plain Bahasa Indonesia), under which human oversight, how it performs and how to object.
Reads only (selectors); nothing personal leaves this module: only counts and rates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from pamong.cases import rulebook
from pamong.cases.labels import fact_label, in_sentence
from pamong.cases.models import Decision
from pamong.catalog import assessment
from pamong.catalog.models import Service
from pamong.core.formatting import reader_is_english

from . import charts, selectors
from .models import DecisionObservation, RuleSetDraft

# A rule's condition in plain words, in the reader's language: (pattern, replacement, words), the words filling the
# replacement's {}. "not in" comes before "not" and "in"; no English word below is itself an operator that a later
# pattern would read again.
OPERATORS: list[tuple[str, str, object]] = [
    (r"\s*<=\s*", " {} ", "≤"),
    (r"\s*>=\s*", " {} ", "≥"),
    (r"\s*==\s*", " {} ", gettext_lazy("equals")),
    (r"\s*!=\s*", " {} ", gettext_lazy("does not equal")),
    (r"\s*//\s*", " {} ", gettext_lazy("divided by")),
    (r"\s+and\s+", " {} ", gettext_lazy("and")),
    (r"\s+or\s+", " {} ", gettext_lazy("or")),
    (r"\bnot in\b", "{}", gettext_lazy("is not one of")),
    (r"\bnot\s+", "{} ", gettext_lazy("not")),
    (r"\bTrue\b", "{}", gettext_lazy("yes")),
    (r"\bFalse\b", "{}", gettext_lazy("no")),
    (r"\bin\b", "{}", gettext_lazy("is one of")),
]
NAME = re.compile(r"\b[a-z][a-z0-9_]*\b")
IMPACT_TEXT = {
    1: gettext_lazy("Level I — low impact"),
    2: gettext_lazy("Level II — medium impact"),
    3: gettext_lazy("Level III — high impact: the machine only proposes a refusal, an officer decides"),
    4: gettext_lazy("Level IV — very high impact: the machine only proposes a refusal, an officer decides"),
}


def readable(expression: str, labels: Mapping[str, str] | None = None) -> str:
    """A rule's condition in the reader's language: operators in words, digit groups as the language writes
    them, and each name in `labels` (fact, derived value, table) replaced by its label (`pamong.cases.labels`)."""
    text = " ".join(expression.split())
    for pattern, replacement, said in OPERATORS:
        filled = replacement.format(said)
        text = re.sub(pattern, lambda _match, filled=filled: filled, text)
    separator = "," if reader_is_english() else "."
    text = re.sub(r"(\d)_(\d)", lambda m: f"{m.group(1)}{separator}{m.group(2)}", text)
    if labels:
        text = NAME.sub(
            lambda m: in_sentence(labels[m.group(0)]) if m.group(0) in labels else m.group(0), text
        )
    return text


def automated_services():
    return Service.objects.filter(automated=True).select_related("agency").order_by("name")


def register_list() -> list[dict[str, Any]]:
    open_rows = selectors.open_breakers()
    breaking = {b.service_id for b in open_rows}
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "agency": s.agency.name,
            "summary": s.summary,
            "impact_level": s.impact_level,
            "impact_text": str(IMPACT_TEXT.get(s.impact_level, "")),
            "status": "breaker_open" if s.pk in breaking else "active",
            "status_text": status_text(s.pk in breaking),
        }
        for s in automated_services()
    ]


def status_text(breaking: bool) -> str:
    if breaking:
        return gettext("active, some rules paused (their refusals go to an officer)")
    return gettext("active")


def register_entry(slug: str, *, today: dt.date | None = None) -> dict[str, Any] | None:
    service = automated_services().filter(slug=slug).first()
    if service is None:
        return None
    today = today or timezone.localdate()
    rule_set = rulebook.rule_set_in_force(service.slug, today)
    open_rows = list(selectors.open_breakers(service=service))
    names: dict[str, str] = dict(rule_set.descriptions) if rule_set else {}  # the pack's own words
    labels = {name: fact_label(name, names) for name in names}  # in the reader's language
    titles = rulebook.rule_titles(service.slug)  # in the reader's language (title_en on English pages)
    rules = []
    for rule in rule_set.rules if rule_set else ():
        used = [n for n in dict.fromkeys(NAME.findall(rule.require)) if n in names]
        rules.append(
            {
                "id": rule.id,
                "title": titles[rule.id],
                "require": rule.require,
                "require_text": readable(rule.require, labels),
                "terms": [{"name": n, "label": labels[n], "description": names[n]} for n in used],
                "on_fail": rule.on_fail,
                "on_fail_text": gettext(
                    "the application is refused (a refusal is proposed when the impact is high)"
                )
                if rule.on_fail == "deny"
                else gettext("passed to an officer to check"),
                "explain": {
                    status: template_text(template, labels) for status, template in rule.explain.items()
                },
                "legal_basis": rule.legal_basis,
                "breaker_open": any(b.rule_id == rule.id for b in open_rows),
            }
        )
    fairness = selectors.fairness(service, selectors.last_days(90, today), basis="rules")
    return {
        "slug": service.slug,
        "name": service.name,
        "agency": service.agency.name,
        "purpose": service.summary,
        "legal_basis": service.legal_basis,
        "rule_set_legal_basis": list(rule_set.legal_basis) if rule_set else [],
        "impact_level": service.impact_level,
        "impact_text": str(IMPACT_TEXT.get(service.impact_level, "")),
        # The level is computed from this published assessment in the service's pack (pamong.catalog.impact).
        "impact_assessment": assessment.published(service.impact_assessment)
        if service.impact_assessment
        else None,
        "status": "breaker_open" if open_rows else "active",
        "status_text": status_text(bool(open_rows)),
        "open_breakers": [
            {"rule_id": b.rule_id, "region_code": b.region_code, "opened_at": b.opened_at.isoformat()}
            for b in open_rows
        ],
        "accountable_official": service.agency.accountable_official,
        "refusal_notice": (
            gettext("Without a notice of intended refusal (impact level 1): %(reason)s")
            % {"reason": service.refusal_notice_opt_out}
            if service.refusal_notice_opt_out
            else ""
        )
        or gettext(
            "An automated refusal is always preceded by a notice of intended refusal: the applicant has 5 working "
            "days to answer, and every answer is checked by an officer."
        ),
        "versions": version_history(service),
        "version": rule_set.version_id if rule_set else "",
        "content_hash": rule_set.content_hash if rule_set else "",
        "effective_from": rule_set.effective_from.isoformat() if rule_set else "",
        "rules": rules,
        "oversight": oversight_text(service),
        "monthly": monthly_statistics(service, today),
        "fairness": fairness,
        "objection": gettext(
            "You may object within %(objection_days)s working days after the decision, on your application's page "
            "or at the counter; another officer or a superior decides the objection. If it is refused, an appeal "
            "to the superior is decided within %(appeal_days)s working days."
        )
        % {"objection_days": service.objection_days, "appeal_days": service.appeal_days},
        "complaints": service.complaint_handling,
        "contact": {
            "agency": service.agency.name,
            "address": service.agency.address,
            "phone": service.agency.phone,
            "email": service.agency.email,
            "website": service.agency.website,
        },
    }


def version_history(service) -> list[dict[str, Any]]:
    """Every rule-set version of the service, newest first, with its dates and who drafted and approved it: a
    version from the pack was loaded from the published pack file; one from the sandbox names its drafter and
    its second approver (four eyes)."""
    drafts = {
        d.version_id: d
        for d in RuleSetDraft.objects.filter(
            service=service, status=RuleSetDraft.Status.PUBLISHED
        ).select_related("created_by", "approved_by")
    }

    def name(user) -> str:
        return (user.get_full_name() or user.username) if user else ""

    rows = []
    for rule_set in rulebook.rule_sets_for(service.slug):
        draft = drafts.get(rule_set.version_id)
        rows.append(
            {
                "version": rule_set.version_id,
                "effective_from": rule_set.effective_from.isoformat(),
                "effective_until": rule_set.effective_until.isoformat() if rule_set.effective_until else "",
                "content_hash": rule_set.content_hash,
                "origin": draft.origin if draft else "pack",
                "four_eyes": bool(draft),
                "drafted_by": name(draft.created_by) if draft else "",
                "approved_by": name(draft.approved_by) if draft else "",
                "approved_at": draft.approved_at.isoformat() if draft and draft.approved_at else "",
            }
        )
    return sorted(rows, key=lambda r: (r["effective_from"], r["version"]), reverse=True)


def template_text(template, labels: Mapping[str, str] | None = None) -> str:
    """An explanation template as written, with its placeholders shown as {name}, or as [label] for a name in
    `labels` (what a reader sees: the value's label, never its identifier)."""

    def slot(name: str) -> str:
        if labels and name in labels:
            return f"[{in_sentence(labels[name])}]"
        return f"{{{name}}}"

    return "".join(literal + (slot(name) if name else "") for literal, name in template)


def oversight_text(service) -> list[str]:
    lines = [
        gettext(
            "Every rule is evaluated in full and its reasons are shown to the applicant in Bahasa Indonesia."
        ),
        gettext(
            "Data that is missing or does not match never leads to a refusal: the application goes to an officer."
        ),
        gettext(
            "Analysts watch each rule's failure rate per region; when it jumps, a circuit breaker opens by itself "
            "and that rule's refusals go to an officer until an analyst closes it with written reasons."
        ),
        gettext(
            "Rule changes are tried on past applications first and take effect only after a second supervisor approves them."
        ),
        gettext(
            "Every decision is recorded in an audit log that cannot be changed and that anyone can check."
        ),
    ]
    if service.impact_level >= 3:
        lines.insert(
            0,
            gettext("The machine never refuses on its own: a refusal is only proposed, an officer decides."),
        )
    if service.internal_supervision:
        lines.append(gettext("Internal supervision: %(who)s") % {"who": service.internal_supervision})
    return lines


def monthly_statistics(service, today: dt.date, months: int = 6) -> list[dict[str, Any]]:
    first = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=timezone.get_current_timezone())
    rows = (
        DecisionObservation.objects.filter(service=service, rerun=False, decided_at__gte=start)
        .annotate(month=TruncMonth("decided_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(
            n=Count("pk"),
            granted=Count("pk", filter=Q(outcome=Decision.Outcome.GRANT)),
            referred=Count("pk", filter=Q(outcome=Decision.Outcome.REFER)),
            denied=Count("pk", filter=Q(outcome=Decision.Outcome.DENY)),
        )
        .order_by("month")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "applications": row["n"],
            "granted": row["granted"],
            "referred": row["referred"],
            "denied": row["denied"],
            "grant_rate": charts.percent(row["granted"] / row["n"]) if row["n"] else "-",
        }
        for row in rows
    ]

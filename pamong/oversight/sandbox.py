"""The rule sandbox: a draft rule-set version is simulated on the service's past applications before anyone may
publish it, and publishing needs a second person (four eyes: a supervisor who is not the author) and a date.

Simulation reads the facts stored with each past decision (Decision.facts["values"], the same values the rules
saw), builds one Polars frame, and runs the version in force and the draft over it (pamong.rules
compare_versions) with the same reference tables, so every flip is caused by the rule change alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases import rulebook
from pamong.cases.models import Application, Decision
from pamong.catalog import selectors as catalog_selectors
from pamong.catalog import services as catalog_services
from pamong.core.errors import Conflict, PermissionDenied, ValidationFailed, translate
from pamong.registry.services import reference_tables
from pamong.rules import RuleError, RuleSet, check_versions, compare_versions, load_rule_set_text
from pamong.rules.types import DATE, POLARS_DTYPES
from pamong.staffing import routing as staffing

from . import access, selectors, stats
from .models import DecisionObservation, Job, RuleSetDraft
from .services import reevaluate_application
from .tasks import reevaluate_pending

KEEP = ("application", "reference", "region", "area", "channel", "sex", "age_band", "disability")
GROUP_FEATURES = ("region", "area", "channel", "sex", "age_band", "disability")
MIN_FAIRNESS_JUSTIFICATION = 30
JOB_BATCH = 50


def draft_subject(draft: RuleSetDraft) -> str:
    return f"oversight.draft:{draft.pk}"


# PyYAML's own problems (English, inside the engine's "invalid YAML: %(problem)s") in the author's language. The
# engine's other messages keep their English source text and parameters (pamong.rules.errors) and are translated
# from the catalogue, so the author reads every message in the page language, with its line (ADR 51).
YAML_PROBLEMS = (
    (
        "mapping values are not allowed",
        _("a colon (:) stands where none may; put text with a colon in quotes"),
    ),
    ("could not find expected ':'", _("a colon (:) is missing after a key")),
    ("found character '\\t'", _("a tab character is used; indent with spaces")),
    ("expected <block end>", _("the indentation does not line up")),
    ("did not find expected key", _("the indentation does not line up")),
    ("found unexpected end of stream", _("a quote or bracket is not closed")),
    ("while scanning a quoted scalar", _("a quote is not closed")),
    ("nested too deeply", _("the text is nested too deeply")),
)
INVALID_YAML = "invalid YAML: %(problem)s"  # pamong.rules.yamlsrc


def rule_error_text(exc: RuleError) -> str:
    """An Indonesian (or English, under the switch) sentence naming the line and the field of the problem."""
    if exc.text == INVALID_YAML:
        problem = str((exc.params or {}).get("problem", ""))
        found = next((text for marker, text in YAML_PROBLEMS if marker in problem), None)
        what = str(found or _("the text is not valid YAML"))
    else:
        what = translate(exc.text, exc.params)
    where = []
    if exc.line is not None:
        where.append(gettext("line %(line)s") % {"line": exc.line})
    if exc.rule_id:
        where.append(gettext("rule “%(rule)s”") % {"rule": exc.rule_id})
    if exc.field:
        where.append(gettext("field “%(field)s”") % {"field": exc.field})
    place = ", ".join(where) or gettext("somewhere in the file")
    return gettext("The rule file is not right yet (%(place)s): %(what)s.") % {
        "place": place,
        "what": what.rstrip("."),
    }


def parse(yaml_text: str, *, name: str = "<draft>") -> RuleSet:
    try:
        return load_rule_set_text(yaml_text, filename=name)
    except RuleError as exc:
        raise ValidationFailed(
            rule_error_text(exc),
            code="rules_invalid",
            details={"line": exc.line, "field": exc.field, "technical": exc.message},
        ) from exc


def text_in_force(service, on_date: dt.date | None = None) -> str:
    """The YAML of the version in force, for a new draft to start from: a published draft's text, or the pack's
    file of that version. Empty when the service has no version in force."""
    rule_set = rulebook.rule_set_in_force(service.slug, on_date or timezone.localdate())
    if rule_set is None:
        return ""
    published = (
        RuleSetDraft.objects.filter(
            service=service, version_id=rule_set.version_id, status=RuleSetDraft.Status.PUBLISHED
        )
        .values_list("yaml_text", flat=True)
        .first()
    )
    if published is not None:
        return published
    return Path(rule_set.source_file).read_text(encoding="utf-8") if rule_set.source_file else ""


# --- drafts -------------------------------------------------------------------------------------------------------
def create_draft(service, *, actor, yaml_text: str, origin: str = "sandbox") -> RuleSetDraft:
    """An analyst or supervisor proposes a new version (uploaded YAML, or a file copied from the pack)."""
    access.require_act(actor, service.agency_id)
    rule_set = parse(yaml_text)
    if rule_set.service != service.slug:
        raise ValidationFailed(
            gettext("This file is for the service '%(theirs)s', not '%(ours)s'.")
            % {"theirs": rule_set.service, "ours": service.slug},
            code="rules_wrong_service",
        )
    existing = rulebook.rule_sets_for(service.slug)
    problems = check_versions([*existing, rule_set])
    if problems:
        raise ValidationFailed(
            gettext("This version clashes with an existing one: %(problems)s")
            % {"problems": "; ".join(translate(p.text, p.params) for p in problems)},
            code="rules_version_conflict",
        )
    with transaction.atomic():
        if RuleSetDraft.objects.filter(service=service, version_id=rule_set.version_id).exists():
            raise Conflict(
                gettext("A draft of version %(version)s already exists.") % {"version": rule_set.version_id},
                code="draft_exists",
            )
        draft = RuleSetDraft.objects.create(
            service=service,
            version_id=rule_set.version_id,
            yaml_text=yaml_text,
            content_hash=rule_set.content_hash,
            origin=origin,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit.record_event(
            actor=actor,
            action=Action.RULES_DRAFT_CREATED,
            subject=draft_subject(draft),
            data={
                "service": service.slug,
                "version": draft.version_id,
                "content_hash": draft.content_hash,
                "origin": origin,
            },
        )
        for supervisor in _supervisors(service, exclude=actor):
            staffing.notify_staff(
                user=supervisor,
                urgency="mendesak",
                template="draft_awaiting_approval",
                context={
                    "service": service.name,
                    "version": draft.version_id,
                    "content_hash": draft.content_hash[:19],
                    "author": actor.get_full_name() or actor.username,
                    "url": f"/pengawasan/sandbox/{draft.pk}/",
                },
            )
    return draft


def pending_pack_versions(service) -> list[dict[str, Any]]:
    """Rule versions loaded into the service's pack since installation and not yet approved by a second person,
    each with the draft that carries it through the four eyes (None until someone proposes it)."""
    rows = list(catalog_selectors.pending_rule_versions([service.pk]))
    drafts = {
        d.version_id: d
        for d in RuleSetDraft.objects.filter(
            service=service, origin="pack", version_id__in=[r.version_id for r in rows]
        )
    }
    return [{"row": row, "draft": drafts.get(row.version_id)} for row in rows]


def propose_pack_version(service, *, actor, version_id: str) -> RuleSetDraft:
    """An analyst or supervisor takes a pending pack version into the sandbox, as its author: simulated, then
    approved by a supervisor who is not the author, then published, exactly like a draft written here."""
    access.require_act(actor, service.agency_id)
    row = next(
        (r for r in catalog_selectors.pending_rule_versions([service.pk]) if r.version_id == version_id), None
    )
    if row is None:
        raise ValidationFailed(
            gettext("No pack version %(version)s is awaiting approval.") % {"version": version_id},
            code="pack_version_unknown",
        )
    path = Path(settings.PACKS_DIR) / service.slug / "rules" / row.file_name
    yaml_text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not yaml_text or parse(yaml_text, name=str(path)).content_hash != row.content_hash:
        raise Conflict(
            gettext("The pack file of version %(version)s changed since it was loaded; load the packs again.")
            % {"version": version_id},
            code="pack_version_changed",
        )
    return create_draft(service, actor=actor, yaml_text=yaml_text, origin="pack")


def _supervisors(service, *, exclude):
    return User.objects.filter(agency_id=service.agency_id, groups__name=roles.SUPERVISOR).exclude(
        pk=exclude.pk
    )


def approve_draft(draft: RuleSetDraft, *, actor, effective_from: dt.date) -> RuleSetDraft:
    """The second pair of eyes: a supervisor of the agency who did not write the draft, with the effective date
    (it must be the `effective_from` written in the file, and not in the past). Records what the simulation showed."""
    access.require_supervisor(actor, draft.service.agency_id)
    if actor.pk == draft.created_by_id:
        raise PermissionDenied(
            _("A draft cannot be approved by its own author: ask another supervisor (four-eyes principle)."),
            code="second_approver_required",
        )
    rule_set = parse(draft.yaml_text)
    today = timezone.localdate()
    if effective_from < today:
        raise ValidationFailed(_("The effective date cannot be in the past."), code="effective_date_past")
    if effective_from != rule_set.effective_from:
        raise ValidationFailed(
            gettext("The effective date must equal effective_from in the file (%(date)s).")
            % {"date": rule_set.effective_from.isoformat()},
            code="effective_date_mismatch",
        )
    summary = simulate_draft(draft).summary()
    with transaction.atomic():
        draft = RuleSetDraft.objects.select_for_update().get(pk=draft.pk)
        if draft.status != RuleSetDraft.Status.DRAFT:
            raise Conflict(_("This draft has already been approved or published."), code="draft_not_open")
        draft.status = RuleSetDraft.Status.APPROVED
        draft.approved_by, draft.approved_at, draft.effective_from = actor, timezone.now(), effective_from
        draft.simulation = summary
        draft.save()
        audit.record_event(
            actor=actor,
            action=Action.RULES_DRAFT_APPROVED,
            subject=draft_subject(draft),
            data={
                "version": draft.version_id,
                "effective_from": effective_from.isoformat(),
                "simulation": summary,
            },
        )
    return draft


def below_four_fifths(groups: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The groups (of a simulation's summary) that the draft pushes below four fifths of the best-served group's
    grant rate while the version in force kept them at or above it. Exact fractions (no float at the boundary);
    groups under the small-sample size are left out, as in the fairness report."""
    pushed = []
    for feature, rows in groups.items():
        large = [r for r in rows if not r.get("small")]
        if len(large) < 2:
            continue
        best_old = max(Fraction(r["granted_old"], r["n"]) for r in large)
        best_new = max(Fraction(r["granted_new"], r["n"]) for r in large)
        for row in large:
            old_ok = best_old == 0 or Fraction(row["granted_old"], row["n"]) >= stats.FOUR_FIFTHS * best_old
            new_ok = best_new == 0 or Fraction(row["granted_new"], row["n"]) >= stats.FOUR_FIFTHS * best_new
            if old_ok and not new_ok:
                pushed.append({"feature": feature, "label": row["label"], "rate_new": row["rate_new"]})
    return pushed


def publish_draft(
    draft: RuleSetDraft, *, actor, reevaluate_pending: bool = False, fairness_justification: str = ""
) -> tuple[RuleSetDraft, Job | None]:
    """Publish an approved draft: from its effective date it decides the service's applications (cases.rulebook
    reads published drafts beside the pack files). Optionally re-evaluate pending cases in a background job.
    A draft whose simulation pushes a group below four fifths is published only with a written justification,
    recorded in the audit entry."""
    access.require_act(actor, draft.service.agency_id)
    pushed = below_four_fifths((draft.simulation or {}).get("groups") or {})
    justification = fairness_justification.strip()
    if pushed and len(justification) < MIN_FAIRNESS_JUSTIFICATION:
        names = "; ".join(f"{p['label']} ({p['feature']})" for p in pushed)
        raise ValidationFailed(
            gettext(
                "This version lowers the grant rate of these groups below four fifths of the best group: "
                "%(groups)s. Publish only with a written justification (at least %(min)s characters)."
            )
            % {"groups": names, "min": MIN_FAIRNESS_JUSTIFICATION},
            code="fairness_justification_required",
            details={"groups": pushed},
        )
    with transaction.atomic():
        draft = (
            RuleSetDraft.objects.select_for_update(of=("self",)).select_related("service").get(pk=draft.pk)
        )
        if draft.status != RuleSetDraft.Status.APPROVED or draft.approved_by_id is None:
            raise PermissionDenied(
                _("A rule version can be published only after a second supervisor approves it (four eyes)."),
                code="second_approver_required",
            )
        if draft.approved_by_id == draft.created_by_id:
            raise PermissionDenied(
                _("The author and the approver must be different people."), code="second_approver_required"
            )
        draft.status = RuleSetDraft.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save(update_fields=["status", "published_at"])
        if draft.origin == "pack":  # the pack's file stays unread; this published copy decides from now on
            catalog_services.mark_rule_version_approved(
                service=draft.service, version_id=draft.version_id, content_hash=draft.content_hash
            )
        audit.record_event(
            actor=actor,
            action=Action.RULES_PUBLISHED,
            subject=f"rules.rule_set:{draft.service.slug}:{draft.version_id}",
            data={
                "service": draft.service.slug,
                "version": draft.version_id,
                "content_hash": draft.content_hash,
                "effective_from": draft.effective_from.isoformat(),
                "author": draft.created_by_id,
                "approved_by": draft.approved_by_id,
                "source": draft.origin,
                **({"below_four_fifths": pushed, "fairness_justification": justification} if pushed else {}),
            },
        )
        job = start_reevaluation(draft, actor=actor) if reevaluate_pending else None
    return draft, job


# --- simulation ---------------------------------------------------------------------------------------------------
@dataclass
class SandboxResult:
    service: str
    old_version: str
    new_version: str
    applications: int
    outcome_counts_old: dict[str, int]
    outcome_counts_new: dict[str, int]
    transitions: dict[str, int]  # "GRANT→DENY": n
    flips: list[dict[str, Any]]
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tables_on: str = ""

    def summary(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "applications": self.applications,
            "outcomes_old": self.outcome_counts_old,
            "outcomes_new": self.outcome_counts_new,
            "transitions": self.transitions,
            "flipped": len(self.flips),
            "groups": self.groups,
            "tables_on": self.tables_on,
        }


def simulate_draft(draft: RuleSetDraft, *, period: selectors.Period | None = None) -> SandboxResult:
    """The draft against the version in force today, on the stored facts of the service's past applications."""
    service = draft.service
    new = parse(draft.yaml_text)
    today = timezone.localdate()
    old = rulebook.rule_set_in_force(service.slug, today)
    if old is None:
        raise ValidationFailed(_("This service has no rule version in force yet."), code="no_rule_set")
    frame = history_frame(service, [old, new], period=period or selectors.last_days(365, today))
    tables_on = max(today, new.effective_from)
    tables = _tables(set(old.tables) | set(new.tables), tables_on)
    keep = [c for c in KEEP if c in frame.columns]
    comparison = compare_versions(old, new, frame, tables, impact_level=service.impact_level, keep=keep)
    flips = comparison.changed.sort("reference").to_dicts() if len(frame) else []
    return SandboxResult(
        service=service.slug,
        old_version=old.version_id,
        new_version=new.version_id,
        applications=len(frame),
        outcome_counts_old=comparison.old.outcome_counts,
        outcome_counts_new=comparison.new.outcome_counts,
        transitions={f"{o}→{n}": c for (o, n), c in comparison.transitions.items()},
        flips=[{k: v for k, v in f.items() if k != "row"} for f in flips],
        groups=_group_impact(comparison.old.results, comparison.new.results),
        tables_on=tables_on.isoformat(),
    )


def history_frame(service, rule_sets: list[RuleSet], *, period: selectors.Period) -> pl.DataFrame:
    """One row per past application of the service (its first rules evaluation in the period): the stored fact
    values typed as the rule sets declare them, and the groups (region, claimed sex and age band, disability)."""
    start, end = period.bounds()
    observed = DecisionObservation.objects.filter(
        service=service, rerun=False, decided_at__gte=start, decided_at__lt=end
    ).values_list("decision_id", flat=True)
    decisions = Decision.objects.filter(pk__in=observed).values_list(
        "application_id", "application__reference", "facts"
    )
    groups = {r["application"]: r for r in selectors.fairness_records(service, period, basis="rules")}
    facts: dict[str, Any] = {}
    for rule_set in rule_sets:
        facts.update(rule_set.facts)
    columns: dict[str, list[Any]] = {name: [] for name in (*KEEP, *facts)}
    for application_id, reference, stored in decisions:
        values = (stored or {}).get("values") or {}
        group = groups.get(str(application_id), {})
        columns["application"].append(str(application_id))
        columns["reference"].append(reference)
        for feature in GROUP_FEATURES:
            columns[feature].append(group.get(feature))
        for name, fact in facts.items():
            value = values.get(name)
            if fact.type == DATE and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            columns[name].append(value)
    schema = {name: pl.String for name in KEEP}
    schema.update({name: POLARS_DTYPES[fact.type] for name, fact in facts.items()})
    return pl.DataFrame(columns, schema=schema, strict=False)


def _tables(names: set[str], on_date: dt.date) -> dict[str, dict[str, object]]:
    return reference_tables(names, on_date).tables


def _group_impact(old: pl.DataFrame, new: pl.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Per feature and group: applications, the grant rate under each version, and the change."""
    if not len(old):
        return {feature: [] for feature in GROUP_FEATURES}
    both = old.select(*GROUP_FEATURES, (pl.col("outcome") == "GRANT").alias("old")).with_columns(
        (new["outcome"] == "GRANT").alias("new")
    )
    result: dict[str, list[dict[str, Any]]] = {}
    for feature in GROUP_FEATURES:
        rows = (
            both.with_columns(pl.col(feature).fill_null("tidak diketahui"))
            .group_by(feature)
            .agg(
                pl.len().alias("n"),
                pl.col("old").sum().alias("granted_old"),
                pl.col("new").sum().alias("granted_new"),
            )
            .sort(feature)
            .to_dicts()
        )
        result[feature] = [
            {
                "label": row[feature],
                "n": row["n"],
                "granted_old": row["granted_old"],
                "granted_new": row["granted_new"],
                "rate_old": row["granted_old"] / row["n"],
                "rate_new": row["granted_new"] / row["n"],
                "change": (row["granted_new"] - row["granted_old"]) / row["n"],
                "small": row["n"] < 30,
            }
            for row in rows
        ]
    return result


# --- re-evaluating pending cases after a publication ---------------------------------------------------------------
def start_reevaluation(draft: RuleSetDraft, *, actor) -> Job:
    """Queue a job that runs the rules again on the service's pending cases filed from the effective date."""
    job = Job.objects.create(
        kind=Job.Kind.REEVALUATE,
        service=draft.service,
        draft=draft,
        created_by=actor,
        created_at=timezone.now(),
    )
    audit.record_event(
        actor=actor,
        action=Action.REEVALUATION_STARTED,
        subject=f"oversight.job:{job.pk}",
        data={"service": draft.service.slug, "version": draft.version_id},
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    reevaluate_pending(job_id)


def run_reevaluation(*, job_id: int) -> int:
    """The job: idempotent per application (a case whose outcome is unchanged gets no new decision). Progress is
    counted with F() after each batch so the page and the JSON endpoint show it while it runs."""

    with transaction.atomic():
        job = Job.objects.select_for_update(of=("self",)).select_related("draft", "service").get(pk=job_id)
        if job.status in (Job.Status.RUNNING, Job.Status.DONE):
            return 0
        since = job.draft.effective_from if job.draft and job.draft.effective_from else timezone.localdate()
        start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        pending = list(
            Application.objects.filter(
                service=job.service, status=Application.Status.UNDER_REVIEW, filed_at__gte=start
            ).values_list("pk", flat=True)
        )
        job.status, job.started_at, job.total = Job.Status.RUNNING, timezone.now(), len(pending)
        job.save(update_fields=["status", "started_at", "total"])
    changed = 0
    try:
        for index in range(0, len(pending), JOB_BATCH):
            batch_changed = 0
            for pk in pending[index : index + JOB_BATCH]:
                outcome = reevaluate_application(pk, actor=job.created_by, repair=False)
                batch_changed += int(outcome is not None and outcome[0] != "unchanged")
            changed += batch_changed
            Job.objects.filter(pk=job.pk).update(
                done=F("done") + len(pending[index : index + JOB_BATCH]), changed=F("changed") + batch_changed
            )
    except Exception as exc:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=timezone.now())
        audit.record_event(
            actor=job.created_by,
            action=Action.REEVALUATION_FINISHED,
            subject=f"oversight.job:{job.pk}",
            data={"total": len(pending), "changed": changed},
        )
    return changed

"""Writes of oversight (CONVENTIONS §2, §5): observe each rules evaluation, check for spikes and open circuit
breakers, close them with a justification, re-run decisions after a data fix. The rule sandbox (drafts,
simulation, four-eyes publication, re-evaluation jobs) is in pamong.oversight.sandbox.

Every function is one transaction (or one per application for the batch ones) with its audit entry inside it;
notifications are outbox rows written in that transaction and delivered after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Sum, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext, override

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases import rulebook
from pamong.cases import services as cases
from pamong.cases.models import Application, Decision
from pamong.catalog.models import Service
from pamong.core.errors import Conflict, ValidationFailed
from pamong.core.formatting import format_number, format_percent, format_significant
from pamong.registry.regions import region_code_of
from pamong.registry.selectors import region_exists
from pamong.staffing import routing as staffing

from . import access, stats
from .models import CircuitBreaker, DecisionObservation, MonitorState, RuleTally
from .selectors import REGION_LEVEL

logger = logging.getLogger(__name__)
MIN_JUSTIFICATION = 20  # characters: a written reason, not "ok"


@dataclass(frozen=True)
class MonitorSettings:
    """Defaults of spike detection; override any of them in settings.PAMONG_OVERSIGHT (a dict)."""

    check_every: int = (
        50  # every N-th observation (by id) checks its service; plus the periodic job every minute
    )
    recent_hours: int = 2  # the current hour and the one before it
    baseline_days: int = 28  # the trailing window before the recent one
    region_level: int = REGION_LEVEL
    alpha: float = stats.ALPHA
    min_recent: int = stats.MIN_RECENT
    min_baseline: int = stats.MIN_BASELINE
    min_excess: float = stats.MIN_EXCESS

    @classmethod
    def current(cls) -> MonitorSettings:
        return cls(**getattr(settings, "PAMONG_OVERSIGHT", {}))


def breaker_subject(breaker: CircuitBreaker) -> str:
    return f"oversight.breaker:{breaker.pk}"


def hour_of(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


# --- observing decisions --------------------------------------------------------------------------------------
def observe_decision(decision, *, rerun: bool = False, check: bool = True) -> DecisionObservation | None:
    """Count a rules evaluation (an automatic decision or a proposal): its outcome and region, and every rule's
    result in the hourly tallies. Every `check_every`-th observation (by id) runs its service's spike check.
    Called in the decision's transaction through the safeguards port (pamong.cases.safeguards)."""
    evaluation = decision.evaluation or {}
    if not evaluation.get("rules"):
        return None
    application = decision.application
    facts = (decision.facts or {}).get("values") or {}
    region = region_code_of(facts, application.form_data)
    observation = DecisionObservation.objects.create(
        decision=decision,
        application=application,
        service_id=application.service_id,
        region_code=region,
        decided_at=decision.decided_at,
        outcome=decision.outcome,
        proposed=bool(evaluation.get("proposed")),
        rerun=rerun,
    )
    _count(application.service_id, region, hour_of(decision.decided_at), evaluation["rules"])
    if check and observation.pk % MonitorSettings.current().check_every == 0:
        check_spikes(application.service)
    return observation


def _count(service_id: int, region: str, hour: dt.datetime, results: list[dict[str, Any]]) -> None:
    """Add one evaluation to the hourly tally of every rule: one UPDATE for all rules, an INSERT (in a savepoint,
    on the unique bucket) only for the first evaluation of a rule in a region in an hour."""
    rule_ids = [r["rule_id"] for r in results]
    failed = [r["rule_id"] for r in results if r.get("status") == "failed"]
    unknown = [r["rule_id"] for r in results if r.get("status") == "unknown"]
    if _add_to_tallies(service_id, region, hour, rule_ids, failed, unknown) == len(rule_ids):
        return
    bucket = RuleTally.objects.filter(service_id=service_id, region_code=region, hour=hour)
    present = set(bucket.filter(rule_id__in=rule_ids).values_list("rule_id", flat=True))
    for rule_id in rule_ids:
        if rule_id in present:
            continue
        key = {"service_id": service_id, "rule_id": rule_id, "region_code": region, "hour": hour}
        try:
            with transaction.atomic():  # a savepoint: if a concurrent first insert wins, add to its row
                RuleTally.objects.create(
                    **key, evaluated=1, failed=int(rule_id in failed), unknown=int(rule_id in unknown)
                )
        except IntegrityError:
            RuleTally.objects.filter(**key).update(
                evaluated=F("evaluated") + 1,
                failed=F("failed") + int(rule_id in failed),
                unknown=F("unknown") + int(rule_id in unknown),
            )


def _add_to_tallies(
    service_id: int,
    region: str,
    hour: dt.datetime,
    rule_ids: list[str],
    failed: list[str],
    unknown: list[str],
) -> int:
    """One UPDATE for every rule's existing row in the bucket; returns how many rows it changed. Plain SQL:
    every decision runs it, and compiling the ORM's CASE expressions cost several times the statement itself."""
    quote, marks = connection.ops.quote_name, lambda ids: ", ".join(["%s"] * len(ids))

    def plus(column: str, ids: list[str]) -> tuple[str, list[str]]:
        if not ids:
            return f"{quote(column)}", []
        return f"{quote(column)} + CASE WHEN rule_id IN ({marks(ids)}) THEN 1 ELSE 0 END", ids

    failed_sql, failed_params = plus("failed", failed)
    unknown_sql, unknown_params = plus("unknown", unknown)
    evaluated, failed_column, unknown_column, hour_column = map(
        quote, ("evaluated", "failed", "unknown", "hour")
    )
    sql = (
        f"UPDATE {quote(RuleTally._meta.db_table)} SET {evaluated} = {evaluated} + 1, "  # noqa: S608 (our names)
        f"{failed_column} = {failed_sql}, {unknown_column} = {unknown_sql} "
        f"WHERE service_id = %s AND region_code = %s AND {hour_column} = %s AND rule_id IN ({marks(rule_ids)})"
    )
    hour_value = connection.ops.adapt_datetimefield_value(hour)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*failed_params, *unknown_params, service_id, region, hour_value, *rule_ids])
        return cursor.rowcount


# --- spike detection and circuit breakers ------------------------------------------------------------------------
@dataclass
class SpikeCheck:
    service: str
    checked_at: dt.datetime
    groups_tested: int = 0
    spikes: list[dict[str, Any]] = field(default_factory=list)
    opened: list[int] = field(default_factory=list)


def check_spikes(service, *, now: dt.datetime | None = None) -> SpikeCheck:
    """Test each deny rule × region for a rise in failures (stats.detect_spikes); on a spike, open that rule's
    breaker for the region and alert the agency's analysts. Checks of one service are serialised."""
    config = MonitorSettings.current()
    now = now or timezone.now()
    result = SpikeCheck(service=service.slug, checked_at=now)
    with transaction.atomic():
        state, _ = MonitorState.objects.get_or_create(service=service)
        state = MonitorState.objects.select_for_update().get(pk=state.pk)
        rule_set = rulebook.rule_set_in_force(service.slug, timezone.localdate(now))
        deny_rules = {r.id: r for r in rule_set.rules if r.on_fail == "deny"} if rule_set else {}
        groups = _groups(service, deny_rules, now, config)
        covered = list(
            CircuitBreaker.objects.filter(service=service, closed_at__isnull=True).values_list(
                "rule_id", "region_code"
            )
        )
        groups = [g for g in groups if not _covered(g.key, covered)]
        tests = stats.detect_spikes(
            groups,
            alpha=config.alpha,
            min_recent=config.min_recent,
            min_baseline=config.min_baseline,
            min_excess=config.min_excess,
        )
        result.groups_tested = len(tests)
        for test in tests:
            if not test.spike:
                continue
            rule_id, region = test.key
            figures = {**test.as_dict(), "window": _window(now, config)}
            result.spikes.append({"rule_id": rule_id, "region_code": region, **figures})
            breaker = _open(
                service=service,
                rule_id=rule_id,
                region_code=region,
                actor=None,
                reason=_spike_reason(deny_rules[rule_id].title, region, test),
                statistics=figures,
            )
            result.opened.append(breaker.pk)
        state.last_checked_at = now
        state.last_result = {"groups_tested": result.groups_tested, "spikes": len(result.spikes)}
        state.save()
    return result


def _window(now: dt.datetime, config: MonitorSettings) -> dict[str, str]:
    recent_start = hour_of(now) - dt.timedelta(hours=config.recent_hours - 1)
    baseline_start = recent_start - dt.timedelta(days=config.baseline_days)
    return {
        "recent_from": recent_start.isoformat(),
        "baseline_from": baseline_start.isoformat(),
        "baseline_until": recent_start.isoformat(),
    }


def _groups(service, deny_rules, now: dt.datetime, config: MonitorSettings) -> list[stats.SpikeGroup]:
    if not deny_rules:
        return []
    recent_start = hour_of(now) - dt.timedelta(hours=config.recent_hours - 1)
    baseline_start = recent_start - dt.timedelta(days=config.baseline_days)

    def part(column: str, recent: bool):
        condition = {"hour__gte": recent_start} if recent else {"hour__lt": recent_start}
        return Sum(Case(When(**condition, then=column), default=0, output_field=IntegerField()))

    rows = (
        RuleTally.objects.filter(service=service, rule_id__in=list(deny_rules), hour__gte=baseline_start)
        .exclude(region_code="")
        .annotate(region=Substr("region_code", 1, config.region_level))
        .values("rule_id", "region")
        .annotate(
            rn=part("evaluated", True),
            rk=part("failed", True),
            bn=part("evaluated", False),
            bk=part("failed", False),
        )
        .order_by("rule_id", "region")
    )
    groups = [stats.SpikeGroup((r["rule_id"], r["region"]), r["rn"], r["rk"], r["bn"], r["bk"]) for r in rows]
    groups = stats.with_pooled_baselines(groups, rule_of=lambda key: key[0], min_baseline=config.min_baseline)
    return _since_closed(service, groups, recent_start)


def _since_closed(
    service, groups: list[stats.SpikeGroup], recent_start: dt.datetime
) -> list[stats.SpikeGroup]:
    """A breaker closed inside the recent window was closed over the failures in it: for its rule and region the
    recent window starts at the first full hour after the close, so the next check does not reopen it at once
    for the very decisions the analyst has already judged (tallies are hourly, hence the full hour)."""
    closed = list(
        CircuitBreaker.objects.filter(service=service, closed_at__gte=recent_start).values_list(
            "rule_id", "region_code", "closed_at"
        )
    )
    if not closed:
        return groups
    result = []
    for group in groups:
        rule_id, region = group.key
        since = [
            hour_of(closed_at) + dt.timedelta(hours=1)
            for rule, prefix, closed_at in closed
            if rule == rule_id and (not prefix or region.startswith(prefix) or prefix.startswith(region))
        ]
        if not since:
            result.append(group)
            continue
        after = RuleTally.objects.filter(
            service=service, rule_id=rule_id, region_code__startswith=region, hour__gte=max(since)
        ).aggregate(n=Sum("evaluated"), k=Sum("failed"))
        result.append(replace(group, recent_n=after["n"] or 0, recent_failed=after["k"] or 0))
    return result


def _covered(key: tuple[str, str], open_rows: list[tuple[str, str | None]]) -> bool:
    rule_id, region = key
    return any(rule == rule_id and (not prefix or region.startswith(prefix)) for rule, prefix in open_rows)


def _spike_reason(title: str, region: str, test: stats.SpikeTest) -> str:
    """The reason stored with an automatic breaker: in Bahasa Indonesia, the record's language."""
    with override("id"):
        return spike_reason(title, region, test.as_dict())


def spike_reason(title: str, region: str, figures: dict[str, Any]) -> str:
    """Why the spike check opened a breaker, from its recorded figures, in the current language with its numbers
    written that language's way (the breaker page reads it in the reader's language)."""
    if figures.get("z") is not None:
        statistic = "z = " + format_number(figures["z"], 2)
    else:
        statistic = gettext("exact binomial test, p = %(p)s") % {"p": format_significant(figures["p_value"])}
    return gettext(
        "Spike in failures of the rule '%(title)s' in region %(region)s: %(failed)s of %(n)s (%(recent)s) in the "
        "recent window, against %(baseline)s in the comparison period (%(statistic)s; threshold p ≤ "
        "%(threshold)s after the Bonferroni correction for %(groups)s groups). Refusals by this rule go to an "
        "officer until an analyst closes the breaker."
    ) % {
        "title": title,
        "region": region,
        "failed": figures["recent_failed"],
        "n": figures["recent_n"],
        "recent": format_percent(figures["recent_rate"], 0),
        "baseline": format_percent(figures["baseline_rate"], 0),
        "statistic": statistic,
        "threshold": format_significant(figures["threshold"]),
        "groups": figures["groups_tested"],
    }


def open_breaker(
    service, *, rule_id: str, region_code: str | None, actor, reason: str, statistics: dict | None = None
) -> CircuitBreaker:
    """An analyst opens a breaker by hand (the spike check opens them automatically)."""
    access.require_act(actor, service.agency_id)
    if not reason.strip():
        raise ValidationFailed(gettext("Write why the breaker is opened."), code="reason_required")
    region_code = (region_code or "").replace(".", "").strip() or None
    if region_code is not None and not (region_code.isdigit() and region_exists(region_code)):
        raise ValidationFailed(
            gettext(
                "Unknown region code. Write an existing Kemendagri code (for example 3204 for Kabupaten Bandung) or leave it empty for all regions."
            ),
            code="region_unknown",
            details={"region_code": region_code},
        )
    known = sorted({rule.id for rule_set in rulebook.rule_sets_for(service.slug) for rule in rule_set.rules})
    if rule_id not in known:  # a breaker for a rule that does not exist would guard nothing (issue 21)
        raise ValidationFailed(
            gettext("Rule '%(rule)s' is not among this service's rules; choose one of its rules.")
            % {"rule": rule_id[:80]},
            code="unknown_rule",
            details={"field": "rule_id", "known": known},
        )
    with transaction.atomic():
        return _open(
            service=service,
            rule_id=rule_id,
            region_code=region_code,
            actor=actor,
            reason=reason.strip(),
            statistics=statistics or {},
        )


def _open(
    *, service, rule_id: str, region_code: str | None, actor, reason: str, statistics: dict
) -> CircuitBreaker:
    if CircuitBreaker.objects.filter(
        service=service, rule_id=rule_id, region_code=region_code, closed_at__isnull=True
    ).exists():
        raise Conflict(
            gettext("A breaker for this rule and region is already open."), code="breaker_already_open"
        )
    breaker = CircuitBreaker.objects.create(
        service=service,
        rule_id=rule_id,
        region_code=region_code,
        opened_at=timezone.now(),
        opened_by=actor,
        reason=reason,
        statistics=statistics,
    )
    audit.record_event(
        actor=actor,
        action=Action.BREAKER_OPENED,
        subject=breaker_subject(breaker),
        data={
            "service": service.slug,
            "rule_id": rule_id,
            "region_code": region_code,
            "automatic": actor is None,
            "statistics": statistics,
        },
    )
    # Darurat: the on-duty analyst now, at any hour; the backup after 15 minutes unacknowledged (pamong.staffing).
    staffing.notify_on_duty(
        agency=service.agency,
        function="alerts",
        urgency="darurat",
        template="breaker_opened",
        context={
            "service": service.name,
            "rule_id": rule_id,
            "region": region_code or "semua wilayah",
            "reason": reason,
            "automatic": actor is None,
            "url": f"/pengawasan/pemutus/{breaker.pk}/",
        },
    )
    return breaker


def open_provisional_breaker(
    service, *, rule_id: str, region_code: str | None, reason: str, statistics: dict
) -> CircuitBreaker:
    """Opened by the platform on officers' flags (pamong.oversight.guard), in the flag's transaction."""
    return _open(
        service=service,
        rule_id=rule_id,
        region_code=region_code,
        actor=None,
        reason=reason,
        statistics=statistics,
    )


def close_breaker(breaker: CircuitBreaker, *, actor, justification: str) -> CircuitBreaker:
    """Close an open breaker: an analyst or supervisor of the agency, with a written justification."""
    access.require_act(actor, breaker.service.agency_id)
    text = justification.strip()
    if len(text) < MIN_JUSTIFICATION:
        raise ValidationFailed(
            gettext(
                "Write why it is closed (at least %(min)s characters): what was checked and why this rule can be "
                "trusted again."
            )
            % {"min": MIN_JUSTIFICATION},
            code="justification_required",
        )
    with transaction.atomic():
        breaker = (
            CircuitBreaker.objects.select_for_update(of=("self",))
            .select_related("service")
            .get(pk=breaker.pk)
        )
        if breaker.closed_at is not None:
            raise Conflict(gettext("This breaker is already closed."), code="breaker_already_closed")
        breaker.closed_at = timezone.now()
        breaker.closed_by = actor
        breaker.close_justification = text
        breaker.save(update_fields=["closed_at", "closed_by", "close_justification"])
        audit.record_event(
            actor=actor,
            action=Action.BREAKER_CLOSED,
            subject=breaker_subject(breaker),
            data={
                "service": breaker.service.slug,
                "rule_id": breaker.rule_id,
                "region_code": breaker.region_code,
                "justification": text,
            },
        )
    return breaker


def check_all_services() -> int:
    """The periodic job: one spike check per automated service. Returns the number of breakers opened."""
    opened = 0
    for service in Service.objects.filter(automated=True):
        try:
            opened += len(check_spikes(service).opened)
        except Exception:  # one service's failure must not stop the others' checks
            logger.exception("spike check failed for %s", service.slug)
    return opened


# --- repair after a data fix ------------------------------------------------------------------------------------
@dataclass
class RerunReport:
    service: str
    region_code: str
    candidates: int = 0
    reopened: list[str] = field(default_factory=list)  # application references, back under review
    updated: list[str] = field(default_factory=list)  # pending proposals replaced by a new one
    unchanged: int = 0
    skipped: int = 0


def rerun_candidates(service, *, region_code: str, actor) -> tuple[str, list[int]]:
    """The region (digits) and the refused applications a re-run would check, oldest first: what the person
    confirming a re-run is shown before any citizen is told anything."""
    access.require_act(actor, service.agency_id)
    region = (region_code or "").replace(".", "").strip()
    if not region.isdigit():
        raise ValidationFailed(
            gettext("Give the region code (digits), for example 3204."), code="region_required"
        )
    in_region = DecisionObservation.objects.filter(service=service, region_code__startswith=region).values(
        "application_id"
    )
    latest_outcome = (
        Decision.objects.filter(application=OuterRef("pk"))
        .order_by("-decided_at", "-pk")
        .values("outcome")[:1]
    )
    candidates = list(
        Application.objects.filter(
            service=service,
            pk__in=in_region,
            status__in=[Application.Status.DENIED, Application.Status.UNDER_REVIEW],
        )
        .annotate(latest_outcome=Subquery(latest_outcome))
        .filter(latest_outcome=Decision.Outcome.DENY)  # only denials (refused, or a refusal proposed)
        .order_by("filed_at")
        .values_list("pk", flat=True)
    )
    return region, candidates


def rerun_preview(service, *, region_code: str, actor) -> dict[str, Any]:
    """What a re-run would touch, before it runs: how many refusals it checks, and how many citizens at most
    would be told (the refused ones, if re-opened). Nothing is written and nobody is notified."""
    region, candidates = rerun_candidates(service, region_code=region_code, actor=actor)
    refused = Application.objects.filter(pk__in=candidates, status=Application.Status.DENIED).count()
    return {"region_code": region, "candidates": len(candidates), "citizens_at_most": refused}


def rerun_decisions(service, *, region_code: str, actor) -> RerunReport:
    """Re-run the rules on the service's denials in a region after its data was corrected.

    - a refused application (DENIED) whose rules no longer deny is re-opened: back under review with a new
      PROPOSAL decision (the rules' new result) for a person to confirm, a new decision date, and the citizen is
      told;
    - an application under review whose latest proposal was DENY gets the new proposal when it differs.
    The rules run exactly as on a new application (facts gathered again for the filing date, open breakers
    applied). One transaction per application, so a long re-run never holds the database.
    """
    region, candidates = rerun_candidates(service, region_code=region_code, actor=actor)
    report = RerunReport(service=service.slug, region_code=region)
    with transaction.atomic():
        audit.record_event(
            actor=actor,
            action=Action.RERUN_STARTED,
            subject=f"catalog.service:{service.slug}",
            data={"region_code": region, "candidates": len(candidates)},
        )
    report.candidates = len(candidates)
    for pk in candidates:
        outcome = reevaluate_application(pk, actor=actor, repair=True)
        if outcome is None:
            report.skipped += 1
        elif outcome[0] == "reopened":
            report.reopened.append(outcome[1])
        elif outcome[0] == "updated":
            report.updated.append(outcome[1])
        else:
            report.unchanged += 1
    return report


def reevaluate_application(pk, *, actor, repair: bool) -> tuple[str, str] | None:
    """Run the rules again on one application: the cases module's re-run service (facts gathered first, then
    one short transaction). See `pamong.cases.services.rerun_application`."""
    return cases.rerun_application(pk, actor=actor, repair=repair)

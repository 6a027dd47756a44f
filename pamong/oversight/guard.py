"""Officers' voice and guard, oversight's side (issue 13).

- Flags: when two different officers flag the same rule for the same region within 24 hours, a *provisional*
  breaker opens for that rule and region (the rule's refusals go to a person) until an analyst looks at it.
- Review patterns: per officer, the share of the rules' proposals confirmed, the median time on a case and the
  decisions made in under a minute. An officer who confirms at least 98% of at least 50 proposals with a median
  under 60 seconds is pointed out to the supervisors once a week, worded as coaching (never appraisal).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import override

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.audit.models import AuditEntry
from pamong.cases import rulebook
from pamong.cases.models import DataCorrectionRequest, Decision, RuleFlag
from pamong.catalog.models import Service
from pamong.core.formatting import format_number
from pamong.staffing.routing import notify_on_duty

from . import selectors, services

FLAG_WINDOW = dt.timedelta(hours=24)
FLAGS_TO_OPEN = 2
PATTERN_MIN_PROPOSALS = 50
PATTERN_SHARE = 0.98
PATTERN_MEDIAN_SECONDS = 60.0
PATTERN_WINDOW = 200  # the officer's most recent decisions on proposals looked at
ALERT_EVERY = dt.timedelta(days=7)
DECIDED = (Decision.Outcome.GRANT, Decision.Outcome.DENY)


# --- flags --------------------------------------------------------------------------------------------------
def flag_received(flag: RuleFlag) -> bool:
    """In the flag's transaction. True when this flag opened a provisional breaker."""
    since = flag.flagged_at - FLAG_WINDOW
    officers = (
        RuleFlag.objects.filter(
            service_id=flag.service_id,
            rule_id=flag.rule_id,
            region_code=flag.region_code,
            flagged_at__gte=since,
        )
        .values("flagged_by")
        .distinct()
        .count()
    )
    if officers < FLAGS_TO_OPEN:
        return False
    held = selectors.open_breaker_rule_ids(service_slug=flag.service.slug, region_code=flag.region_code)
    if flag.rule_id in held:
        return False
    services.open_provisional_breaker(
        flag.service,
        rule_id=flag.rule_id,
        region_code=flag.region_code or None,
        reason=f"Pemutus sementara: {officers} petugas menandai aturan ini dalam 24 jam terakhir.",
        statistics={"provisional": True, "flags": officers},
    )
    return True


# --- review patterns ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewPattern:
    officer_id: int
    proposals: int  # decisions on a GRANT or DENY proposal
    confirmed: int
    median_seconds: float | None
    under_minute: int

    @property
    def share(self) -> float:
        return self.confirmed / self.proposals if self.proposals else 0.0

    @property
    def rubber_stamp(self) -> bool:
        """Confirms (nearly) everything, fast: ≥98% of ≥50 proposals with a median under 60 s. Exact integers:
        confirmed * 100 >= 98 * proposals."""
        return (
            self.proposals >= PATTERN_MIN_PROPOSALS
            and self.confirmed * 100 >= round(PATTERN_SHARE * 100) * self.proposals
            and self.median_seconds is not None
            and self.median_seconds < PATTERN_MEDIAN_SECONDS
        )


def review_pattern(officer_id: int, *, limit: int = PATTERN_WINDOW) -> ReviewPattern:
    """The officer's recent decisions on the rules' proposals. Time on a case: from the later of the proposal and
    the officer's previous decision to this decision (claiming is not recorded; this is what the officer could
    have spent on it)."""
    decisions = list(
        Decision.objects.filter(
            decided_by_id=officer_id, kind__in=(Decision.Kind.HUMAN, Decision.Kind.OVERRIDE)
        )
        .order_by("-decided_at", "-pk")
        .only("pk", "application_id", "decided_at", "outcome", "kind", "evaluation")[:limit]
    )
    decisions.reverse()
    proposed_at = dict(
        Decision.objects.filter(
            application_id__in={d.application_id for d in decisions}, kind=Decision.Kind.PROPOSAL
        )
        .values("application_id")
        .annotate(last=Max("decided_at"))
        .values_list("application_id", "last")
    )
    proposals = confirmed = under_minute = 0
    seconds: list[float] = []
    previous: dt.datetime | None = None
    for decision in decisions:
        machine = (decision.evaluation or {}).get("outcome")
        moments = [t for t in (proposed_at.get(decision.application_id), previous) if t is not None]
        start = max(moments) if moments else None
        previous = decision.decided_at
        if machine not in DECIDED:
            continue
        proposals += 1
        confirmed += decision.kind == Decision.Kind.HUMAN and decision.outcome == machine
        if start is not None:
            spent = max(0.0, (decision.decided_at - start).total_seconds())
            seconds.append(spent)
            under_minute += spent < 60
    median = statistics.median(seconds) if seconds else None
    return ReviewPattern(officer_id, proposals, confirmed, median, under_minute)


def officer_patterns(agency_id: int) -> list[tuple[User, ReviewPattern]]:
    """Every officer of the agency who decided a proposal, for the oversight dashboard."""
    officers = User.objects.filter(
        agency_id=agency_id, groups__name__in=(roles.PETUGAS, roles.SUPERVISOR)
    ).distinct()
    rows = [(officer, review_pattern(officer.pk)) for officer in officers.order_by("username")]
    return [(officer, pattern) for officer, pattern in rows if pattern.proposals]


def officer_subject(officer_id: int) -> str:
    return f"accounts.user:{officer_id}:review-pattern"


def review_decided(decision: Decision) -> None:
    """In the decision's transaction: look at the officer's pattern; alert the supervisors once a week."""
    officer = decision.decided_by
    if officer is None or officer.agency_id is None:
        return
    pattern = review_pattern(officer.pk)
    if not pattern.rubber_stamp:
        return
    subject = officer_subject(officer.pk)
    recent = timezone.now() - ALERT_EVERY
    if AuditEntry.objects.filter(
        subject=subject, action=Action.REVIEW_PATTERN_ALERTED, created_at__gte=recent
    ).exists():
        return
    audit.record_event(
        actor=None,
        action=Action.REVIEW_PATTERN_ALERTED,
        subject=subject,
        data={
            "proposals": pattern.proposals,
            "confirmed": pattern.confirmed,
            "median_seconds": pattern.median_seconds,
            "under_minute": pattern.under_minute,
        },
    )
    notify_on_duty(
        agency=officer.agency,
        function="supervision",
        urgency="biasa",
        template="review_pattern",
        context={
            "officer": officer.get_full_name() or officer.username,
            "count": pattern.proposals,
            "share": f"{pattern.share:.0%}",
            "median": f"{pattern.median_seconds:.0f}",
            "url": "/pengawasan/",
        },
    )


# --- the dashboard's view of it --------------------------------------------------------------------------
def dashboard_voice(service) -> dict:
    """For the oversight dashboard: per-officer review patterns of the agency (coaching, not appraisal), the
    officers' flags on this service's rules in the last 30 days (counted per rule: who flagged is not shown),
    and the citizens' data correction requests (open, overdue, answered)."""
    since = timezone.now() - dt.timedelta(days=30)
    flags = (
        RuleFlag.objects.filter(service=service, flagged_at__gte=since)
        .values("rule_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "rule_id")
    )
    corrections = DataCorrectionRequest.objects.filter(application__service=service)
    today = timezone.localdate()
    titles = rulebook.rule_titles(service.slug)
    return {
        "patterns": [
            {
                "officer": officer.get_full_name() or officer.username,
                "proposals": pattern.proposals,
                "share": pattern.share,
                "median": pattern.median_seconds,
                "under_minute": pattern.under_minute,
                "rubber_stamp": pattern.rubber_stamp,
            }
            for officer, pattern in officer_patterns(service.agency_id)
        ],
        "flags": [{**row, "title": titles[row["rule_id"]]} for row in flags],
        "corrections_open": corrections.filter(status=DataCorrectionRequest.Status.OPEN).count(),
        "corrections_overdue": corrections.filter(
            status=DataCorrectionRequest.Status.OPEN, due__lt=today
        ).count(),
        "corrections_corrected": corrections.filter(status=DataCorrectionRequest.Status.CORRECTED).count(),
    }


def _flagged_groups(flagged: list[dict]) -> str:
    """The flagged groups as the notice (in Bahasa Indonesia) names them: a feature by its words, never its code,
    and the ratio with an Indonesian decimal comma."""
    with override("id"):
        return "; ".join(
            f"{f['lowest']} ({str(selectors.FEATURE_TEXT.get(f['feature'], f['feature'])).lower()}, "
            f"rasio {format_number(f['ratio'], 2)})"
            for f in flagged
        )


# --- fairness alert -------------------------------------------------------------------------------------------
FAIRNESS_ALERT_EVERY = dt.timedelta(days=7)


def check_fairness(service, *, now: dt.datetime | None = None) -> list[str]:
    """The rules' grant rates of the last 30 days per group (region, kota/kabupaten, channel, sex, age band,
    disability): a feature below four fifths alerts the agency's analysts (else supervisors, else operators), at
    most once a week per service. Returns the flagged features."""
    now = now or timezone.now()
    report = selectors.fairness(
        service, selectors.last_days(30, timezone.localtime(now).date()), basis="rules"
    )
    flagged = [f for f in report["features"] if f["flagged"]]
    if not flagged:
        return []
    subject = f"catalog.service:{service.slug}:fairness"
    if AuditEntry.objects.filter(
        subject=subject, action=Action.FAIRNESS_ALERTED, created_at__gte=now - FAIRNESS_ALERT_EVERY
    ).exists():
        return [f["feature"] for f in flagged]
    with transaction.atomic():
        audit.record_event(
            actor=None,
            action=Action.FAIRNESS_ALERTED,
            subject=subject,
            data={
                "features": [
                    {"feature": f["feature"], "ratio": f["ratio"], "lowest": f["lowest"]} for f in flagged
                ]
            },
        )
        notify_on_duty(
            agency=service.agency,
            function="alerts",
            urgency="mendesak",
            template="fairness_alert",
            context={
                "service": service.name,
                "groups": _flagged_groups(flagged),
                "url": f"/pengawasan/keadilan/?layanan={service.slug}",
            },
        )
    return [f["feature"] for f in flagged]


def check_fairness_of_all_services() -> int:
    """The daily job: one fairness check per automated service. Returns how many services were flagged."""
    flagged = 0
    for service in Service.objects.filter(automated=True).select_related("agency"):
        flagged += bool(check_fairness(service))
    return flagged

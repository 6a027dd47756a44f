"""Reads of oversight: open circuit breakers (called on every decision: one query), the region an application
is counted under, and the aggregates behind the dashboard, the fairness report and the algorithm register.
Aggregation happens in SQL (values/annotate); Python only shapes the few rows that come back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from pamong.accounts import roles
from pamong.cases import rulebook
from pamong.cases.models import Application, Decision
from pamong.core import generations
from pamong.registry.models import Person
from pamong.registry.nik import NikError, parse_nik

from . import access, stats
from .models import CircuitBreaker, DecisionObservation, Job, RuleSetDraft, RuleTally

REGION_LEVEL = 4  # spike detection and the charts group by regency/city (4 digits); 6 = district (kecamatan)


def open_breaker_rule_ids(*, service_slug: str, region_code: str | None) -> frozenset[str]:
    """Rule ids whose breaker is open for this service and region (a breaker's region is a prefix of the
    application's region; no region = every region). The decision path asks every time: the open breakers are
    read once per generation of the "rules" tables (pamong.core.generations), which any write to a breaker
    changes in its own transaction, so a breaker holds its rules from the moment it is committed."""
    rows = generations.cached(
        "rules", ("open_breakers", service_slug), lambda: _open_breakers_of(service_slug)
    )
    region = region_code or ""
    return frozenset(rule for rule, prefix in rows if not prefix or region.startswith(prefix))


def _open_breakers_of(service_slug: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        CircuitBreaker.objects.filter(service__slug=service_slug, closed_at__isnull=True).values_list(
            "rule_id", "region_code"
        )
    )


def open_breakers(*, service=None, agency_id: int | None = None) -> QuerySet[CircuitBreaker]:
    breakers = CircuitBreaker.objects.filter(closed_at__isnull=True).select_related("service", "opened_by")
    if service is not None:
        breakers = breakers.filter(service=service)
    if agency_id is not None:
        breakers = breakers.filter(service__agency_id=agency_id)
    return breakers.order_by("-opened_at")


def breaker_list(*, service=None, agency_id: int | None = None, limit: int = 50) -> list[CircuitBreaker]:
    """The latest breakers, each with ``rule_title`` (its rule's title in the reader's language)."""
    breakers = CircuitBreaker.objects.select_related("service", "opened_by", "closed_by")
    if service is not None:
        breakers = breakers.filter(service=service)
    if agency_id is not None:
        breakers = breakers.filter(service__agency_id=agency_id)
    return with_rule_titles(list(breakers.order_by("-opened_at")[:limit]))


def with_rule_titles(breakers: list[CircuitBreaker]) -> list[CircuitBreaker]:
    """Sets ``rule_title`` on each breaker, for pages: a page names a rule by its title, never its id."""
    titles: dict[str, rulebook.RuleTitles] = {}
    for breaker in breakers:
        slug = breaker.service.slug
        if slug not in titles:
            titles[slug] = rulebook.rule_titles(slug)
        breaker.rule_title = titles[slug][breaker.rule_id]
    return breakers


def drafts_awaiting(user) -> list[RuleSetDraft]:
    """Drafts of the supervisor's agency waiting for a second approver who did not write them (empty for others)."""
    if roles.SUPERVISOR not in access.role_names(user) or user.agency_id is None:
        return []
    return list(
        RuleSetDraft.objects.filter(service__agency_id=user.agency_id, status=RuleSetDraft.Status.DRAFT)
        .exclude(created_by=user)
        .select_related("service", "created_by")
        .order_by("created_at")
    )


def draft_list(*, service=None, agency_id: int | None = None) -> QuerySet[RuleSetDraft]:
    drafts = RuleSetDraft.objects.select_related("service", "created_by", "approved_by")
    if service is not None:
        drafts = drafts.filter(service=service)
    if agency_id is not None:
        drafts = drafts.filter(service__agency_id=agency_id)
    return drafts.order_by("-created_at")


def published_drafts(service_slug: str) -> list[tuple[int, str, str]]:
    """(id, content hash, YAML) of the published drafts of a service; rulebook parses and caches them."""
    return list(
        RuleSetDraft.objects.filter(service__slug=service_slug, status=RuleSetDraft.Status.PUBLISHED)
        .order_by("effective_from", "pk")
        .values_list("pk", "content_hash", "yaml_text")
    )


def job_list(*, service=None, limit: int = 10) -> list[Job]:
    jobs = Job.objects.select_related("service", "draft")
    if service is not None:
        jobs = jobs.filter(service=service)
    return list(jobs.order_by("-created_at")[:limit])


# --- the dashboard -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end


def last_days(days: int, today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(today - dt.timedelta(days=days - 1), today)


def outcomes_by_day(service, period: Period) -> dict[dt.date, dict[str, int]]:
    """Rules outcomes (first evaluation and re-runs) per local day: {day: {"GRANT": n, "DENY": n, "REFER": n}}."""
    start, end = period.bounds()
    rows = (
        DecisionObservation.objects.filter(service=service, decided_at__gte=start, decided_at__lt=end)
        .annotate(day=TruncDate("decided_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "outcome")
        .annotate(n=Count("pk"))
    )
    result = {day: dict.fromkeys(Decision.Outcome.values, 0) for day in period.days}
    for row in rows:
        result.setdefault(row["day"], dict.fromkeys(Decision.Outcome.values, 0))[row["outcome"]] = row["n"]
    return result


def outcomes_by_region(service, period: Period, level: int = REGION_LEVEL) -> list[dict[str, Any]]:
    start, end = period.bounds()
    rows = (
        DecisionObservation.objects.filter(service=service, decided_at__gte=start, decided_at__lt=end)
        .annotate(region=Substr("region_code", 1, level))
        .values("region")
        .annotate(
            n=Count("pk"),
            granted=Count("pk", filter=Q(outcome=Decision.Outcome.GRANT)),
            denied=Count("pk", filter=Q(outcome=Decision.Outcome.DENY)),
            referred=Count("pk", filter=Q(outcome=Decision.Outcome.REFER)),
        )
        .order_by("region")
    )
    return [dict(row) for row in rows]


def rule_failures(service, period: Period) -> list[dict[str, Any]]:
    """Per rule: evaluations, failures and unknowns in the period (from the hourly tallies)."""
    start, end = period.bounds()
    rows = (
        RuleTally.objects.filter(service=service, hour__gte=start, hour__lt=end)
        .values("rule_id")
        .annotate(n=Sum("evaluated"), failed=Sum("failed"), unknown=Sum("unknown"))
        .order_by("rule_id")
    )
    return [dict(row) for row in rows]


def rule_failures_by_region(service, period: Period, level: int = REGION_LEVEL) -> list[dict[str, Any]]:
    start, end = period.bounds()
    rows = (
        RuleTally.objects.filter(service=service, hour__gte=start, hour__lt=end)
        .annotate(region=Substr("region_code", 1, level))
        .values("rule_id", "region")
        .annotate(n=Sum("evaluated"), failed=Sum("failed"))
        .order_by("rule_id", "region")
    )
    return [dict(row) for row in rows]


def decision_kinds_by_day(service, period: Period) -> dict[dt.date, dict[str, int]]:
    """Decisions per day and kind (automatic, proposal, human, override, deemed...): referral and override rates."""
    start, end = period.bounds()
    rows = (
        Decision.objects.filter(application__service=service, decided_at__gte=start, decided_at__lt=end)
        .annotate(day=TruncDate("decided_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "kind")
        .annotate(n=Count("pk"))
    )
    result: dict[dt.date, dict[str, int]] = {day: {} for day in period.days}
    for row in rows:
        result.setdefault(row["day"], {})[row["kind"]] = row["n"]
    return result


def sla_summary(service, period: Period, today: dt.date | None = None) -> dict[str, int]:
    """Final decisions in the period made by their due date, late or deemed granted; the open backlog."""
    today = today or timezone.localdate()
    start, end = period.bounds()
    first_final = Decision.objects.filter(
        application__service=service,
        final=True,
        decided_at__gte=start,
        decided_at__lt=end,
        kind__in=["automatic", "human", "override", "deemed"],
    )
    decided = first_final.aggregate(
        total=Count("pk"),
        deemed=Count("pk", filter=Q(kind="deemed")),
        on_time=Count(
            "pk",
            filter=Q(decided_at__date__lte=F("application__decision_due")) & ~Q(kind="deemed"),
        ),
    )
    open_status = [Application.Status.UNDER_REVIEW, Application.Status.INFO_REQUESTED]
    backlog = Application.objects.filter(service=service, status__in=open_status).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(decision_due__lt=today, status=Application.Status.UNDER_REVIEW)),
        due_soon=Count(
            "pk", filter=Q(decision_due__gte=today, decision_due__lte=today + dt.timedelta(days=2))
        ),
    )
    return {**decided, **backlog}


def dashboard(service, period: Period, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the dashboard shows for one service, as plain numbers (the JSON endpoint returns this)."""
    by_day = outcomes_by_day(service, period)
    kinds = decision_kinds_by_day(service, period)
    totals = {k: sum(day[k] for day in by_day.values()) for k in Decision.Outcome.values}
    evaluated = sum(totals.values())
    human = sum(day.get("human", 0) + day.get("override", 0) for day in kinds.values())
    overrides = sum(day.get("override", 0) for day in kinds.values())
    sla = sla_summary(service, period, today)
    titles = rulebook.rule_titles(service.slug)  # pages show titles; rule_id stays for links, forms, API
    return {
        "service": service.slug,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "totals": {**totals, "evaluated": evaluated},
        "referral_rate": stats.rate(
            totals[Decision.Outcome.REFER] + _proposed_denials(service, period), evaluated
        ),
        "override_rate": stats.rate(overrides, human),
        "sla": {**sla, "compliance": stats.rate(sla["on_time"], sla["total"])},
        "by_day": [{"day": day.isoformat(), **counts} for day, counts in sorted(by_day.items())],
        "kinds_by_day": [{"day": day.isoformat(), **counts} for day, counts in sorted(kinds.items())],
        "by_region": outcomes_by_region(service, period),
        "rules": [{**row, "title": titles[row["rule_id"]]} for row in rule_failures(service, period)],
        "open_breakers": [
            {**breaker_dict(b), "title": titles[b.rule_id]} for b in open_breakers(service=service)
        ],
    }


def _proposed_denials(service, period: Period) -> int:
    start, end = period.bounds()
    return DecisionObservation.objects.filter(
        service=service,
        decided_at__gte=start,
        decided_at__lt=end,
        outcome=Decision.Outcome.DENY,
        proposed=True,
    ).count()


def breaker_dict(breaker: CircuitBreaker) -> dict[str, Any]:
    return {
        "id": breaker.pk,
        "service": breaker.service.slug,
        "rule_id": breaker.rule_id,
        "region_code": breaker.region_code,
        "opened_at": breaker.opened_at.isoformat(),
        "automatic": breaker.automatic,
        "reason": breaker.reason,
        "statistics": breaker.statistics,
        "closed_at": breaker.closed_at.isoformat() if breaker.closed_at else None,
        "close_justification": breaker.close_justification,
    }


# --- fairness ----------------------------------------------------------------------------------------------------
FAIRNESS_FEATURES = ("region", "area", "channel", "sex", "age_band", "disability")
SEX_TEXT = {"L": "laki-laki", "P": "perempuan"}
CHANNEL_TEXT = {"web": "portal", "counter": "loket (dibantu petugas)", "api": "sistem lain (API)"}
URBAN, RURAL = "kota (perkotaan)", "kabupaten (perdesaan)"


def area_of(region: str | None) -> str | None:
    """Urban or rural, at regency level: in Kemendagri codes a regency number from 71 up is a *kota* (city),
    below it a *kabupaten* (Permendagri 72/2019 numbering). The digital divide runs mostly along this line."""
    if not region or len(region) < 4 or not region[:4].isdigit():
        return None
    return URBAN if int(region[2:4]) >= 71 else RURAL


def fairness_records(service, period: Period, *, basis: str = "final") -> list[dict[str, Any]]:
    """One record per application filed in the period with a decision: its groups and whether it was selected.

    basis "final": granted or deemed granted (what the citizen got) vs refused (incl. objection/appeal pending);
    applications still being decided are left out. basis "rules": the rules' first outcome was GRANT.
    Sex and age band are *claimed* values read from the NIK (pamong.registry.nik), not registry facts; disability
    comes from the registry (Person.disability). NIKs are decrypted here and never leave this function.
    """
    start, end = period.bounds()
    applications = Application.objects.filter(service=service, filed_at__gte=start, filed_at__lt=end)
    if basis == "final":
        decided = ["granted", "deemed_granted", "denied", "objection", "appeal"]
        applications = applications.filter(status__in=decided)
    first_obs = {
        app_id: (region, outcome)
        for app_id, region, outcome in DecisionObservation.objects.filter(
            service=service, rerun=False, application__in=applications
        ).values_list("application_id", "region_code", "outcome")
    }
    rows = list(
        applications.values_list(
            "pk", "status", "filed_at", "applicant__nik", "applicant__nik_index", "channel"
        )
    )
    disabled = set(
        Person.objects.filter(nik_index__in=[r[4] for r in rows if r[4]], disability=True).values_list(
            "nik_index", flat=True
        )
    )
    registered = set(
        Person.objects.filter(nik_index__in=[r[4] for r in rows if r[4]]).values_list("nik_index", flat=True)
    )
    records = []
    for pk, status, filed_at, nik, nik_index, channel in rows:
        region, outcome = first_obs.get(pk, ("", None))
        if basis == "rules" and outcome is None:
            continue
        filed_on = timezone.localtime(filed_at).date()
        sex, born = _claims(nik, filed_on)
        records.append(
            {
                "application": str(pk),
                "region": region[:REGION_LEVEL] or None,
                "area": area_of(region),
                "channel": CHANNEL_TEXT.get(channel, channel),
                "sex": SEX_TEXT.get(sex) if sex else None,
                "age_band": stats.age_band(born, filed_on),
                "disability": None
                if nik_index not in registered
                else ("penyandang disabilitas" if nik_index in disabled else "tanpa disabilitas"),
                "selected": (status in ("granted", "deemed_granted"))
                if basis == "final"
                else outcome == Decision.Outcome.GRANT,
            }
        )
    return records


def _claims(nik: str | None, on: dt.date) -> tuple[str | None, dt.date | None]:
    if not nik:
        return None, None
    try:
        info = parse_nik(nik, region_exists=lambda _code: True, today=on)
    except NikError:
        return None, None
    return info.claimed_sex, info.claimed_birth_date


# The fairness features as a reader names them (the page, the notice to the analysts).
FEATURE_TEXT = {
    "region": gettext_lazy("Region (regency/city)"),
    "area": gettext_lazy("City or regency (urban/rural)"),
    "channel": gettext_lazy("Channel of the application (portal, counter, API)"),
    "sex": gettext_lazy("Sex (as the NIK says)"),
    "age_band": gettext_lazy("Age group (as the NIK says)"),
    "disability": gettext_lazy("Disability (registry)"),
}


def fairness(service, period: Period, *, basis: str = "final") -> dict[str, Any]:
    records = fairness_records(service, period, basis=basis)
    report = stats.fairness_report(records, FAIRNESS_FEATURES)
    return {
        "service": service.slug,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "basis": basis,
        "applications": len(records),
        "threshold": float(stats.FOUR_FIFTHS),
        "small_sample": stats.SMALL_SAMPLE,
        "claimed_note": gettext(
            "Sex and age group are read from the NIK (claimed values, not civil registration data); "
            "disability from the registry data."
        ),
        "features": [_feature_dict(f) for f in report],
    }


# The groups' labels are made in Bahasa Indonesia (they are compared and counted as they are); a page or an API
# answer shows them in the reader's language through these words (Indonesian catalogue = the labels themselves).
GROUP_WORDS = {
    SEX_TEXT["L"]: gettext_lazy("male"),
    SEX_TEXT["P"]: gettext_lazy("female"),
    CHANNEL_TEXT["web"]: gettext_lazy("portal"),
    CHANNEL_TEXT["counter"]: gettext_lazy("counter (assisted by an officer)"),
    CHANNEL_TEXT["api"]: gettext_lazy("another system (API)"),
    URBAN: gettext_lazy("city (urban)"),
    RURAL: gettext_lazy("regency (rural)"),
    "penyandang disabilitas": gettext_lazy("with a disability"),
    "tanpa disabilitas": gettext_lazy("without a disability"),
    stats.UNKNOWN: gettext_lazy("not known"),
}


def group_words(label: str | None) -> str | None:
    """A fairness group's label in the reader's language (a label without words, e.g. a region code, as it is)."""
    return str(GROUP_WORDS[label]) if label in GROUP_WORDS else label


def _feature_dict(feature: stats.FeatureFairness) -> dict[str, Any]:
    return {
        "feature": feature.feature,
        "ratio": feature.ratio,
        "ratio_large": feature.ratio_large,
        "flagged": feature.flagged,
        "lowest": group_words(feature.lowest),
        "highest": group_words(feature.highest),
        "notes": [str(note) for note in feature.notes],  # in the language of the request (the edge)
        "groups": [
            {
                "label": group_words(g.label),
                "n": g.n,
                "selected": g.selected,
                "rate": g.rate,
                "small": g.small,
            }
            for g in feature.groups
        ],
    }

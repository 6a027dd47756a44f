"""Reads of the surveys module: the IKM of a service or an agency over a period, the population served (for the
minimum sample), the respondents' profile, the comments and the follow-up actions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, QuerySet, Sum
from django.utils import timezone

from pamong.cases.models import Decision
from pamong.catalog.models import Agency, Service

from . import ikm
from .ikm import ELEMENTS, IkmResult, Period
from .models import FollowUpAction, SurveyResponse


def responses_in(services: QuerySet[Service] | list[Service], period: Period) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(service__in=services, month__gte=period.start, month__lt=period.end)


def ikm_of(services, period: Period) -> IkmResult:
    """The regulation's IKM over every response to `services` answered in the period (one database aggregate)."""
    row = responses_in(services, period).aggregate(n=Count("pk"), **{name: Sum(name) for name in ELEMENTS})
    return ikm.from_totals({name: row[name] or 0 for name in ELEMENTS}, row["n"])


def population_served(services, period: Period) -> int:
    """People served in the period: applications whose first final decision falls in it (local dates)."""
    first_final = (
        Decision.objects.filter(application__service__in=services, final=True)
        .values("application")
        .annotate(first=Min("decided_at"))
    )
    start, end = _bounds(period)
    return first_final.filter(first__gte=start, first__lt=end).count()


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    return (
        dt.datetime.combine(period.start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(period.end, dt.time.min, tzinfo=zone),
    )


@dataclass(frozen=True)
class Survey:
    """Everything the report and the public pages show about one service or agency in one period."""

    period: Period
    result: IkmResult
    population: int
    minimum_sample: int

    @property
    def enough(self) -> bool:
        return self.result.respondents >= self.minimum_sample


def survey_of(services, period: Period) -> Survey:
    population = population_served(services, period)
    return Survey(period, ikm_of(services, period), population, ikm.minimum_sample(population))


def profile_counts(services, period: Period) -> dict[str, list[tuple[str, int]]]:
    """Respondents by age band, sex, education and occupation ("" = not given), in the choices' order."""
    rows = responses_in(services, period).values_list("age_band", "sex", "education", "occupation")
    counters = [Counter(), Counter(), Counter(), Counter()]
    for row in rows:
        for counter, value in zip(counters, row, strict=True):
            counter[value] += 1
    out: dict[str, list[tuple[str, int]]] = {}
    for (name, choices), counter in zip(
        (
            ("age_band", SurveyResponse.AgeBand),
            ("sex", SurveyResponse.Sex),
            ("education", SurveyResponse.Education),
            ("occupation", SurveyResponse.Occupation),
        ),
        counters,
        strict=True,
    ):
        out[name] = [(str(label), counter[value]) for value, label in choices.choices] + [("", counter[""])]
    return out


def comments(services, period: Period, *, limit: int = 200) -> list[tuple[str, int]]:
    """The comments, each text once with how many respondents wrote it, sorted by their text (not by time, so no
    comment can be matched to a decision). Comments are encrypted at rest, so they are counted here, not in SQL."""
    counts = Counter(c.strip() for c in responses_in(services, period).values_list("comment", flat=True) if c)
    return sorted(counts.items(), key=lambda item: item[0].casefold())[:limit]


def followups(*, agency: Agency, service: Service | None = None, published_only: bool = False):
    found = FollowUpAction.objects.filter(agency=agency).select_related("service")
    if service is not None:
        found = found.filter(service__in=[service]) | FollowUpAction.objects.filter(
            agency=agency, service__isnull=True
        )
    if published_only:
        found = found.filter(published_at__isnull=False)
    return found.order_by("due", "pk")


def monthly_ikm(services, period: Period) -> list[tuple[dt.date, IkmResult]]:
    """The IKM of each month of the period (trend)."""
    rows = (
        responses_in(services, period)
        .values("month")
        .annotate(n=Count("pk"), **{name: Sum(name) for name in ELEMENTS})
        .order_by("month")
    )
    by_month: dict[dt.date, Any] = {row["month"]: row for row in rows}
    out = []
    for month in ikm.month_labels(period):
        row = by_month.get(month)
        result = ikm.from_totals({n: row[n] for n in ELEMENTS}, row["n"]) if row else IkmResult(respondents=0)
        out.append((month, result))
    return out


def final_decision_exists(application) -> bool:
    return Decision.objects.filter(application=application, final=True).exists()

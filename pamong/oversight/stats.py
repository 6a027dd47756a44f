"""Statistics of oversight, pure Python (no Django): spike detection and fairness. See docs/oversight.md.

Spike detection compares, per group (rule × region), the failure rate in a recent window with the rate in a
trailing, non-overlapping baseline window, one-sided (is the recent rate *higher*?):

    p1 = k1 / n1   (recent)        p2 = k2 / n2   (baseline)        p = (k1 + k2) / (n1 + n2)
    z  = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))                   p-value = 1 - Φ(z)

With m groups tested, an alert needs p-value ≤ α/m (Bonferroni; α = 0.001 is z ≥ 3.09 for one group) and an
excess p1 - p2 of at least `min_excess`. When counts are small (an expected count n1·p2 or n1·(1 - p2) below 5)
the normal approximation is not trusted and the exact binomial test is used instead: P(X ≥ k1) for
X ~ Binomial(n1, p0) with the baseline rate p0 = (k2 + ½) / (n2 + 1) (smoothed so a baseline of zero failures
does not make every failure "infinitely" surprising).

Fairness: the selection (grant) rate of each group, and the ratio of the lowest to the highest rate; below 0.8
the four-fifths rule flags it. Groups smaller than 30 are marked as small samples ("sampel kecil").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from pamong.core.errors import Text, gettext_noop

ALPHA = 0.001  # one-sided; norm.isf(0.001) = 3.090, the z of the brief
Z_ALERT = 3.09
MIN_RECENT = 30  # evaluations in the recent window before a group is tested
MIN_BASELINE = 100  # evaluations in the baseline window (else the rule's pooled baseline over all regions)
MIN_EXCESS = 0.05  # the recent rate must exceed the baseline by at least 5 percentage points
SMALL_EXPECTED = 5  # an expected count below this: exact binomial test instead of the z-test
FOUR_FIFTHS = Fraction(4, 5)
SMALL_SAMPLE = 30


# --- spike detection -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpikeGroup:
    key: Hashable  # e.g. ("income_below_poverty_line", "3204")
    recent_n: int
    recent_failed: int
    baseline_n: int
    baseline_failed: int
    baseline_kind: str = "own"  # "own" | "pooled" (the rule over every region: the group's own was too small)


@dataclass(frozen=True)
class SpikeTest:
    key: Hashable
    recent_n: int
    recent_failed: int
    baseline_n: int
    baseline_failed: int
    baseline_kind: str
    recent_rate: float
    baseline_rate: float
    method: str  # "z" | "binomial"
    z: float | None
    p_value: float
    threshold: float  # α / m
    critical_z: float  # the z that corresponds to α / m
    groups_tested: int
    spike: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "recent_n": self.recent_n,
            "recent_failed": self.recent_failed,
            "baseline_n": self.baseline_n,
            "baseline_failed": self.baseline_failed,
            "baseline_kind": self.baseline_kind,
            "recent_rate": round(self.recent_rate, 6),
            "baseline_rate": round(self.baseline_rate, 6),
            "method": self.method,
            "z": None if self.z is None else round(self.z, 4),
            "p_value": self.p_value,
            "threshold": self.threshold,
            "critical_z": round(self.critical_z, 4),
            "groups_tested": self.groups_tested,
        }


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> float:
    """Pooled two-proportion z statistic for p1 > p2; 0 when both rates are 0 or both are 1."""
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both samples need at least one observation")
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        return 0.0
    return (p1 - p2) / math.sqrt(variance)


def critical_z(alpha: float, groups: int) -> float:
    """The one-sided z threshold after Bonferroni: Φ⁻¹(1 - α/m). For α = 0.001 and m = 1: 3.09."""
    from scipy.stats import norm  # noqa: PLC0415  (scipy.stats costs ~1 s at every process start: import when used)

    return float(norm.isf(alpha / max(1, groups)))


def smoothed_rate(failed: int, n: int) -> float:
    return (failed + 0.5) / (n + 1)


def assess_group(group: SpikeGroup, *, alpha: float, groups_tested: int, min_excess: float) -> SpikeTest:
    k1, n1, k2, n2 = group.recent_failed, group.recent_n, group.baseline_failed, group.baseline_n
    p1, p2 = k1 / n1, k2 / n2
    threshold = alpha / max(1, groups_tested)
    p0 = smoothed_rate(k2, n2)
    from scipy.stats import binomtest, norm  # noqa: PLC0415  (as in critical_z)

    small = n1 * p0 < SMALL_EXPECTED or n1 * (1 - p0) < SMALL_EXPECTED or k2 == 0 or k2 == n2
    if small:
        method, z = "binomial", None
        p_value = float(binomtest(k1, n1, p0, alternative="greater").pvalue)
    else:
        method = "z"
        z = two_proportion_z(k1, n1, k2, n2)
        p_value = float(norm.sf(z))
    spike = p_value <= threshold and (p1 - p2) >= min_excess
    return SpikeTest(
        key=group.key,
        recent_n=n1,
        recent_failed=k1,
        baseline_n=n2,
        baseline_failed=k2,
        baseline_kind=group.baseline_kind,
        recent_rate=p1,
        baseline_rate=p2,
        method=method,
        z=z,
        p_value=p_value,
        threshold=threshold,
        critical_z=critical_z(alpha, groups_tested),
        groups_tested=groups_tested,
        spike=spike,
    )


def testable(group: SpikeGroup, *, min_recent: int = MIN_RECENT, min_baseline: int = MIN_BASELINE) -> bool:
    return group.recent_n >= min_recent and group.baseline_n >= min_baseline


def detect_spikes(
    groups: Iterable[SpikeGroup],
    *,
    alpha: float = ALPHA,
    min_recent: int = MIN_RECENT,
    min_baseline: int = MIN_BASELINE,
    min_excess: float = MIN_EXCESS,
) -> list[SpikeTest]:
    """Test every group with enough data (Bonferroni over exactly those); returns one result per tested group."""
    tested = [g for g in groups if testable(g, min_recent=min_recent, min_baseline=min_baseline)]
    return [assess_group(g, alpha=alpha, groups_tested=len(tested), min_excess=min_excess) for g in tested]


def with_pooled_baselines(
    groups: Sequence[SpikeGroup], *, rule_of, min_baseline: int = MIN_BASELINE
) -> list[SpikeGroup]:
    """Give a group whose own baseline is too small the baseline of its rule over every region."""
    pooled: dict[Hashable, list[int]] = {}
    for g in groups:
        n_k = pooled.setdefault(rule_of(g.key), [0, 0])
        n_k[0] += g.baseline_n
        n_k[1] += g.baseline_failed
    result = []
    for g in groups:
        if g.baseline_n >= min_baseline:
            result.append(g)
            continue
        n, k = pooled[rule_of(g.key)]
        result.append(SpikeGroup(g.key, g.recent_n, g.recent_failed, n, k, "pooled"))
    return result


# --- fairness ----------------------------------------------------------------------------------------------------
UNKNOWN = "tidak diketahui"


@dataclass(frozen=True)
class GroupRate:
    label: str
    n: int
    selected: int
    rate: float
    small: bool


@dataclass(frozen=True)
class FeatureFairness:
    feature: str
    groups: list[GroupRate]
    ratio: (
        float | None
    )  # lowest / highest selection rate over all groups (fairlearn's demographic parity ratio)
    ratio_large: float | None  # the same over groups of at least SMALL_SAMPLE only
    flagged: bool  # ratio below the four-fifths threshold
    lowest: str = ""
    highest: str = ""
    notes: list[Text] = field(default_factory=list)  # English source, translated where it is read (the edge)


def selection_rates(
    records: Iterable[Mapping[str, object]], feature: str, *, selected_key: str = "selected"
) -> dict[str, tuple[int, int]]:
    """{group label: (n, selected)} for one feature; a missing value is its own group "tidak diketahui"."""
    counts: dict[str, list[int]] = {}
    for record in records:
        label = record.get(feature)
        label = UNKNOWN if label is None or label == "" else str(label)
        n_s = counts.setdefault(label, [0, 0])
        n_s[0] += 1
        n_s[1] += 1 if record[selected_key] else 0
    return {label: (n, s) for label, (n, s) in sorted(counts.items())}


def ratio_of(rates: Sequence[float] | Sequence[Fraction]) -> float | Fraction | None:
    if not rates:
        return None
    highest = max(rates)
    if highest == 0:
        return None  # nobody selected in any group: no ratio to read
    return min(rates) / highest


def feature_fairness(
    counts: Mapping[str, tuple[int, int]],
    feature: str,
    *,
    threshold: Fraction | float = FOUR_FIFTHS,
    small_sample: int = SMALL_SAMPLE,
) -> FeatureFairness:
    groups = [
        GroupRate(label, n, s, s / n if n else 0.0, n < small_sample) for label, (n, s) in counts.items() if n
    ]
    ratio = ratio_of([g.rate for g in groups])
    exact = ratio_of([Fraction(g.selected, g.n) for g in groups])  # the flag is decided without rounding
    ratio_large = ratio_of([g.rate for g in groups if not g.small])
    lowest = min(groups, key=lambda g: g.rate).label if groups else ""
    highest = max(groups, key=lambda g: g.rate).label if groups else ""
    notes = []
    if any(g.small for g in groups):
        notes.append(
            Text(
                gettext_noop(
                    "Groups with fewer than %(n)s applications are marked 'small sample': their figures easily "
                    "change by chance."
                ),
                {"n": small_sample},
            )
        )
    return FeatureFairness(
        feature=feature,
        groups=groups,
        ratio=ratio,
        ratio_large=ratio_large,
        flagged=exact is not None and exact < threshold,
        lowest=lowest,
        highest=highest,
        notes=notes,
    )


def fairness_report(
    records: Sequence[Mapping[str, object]], features: Sequence[str], *, selected_key: str = "selected"
) -> list[FeatureFairness]:
    return [
        feature_fairness(selection_rates(records, feature, selected_key=selected_key), feature)
        for feature in features
    ]


AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "di bawah 18"),
    (18, 29, "18-29"),
    (30, 44, "30-44"),
    (45, 59, "45-59"),
    (60, None, "60 ke atas"),
)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_band(born: dt.date | None, day: dt.date) -> str | None:
    if born is None:
        return None
    age = age_on(born, day)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return None


# --- small helpers for charts and pages --------------------------------------------------------------------------
def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None

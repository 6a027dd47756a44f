"""Benchmark (c): one bansos-pkh application through the scalar evaluator against a hand-written Python
function of the same rules (same semantics: None is unknown, Kleene and, x // 0 unknown).

    .venv/bin/python bench/rules_scalar.py [--calls 10000]

Each of --calls calls is timed on its own (perf_counter_ns, the timer's own cost subtracted); the
applications cycle through 1,000 generated ones so both functions see the same mix. Ratios are to the
hand-written function in this run (DESIGN §8: <= 3x).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from rules_data import FACTS, generate, poverty_line_table  # noqa: E402

from pamong.rules import load_rule_set  # noqa: E402

PACK = HERE.parent / "packs/bansos-pkh/rules/2026-01.yaml"


def by_hand(facts: dict, tables: dict) -> tuple:
    """bansos-pkh 2026-01 written directly in Python."""
    get = facts.get
    income, size = get("household_income"), get("household_size")
    per_capita = None if income is None or size is None or size == 0 else income // size
    kk = get("kk_regency_code")
    line = None if kk is None else tables["poverty_line"].get(kk)
    registered = get("in_dtsen")
    income_ok = None if per_capita is None or line is None else per_capita <= line
    assets, car = get("assets_value"), get("owns_car")
    assets_ok = None if assets is None else assets <= 50_000_000
    no_car = None if car is None else not car
    if assets_ok is False or no_car is False:
        no_assets = False
    elif assets_ok is None or no_car is None:
        no_assets = None
    else:
        no_assets = True
    component = get("has_pkh_component")
    declared = get("declared_regency_code")
    address = None if declared is None or kk is None else declared == kk
    elderly, school = get("elderly_count"), get("school_children_count")
    if None in (elderly, school, component, per_capita, line):
        score = None
    else:
        share = per_capita * 60 // max(1, line)
        score = min(100, elderly * 15 + school * 10 + (10 if component else 0) + max(0, 60 - share))
    deny = (registered, income_ok, no_assets, component)
    if False in deny:
        outcome = "DENY"
    elif address is not True or None in deny:
        outcome = "REFER"
    else:
        outcome = "GRANT"
    return outcome, (registered, income_ok, no_assets, component, address), (score,)


def applications(count: int) -> list[dict]:
    data = generate(count, seed=11)
    return [
        {name: (values[i].item() if known[i] else None) for name, (values, known) in data.items()}
        for i in range(count)
    ]


def per_call_ns(fn: Callable, apps: list[dict], tables: dict, calls: int, overhead: int) -> list[int]:
    samples, clock, n = [], time.perf_counter_ns, len(apps)
    gc.disable()
    for i in range(calls):
        app = apps[i % n]
        start = clock()
        fn(app, tables)
        samples.append(clock() - start - overhead)
    gc.enable()
    return samples


def timer_overhead_ns() -> int:
    clock, gaps = time.perf_counter_ns, []
    for _ in range(20_000):
        start = clock()
        gaps.append(clock() - start)
    return int(statistics.median(gaps))


def summary(samples: list[int]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) / 1000, ordered[int(len(ordered) * 0.99)] / 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    rule_set = load_rule_set(PACK)
    keys, values = poverty_line_table()
    tables = {"poverty_line": dict(zip(keys.tolist(), values.tolist(), strict=True))}
    apps = applications(1000)
    for app in apps:  # the two implementations must agree before they are timed
        assert rule_set.scalar_function(app, tables)[:3] == by_hand(app, tables), app
    overhead = timer_overhead_ns()
    engine, hand, full = rule_set.scalar_function, by_hand, rule_set.evaluate
    for fn in (engine, hand):  # warm up
        per_call_ns(fn, apps, tables, 2000, overhead)
    hand_med, hand_p99 = summary(per_call_ns(hand, apps, tables, args.calls, overhead))
    eng_med, eng_p99 = summary(per_call_ns(engine, apps, tables, args.calls, overhead))
    full_med, full_p99 = summary(per_call_ns(lambda a, t: full(a, t, 3), apps, tables, args.calls, overhead))
    print(
        f"rules scalar: one bansos-pkh application, {args.calls:,} calls each (timer cost {overhead} ns subtracted)"
    )
    print(
        f"  hand-written Python function      median {hand_med:6.2f} µs  p99 {hand_p99:6.2f} µs   1.00x (baseline)"
    )
    print(
        f"  pamong scalar (outcome + rules)   median {eng_med:6.2f} µs  p99 {eng_p99:6.2f} µs   "
        f"{eng_med / hand_med:4.2f}x median, {eng_p99 / hand_p99:4.2f}x p99   (budget <= 3x)"
    )
    print(
        f"  pamong evaluate() + explanations  median {full_med:6.2f} µs  p99 {full_p99:6.2f} µs   "
        f"{full_med / hand_med:4.2f}x median   (for the record: full Evaluation with Indonesian texts)"
    )
    print(
        f"  facts per application: {len(FACTS)}; rules: {len(rule_set.rules)}; scores: {len(rule_set.scores)}"
    )


if __name__ == "__main__":
    main()

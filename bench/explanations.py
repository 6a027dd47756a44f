"""The cost of true explanations: one bansos evaluation with the deciding parts of every failed or unknown rule
(pamong/rules/why.py), against the same evaluation with the part finder switched off, in the same run.

    .venv/bin/python bench/explanations.py [--applications 20000]

Budget: the part finder must stay far below the decision path's per-application cost (about 20 ms end to end).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path set-up above lets the script run from anywhere without an installed package.
import pamong.rules.model as model
from pamong.rules import load_rule_set

PACK = Path(__file__).resolve().parent.parent / "packs" / "bansos-pkh" / "rules" / "2026-07.yaml"
TABLES = {"poverty_line": {"3273": 600_000, "3204": 470_100}}


def applicants(n: int) -> list[dict]:
    rng = random.Random(1)
    return [
        {
            "in_dtsen": rng.random() < 0.9,
            "household_income": rng.randrange(0, 6_000_000),
            "household_size": rng.randint(1, 6),
            "assets_value": rng.randrange(0, 100_000_000),
            "owns_car": rng.random() < 0.1,
            "has_pkh_component": rng.random() < 0.9,
            "declared_regency_code": "3273",
            "kk_regency_code": rng.choice(["3273", "3204", "9999"]),
            "elderly_count": 1,
            "school_children_count": 1,
        }
        for _ in range(n)
    ]


def timed(rule_set, apps: list[dict]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for facts in apps:
            rule_set.evaluate(facts, TABLES, impact_level=3)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=20_000)
    args = parser.parse_args()
    rule_set = load_rule_set(PACK)
    apps = applicants(args.applications)
    failing = sum(any(str(r.status) != "passed" for r in rule_set.evaluate(a, TABLES).rules) for a in apps)
    with_parts = timed(rule_set, apps)
    original = model.deciding_parts
    model.deciding_parts = lambda *args, **kwargs: ()  # the baseline: the drafter's sentences only
    try:
        baseline = timed(rule_set, apps)
    finally:
        model.deciding_parts = original
    n = len(apps)
    print(f"{n} applications, {failing} with a failed or unknown rule")
    print(f"with deciding parts: {with_parts:.3f} s ({with_parts / n * 1e6:.1f} µs each)")
    print(f"baseline (parts off): {baseline:.3f} s ({baseline / n * 1e6:.1f} µs each)")
    print(
        f"ratio {with_parts / baseline:.2f}; extra {(with_parts - baseline) / n * 1e6:.1f} µs per application"
    )


if __name__ == "__main__":
    main()

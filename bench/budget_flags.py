"""Budget red flags (issue 19, DESIGN §8): recall and false positives per flag kind on a synthetic budget with
planted anomalies, and the time to flag N line items beside a baseline measured in the same run.

    .venv/bin/python bench/budget_flags.py                 # --lines 1000000 --repeat 3 --seed 2026

The baseline is a plain Polars pass over the same data: the group-bys the flags need (per item and region, per
agency-year-supplier, per agency-year-month), each a sum, with none of the flags' logic. The generator is
`pamong/budget/synthetic.py` (described in docs/budget.md); its time is printed but not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl

from pamong.budget import flags, synthetic


def baseline(lines: pl.DataFrame) -> int:
    year = pl.col("date").dt.year().alias("year")
    a = lines.group_by("item", "region").agg(pl.col("unit_price").sum())
    b = lines.group_by("agency", year, "supplier").agg(pl.col("amount").sum())
    c = lines.group_by("agency", year, pl.col("date").dt.month().alias("month")).agg(pl.col("amount").sum())
    return a.height + b.height + c.height


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    generated, budget = timed(
        lambda: synthetic.generate(lines=args.lines, agencies=args.agencies, seed=args.seed)
    )
    lines = budget.lines.select(*flags.LINE_SCHEMA).rechunk()
    print(
        f"synthetic budget: {lines.height:,} line items, {args.agencies} agencies, "
        f"{budget.contracts.height:,} contracts, seed {args.seed} (generated in {generated:.1f} s)"
    )
    print(f"Polars {pl.__version__}, {pl.thread_pool_size()} threads, {os.cpu_count()} CPUs")

    flag_times, base_times = [], []
    flagged: dict[str, pl.DataFrame] = {}
    for _ in range(args.repeat):
        seconds, _rows = timed(baseline, lines)
        base_times.append(seconds)
        seconds, flagged = timed(flags.flag_lines, lines)
        flag_times.append(seconds)
    contract_seconds, contract_flags = timed(flags.flag_contracts, budget.contracts)
    flagged.update(contract_flags)
    findings_seconds, found = timed(flags.findings, flagged)

    print()
    print(
        f"{'kind':<36} {'planted':>8} {'flagged':>8} {'found':>7} {'recall':>7} {'FP':>6} {'FP rate':>9} {'FP/flags':>9}"
    )
    ok = True
    for score in synthetic.evaluate(budget, flagged):
        good = score.recall >= 0.9 and score.false_positive_rate <= 0.05
        ok = ok and good
        print(
            f"{score.kind:<36} {score.planted:>8,} {score.flagged:>8,} {score.found:>7,} {score.recall:>7.3f} "
            f"{score.false_positives:>6,} {score.false_positive_rate:>9.5f} {score.false_discovery:>9.3f}"
            f"{'' if good else '  (target missed)'}"
        )
    flag_median, base_median = statistics.median(flag_times), statistics.median(base_times)
    print()
    print(
        f"flag {lines.height:,} line items (4 kinds), median of {args.repeat}: {flag_median:.3f} s "
        f"(runs: {', '.join(f'{t:.3f}' for t in flag_times)})"
    )
    print(f"baseline, plain Polars group-bys of the same data:  {base_median:.3f} s")
    print(f"ratio flags / baseline: {flag_median / base_median:.2f}x")
    print(
        f"contracts ({budget.contracts.height:,}, 2 OCP kinds): {contract_seconds:.3f} s; "
        f"{len(found):,} findings explained in Indonesian: {findings_seconds:.3f} s"
    )
    print(
        f"targets: recall >= 0.9 and FP rate <= 5% per kind: {'met' if ok else 'MISSED'}; "
        f"<= 5 s for {lines.height:,} items: {'met' if flag_median <= 5 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()

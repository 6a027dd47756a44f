"""Simulation for the rule sandbox: run a version over many applications, and compare two versions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from pamong.rules.model import RuleSet
from pamong.rules.vector import RULE_PREFIX

ROW = "row"


@dataclass(frozen=True)
class Simulation:
    results: pl.DataFrame  # evaluate_frame's output
    outcome_counts: dict[str, int]  # GRANT / DENY / REFER -> rows
    rule_counts: dict[str, dict[str, int]]  # rule id -> {"passed": n, "failed": n, "unknown": n}


@dataclass(frozen=True)
class Comparison:
    old: Simulation
    new: Simulation
    changed: pl.DataFrame  # row, keep columns, outcome_old, outcome_new: only rows whose outcome differs
    transitions: dict[tuple[str, str], int]  # (old outcome, new outcome) -> rows, changed rows only


def simulate(
    rule_set: RuleSet,
    df: pl.DataFrame,
    tables: Mapping[str, object] | None = None,
    impact_level: int = 1,
    keep: Sequence[str] = (),
) -> Simulation:
    results = rule_set.evaluate_frame(df, tables, impact_level, keep=keep)
    return Simulation(results, _outcome_counts(results), _rule_counts(rule_set, results))


def compare_versions(
    old: RuleSet,
    new: RuleSet,
    df: pl.DataFrame,
    tables: Mapping[str, object] | None = None,
    impact_level: int = 1,
    keep: Sequence[str] = (),
) -> Comparison:
    indexed = df.with_row_index(ROW)
    before = simulate(old, indexed, tables, impact_level, keep=(ROW, *keep))
    after = simulate(new, indexed, tables, impact_level, keep=(ROW, *keep))
    changed = (
        before.results.select(ROW, *keep, pl.col("outcome").alias("outcome_old"))
        .with_columns(after.results["outcome"].alias("outcome_new"))
        .filter(pl.col("outcome_old") != pl.col("outcome_new"))
    )
    counts = changed.group_by("outcome_old", "outcome_new").len().sort("outcome_old", "outcome_new")
    transitions = {(o, n): c for o, n, c in counts.iter_rows()}
    return Comparison(before, after, changed, transitions)


def _outcome_counts(results: pl.DataFrame) -> dict[str, int]:
    counts = dict(results["outcome"].value_counts().iter_rows())
    return {outcome: counts.get(outcome, 0) for outcome in ("GRANT", "REFER", "DENY")}


def _rule_counts(rule_set: RuleSet, results: pl.DataFrame) -> dict[str, dict[str, int]]:
    exprs = []
    for rule in rule_set.rules:
        col = pl.col(RULE_PREFIX + rule.id)
        exprs += [
            col.eq_missing(True).sum().alias(f"{rule.id}|passed"),
            col.eq_missing(False).sum().alias(f"{rule.id}|failed"),
            col.is_null().sum().alias(f"{rule.id}|unknown"),
        ]
    row = results.select(exprs).row(0, named=True)
    return {
        r.id: {s: int(row[f"{r.id}|{s}"]) for s in ("passed", "failed", "unknown")} for r in rule_set.rules
    }

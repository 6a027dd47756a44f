"""Simulation for the rule sandbox: outcomes, per-rule counts, and rows that change between versions."""

from __future__ import annotations

import polars as pl
import pytest

from pamong.rules import RuleError, compare_versions, load_rule_set, simulate
from pamong.rules.tests.helpers import PACKS
from pamong.rules.tests.test_packs import BANSOS, POVERTY_LINE

OLD = load_rule_set(PACKS / "bansos-pkh/rules/2026-01.yaml")
NEW = load_rule_set(PACKS / "bansos-pkh/rules/2026-07.yaml")
APPLICATIONS = pl.DataFrame(
    [
        {**BANSOS, "nik": "A"},  # Rp500.000 per capita: granted by both
        {
            **BANSOS,
            "nik": "B",
            "household_income": 2_800_000,
        },  # Rp700.000: denied, then granted (<= Rp720.000)
        {**BANSOS, "nik": "C", "household_income": 3_200_000},  # Rp800.000: denied by both
        {**BANSOS, "nik": "D", "assets_value": 55_000_000},  # above Rp50 juta, below Rp60 juta
        {**BANSOS, "nik": "E", "declared_regency_code": "3204"},  # data mismatch: referred by both
        {**BANSOS, "nik": "F", "in_dtsen": None},  # unknown: referred by both
    ]
)


def test_simulate_counts_outcomes_and_rule_results() -> None:
    result = simulate(OLD, APPLICATIONS, POVERTY_LINE, impact_level=3, keep=["nik"])
    assert result.outcome_counts == {"GRANT": 1, "REFER": 2, "DENY": 3}
    assert result.rule_counts == {
        "registered_in_dtsen": {"passed": 5, "failed": 0, "unknown": 1},
        "income_below_poverty_line": {"passed": 4, "failed": 2, "unknown": 0},
        "no_high_value_assets": {"passed": 5, "failed": 1, "unknown": 0},
        "has_pkh_component": {"passed": 6, "failed": 0, "unknown": 0},
        "address_matches_kk": {"passed": 5, "failed": 1, "unknown": 0},
    }
    assert result.results.select("nik", "outcome", "proposed").rows() == [
        ("A", "GRANT", False),
        ("B", "DENY", True),
        ("C", "DENY", True),
        ("D", "DENY", True),
        ("E", "REFER", False),
        ("F", "REFER", False),
    ]


def test_compare_versions_returns_the_rows_that_change() -> None:
    comparison = compare_versions(OLD, NEW, APPLICATIONS, POVERTY_LINE, impact_level=3, keep=["nik"])
    assert comparison.changed.rows() == [(1, "B", "DENY", "GRANT"), (3, "D", "DENY", "GRANT")]
    assert comparison.transitions == {("DENY", "GRANT"): 2}
    assert comparison.new.outcome_counts == {"GRANT": 3, "REFER": 2, "DENY": 1}


def test_frame_output_columns_and_values() -> None:
    out = OLD.evaluate_frame(
        APPLICATIONS.head(2), POVERTY_LINE, impact_level=3, keep=["nik"], include_values=True
    )
    assert out.columns == [
        "nik",
        "rule.registered_in_dtsen",
        "rule.income_below_poverty_line",
        "rule.no_high_value_assets",
        "rule.has_pkh_component",
        "rule.address_matches_kk",
        "score.vulnerability",
        "value.income_per_capita",
        "value.regional_poverty_line",
        "outcome",
        "proposed",
    ]
    assert out.row(1) == ("B", True, False, True, True, True, 45, 700_000, 600_000, "DENY", True)


def test_missing_column_is_unknown_like_a_missing_fact() -> None:
    out = OLD.evaluate_frame(APPLICATIONS.drop("owns_car"), POVERTY_LINE)
    assert out["rule.no_high_value_assets"].to_list() == [None, None, None, False, None, None]


def test_table_as_a_dataframe() -> None:
    table = pl.DataFrame({"key": ["3273"], "value": [600_000]})
    out = OLD.evaluate_frame(APPLICATIONS.head(2), {"poverty_line": table})
    assert out["rule.income_below_poverty_line"].to_list() == [True, False]


@pytest.mark.parametrize(
    ("frame", "tables", "message"),
    [
        (
            APPLICATIONS.with_columns(pl.col("household_income").cast(pl.Float64)),
            POVERTY_LINE,
            "column 'household_income' has dtype Float64, but the fact is money",
        ),
        (
            APPLICATIONS.with_columns(pl.col("in_dtsen").cast(pl.String)),
            POVERTY_LINE,
            "column 'in_dtsen' has dtype String, but the fact is bool",
        ),
        (APPLICATIONS, {}, "tables not supplied: poverty_line"),
    ],
)
def test_frame_type_errors(frame: pl.DataFrame, tables: dict, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        OLD.evaluate_frame(frame, tables)
    assert caught.value.message == message

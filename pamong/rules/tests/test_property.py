"""Property tests: the scalar and vectorised evaluators agree; the parser and checker only raise RuleError."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import string

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamong.rules import RuleError, RuleSet, load_rule_set, load_rule_set_text
from pamong.rules.expr import Scope, parse_expression
from pamong.rules.tests.helpers import FACT_TYPES, HEADER, PACKS, TABLES, frame
from pamong.rules.vector import RULE_PREFIX, SCORE_PREFIX

FEATURES = load_rule_set_text(
    HEADER
    + """\
derived:
  per_capita: {expr: income // size, description: Per kapita}
  weight: {expr: 'lookup(weights, size)', description: Bobot}
  age: {expr: 'age_on(born, today)', description: Umur}
rules:
  - {id: arithmetic, require: 'per_capita * 3 - income % 7 + -size <= lookup(line, region)', on_fail: deny,
     explain: x, legal_basis: x}
  - {id: division, require: income / size > ratio * 2.5, on_fail: refer, explain: x, legal_basis: x}
  - {id: kleene, require: member and not other or (member or other) and size > 2, on_fail: deny,
     explain: x, legal_basis: x}
  - {id: conditional, require: (income if member else size * 1000) >= 50000, on_fail: refer,
     explain: x, legal_basis: x}
  - {id: membership, require: "region in ['3171', '3273'] and size not in [0, 1, 2] or ratio in [0.5, 1.5]",
     on_fail: deny, explain: x, legal_basis: x}
  - {id: chained, require: '0 <= age < 18 <= days_between(born, today)', on_fail: refer, explain: x, legal_basis: x}
  - {id: functions, require: "min(income, 1000000) + max(size, 2) > abs(round(ratio))
       and max(born, today) >= date('2000-01-01')", on_fail: deny, explain: x, legal_basis: x}
  - {id: distance, require: 'geo_distance_km(lat, lon, -6.9, 107.6) < 150', on_fail: refer, explain: x,
     legal_basis: x}
  - {id: table_number, require: weight * size >= 1.5, on_fail: deny, explain: x, legal_basis: x}
scores:
  ratio_score: {expr: 'per_capita / max(1, size) + (weight if member else 0.5)', description: Skor}
  whole_score: {expr: round(ratio * 3) + age, description: Skor}
""",
    "<features>",
)


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """The value or, one time in eight, unknown (None)."""
    return st.tuples(st.integers(0, 7), strategy).map(lambda t: None if t[0] == 0 else t[1])


FEATURE_FACTS = st.fixed_dictionaries(
    {
        "income": maybe(st.integers(-(10**9), 10**10)),
        "size": maybe(st.integers(-1, 12)),
        "ratio": maybe(st.floats(-1e6, 1e6) | st.sampled_from([0.5, 1.5, 2.5, -0.5])),
        "born": maybe(
            st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
            | st.dates(dt.date(2008, 1, 1), dt.date(2026, 1, 1))
        ),
        "today": maybe(
            st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
            | st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        ),
        "region": maybe(st.sampled_from(["3171", "3273", "0000", "9999", ""])),
        "member": maybe(st.booleans()),
        "other": maybe(st.booleans()),
        "lat": maybe(st.floats(-90, 90) | st.floats(-7.5, -6.5)),
        "lon": maybe(st.floats(-180, 180) | st.floats(107.0, 108.0)),
    }
)
BANSOS = load_rule_set(PACKS / "bansos-pkh/rules/2026-01.yaml")
BANSOS_TABLES = {"poverty_line": {"3273": 600_000, "3204": 520_000, "0000": 0}}
BANSOS_FACTS = st.fixed_dictionaries(
    {
        "in_dtsen": maybe(st.booleans()),
        "household_income": maybe(st.integers(0, 50_000_000)),
        "household_size": maybe(st.integers(0, 12)),
        "assets_value": maybe(st.integers(0, 200_000_000)),
        "owns_car": maybe(st.booleans()),
        "has_pkh_component": maybe(st.booleans()),
        "declared_regency_code": maybe(st.sampled_from(["3273", "3204", "0000", "9999"])),
        "kk_regency_code": maybe(st.sampled_from(["3273", "3204", "0000", "9999"])),
        "elderly_count": maybe(st.integers(0, 4)),
        "school_children_count": maybe(st.integers(0, 6)),
    }
)
BANSOS_TYPES = {name: fact.type for name, fact in BANSOS.facts.items()}


def enum_coded(text: pl.DataFrame, types: dict[str, str], shared: bool) -> pl.DataFrame:
    """The text facts as Enum columns: one Enum per column, or one Enum shared by all of them."""
    names = [n for n, t in types.items() if t == "str"]
    seen = {n: set(text[n].drop_nulls()) for n in names}
    every = set().union(*seen.values())
    return text.with_columns(pl.col(n).cast(pl.Enum(sorted(every if shared else seen[n]))) for n in names)


def assert_agree(rule_set: RuleSet, rows: list[dict], tables: dict, types: dict[str, str]) -> None:
    text = frame(rows, types)
    out = rule_set.evaluate_frame(text, tables, impact_level=3)
    for shared in (False, True):  # text facts kept coded give the very same frame
        coded = rule_set.evaluate_frame(enum_coded(text, types, shared), tables, impact_level=3)
        assert coded.equals(out), (shared, rows)
    rule_cols = [RULE_PREFIX + r.id for r in rule_set.rules]
    score_cols = [SCORE_PREFIX + s for s in rule_set.scores]
    for row, vector in zip(rows, out.iter_rows(named=True), strict=True):
        outcome, rules, scores, _ = rule_set.scalar_function(row, tables)
        assert (outcome, rules, scores) == (
            vector["outcome"],
            tuple(vector[c] for c in rule_cols),
            tuple(vector[c] for c in score_cols),
        ), row
        assert vector["proposed"] == (outcome == "DENY")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FEATURE_FACTS, min_size=1, max_size=40))
def test_evaluators_agree_on_every_language_feature(rows: list[dict]) -> None:
    assert_agree(FEATURES, rows, TABLES, FACT_TYPES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BANSOS_FACTS, min_size=1, max_size=40))
def test_evaluators_agree_on_the_bansos_pack(rows: list[dict]) -> None:
    assert_agree(BANSOS, rows, BANSOS_TABLES, BANSOS_TYPES)


# ---- random well-typed (and ill-typed) expressions ----------------------------------------------------
# Values stay small so that no product passes 2**53, where Python's exact integers and Polars' int64 and
# float64 part ways (documented as outside the language's range).
NUM_LEAVES = st.sampled_from(
    [
        "income",
        "size",
        "ratio",
        "3",
        "-2",
        "0",
        "2.5",
        "lookup(line, region)",
        "lookup(weights, size)",
        "days_between(born, today)",
        "age_on(born, today)",
        "region",
    ]  # "region" is a deliberate type error
)
BOOL_LEAVES = st.sampled_from(
    ["member", "other", "True", "region in ['3171', '0000']", "region != '3273'", "born < today"]
)


def numbers(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return NUM_LEAVES
    sub = numbers(depth - 1)
    ops = st.sampled_from(["+", "-", "*", "/", "//", "%"])
    return st.one_of(
        NUM_LEAVES,
        st.tuples(sub, ops, sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), sub, sub).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["abs", "round", "-"]), sub).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(booleans(depth - 1), sub, sub).map(lambda t: f"({t[1]} if {t[0]} else {t[2]})"),
    )


def booleans(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return BOOL_LEAVES
    sub, num = booleans(depth - 1), numbers(min(depth - 1, 2))
    cmp = st.sampled_from(["<", "<=", "==", "!=", ">", ">="])
    return st.one_of(
        BOOL_LEAVES,
        st.tuples(num, cmp, num).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(num, num, num).map(lambda t: f"({t[0]} < {t[1]} <= {t[2]})"),
        st.tuples(sub, st.sampled_from(["and", "or"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        sub.map(lambda s: f"(not {s})"),
        num.map(lambda s: f"({s} in [0, 1, 2.5])"),
    )


SMALL_FACTS = st.fixed_dictionaries(
    {
        "income": maybe(st.integers(-5000, 5000)),
        "size": maybe(st.integers(-3, 20)),
        "ratio": maybe(st.floats(-1000, 1000) | st.sampled_from([0.5, 2.5, -1.5])),
        "born": maybe(st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31))),
        "today": maybe(st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31))),
        "region": maybe(st.sampled_from(["3171", "3273", "0000", "9999"])),
        "member": maybe(st.booleans()),
        "other": maybe(st.booleans()),
    }
)
SMALL_TABLES = {"line": {"3171": 800, "3273": 600, "0000": 0}, "weights": {1: 0.5, 2: 1.5}}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(booleans(3), st.lists(SMALL_FACTS, min_size=1, max_size=10))
def test_random_expressions_agree_or_are_refused(expr: str, rows: list[dict]) -> None:
    text = HEADER + (
        f"rules:\n  - id: r1\n    require: {json.dumps(expr)}\n    on_fail: deny\n    explain: x\n    legal_basis: x\n"
    )
    try:
        rule_set = load_rule_set_text(text, "<random>")
    except RuleError:
        return
    assert_agree(rule_set, rows, SMALL_TABLES, FACT_TYPES)


# ---- fuzzing: nothing but RuleError ever escapes ------------------------------------------------------
SCOPE = Scope(facts=FACT_TYPES, derived={}, tables={"line": ("str", "money"), "weights": ("int", "number")})
EXPRESSION_CHARS = st.text(alphabet=string.printable + "éä€\x00", max_size=200)
TOKENS = st.lists(
    st.sampled_from(
        [
            "income",
            "size",
            "region",
            "member",
            "line",
            "(",
            ")",
            "[",
            "]",
            ",",
            "+",
            "-",
            "*",
            "/",
            "//",
            "%",
            "**",
            "<",
            "==",
            "and",
            "or",
            "not",
            "if",
            "else",
            "in",
            "is",
            "lambda",
            "min",
            "lookup",
            "date",
            "'2026-01-01'",
            "0",
            "1",
            "2.5",
            "1e999",
            "None",
            "True",
            ".",
            ":",
            "x",
            "__class__",
            "eval",
            "{",
            "}",
            "'a'",
            "f'{x}'",
        ]
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=1500, deadline=None)
@given(EXPRESSION_CHARS | TOKENS)
def test_checker_raises_only_rule_error(text: str) -> None:
    with contextlib.suppress(RuleError):
        parse_expression(text, SCOPE)


VALID_TEXT = (PACKS / "bansos-pkh/rules/2026-01.yaml").read_text(encoding="utf-8")


@settings(max_examples=400, deadline=None)
@given(st.integers(0, len(VALID_TEXT)), st.integers(0, 40), st.text(max_size=20))
def test_loader_raises_only_rule_error_on_mutated_files(start: int, cut: int, insert: str) -> None:
    with contextlib.suppress(RuleError):
        load_rule_set_text(VALID_TEXT[:start] + insert + VALID_TEXT[start + cut :], "<mutated>")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400))
def test_loader_raises_only_rule_error_on_any_text(text: str) -> None:
    with contextlib.suppress(RuleError):
        load_rule_set_text(text, "<fuzz>")


def test_frame_with_nan_treats_it_as_unknown() -> None:
    df = frame([{"ratio": float("nan")}]).with_columns(pl.col("ratio").cast(pl.Float64))
    out = FEATURES.evaluate_frame(df, TABLES)
    assert out["rule.division"].to_list() == [None]

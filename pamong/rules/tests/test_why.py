"""Explanations that are true: every refusal names exactly the parts of a rule that decided it.

The property test runs over every rule of every pack: for random facts (boundary values, unknowns), each part
named in an explanation carries a claim in the rules language, and the compiled evaluator (not the tree walker
that wrote the sentence) confirms that the claim is true for these facts; each value the sentence shows is the
applicant's value; a failed rule names only failed parts, an unknown rule only unknown ones.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamong.rules import RuleSet, load_rule_set, load_rule_set_text
from pamong.rules.expr import Lit, Name, walk
from pamong.rules.formatting import format_value
from pamong.rules.tests.helpers import PACKS, TABLES, one_rule
from pamong.rules.why import deciding_parts, to_source, tree_leaves, value_of

PACK_FILES = sorted(PACKS.glob("*/rules/*.yaml"))
RULE_SETS = {f"{p.parent.parent.name}/{p.stem}": load_rule_set(p) for p in PACK_FILES}


# --- the asset/car refusal reads true in both cases ------------------------------------------------------
BANSOS = RULE_SETS["bansos-pkh/2026-07"]
BANSOS_TABLES = {"poverty_line": {"3273": 600_000}}
ELIGIBLE = {
    "in_dtsen": True,
    "household_income": 1_000_000,
    "household_size": 4,
    "assets_value": 10_000_000,
    "owns_car": False,
    "has_pkh_component": True,
    "declared_regency_code": "3273",
    "kk_regency_code": "3273",
    "elderly_count": 0,
    "school_children_count": 1,
}


def assets_rule(**change: object):
    evaluation = BANSOS.evaluate({**ELIGIBLE, **change}, BANSOS_TABLES)
    return next(r for r in evaluation.rules if r.rule_id == "no_high_value_assets")


def test_a_car_owner_with_few_assets_is_told_about_the_car_only() -> None:
    result = assets_rule(owns_car=True)
    assert str(result.status) == "failed"
    assert result.explanation == (
        'Syarat "Tidak memiliki aset bernilai tinggi" tidak terpenuhi: Ada anggota keluarga yang tercatat '
        "memiliki kendaraan roda empat: ya (yang disyaratkan: tidak)."
    )
    assert "melebihi" not in result.explanation  # the false half of the old sentence is gone
    assert [p.claim for p in result.parts] == ["owns_car"]


def test_assets_over_the_limit_without_a_car_name_the_assets_and_the_limit() -> None:
    result = assets_rule(assets_value=70_000_000)
    assert result.explanation == (
        'Syarat "Tidak memiliki aset bernilai tinggi" tidak terpenuhi: Perkiraan nilai aset keluarga selain '
        "rumah yang ditempati Rp70.000.000 melebihi Rp60.000.000 (yang disyaratkan: paling banyak "
        "Rp60.000.000)."
    )
    assert "kendaraan" not in result.explanation


def test_both_parts_failing_keep_the_drafters_sentence_and_list_both() -> None:
    result = assets_rule(assets_value=70_000_000, owns_car=True)
    assert result.explanation.startswith("Nilai aset keluarga Anda Rp70.000.000 melebihi Rp60.000.000 atau")
    assert result.explanation.endswith(
        "Rinciannya: Perkiraan nilai aset keluarga selain rumah yang ditempati Rp70.000.000 melebihi "
        "Rp60.000.000 (yang disyaratkan: paling banyak Rp60.000.000); Ada anggota keluarga yang tercatat "
        "memiliki kendaraan roda empat: ya (yang disyaratkan: tidak)."
    )


def test_an_unknown_car_with_assets_over_the_limit_is_a_refusal_for_the_assets() -> None:
    result = assets_rule(assets_value=70_000_000, owns_car=None)
    assert str(result.status) == "failed"  # false and unknown is false (Kleene)
    assert [p.claim for p in result.parts] == ["(assets_value > 60000000)"]


def test_an_unknown_part_is_named_when_the_rest_passed() -> None:
    result = assets_rule(owns_car=None)
    assert str(result.status) == "unknown"
    assert result.explanation == (
        "Belum dapat dinilai karena data berikut belum tersedia: Ada anggota keluarga yang tercatat "
        "memiliki kendaraan roda empat."
    )
    assert [p.unknown for p in result.parts] == [("owns_car",)]


def test_an_unknown_table_value_is_named_by_its_description() -> None:
    evaluation = BANSOS.evaluate(
        {**ELIGIBLE, "kk_regency_code": "9999", "declared_regency_code": "9999"}, BANSOS_TABLES
    )
    income = next(r for r in evaluation.rules if r.rule_id == "income_below_poverty_line")
    assert income.explanation == (
        "Belum dapat dinilai karena data berikut belum tersedia: Garis kemiskinan kabupaten/kota menurut "
        "alamat pada Kartu Keluarga."
    )


@pytest.mark.parametrize(
    ("require", "facts", "claims"),
    [
        ("income <= 1000 or size >= 3", {"income": 5000, "size": 1}, ["(income > 1000)", "(size < 3)"]),
        ("not (income > 1000 and member)", {"income": 5000, "member": True}, ["(income > 1000)", "member"]),
        ("region not in ['3171']", {"region": "3171"}, ["(region in ['3171'])"]),
        (
            "(income if member else size) >= 10",
            {"member": False, "size": 2, "income": 50},
            ["((income if member else size) < 10)"],
        ),
        ("born < today", {"born": dt.date(2026, 2, 1), "today": dt.date(2026, 1, 1)}, ["(born > today)"]),
    ],
)
def test_parts_of_or_not_membership_conditional_and_dates(require: str, facts: dict, claims: list) -> None:
    rule_set = load_rule_set_text(one_rule(require), "<t>")
    (result,) = rule_set.evaluate(facts, TABLES).rules
    assert str(result.status) == "failed"
    assert [p.claim for p in result.parts] == claims


def test_dates_read_as_before_and_after() -> None:
    rule_set = load_rule_set_text(one_rule("born < today"), "<t>")
    (result,) = rule_set.evaluate({"born": dt.date(2026, 2, 1), "today": dt.date(2026, 1, 1)}, TABLES).rules
    assert result.parts[0].text == (
        "Tanggal lahir 1 Februari 2026 sesudah Tanggal permohonan 1 Januari 2026 "
        "(yang disyaratkan: sebelum 1 Januari 2026)"
    )


def test_worked_arithmetic_shows_the_values() -> None:
    rule_set = load_rule_set_text(one_rule("income * 10 <= lookup(line, region) * 12"), "<t>")
    (result,) = rule_set.evaluate({"income": 1_000_000, "region": "3273"}, TABLES).rules
    assert result.parts[0].text == (
        "Rp1.000.000 × 10 = Rp10.000.000 melebihi Rp600.000 × 12 = Rp7.200.000 "
        "(yang disyaratkan: paling banyak Rp7.200.000)"
    )


# --- the property: over every rule of every pack --------------------------------------------------------
def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy, strategy, strategy)


def _literals(rule_set: RuleSet, type_names: tuple[str, ...]) -> list[object]:
    trees = [r.tree for r in rule_set.rules] + [d.tree for d in rule_set.derived.values()]
    return sorted(
        {n.value for t in trees for n in walk(t) if isinstance(n, Lit) and n.type in type_names}, key=repr
    )


def fact_strategy(rule_set: RuleSet, type_name: str) -> st.SearchStrategy:
    if type_name == "bool":
        return st.booleans()
    if type_name in ("int", "money", "number"):
        edges = [v for v in _literals(rule_set, ("int", "money", "number")) if isinstance(v, int)]
        near = (
            st.sampled_from(edges).flatmap(lambda v: st.sampled_from([v - 1, v, v + 1]))
            if edges
            else st.none()
        )
        base = st.integers(0, 12) | st.integers(0, 200_000_000) | near.filter(lambda v: v is not None)
        return base.map(float) if type_name == "number" else base
    if type_name == "date":
        return st.dates(dt.date(1990, 1, 1), dt.date(2027, 12, 31))
    words = [v for v in _literals(rule_set, ("str",)) if isinstance(v, str)]
    return st.sampled_from([*words, "3273", "3204", "9999", "lain"])


def table_value(type_name: str) -> st.SearchStrategy:
    if type_name == "bool":
        return st.booleans()
    if type_name == "str":
        return st.sampled_from(["rendah", "menengah rendah", "tinggi"])
    return st.integers(0, 2_000_000)


def applicants(rule_set: RuleSet) -> st.SearchStrategy:
    facts = st.fixed_dictionaries(
        {name: maybe(fact_strategy(rule_set, fact.type)) for name, fact in rule_set.facts.items()}
    )
    tables = st.fixed_dictionaries(
        {
            name: st.dictionaries(
                fact_strategy(rule_set, table.key_type) if table.key_type == "str" else st.integers(0, 12),
                table_value(table.value_type),
                max_size=4,
            )
            for name, table in rule_set.tables.items()
        }
    )
    return st.tuples(facts, tables)


@cache
def claim_checker(service: str, expression: str) -> RuleSet:
    """The pack's facts, tables and derived values with one rule: the claim, compiled by the real compiler."""
    rule_set = RULE_SETS[service]
    spec = {
        "service": "claim",
        "version": "1",
        "effective_from": "2026-01-01",
        "facts": {
            n: {"type": f.type, "source": f.source, "description": f.description}
            for n, f in rule_set.facts.items()
        },
        "derived": {n: {"expr": d.expr, "description": d.description} for n, d in rule_set.derived.items()},
        "rules": [
            {"id": "claim", "require": expression, "on_fail": "deny", "explain": "x", "legal_basis": "x"}
        ],
    }
    if rule_set.tables:
        spec["tables"] = {
            n: {"key": t.key_type, "value": t.value_type, "description": t.description, "source": t.source}
            for n, t in rule_set.tables.items()
        }
    return load_rule_set_text(json.dumps(spec), f"<claim {expression}>")


def compiled(service: str, expression: str, facts: dict, tables: dict) -> object:
    _, (value,), _, _ = claim_checker(service, expression).scalar_function(facts, tables)
    return value


def check_explanations(service: str, facts: dict, tables: dict) -> None:
    rule_set = RULE_SETS[service]
    evaluation = rule_set.evaluate(facts, tables)
    clean = rule_set.prepare_facts(facts)
    values = {**clean, **evaluation.values}
    for rule, result in zip(rule_set.rules, evaluation.rules, strict=True):
        status = str(result.status)
        # the tree walker that writes the sentences computes the same value as the compiled rule
        assert (
            value_of(rule.tree, values, tables) == {"passed": True, "failed": False, "unknown": None}[status]
        )
        if status == "passed":
            assert result.parts == ()
            continue
        assert result.parts, (service, rule.id, facts)
        for part in result.parts:
            assert part.status == status, (service, rule.id, part)  # only the parts that decided it
            if status == "unknown" and result.explanation.startswith("Belum dapat dinilai"):
                # the default sentence names unknown facts, or else the unknown values that decided it
                assert all(clean[name] is None for name in result.unknown_facts)
                named = result.unknown_facts or part.unknown
                assert all(rule_set.descriptions[name] in result.explanation for name in named)
            elif tree_leaves(rule.tree) > 1:  # one part alone is explained by the drafter's sentence for it
                assert part.text in result.explanation, (result.explanation, part.text)
            if status == "unknown":
                assert part.claim == ""
                assert compiled(service, part.source, clean, tables) is None
                assert all(values.get(name) is None for name in part.unknown)
                continue
            # the claim (e.g. "assets_value > 60000000") is true for this applicant, by the compiled evaluator
            assert compiled(service, part.claim, clean, tables) is True, (service, rule.id, part, facts)
            # a named failing part did fail: it is not what the rule needs (the whole rule fails with it)
            assert compiled(service, part.source, clean, tables) is not None
            for name in {n.name for n in walk(_parse(service, part.source)) if isinstance(n, Name)}:
                shown = format_value(values.get(name), rule_set.value_types[name])
                if rule_set.value_types[name] != "bool":
                    assert shown in part.text, (part.text, name, shown)


@cache
def _parse(service: str, source: str):
    return claim_checker(service, source).rules[0].tree


@pytest.mark.slow
@pytest.mark.parametrize("service", sorted(RULE_SETS))
def test_every_explanation_of_every_pack_states_only_true_things(service: str) -> None:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(applicants(RULE_SETS[service]))
    def check(applicant: tuple[dict, dict]) -> None:
        facts, tables = applicant
        check_explanations(service, facts, tables)

    check()


def test_the_parts_source_parses_back_to_the_same_tree() -> None:
    for service, rule_set in RULE_SETS.items():
        for rule in rule_set.rules:
            assert _parse(service, to_source(rule.tree)) == rule.tree


def test_a_passed_rule_has_no_parts_and_keeps_its_sentence() -> None:
    evaluation = BANSOS.evaluate(ELIGIBLE, BANSOS_TABLES)
    assert all(r.parts == () for r in evaluation.rules)
    assert deciding_parts(BANSOS.rules[2].tree, ELIGIBLE, BANSOS_TABLES, {}, {})[0].status == "passed"

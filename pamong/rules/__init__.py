"""Pamong rules-as-code engine: pure Python (no Django), see docs/rules-language.md.

Load a rule-set version, pick the one in force, evaluate one application or a frame of them:

    rule_sets = load_rule_sets("packs/bansos-pkh/rules")
    rule_set = select_version(rule_sets, filing_date)
    evaluation = rule_set.evaluate(facts, tables, impact_level=3)   # -> Evaluation
    frame = rule_set.evaluate_frame(df, tables, impact_level=3)     # -> pl.DataFrame
"""

from pamong.rules.errors import RuleError
from pamong.rules.loader import load_rule_set, load_rule_set_text, load_rule_sets
from pamong.rules.model import Evaluation, Fact, Outcome, Rule, RuleResult, RuleSet, Score, Status, Table
from pamong.rules.simulate import Comparison, Simulation, compare_versions, simulate
from pamong.rules.versions import check_versions, select_version

__all__ = [
    "Comparison",
    "Evaluation",
    "Fact",
    "Outcome",
    "Rule",
    "RuleError",
    "RuleResult",
    "RuleSet",
    "Score",
    "Simulation",
    "Status",
    "Table",
    "check_versions",
    "compare_versions",
    "load_rule_set",
    "load_rule_set_text",
    "load_rule_sets",
    "select_version",
    "simulate",
]

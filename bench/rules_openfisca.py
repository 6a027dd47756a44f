"""The bansos-pkh 2026-01 rules as an OpenFisca model, for benchmark (b). Runs in bench/.venv-openfisca only.

OpenFisca has no unknown values, so every input has a companion ``<name>_known`` variable and every rule
a ``<rule>_known`` one, implementing the same three-valued semantics as Pamong and the NumPy baseline.
Region codes are given as integers with a dense index lookup in a formula (the hand-tuned path; an
Enum-indexed parameter is the idiomatic one and is slower). Prints one JSON line: seconds and outcomes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rules_data import FACTS, generate, poverty_line_table

PERIOD = "2026-01"
KEYS, VALUES = poverty_line_table()
INDEX = np.full(int(KEYS.astype(np.int64).max()) + 2, -1, dtype=np.int64)
INDEX[KEYS.astype(np.int64)] = np.arange(len(KEYS))
Person = build_entity(key="person", plural="persons", label="Pemohon", is_person=True)
VALUE_TYPES = {"bool": bool, "money": int, "int": int, "str": int}  # region codes encoded as int


def variable(name: str, value_type: type, formula=None) -> type[Variable]:
    attributes = {
        "value_type": value_type,
        "entity": Person,
        "definition_period": DateUnit.MONTH,
        "label": name,
    }
    if formula is not None:
        attributes["formula"] = formula
    return type(name, (Variable,), attributes)


def both(p, period, name):
    return p(name, period), p(name + "_known", period)


def f_per_capita(p, period):
    (income, _), (size, size_k) = (
        both(p, period, "household_income"),
        both(p, period, "household_size"),
    )
    return income // np.where(size_k & (size != 0), size, 1)


def f_per_capita_known(p, period):
    return (
        p("household_income_known", period)
        & p("household_size_known", period)
        & (p("household_size", period) != 0)
    )


def f_line(p, period):
    at = INDEX[np.clip(p("kk_regency_code", period), 0, len(INDEX) - 1)]
    return VALUES[np.maximum(at, 0)]


def f_line_known(p, period):
    at = INDEX[np.clip(p("kk_regency_code", period), 0, len(INDEX) - 1)]
    return p("kk_regency_code_known", period) & (at >= 0)


def f_registered(p, period):
    return p("in_dtsen", period)


def f_registered_known(p, period):
    return p("in_dtsen_known", period)


def f_income_ok(p, period):
    return p("income_per_capita", period) <= p("regional_poverty_line", period)


def f_income_ok_known(p, period):
    return p("income_per_capita_known", period) & p("regional_poverty_line_known", period)


def _assets_parts(p, period):
    assets, assets_k = both(p, period, "assets_value")
    car, car_k = both(p, period, "owns_car")
    false = (assets_k & (assets > 50_000_000)) | (car_k & car)
    return false, assets_k & car_k


def f_assets(p, period):
    return ~_assets_parts(p, period)[0]


def f_assets_known(p, period):
    false, both_known = _assets_parts(p, period)
    return false | both_known


def f_component(p, period):
    return p("has_pkh_component", period)


def f_component_known(p, period):
    return p("has_pkh_component_known", period)


def f_address(p, period):
    return p("declared_regency_code", period) == p("kk_regency_code", period)


def f_address_known(p, period):
    return p("declared_regency_code_known", period) & p("kk_regency_code_known", period)


def f_score(p, period):
    share = p("income_per_capita", period) * 60 // np.maximum(1, p("regional_poverty_line", period))
    component = np.where(p("has_pkh_component", period), 10, 0)
    raw = p("elderly_count", period) * 15 + p("school_children_count", period) * 10 + component
    return np.minimum(100, raw + np.maximum(0, 60 - share))


def f_score_known(p, period):
    names = ("elderly_count_known", "school_children_count_known", "has_pkh_component_known")
    known = p("income_per_capita_known", period) & p("regional_poverty_line_known", period)
    for name in names:
        known = known & p(name, period)
    return known


DENY_RULES = ("registered_in_dtsen", "income_below_poverty_line", "no_high_value_assets", "has_pkh_component")


def f_outcome(p, period):
    denied = np.zeros(p.count, dtype=bool)
    unsure = ~p("address_matches_kk", period) | ~p("address_matches_kk_known", period)
    for rule in DENY_RULES:
        value, known = both(p, period, rule)
        denied |= known & ~value
        unsure |= ~known
    return np.where(denied, 2, np.where(unsure, 1, 0))


def build_system() -> TaxBenefitSystem:
    system = TaxBenefitSystem([Person])
    for name, type_name in FACTS.items():
        system.add_variable(variable(name, VALUE_TYPES[type_name]))
        system.add_variable(variable(name + "_known", bool))
    computed = [
        ("income_per_capita", int, f_per_capita, f_per_capita_known),
        ("regional_poverty_line", int, f_line, f_line_known),
        ("registered_in_dtsen", bool, f_registered, f_registered_known),
        ("income_below_poverty_line", bool, f_income_ok, f_income_ok_known),
        ("no_high_value_assets", bool, f_assets, f_assets_known),
        ("has_pkh_component", bool, f_component, f_component_known),
        ("address_matches_kk", bool, f_address, f_address_known),
        ("vulnerability", int, f_score, f_score_known),
    ]
    for name, value_type, formula, known in computed:
        if name not in FACTS:  # has_pkh_component is both a fact and a rule: the rule reads the fact
            system.add_variable(variable(name, value_type, formula))
        if name + "_known" not in {n + "_known" for n in FACTS}:
            system.add_variable(variable(name + "_known", bool, known))
    system.add_variable(variable("outcome", int, f_outcome))
    return system


OUTPUTS = [*DENY_RULES, "address_matches_kk", "vulnerability", "outcome"]


def run_once(system: TaxBenefitSystem, data: dict) -> np.ndarray:
    simulation = SimulationBuilder().build_default_simulation(system, count=len(data["in_dtsen"][0]))
    for name, (values, known) in data.items():
        simulation.set_input(name, PERIOD, values)
        simulation.set_input(name + "_known", PERIOD, known)
    for name in OUTPUTS:
        simulation.calculate(name, PERIOD)
        if name != "outcome":
            simulation.calculate(name + "_known", PERIOD)
    return simulation.calculate("outcome", PERIOD)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    raw = generate(args.rows)
    data = {n: (v.astype(np.int64) if FACTS[n] == "str" else v, k) for n, (v, k) in raw.items()}
    system = build_system()
    times, outcome = [], None
    for _ in range(args.repeat):
        start = time.perf_counter()
        outcome = run_once(system, data)
        times.append(time.perf_counter() - start)
    counts = dict(zip(*np.unique(outcome, return_counts=True), strict=True))
    outcomes = {name: int(counts.get(code, 0)) for code, name in enumerate(("GRANT", "REFER", "DENY"))}
    note = "inputs as arrays + *_known masks, int region codes, dense-index lookup"
    print(
        json.dumps(
            {
                "seconds": statistics.median(times),
                "outcomes": outcomes,
                "version": version("openfisca-core"),
                "note": note,
            }
        )
    )


if __name__ == "__main__":
    main()

"""The bansos-pkh 2026-01 rules written by hand in NumPy, single-threaded, with the engine's semantics.

Unknown values are carried as a separate ``known`` mask per array (NumPy has no nulls); and/or follow
Kleene's three-valued logic; x // 0 is unknown. Outcome codes: 0 GRANT, 1 REFER, 2 DENY.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Column = tuple[np.ndarray, np.ndarray]  # (values, known)


def lookup(keys: np.ndarray, values: np.ndarray, key: Column) -> Column:
    codes, known = key
    at = np.minimum(np.searchsorted(keys, codes), len(keys) - 1)
    return values[at], known & (keys[at] == codes)


def kleene_and(a: Column, b: Column) -> Column:
    false = (a[1] & ~a[0]) | (b[1] & ~b[0])
    return ~false, false | (a[1] & b[1])


def bansos(
    d: dict[str, Column], table_keys: np.ndarray, table_values: np.ndarray, find: Callable | None = None
) -> dict[str, Column | np.ndarray]:
    income, size = d["household_income"], d["household_size"]
    pc_known = income[1] & size[1] & (size[0] != 0)
    per_capita = (income[0] // np.where(pc_known, size[0], 1), pc_known)
    line = (
        find(table_keys, d["kk_regency_code"])
        if find
        else lookup(table_keys, table_values, d["kk_regency_code"])
    )

    registered = d["in_dtsen"]
    income_ok = (per_capita[0] <= line[0], per_capita[1] & line[1])
    assets = (d["assets_value"][0] <= 50_000_000, d["assets_value"][1])
    no_car = (~d["owns_car"][0], d["owns_car"][1])
    no_assets = kleene_and(assets, no_car)
    component = d["has_pkh_component"]
    declared, kk = d["declared_regency_code"], d["kk_regency_code"]
    address = (declared[0] == kk[0], declared[1] & kk[1])

    elderly, school = d["elderly_count"], d["school_children_count"]
    share = per_capita[0] * 60 // np.maximum(1, line[0])
    raw = elderly[0] * 15 + school[0] * 10 + np.where(component[0], 10, 0) + np.maximum(0, 60 - share)
    score_known = elderly[1] & school[1] & component[1] & per_capita[1] & line[1]
    score = (np.minimum(100, raw), score_known)

    deny_rules = (registered, income_ok, no_assets, component)
    denied = np.zeros(len(income[0]), dtype=bool)
    unsure = address[1] & ~address[0] | ~address[1]
    for value, known in deny_rules:
        denied |= known & ~value
        unsure |= ~known
    outcome = np.where(denied, 2, np.where(unsure, 1, 0)).astype(np.int8)
    return {
        "registered_in_dtsen": registered,
        "income_below_poverty_line": income_ok,
        "no_high_value_assets": no_assets,
        "has_pkh_component": component,
        "address_matches_kk": address,
        "vulnerability": score,
        "outcome": outcome,
        "proposed": denied,  # impact level 3: every DENY is proposed
    }


def dense_lookup(keys: np.ndarray, values: np.ndarray) -> Callable[[np.ndarray, Column], Column]:
    """For region codes pre-encoded as integers: one array index per row (NumPy's best case)."""
    index = np.full(int(keys.max()) + 2, -1, dtype=np.int64)
    index[keys] = np.arange(len(keys))

    def find(_keys: np.ndarray, key: Column) -> Column:
        codes, known = key
        at = index[np.clip(codes, 0, len(index) - 1)]
        return values[np.maximum(at, 0)], known & (at >= 0)

    return find

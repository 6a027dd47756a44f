"""Synthetic bansos-pkh applications for the rules benchmarks (NumPy only: also imported by the OpenFisca venv).

Every fact is missing (unknown) in about 2% of rows, 1% of rows come from a region missing from the
poverty-line table, 5% declare an address that differs from the KK, 0.5% declare a household of 0.
"""

from __future__ import annotations

import numpy as np

FACTS = {  # name -> engine type, as declared in packs/bansos-pkh/rules/2026-01.yaml
    "in_dtsen": "bool",
    "household_income": "money",
    "household_size": "int",
    "assets_value": "money",
    "owns_car": "bool",
    "has_pkh_component": "bool",
    "declared_regency_code": "str",
    "kk_regency_code": "str",
    "elderly_count": "int",
    "school_children_count": "int",
}
UNKNOWN_SHARE = 0.02


def poverty_line_table(seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """514 regency codes (sorted, as text) and a poverty line in rupiah for each."""
    rng = np.random.default_rng(seed)
    codes = np.sort(rng.choice(np.arange(1101, 9472), size=514, replace=False)).astype(str)
    return codes, rng.integers(420_000, 900_000, size=514).astype(np.int64)


def generate(n: int, seed: int = 2026) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """name -> (values, known) arrays of length n."""
    rng = np.random.default_rng(seed)
    codes, _ = poverty_line_table()
    kk = codes[rng.integers(0, len(codes), n)]
    kk[rng.random(n) < 0.01] = "9999"
    declared = kk.copy()
    moved = rng.random(n) < 0.05
    declared[moved] = codes[rng.integers(0, len(codes), int(moved.sum()))]
    size = rng.integers(1, 9, n).astype(np.int64)
    size[rng.random(n) < 0.005] = 0
    values = {
        "in_dtsen": rng.random(n) < 0.85,
        "household_income": rng.integers(0, 7_000_000, n).astype(np.int64),
        "household_size": size,
        "assets_value": rng.integers(0, 120_000_000, n).astype(np.int64),
        "owns_car": rng.random(n) < 0.1,
        "has_pkh_component": rng.random(n) < 0.8,
        "declared_regency_code": declared,
        "kk_regency_code": kk,
        "elderly_count": rng.integers(0, 4, n).astype(np.int64),
        "school_children_count": rng.integers(0, 6, n).astype(np.int64),
    }
    return {name: (values[name], rng.random(n) >= UNKNOWN_SHARE) for name in FACTS}

"""Small builders shared by the rule-engine tests."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from pamong.rules import RuleSet, load_rule_set_text
from pamong.rules.types import POLARS_DTYPES

PACKS = Path(__file__).resolve().parents[3] / "packs"  # the repository's packs/, wherever pytest runs

# The facts every test rule set declares (name -> type), and a poverty-line table.
FACT_TYPES = {
    "income": "money",
    "size": "int",
    "ratio": "number",
    "born": "date",
    "today": "date",
    "region": "str",
    "member": "bool",
    "other": "bool",
    "lat": "number",
    "lon": "number",
}
TABLES = {"line": {"3171": 800_000, "3273": 600_000, "0000": 0}, "weights": {1: 0.5, 2: 1.5}}

HEADER = """\
service: demo
version: "1"
effective_from: 2026-01-01
facts:
  income: {type: money, source: form, description: Penghasilan keluarga per bulan}
  size: {type: int, source: form, description: Jumlah anggota keluarga}
  ratio: {type: number, source: form, description: Rasio}
  born: {type: date, source: registry:dukcapil, description: Tanggal lahir}
  today: {type: date, source: system, description: Tanggal permohonan}
  region: {type: str, source: form, description: Kode wilayah}
  member: {type: bool, source: registry:dtsen, description: Terdaftar dalam DTSEN}
  other: {type: bool, source: form, description: Pernyataan lain}
  lat: {type: number, source: form, description: Lintang}
  lon: {type: number, source: form, description: Bujur}
tables:
  line: {key: str, value: money, description: Garis kemiskinan per kabupaten/kota}
  weights: {key: int, value: number, description: Bobot per jumlah anggota}
"""
RULE_LINE = 20  # the line of "require:" in one_rule()


def one_rule(require: str, on_fail: str = "deny", explain: str = "Penjelasan.") -> str:
    """A rule-set text with one rule; its 'require:' is on line RULE_LINE."""
    return (
        HEADER
        + f"rules:\n  - id: r1\n    require: {json.dumps(require)}\n    on_fail: {on_fail}\n"
        + f"    explain: {json.dumps(explain)}\n    legal_basis: Pasal 1\n"
    )


def one_value(expr: str) -> RuleSet:
    """A rule set whose derived value 'v' is ``expr`` (and a trivial rule)."""
    text = (
        HEADER
        + f"derived:\n  v: {{expr: {json.dumps(expr)}, description: Nilai}}\n"
        + "rules:\n  - {id: r1, require: 'True', on_fail: refer, explain: Ya., legal_basis: Pasal 1}\n"
    )
    return load_rule_set_text(text, "<test>")


def frame(rows: list[dict], types: dict[str, str] = FACT_TYPES) -> pl.DataFrame:
    schema = {name: POLARS_DTYPES[t] for name, t in types.items()}
    return pl.DataFrame([{n: row.get(n) for n in types} for row in rows], schema=schema)


def scalar_value(rule_set: RuleSet, facts: dict) -> object:
    _, _, _, derived = rule_set.scalar_function(facts, TABLES)
    return derived[0]


def vector_value(rule_set: RuleSet, facts: dict) -> object:
    out = rule_set.evaluate_frame(frame([facts]), TABLES, include_values=True)
    return out["value.v"][0]

"""A loaded rule-set version and the result of evaluating it."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import polars as pl

from pamong.rules.errors import RuleError
from pamong.rules.explain import Template, render
from pamong.rules.expr import Node
from pamong.rules.frame import evaluate_lazy
from pamong.rules.scalar import ScalarFn
from pamong.rules.types import DATE, INTEGRAL, NUMBER, python_value_ok
from pamong.rules.why import Part, deciding_parts, tree_leaves


class Outcome(StrEnum):
    GRANT = "GRANT"
    DENY = "DENY"
    REFER = "REFER"


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"


STATUS_OF = {True: Status.PASSED, False: Status.FAILED, None: Status.UNKNOWN}
DEFAULT_UNKNOWN = "Belum dapat dinilai karena data berikut belum tersedia: {missing}."
DEFAULT_UNKNOWN_NO_FACTS = "Belum dapat dinilai karena data pendukungnya belum lengkap."
# A condition of several parts of which only some decided it: the drafter's one sentence for the whole rule
# would be false for this applicant, so the explanation names the deciding parts (pamong/rules/why.py).
PARTS_FAILED = 'Syarat "{title}" tidak terpenuhi: {parts}.'
PARTS_UNKNOWN = 'Syarat "{title}" belum dapat dinilai: {parts}.'
PARTS_DETAIL = "Rinciannya: {parts}."


@dataclass(frozen=True)
class Fact:
    name: str
    type: str
    source: str
    description: str
    line: int


@dataclass(frozen=True)
class Table:
    name: str
    key_type: str
    value_type: str
    description: str
    source: str
    line: int


@dataclass(frozen=True)
class Derived:
    name: str
    expr: str
    type: str
    description: str
    line: int
    tree: Node = field(repr=False, compare=False)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    require: str
    on_fail: str  # "deny" | "refer"
    explain: Mapping[str, Template]  # status -> template; "unknown" may be absent
    legal_basis: str
    line: int
    tree: Node = field(repr=False, compare=False)
    facts_used: tuple[str, ...] = ()
    title_en: str = ""  # optional English title for English pages (the Indonesian title is the legal one)


@dataclass(frozen=True)
class Score:
    id: str
    expr: str
    type: str
    description: str
    line: int
    tree: Node = field(repr=False, compare=False)


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    title: str
    status: Status
    on_fail: str
    explanation: str
    legal_basis: str
    unknown_facts: tuple[str, ...]
    parts: tuple[Part, ...] = ()  # the parts of the condition that decided a failed or unknown rule

    def to_dict(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "status": str(self.status),
            "on_fail": self.on_fail,
            "explanation": self.explanation,
            "legal_basis": self.legal_basis,
            "unknown_facts": list(self.unknown_facts),
            "parts": [part.to_dict() for part in self.parts],
        }


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    proposed: bool  # a DENY for a service of impact level 3 or 4: a person makes the final decision
    rules: tuple[RuleResult, ...]
    scores: Mapping[str, object]
    values: Mapping[str, object]  # derived values, e.g. income per capita
    unknown_facts: tuple[str, ...]
    service: str
    version_id: str
    content_hash: str
    impact_level: int

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: dates become ISO text."""
        return {
            "outcome": str(self.outcome),
            "proposed": self.proposed,
            "rules": [r.to_dict() for r in self.rules],
            "scores": {k: _json(v) for k, v in self.scores.items()},
            "values": {k: _json(v) for k, v in self.values.items()},
            "unknown_facts": list(self.unknown_facts),
            "service": self.service,
            "version_id": self.version_id,
            "content_hash": self.content_hash,
            "impact_level": self.impact_level,
        }


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def decide_outcome(statuses: Sequence[bool | None], on_fail: Sequence[str]) -> Outcome:
    """The outcome policy, in one place for the scalar path (the generated code and Polars mirror it)."""
    if any(s is False and f == "deny" for s, f in zip(statuses, on_fail, strict=True)):
        return Outcome.DENY
    if any(s is None or (s is False and f == "refer") for s, f in zip(statuses, on_fail, strict=True)):
        return Outcome.REFER
    return Outcome.GRANT


@dataclass(frozen=True, eq=False)
class RuleSet:
    service: str
    version_id: str
    title: str
    effective_from: dt.date
    effective_until: dt.date | None
    legal_basis: tuple[str, ...]
    facts: Mapping[str, Fact]
    tables: Mapping[str, Table]
    derived: Mapping[str, Derived]
    rules: tuple[Rule, ...]
    scores: Mapping[str, Score]
    content_hash: str
    canonical: str = field(repr=False)
    source_file: str = ""
    scalar_function: ScalarFn = field(repr=False, default=None)  # type: ignore[assignment]
    scalar_source: str = field(repr=False, default="")

    def __repr__(self) -> str:
        return f"<RuleSet {self.service} {self.version_id} {self.content_hash[:19]}>"

    # --- in force ---------------------------------------------------------------------------------------
    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)

    # --- one application --------------------------------------------------------------------------------
    def evaluate(
        self,
        facts: Mapping[str, object],
        tables: Mapping[str, Mapping[object, object]] | None = None,
        impact_level: int = 1,
        open_breakers: Collection[str] = (),
    ) -> Evaluation:
        """Evaluate one application. ``open_breakers``: rule ids whose DENY must become REFER (DESIGN §3)."""
        clean = self.prepare_facts(facts)
        tables = self._check_tables_present(tables or {})
        outcome, rule_values, score_values, derived_values = self.scalar_function(clean, tables)
        on_fail = [r.on_fail if r.id not in open_breakers else "refer" for r in self.rules]
        if open_breakers:
            outcome = decide_outcome(rule_values, on_fail)
        values: dict[str, object] = dict(clean)
        values.update(zip(self.derived, derived_values, strict=True))
        values.update(zip(self.scores, score_values, strict=True))
        results = tuple(
            self._result(rule, status, fail, values, tables)
            for rule, status, fail in zip(self.rules, rule_values, on_fail, strict=True)
        )
        used = {name for rule in self.rules for name in rule.facts_used}
        return Evaluation(
            outcome=Outcome(outcome),
            proposed=outcome == Outcome.DENY and impact_level >= 3,
            rules=results,
            scores=dict(zip(self.scores, score_values, strict=True)),
            values=dict(zip(self.derived, derived_values, strict=True)),
            unknown_facts=tuple(name for name in self.facts if name in used and clean.get(name) is None),
            service=self.service,
            version_id=self.version_id,
            content_hash=self.content_hash,
            impact_level=impact_level,
        )

    def prepare_facts(self, facts: Mapping[str, object]) -> dict[str, object]:
        """Declared facts only, with light coercion (ISO text → date, whole Decimal → int); refuse wrong types."""
        clean: dict[str, object] = {}
        for name, fact in self.facts.items():
            value = _coerce(facts.get(name), fact.type)
            if not python_value_ok(value, fact.type):
                raise RuleError(
                    f"fact '{name}' must be {fact.type} or None, got {type(value).__name__} {value!r:.40}",
                    file=self.source_file,
                    field=f"facts.{name}",
                )
            clean[name] = value
        return clean

    def _check_tables_present(self, tables: Mapping[str, Mapping[object, object]]) -> Mapping:
        missing = sorted(set(self.tables) - set(tables))
        if missing:
            raise RuleError(
                f"tables not supplied: {', '.join(missing)}", file=self.source_file, field="tables"
            )
        return tables

    def _result(
        self,
        rule: Rule,
        value: bool | None,
        on_fail: str,
        values: Mapping[str, object],
        tables: Mapping[str, Mapping[object, object]],
    ) -> RuleResult:
        status = STATUS_OF[value]
        missing = tuple(n for n in rule.facts_used if values.get(n) is None) if value is None else ()
        template = rule.explain.get(str(status))
        parts: tuple[Part, ...] = ()
        if status != Status.PASSED:
            parts = deciding_parts(rule.tree, values, tables, self.descriptions, self.value_types)
        leaves = tree_leaves(rule.tree)
        every_part = len(parts) == leaves and all(p.status == status for p in parts)
        if parts and leaves > 1 and not every_part and (template is not None or status == Status.FAILED):
            joined = "; ".join(p.text for p in parts)
            pattern = PARTS_FAILED if status == Status.FAILED else PARTS_UNKNOWN
            text = pattern.format(title=rule.title, parts=joined)
        elif template is not None:
            text = render(template, values, self.value_types)
            if (
                parts and leaves > 1
            ):  # every part failed: the drafter's sentence holds; add each part's values
                text += " " + PARTS_DETAIL.format(parts="; ".join(p.text for p in parts))
        elif missing:
            described = "; ".join(self.facts[name].description for name in missing)
            text = DEFAULT_UNKNOWN.format(missing=described)
        elif unknown := [n for p in parts for n in p.unknown]:
            described = "; ".join(self.descriptions.get(n, n) for n in dict.fromkeys(unknown))
            text = DEFAULT_UNKNOWN.format(missing=described)
        else:
            text = DEFAULT_UNKNOWN_NO_FACTS
        return RuleResult(rule.id, rule.title, status, on_fail, text, rule.legal_basis, missing, parts)

    @cached_property
    def descriptions(self) -> dict[str, str]:
        """How a fact, derived value or table is named in a citizen's explanation."""
        names = {name: fact.description for name, fact in self.facts.items()}
        names.update({name: d.description for name, d in self.derived.items()})
        names.update({name: t.description for name, t in self.tables.items()})
        return names

    @property
    def value_types(self) -> dict[str, str]:
        types = {name: fact.type for name, fact in self.facts.items()}
        types.update({name: d.type for name, d in self.derived.items()})
        types.update({name: s.type for name, s in self.scores.items()})
        return types

    # --- many applications ------------------------------------------------------------------------------
    def evaluate_frame(
        self,
        df: pl.DataFrame | pl.LazyFrame,
        tables: Mapping[str, Mapping[object, object] | pl.DataFrame] | None = None,
        impact_level: int = 1,
        keep: Sequence[str] = (),
        open_breakers: Collection[str] = (),
        include_values: bool = False,
    ) -> pl.DataFrame:
        """One row per application: ``keep`` columns, ``rule.<id>`` (true/false/null = passed/failed/unknown),
        ``score.<id>``, optionally ``value.<name>``, then ``outcome`` and ``proposed``."""
        lazy = evaluate_lazy(self, df, tables or {}, impact_level, keep, open_breakers, include_values)
        return lazy.collect()


def _coerce(value: object, type_name: str) -> object:
    if type_name == DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, decimal.Decimal) and value.is_finite():
        if type_name in INTEGRAL and value == value.to_integral_value():
            return int(value)
        if type_name == NUMBER:
            return float(value)
    return value

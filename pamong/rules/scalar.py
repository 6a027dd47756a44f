"""Compile a checked rule set to one Python function, as template engines do.

The generator writes straight-line Python from the typed tree: variables are numbered (``f0``, ``d1``,
``t7``), facts are read with ``facts.get(<repr of a checked name>)`` and literals are ``repr()`` of values
the checker has already typed (int, float, str, bool; dates and lists go in as named constants).
No text from the rule file reaches the compiler any other way.

Semantics (the same as the Polars evaluator, see docs/rules-language.md): None is unknown; arithmetic and
comparisons with None give None; division by zero gives None; and/or/not are Kleene's three-valued logic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pamong.rules.expr import (
    Arith,
    Call,
    Compare,
    Cond,
    Lit,
    Logic,
    Lookup,
    Member,
    Name,
    Neg,
    Node,
    Not,
)
from pamong.rules.types import DATE, NUMBER

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
DEG = math.pi / 180.0


def geo_distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine great-circle distance; the Polars evaluator uses the same formula, step by step."""
    dphi = (lat2 - lat1) * DEG
    dlam = (lon2 - lon1) * DEG
    s1, s2 = math.sin(dphi * 0.5), math.sin(dlam * 0.5)
    a = s1 * s1 + math.cos(lat1 * DEG) * math.cos(lat2 * DEG) * (s2 * s2)
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Program:
    """What the scalar compiler needs: names and trees in evaluation order."""

    derived: Sequence[tuple[str, Node]]
    rules: Sequence[tuple[str, Node, str]]  # (id, tree, on_fail)
    scores: Sequence[tuple[str, Node]]


ScalarFn = Callable[[dict, dict], tuple[str, tuple, tuple, tuple]]


def compile_scalar(program: Program, label: str) -> tuple[ScalarFn, str]:
    """Return the compiled function ``fn(facts, tables) -> (outcome, rules, scores, derived)`` and its source."""
    gen = _Generator()
    derived_vars = [gen.bind_derived(name, node) for name, node in program.derived]
    rule_vars = [gen.value(node) for _, node, _ in program.rules]
    score_vars = [gen.value(node) for _, node in program.scores]
    deny = [v for v, (_, _, on_fail) in zip(rule_vars, program.rules, strict=True) if on_fail == "deny"]
    refer = [v for v, (_, _, on_fail) in zip(rule_vars, program.rules, strict=True) if on_fail == "refer"]
    gen.outcome(deny, refer)
    gen.line(f"return outcome, {_tuple(rule_vars)}, {_tuple(score_vars)}, {_tuple(derived_vars)}")
    source = gen.source()
    namespace: dict[str, object] = dict(gen.constants)
    namespace["_geo"] = geo_distance_km
    exec(compile(source, f"<rules {label}>", "exec"), namespace)  # noqa: S102 - generated from the checked tree
    return namespace["_evaluate"], source  # type: ignore[return-value]


def _constant(var: str) -> bool:
    """Literals are emitted as "(repr)" and dates/lists as "k<n>" constants: never None, never re-checked."""
    return var.startswith(("(", "k"))


def _tuple(names: list[str]) -> str:
    return "(" + "".join(f"{n}, " for n in names) + ")"


class _Generator:
    def __init__(self) -> None:
        self.body: list[str] = []
        self.depth = 1
        self.count = 0
        self.constants: dict[str, object] = {}
        self.fact_vars: dict[str, str] = {}
        self.table_vars: dict[str, str] = {}
        self.derived_vars: dict[str, str] = {}

    # bookkeeping
    def line(self, text: str) -> None:
        self.body.append("    " * self.depth + text)

    def fresh(self, prefix: str = "t") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, value: object) -> str:
        name = self.fresh("k")
        self.constants[name] = value
        return name

    def source(self) -> str:
        head = ["def _evaluate(facts, tables):", "    get = facts.get"]
        head += [f"    {var} = get({name!r})" for name, var in self.fact_vars.items()]
        head += [f"    {var} = tables[{name!r}]" for name, var in self.table_vars.items()]
        return "\n".join(head + self.body) + "\n"

    def bind_derived(self, name: str, node: Node) -> str:
        var = self.value(node)
        self.derived_vars[name] = var
        return var

    def value(self, node: Node) -> str:
        """Emit statements computing ``node``; return a variable name (or a literal) holding the value."""
        return getattr(self, "_" + type(node).__name__)(node)

    def outcome(self, deny: list[str], refer: list[str]) -> None:
        failed_deny = " or ".join(f"{v} is False" for v in deny)
        unsure = " or ".join([f"{v} is not True" for v in refer] + [f"{v} is None" for v in deny])
        branches = []
        if failed_deny:
            branches.append((failed_deny, "DENY"))
        if unsure:
            branches.append((unsure, "REFER"))
        for index, (test, result) in enumerate(branches):
            self.line(f"{'if' if index == 0 else 'elif'} {test}:")
            self.line(f"    outcome = {result!r}")
        self.line("else:" if branches else "if True:")
        self.line("    outcome = 'GRANT'")

    # one method per node type
    def _Lit(self, node: Lit) -> str:
        if node.type == DATE:
            return self.constant(node.value)
        return f"({node.value!r})"

    def _Name(self, node: Name) -> str:
        if node.kind == "derived":
            return self.derived_vars[node.name]
        if node.name not in self.fact_vars:
            self.fact_vars[node.name] = f"f{len(self.fact_vars)}"
        return self.fact_vars[node.name]

    def _guarded(self, expression: str, operands: list[str], extra: list[str] | None = None) -> str:
        """t = None if any operand is None (or an extra condition holds) else expression."""
        tests = [f"{v} is None" for v in operands if not _constant(v)] + (extra or [])
        target = self.fresh()
        if tests:
            self.line(f"{target} = None if {' or '.join(tests)} else {expression}")
        else:
            self.line(f"{target} = {expression}")
        return target

    def _Neg(self, node: Neg) -> str:
        x = self.value(node.operand)
        return self._guarded(f"-{x}", [x])

    def _Not(self, node: Not) -> str:
        x = self.value(node.operand)
        return self._guarded(f"not {x}", [x])

    def _Arith(self, node: Arith) -> str:
        left, right = self.value(node.left), self.value(node.right)
        zero = [f"{right} == 0"] if node.op in ("/", "//", "%") and not _constant(right) else []
        return self._guarded(f"{left} {node.op} {right}", [left, right], zero)

    def _Compare(self, node: Compare) -> str:
        left, right = self.value(node.left), self.value(node.right)
        return self._guarded(f"{left} {node.op} {right}", [left, right])

    def _Logic(self, node: Logic) -> str:
        # Kleene logic, short-circuiting only where the answer is already certain (expressions are pure).
        stop, keep = ("False", "True") if node.op == "and" else ("True", "False")
        target = self.fresh()
        first = self.value(node.operands[0])
        self.line(f"{target} = {first}")
        for operand in node.operands[1:]:
            self.line(f"if {target} is not {stop}:")
            self.depth += 1
            value = self.value(operand)
            self.line(f"if {value} is not {keep}:")
            self.line(f"    {target} = {value}")
            self.depth -= 1
        return target

    def _Cond(self, node: Cond) -> str:
        test = self.value(node.test)
        target = self.fresh()
        self.line(f"if {test} is None:")
        self.line(f"    {target} = None")
        for keyword, branch in ((f"elif {test}:", node.then), ("else:", node.orelse)):
            self.line(keyword)
            self.depth += 1
            self.line(f"{target} = {self.value(branch)}")
            self.depth -= 1
        return target

    def _Member(self, node: Member) -> str:
        x = self.value(node.operand)
        values = self.constant(frozenset(node.values))
        return self._guarded(f"{x} {'not in' if node.negate else 'in'} {values}", [x])

    def _Call(self, node: Call) -> str:
        args = [self.value(arg) for arg in node.args]
        fn = node.fn
        if fn in ("min", "max", "abs"):
            return self._guarded(f"{fn}({', '.join(args)})", args)
        if fn == "round":
            return self._guarded(f"round({args[0]})", args) if node.args[0].type == NUMBER else args[0]
        if fn == "days_between":
            return self._guarded(f"({args[1]} - {args[0]}).days", args)
        if fn == "age_on":
            born, on = args
            years = f"{on}.year - {born}.year - (({on}.month, {on}.day) < ({born}.month, {born}.day))"
            return self._guarded(years, args)
        return self._guarded(f"_geo({', '.join(args)})", args)

    def _Lookup(self, node: Lookup) -> str:
        if node.table not in self.table_vars:
            self.table_vars[node.table] = f"tb{len(self.table_vars)}"
        key = self.value(node.key)
        return self._guarded(f"{self.table_vars[node.table]}.get({key})", [key])

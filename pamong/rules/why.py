"""Which part of a rule decided it: per-part explanations that are true for this applicant.

A rule such as ``assets_value <= 60_000_000 and not owns_car`` fails for one family because of the car and
for another because of the assets. One sentence written for the whole rule ("... melebihi Rp60.000.000 atau
ada kendaraan ...") is false for one of them. This module walks the rule's typed tree with the applicant's
values and names exactly the parts that decided the result, each with its values and the requirement.

Blame, in Kleene's three-valued logic: the operands of ``and``/``or`` that decided the result are the ones
whose value equals the result (``a and b`` false: the false operands; ``a or b`` unknown: the unknown ones).
``not`` flips what the part was required to be; ``x if c else y`` blames its chosen branch.

Every part carries a *claim*: an expression in the rules language that is true for this applicant (the
actual relation between the values it shows), so a test can confirm it with the compiled evaluator.
The tree walker below mirrors the generated scalar code (``scalar.py``) and is checked against it.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    walk,
)
from pamong.rules.formatting import format_value
from pamong.rules.scalar import geo_distance_km
from pamong.rules.types import BOOL, DATE, NUMBER, NUMERIC

MAX_PARTS = 12  # a rule with more deciding parts than this is explained by its first ones


@dataclass(frozen=True)
class Part:
    """One deciding part of a rule for one applicant.

    ``status``: "failed" (the part is not what the rule requires), "passed" or "unknown".
    ``claim``: a rules-language expression that is true for these facts (empty for unknown parts).
    ``unknown``: the facts or derived values that were unknown.
    """

    source: str
    status: str
    text: str
    claim: str
    unknown: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "status": self.status, "text": self.text, "claim": self.claim}


# --- a small interpreter of the typed tree (the same semantics as the generated code) -------------------
def value_of(
    node: Node, values: Mapping[str, object], tables: Mapping[str, Mapping[object, object]]
) -> object:
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, Name):
        return values.get(node.name)
    if isinstance(node, Neg):
        x = value_of(node.operand, values, tables)
        return None if x is None else -x  # type: ignore[operator]
    if isinstance(node, Not):
        x = value_of(node.operand, values, tables)
        return None if x is None else not x
    if isinstance(node, Arith):
        return _arith(node.op, value_of(node.left, values, tables), value_of(node.right, values, tables))
    if isinstance(node, Compare):
        left, right = value_of(node.left, values, tables), value_of(node.right, values, tables)
        return None if left is None or right is None else _COMPARE[node.op](left, right)
    if isinstance(node, Logic):
        return _logic(node.op, [value_of(o, values, tables) for o in node.operands])
    if isinstance(node, Cond):
        test = value_of(node.test, values, tables)
        if test is None:
            return None
        return value_of(node.then if test else node.orelse, values, tables)
    if isinstance(node, Member):
        x = value_of(node.operand, values, tables)
        return None if x is None else (x in node.values) != node.negate
    if isinstance(node, Lookup):
        key = value_of(node.key, values, tables)
        return None if key is None else tables[node.table].get(key)
    if isinstance(node, Call):
        return _call(node, [value_of(a, values, tables) for a in node.args])
    raise TypeError(type(node).__name__)


def _arith(op: str, a: object, b: object) -> object:
    if a is None or b is None:
        return None
    if op in ("/", "//", "%") and b == 0:
        return None
    return {
        "+": lambda: a + b,  # type: ignore[operator]
        "-": lambda: a - b,  # type: ignore[operator]
        "*": lambda: a * b,  # type: ignore[operator]
        "/": lambda: a / b,  # type: ignore[operator]
        "//": lambda: a // b,  # type: ignore[operator]
        "%": lambda: a % b,  # type: ignore[operator]
    }[op]()


def _logic(op: str, values: list[object]) -> object:
    stop = op != "and"
    if any(v is stop for v in values):
        return stop
    if any(v is None for v in values):
        return None
    return not stop


def _call(node: Call, args: list[object]) -> object:
    if any(a is None for a in args):
        return None
    fn = node.fn
    if fn == "min":
        return min(args)  # type: ignore[type-var]
    if fn == "max":
        return max(args)  # type: ignore[type-var]
    if fn == "abs":
        return abs(args[0])  # type: ignore[arg-type]
    if fn == "round":
        return round(args[0]) if node.args[0].type == NUMBER else args[0]  # type: ignore[call-overload]
    if fn == "days_between":
        return (args[1] - args[0]).days  # type: ignore[operator]
    if fn == "age_on":
        born, on = args
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))  # type: ignore[attr-defined]
    return geo_distance_km(*args)  # type: ignore[arg-type]


_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


# --- source text of a subtree (the claim and the part's own expression) --------------------------------
def to_source(node: Node) -> str:
    """The rules-language text of ``node``, fully parenthesised (it parses back to the same tree)."""
    if isinstance(node, Lit):
        if node.type == DATE:
            return f'date("{node.value.isoformat()}")'  # type: ignore[attr-defined]
        return repr(node.value)
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Neg):
        return f"(-{to_source(node.operand)})"
    if isinstance(node, Not):
        return f"(not {to_source(node.operand)})"
    if isinstance(node, Arith | Compare):
        return f"({to_source(node.left)} {node.op} {to_source(node.right)})"
    if isinstance(node, Logic):
        return "(" + f" {node.op} ".join(to_source(o) for o in node.operands) + ")"
    if isinstance(node, Cond):
        return f"({to_source(node.then)} if {to_source(node.test)} else {to_source(node.orelse)})"
    if isinstance(node, Member):
        items = ", ".join(repr(v) for v in node.values)
        return f"({to_source(node.operand)} {'not in' if node.negate else 'in'} [{items}])"
    if isinstance(node, Lookup):
        return f"lookup({node.table}, {to_source(node.key)})"
    if isinstance(node, Call):
        return f"{node.fn}({', '.join(to_source(a) for a in node.args)})"
    raise TypeError(type(node).__name__)


# --- Indonesian words ---------------------------------------------------------------------------------
_REQUIRED = {  # what the rule requires of the left side, given the right side
    "<=": "paling banyak",
    "<": "kurang dari",
    ">=": "paling sedikit",
    ">": "lebih dari",
    "==": "sama dengan",
    "!=": "tidak sama dengan",
}
_REQUIRED_DATE = {
    "<=": "paling lambat",
    "<": "sebelum",
    ">=": "paling cepat",
    ">": "sesudah",
    "==": "sama dengan",
    "!=": "tidak sama dengan",
}
_ACTUAL = {">": "melebihi", "<": "kurang dari", "==": "sama dengan", "!=": "berbeda dengan"}
_ACTUAL_DATE = {">": "sesudah", "<": "sebelum", "==": "sama dengan", "!=": "berbeda dengan"}


@dataclass(frozen=True)
class _Context:
    values: Mapping[str, object]
    tables: Mapping[str, Mapping[object, object]]
    descriptions: Mapping[str, str]
    types: Mapping[str, str]


def deciding_parts(
    tree: Node,
    values: Mapping[str, object],
    tables: Mapping[str, Mapping[object, object]],
    descriptions: Mapping[str, str],
    types: Mapping[str, str],
) -> tuple[Part, ...]:
    """The parts of ``tree`` (a rule's condition, required to be true) that decided its value."""
    ctx = _Context(values, tables, descriptions, types)
    parts: list[Part] = []
    _blame(tree, True, ctx, parts)
    return tuple(parts[:MAX_PARTS])


def _blame(node: Node, want: bool, ctx: _Context, out: list[Part]) -> None:
    value = value_of(node, ctx.values, ctx.tables)
    if isinstance(node, Not):
        _blame(node.operand, not want, ctx, out)
        return
    if isinstance(node, Logic):
        for operand in node.operands:
            if value_of(operand, ctx.values, ctx.tables) is value:
                _blame(operand, want, ctx, out)
        return
    if isinstance(node, Cond):
        test = value_of(node.test, ctx.values, ctx.tables)
        if test is None:
            out.append(_unknown_part(node.test, ctx))
        else:
            _blame(node.then if test else node.orelse, want, ctx, out)
        return
    if value is None:
        out.append(_unknown_part(node, ctx))
        return
    status = "passed" if value is want else "failed"
    out.append(_leaf_part(node, bool(value), want, status, ctx))


def _unknown_part(node: Node, ctx: _Context) -> Part:
    names = _unknown_names(node, ctx)
    if names:
        text = "; ".join(f"{_label(n, ctx)} belum diketahui" for n in names)
    else:
        text = "nilainya tidak dapat dihitung dari data yang tersedia"
    return Part(to_source(node), "unknown", text, "", names)


def _unknown_names(node: Node, ctx: _Context) -> tuple[str, ...]:
    """The names read by ``node`` whose value is unknown (derived values before the facts behind them)."""
    seen: list[str] = []
    for sub in walk(node):
        if isinstance(sub, Name) and ctx.values.get(sub.name) is None and sub.name not in seen:
            seen.append(sub.name)
    return tuple(seen)


def _label(name: str, ctx: _Context) -> str:
    return ctx.descriptions.get(name, name)


def _leaf_part(node: Node, value: bool, want: bool, status: str, ctx: _Context) -> Part:
    source = to_source(node)
    if isinstance(node, Compare):
        return _compare_part(node, want, status, ctx)
    if isinstance(node, Member):
        shown = _side(node.operand, ctx)
        items = ", ".join(format_value(v, node.operand.type) for v in node.values)
        inside = value != node.negate  # the operand is in the list
        where = "termasuk" if inside else "tidak termasuk"
        want_in = want != node.negate
        required = "termasuk" if want_in else "tidak termasuk"
        text = f"{shown} {where} dalam daftar ({items}); yang disyaratkan: {required}"
        claim = to_source(Member(BOOL, node.operand, node.values, not inside))
        return Part(source, status, text, claim)
    # a true/false value: a fact, a derived value, a table look-up, a literal
    shown = _side(node, ctx, with_value=False)
    text = f"{shown}: {format_value(value, BOOL)} (yang disyaratkan: {format_value(want, BOOL)})"
    claim = source if value else f"(not {source})"
    return Part(source, status, text, claim)


def _compare_part(node: Compare, want: bool, status: str, ctx: _Context) -> Part:
    left = value_of(node.left, ctx.values, ctx.tables)
    right = value_of(node.right, ctx.values, ctx.tables)
    ordered = node.left.type in NUMERIC or node.left.type == DATE
    if ordered:
        actual = ">" if left > right else "<" if left < right else "=="  # type: ignore[operator]
    else:
        actual = "==" if left == right else "!="
    dates = node.left.type == DATE
    required_op = node.op if want else _NEGATED[node.op]
    required = (_REQUIRED_DATE if dates else _REQUIRED)[required_op]
    relation = (_ACTUAL_DATE if dates else _ACTUAL)[actual]
    # a literal beside money reads as money: "Rp60.000.000", not "60.000.000"
    left_as = node.right.type if isinstance(node.left, Lit) else None
    right_as = node.left.type if isinstance(node.right, Lit) else None
    right_text = _side(node.right, ctx, as_type=right_as)
    threshold = _value_only(node.right, ctx, as_type=right_as)
    text = (
        f"{_side(node.left, ctx, as_type=left_as)} {relation} {right_text} "
        f"(yang disyaratkan: {required} {threshold})"
    )
    claim = f"({to_source(node.left)} {actual} {to_source(node.right)})"
    return Part(to_source(node), status, text, claim)


def _value_only(node: Node, ctx: _Context, as_type: str | None = None) -> str:
    return format_value(value_of(node, ctx.values, ctx.tables), _shown_type(node, as_type))


def _shown_type(node: Node, as_type: str | None) -> str:
    if isinstance(node, Lit) and as_type is not None and node.type in NUMERIC and as_type in NUMERIC:
        return as_type if not (as_type != NUMBER and isinstance(node.value, float)) else node.type
    return node.type


def _side(node: Node, ctx: _Context, with_value: bool = True, as_type: str | None = None) -> str:
    """How one side of a comparison reads: a name by its description and value, a literal by its value,
    anything else as its arithmetic with the values filled in and the result."""
    if isinstance(node, Lit):
        return format_value(node.value, _shown_type(node, as_type))
    if isinstance(node, Name):
        label = _label(node.name, ctx)
        if not with_value:
            return label
        return f"{label} {format_value(ctx.values.get(node.name), node.type)}"
    worked = _worked(node, ctx)
    if worked.startswith("(") and worked.endswith(")"):
        worked = worked[1:-1]
    if not with_value:
        return worked
    return f"{worked} = {_value_only(node, ctx)}"


_SYMBOLS = {"*": "×", "/": ":", "//": "dibagi", "%": "sisa bagi", "+": "+", "-": "−"}


def _worked(node: Node, ctx: _Context) -> str:
    """Arithmetic written with the applicant's values in place of names: 'Rp1.000.000 × 10'."""
    if isinstance(node, Lit | Name):
        return format_value(value_of(node, ctx.values, ctx.tables), node.type)
    if isinstance(node, Arith):
        return f"({_worked(node.left, ctx)} {_SYMBOLS[node.op]} {_worked(node.right, ctx)})"
    if isinstance(node, Neg):
        return f"−{_worked(node.operand, ctx)}"
    if isinstance(node, Call):
        args = [_worked(a, ctx) for a in node.args]
        return _CALL_WORDS[node.fn](args)
    return format_value(value_of(node, ctx.values, ctx.tables), node.type)


_CALL_WORDS = {
    "age_on": lambda a: f"umur pada {a[1]} bagi yang lahir {a[0]}",
    "days_between": lambda a: f"jumlah hari dari {a[0]} sampai {a[1]}",
    "min": lambda a: f"yang terkecil dari {', '.join(a)}",
    "max": lambda a: f"yang terbesar dari {', '.join(a)}",
    "abs": lambda a: f"nilai mutlak {a[0]}",
    "round": lambda a: f"pembulatan {a[0]}",
    "geo_distance_km": lambda a: f"jarak dalam km antara ({a[0]}, {a[1]}) dan ({a[2]}, {a[3]})",
}


def tree_leaves(node: Node) -> int:
    """How many parts a condition has below its and/or/not (1 for a single comparison)."""
    if isinstance(node, Not):
        return tree_leaves(node.operand)
    if isinstance(node, Logic):
        return sum(tree_leaves(o) for o in node.operands)
    return 1


__all__ = ["Part", "deciding_parts", "to_source", "tree_leaves", "value_of"]

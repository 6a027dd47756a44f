"""Parse and type-check one expression into a small typed tree (the IR both evaluators compile from).

Python's own parser reads the text (``ast.parse(mode="eval")``); nothing is ever evaluated by Python.
The checker walks the tree with a whitelist of node types and turns it into the IR below; anything not
listed is refused with a message for the drafter.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass

from pamong.rules.errors import RuleError, said
from pamong.rules.types import BOOL, DATE, INT, INTEGRAL, MONEY, NUMBER, NUMERIC, STR, unify_numeric

MAX_EXPR_CHARS = 2000
MAX_NODES = 400
MAX_DEPTH = 32
MAX_LIST_ITEMS = 256
MAX_STR_CHARS = 500
MAX_ABS_INT = 2**53  # integers beyond this lose precision when mixed with numbers; refuse them

FUNCTIONS = ("abs", "age_on", "date", "days_between", "geo_distance_km", "lookup", "max", "min", "round")


# --- the typed tree ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Lit:
    type: str
    value: object


@dataclass(frozen=True, slots=True)
class Name:
    type: str
    name: str
    kind: str  # "fact" | "derived"


@dataclass(frozen=True, slots=True)
class Neg:
    type: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Not:
    type: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Arith:
    type: str
    op: str  # + - * / // %
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Compare:
    type: str
    op: str  # == != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Logic:
    type: str
    op: str  # and | or
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Cond:
    type: str
    test: Node
    then: Node
    orelse: Node


@dataclass(frozen=True, slots=True)
class Member:
    type: str
    operand: Node
    values: tuple[object, ...]
    negate: bool


@dataclass(frozen=True, slots=True)
class Call:
    type: str
    fn: str  # min max abs round age_on days_between geo_distance_km
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Lookup:
    type: str
    table: str
    key: Node


Node = Lit | Name | Neg | Not | Arith | Compare | Logic | Cond | Member | Call | Lookup


@dataclass(frozen=True)
class Scope:
    """What an expression may refer to: declared facts, earlier derived values and declared tables."""

    facts: Mapping[str, str]
    derived: Mapping[str, str]
    tables: Mapping[str, tuple[str, str]]  # name -> (key type, value type)


# --- messages for syntax we refuse ---------------------------------------------------------------------
_UNSUPPORTED = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "indexing (a[b])",
    ast.Slice: "slices",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.NamedExpr: "assignment (:=)",
    ast.Starred: "unpacking (*)",
    ast.Dict: "dictionaries ({...})",
    ast.Set: "sets ({...})",
    ast.Tuple: "tuples",
    ast.List: "a list outside 'in [...]'",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%"}
_BAD_BINOPS = {
    ast.Pow: "the power operator '**'",
    ast.BitAnd: "the operator '&' (write 'and')",
    ast.BitOr: "the operator '|' (write 'or')",
    ast.BitXor: "the operator '^'",
    ast.LShift: "the operator '<<'",
    ast.RShift: "the operator '>>'",
    ast.MatMult: "the operator '@'",
}
_CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_NONE_MESSAGE = (
    "None is not allowed in rules; unknown values are handled automatically "
    "(a rule with an unknown input is unknown and the case goes to a person)"
)


def parse_expression(text: str, scope: Scope) -> Node:
    """Parse and type-check ``text``; raise RuleError (without location; the caller adds it)."""
    if not isinstance(text, str) or not text.strip():
        raise RuleError("expression is empty")
    if len(text) > MAX_EXPR_CHARS:
        raise RuleError(
            "expression is too long (%(size)s characters; the limit is %(limit)s)",
            params={"size": len(text), "limit": MAX_EXPR_CHARS},
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        if exc.offset and exc.offset > 0:  # Python's own words for the syntax error stay as it gives them
            raise RuleError(
                "invalid expression: %(error)s (column %(column)s)",
                params={"error": exc.msg, "column": exc.offset},
            ) from None
        raise RuleError("invalid expression: %(error)s", params={"error": exc.msg}) from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        raise RuleError("invalid expression: %(error)s", params={"error": type(exc).__name__}) from None
    size = sum(1 for _ in ast.walk(tree))  # ast.walk is iterative: safe on any depth
    if size > MAX_NODES:
        raise RuleError(
            "expression is too large (%(size)s parts; the limit is %(limit)s)",
            params={"size": size, "limit": MAX_NODES},
        )
    node = _Checker(scope).check(tree.body, 0)
    _refuse_constant_zero_divisors(node)
    return node


class _Checker:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def check(self, node: ast.AST, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise RuleError(
                "expression is nested too deeply (more than %(limit)s levels)", params={"limit": MAX_DEPTH}
            )
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            what = _UNSUPPORTED.get(type(node), type(node).__name__)
            raise RuleError("unsupported syntax: %(what)s", params={"what": said(what)})
        return method(node, depth + 1)

    # literals and names
    def _Constant(self, node: ast.Constant, depth: int) -> Node:
        return _literal(node.value)

    def _Name(self, node: ast.Name, depth: int) -> Node:
        name, scope = node.id, self.scope
        if name in scope.facts:
            return Name(scope.facts[name], name, "fact")
        if name in scope.derived:
            return Name(scope.derived[name], name, "derived")
        if name in scope.tables:
            raise RuleError(
                "table '%(name)s' can only be used as lookup(%(name)s, key)", params={"name": name}
            )
        known = sorted(scope.facts) + sorted(scope.derived)
        close = difflib.get_close_matches(name, known, n=1)
        facts = ", ".join(sorted(scope.facts)) or said("none")
        listing = (
            said(
                "declared facts: %(facts)s; derived values: %(derived)s",
                facts=facts,
                derived=", ".join(sorted(scope.derived)),
            )
            if scope.derived
            else said("declared facts: %(facts)s", facts=facts)
        )
        if close:
            raise RuleError(
                "unknown name '%(name)s'; did you mean '%(close)s'? (%(listing)s)",
                params={"name": name, "close": close[0], "listing": listing},
            )
        raise RuleError("unknown name '%(name)s' (%(listing)s)", params={"name": name, "listing": listing})

    # operators
    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> Node:
        operand = self.check(node.operand, depth)
        if isinstance(node.op, ast.Not):
            _need_bool("not", operand)
            return Not(BOOL, operand)
        if isinstance(node.op, ast.Invert):
            raise RuleError("unsupported syntax: the operator '~' (write 'not')")
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        if operand.type not in NUMERIC:
            raise RuleError(
                "'%(op)s' needs a number, got %(type)s", params={"op": sign, "type": operand.type}
            )
        if sign == "+":
            return operand
        if isinstance(operand, Lit):  # fold "-5" into a literal so it reads as one in lists and hashes
            return Lit(operand.type, -operand.value)  # type: ignore[operator]
        return Neg(operand.type, operand)

    def _BinOp(self, node: ast.BinOp, depth: int) -> Node:
        if type(node.op) in _BAD_BINOPS:
            raise RuleError("unsupported syntax: %(what)s", params={"what": said(_BAD_BINOPS[type(node.op)])})
        op = _BINOPS[type(node.op)]
        left, right = self.check(node.left, depth), self.check(node.right, depth)
        return Arith(_arith_type(op, left.type, right.type), op, left, right)

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> Node:
        op = "and" if isinstance(node.op, ast.And) else "or"
        operands = tuple(self.check(value, depth) for value in node.values)
        for operand in operands:
            _need_bool(op, operand)
        return Logic(BOOL, op, operands)

    def _Compare(self, node: ast.Compare, depth: int) -> Node:
        left = self.check(node.left, depth)
        if any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
            if len(node.ops) > 1:
                raise RuleError("'in [...]' cannot be chained with another comparison")
            return self._member(left, node.comparators[0], isinstance(node.ops[0], ast.NotIn))
        parts: list[Node] = []
        for op_node, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op_node, ast.Is | ast.IsNot):
                raise RuleError("unsupported syntax: 'is' / 'is not' (write == or !=)")
            right = self.check(right_node, depth)
            op = _CMPOPS[type(op_node)]
            _check_comparable(op, left.type, right.type)
            parts.append(Compare(BOOL, op, left, right))
            left = right
        return parts[0] if len(parts) == 1 else Logic(BOOL, "and", tuple(parts))

    def _member(self, operand: Node, values_node: ast.AST, negate: bool) -> Node:
        word = "not in" if negate else "in"
        if not isinstance(values_node, ast.List):
            raise RuleError(
                '\'%(word)s\' needs a list of literal values, e.g. x %(word)s ["a", "b"]',
                params={"word": word},
            )
        if len(values_node.elts) > MAX_LIST_ITEMS:
            raise RuleError(
                "list has %(count)s items; the limit is %(limit)s",
                params={"count": len(values_node.elts), "limit": MAX_LIST_ITEMS},
            )
        if operand.type not in (INT, MONEY, NUMBER, STR):
            raise RuleError(
                "'%(word)s' works on numbers and text, got %(type)s",
                params={"word": word, "type": operand.type},
            )
        values = []
        for index, element in enumerate(values_node.elts, start=1):
            item = self._list_item(element)
            want_ok = (
                item.type == STR
                if operand.type == STR
                else item.type in INTEGRAL or (operand.type == NUMBER and item.type == NUMBER)
            )
            if not want_ok:
                raise RuleError(
                    "'%(word)s' compares %(type)s with a list, but item %(index)s is %(item)s",
                    params={"word": word, "type": operand.type, "index": index, "item": item.type},
                )
            values.append(float(item.value) if operand.type == NUMBER else item.value)  # type: ignore[arg-type]
        return Member(BOOL, operand, tuple(values), negate)

    def _list_item(self, element: ast.AST) -> Lit:
        node = self.check(element, MAX_DEPTH - 1)
        if not isinstance(node, Lit) or node.type == BOOL:
            raise RuleError("list items must be literal numbers or texts")
        return node

    def _IfExp(self, node: ast.IfExp, depth: int) -> Node:
        test = self.check(node.test, depth)
        then, orelse = self.check(node.body, depth), self.check(node.orelse, depth)
        if test.type != BOOL:
            raise RuleError(
                "the condition of 'x if condition else y' must be true/false, got %(type)s",
                params={"type": test.type},
            )
        if then.type in NUMERIC and orelse.type in NUMERIC:
            return Cond(unify_numeric([then.type, orelse.type]), test, then, orelse)
        if then.type != orelse.type:
            raise RuleError(
                "both branches of 'x if condition else y' must have the same type, got %(then)s and %(orelse)s",
                params={"then": then.type, "orelse": orelse.type},
            )
        return Cond(then.type, test, then, orelse)

    # function calls
    def _Call(self, node: ast.Call, depth: int) -> Node:
        if not isinstance(node.func, ast.Name):
            raise RuleError("unsupported syntax: calling something that is not a function name")
        fn = node.func.id
        if fn not in FUNCTIONS:
            raise RuleError(
                "function '%(fn)s' is not allowed (allowed: %(allowed)s)",
                params={"fn": fn, "allowed": ", ".join(FUNCTIONS)},
            )
        if node.keywords:
            raise RuleError("unsupported syntax: keyword arguments in function calls")
        if fn == "lookup":
            return self._lookup(node, depth)
        if fn == "date":
            return _date_literal(node)
        args = tuple(self.check(arg, depth) for arg in node.args)
        return Call(_call_type(fn, [a.type for a in args]), fn, args)

    def _lookup(self, node: ast.Call, depth: int) -> Node:
        if len(node.args) != 2:
            raise RuleError(
                "function 'lookup' takes 2 arguments, got %(count)s", params={"count": len(node.args)}
            )
        table_node = node.args[0]
        if not isinstance(table_node, ast.Name) or table_node.id not in self.scope.tables:
            declared = ", ".join(sorted(self.scope.tables)) or said("none")
            raise RuleError(
                "the first argument of lookup must be a declared table (declared tables: %(declared)s)",
                params={"declared": declared},
            )
        key_type, value_type = self.scope.tables[table_node.id]
        key = self.check(node.args[1], depth)
        if key.type != key_type:
            raise RuleError(
                "lookup key for table '%(table)s' must be %(want)s, got %(type)s",
                params={"table": table_node.id, "want": key_type, "type": key.type},
            )
        return Lookup(value_type, table_node.id, key)


# --- typing rules --------------------------------------------------------------------------------------
def _literal(value: object) -> Lit:
    if value is None:
        raise RuleError(_NONE_MESSAGE)
    if isinstance(value, bool):
        return Lit(BOOL, value)
    if isinstance(value, int):
        if abs(value) > MAX_ABS_INT:
            if len(str(value)) <= 20:
                raise RuleError(
                    "number %(value)s is too large (the limit is %(limit)s)",
                    params={"value": value, "limit": MAX_ABS_INT},
                )
            raise RuleError("number is too large (the limit is %(limit)s)", params={"limit": MAX_ABS_INT})
        return Lit(INT, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RuleError("number is too large")
        return Lit(NUMBER, value)
    if isinstance(value, str):
        if len(value) > MAX_STR_CHARS:
            raise RuleError(
                "text is too long (%(size)s characters; the limit is %(limit)s)",
                params={"size": len(value), "limit": MAX_STR_CHARS},
            )
        return Lit(STR, value)
    raise RuleError("unsupported syntax: %(kind)s literals", params={"kind": type(value).__name__})


def _date_literal(node: ast.Call) -> Lit:
    args = node.args
    if len(args) != 1 or not isinstance(args[0], ast.Constant) or not isinstance(args[0].value, str):
        raise RuleError('date() takes one literal text "YYYY-MM-DD", e.g. date("2026-01-31")')
    try:
        return Lit(DATE, dt.date.fromisoformat(args[0].value))
    except ValueError:
        raise RuleError(
            "date() got '%(value)s', which is not a date written YYYY-MM-DD",
            params={"value": args[0].value[:40]},
        ) from None


def _need_bool(op: str, operand: Node) -> None:
    if operand.type != BOOL:
        raise RuleError(
            "'%(op)s' needs true/false values, got %(type)s", params={"op": op, "type": operand.type}
        )


def _arith_type(op: str, left: str, right: str) -> str:
    if left not in NUMERIC or right not in NUMERIC:
        params = {"op": op, "left": left, "right": right}
        if DATE in (left, right):
            raise RuleError(
                "'%(op)s' needs numbers, got %(left)s and %(right)s "
                "(use days_between(a, b) for the days between two dates)",
                params=params,
            )
        raise RuleError("'%(op)s' needs numbers, got %(left)s and %(right)s", params=params)
    if op == "/":
        return NUMBER
    if op in ("//", "%") and NUMBER in (left, right):
        raise RuleError(
            "'%(op)s' needs whole numbers (int or money), got %(left)s and %(right)s; use round() first",
            params={"op": op, "left": left, "right": right},
        )
    if NUMBER in (left, right):
        return NUMBER
    if op == "*" and left == right == MONEY:
        raise RuleError("'*' cannot multiply two amounts of money")
    if op == "//" and left == right == MONEY:
        return INT
    return unify_numeric([left, right])


def _check_comparable(op: str, left: str, right: str) -> None:
    if left in NUMERIC and right in NUMERIC:
        return
    if op in ("==", "!=") and left == right:
        return
    if left == right == DATE:
        return
    params = {"op": op, "left": left, "right": right}
    if left == right:
        raise RuleError(
            "cannot compare %(left)s and %(right)s with '%(op)s' (%(left)s can only be compared with == or !=)",
            params=params,
        )
    raise RuleError("cannot compare %(left)s and %(right)s with '%(op)s'", params=params)


_SIGNATURES: dict[str, tuple[str, ...]] = {
    "age_on": (DATE, DATE),
    "days_between": (DATE, DATE),
    "geo_distance_km": ("numeric",) * 4,
    "abs": ("numeric",),
    "round": ("numeric",),
}


def _call_type(fn: str, args: list[str]) -> str:
    if fn in ("min", "max"):
        if len(args) < 2:
            raise RuleError(
                "function '%(fn)s' takes at least 2 arguments, got %(count)s",
                params={"fn": fn, "count": len(args)},
            )
        if all(a in NUMERIC for a in args):
            return unify_numeric(args)
        if all(a == DATE for a in args):
            return DATE
        raise RuleError(
            "function '%(fn)s' needs all numbers or all dates, got %(types)s",
            params={"fn": fn, "types": ", ".join(args)},
        )
    wanted = _SIGNATURES[fn]
    if len(args) != len(wanted):
        raise RuleError(
            "function '%(fn)s' takes %(wanted)s argument, got %(count)s"
            if len(wanted) == 1
            else "function '%(fn)s' takes %(wanted)s arguments, got %(count)s",
            params={"fn": fn, "wanted": len(wanted), "count": len(args)},
        )
    for index, (want, got) in enumerate(zip(wanted, args, strict=True), start=1):
        if (want == "numeric" and got not in NUMERIC) or (want != "numeric" and got != want):
            raise RuleError(
                "argument %(index)s of '%(fn)s' must be %(want)s, got %(type)s",
                params={
                    "index": index,
                    "fn": fn,
                    "want": said("a number") if want == "numeric" else want,
                    "type": got,
                },
            )
    if fn in ("age_on", "days_between"):
        return INT
    if fn == "geo_distance_km":
        return NUMBER
    if fn == "round":
        return INT if args[0] == NUMBER else args[0]
    return args[0]  # abs


# --- constant division by zero -------------------------------------------------------------------------
_NOT_CONSTANT = object()


def _refuse_constant_zero_divisors(node: Node) -> None:
    for sub in walk(node):
        if isinstance(sub, Arith) and sub.op in ("/", "//", "%") and _constant(sub.right) == 0:
            raise RuleError("division by zero: the divisor of '%(op)s' is always 0", params={"op": sub.op})


def _constant(node: Node) -> object:
    """The value of a subtree made only of literals and arithmetic, else _NOT_CONSTANT."""
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, Neg):
        value = _constant(node.operand)
        return _NOT_CONSTANT if value is _NOT_CONSTANT else -value  # type: ignore[operator]
    if isinstance(node, Arith):
        left, right = _constant(node.left), _constant(node.right)
        if left is _NOT_CONSTANT or right is _NOT_CONSTANT:
            return _NOT_CONSTANT
        if node.op in ("/", "//", "%") and right == 0:
            return _NOT_CONSTANT  # reported where it occurs
        try:
            return _ARITH[node.op](left, right)
        except (OverflowError, ZeroDivisionError):
            return _NOT_CONSTANT
    return _NOT_CONSTANT


_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
}


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Neg | Not):
        return (node.operand,)
    if isinstance(node, Arith | Compare):
        return (node.left, node.right)
    if isinstance(node, Logic):
        return node.operands
    if isinstance(node, Cond):
        return (node.test, node.then, node.orelse)
    if isinstance(node, Member):
        return (node.operand,)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Lookup):
        return (node.key,)
    return ()


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children (iterative)."""
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out


def names_used(node: Node) -> set[tuple[str, str]]:
    """(kind, name) pairs the expression reads: kind is "fact", "derived" or "table"."""
    used: set[tuple[str, str]] = set()
    for sub in walk(node):
        if isinstance(sub, Name):
            used.add((sub.kind, sub.name))
        elif isinstance(sub, Lookup):
            used.add(("table", sub.table))
    return used

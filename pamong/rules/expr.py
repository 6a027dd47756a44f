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

from pamong.rules.errors import RuleError
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
        raise RuleError(f"expression is too long ({len(text)} characters; the limit is {MAX_EXPR_CHARS})")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        column = f" (column {exc.offset})" if exc.offset and exc.offset > 0 else ""
        raise RuleError(f"invalid expression: {exc.msg}{column}") from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        raise RuleError(f"invalid expression: {type(exc).__name__}") from None
    size = sum(1 for _ in ast.walk(tree))  # ast.walk is iterative: safe on any depth
    if size > MAX_NODES:
        raise RuleError(f"expression is too large ({size} parts; the limit is {MAX_NODES})")
    node = _Checker(scope).check(tree.body, 0)
    _refuse_constant_zero_divisors(node)
    return node


class _Checker:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def check(self, node: ast.AST, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise RuleError(f"expression is nested too deeply (more than {MAX_DEPTH} levels)")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            what = _UNSUPPORTED.get(type(node), type(node).__name__)
            raise RuleError(f"unsupported syntax: {what}")
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
            raise RuleError(f"table '{name}' can only be used as lookup({name}, key)")
        known = sorted(scope.facts) + sorted(scope.derived)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = f"declared facts: {', '.join(sorted(scope.facts)) or 'none'}"
        if scope.derived:
            listing += f"; derived values: {', '.join(sorted(scope.derived))}"
        raise RuleError(f"unknown name '{name}'{hint} ({listing})")

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
            raise RuleError(f"'{sign}' needs a number, got {operand.type}")
        if sign == "+":
            return operand
        if isinstance(operand, Lit):  # fold "-5" into a literal so it reads as one in lists and hashes
            return Lit(operand.type, -operand.value)  # type: ignore[operator]
        return Neg(operand.type, operand)

    def _BinOp(self, node: ast.BinOp, depth: int) -> Node:
        if type(node.op) in _BAD_BINOPS:
            raise RuleError(f"unsupported syntax: {_BAD_BINOPS[type(node.op)]}")
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
            raise RuleError(f'\'{word}\' needs a list of literal values, e.g. x {word} ["a", "b"]')
        if len(values_node.elts) > MAX_LIST_ITEMS:
            raise RuleError(f"list has {len(values_node.elts)} items; the limit is {MAX_LIST_ITEMS}")
        if operand.type not in (INT, MONEY, NUMBER, STR):
            raise RuleError(f"'{word}' works on numbers and text, got {operand.type}")
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
                    f"'{word}' compares {operand.type} with a list, but item {index} is {item.type}"
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
            raise RuleError(f"the condition of 'x if condition else y' must be true/false, got {test.type}")
        if then.type in NUMERIC and orelse.type in NUMERIC:
            return Cond(unify_numeric([then.type, orelse.type]), test, then, orelse)
        if then.type != orelse.type:
            raise RuleError(
                f"both branches of 'x if condition else y' must have the same type, got {then.type} and {orelse.type}"
            )
        return Cond(then.type, test, then, orelse)

    # function calls
    def _Call(self, node: ast.Call, depth: int) -> Node:
        if not isinstance(node.func, ast.Name):
            raise RuleError("unsupported syntax: calling something that is not a function name")
        fn = node.func.id
        if fn not in FUNCTIONS:
            raise RuleError(f"function '{fn}' is not allowed (allowed: {', '.join(FUNCTIONS)})")
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
            raise RuleError(f"function 'lookup' takes 2 arguments, got {len(node.args)}")
        table_node = node.args[0]
        if not isinstance(table_node, ast.Name) or table_node.id not in self.scope.tables:
            declared = ", ".join(sorted(self.scope.tables)) or "none"
            raise RuleError(
                f"the first argument of lookup must be a declared table (declared tables: {declared})"
            )
        key_type, value_type = self.scope.tables[table_node.id]
        key = self.check(node.args[1], depth)
        if key.type != key_type:
            raise RuleError(f"lookup key for table '{table_node.id}' must be {key_type}, got {key.type}")
        return Lookup(value_type, table_node.id, key)


# --- typing rules --------------------------------------------------------------------------------------
def _literal(value: object) -> Lit:
    if value is None:
        raise RuleError(_NONE_MESSAGE)
    if isinstance(value, bool):
        return Lit(BOOL, value)
    if isinstance(value, int):
        if abs(value) > MAX_ABS_INT:
            shown = f" {value}" if len(str(value)) <= 20 else ""
            raise RuleError(f"number{shown} is too large (the limit is {MAX_ABS_INT})")
        return Lit(INT, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RuleError("number is too large")
        return Lit(NUMBER, value)
    if isinstance(value, str):
        if len(value) > MAX_STR_CHARS:
            raise RuleError(f"text is too long ({len(value)} characters; the limit is {MAX_STR_CHARS})")
        return Lit(STR, value)
    raise RuleError(f"unsupported syntax: {type(value).__name__} literals")


def _date_literal(node: ast.Call) -> Lit:
    args = node.args
    if len(args) != 1 or not isinstance(args[0], ast.Constant) or not isinstance(args[0].value, str):
        raise RuleError('date() takes one literal text "YYYY-MM-DD", e.g. date("2026-01-31")')
    try:
        return Lit(DATE, dt.date.fromisoformat(args[0].value))
    except ValueError:
        raise RuleError(
            f"date() got '{args[0].value[:40]}', which is not a date written YYYY-MM-DD"
        ) from None


def _need_bool(op: str, operand: Node) -> None:
    if operand.type != BOOL:
        raise RuleError(f"'{op}' needs true/false values, got {operand.type}")


def _arith_type(op: str, left: str, right: str) -> str:
    if left not in NUMERIC or right not in NUMERIC:
        hint = " (use days_between(a, b) for the days between two dates)" if DATE in (left, right) else ""
        raise RuleError(f"'{op}' needs numbers, got {left} and {right}{hint}")
    if op == "/":
        return NUMBER
    if op in ("//", "%") and NUMBER in (left, right):
        raise RuleError(
            f"'{op}' needs whole numbers (int or money), got {left} and {right}; use round() first"
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
    hint = f" ({left} can only be compared with == or !=)" if left == right else ""
    raise RuleError(f"cannot compare {left} and {right} with '{op}'{hint}")


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
            raise RuleError(f"function '{fn}' takes at least 2 arguments, got {len(args)}")
        if all(a in NUMERIC for a in args):
            return unify_numeric(args)
        if all(a == DATE for a in args):
            return DATE
        raise RuleError(f"function '{fn}' needs all numbers or all dates, got {', '.join(args)}")
    wanted = _SIGNATURES[fn]
    if len(args) != len(wanted):
        raise RuleError(
            f"function '{fn}' takes {len(wanted)} argument{'s' * (len(wanted) > 1)}, got {len(args)}"
        )
    for index, (want, got) in enumerate(zip(wanted, args, strict=True), start=1):
        if (want == "numeric" and got not in NUMERIC) or (want != "numeric" and got != want):
            raise RuleError(
                f"argument {index} of '{fn}' must be {'a number' if want == 'numeric' else want}, got {got}"
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
            raise RuleError(f"division by zero: the divisor of '{sub.op}' is always 0")


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

"""The value types of the rules language, and how each is held in Python and in Polars."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

BOOL, INT, MONEY, NUMBER, STR, DATE = "bool", "int", "money", "number", "str", "date"
TYPES = (BOOL, DATE, INT, MONEY, NUMBER, STR)
NUMERIC = frozenset({INT, MONEY, NUMBER})
INTEGRAL = frozenset({INT, MONEY})
TABLE_KEY_TYPES = (INT, STR)
# The largest magnitude both evaluators compute exactly: Python's int is unbounded but the vectorised evaluator
# mixes Int64 with Float64, whose 53-bit mantissa rounds beyond 2^53. Larger facts are refused, not rounded.
EXACT_LIMIT = 2**53

POLARS_DTYPES: dict[str, pl.DataType] = {
    BOOL: pl.Boolean(),
    INT: pl.Int64(),
    MONEY: pl.Int64(),
    NUMBER: pl.Float64(),
    STR: pl.String(),
    DATE: pl.Date(),
}

# Human names used in messages to drafters.
TYPE_NAMES = {
    BOOL: "true/false (bool)",
    INT: "a whole number (int)",
    MONEY: "an amount of rupiah (money)",
    NUMBER: "a number (number)",
    STR: "text (str)",
    DATE: "a date (date)",
}


def python_value_ok(value: object, type_name: str) -> bool:
    """Is ``value`` an acceptable Python value for a fact of ``type_name``? None (unknown) always is."""
    if value is None:
        return True
    if type_name == BOOL:
        return isinstance(value, bool)
    if type_name in INTEGRAL:
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) < EXACT_LIMIT
    if type_name == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return math.isfinite(value) and abs(value) < EXACT_LIMIT
    if type_name == STR:
        return isinstance(value, str)
    if type_name == DATE:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return False


def unify_numeric(types: list[str]) -> str:
    """The type of a value that may be any of ``types`` (all numeric): number > money > int."""
    if NUMBER in types:
        return NUMBER
    if MONEY in types:
        return MONEY
    return INT

"""Form and source values become typed facts, or an error (never a guess)."""

import datetime as dt
from decimal import Decimal

import pytest

from pamong.registry.convert import to_type


@pytest.mark.parametrize(
    ("raw", "type_name", "expected"),
    [
        ("2000000", "money", 2_000_000),
        ("2.000.000", "money", 2_000_000),
        ("Rp 1.500.000", "money", 1_500_000),
        (Decimal("1500000"), "money", 1_500_000),
        (750000, "money", 750_000),
        ("5", "int", 5),
        ("-3", "int", -3),
        (" 4 ", "int", 4),
        ("2,5", "number", 2.5),
        (True, "bool", True),
        ("ya", "bool", True),
        ("tidak", "bool", False),
        ("on", "bool", True),
        ("0", "bool", False),
        ("2026-03-02", "date", dt.date(2026, 3, 2)),
        (dt.date(2026, 3, 2), "date", dt.date(2026, 3, 2)),
        (" 3273 ", "str", "3273"),
        ("", "money", None),
        (None, "bool", None),
        ("   ", "str", None),
    ],
)
def test_values_are_converted_to_the_declared_type(raw, type_name, expected):
    assert to_type(raw, type_name) == expected


@pytest.mark.parametrize(
    ("raw", "type_name"),
    [
        ("1.5", "money"),  # ambiguous: one and a half, or 15 with a stray dot?
        ("1,5", "int"),
        ("-1", "money"),
        ("dua juta", "money"),
        (True, "int"),
        (1.5, "int"),
        ("mungkin", "bool"),
        (2, "bool"),
        ("02-03-2026", "date"),
        (dt.datetime(2026, 3, 2, 10, 0), "date"),
        (["3273"], "str"),
        ("nan", "number"),
        ("x", "colour"),
    ],
)
def test_unreadable_values_raise(raw, type_name):
    with pytest.raises(ValueError):
        to_type(raw, type_name)


@pytest.mark.parametrize(
    ("raw", "type_name"),
    [(2**53, "money"), (-(2**53), "int"), ("9007199254740993", "money"), (1e20, "number")],
)
def test_numbers_the_engine_cannot_compute_exactly_are_refused(raw, type_name):
    with pytest.raises(ValueError, match="too large to compute exactly"):
        to_type(raw, type_name)
    assert to_type(2**53 - 1, type_name) == 2**53 - 1  # the largest exact value still passes

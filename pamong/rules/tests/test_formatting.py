"""Values in explanations are written the Indonesian way."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.rules.formatting import format_date, format_number, format_rupiah, format_value


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp0"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (1_250_000, "Rp1.250.000"),
        (5_000_000_000, "Rp5.000.000.000"),
        (-5000, "-Rp5.000"),
        (1_249_999.5, "Rp1.250.000"),
        (-0.4, "Rp0"),
    ],
)
def test_rupiah(amount: float, text: str) -> None:
    assert format_rupiah(amount) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234, "1.234"),
        (-1234567, "-1.234.567"),
        (1234.5, "1.234,5"),
        (0.125, "0,12"),
        (2.0, "2"),
        (-0.001, "0"),
    ],
)
def test_number(value: float, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 1, 5), "5 Januari 2026"),
        (dt.date(2025, 8, 17), "17 Agustus 2025"),
        (dt.date(2026, 12, 31), "31 Desember 2026"),
    ],
)
def test_date(day: dt.date, text: str) -> None:
    assert format_date(day) == text


@pytest.mark.parametrize(
    ("value", "type_name", "text"),
    [
        (None, "money", "tidak diketahui"),
        (True, "bool", "ya"),
        (False, "bool", "tidak"),
        ("3273", "str", "3273"),
        (61, "int", "61"),
        (1_250_000, "money", "Rp1.250.000"),
        (dt.date(2026, 1, 5), "date", "5 Januari 2026"),
    ],
)
def test_value_by_type(value: object, type_name: str, text: str) -> None:
    assert format_value(value, type_name) == text

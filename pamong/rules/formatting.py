"""Indonesian formatting of values in explanations: Rp1.250.000, 1.234,5, 5 Januari 2026."""

from __future__ import annotations

import datetime as dt
import math

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
UNKNOWN_TEXT = "tidak diketahui"


def _group(digits: str) -> str:
    """'1250000' -> '1.250.000' (Indonesian thousands separator is the dot)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def format_int(value: int) -> str:
    sign = "-" if value < 0 else ""
    return sign + _group(str(abs(value)))


def format_rupiah(value: int | float) -> str:
    """Whole rupiah, rounded half away from zero: 1250000 -> 'Rp1.250.000', -5000 -> '-Rp5.000'."""
    amount = math.floor(abs(value) + 0.5)
    sign = "-" if value < 0 and amount else ""
    return f"{sign}Rp{_group(str(amount))}"


def format_number(value: float | int, decimals: int = 2) -> str:
    """At most ``decimals`` decimals with a decimal comma, trailing zeros dropped: 1234.5 -> '1.234,5'."""
    if isinstance(value, int):
        return format_int(value)
    if not math.isfinite(value):
        return UNKNOWN_TEXT
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    sign = "-" if value < 0 and (whole.strip("0") or frac) else ""
    return sign + _group(whole) + ("," + frac if frac else "")


def format_date(value: dt.date) -> str:
    """dt.date(2026, 1, 5) -> '5 Januari 2026'."""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def format_value(value: object, type_name: str) -> str:
    """Render a fact, derived value or score of a declared type for a citizen-facing sentence."""
    if value is None:
        return UNKNOWN_TEXT
    if type_name == "money":
        return format_rupiah(value)  # type: ignore[arg-type]
    if type_name == "date":
        return format_date(value)  # type: ignore[arg-type]
    if type_name == "bool":
        return "ya" if value else "tidak"
    if type_name in ("int", "number"):
        return format_number(value)  # type: ignore[arg-type]
    return str(value)

"""Formatting for pages and messages. Dates and rupiah in a rule explanation or a letter: the rules engine's
helpers (pamong.rules.formatting), so a page, a notification and a rule explanation write Rp1.250.000 and
5 Januari 2026 the same way. Numbers and percentages on a page follow the reader's language (`format_number`,
`format_percent`): 1.234 and 42,0% in Bahasa Indonesia, 1,234 and 42.0% in English (Django's locale formats);
CSV and JSON keep machine numbers (a dot decimal, no grouping) and never use these. Dates on a page
follow the reader's language too (`reader_date`), while texts that are stored or sent (notices, decision reasons,
letters) keep `format_date`, the citizen's language of record."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils import formats
from django.utils.formats import number_format
from django.utils.translation import get_language

from pamong.rules.formatting import format_date as _format_date
from pamong.rules.formatting import format_rupiah as _format_rupiah


def format_rupiah(amount: int | None) -> str:
    """Rp1.250.000 always (rule explanations, letters); a page in the reader's language uses `page_rupiah`."""
    return "-" if amount is None else _format_rupiah(amount)


def format_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return "-"
    return _format_date(day.date() if isinstance(day, dt.datetime) else day)


def reader_is_english() -> bool:
    """Whether the page or API answer being made is in English (the switch); Bahasa Indonesia otherwise."""
    return (get_language() or "id").startswith("en")


def reader_date(day: dt.date | dt.datetime | None) -> str:
    """A date on a page in the reader's language: 5 Januari 2026, or 5 January 2026 under English."""
    if day is None or not reader_is_english():
        return format_date(day)
    return formats.date_format(day.date() if isinstance(day, dt.datetime) else day, "j F Y")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def format_number(value: Any, places: int = 0) -> str:
    """`value` rounded half up to `places` decimals, in the active language's way with thousands grouped:
    1.234,5 (id) / 1,234.5 (en). None or "" gives "-"."""
    if value is None or value == "":
        return "-"
    number = _decimal(value).quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)
    return number_format(number, decimal_pos=int(places), use_l10n=True, force_grouping=True)


def format_percent(share: Any, places: int = 1) -> str:
    """A share 0..1 as a percentage in the active language's way: 42,0% (id) / 42.0% (en)."""
    if share is None or share == "":
        return "-"
    return format_number(_decimal(share) * 100, places) + "%"


def format_significant(value: Any, digits: int = 2) -> str:
    """A small quantity such as a p-value to `digits` significant digits, as Python's "%.2g" does but the active
    language's way: 0,0012 and 3,4e-07 in Bahasa Indonesia, 0.0012 and 3.4e-07 in English."""
    if value is None or value == "":
        return "-"
    written = f"{float(value):.{int(digits)}g}"
    mantissa, _, exponent = written.partition("e")
    places = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return format_number(Decimal(mantissa), places) + (f"e{exponent}" if exponent else "")


def page_rupiah(amount: Any) -> str:
    """Rupiah on a page, grouped the reader's way: Rp1.250.000 (id) / Rp1,250,000 (en)."""
    return "-" if amount is None or amount == "" else "Rp" + format_number(amount, 0)

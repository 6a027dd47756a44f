"""Numbers in the reader's language (issue 20 point 3): `format_number`/`format_percent` for pages, and
`Number`, the parameter of a stored `Text` that is written the reader's way each time it is read."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from pamong.core.errors import Number, Text, stored, words
from pamong.core.formatting import format_number, format_percent, page_rupiah


@pytest.mark.parametrize(
    ("language", "number", "percent", "rupiah"),
    [("id", "1.234,57", "42,0%", "Rp1.250.000"), ("en", "1,234.57", "42.0%", "Rp1,250,000")],
)
def test_numbers_follow_the_active_language(language, number, percent, rupiah):
    with translation.override(language):
        assert format_number(1234.565, 2) == number  # rounded half up, grouped
        assert format_number(Fraction(1325, 18), 2) == ("73,61" if language == "id" else "73.61")
        assert format_number(Decimal("0.5"), 0) == "1"
        assert format_percent(0.42) == percent
        assert page_rupiah(1_250_000) == rupiah
        assert format_number(None) == "-"


def test_a_stored_text_writes_its_numbers_when_it_is_read():
    kept = stored(
        Text("%(share)s of %(total)s", {"share": Number.percent(0.452), "total": Number.rupiah(1234567)})
    )
    assert kept == {
        "text": "%(share)s of %(total)s",
        "params": {
            "share": {"number": 0.452, "places": 1, "style": "percent"},
            "total": {"number": 1234567, "places": 0, "style": "rupiah"},
        },
    }
    with translation.override("id"):
        assert words(kept) == "45,2% of Rp1.234.567"
    with translation.override("en"):
        assert words(kept) == "45.2% of Rp1,234,567"

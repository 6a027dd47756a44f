"""The IKM core against the regulation's arithmetic, worked by hand (PermenPANRB 14/2017, Lampiran)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pamong.surveys import ikm

# Four respondents, the nine elements in the regulation's order (U1..U9), one row per respondent.
WORKED = [
    # U1 U2 U3 U4 U5 U6 U7 U8 U9
    (3, 3, 2, 4, 3, 3, 4, 2, 3),
    (4, 3, 3, 4, 3, 4, 4, 3, 3),
    (3, 2, 2, 4, 3, 3, 3, 3, 3),
    (3, 3, 2, 4, 4, 3, 4, 2, 3),
]


def test_the_worked_example_by_hand():
    """By hand: element totals 13, 11, 9, 16, 13, 13, 15, 10, 12; means (÷4) 3,25 2,75 2,25 4,00 3,25 3,25
    3,75 2,50 3,00; their sum 28,00; weighted equally (×1/9) the index is 28/9 = 3,1111...; × 25 the IKM is
    700/9 = 77,777... → 77,78, band B (76,61–88,30, "Baik")."""
    result = ikm.compute(dict(zip(ikm.ELEMENTS, row, strict=True)) for row in WORKED)
    assert result.respondents == 4
    assert [e.total for e in result.elements] == [13, 11, 9, 16, 13, 13, 15, 10, 12]
    assert [ikm.round2(e.mean) for e in result.elements] == [
        Decimal(x) for x in ("3.25", "2.75", "2.25", "4.00", "3.25", "3.25", "3.75", "2.50", "3.00")
    ]
    assert result.index == Fraction(28, 9)
    assert result.ikm == Fraction(700, 9)
    assert result.ikm_2dp == Decimal("77.78")
    assert (result.band, result.quality) == ("B", "Baik")
    # Each element on the IKM scale: waktu 56,25 (D), pengaduan 62,50 (D), prosedur 68,75 (C), biaya 100 (A).
    by_name = {e.element: e for e in result.elements}
    assert (by_name["waktu"].converted, by_name["waktu"].band) == (Fraction(225, 4), "D")
    assert (by_name["pengaduan"].converted, by_name["pengaduan"].band) == (Fraction(125, 2), "D")
    assert (by_name["prosedur"].converted, by_name["prosedur"].band) == (Fraction(275, 4), "C")
    assert (by_name["biaya"].converted, by_name["biaya"].band) == (Fraction(100), "A")
    assert [e.element for e in result.weakest()] == ["waktu", "pengaduan", "prosedur"]


def test_exact_weights_differ_from_the_printed_0_11():
    """The regulation prints the weight as 0,11; nine means of 3 give 75,00 exactly with 1/9 (74,25 with 0,11)."""
    result = ikm.compute([dict.fromkeys(ikm.ELEMENTS, 3)] * 7)
    assert result.ikm == 75
    assert (result.band, result.ikm_2dp) == ("C", Decimal("75.00"))
    assert Decimal("0.11") * 27 * 25 == Decimal("74.25")


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.305", "A"),  # printed as 88,31
        ("88.3049", "B"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.605", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.995", "C"),  # printed as 65,00
        ("64.99", "D"),
        ("25", "D"),
    ],
)
def test_band_boundaries(value, band):
    assert ikm.band_of(Fraction(value))[0] == band


def test_bad_scores_are_refused():
    row = dict.fromkeys(ikm.ELEMENTS, 3)
    for bad in (0, 5, None, True, "3"):
        with pytest.raises(ikm.SurveyError):
            ikm.compute([{**row, "waktu": bad}])
    with pytest.raises(ikm.SurveyError):
        ikm.from_totals(dict.fromkeys(ikm.ELEMENTS, 9), 2)  # 9 > 2 × 4
    assert ikm.compute([]).ikm is None and ikm.compute([]).band is None


@given(st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=40))
def test_ikm_is_the_mean_of_all_scores_times_25(rows):
    """With equal weights, IKM = 25 × (sum of all scores) / (9 × respondents): one closed form to check against."""
    result = ikm.compute(dict(zip(ikm.ELEMENTS, row, strict=True)) for row in rows)
    assert result.ikm == Fraction(25 * sum(map(sum, rows)), 9 * len(rows))
    assert 25 <= result.ikm <= 100


@pytest.mark.parametrize(
    ("population", "sample"),
    [(0, 0), (7, 7), (10, 10), (11, 14), (100, 80), (101, 86), (1000, 278), (10000, 370), (10**6, 384),
     (5 * 10**6, 384)],
)  # fmt: skip
def test_minimum_sample_from_krejcie_and_morgan(population, sample):
    assert ikm.minimum_sample(population) == sample


def test_the_table_follows_krejcie_and_morgans_formula():
    """Every tabulated sample is the formula's value rounded (the published table rounds; within one)."""
    for population, sample in ikm.KREJCIE_MORGAN:
        assert abs(math.ceil(ikm.krejcie_morgan_formula(population)) - sample) <= 1, population


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
        ("2026-S2", dt.date(2026, 7, 1), dt.date(2027, 1, 1)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
        ("2026-11", dt.date(2026, 11, 1), dt.date(2026, 12, 1)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
    ],
)
def test_periods(code, start, end):
    period = ikm.parse_period(code)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("code", ["", "26", "2026-13", "2026-Q5", "2026-S3", "1999", "2026-1", "abc"])
def test_unknown_periods_are_refused(code):
    with pytest.raises(ikm.SurveyError):
        ikm.parse_period(code)

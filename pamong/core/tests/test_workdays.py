"""Working days across Idul Fitri 2026 (SKB 3 Menteri 2026: Nyepi 19 Mar, cuti bersama 18 Mar;
Idul Fitri 21–22 Mar, cuti bersama 20, 23, 24 Mar) and the 18 August 2025 cuti bersama added mid-year."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pamong.core import workdays
from pamong.core.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    "day",
    [D(2026, 3, 18), D(2026, 3, 19), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24), D(2025, 8, 18)],
)
def test_holidays_and_cuti_bersama_are_not_working_days(day):
    assert not is_working_day(day)


def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert not is_working_day(D(2026, 3, 14))  # Saturday
    assert not is_working_day(D(2026, 3, 15))  # Sunday
    assert is_working_day(D(2026, 3, 17))  # Tuesday before Nyepi
    assert is_working_day(D(2026, 3, 25))  # first working day after Lebaran


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Tue 17 Mar 2026 + 1 jumps Nyepi, cuti bersama, Lebaran and the weekend: Wed 25 Mar.
        (D(2026, 3, 17), 1, D(2026, 3, 25)),
        # A decision due 5 working days after an application completed on Mon 16 Mar 2026.
        (D(2026, 3, 16), 5, D(2026, 3, 30)),
        (D(2026, 3, 13), 5, D(2026, 3, 27)),
        # 21 working days to object, from a decision on Mon 2 Mar 2026 (Idul Fitri inside the window).
        (D(2026, 3, 2), 21, D(2026, 4, 8)),
        (D(2026, 3, 16), 0, D(2026, 3, 16)),
        # 15 Aug 2025 (Fri) + 1: Sat, Sun, 17 Aug (Sun) and the added 18 Aug cuti bersama are skipped.
        (D(2025, 8, 15), 1, D(2025, 8, 19)),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_working_days_between_counts_the_half_open_interval():
    assert working_days_between(D(2026, 3, 16), D(2026, 3, 30)) == 5
    assert working_days_between(D(2026, 3, 17), D(2026, 3, 24)) == 0
    assert working_days_between(D(2026, 3, 30), D(2026, 3, 16)) == -5


def test_negative_n_is_refused():
    with pytest.raises(ValueError, match="zero or positive"):
        add_working_days(D(2026, 1, 5), -1)


def test_override_file_can_remove_a_holiday(tmp_path):
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("add: []\nremove:\n  - date: 2026-03-24\n    source: test\n")
    calendar = workdays.build_calendar(overrides_file=overrides)
    assert calendar.is_working_day(D(2026, 3, 24))
    assert calendar.add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 24)


@given(st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 10, 1)), st.integers(min_value=0, max_value=60))
def test_between_inverts_add(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


def test_new_years_day_2031_beyond_the_table_is_refused_not_counted_as_a_working_day():
    last_known = D(workdays.SUPPORTED_YEARS.stop - 1, 12, 31)
    with pytest.raises(workdays.OutsideCalendar, match=f"not of {last_known.year + 1}"):
        add_working_days(last_known, 1)
    with pytest.raises(workdays.OutsideCalendar):
        is_working_day(D(2023, 12, 29))


def test_the_calendar_knows_new_years_day_2029():
    # 29 December 2028 is a Friday; the next working day is Tuesday 2 January 2029, not New Year's Day.
    assert add_working_days(D(2028, 12, 29), 1) == D(2029, 1, 2)

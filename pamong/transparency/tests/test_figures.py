"""The performance definitions on plain rows, worked by hand (calendar days stand in for working days)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from pamong.transparency.figures import AppRow, FinalRow, ObjectionRow, first_finals, summarise

D = dt.date


def days(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def test_figures_by_hand():
    apps = [
        AppRow("a", D(2026, 1, 5), D(2026, 1, 5), D(2026, 1, 10)),  # decided day 3: on time
        AppRow("b", D(2026, 1, 6), D(2026, 1, 6), D(2026, 1, 11)),  # decided day 8: late
        AppRow("c", D(2026, 1, 7), D(2026, 1, 7), D(2026, 1, 12)),  # deemed on day 6: never on time
        AppRow("d", D(2026, 2, 1), D(2026, 2, 1), D(2026, 2, 6)),  # open
        AppRow("e", D(2025, 12, 20), D(2025, 12, 20), D(2026, 1, 2)),  # filed last year, decided this year
    ]
    finals = first_finals(
        [
            FinalRow("a", D(2026, 1, 8), "automatic", "GRANT"),
            FinalRow("a", D(2026, 3, 1), "objection", "DENY"),  # a later final decision does not count
            FinalRow("b", D(2026, 1, 14), "human", "DENY"),
            FinalRow("c", D(2026, 1, 13), "deemed", "GRANT"),
            FinalRow("e", D(2026, 1, 2), "human", "GRANT"),
        ]
    )
    objections = [ObjectionRow(D(2026, 1, 20), "overturned"), ObjectionRow(D(2026, 1, 21), "upheld"),
                  ObjectionRow(D(2025, 12, 1), "deemed_granted")]  # fmt: skip
    year = summarise(apps, finals, objections, start=D(2026, 1, 1), end=D(2027, 1, 1), working_days=days)
    assert (year.applications, year.decided, year.decided_on_time) == (4, 4, 2)  # a and e on time
    assert year.median_working_days == Fraction(7)  # days 3, 8, 6, 13 → median (6 + 8) / 2
    assert (year.granted, year.refused, year.deemed) == (2, 1, 1)
    assert (year.objections, year.objections_changed) == (2, 1)
    assert year.on_time_share == Fraction(1, 2)
    february = summarise(apps, finals, objections, start=D(2026, 2, 1), end=D(2026, 3, 1), working_days=days)
    assert (february.applications, february.decided, february.median_working_days) == (1, 0, None)
    assert february.on_time_share is None

"""Working-day calendar for Indonesian legal clocks (pure: no Django import).

Non-working days: Saturdays, Sundays, national holidays and *cuti bersama* (the `holidays` package's
`public` and `government` categories for Indonesia), adjusted by `data/holiday_overrides.yaml` for
mid-year decrees. Every deadline in Pamong is computed here.

Conventions (UU 30/2014 style counting): `add_working_days(d, n)` is the n-th working day *after* d
(d itself never counts); `working_days_between(a, b)` counts the working days in (a, b], so that
`working_days_between(d, add_working_days(d, n)) == n`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import holidays
import yaml

OVERRIDES_FILE = Path(__file__).parent / "data" / "holiday_overrides.yaml"
# Years whose holidays the calendar knows. Cuti bersama are decreed a year ahead (data/holiday_overrides.yaml);
# a deadline beyond these years is refused rather than counted as if the year had no holidays.
SUPPORTED_YEARS = range(2024, 2031)


class OutsideCalendar(ValueError):
    """A day in a year whose holidays the calendar does not know: extend SUPPORTED_YEARS and the overrides."""


@dataclass(frozen=True)
class WorkingCalendar:
    non_working: frozenset[dt.date]
    names: dict[dt.date, str] = field(default_factory=dict, compare=False, hash=False)
    years: range | None = None  # None: every year (tests that build a calendar by hand)

    def is_working_day(self, day: dt.date) -> bool:
        if self.years is not None and day.year not in self.years:
            raise OutsideCalendar(
                f"the working-day calendar knows the holidays of {self.years.start}–{self.years.stop - 1}, "
                f"not of {day.year}: extend SUPPORTED_YEARS in pamong/core/workdays.py and the overrides file"
            )
        return day.weekday() < 5 and day not in self.non_working

    def holiday_name(self, day: dt.date) -> str | None:
        return self.names.get(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (n >= 0; n == 0 gives `start` itself)."""
        if n < 0:
            raise ValueError("n must be zero or positive")
        day = start
        while n > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def build_calendar(years: range = SUPPORTED_YEARS, overrides_file: Path = OVERRIDES_FILE) -> WorkingCalendar:
    official = holidays.country_holidays("ID", years=list(years), categories=("public", "government"))
    names = {day: name for day, name in official.items()}
    overrides = yaml.safe_load(overrides_file.read_text(encoding="utf-8")) or {}
    for entry in overrides.get("add") or []:
        names[_as_date(entry["date"])] = entry["name"]
    for entry in overrides.get("remove") or []:
        names.pop(_as_date(entry["date"]), None)
    return WorkingCalendar(non_working=frozenset(names), names=names, years=years)


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@cache
def default_calendar() -> WorkingCalendar:
    return build_calendar()


def add_working_days(start: dt.date, n: int) -> dt.date:
    return default_calendar().add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return default_calendar().working_days_between(start, end)


def is_working_day(day: dt.date) -> bool:
    return default_calendar().is_working_day(day)

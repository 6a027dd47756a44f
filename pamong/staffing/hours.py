"""When a staff member is at work (pure: no Django import). Every "wait until working hours" in the routing is
computed here, from the person's pattern, their leave, and the working-day calendar (pamong.core.workdays).

A pattern is a set of weekdays and a daily window in the person's own time zone (WIB, WITA or WIT). For flexible
working (FWA) only the core hours are certain, so non-urgent messages wait for the core hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pamong.core.workdays import WorkingCalendar, default_calendar

# The three Indonesian time zones (WIB, WITA, WIT) by their IANA names.
TIME_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
SEARCH_DAYS = 120  # a person away longer than this has no "next working time" we can promise


@dataclass(frozen=True)
class Pattern:
    time_zone: str = "WIB"
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    start: dt.time = dt.time(8, 0)
    end: dt.time = dt.time(16, 0)
    flexible: bool = False
    core_start: dt.time = dt.time(9, 0)
    core_end: dt.time = dt.time(15, 0)
    leave: frozenset[dt.date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(TIME_ZONES[self.time_zone])

    def window(self) -> tuple[dt.time, dt.time]:
        """The hours in which a non-urgent message may arrive: the core hours for flexible working."""
        return (self.core_start, self.core_end) if self.flexible else (self.start, self.end)

    def works_on(self, day: dt.date, calendar: WorkingCalendar) -> bool:
        return day.weekday() in self.weekdays and day not in self.leave and calendar.is_working_day(day)


class NeverAtWork(ValueError):
    """No working time within SEARCH_DAYS (a pattern with no day, or a very long leave)."""


def _days_from(day: dt.date) -> Iterable[dt.date]:
    for offset in range(SEARCH_DAYS):
        yield day + dt.timedelta(days=offset)


def _first(pattern: Pattern, at: dt.datetime, calendar: WorkingCalendar, accept: Callable) -> dt.datetime:
    local = at.astimezone(pattern.zone)
    start, end = pattern.window()
    for day in _days_from(local.date()):
        if not pattern.works_on(day, calendar):
            continue
        opens = dt.datetime.combine(day, start, tzinfo=pattern.zone)
        closes = dt.datetime.combine(day, end, tzinfo=pattern.zone)
        found = accept(local, opens, closes)
        if found is not None:
            return found.astimezone(dt.UTC)
    raise NeverAtWork(f"no working time within {SEARCH_DAYS} days of {at.isoformat()}")


def is_at_work(pattern: Pattern, at: dt.datetime, calendar: WorkingCalendar | None = None) -> bool:
    calendar = calendar or default_calendar()
    local = at.astimezone(pattern.zone)
    start, end = pattern.window()
    return pattern.works_on(local.date(), calendar) and start <= local.time() < end


def next_working_moment(
    pattern: Pattern, at: dt.datetime, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """`at` itself when the person is at work then; otherwise the start of their next working window (UTC)."""

    def accept(local, opens, closes):
        if local < opens:
            return opens
        return local if local < closes else None

    return _first(pattern, at, calendar or default_calendar(), accept)


def next_digest_time(
    pattern: Pattern, at: dt.datetime, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """The start of the first working day that begins after `at`: when the daily digest carrying `at`'s notice
    is sent (a notice written at 10:00 waits for tomorrow's digest; one written at 06:00 goes at 08:00)."""

    def accept(local, opens, _closes):
        return opens if local < opens else None

    return _first(pattern, at, calendar or default_calendar(), accept)

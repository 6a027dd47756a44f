"""The public performance figures of a service or an agency, from plain rows. Pure Python (no Django), so the
definitions below are the whole story and a test can check them by hand.

Definitions (shown on the public page as well):
- applications: filed in the window (local date of filing);
- decided: applications whose first final decision falls in the window;
- decided on time: of those, decided by a person or the rules (not deemed) on or before the decision date, which
  already includes the days the clock was paused for an information request;
- median working days: the median, over the decided, of working days from the day the application was complete
  to the day of its first final decision (deemed approvals count at the day they were deemed);
- deemed approvals (*fiktif positif*): decided because no decision came in time;
- objections: objections and appeals filed in the window; changed the outcome: overturned or deemed granted.
"""

from __future__ import annotations

import datetime as dt
import statistics
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import accumulate


@dataclass(frozen=True)
class AppRow:
    id: str
    filed_on: dt.date
    complete_on: dt.date
    due: dt.date


@dataclass(frozen=True)
class FinalRow:
    application_id: str
    decided_on: dt.date
    kind: str  # the Decision.Kind value; "deemed" for a deemed approval
    outcome: str  # GRANT | DENY


@dataclass(frozen=True)
class ObjectionRow:
    filed_on: dt.date
    status: str  # pending | upheld | overturned | deemed_granted


CHANGED = {"overturned", "deemed_granted"}


@dataclass(frozen=True)
class Figures:
    start: dt.date
    end: dt.date  # exclusive
    applications: int
    decided: int
    decided_on_time: int
    median_working_days: Fraction | None
    granted: int
    refused: int
    deemed: int
    objections: int
    objections_changed: int

    @property
    def on_time_share(self) -> Fraction | None:
        return Fraction(self.decided_on_time, self.decided) if self.decided else None


def first_finals(rows: Iterable[FinalRow]) -> dict[str, FinalRow]:
    """The first final decision of each application (rows in any order; ties keep the first seen)."""
    first: dict[str, FinalRow] = {}
    for row in rows:
        seen = first.get(row.application_id)
        if seen is None or row.decided_on < seen.decided_on:
            first[row.application_id] = row
    return first


def summarise(
    apps: Iterable[AppRow],
    finals: dict[str, FinalRow],
    objections: Iterable[ObjectionRow],
    *,
    start: dt.date,
    end: dt.date,
    working_days: Callable[[dt.date, dt.date], int],
) -> Figures:
    return summarise_windows(apps, finals, objections, windows=[(start, end)], working_days=working_days)[0]


def summarise_windows(
    apps: Iterable[AppRow],
    finals: dict[str, FinalRow],
    objections: Iterable[ObjectionRow],
    *,
    windows: Sequence[tuple[dt.date, dt.date]],
    working_days: Callable[[dt.date, dt.date], int],
) -> list[Figures]:
    """Figures for each [start, end) window. Rows are sorted once, every count is a prefix sum, and a window reads
    two bisections and the slice of working days for its median, so a year and its twelve months cost about one
    pass over the rows, not thirteen; working days between the same two dates are counted once (a year has a
    few thousand distinct pairs)."""
    by_id = {a.id: a for a in apps}
    filed = sorted(a.filed_on for a in by_id.values())
    decided = sorted(
        ((f.decided_on, f, by_id[f.application_id]) for f in finals.values() if f.application_id in by_id),
        key=lambda row: row[0],
    )
    decided_on = [on for on, _, _ in decided]
    days_between = cache(working_days)
    days = [days_between(app.complete_on, on) for on, _, app in decided]
    # Per decided application, each count as 0/1, summed over a window by prefix sums (one pass for all windows).
    flags = {
        "on_time": [f.kind != "deemed" and on <= app.due for on, f, app in decided],
        "granted": [f.outcome == "GRANT" and f.kind != "deemed" for _, f, _ in decided],
        "refused": [f.outcome == "DENY" for _, f, _ in decided],
        "deemed": [f.kind == "deemed" for _, f, _ in decided],
    }
    prefix = {name: [0, *accumulate(values)] for name, values in flags.items()}
    objections = sorted(objections, key=lambda o: o.filed_on)
    objected_on = [o.filed_on for o in objections]
    changed = [0, *accumulate(o.status in CHANGED for o in objections)]
    out = []
    for start, end in windows:
        lo, hi = bisect_left(decided_on, start), bisect_left(decided_on, end)
        olo, ohi = bisect_left(objected_on, start), bisect_left(objected_on, end)
        count = {name: sums[hi] - sums[lo] for name, sums in prefix.items()}
        out.append(
            Figures(
                start=start,
                end=end,
                applications=bisect_left(filed, end) - bisect_left(filed, start),
                decided=hi - lo,
                decided_on_time=count["on_time"],
                median_working_days=Fraction(statistics.median(days[lo:hi])) if hi > lo else None,
                granted=count["granted"],
                refused=count["refused"],
                deemed=count["deemed"],
                objections=ohi - olo,
                objections_changed=changed[ohi] - changed[olo],
            )
        )
    return out

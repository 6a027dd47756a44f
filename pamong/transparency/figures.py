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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction


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
    apps = list(apps)
    by_id = {a.id: a for a in apps}
    filed = sum(1 for a in apps if start <= a.filed_on < end)
    decided = [f for f in finals.values() if start <= f.decided_on < end and f.application_id in by_id]
    on_time = sum(1 for f in decided if f.kind != "deemed" and f.decided_on <= by_id[f.application_id].due)
    days = [working_days(by_id[f.application_id].complete_on, f.decided_on) for f in decided]
    median = Fraction(statistics.median(days)) if days else None
    deemed = sum(1 for f in decided if f.kind == "deemed")
    window = [o for o in objections if start <= o.filed_on < end]
    return Figures(
        start=start,
        end=end,
        applications=filed,
        decided=len(decided),
        decided_on_time=on_time,
        median_working_days=median,
        granted=sum(1 for f in decided if f.outcome == "GRANT" and f.kind != "deemed"),
        refused=sum(1 for f in decided if f.outcome == "DENY"),
        deemed=deemed,
        objections=len(window),
        objections_changed=sum(1 for o in window if o.status in CHANGED),
    )

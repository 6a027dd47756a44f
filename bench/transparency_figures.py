"""Public performance figures (pamong/transparency/figures.py) for one service's year: the year and its twelve
months from N applications, against the straightforward baseline that scans every row once per window, in the
same run. First checks that both give the same figures.

    .venv/bin/python bench/transparency_figures.py --rows 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pamong.core.workdays import add_working_days, working_days_between
from pamong.transparency.figures import (
    CHANGED,
    AppRow,
    Figures,
    FinalRow,
    ObjectionRow,
    summarise_windows,
)


def rows(n: int, seed: int = 2026):
    draw = random.Random(seed)
    first = dt.date(2026, 1, 1)
    dues = {
        first + dt.timedelta(days=d): add_working_days(first + dt.timedelta(days=d), 5) for d in range(366)
    }
    apps, finals, objections = [], {}, []
    kinds = ("automatic", "automatic", "human", "proposal_confirmed", "deemed")
    for i in range(n):
        filed = first + dt.timedelta(days=draw.randrange(330))
        apps.append(AppRow(str(i), filed, filed, dues[filed]))
        if draw.random() < 0.9:
            kind = draw.choice(kinds)
            decided = filed + dt.timedelta(days=draw.randrange(14))
            finals[str(i)] = FinalRow(
                str(i), decided, "deemed" if kind == "deemed" else "human", draw.choice("GD")
            )
            if draw.random() < 0.02:
                objections.append(ObjectionRow(decided, draw.choice(("upheld", "overturned", "pending"))))
    finals = {k: FinalRow(f.application_id, f.decided_on, f.kind, "GRANT" if f.outcome == "G" else "DENY")
              for k, f in finals.items()}  # fmt: skip
    return apps, finals, objections


def baseline(apps, finals, objections, windows):
    """Every window scans every row; working days counted day by day each time."""
    by_id = {a.id: a for a in apps}
    out = []
    for start, end in windows:
        decided = [f for f in finals.values() if start <= f.decided_on < end]
        days = [working_days_between(by_id[f.application_id].complete_on, f.decided_on) for f in decided]
        raised = [o for o in objections if start <= o.filed_on < end]
        out.append(
            Figures(
                start, end,
                sum(1 for a in apps if start <= a.filed_on < end),
                len(decided),
                sum(1 for f in decided if f.kind != "deemed" and f.decided_on <= by_id[f.application_id].due),
                Fraction(statistics.median(days)) if days else None,
                sum(1 for f in decided if f.outcome == "GRANT" and f.kind != "deemed"),
                sum(1 for f in decided if f.outcome == "DENY"),
                sum(1 for f in decided if f.kind == "deemed"),
                len(raised),
                sum(1 for o in raised if o.status in CHANGED),
            )
        )  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    apps, finals, objections = rows(args.rows)
    windows = [(dt.date(2026, 1, 1), dt.date(2027, 1, 1))] + [
        (dt.date(2026, m, 1), dt.date(2026 + m // 12, m % 12 + 1, 1)) for m in range(1, 13)
    ]
    t0 = time.perf_counter()
    ours = summarise_windows(apps, finals, objections, windows=windows, working_days=working_days_between)
    t1 = time.perf_counter()
    theirs = baseline(apps, finals, objections, windows)
    t2 = time.perf_counter()
    assert ours == theirs, "the two implementations disagree"
    print(f"rows: {args.rows:,} applications, {len(finals):,} decided, {len(objections):,} objections")
    print(f"summarise_windows (year + 12 months): {t1 - t0:.2f} s")
    print(f"baseline, one scan per window:        {t2 - t1:.2f} s")
    print(f"ratio: {(t1 - t0) / (t2 - t1):.2f}x the baseline's time")


if __name__ == "__main__":
    main()

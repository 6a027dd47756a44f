"""Rota benchmark (issue 17): 50 staff × 28 days × 3 functions (two shifts a day, primary + backup) solved by
CP-SAT on 2 workers within 10 s; prints status, time, objective, bound, optimality gap, the Gini of the weekend
load, and the same figures for a greedy baseline (fewest-load-first, the same hard rules) run on the same data.
When CP-SAT finds no plan in time the solver returns the greedy plan (`plan.source == "greedy"`): said so here.

    .venv/bin/python bench/rota.py            # --staff 50 --days 28 --seconds 10 --workers 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pamong.core.workdays import default_calendar
from pamong.staffing import solver
from pamong.staffing.solver import Person, Problem

FUNCTIONS = ("alerts", "complaints", "review")
FIRST_DAY = dt.date(2026, 12, 7)  # four weeks with Christmas (and its cuti bersama) in them


def staff(n: int, days: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    people = []
    for i in range(n):
        trained = frozenset(rng.sample(FUNCTIONS, 2) if i % 3 else FUNCTIONS)
        weekdays = (
            frozenset({0, 1, 2, 3}) if i % 10 == 0 else frozenset({0, 1, 2, 3, 4})
        )  # FWA: four-day weeks
        away: set[int] = set()
        if i % 5 == 0:  # a fifth of the staff take a week of leave
            start = rng.randrange(0, max(days - 7, 1))
            away |= set(range(start, start + 7))
        if i % 7 == 0:  # training days
            away.add(rng.randrange(0, days))
        people.append(
            Person(key=i, name=f"Petugas {i}", functions=trained, weekdays=weekdays, away=frozenset(away))
        )
    return people


def greedy(problem: Problem) -> tuple[bool, dict, dict]:
    """The baseline: solver.greedy (fewest load first, same hard rules, never goes back): weekend load and on-call
    hours per person."""
    chosen = solver.greedy(problem)
    weekend: dict = defaultdict(int)
    hours: dict = defaultdict(int)
    shifts = {s.name: s for s in problem.shifts}
    for (day, shift, _function, _role), key in (chosen or {}).items():
        weekend[key] += problem.off_day(day)
        hours[key] += shifts[shift].hours if problem.on_call(day, shifts[shift]) else 0
    return chosen is not None, weekend, hours


def objective(problem: Problem, weekend: dict, hours: dict) -> int:
    """The solver's objective computed for any plan: 8 x weekend-load spread (people without leave) + max on-call."""
    keys = [p.key for p in problem.people if p.functions]
    present = [p.key for p in problem.people if p.functions and not p.away]
    return 8 * (max(weekend[k] for k in keys) - min(weekend[k] for k in present)) + max(
        hours[k] for k in keys
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    calendar = default_calendar()
    holidays = frozenset(
        FIRST_DAY + dt.timedelta(days=d)
        for d in range(args.days)
        if not calendar.is_working_day(FIRST_DAY + dt.timedelta(days=d))
        and (FIRST_DAY + dt.timedelta(days=d)).weekday() < 5
    )
    problem = Problem(
        people=staff(args.staff, args.days, args.seed),
        first_day=FIRST_DAY,
        days=args.days,
        functions=FUNCTIONS,
        non_working=holidays,
        time_limit=args.seconds,
        workers=args.workers,
        seed=args.seed,
    )
    slots = args.days * len(problem.shifts) * len(FUNCTIONS)
    print(
        f"rota: {args.staff} staff x {args.days} days x {len(FUNCTIONS)} functions x {len(problem.shifts)} shifts "
        f"= {slots} slots (primary + backup), holidays {sorted(str(d) for d in holidays)}"
    )

    started = time.perf_counter()
    ok, weekend, greedy_hours = greedy(problem)
    greedy_seconds = time.perf_counter() - started
    eligible = [p.key for p in problem.people]
    greedy_gini = solver.gini([weekend[k] for k in eligible]) if ok else None
    greedy_objective = objective(problem, weekend, greedy_hours) if ok else None
    print(
        f"  greedy baseline         {greedy_seconds:7.3f} s  {'complete' if ok else 'STUCK (no one left for a slot)'}"
        + (
            f"  objective {greedy_objective}  weekend-load Gini {greedy_gini:.3f}  "
            f"max on-call hours {max(greedy_hours.values())}"
            if ok
            else ""
        )
    )

    plan = solver.solve(problem)
    if not plan.feasible:
        print(
            f"  CP-SAT ({args.workers} workers)  {plan.seconds:7.3f} s  {plan.status}  conflicts {plan.conflicts[:3]}"
        )
        return
    cp_first = (
        f"first CP-SAT plan {plan.first_solution_seconds:6.3f} s"
        if plan.first_solution_seconds is not None
        else "NO CP-SAT plan in time (the greedy plan stands)"
    )
    print(
        f"  CP-SAT ({args.workers} workers)      {cp_first}, stopped at {plan.seconds:.3f} s: {plan.status} "
        f"(plan from {plan.source})  objective {plan.objective:.0f}  bound {plan.bound:.0f}  gap {plan.gap:.1%}"
    )
    hours = sorted(plan.on_call_hours.values())
    print(
        f"    weekend-load Gini {plan.gini:.3f} (target <= {solver.GINI_TARGET}); on-call hours per person "
        f"min {hours[0]} median {hours[len(hours) // 2]} max {hours[-1]}; "
        f"only-backup pairs {len(solver.only_backups(plan.assignments))}; conflicts {len(plan.conflicts)}"
    )
    if plan.first_solution_seconds is None:
        print(
            f"    CP-SAT itself found no plan within the {args.seconds:.0f} s budget (OVER); greedy baseline "
            f"{greedy_seconds:.3f} s"
        )
        return
    budget = "within" if plan.first_solution_seconds <= args.seconds else "OVER"
    print(
        f"    first CP-SAT plan {plan.first_solution_seconds / args.seconds:.2f}x the {args.seconds:.0f} s budget "
        f"({budget}); greedy baseline {greedy_seconds:.3f} s, "
        f"CP-SAT first plan {plan.first_solution_seconds / greedy_seconds:.0f}x its time; "
        + (
            f"objective {plan.objective / greedy_objective:.2f}x and weekend-load Gini "
            f"{plan.gini / greedy_gini:.2f}x the baseline's"
            if greedy_gini
            else "baseline stuck"
        )
    )


if __name__ == "__main__":
    main()

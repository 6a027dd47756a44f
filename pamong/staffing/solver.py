"""Duty rotas with a primary and a backup for every slot, built with OR-Tools CP-SAT (pure: no Django import).

The model (issue 17): for every day, shift and function, exactly one primary and one backup, two different
people; only people trained for the function; nobody on leave, sick or in training; day shifts on working days
only for people whose pattern has that weekday (other shifts are on call); at least 11 hours' rest between two
shifts; a cap on on-call hours in every 7-day week; the weekend and holiday load spread as evenly as possible
(the objective; its Gini coefficient is reported and checked against 0.2); and nobody is anybody's only backup
(every person who is primary twice or more has at least two different backups), in the model itself: a pairwise
"q backs up p in slot s" would need a variable per pair and slot (some 400,000 at the benchmark's size), so each
person p gets one integer F_p and, per slot p may take, two literals: "p is primary here and the backup is F_p"
and "p is primary here and the backup is not F_p"; someone primary twice or more needs one of each, which holds
exactly when they have two different backups. A greedy plan (fewest load first, same hard rules, avoiding a
primary's only backup) is CP-SAT's starting hint and the benchmark's baseline.

When no plan exists the solver says why, as structured conflicts that the Django layer renders in Indonesian: a
first pass counts who could take each slot (naming the day, the shift, the function and who is away); otherwise
the constraint families are switched on by assumption literals and CP-SAT's infeasible core, reduced to a
minimal one, names the families (whose leave, the rest rule, the on-call cap) that cannot hold together.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any


@cache
def _cp() -> Any:
    """OR-Tools' CP-SAT module, loaded on first use: web processes that never plan a rota do not pay for it."""
    return importlib.import_module("ortools.sat.python.cp_model")


PRIMARY, BACKUP = "primary", "backup"
ROLES = (PRIMARY, BACKUP)
GINI_TARGET = 0.2


@dataclass(frozen=True)
class ShiftType:
    name: str
    start_hour: int  # local time
    hours: int


DAY = ShiftType("siang", 8, 8)
NIGHT = ShiftType("malam", 16, 16)
DEFAULT_SHIFTS = (DAY, NIGHT)


@dataclass(frozen=True)
class Person:
    key: Hashable
    name: str
    functions: frozenset[str]
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    away: frozenset[int] = frozenset()  # day indices of leave, sick days, training
    away_reason: str = "cuti"


@dataclass(frozen=True)
class Problem:
    people: Sequence[Person]
    first_day: dt.date
    days: int
    functions: Sequence[str]
    non_working: frozenset[dt.date] = frozenset()  # holidays (weekends are added from the date)
    shifts: Sequence[ShiftType] = DEFAULT_SHIFTS
    min_rest_hours: int = 11
    on_call_cap_hours: int = 48  # per 7-day week
    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    fixed: Sequence[tuple[int, str, str, str, Hashable]] = ()  # (day, shift, function, role, person): by hand

    def date(self, day: int) -> dt.date:
        return self.first_day + dt.timedelta(days=day)

    def off_day(self, day: int) -> bool:
        date = self.date(day)
        return date.weekday() >= 5 or date in self.non_working

    def on_call(self, day: int, shift: ShiftType) -> bool:
        """Outside working hours: night shifts, and any shift on a weekend or a holiday."""
        return shift is not DAY or self.off_day(day)


@dataclass(frozen=True)
class Conflict:
    kind: str  # not_enough_people | leave | pattern | rest | on_call_cap | cover | only_backup | unfair
    day: int | None = None
    shift: str = ""
    function: str = ""
    people: tuple[Hashable, ...] = ()
    available: tuple[Hashable, ...] = ()
    value: float | None = None


@dataclass(frozen=True)
class Assignment:
    day: int
    shift: str
    function: str
    primary: Hashable
    backup: Hashable


@dataclass
class Plan:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    assignments: list[Assignment] = field(default_factory=list)
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    gini: float | None = None
    weekend_load: dict[Hashable, int] = field(default_factory=dict)
    on_call_hours: dict[Hashable, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    first_solution_seconds: float | None = None  # when CP-SAT found its first plan (None: not in time)
    source: str = (
        "cp-sat"  # or "greedy": CP-SAT found no plan in time and the greedy plan (all hard rules) stands
    )

    @property
    def feasible(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient of a load (0: everyone the same; 1: one person carries everything)."""
    values = [float(v) for v in values]
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return 0.0
    ordered = sorted(values)
    weighted = sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(ordered))
    return weighted / (n * total)


# --- first pass: who could take each slot -----------------------------------------------------------------------


def _could_take(problem: Problem, person: Person, day: int, shift: ShiftType, function: str) -> bool:
    if function not in person.functions or day in person.away:
        return False
    return not (
        shift is DAY and not problem.off_day(day) and problem.date(day).weekday() not in person.weekdays
    )


def precheck(problem: Problem) -> list[Conflict]:
    """Slots for which fewer than two people (a primary and a backup) could be there at all."""
    conflicts = []
    for day in range(problem.days):
        for shift in problem.shifts:
            for function in problem.functions:
                able = [p.key for p in problem.people if _could_take(problem, p, day, shift, function)]
                if len(able) < 2:
                    trained_away = tuple(
                        p.key for p in problem.people if function in p.functions and p.key not in able
                    )
                    conflicts.append(
                        Conflict(
                            "not_enough_people",
                            day=day,
                            shift=shift.name,
                            function=function,
                            people=trained_away,
                            available=tuple(able),
                        )
                    )
    return conflicts or _capacity(problem)


def _capacity(problem: Problem) -> list[Conflict]:
    """Weeks whose on-call hours exceed what everyone together may give under the weekly cap (a count, so the
    explanation is immediate; CP-SAT would need long to prove it)."""
    conflicts = []
    for week in range(0, problem.days, 7):
        days = range(week, min(week + 7, problem.days))
        needed = sum(
            s.hours * 2 * len(problem.functions)
            for day in days
            for s in problem.shifts
            if problem.on_call(day, s)
        )
        present = [p for p in problem.people if p.functions and any(day not in p.away for day in days)]
        if needed > problem.on_call_cap_hours * len(present):
            conflicts.append(
                Conflict("on_call_cap", day=week, value=problem.on_call_cap_hours, available=(needed,))
            )
    return conflicts


# --- the model --------------------------------------------------------------------------------------------------


class _Model:
    def __init__(self, problem: Problem, *, explain: bool):
        self.problem = problem
        cp_model = _cp()
        self.model = cp_model.CpModel()
        self.x: dict[tuple, Any] = {}
        self.assumptions: dict[int, tuple] = {}  # literal index -> (literal, what it stands for)
        self.explain = explain
        self._build()

    def _literal(self, conflict: Conflict):
        if not self.explain:
            return None
        literal = self.model.new_bool_var(f"assume_{len(self.assumptions)}")
        self.assumptions[literal.index] = (literal, conflict)
        return literal

    def _add(self, constraint, literal) -> None:
        if literal is not None:
            constraint.only_enforce_if(literal)

    def _build(self) -> None:
        p, m = self.problem, self.model
        people = {person.key: person for person in p.people}
        for person in p.people:
            for day in range(p.days):
                for shift in p.shifts:
                    for function in p.functions:
                        if function in person.functions:
                            for role in ROLES:
                                self.x[person.key, day, shift.name, function, role] = m.new_bool_var("")
        by_person_day_shift: dict[tuple, list] = defaultdict(list)
        for (key, day, shift, _function, _role), var in self.x.items():
            by_person_day_shift[key, day, shift].append(var)

        # Cover: one primary and one backup in every slot (a literal per function, to name it when impossible).
        for function in p.functions:
            literal = self._literal(Conflict("cover", function=function))
            for day in range(p.days):
                for shift in p.shifts:
                    for role in ROLES:
                        slot = [
                            self.x[k, day, shift.name, function, role]
                            for k in people
                            if (k, day, shift.name, function, role) in self.x
                        ]
                        self._add(m.add(sum(slot) == 1), literal)
        # One place at a time, one shift a day (part of the rest rule: nobody works round the clock).
        rest = self._literal(Conflict("rest", value=p.min_rest_hours))
        for person in p.people:
            for day in range(p.days):
                today = [v for s in p.shifts for v in by_person_day_shift[person.key, day, s.name]]
                if len(today) > 1:
                    self._add(m.add(sum(today) <= 1), rest)
                for s in p.shifts:  # never primary and backup of the same slot, nor two functions at once
                    same = by_person_day_shift[person.key, day, s.name]
                    if len(same) > 1:
                        m.add(sum(same) <= 1)
        # Leave, sick days, training.
        for person in p.people:
            if person.away:
                literal = self._literal(Conflict("leave", people=(person.key,)))
                for day in person.away:
                    if 0 <= day < p.days:
                        for s in p.shifts:
                            for var in by_person_day_shift[person.key, day, s.name]:
                                self._add(m.add(var == 0), literal)
        # Patterns: a day shift on a working day only on the person's own weekdays.
        for person in p.people:
            literal = None
            for day in range(p.days):
                if not p.off_day(day) and p.date(day).weekday() not in person.weekdays:
                    for var in by_person_day_shift[person.key, day, DAY.name]:
                        literal = literal or self._literal(Conflict("pattern", people=(person.key,)))
                        self._add(m.add(var == 0), literal)
        # Rest between shifts.
        for a in p.shifts:
            for b in p.shifts:
                for offset in (0, 1):
                    if offset == 0 and b.start_hour <= a.start_hour:
                        continue
                    gap = offset * 24 + b.start_hour - (a.start_hour + a.hours)
                    if gap >= p.min_rest_hours:
                        continue
                    for person in p.people:
                        for day in range(p.days - offset):
                            first = by_person_day_shift[person.key, day, a.name]
                            second = by_person_day_shift[person.key, day + offset, b.name]
                            if first and second:
                                self._add(m.add(sum(first) + sum(second) <= 1), rest)
        # On-call hours per 7-day week.
        cap = self._literal(Conflict("on_call_cap", value=p.on_call_cap_hours))
        self.on_call_hours = {}
        self.weekend_load = {}
        for person in p.people:
            weekly = defaultdict(list)
            total, weekend = [], []
            for day in range(p.days):
                for s in p.shifts:
                    for var in by_person_day_shift[person.key, day, s.name]:
                        if p.on_call(day, s):
                            weekly[day // 7].append(s.hours * var)
                            total.append(s.hours * var)
                        if p.off_day(day):
                            weekend.append(var)
            for terms in weekly.values():
                self._add(m.add(sum(terms) <= p.on_call_cap_hours), cap)
            self.on_call_hours[person.key] = sum(total) if total else 0
            self.weekend_load[person.key] = sum(weekend) if weekend else 0
        self._no_only_backup(people)
        # Fixed by hand (an administrator's adjustment).
        for day, shift, function, role, key in p.fixed:
            var = self.x.get((key, day, shift, function, role))
            if var is None:
                m.add_bool_or([])  # cannot hold: the person is not trained for the function
            else:
                m.add(var == 1)
        # Fairness: the weekend/holiday load and the on-call hours as even as possible across eligible people.
        eligible = [person.key for person in p.people if person.functions]
        if eligible:
            slots = p.days * len(p.shifts) * len(p.functions) * 2
            high_w, low_w = m.new_int_var(0, slots, "high_w"), m.new_int_var(0, slots, "low_w")
            high_h = m.new_int_var(0, 24 * 7 * p.days, "high_h")
            for key in eligible:
                m.add(self.weekend_load[key] <= high_w)
                m.add(self.on_call_hours[key] <= high_h)
                if not people[key].away:  # someone on leave may carry less; the others must not be left out
                    m.add(self.weekend_load[key] >= low_w)
            # The busiest person carries at least the average: a valid bound that makes the reported gap honest.
            on_call_total = sum(
                s.hours * 2 * len(p.functions) for day in range(p.days) for s in p.shifts if p.on_call(day, s)
            )
            weekend_total = sum(
                len(p.shifts) * 2 * len(p.functions) for day in range(p.days) if p.off_day(day)
            )
            m.add(high_h * len(eligible) >= on_call_total)
            m.add(high_w * len(eligible) >= weekend_total)
            m.minimize(8 * (high_w - low_w) + high_h)
            self.fairness = (high_w, low_w, high_h, eligible)

    def _no_only_backup(self, people: dict) -> None:
        """Nobody is anybody's only backup: whoever is primary in two slots or more has two different backups."""
        p, m = self.problem, self.model
        index = {key: i for i, key in enumerate(people)}
        self.backup_of_slot: dict[tuple, Any] = {}
        for day in range(p.days):
            for shift in p.shifts:
                for function in p.functions:
                    terms = [
                        index[k] * self.x[k, day, shift.name, function, BACKUP]
                        for k in people
                        if (k, day, shift.name, function, BACKUP) in self.x
                    ]
                    var = m.new_int_var(0, max(len(people) - 1, 0), "")
                    m.add(var == sum(terms))
                    self.backup_of_slot[day, shift.name, function] = var
        literal = self._literal(Conflict("only_backup"))
        self.only_backup_vars: dict[Hashable, tuple] = {}
        primary_slots: dict[Hashable, list] = defaultdict(list)
        for (key, *slot, role), var in self.x.items():
            if role == PRIMARY:
                primary_slots[key].append((slot, var))
        for key, slots in primary_slots.items():
            if len(slots) < 2:
                continue
            twice = m.new_bool_var("")
            m.add(sum(var for _slot, var in slots) <= 1).only_enforce_if(twice.Not())
            usual = m.new_int_var(0, len(people) - 1, "")  # F_p: one of p's backups
            same, other = [], []
            for slot, primary in slots:
                is_usual, is_other = m.new_bool_var(""), m.new_bool_var("")
                backup = self.backup_of_slot[tuple(slot)]
                m.add_implication(is_usual, primary)
                m.add_implication(is_other, primary)
                m.add(backup == usual).only_enforce_if(is_usual)
                m.add(backup != usual).only_enforce_if(is_other)
                same.append((tuple(slot), is_usual))
                other.append((tuple(slot), is_other))
            enforce = [twice] if literal is None else [twice, literal]
            m.add(sum(v for _s, v in same) >= 1).only_enforce_if(enforce)
            m.add(sum(v for _s, v in other) >= 1).only_enforce_if(enforce)
            self.only_backup_vars[key] = (twice, usual, same, other)

    def hint(self, chosen: dict[tuple, Hashable]) -> None:
        """A complete starting solution (CP-SAT checks it at once and starts from it)."""
        p = self.problem
        weekend: dict = defaultdict(int)
        hours: dict = defaultdict(int)
        for (key, day, shift, function, role), var in self.x.items():
            value = 1 if chosen.get((day, shift, function, role)) == key else 0
            self.model.add_hint(var, value)
            if value:
                shift_type = next(s for s in p.shifts if s.name == shift)
                weekend[key] += p.off_day(day)
                hours[key] += shift_type.hours if p.on_call(day, shift_type) else 0
        _hint_only_backup_values(self, chosen)
        if hasattr(self, "fairness"):
            high_w, low_w, high_h, eligible = self.fairness
            people = {person.key: person for person in p.people}
            self.model.add_hint(high_w, max(weekend[k] for k in eligible))
            self.model.add_hint(low_w, min((weekend[k] for k in eligible if not people[k].away), default=0))
            self.model.add_hint(high_h, max(hours[k] for k in eligible))


def _hint_only_backup_values(model: _Model, chosen: dict[tuple, Hashable]) -> None:
    index = {person.key: i for i, person in enumerate(model.problem.people)}
    for slot, var in model.backup_of_slot.items():
        model.model.add_hint(var, index.get(chosen.get((*slot, BACKUP)), 0))
    for key, (twice, usual, same, other) in model.only_backup_vars.items():
        mine = [slot for slot, _v in same if chosen.get((*slot, PRIMARY)) == key]
        first = index[chosen[(*mine[0], BACKUP)]] if mine else 0
        model.model.add_hint(twice, len(mine) >= 2)
        model.model.add_hint(usual, first)
        for (slot, is_usual), (_slot, is_other) in zip(same, other, strict=True):
            mine_here = chosen.get((*slot, PRIMARY)) == key
            backup = index.get(chosen.get((*slot, BACKUP)))
            model.model.add_hint(is_usual, mine_here and backup == first)
            model.model.add_hint(is_other, mine_here and backup != first)


def _assignments(model: _Model, solver: Any) -> list[Assignment]:
    chosen: dict[tuple, dict] = defaultdict(dict)
    for (key, day, shift, function, role), var in model.x.items():
        if solver.value(var):
            chosen[day, shift, function][role] = key
    order = {s.name: i for i, s in enumerate(model.problem.shifts)}
    return [
        Assignment(day, shift, function, roles[PRIMARY], roles[BACKUP])
        for (day, shift, function), roles in sorted(
            chosen.items(), key=lambda kv: (kv[0][0], order[kv[0][1]], kv[0][2])
        )
    ]


def only_backups(assignments: Sequence[Assignment]) -> list[tuple[Hashable, Hashable, list[Assignment]]]:
    """(primary, backup, their slots) where a person who is primary twice or more always has the same backup."""
    by_primary: dict[Hashable, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_primary[a.primary].append(a)
    found = []
    for primary, slots in by_primary.items():
        backups = {a.backup for a in slots}
        if len(slots) >= 2 and len(backups) == 1:
            found.append((primary, next(iter(backups)), slots))
    return found


def greedy(problem: Problem) -> dict[tuple, Hashable] | None:
    """Fewest-load-first, slot by slot, with the same hard rules (training, leave, pattern, one shift a day,
    nothing the day after a night, the weekly on-call cap; a primary's second backup is not their first when
    anyone else can take it); None when it gets stuck (it never goes back). Used as
    CP-SAT's starting hint and as the benchmark's baseline."""
    worked: dict[tuple, ShiftType] = {}
    weekly: dict[tuple, int] = defaultdict(int)
    weekend: dict = defaultdict(int)
    chosen: dict[tuple, Hashable] = {}
    backups: dict[Hashable, set] = defaultdict(set)  # primary -> their backups so far
    for day in range(problem.days):
        for shift in problem.shifts:
            for function in problem.functions:
                for role in ROLES:
                    primary = chosen.get((day, shift.name, function, PRIMARY))
                    # a primary's second backup should differ from the first: nobody is anybody's only backup
                    only = (
                        next(iter(backups[primary]))
                        if role == BACKUP and len(backups[primary]) == 1
                        else None
                    )
                    able = [
                        person
                        for person in problem.people
                        if _could_take(problem, person, day, shift, function)
                        and (person.key, day) not in worked
                        and _rested(problem, worked.get((person.key, day - 1)), shift)
                        and (
                            not problem.on_call(day, shift)
                            or weekly[person.key, day // 7] + shift.hours <= problem.on_call_cap_hours
                        )
                    ]
                    if not able:
                        return None
                    person = min(
                        able,
                        key=lambda p: (p.key == only, weekend[p.key], weekly[p.key, day // 7], str(p.key)),
                    )
                    chosen[day, shift.name, function, role] = person.key
                    if role == BACKUP:
                        backups[primary].add(person.key)
                    worked[person.key, day] = shift
                    if problem.on_call(day, shift):
                        weekly[person.key, day // 7] += shift.hours
                    if problem.off_day(day):
                        weekend[person.key] += 1
    return chosen


def _rested(problem: Problem, yesterday: ShiftType | None, today: ShiftType) -> bool:
    if yesterday is None:
        return True
    return 24 + today.start_hour - (yesterday.start_hour + yesterday.hours) >= problem.min_rest_hours


def solve(problem: Problem) -> Plan:
    started = time.perf_counter()
    conflicts = precheck(problem)
    if conflicts:
        return Plan("INFEASIBLE", conflicts=conflicts, seconds=time.perf_counter() - started)
    model = _Model(problem, explain=False)
    hint = greedy(problem)
    if hint is not None:  # a warm start: CP-SAT improves it rather than searching from nothing
        model.hint(hint)
    cp_model = _cp()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = problem.workers
    solver.parameters.random_seed = problem.seed
    solver.parameters.max_time_in_seconds = max(problem.time_limit - (time.perf_counter() - started), 0.5)
    # Staff with the same training are interchangeable: symmetry detection costs seconds of presolve here and
    # its symmetry-breaking fixings can cut off the greedy hint.
    solver.parameters.symmetry_level = 0
    # Probing the ~90,000 literals (the only-backup rule's reified "backup is / is not F_p" among them) took most
    # of the 10 s on the loaded 2-core machine before any plan; without it the greedy hint is a plan in ~4 s.
    solver.parameters.cp_model_probing_level = 0
    first = _first_solution(started)
    status = solver.solve(model.model, first)
    name = solver.status_name(status)
    fallback = _greedy_plan(problem, hint) if status == cp_model.UNKNOWN else None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and fallback is None:
        plan = Plan(name, seconds=time.perf_counter() - started)
        if status == cp_model.INFEASIBLE:
            plan.conflicts = explain(problem)
        return plan
    if fallback is not None:
        # CP-SAT found no plan in time (a loaded machine): the greedy plan keeps every hard rule and stands, with
        # CP-SAT's bound for the gap. `source` says so; the benchmark reports CP-SAT's own time separately.
        assignments, objective, bound, name = (
            fallback,
            _objective(problem, fallback),
            solver.best_objective_bound,
            "FEASIBLE",
        )
    else:
        assignments = _assignments(model, solver)
        objective, bound = solver.objective_value, solver.best_objective_bound
    weekend: dict = defaultdict(int)
    hours: dict = defaultdict(int)
    shifts = {shift.name: shift for shift in problem.shifts}
    for a in assignments:
        for key in (a.primary, a.backup):
            weekend[key] += problem.off_day(a.day)
            hours[key] += shifts[a.shift].hours if problem.on_call(a.day, shifts[a.shift]) else 0
    plan = Plan(
        name,
        assignments=assignments,
        objective=objective,
        bound=bound,
        gap=0.0 if objective == bound else abs(objective - bound) / max(abs(objective), 1e-9),
        seconds=time.perf_counter() - started,
        first_solution_seconds=first.seconds,
        source="greedy" if fallback is not None else "cp-sat",
        weekend_load={person.key: weekend[person.key] for person in problem.people},
        on_call_hours={person.key: hours[person.key] for person in problem.people},
    )
    eligible = [person.key for person in problem.people if person.functions]
    plan.gini = gini([plan.weekend_load[k] for k in eligible])
    if plan.gini > GINI_TARGET:
        plan.conflicts.append(Conflict("unfair", value=round(plan.gini, 3)))
    for primary, backup, _slots in only_backups(assignments):  # the model forbids it: a check, never expected
        plan.conflicts.append(Conflict("only_backup", people=(primary, backup)))
    return plan


def _greedy_plan(problem: Problem, chosen: dict[tuple, Hashable] | None) -> list[Assignment] | None:
    """The greedy plan as assignments when it exists, keeps the hand-fixed slots and leaves nobody anybody's only
    backup (its other hard rules hold by construction); otherwise None."""
    if chosen is None or any(chosen.get((d, s, f, r)) != k for d, s, f, r, k in problem.fixed):
        return None
    order = {s.name: i for i, s in enumerate(problem.shifts)}
    plan = [
        Assignment(day, shift, function, key, chosen[day, shift, function, BACKUP])
        for (day, shift, function, role), key in sorted(
            chosen.items(), key=lambda kv: (kv[0][0], order[kv[0][1]], kv[0][2])
        )
        if role == PRIMARY
    ]
    return None if only_backups(plan) else plan


def _objective(problem: Problem, plan: Sequence[Assignment]) -> float:
    """The model's objective for any plan: 8 x (weekend-load spread among people without leave) + max on-call."""
    shifts = {s.name: s for s in problem.shifts}
    weekend: dict = defaultdict(int)
    hours: dict = defaultdict(int)
    for a in plan:
        for key in (a.primary, a.backup):
            weekend[key] += problem.off_day(a.day)
            hours[key] += shifts[a.shift].hours if problem.on_call(a.day, shifts[a.shift]) else 0
    keys = [p.key for p in problem.people if p.functions]
    present = [p.key for p in problem.people if p.functions and not p.away] or keys
    return float(
        8 * (max(weekend[k] for k in keys) - min(weekend[k] for k in present)) + max(hours[k] for k in keys)
    )


def _first_solution(started: float) -> Any:
    """A callback that records when the first feasible plan was found (the budget is about that; the rest of the
    time improves fairness)."""

    class FirstSolution(_cp().CpSolverSolutionCallback):
        def __init__(self):
            super().__init__()
            self.seconds: float | None = None

        def on_solution_callback(self) -> None:
            if self.seconds is None:
                self.seconds = time.perf_counter() - started

    return FirstSolution()


def explain(problem: Problem, *, time_limit: float = 10.0) -> list[Conflict]:
    """Which constraint families cannot hold together: CP-SAT's infeasible core over the assumption literals,
    reduced (deletion-based) to a minimal set."""
    cp_model = _cp()
    model = _Model(problem, explain=True)
    literals = {index: literal for index, (literal, _conflict) in model.assumptions.items()}

    def infeasible(indices: list[int]) -> bool | None:
        model.model.clear_assumptions()
        model.model.add_assumptions([literals[i] for i in indices])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = time_limit
        status = solver.solve(model.model)
        if status == cp_model.INFEASIBLE:
            infeasible.core = list(solver.sufficient_assumptions_for_infeasibility())
            return True
        return False if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    infeasible.core = []
    everything = list(literals)
    if not infeasible(everything):
        return [Conflict("cover", function=f) for f in problem.functions]
    core = infeasible.core or everything
    for index in list(core):  # drop every literal the infeasibility does not need
        trial = [i for i in core if i != index]
        if trial and infeasible(trial):
            core = trial
    return [model.assumptions[i][1] for i in core]

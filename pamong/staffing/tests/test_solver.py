"""The rota solver (pure): every slot has a primary and a different backup, trained and present, with 11 hours'
rest, within the on-call cap, fair weekends, nobody anybody's only backup; an impossible rota says which
constraint."""

from __future__ import annotations

import datetime as dt

from pamong.staffing import solver
from pamong.staffing.solver import NIGHT, Person, Problem

MONDAY = dt.date(2026, 11, 23)


def crew(n, functions=("alerts",), **extra):
    return [
        Person(key=f"p{i}", name=f"Petugas {i}", functions=frozenset(functions), **extra) for i in range(n)
    ]


def check_plan(problem: Problem, plan: solver.Plan) -> None:
    people = {p.key: p for p in problem.people}
    slots = {(a.day, a.shift, a.function) for a in plan.assignments}
    assert len(slots) == len(plan.assignments) == problem.days * len(problem.shifts) * len(problem.functions)
    worked: dict = {}
    for a in plan.assignments:
        assert a.primary != a.backup
        for key in (a.primary, a.backup):
            person = people[key]
            assert a.function in person.functions and a.day not in person.away
            assert (key, a.day) not in worked, "two shifts in one day"
            worked[key, a.day] = a.shift
    for (key, day), shift in worked.items():
        if (
            shift == NIGHT.name
        ):  # a night ends at 08:00: nothing the next day (8 h to the next night, 0 h to a day)
            assert (key, day + 1) not in worked
    for key in people:
        for week in range(problem.days // 7 + 1):
            hours = sum(
                s.hours
                for (k, day), name in worked.items()
                for s in problem.shifts
                if k == key and s.name == name and day // 7 == week and problem.on_call(day, s)
            )
            assert hours <= problem.on_call_cap_hours
    assert solver.only_backups(plan.assignments) == []


def test_a_small_rota_respects_every_rule():
    people = crew(20, functions=("alerts", "review"))
    people[0] = Person("p0", "Petugas 0", frozenset({"alerts", "review"}), away=frozenset({0, 1, 2}))
    problem = Problem(people=people, first_day=MONDAY, days=14, functions=("alerts", "review"), time_limit=4)
    plan = solver.solve(problem)
    assert plan.feasible, plan.conflicts
    check_plan(problem, plan)
    assert plan.gini is not None and plan.gini <= solver.GINI_TARGET
    assert plan.gap is not None and plan.gap >= 0


def test_gini():
    assert solver.gini([2, 2, 2, 2]) == 0
    assert solver.gini([0, 0, 0, 4]) == 0.75
    assert round(solver.gini([1, 2, 3]), 4) == 0.2222


def test_a_slot_nobody_can_take_names_the_day_and_who_is_away():
    people = [
        *crew(4, functions=("review",)),
        Person("ani", "Ani", frozenset({"alerts"}), away=frozenset({3})),
        Person("budi", "Budi", frozenset({"alerts"})),
    ]
    problem = Problem(people=people, first_day=MONDAY, days=7, functions=("alerts",))
    plan = solver.solve(problem)
    assert plan.status == "INFEASIBLE"
    first = plan.conflicts[0]
    assert (first.kind, first.day, first.function, first.people, first.available) == (
        "not_enough_people",
        3,
        "alerts",
        ("ani",),
        ("budi",),
    )


def test_an_impossible_on_call_cap_is_the_constraint_named():
    problem = Problem(people=crew(10), first_day=MONDAY, days=7, functions=("alerts",), on_call_cap_hours=16)
    plan = solver.solve(problem)
    assert plan.status == "INFEASIBLE"
    # 7 nights and 2 weekend days need 256 on-call hours in the week; ten people may give 160 under the cap.
    [conflict] = plan.conflicts
    assert (conflict.kind, conflict.day, conflict.value, conflict.available) == ("on_call_cap", 0, 16, (256,))


def test_too_few_people_for_round_the_clock_cover_breaks_the_rest_rule():
    problem = Problem(people=crew(4), first_day=MONDAY, days=3, functions=("alerts",), on_call_cap_hours=200)
    plan = solver.solve(problem)
    assert plan.status == "INFEASIBLE"
    assert {c.kind for c in plan.conflicts} == {"rest", "cover"}


def test_a_leave_that_cannot_be_covered_is_named():
    # Round-the-clock cover of one function needs six people (two nights block the next day): one away is one too many.
    people = crew(6)
    people[5] = Person("cici", "Cici", frozenset({"alerts"}), away=frozenset(range(7)))
    problem = Problem(people=people, first_day=MONDAY, days=7, functions=("alerts",), on_call_cap_hours=200)
    plan = solver.solve(problem)
    assert plan.status == "INFEASIBLE"
    kinds = {(c.kind, c.people) for c in plan.conflicts}
    assert ("leave", ("cici",)) in kinds and ("rest", ()) in kinds


DAYS_ONLY = (solver.DAY,)


def test_nobody_is_anybodys_only_backup_in_the_model_itself():
    # Ani is fixed by hand as primary on Monday and Tuesday, Budi as her backup on Monday. Without the rule Budi
    # (or Cici) could back her up on Tuesday; the model must give her someone other than Budi. The greedy hint
    # ignores hand-fixed slots, so the plan is the solver's, and nothing repairs it afterwards.
    people = [Person(key, key.title(), frozenset({"alerts"})) for key in ("ani", "budi", "cici")]
    fixed = [
        (0, "siang", "alerts", "primary", "ani"),
        (1, "siang", "alerts", "primary", "ani"),
        (0, "siang", "alerts", "backup", "budi"),
    ]
    problem = Problem(
        people=people, first_day=MONDAY, days=2, functions=("alerts",), shifts=DAYS_ONLY, fixed=fixed
    )
    plan = solver.solve(problem)
    assert plan.feasible, plan.conflicts
    assert [(a.primary, a.backup) for a in plan.assignments] == [("ani", "budi"), ("ani", "cici")]
    assert plan.conflicts == []


def test_the_solvers_plans_never_leave_anyone_with_a_single_backup():
    # Four people, one function, three weeks of day shifts: everyone is primary several times.
    problem = Problem(
        people=crew(4), first_day=MONDAY, days=21, functions=("alerts",), shifts=DAYS_ONLY, time_limit=3
    )
    plan = solver.solve(problem)
    assert plan.feasible, plan.conflicts
    check_plan(problem, plan)
    primaries = {a.primary for a in plan.assignments}
    for key in primaries:
        backups = {a.backup for a in plan.assignments if a.primary == key}
        times = sum(a.primary == key for a in plan.assignments)
        assert times < 2 or len(backups) >= 2, (key, times, backups)


def test_two_people_for_three_days_make_one_the_others_only_backup_and_that_is_named():
    # Three day shifts, two people: one of them is primary twice, always backed up by the other.
    problem = Problem(people=crew(2), first_day=MONDAY, days=3, functions=("alerts",), shifts=DAYS_ONLY)
    plan = solver.solve(problem)
    assert plan.status == "INFEASIBLE"
    assert {c.kind for c in plan.conflicts} == {"only_backup", "cover"}  # a minimal core: both are needed
    # With two days each is primary once: feasible.
    assert solver.solve(
        Problem(people=crew(2), first_day=MONDAY, days=2, functions=("alerts",), shifts=DAYS_ONLY)
    ).feasible


def test_when_cp_sat_finds_no_plan_in_time_the_greedy_plan_stands_and_says_so(monkeypatch):
    cp_model = solver._cp()
    real_solve = cp_model.CpSolver.solve

    def out_of_time(self, model, callback=None):  # a machine so loaded that CP-SAT gets nowhere
        self.parameters.max_time_in_seconds = 0.0
        return real_solve(self, model, callback)

    monkeypatch.setattr(cp_model.CpSolver, "solve", out_of_time)
    people = crew(20, functions=("alerts", "review"))
    problem = Problem(people=people, first_day=MONDAY, days=7, functions=("alerts", "review"), time_limit=2)
    plan = solver.solve(problem)
    assert plan.feasible and plan.source == "greedy" and plan.first_solution_seconds is None
    check_plan(problem, plan)  # every hard rule, nobody anybody's only backup
    assert [(a.day, a.shift, a.function) for a in plan.assignments][:2] == [
        (0, "siang", "alerts"),
        (0, "siang", "review"),
    ]
    # A hand-fixed slot the greedy plan does not keep: no plan rather than one that ignores the administrator.
    other = solver.greedy(problem)[
        3, "malam", "alerts", "backup"
    ]  # fixed as primary where greedy has them backup
    fixed = Problem(
        people=people,
        first_day=MONDAY,
        days=7,
        functions=("alerts", "review"),
        fixed=[(3, "malam", "alerts", "primary", other)],
    )
    assert solver.solve(fixed).status == "UNKNOWN"

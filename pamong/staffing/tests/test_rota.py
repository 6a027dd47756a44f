"""Rotas in the database: generate a draft with the solver from the staff's training, patterns and leave; see
conflicts explained in Indonesian; adjust by hand; publish; swap only when both officers agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit.models import AuditEntry
from pamong.core.errors import ApplicationError
from pamong.staffing import explain, services
from pamong.staffing.models import Rota, Shift, StaffNotice, SwapRequest

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def desk(world):
    """Sixteen officers of Dinas Sosial trained for alerts and review; one of them on leave on Wednesday."""
    agency = world.petugas.agency
    people = []
    for i in range(16):
        person = accounts.create_account(
            actor="system:test",
            username=f"piket{i}",
            password=None,
            role=roles.PETUGAS,
            agency=agency,
            full_name=f"Piket {i}",
        )
        services.set_pattern(person, actor=person, functions=["alerts", "review"])
        people.append(person)
    services.record_leave(
        people[0],
        actor=people[0],
        kind="cuti",
        first_day=MONDAY + dt.timedelta(days=2),
        last_day=MONDAY + dt.timedelta(days=2),
    )
    services.set_pattern(world.supervisor, actor=world.supervisor, functions=[])
    return people


def test_generate_publish_and_everyone_on_it_is_told_in_their_digest(world, desk):
    rota = services.generate_rota(
        world.supervisor.agency,
        actor=world.supervisor,
        first_day=MONDAY,
        days=7,
        functions=["alerts", "review"],
        time_limit=3,
    )
    assert rota.status == "draft" and rota.solver["status"] in ("OPTIMAL", "FEASIBLE")
    shifts = list(rota.shifts.all())
    assert len(shifts) == 7 * 2 * 2
    assert all(s.primary_id != s.backup_id for s in shifts)
    wednesday = [
        s
        for s in shifts
        if s.starts_at.astimezone(dt.UTC).date() == MONDAY + dt.timedelta(days=2) and s.kind == "siang"
    ]
    assert desk[0].pk not in {p for s in wednesday for p in (s.primary_id, s.backup_id)}
    assert rota.solver["gini"] <= 0.2

    services.publish_rota(rota, actor=world.supervisor)
    rota.refresh_from_db()
    assert rota.status == "published"
    told = StaffNotice.objects.filter(template="rota_published")
    assert {n.urgency for n in told} == {"biasa"}
    assert told.count() == len({p for s in shifts for p in (s.primary_id, s.backup_id)})
    assert (
        AuditEntry.objects.filter(action__in=["staffing.rota_generated", "staffing.rota_published"]).count()
        == 2
    )


def test_an_impossible_rota_explains_which_constraint_in_indonesian(world, desk):
    services.set_pattern(desk[1], actor=desk[1], functions=["alerts", "review", "counter"])
    rota = services.generate_rota(
        world.supervisor.agency,
        actor=world.supervisor,
        first_day=MONDAY,
        days=7,
        functions=["counter"],
        time_limit=2,
    )
    assert rota.solver["status"] == "INFEASIBLE" and not rota.shifts.exists()
    rota.refresh_from_db()
    first = rota.solver["conflicts"][0]
    assert first["kind"] == "not_enough_people" and first["available"] == [desk[1].pk]
    with translation.override("id"):
        text = explain.conflict_text(
            first, first_day=rota.first_day, names=rota.solver["names"] | {desk[1].pk: "Piket 1"}
        )
    assert "Piket 1" in text and "Loket" in text and "kurang dari dua" in text
    with pytest.raises(ApplicationError) as refused:
        services.publish_rota(rota, actor=world.supervisor)
    assert refused.value.code == "rota_incomplete"


def test_only_a_planner_of_the_agency_generates(world, desk):
    with pytest.raises(ApplicationError) as refused:
        services.generate_rota(world.petugas.agency, actor=world.petugas, first_day=MONDAY, days=7)
    assert refused.value.code == "rota_planner_required"
    assert not Rota.objects.exists()


def published(world, desk) -> Rota:
    rota = services.generate_rota(
        world.supervisor.agency,
        actor=world.supervisor,
        first_day=MONDAY,
        days=7,
        functions=["alerts", "review"],
        time_limit=2,
    )
    return services.publish_rota(rota, actor=world.supervisor)


def test_a_swap_needs_both_officers(world, desk):
    rota = published(world, desk)
    shift = (
        rota.shifts.filter(kind="siang")
        .exclude(primary=desk[5])
        .exclude(backup=desk[5])
        .order_by("starts_at")
        .last()
    )
    day_of = {s.primary_id for s in rota.shifts.filter(starts_at__date=shift.starts_at.date())}
    colleague = next(
        p for p in desk[1:] if p.pk not in (shift.primary_id, shift.backup_id) and p.pk not in day_of
    )
    asker = shift.primary
    swap = services.request_swap(shift, actor=asker, colleague=colleague)
    assert Shift.objects.get(pk=shift.pk).primary == asker  # nothing moves on one officer's word
    with pytest.raises(ApplicationError):
        services.answer_swap(swap, actor=asker, agree=True)  # the asker cannot agree for the colleague
    services.answer_swap(swap, actor=colleague, agree=True)
    assert Shift.objects.get(pk=shift.pk).primary == colleague
    assert SwapRequest.objects.get(pk=swap.pk).status == "agreed"
    assert AuditEntry.objects.filter(action="staffing.swap_agreed").count() == 1


def test_a_declined_swap_changes_nothing(world, desk):
    rota = published(world, desk)
    shift = rota.shifts.order_by("starts_at").last()
    colleague = next(p for p in desk[1:] if p.pk not in (shift.primary_id, shift.backup_id))
    swap = services.request_swap(shift, actor=shift.backup, colleague=colleague)
    services.answer_swap(swap, actor=colleague, agree=False)
    assert Shift.objects.get(pk=shift.pk).backup == shift.backup
    assert not AuditEntry.objects.filter(action="staffing.swap_agreed").exists()


def test_a_draft_is_adjusted_by_hand_only_with_someone_who_can_cover(world, desk):
    rota = services.generate_rota(
        world.supervisor.agency,
        actor=world.supervisor,
        first_day=MONDAY,
        days=7,
        functions=["alerts", "review"],
        time_limit=2,
    )
    shift = rota.shifts.order_by("starts_at").first()
    with pytest.raises(ApplicationError) as refused:
        services.adjust_shift(shift, actor=world.supervisor, backup=world.dukcapil_officer)
    assert refused.value.code == "cannot_cover"
    with pytest.raises(ApplicationError) as same:
        services.adjust_shift(shift, actor=world.supervisor, backup=shift.primary)
    assert same.value.code in ("same_person", "cannot_cover")
    other = next(p for p in desk[1:] if p.pk not in (shift.primary_id, shift.backup_id))
    services.adjust_shift(shift, actor=world.supervisor, backup=other)
    assert Shift.objects.get(pk=shift.pk).backup == other


def test_an_impossible_only_backup_rule_is_explained_in_indonesian():
    from pamong.staffing import solver

    problem = solver.Problem(
        people=[solver.Person(k, k, frozenset({"alerts"})) for k in ("ani", "budi")],
        first_day=MONDAY,
        days=3,
        functions=("alerts",),
        shifts=(solver.DAY,),
    )
    plan = solver.solve(problem)
    [only_backup] = [c for c in plan.conflicts if c.kind == "only_backup"]
    with translation.override("id"):
        text = explain.conflict_text(vars(only_backup), first_day=MONDAY, names={})
    assert "satu-satunya cadangan" in text and "Latih lebih banyak petugas" in text


def test_the_solver_runs_in_a_background_job_while_the_page_says_it_is_being_planned(
    world, desk, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    from pamong.staffing import views

    monkeypatch.setattr(views, "ROTA_DAYS", 7)  # one week keeps the solve short on a busy machine
    monkeypatch.setattr(views, "ROTA_SECONDS", 3.0)
    client = client_for(world.supervisor)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            "/staf/jadwal/", {"first_day": "2026-11-23", "functions": ["alerts", "review"]}
        )
    rota = Rota.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staf/jadwal/{rota.pk}/"
    # The request only asked: no solver ran in it.
    assert rota.status == "planning" and not rota.shifts.exists() and "status" not in rota.solver
    assert len(queued) == 1
    assert AuditEntry.objects.filter(
        action="staffing.rota_requested", subject=f"staffing.rota:{rota.pk}"
    ).exists()
    assert not AuditEntry.objects.filter(action="staffing.rota_generated").exists()

    page = client.get(f"/staf/jadwal/{rota.pk}/")
    text = page.content.decode()
    assert (
        page["Refresh"] == "5" and "Sedang disusun" in text and "Menunggu" in text and "<script" not in text
    )
    rota.solver = {**rota.solver, "started_at": (timezone.now() - dt.timedelta(seconds=2)).isoformat()}
    rota.save(update_fields=["solver"])
    text = client.get(f"/staf/jadwal/{rota.pk}/").content.decode()
    assert "dari paling lama 3 detik" in text and "<progress" in text
    refused = client.post(f"/staf/jadwal/{rota.pk}/", {"action": "publish"}, follow=True)
    assert "masih disusun" in refused.content.decode()

    queued[0]()  # the worker (Huey runs the task at once in tests)
    rota.refresh_from_db()
    assert rota.status == "draft" and rota.solver["status"] in ("OPTIMAL", "FEASIBLE")
    assert rota.shifts.count() == 7 * 2 * 2
    generated = AuditEntry.objects.get(action="staffing.rota_generated")
    assert generated.actor == f"user:{world.supervisor.pk}"
    page = client.get(f"/staf/jadwal/{rota.pk}/")
    assert "Refresh" not in page and "Sedang disusun" not in page.content.decode()
    assert "Publikasikan" in page.content.decode()
    queued[0]()  # run twice: nothing changes
    assert rota.shifts.count() == 7 * 2 * 2

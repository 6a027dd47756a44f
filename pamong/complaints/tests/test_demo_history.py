"""The demo's complaint history (issue 20): a few hundred reports over 90 days, carried through the workflow
with one audit entry per step, some late and escalated, some reopened, rated or closed by the nightly job;
deterministic; anonymous reporters never named."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from django.db.models import F

from pamong.audit import services as audit
from pamong.audit.models import AuditEntry
from pamong.complaints import deadlines, selectors
from pamong.complaints.demo_history import plan_history, write_history
from pamong.complaints.models import Complaint

TODAY = dt.date(2026, 12, 30)  # the 90 days before it hold Christmas and the cuti bersama of 24 December


def _arguments(world) -> dict:
    return {
        "today": TODAY,
        "seed": 7,
        "citizens": [world.warga, world.denied, world.refer],
        "officers": {
            world.bansos.agency_id: [world.petugas, world.petugas2, world.supervisor],
            world.lurah_staff.agency_id: [world.lurah_staff],
        },
    }


def _shape(story) -> list[tuple]:
    return [
        (c.reference, c.status, c.received_at, c.answered_at, c.escalation_level) for c in story.complaints
    ]


def test_the_history_is_the_same_for_the_same_seed_and_differs_for_another(world):
    arguments = _arguments(world)
    assert _shape(plan_history(**arguments)) == _shape(plan_history(**arguments))
    assert _shape(plan_history(**arguments)) != _shape(plan_history(**{**arguments, "seed": 8}))


def test_the_history_writes_a_few_hundred_reports_through_every_step(world):
    before = audit.tree_size()
    started = time.perf_counter()
    written = write_history(**_arguments(world))
    seconds = time.perf_counter() - started
    rows = Complaint.objects.all()
    assert 200 <= written == rows.count() <= 600, written
    assert seconds < 60  # bulk: seconds, not the minutes one service call per step would take
    statuses = Counter(rows.values_list("status", flat=True))
    still_open = sum(statuses[s] for s in ("received", "verified", "forwarded", "in_progress"))
    assert statuses["closed"] > written / 2 and statuses["answered"] > 0 and still_open > 0, statuses
    received = set(rows.values_list("received_at__date", flat=True))
    assert min(received) >= TODAY - dt.timedelta(days=91) and max(received) < TODAY
    late = rows.filter(answered_at__gt=F("due_at"))
    assert 0.04 * written <= late.count() <= 0.3 * written
    assert rows.filter(escalation_level=1).exists() and rows.filter(escalation_level=2).exists()
    assert rows.filter(reopened=1).exists() and rows.filter(rating__isnull=False).exists()
    assert set(rows.values_list("kind", flat=True)) == {"pengaduan", "aspirasi", "informasi"}
    assert set(rows.values_list("urgency", flat=True)) >= {"ringan", "normatif", "darurat"}
    # the clocks are the services' clocks (working days, the Christmas holidays skipped)
    for complaint in rows.filter(reopened=0).exclude(urgency="darurat")[:50]:
        amount = deadlines.DEFAULTS[complaint.urgency]
        assert complaint.due_at == deadlines.answer_due(complaint.received_at, complaint.urgency, amount)
    # one audit entry per step, in time order, each report's story complete
    entries = AuditEntry.objects.filter(index__gte=before).order_by("index")
    assert entries.count() == audit.tree_size() - before
    actions = Counter(entries.values_list("action", flat=True))
    assert actions["complaints.submitted"] == written
    answered_twice = rows.filter(reopened=1, answered_at__isnull=False).count()
    assert actions["complaints.answered"] == rows.exclude(answer="").count() + answered_twice
    assert actions["complaints.reopened"] == rows.filter(reopened=1).count()
    assert actions["complaints.escalated"] >= sum(rows.values_list("escalation_level", flat=True)) > 0
    times = [entry.created_at for entry in entries]
    assert times == sorted(times)
    # anonymous reporters: found by their own blind index, never in an audit entry
    anonymous = rows.filter(anonymous=True)
    assert anonymous.exists() and not anonymous.exclude(reporter=None).exists()
    for complaint in anonymous:
        assert (
            complaint in selectors.complaints_of(world.warga)
            or complaint in selectors.complaints_of(world.denied)
            or complaint in selectors.complaints_of(world.refer)
        )
        for entry in AuditEntry.objects.filter(subject=f"complaint:{complaint.reference}"):
            for citizen in (world.warga, world.denied, world.refer):
                assert f'"user:{citizen.pk}"' not in entry.entry + entry.payload
    # and the public statistics have something to show
    tallies = selectors.statistics_by_category(days=90, now=dt.datetime(2026, 12, 30, tzinfo=dt.UTC))
    assert sum(t.received for t in tallies) > 100 and sum(t.on_time for t in tallies) > 50

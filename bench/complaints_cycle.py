"""Complaint cycles per second with N complaints stored, against a plain insert measured in the same run.

    .venv/bin/python bench/complaints_cycle.py [--stored 1000000] [--cycles 300] [--inserts 1000]

One cycle, as DIGIT's complaint benchmark counts it (create → assign → resolve → search), through the real
services, each step its own transaction with its audit entry and the reporter's notification rows:
  create  submit_complaint (Open311/API channel: reference, clocks in working days, audit, notification)
  assign  verify_complaint (classify: urgency, deadline) + forward_complaint (disposisi to an officer)
  answer  start_complaint (first response) + answer_complaint (answer checked, reopen window)
  search  the officer's inbox, first page of 25 by deadline, and a look-up by reference (public view)
Baseline: one ORM INSERT of a complaint row per transaction (no audit, no clocks, no notification).

Seeding: N rows by one INSERT ... SELECT in SQLite (one encrypted description reused; spread over the catalog's
services and agencies, 95% closed, received over the last two years), not through the services: a million full
cycles would take hours. SQLite only (the project's default). A throw-away database under a temporary
PAMONG_VAR_DIR.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PAMONG_VAR_DIR"] = tempfile.mkdtemp(prefix="pamong-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings.local")
os.environ["DJANGO_DEBUG"] = "false"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from pamong.accounts import roles  # noqa: E402
from pamong.accounts import services as accounts  # noqa: E402
from pamong.catalog import services as catalog  # noqa: E402
from pamong.catalog.models import Service  # noqa: E402
from pamong.complaints import selectors, services  # noqa: E402
from pamong.complaints.models import Complaint  # noqa: E402
from pamong.core import crypto  # noqa: E402

ANSWER = "Lampu penerangan jalan sudah diganti oleh regu pemeliharaan pada pagi ini; mohon kabari kami bila padam lagi."


def setup() -> dict:
    call_command("migrate", verbosity=0)
    catalog.load_packs(root=settings.PACKS_DIR, actor="system:bench")
    accounts.ensure_role_groups()
    service = Service.objects.get(slug="bansos-pkh")
    make = accounts.create_account
    return {
        "service": service,
        "officer": make(
            actor="system:bench",
            username="petugas",
            password="x" * 12,
            role=roles.PETUGAS,
            agency=service.agency,
        ),
        "supervisor": make(
            actor="system:bench",
            username="supervisor",
            password="x" * 12,
            role=roles.SUPERVISOR,
            agency=service.agency,
        ),
        "citizen": make(actor="system:bench", username="warga", password="x" * 12, role=roles.WARGA),
    }


def seed(total: int) -> None:
    """N rows by one INSERT ... SELECT over a recursive sequence, in SQLite itself (a Python loop building
    tuples took 10 minutes for a million): random receipt times over two years, 95% closed."""
    description = crypto.encrypt("Lampu jalan di depan rumah padam sejak minggu lalu dan jalan gelap sekali.")
    empty = crypto.encrypt("")
    pairs = list(Service.objects.values_list("pk", "agency_id"))
    table = Complaint._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_services (k INTEGER PRIMARY KEY, service_id, agency_id)")
        cursor.executemany(
            "INSERT INTO bench_services VALUES (%s, %s, %s)", [(k, s, a) for k, (s, a) in enumerate(pairs)]
        )
        cursor.execute(
            f"""
            WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < %s - 1),
            rows AS (
              SELECT n, datetime('now', '-' || (abs(random()) %% 1051200) || ' minutes') AS received,
                     (abs(random()) %% 100) < 95 AS closed, n %% {len(pairs)} AS k
              FROM seq
            )
            INSERT INTO {table} (reference, token, kind, channel, service_id, agency_id, title, description,
              search_terms, anonymous, confidential, reporter_id, hidden_reporter, reporter_index, contact, consent,
              filed_by_id, latitude, longitude, region_code, address, media_url, application_id, urgency, status,
              received_at, forward_due, response_due, due_at, escalate_at, escalation_level, assigned_to_id,
              first_response_at, answer, answered_at, rating, reopen_until, reopened, closed_at, merged_into_id,
              updated_at, personal_data_cleared, answer_days, merged_count, filed_by_client, ever_followed)
            SELECT 'ADU-SEED-' || printf('%%09d', n), lower(hex(randomblob(16))), 'pengaduan', 'web',
              s.service_id, s.agency_id, 'Lampu jalan padam', %s, ' lampu jalan padam gelap ', 0, n %% 10 = 0,
              NULL, %s, '', %s, '{{}}', NULL, -6.9 + (abs(random()) %% 1000) / 10000.0,
              107.6 + (abs(random()) %% 1000) / 10000.0, '3273011001', '', '', NULL, 'normatif',
              CASE WHEN closed THEN 'closed' ELSE 'in_progress' END,
              received, datetime(received, '+4 days'), datetime(received, '+7 days'), datetime(received, '+7 days'),
              datetime(received, '+5 days'), CASE WHEN closed THEN 0 ELSE 2 END, NULL,
              CASE WHEN closed THEN datetime(received, '+1 days') END, CASE WHEN closed THEN %s ELSE '' END,
              CASE WHEN closed THEN datetime(received, '+3 days') END, CASE WHEN closed THEN 4 END,
              CASE WHEN closed THEN date(received, '+17 days') END, 0,
              CASE WHEN closed THEN datetime(received, '+5 days') END, NULL, received, 0,
              CASE WHEN closed THEN 3 END, 0, '', 0
            FROM rows JOIN bench_services s ON s.k = rows.k
            """,
            [total, description, empty, empty, ANSWER],
        )
    print(
        f"  seeded {total:,} complaints in {time.perf_counter() - started:.0f} s (one INSERT ... SELECT in SQLite)"
    )


def cycle(world: dict, n: int) -> dict[str, float]:
    timings = {}
    started = time.perf_counter()
    complaint = services.submit_complaint(
        services.Report(
            service=world["service"],
            title=f"Lampu jalan padam nomor {n}",
            description="Lampu penerangan jalan di depan gang padam sejak tiga malam lalu.",
            latitude=-6.91,
            longitude=107.61,
        ),
        actor="client:bench",
        channel=Complaint.Channel.API,
    )
    timings["create"] = time.perf_counter() - started
    started = time.perf_counter()
    services.verify_complaint(complaint, actor=world["officer"], urgency="ringan")
    services.forward_complaint(complaint, actor=world["officer"], officer=world["officer"])
    timings["assign"] = time.perf_counter() - started
    started = time.perf_counter()
    services.start_complaint(complaint, actor=world["officer"], note="Regu pemeliharaan kami kirim hari ini.")
    services.answer_complaint(complaint, actor=world["officer"], answer=ANSWER)
    timings["answer"] = time.perf_counter() - started
    started = time.perf_counter()
    inbox = list(selectors.staff_complaints(world["officer"], status="in_progress")[:25])
    found = selectors.public_complaints().get(reference=complaint.reference)
    assert found.status == "answered" and len(inbox) <= 25
    timings["search"] = time.perf_counter() - started
    return timings


def queries_per_step(world: dict) -> dict[str, int]:
    """How many SQL statements each step runs (one cycle, after the warm-up)."""
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, int] = {}
    with CaptureQueriesContext(connection) as captured:
        marks = []
        original = time.perf_counter

        def mark() -> float:  # cycle() reads the clock at each step's start and end
            marks.append(len(captured.captured_queries))
            return original()

        time.perf_counter = mark
        try:
            cycle(world, 10_000_000)
        finally:
            time.perf_counter = original
    pairs = zip(marks[::2], marks[1::2], strict=True)
    for step, (start, end) in zip(("create", "assign", "answer", "search"), pairs, strict=True):
        counts[step] = end - start
    return counts


def profile(world: dict, path: str) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for n in range(40):
        cycle(world, 20_000_000 + n)
    profiler.stop()
    Path(path).write_text(profiler.output_text(unicode=True, show_all=False))
    print(f"  profile of 40 cycles: {path}")


def plain_inserts(world: dict, count: int) -> float:
    now = timezone.now()
    started = time.perf_counter()
    for n in range(count):
        with transaction.atomic():
            Complaint.objects.create(
                reference=f"ADU-BASE-{n:08d}",
                token=secrets.token_hex(16),
                channel="api",
                service=world["service"],
                agency=world["service"].agency,
                title="Lampu jalan padam",
                description="Lampu penerangan jalan di depan gang padam sejak tiga malam lalu.",
                received_at=now,
                forward_due=now,
                response_due=now,
                due_at=now,
                escalate_at=now,
            )
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--inserts", type=int, default=1000)
    parser.add_argument("--profile", help="write a pyinstrument profile of 40 cycles to this text file")
    args = parser.parse_args()
    print(f"complaints cycle benchmark: {connection.vendor}, {args.stored:,} stored, {args.cycles} cycles")
    world = setup()
    seed(args.stored)
    for n in range(20):  # warm-up: caches, the stemmer, prepared statements
        cycle(world, -n)
    print("  queries per step:", queries_per_step(world))
    if args.profile:
        profile(world, args.profile)
    steps: dict[str, list[float]] = {}
    started = time.perf_counter()
    for n in range(args.cycles):
        for step, seconds in cycle(world, n).items():
            steps.setdefault(step, []).append(seconds)
    rate = args.cycles / (time.perf_counter() - started)
    baseline = plain_inserts(world, args.inserts)
    stored = Complaint.objects.count()
    print(f"  stored now                          {stored:12,}")
    print(f"  cycles (create→assign→answer→search) {rate:10.1f}/s   budget > 37/s (DIGIT, 16 vCPU, empty db)")
    print(
        f"  plain ORM insert, one per transaction {baseline:9.1f}/s   cycle = {rate / baseline:.3f}x insert"
    )
    for step, values in steps.items():
        values.sort()
        p50 = statistics.median(values) * 1000
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))] * 1000
        print(f"    {step:7s} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")


if __name__ == "__main__":
    main()

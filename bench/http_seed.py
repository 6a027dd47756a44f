"""Seed a throw-away Pamong database for bench/http_submit.py: the demo data, then N stored applications
(copies of one real, automatically decided application: same encrypted answers, new ids and references, owned
by 10,000 synthetic citizens) and an
audit log of N entries. Prints the demo citizen's bansos form as JSON on its last line.

    PAMONG_BENCH_VAR_DIR=/tmp/x .venv/bin/python bench/http_seed.py --stored 1000000
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from audit_storage import fill  # noqa: E402  (sets up Django on PAMONG_BENCH_VAR_DIR)
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from pamong.accounts.models import User  # noqa: E402
from pamong.audit.models import AuditEntry  # noqa: E402
from pamong.cases import services  # noqa: E402
from pamong.cases.models import Application  # noqa: E402
from pamong.catalog.models import Service  # noqa: E402
from pamong.registry import demo  # noqa: E402

BATCH = 20_000
CITIZENS = 10_000  # the stored applications belong to this many synthetic citizens, 100 each at 1M


def seed_applications(total: int) -> None:
    """Copy one decided application's row until `total` are stored (raw executemany: 1M rows in seconds)."""
    warga = User.objects.get(username="warga")
    # The benchmark files for this one citizen again and again: as a pack with `repeat_allowed` would let it
    # (by default a second application right after a grant is refused, issue 15).
    Service.objects.filter(slug="bansos-pkh").update(repeat_allowed=True)
    template, _ = services.submit_application(
        actor=warga,
        service=Service.objects.get(slug="bansos-pkh"),
        applicant=warga,
        form=dict(demo.DEMO_BANSOS_FORMS[demo.WARGA_NIK]),
    )
    table = Application._meta.db_table
    columns = [f.column for f in Application._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [template.pk.hex])
        row = [_json_ready(value) for value in cursor.fetchone()]
    at = {name: columns.index(name) for name in ("id", "reference", "idempotency_key", "applicant_id")}
    owners = synthetic_citizens(CITIZENS)
    started, done = time.perf_counter(), Application.objects.count()
    placeholders = ", ".join(["%s"] * len(columns))
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    while done < total:
        rows = []
        for n in range(done, min(total, done + BATCH)):
            copy = list(row)
            copy[at["id"]], copy[at["reference"]], copy[at["idempotency_key"]] = (
                uuid.uuid4().hex,
                f"PMG-B{n:010d}",
                "",
            )
            copy[at["applicant_id"]] = owners[n % len(owners)]
            rows.append(copy)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, rows)
        done += len(rows)
    print(f"  ({total:,} applications stored in {time.perf_counter() - started:.0f} s)", file=sys.stderr)


def _json_ready(value):
    """PostgreSQL hands JSON columns back as dicts and lists; to insert them again they need psycopg's wrapper."""
    if connection.vendor == "postgresql" and isinstance(value, dict | list):
        return Jsonb(value)
    return value


def count_queries(form: dict) -> int:
    """The SQL statements of one submission through the whole HTTP stack (middleware, API, services), counted
    in process on the seeded database (the served process cannot be looked into)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="warga"))
    body = json.dumps({"service": "bansos-pkh", "form": form})
    for _ in range(3):  # caches warm, as in a running server
        client.post("/api/v1/applications", body, content_type="application/json")
    with CaptureQueriesContext(connection) as captured:
        answer = client.post("/api/v1/applications", body, content_type="application/json")
    assert answer.status_code == 201, answer.content[:200]
    return len(captured.captured_queries)


def synthetic_citizens(count: int) -> list[int]:
    """Citizen accounts that cannot sign in, to own the stored applications (one citizen with a million
    applications would make per-citizen lookups unrealistically slow)."""
    from django.contrib.auth.models import Group

    User.objects.bulk_create(
        [User(username=f"bench-{n:06d}", password="!") for n in range(count)], batch_size=5000
    )
    ids = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    warga = Group.objects.get(name="warga")
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=warga.pk) for pk in ids], batch_size=5000
    )
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", type=int, default=1_000_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    seed_applications(args.stored)
    fill(max(args.stored, AuditEntry.objects.count()))
    form = dict(demo.DEMO_BANSOS_FORMS[demo.WARGA_NIK])
    print(f"  (SQL statements per submission: {count_queries(form)})", file=sys.stderr)
    print(json.dumps(form))


if __name__ == "__main__":
    main()

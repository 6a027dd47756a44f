"""What one submission costs the database (issue 12: the write path made short): the retry lookup reads one
index entry, not every application of the applicant, and the number of statements stays where it was measured."""

from __future__ import annotations

import uuid

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pamong.cases import services as cases
from pamong.cases.selectors import filed_with_key

# Statements of one automatically granted web submission, outside the request (session and sign-in not counted),
# measured when the write path was last made shorter. A change that adds statements to every submission must
# raise this on purpose, with its figure in docs/benchmarks.md.
STATEMENTS_PER_SUBMISSION = {"sqlite": 29, "postgresql": 32}


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # The tables of a test are tiny: without seq scans the planner shows which index it can use.
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())


def test_a_retry_is_found_through_the_unique_index_of_its_key(world):
    lookup = filed_with_key(world.warga, "a-key").order_by("-filed_at")[:1]  # what .first() runs
    plan = _plan(*lookup.query.sql_with_params())
    assert "application_idempotency_key_unique" in plan, plan


def test_a_submission_stays_within_its_measured_statements(world, settings):
    # Every 50th observation (by id, which PostgreSQL does not reset between tests) also runs its service's spike
    # check, a dozen statements of its own (oversight's tests measure it): keep it out of this count.
    settings.PAMONG_OVERSIGHT = {"check_every": 10**12}
    world.bansos.repeat_allowed = True  # the same citizen files twice: the first warms the process's caches
    world.bansos.save(update_fields=["repeat_allowed"])

    def submit():
        return cases.submit_application(
            actor=world.warga,
            service=world.bansos,
            applicant=world.warga,
            form=dict(world.forms[world.niks.WARGA_NIK]),
            idempotency_key=uuid.uuid4().hex,
        )

    submit()
    with CaptureQueriesContext(connection) as statements:
        application, created = submit()
    assert created and application.status == "granted"
    ceiling = STATEMENTS_PER_SUBMISSION[connection.vendor]
    listed = "\n".join(query["sql"][:120] for query in statements.captured_queries)
    assert len(statements.captured_queries) <= ceiling, f"{len(statements)} statements:\n{listed}"

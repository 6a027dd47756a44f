"""Read caches that are never stale (pamong.core.generations, ADR 64): a trigger gives a family a new token on
every write to its tables, however the write is made; what was computed under a rolled-back write is never
served; the decision path sees a breaker and a changed poverty line at once."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from pamong.cases import services as cases
from pamong.core import generations
from pamong.oversight import services as oversight
from pamong.oversight.models import CircuitBreaker
from pamong.registry.models import PovertyLine

pytestmark = pytest.mark.django_db


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


# The watched tables that the world fills (the breaker and draft tables are written in the tests further down).
FILLED = [
    ("rules", "catalog_service"),
    ("rules", "catalog_packruleversion"),
    ("reference", "registry_referencedataset"),
    ("reference", "registry_povertyline"),
    ("reference", "registry_kblirisk"),
]


@pytest.mark.parametrize(("family", "table"), FILLED)
def test_a_write_in_raw_sql_to_a_watched_table_gives_its_family_a_new_token(world, family, table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        assert cursor.fetchone()[0] > 0
    before = generations.current_token(family)
    raw(f"UPDATE {table} SET id = id")  # noqa: S608  (touches every row, bypassing the ORM and its signals)
    assert generations.current_token(family) not in (None, before)


def test_a_value_is_computed_once_per_token(world):
    compute = Counter()
    assert [generations.cached("reference", "k", compute) for _ in range(3)] == [1, 1, 1]
    PovertyLine.objects.filter(regency_code="3273").update(amount=1)  # a queryset update: no signal fires
    assert generations.cached("reference", "k", compute) == 2
    assert generations.cached("rules", "k", compute) == 3  # each family keeps its own values


def test_what_a_rolled_back_write_computed_is_never_served(world):
    compute = Counter()
    with pytest.raises(RuntimeError), transaction.atomic():
        PovertyLine.objects.update(amount=1)
        assert generations.cached("reference", "k", compute) == 1  # computed under the uncommitted token
        raise RuntimeError("roll back")
    # The next write does not bring the rolled-back token back (a counter would: its value 1 would be served).
    PovertyLine.objects.update(amount=2)
    assert generations.cached("reference", "k", compute) == 2


def test_a_family_without_a_token_row_is_not_cached(world):
    raw(f"DELETE FROM {generations.TABLE}")  # noqa: S608
    compute = Counter()
    assert [generations.cached("rules", "k", compute) for _ in range(2)] == [1, 2]


def file_for_denied(world):
    application, _created = cases.submit_application(
        actor=world.denied, service=world.bansos, applicant=world.denied, form=world.forms[world.denied.nik]
    )
    return cases.latest_proposal(application)


def rule_result(decision, rule_id: str) -> str:
    return next(rule["on_fail"] for rule in decision.evaluation["rules"] if rule["rule_id"] == rule_id)


def test_a_breaker_holds_its_rule_from_the_decision_after_it_opens_and_lets_go_when_it_closes(world):
    world.bansos.repeat_allowed = True  # the same citizen files three times
    world.bansos.save(update_fields=["repeat_allowed"])
    assert rule_result(file_for_denied(world), "registered_in_dtsen") == "deny"  # cached from here on
    breaker = oversight.open_breaker(
        world.bansos,
        rule_id="registered_in_dtsen",
        region_code=None,
        actor=world.supervisor,
        reason="Uji pemutus.",
    )
    assert rule_result(file_for_denied(world), "registered_in_dtsen") == "refer"
    CircuitBreaker.objects.filter(pk=breaker.pk).delete()
    assert rule_result(file_for_denied(world), "registered_in_dtsen") == "deny"


def test_a_poverty_line_changed_in_raw_sql_decides_the_next_application(world):
    from pamong.registry.services import reference_tables  # the read the decision path makes

    day = PovertyLine.objects.order_by("-effective_from").first().effective_from
    first = reference_tables(["poverty_line"], day).tables["poverty_line"]
    raw("UPDATE registry_povertyline SET amount = 7 WHERE regency_code = %s", ["3273"])
    assert reference_tables(["poverty_line"], day).tables["poverty_line"]["3273"] == 7
    assert first["3273"] != 7
    first["3273"] = 0  # a caller's copy is its own: the cache is not changed through it
    assert reference_tables(["poverty_line"], day).tables["poverty_line"]["3273"] == 7

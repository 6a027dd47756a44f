"""The layering promises of the decision path: one counter service that validates before it creates, facts
gathered before the write transaction, and oversight reached only through the safeguards port."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.audit.models import AuditEntry
from pamong.cases import safeguards
from pamong.cases import services as cases
from pamong.cases.models import Application
from pamong.notify.models import Notification
from pamong.registry import adapters

COUNTER = "/api/v1/staff/counter/applications"


def _state() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        AuditEntry.objects.count(),
        Application.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"form": {"household_size": "banyak"}}, "household_size"),
        ({"consent_statement": "   "}, "consent_statement"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_an_invalid_counter_request_creates_no_citizen_and_no_audit_entry(world, client_for, change, field):
    officer = client_for(world.loket)
    payload = {
        "service": "bansos-pkh",
        "form": dict(world.forms[world.niks.WARGA_NIK]),
        "nik": world.niks.UNREGISTERED_NIK,  # a real person of the registry who has no account yet
        "full_name": "Orang Baru",
        "consent_method": "tanda_tangan",
        "consent_statement": "Saya setuju.",
    }
    if "form" in change:
        payload["form"] = {**payload["form"], **change["form"]}
    else:
        payload.update(change)
    before = _state()
    response = officer.post(COUNTER, payload, content_type="application/json")
    assert response.status_code == 422
    assert field in response.json()["details"]
    assert _state() == before


def test_a_valid_counter_request_makes_the_account_and_the_application_together(world, client_for):
    before = _state()
    payload = {
        "service": "bansos-pkh",
        "form": dict(world.forms[world.niks.WARGA_NIK]),
        "nik": world.niks.UNREGISTERED_NIK,
        "full_name": "Orang Baru",
        "consent_method": "lisan_disaksikan",
        "consent_statement": "Saya setuju.",
    }
    response = client_for(world.loket).post(COUNTER, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    users, _entries, applications, _ = _state()
    assert (users, applications) == (before[0] + 1, before[2] + 1)
    application = Application.objects.get()
    assert (application.channel, application.consent["method"], application.assisted_by) == (
        "counter",
        "lisan_disaksikan",
        world.loket,
    )


class _SlowAdapter:
    """A registry that answers only when told to: stands for a slow agency system."""

    def __init__(self, real):
        self.real, self.entered, self.release = real, threading.Event(), threading.Event()

    def fetch(self, **kwargs):
        self.entered.set()
        self.release.wait(10)
        return self.real.fetch(**kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_slow_registry_does_not_hold_the_write_lock_or_the_audit_lock(world, monkeypatch):
    slow = _SlowAdapter(adapters.LOCAL_ADAPTERS["dukcapil"])
    monkeypatch.setitem(adapters.LOCAL_ADAPTERS, "dukcapil", slow)
    outcome: dict[str, object] = {}

    def submit() -> None:
        try:
            outcome["application"], _ = cases.submit_application(
                actor=world.warga,
                service=world.bansos,
                applicant=world.warga,
                form=dict(world.forms[world.niks.WARGA_NIK]),
            )
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            outcome["error"] = exc
        finally:
            connection.close()

    filer = threading.Thread(target=submit)
    filer.start()
    try:
        assert slow.entered.wait(10), "the submission never asked the registry"
        # While the registry is still answering, another writer appends to the audit log at once.
        started = time.monotonic()
        with transaction.atomic():
            audit.record_event(actor="system:test", action=Action.RERUN_STARTED, subject="test:lock", data={})
        waited = time.monotonic() - started
    finally:
        slow.release.set()
        filer.join(30)
    assert "error" not in outcome, outcome
    assert waited < 1.0, f"the audit append waited {waited:.1f} s for a registry call"
    assert outcome["application"].status == "granted"
    indices = sorted(AuditEntry.objects.values_list("index", flat=True))
    assert indices == list(range(len(indices)))  # the log stayed dense


class _CountingSafeguards(safeguards.NoOversight):
    def __init__(self, held: frozenset[str]):
        self.held, self.recorded = held, []

    def open_breaker_rule_ids(self, *, service_slug: str, region_code: str) -> frozenset[str]:
        return self.held

    def decision_recorded(self, decision, *, rerun: bool) -> None:
        self.recorded.append((decision.outcome, rerun))


def test_the_decision_path_asks_the_installed_safeguards(world):
    """A rule held by a breaker refers instead of denying, and each recorded evaluation is reported."""
    form = dict(world.forms[world.niks.DENIED_NIK])
    world.bansos.repeat_allowed = (
        True  # the same person applies twice here (issue 15 refuses that by default)
    )
    world.bansos.save(update_fields=["repeat_allowed"])
    with safeguards.installed(_CountingSafeguards(frozenset())) as free:
        refused, _ = cases.submit_application(
            actor=world.denied, service=world.bansos, applicant=world.denied, form=form
        )
    failing = [r["rule_id"] for r in refused.decisions.get().evaluation["rules"] if r["status"] == "failed"]
    assert refused.decisions.get().outcome == "DENY" and failing
    assert free.recorded == [("DENY", False)]
    with safeguards.installed(_CountingSafeguards(frozenset(failing))) as holding:
        held, _ = cases.submit_application(
            actor=world.denied,
            service=world.bansos,
            applicant=world.denied,
            form=form,
            idempotency_key="again-1",
        )
    assert held.decisions.get().outcome == "REFER"
    assert holding.recorded == [("REFER", False)]
    assert not isinstance(safeguards.current(), _CountingSafeguards)  # restored after the block

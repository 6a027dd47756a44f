"""Audit storage: appends inside the caller's transaction, canonical entries, stored subtrees match the math."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import transaction

from pamong.audit import merkle, services
from pamong.audit.actions import Action
from pamong.audit.models import AuditEntry, AuditNode
from pamong.audit.tests.factories import append_events

pytestmark = pytest.mark.django_db


def test_an_entry_is_canonical_json_with_digests_only():
    entry = services.record_event(
        actor="system:test",
        action=Action.DECISION_RECORDED,
        subject="cases.application:7",
        data={"nik": "3273"},
    )
    public = json.loads(entry.entry)
    assert sorted(public) == ["action", "actor", "data_sha256", "index", "subject", "time", "v"]
    assert public["data_sha256"] == hashlib.sha256(b'{"nik":"3273"}').hexdigest()
    assert "3273" not in entry.entry.replace(public["data_sha256"], "")
    assert bytes(entry.leaf_hash) == hashlib.sha256(b"\x00" + entry.entry.encode()).digest()
    assert entry.entry == json.dumps(public, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_a_rolled_back_action_leaves_no_entry():
    append_events(2)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.record_event(actor="system:test", action=Action.DECISION_RECORDED, subject="x")
        raise Boom
    assert AuditEntry.objects.count() == 2
    append_events(1)
    assert list(AuditEntry.objects.values_list("index", flat=True)) == [0, 1, 2]


def test_unregistered_actions_are_refused():
    with pytest.raises(ValueError, match="unregistered audit action"):
        services.record_event(actor=None, action="cases.something_else", subject="x")
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 13, 64])
def test_stored_subtrees_give_the_rfc_root_and_proofs(size):
    append_events(size)
    leaves = [bytes(h) for h in AuditEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    assert services.root_hash(size) == merkle.root_from_leaves(leaves)
    assert AuditNode.objects.count() == size - size.bit_count()
    for index in range(size):
        proof = merkle.inclusion_proof(index, size, services.stored_node)
        assert proof == merkle.inclusion_proof_from_leaves(index, leaves)
        assert merkle.verify_inclusion(leaves[index], index, size, proof, services.root_hash(size))


def test_signed_tree_head_verifies_with_the_public_key():
    from pamong.audit import signing

    append_events(5)
    head = services.sign_tree_head()
    message = signing.tree_head_message(5, bytes(head.root_hash), int(head.timestamp.timestamp() * 1000))
    assert head.tree_size == 5
    assert signing.verify(signing.public_key_bytes(), bytes(head.signature), message)
    assert not signing.verify(signing.public_key_bytes(), bytes(head.signature), message.replace(b"5", b"6"))


@pytest.mark.parametrize(("before", "bulk"), [(0, 1), (0, 64), (5, 1), (5, 200), (7, 9), (64, 37)])
def test_bulk_appends_store_what_single_appends_would(before, bulk):
    """record_events after `before` single appends: the same entries and stored subtrees as appending one by
    one (the nodes read from before the batch and those hashed in memory), and the log verifies."""
    from datetime import UTC, datetime, timedelta

    from pamong.audit.verification import verify_log

    append_events(before)
    start = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)
    events = [
        services.PendingEvent(
            at=start + timedelta(minutes=n), actor=None, action=Action.APPLICATION_SUBMITTED, subject=f"s:{n}"
        )
        for n in range(bulk)
    ]
    assert services.record_events(events) == before
    size = before + bulk
    entries = list(AuditEntry.objects.order_by("index"))
    assert [e.index for e in entries] == list(range(size))
    assert json.loads(entries[before].entry)["time"] == "2026-09-01T01:00:00.000000Z"
    leaves = [bytes(e.leaf_hash) for e in entries]
    assert services.root_hash(size) == merkle.root_from_leaves(leaves)
    expected = {(level, position): node for level, position, node in _perfect_subtrees(leaves)}
    stored = {(n.level, n.position): bytes(n.hash) for n in AuditNode.objects.all()}
    assert stored == expected
    assert verify_log().ok


def _perfect_subtrees(leaves: list[bytes]):
    """Every perfect subtree of at least two leaves, hashed from the leaves alone."""
    level, layer = 0, leaves
    while len(layer) > 1:
        layer = [merkle.node_hash(layer[i], layer[i + 1]) for i in range(0, len(layer) - 1, 2)]
        level += 1
        yield from ((level, position, node) for position, node in enumerate(layer))

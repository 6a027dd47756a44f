"""Public audit API: a client can check inclusion and consistency with nothing but the responses."""

from __future__ import annotations

import base64

import pytest

from pamong.audit import merkle, signing
from pamong.audit.receipt import verify_receipt
from pamong.audit.selectors import published_key
from pamong.audit.tests.factories import append_events
from pamong.core.testing.openapi import assert_matches_schema

pytestmark = pytest.mark.django_db


def test_tree_head_is_signed_and_covers_the_log(client):
    append_events(11)
    body = client.get("/api/v1/audit/tree-head").json()
    assert_matches_schema("/api/v1/audit/tree-head", "get", 200, body)
    assert body["tree_size"] == 11
    message = signing.tree_head_message(11, bytes.fromhex(body["root_hash"]), body["timestamp"])
    assert signing.verify(base64.b64decode(body["public_key"]), base64.b64decode(body["signature"]), message)


def test_entry_with_inclusion_proof_verifies_offline(client):
    append_events(11)
    body = client.get("/api/v1/audit/entries/6").json()
    assert_matches_schema("/api/v1/audit/entries/{index}", "get", 200, body)
    assert verify_receipt(body, trusted_public_key=published_key()["public_key"]) == []
    leaf = merkle.leaf_hash(body["entry"].encode())
    assert leaf.hex() == body["leaf_hash"]
    proof = [bytes.fromhex(node) for node in body["inclusion_proof"]]
    root = bytes.fromhex(body["tree_head"]["root_hash"])
    assert merkle.verify_inclusion(leaf, 6, 11, proof, root)
    assert not merkle.verify_inclusion(leaf, 5, 11, proof, root)


def test_consistency_proof_between_two_published_heads_verifies(client):
    append_events(6)
    old = client.get("/api/v1/audit/tree-head").json()
    append_events(7)
    new = client.get("/api/v1/audit/tree-head").json()
    body = client.get("/api/v1/audit/consistency", {"from": 6, "to": 13}).json()
    assert_matches_schema("/api/v1/audit/consistency", "get", 200, body)
    assert (body["from_root"], body["to_root"]) == (old["root_hash"], new["root_hash"])
    proof = [bytes.fromhex(node) for node in body["proof"]]
    assert merkle.verify_consistency(
        6, 13, bytes.fromhex(old["root_hash"]), bytes.fromhex(new["root_hash"]), proof
    )


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/audit/entries/99", 404, "audit_entry_not_found"),
        ("/api/v1/audit/entries/-1", 404, "audit_entry_not_found"),
        ("/api/v1/audit/consistency?from=5&to=2", 422, "invalid_tree_sizes"),
        ("/api/v1/audit/consistency?from=1&to=99", 422, "invalid_tree_sizes"),
        ("/api/v1/audit/consistency?from=-1&to=2", 422, "invalid_input"),
        ("/api/v1/audit/consistency?from=x&to=2", 422, "invalid_input"),
    ],
)
def test_bad_requests_get_clear_errors(client, path, status, code):
    append_events(3)
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["code"] == code

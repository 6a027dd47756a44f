"""A receipt verifies offline, and any change to it is caught with a clear reason."""

from __future__ import annotations

import base64
import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pamong.audit import selectors, services
from pamong.audit.receipt import verify_receipt
from pamong.audit.signing import tree_head_message
from pamong.audit.tests.factories import append_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def key() -> str:
    """The published key, as a verifier pins it once (from /.well-known/pamong-audit-key.json)."""
    return selectors.published_key()["public_key"]


@pytest.fixture
def receipt() -> dict:
    append_events(9)
    # Round-trip through JSON, as a downloaded file would be.
    return json.loads(json.dumps(services.build_receipt(index=4)))


def test_a_fresh_receipt_is_valid(receipt, key):
    assert receipt["tree_head"]["public_key"] == key
    assert verify_receipt(receipt, trusted_public_key=key) == []


def test_receipt_stays_valid_after_the_log_grows(receipt, key):
    append_events(20)
    assert verify_receipt(receipt, trusted_public_key=key) == []


def tampered(receipt: dict, path: list, value) -> dict:
    changed = copy.deepcopy(receipt)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (["leaf_index"], 5, "the entry's index does not match the receipt's leaf index"),
        (["tree_head", "tree_size"], 10, "the tree head signature is invalid"),
        (["tree_head", "root_hash"], "00" * 32, "the tree head signature is invalid"),
        (["inclusion_proof", 0], "11" * 32, "the inclusion proof does not lead to the signed root"),
        (["leaf_hash"], "22" * 32, "the leaf hash does not match the entry"),
    ],
)
def test_tampered_receipts_are_rejected(receipt, key, path, value, problem):
    assert problem in verify_receipt(tampered(receipt, path, value), trusted_public_key=key)


def test_a_changed_entry_is_rejected(receipt, key):
    forged = tampered(receipt, ["entry"], receipt["entry"].replace("test:subject", "test:subjekt"))
    problems = verify_receipt(forged, trusted_public_key=key)
    assert "the leaf hash does not match the entry" in problems
    assert "the inclusion proof does not lead to the signed root" in problems


def test_a_foreign_key_is_rejected(receipt):
    problems = verify_receipt(receipt, trusted_public_key="A" * 43 + "=")
    assert problems == ["the tree head is signed by a key other than the trusted one"]


def test_a_malformed_receipt_is_reported_not_raised(key):
    assert verify_receipt({"entry": 5}, trusted_public_key=key)[0].startswith("the receipt is malformed")


def test_a_receipt_signed_by_a_strangers_own_key_is_rejected(receipt, key):
    """Re-signed with a stranger's key that the receipt carries itself: valid in itself, refused when pinned."""
    stranger = Ed25519PrivateKey.generate()
    head = receipt["tree_head"]
    message = tree_head_message(
        int(head["tree_size"]), bytes.fromhex(head["root_hash"]), int(head["timestamp"])
    )
    forged = tampered(receipt, ["tree_head", "signature"], base64.b64encode(stranger.sign(message)).decode())
    raw = stranger.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    forged["tree_head"]["public_key"] = base64.b64encode(raw).decode()
    assert verify_receipt(forged, trusted_public_key=key) == [
        "the tree head is signed by a key other than the trusted one"
    ]
    with pytest.raises(TypeError):
        verify_receipt(forged)  # no pinned key, no verdict


def test_the_key_is_published_at_a_well_known_address(client, key):
    response = client.get("/.well-known/pamong-audit-key.json")
    assert response.status_code == 200
    assert response.json() == {
        "algorithm": "Ed25519",
        "public_key": key,
        "key_id": selectors.published_key()["key_id"],
    }
    assert client.get("/api/v1/audit/public-key").json()["public_key"] == key

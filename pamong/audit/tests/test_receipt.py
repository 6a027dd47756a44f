"""A receipt verifies offline, and any change to it is caught with a clear reason."""

from __future__ import annotations

import copy
import json

import pytest

from pamong.audit import services
from pamong.audit.receipt import verify_receipt
from pamong.audit.tests.factories import append_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt() -> dict:
    append_events(9)
    # Round-trip through JSON, as a downloaded file would be.
    return json.loads(json.dumps(services.build_receipt(index=4)))


def test_a_fresh_receipt_is_valid(receipt):
    assert verify_receipt(receipt) == []
    assert verify_receipt(receipt, trusted_public_key=receipt["tree_head"]["public_key"]) == []


def test_receipt_stays_valid_after_the_log_grows(receipt):
    append_events(20)
    assert verify_receipt(receipt) == []


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
def test_tampered_receipts_are_rejected(receipt, path, value, problem):
    assert problem in verify_receipt(tampered(receipt, path, value))


def test_a_changed_entry_is_rejected(receipt):
    forged = tampered(receipt, ["entry"], receipt["entry"].replace("test:subject", "test:subjekt"))
    problems = verify_receipt(forged)
    assert "the leaf hash does not match the entry" in problems
    assert "the inclusion proof does not lead to the signed root" in problems


def test_a_foreign_key_is_rejected(receipt):
    problems = verify_receipt(receipt, trusted_public_key="A" * 43 + "=")
    assert problems == ["the tree head is signed by a key other than the trusted one"]


def test_a_malformed_receipt_is_reported_not_raised():
    assert verify_receipt({"entry": 5})[0].startswith("the receipt is malformed")

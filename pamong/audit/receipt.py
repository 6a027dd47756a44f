"""Decision receipts: everything a citizen needs to prove, offline, that an act is in the audit log.

A receipt is JSON: the entry (canonical JSON text), its leaf index and hash, a signed tree head and the
inclusion proof against it, and the log's public key. `verify_receipt` checks it with no server and no
Django (only hashlib and `cryptography`); docs/audit.md spells out the same algorithm for other languages.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import merkle

RECEIPT_VERSION = 1


def tree_head_message(tree_size: int, root_hash: bytes, timestamp_ms: int) -> bytes:
    """The exact bytes a tree head signature covers (also used by pamong.audit.signing)."""
    body = {"root_hash": root_hash.hex(), "timestamp": timestamp_ms, "tree_size": tree_size}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def verify_receipt(receipt: dict[str, Any], *, trusted_public_key: str) -> list[str]:
    """Problems found (empty: the receipt is valid). `trusted_public_key` (base64) is the log's key as the agency
    publishes it (`/.well-known/pamong-audit-key.json`, docs/audit.md): required, because a receipt's own key
    proves nothing — anyone can sign a tree head with a key of their own."""
    try:
        entry = receipt["entry"].encode("utf-8")
        index = int(receipt["leaf_index"])
        head = receipt["tree_head"]
        size, root = int(head["tree_size"]), bytes.fromhex(head["root_hash"])
        public_key = base64.b64decode(head["public_key"])
        signature = base64.b64decode(head["signature"])
        proof = [bytes.fromhex(node) for node in receipt["inclusion_proof"]]
        timestamp = int(head["timestamp"])
        entry_index = json.loads(entry).get("index")
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        return [f"the receipt is malformed: {exc}"]
    problems = []
    leaf = merkle.leaf_hash(entry)
    if leaf.hex() != receipt.get("leaf_hash"):
        problems.append("the leaf hash does not match the entry")
    if entry_index != index:
        problems.append("the entry's index does not match the receipt's leaf index")
    if base64.b64decode(trusted_public_key) != public_key:
        problems.append("the tree head is signed by a key other than the trusted one")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, tree_head_message(size, root, timestamp)
        )
    except (InvalidSignature, ValueError):
        problems.append("the tree head signature is invalid")
    if not merkle.verify_inclusion(leaf, index, size, proof, root):
        problems.append("the inclusion proof does not lead to the signed root")
    return problems

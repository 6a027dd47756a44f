"""Reads of the audit log: public entries, proofs and signed tree heads."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pamong.core.errors import NotFound, ValidationFailed, gettext_noop

from . import merkle, signing
from .models import AuditEntry, SignedTreeHead
from .receipt import RECEIPT_VERSION
from .services import root_hash, tree_size, with_prefetched_nodes


@dataclass(frozen=True)
class EntryWithProof:
    entry: AuditEntry
    tree_head: SignedTreeHead
    proof: list[bytes]


def latest_tree_head() -> SignedTreeHead | None:
    return SignedTreeHead.objects.order_by("-tree_size", "-timestamp").first()


def entry_get(*, index: int) -> AuditEntry:
    entry = AuditEntry.objects.filter(index=index).first()
    if entry is None:
        raise NotFound(
            gettext_noop("Audit entry #%(index)s does not exist."),
            params={"index": index},
            code="audit_entry_not_found",
        )
    return entry


def entry_with_proof(*, index: int, tree_head: SignedTreeHead) -> EntryWithProof:
    """The entry and its inclusion proof against `tree_head` (which must already contain it)."""
    entry = entry_get(index=index)
    if index >= tree_head.tree_size:
        raise NotFound(
            gettext_noop("Audit entry #%(index)s is not yet covered by a signed tree head."),
            params={"index": index},
            code="not_yet_signed",
        )
    proof = with_prefetched_nodes(
        lambda get_node: merkle.inclusion_proof(index, tree_head.tree_size, get_node)
    )
    return EntryWithProof(entry=entry, tree_head=tree_head, proof=proof)


def consistency(*, old_size: int, new_size: int) -> tuple[bytes, bytes, list[bytes]]:
    size = tree_size()
    if not 0 <= old_size <= new_size <= size:
        raise ValidationFailed(
            _("Invalid sizes: 0 ≤ from ≤ to ≤ %(size)s is needed.") % {"size": size},
            code="invalid_tree_sizes",
            details={"size": size},
        )
    proof = (
        with_prefetched_nodes(lambda get_node: merkle.consistency_proof(old_size, new_size, get_node))
        if old_size
        else []
    )
    return root_hash(old_size), root_hash(new_size), proof


def tree_head_dict(head: SignedTreeHead) -> dict:
    """A signed tree head as published: hex root, millisecond timestamp, base64 key and signature."""
    return {
        "tree_size": head.tree_size,
        "root_hash": bytes(head.root_hash).hex(),
        "timestamp": int(head.timestamp.timestamp() * 1000),
        "key_id": head.key_id,
        "public_key": base64.b64encode(signing.public_key_bytes()).decode(),
        "signature": base64.b64encode(bytes(head.signature)).decode(),
    }


def receipt_dict(found: EntryWithProof) -> dict:
    """The receipt format of pamong.audit.receipt (docs/audit.md)."""
    return {
        "version": RECEIPT_VERSION,
        "leaf_index": found.entry.index,
        "entry": found.entry.entry,
        "leaf_hash": bytes(found.entry.leaf_hash).hex(),
        "tree_head": tree_head_dict(found.tree_head),
        "inclusion_proof": [node.hex() for node in found.proof],
    }


def published_key() -> dict[str, str]:
    """The tree-head signing key as the agency publishes it, for verifiers to pin."""
    return {
        "algorithm": "Ed25519",
        "public_key": base64.b64encode(signing.public_key_bytes()).decode(),
        "key_id": signing.key_id(),
    }


def recent_tree_heads(*, limit: int = 20) -> list[dict]:
    """The newest signed tree heads as published, each with whether its signature checks out now."""
    public_key = signing.public_key_bytes()
    heads = []
    for head in SignedTreeHead.objects.order_by("-tree_size", "-timestamp")[:limit]:
        published = tree_head_dict(head)
        message = signing.tree_head_message(head.tree_size, bytes(head.root_hash), published["timestamp"])
        heads.append(
            {
                **published,
                "signed_at": head.timestamp,
                "signature_ok": head.key_id == signing.key_id()
                and signing.verify(public_key, bytes(head.signature), message),
            }
        )
    return heads

"""Public audit API: signed tree head, entries as receipts with inclusion proofs, consistency proofs.

Entries hold digests only, never personal data, so these endpoints need no login.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from pamong.core.errors import NotFound, gettext_noop
from pamong.core.schemas import ErrorOut

from . import selectors, services

router = Router(tags=["audit"])


class TreeHeadOut(Schema):
    tree_size: int
    root_hash: str
    timestamp: int
    key_id: str
    public_key: str
    signature: str


class ReceiptOut(Schema):
    version: int
    leaf_index: int
    entry: str
    leaf_hash: str
    tree_head: TreeHeadOut
    inclusion_proof: list[str]


class ConsistencyIn(Schema):
    from_: int = Field(alias="from", ge=0)
    to: int = Field(ge=0)


class ConsistencyOut(Schema):
    from_size: int
    to_size: int
    from_root: str
    to_root: str
    proof: list[str]


class PublicKeyOut(Schema):
    algorithm: str
    public_key: str = Field(description="Ed25519 public key, base64 (raw 32 bytes)")
    key_id: str


@router.get("/public-key", response=PublicKeyOut, summary="The key that signs the log's tree heads (pin it)")
def public_key(request: HttpRequest) -> dict:
    return selectors.published_key()


@router.get("/tree-head", response=TreeHeadOut, summary="The latest signed tree head (signed on demand)")
def get_tree_head(request: HttpRequest) -> dict:
    return selectors.tree_head_dict(services.current_tree_head())


@router.get("/entries/{index}", response={200: ReceiptOut, 404: ErrorOut}, summary="One entry as a receipt")
def get_entry(request: HttpRequest, index: int) -> dict:
    """The entry with its inclusion proof against the current signed tree head: a receipt (docs/audit.md)."""
    if index < 0:
        raise NotFound(
            gettext_noop("Audit entry #%(index)s does not exist."),
            params={"index": index},
            code="audit_entry_not_found",
        )
    selectors.entry_get(index=index)
    return services.build_receipt(index=index)


@router.get(
    "/consistency", response={200: ConsistencyOut, 422: ErrorOut}, summary="Consistency proof between sizes"
)
def get_consistency(request: HttpRequest, sizes: Query[ConsistencyIn]) -> dict:
    old_root, new_root, proof = selectors.consistency(old_size=sizes.from_, new_size=sizes.to)
    return {
        "from_size": sizes.from_,
        "to_size": sizes.to,
        "from_root": old_root.hex(),
        "to_root": new_root.hex(),
        "proof": [node.hex() for node in proof],
    }

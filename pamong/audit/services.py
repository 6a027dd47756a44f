"""Writes to the audit log. `record_event` runs inside the caller's transaction (CONVENTIONS §5): a rolled-back
action leaves no entry, a committed one always has one. Appends are serialised so the tree never forks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db import connection, transaction

from . import merkle, signing
from .actions import Action
from .models import AuditEntry, AuditNode, SignedTreeHead

__all__ = ["Action", "PendingEvent", "next_index", "record_event", "record_events", "sign_tree_head"]

# Arbitrary constant naming the audit-append advisory lock on PostgreSQL ("PAMONG" in ASCII).
_POSTGRES_LOCK_KEY = 0x50414D4F4E47
SYSTEM = "system"
T = TypeVar("T")


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode(
        "utf-8"
    )


def actor_label(actor: Any) -> str:
    """A stable, non-personal reference to who acted: "user:<id>", or "system" for jobs and automation."""
    if actor is None:
        return SYSTEM
    if isinstance(actor, str):
        return actor
    return f"user:{actor.pk}"


def record_event(
    *, actor: Any, action: Action, subject: str, data: dict[str, Any] | None = None
) -> AuditEntry:
    _check_action(action)  # before the block: a refused action leaves the caller's transaction usable
    # No savepoint of its own: the entry and the change it records stand or fall together, so a failure here
    # rolls back the caller's block (two statements fewer for every entry written inside a transaction).
    with transaction.atomic(savepoint=False):
        _lock_log()
        index = _next_index()
        entry = _new_entry(index, datetime.now(UTC), actor, action, subject, data)
        entry.save(force_insert=True)
        _store_completed_subtrees(index, entry.leaf_hash)
    return entry


def next_index() -> int:
    """The index the next entry will take. Takes the append lock first (call it inside a transaction): the
    caller's next `record_event` in that transaction gets exactly this index, so a record can carry the index of
    its own entry from its first insert instead of being updated after the append."""
    _lock_log()
    return _next_index()


@dataclass(frozen=True)
class PendingEvent:
    """One entry for `record_events`: what `record_event` takes, plus when it happened."""

    at: datetime
    actor: Any
    action: Action
    subject: str
    data: dict[str, Any] = field(default_factory=dict)


def record_events(events: Sequence[PendingEvent], *, batch_size: int = 5000) -> int:
    """Append many entries at once, in the given order, under one lock; returns the index of the first (the
    n-th event gets first + n). For bulk jobs such as the demo history, where one `record_event` per entry (a
    lock, a max() and node reads each) would take minutes. The entries and stored subtrees are exactly those
    that `record_event` would have written one by one; the completed subtrees are hashed in memory, from the
    right edge of the stored tree."""
    with transaction.atomic():
        _lock_log()
        first = _next_index()
        tree = with_prefetched_nodes(lambda get_node: merkle.CompactRange.from_storage(first, get_node))
        entries, nodes = [], []
        for offset, event in enumerate(events):
            entry = _new_entry(first + offset, event.at, event.actor, event.action, event.subject, event.data)
            entries.append(entry)
            completed = tree.append(bytes(entry.leaf_hash))[1:]  # the leaf itself is stored in the entry
            nodes += [
                AuditNode(level=level, position=position, hash=node) for level, position, node in completed
            ]
        AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
        AuditNode.objects.bulk_create(nodes, batch_size=batch_size)
    return first


def _new_entry(
    index: int, created_at: datetime, actor: Any, action: Action, subject: str, data: dict[str, Any] | None
) -> AuditEntry:
    """The entry at `index` (unsaved): its public part is canonical JSON whose hash is the Merkle leaf."""
    _check_action(action)
    payload = canonical_json(data or {})
    public = {
        "v": 1,
        "index": index,
        "time": created_at.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "actor": actor_label(actor),
        "action": action.value,
        "subject": subject,
        "data_sha256": hashlib.sha256(payload).hexdigest(),
    }
    entry_bytes = canonical_json(public)
    return AuditEntry(
        index=index,
        created_at=created_at,
        actor=public["actor"],
        action=action.value,
        subject=subject,
        entry=entry_bytes.decode("utf-8"),
        leaf_hash=merkle.leaf_hash(entry_bytes),
        payload=payload.decode("utf-8"),
    )


def _check_action(action: Any) -> None:
    if not isinstance(action, Action):
        raise ValueError(f"unregistered audit action: {action!r}")


def _lock_log() -> None:
    # SQLite: every transaction begins IMMEDIATE (settings), so it already holds the single write lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_LOCK_KEY])


def _next_index() -> int:
    # Plain SQL: every append asks, and the ORM's aggregate costs ten times the query itself.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote('index')}) FROM {quote(AuditEntry._meta.db_table)}")  # noqa: S608
        last = cursor.fetchone()[0]
    return 0 if last is None else last + 1


def _store_completed_subtrees(index: int, leaf: bytes) -> None:
    """Appending leaf `index` completes one perfect subtree per trailing 1-bit of `index`: store each. Their
    left siblings are read in one round (`fetch_nodes`), not one query per level."""
    trailing_ones = (index ^ (index + 1)).bit_length() - 1
    siblings = fetch_nodes((level, (index >> level) - 1) for level in range(trailing_ones))
    level, position, node = 0, index, leaf
    new_nodes = []
    while position % 2 == 1:
        left = siblings[(level, position - 1)]
        node = merkle.node_hash(left, node)
        level, position = level + 1, position // 2
        new_nodes.append(AuditNode(level=level, position=position, hash=node))
    if new_nodes:
        AuditNode.objects.bulk_create(new_nodes)


def stored_node(level: int, position: int) -> bytes:
    """Hash of the perfect subtree of 2**level leaves starting at leaf position * 2**level."""
    if level == 0:
        return bytes(AuditEntry.objects.values_list("leaf_hash", flat=True).get(index=position))
    return bytes(AuditNode.objects.values_list("hash", flat=True).get(level=level, position=position))


def fetch_nodes(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Many stored subtrees in two queries (leaves from the entries, inner nodes from AuditNode). Plain SQL:
    a proof needs ~2·log2(n) nodes, and building that many ORM lookups costs more than the queries themselves."""
    keys = set(keys)
    leaves = [position for level, position in keys if level == 0]
    inner = [(level, position) for level, position in keys if level]
    quote = connection.ops.quote_name
    found: dict[tuple[int, int], bytes] = {}
    # Only our own table and column names and %s placeholders are formatted into the SQL.
    with connection.cursor() as cursor:
        if leaves:
            marks = ", ".join(["%s"] * len(leaves))
            table, index = quote(AuditEntry._meta.db_table), quote("index")
            sql = f"SELECT {index}, leaf_hash FROM {table} WHERE {index} IN ({marks})"  # noqa: S608
            cursor.execute(sql, leaves)
            found.update({(0, position): bytes(leaf) for position, leaf in cursor.fetchall()})
        if inner:
            where = " OR ".join(["(level = %s AND position = %s)"] * len(inner))
            sql = f"SELECT level, position, hash FROM {quote(AuditNode._meta.db_table)} WHERE {where}"  # noqa: S608
            cursor.execute(sql, [value for key in inner for value in key])
            found.update({(level, position): bytes(node) for level, position, node in cursor.fetchall()})
    return found


def with_prefetched_nodes(compute: Callable[[merkle.GetNode], T]) -> T:
    """Run a root or proof computation over stored subtrees with one round of queries instead of one query per
    node. Which subtrees a computation reads depends only on sizes and indexes, never on hash values, so a first
    dry run with placeholder hashes learns them; the second run reads them from memory."""
    wanted: list[tuple[int, int]] = []
    compute(lambda level, position: wanted.append((level, position)) or _PLACEHOLDER)
    nodes = fetch_nodes(wanted)
    return compute(lambda level, position: nodes[(level, position)])


_PLACEHOLDER = bytes(32)


def tree_size() -> int:
    return _next_index()


def root_hash(size: int) -> bytes:
    return with_prefetched_nodes(lambda get_node: merkle.subtree_root(0, size, get_node))


def sign_tree_head(*, actor: Any = None) -> SignedTreeHead:
    """Sign the current tree head. Runs under the append lock so the head matches a real prefix of the log."""
    with transaction.atomic():
        _lock_log()
        size = tree_size()
        root = root_hash(size)
        now = datetime.now(UTC)
        timestamp_ms = int(now.timestamp() * 1000)
        signature = signing.sign(signing.tree_head_message(size, root, timestamp_ms))
        head = SignedTreeHead.objects.create(
            tree_size=size,
            root_hash=root,
            timestamp=datetime.fromtimestamp(timestamp_ms / 1000, UTC),
            key_id=signing.key_id(),
            signature=signature,
        )
    return head


def current_tree_head() -> SignedTreeHead:
    """The latest signed tree head, signing a new one first if the log has grown since (so it covers every entry)."""
    head = SignedTreeHead.objects.order_by("-tree_size", "-timestamp").first()
    if head is None or head.tree_size < tree_size():
        head = sign_tree_head()
    return head


def build_receipt(*, index: int) -> dict:
    """A receipt for entry `index` against the current tree head, verifiable offline (pamong.audit.receipt)."""
    from . import selectors  # noqa: PLC0415  (selectors read the tree through this module's functions)

    found = selectors.entry_with_proof(index=index, tree_head=current_tree_head())
    return selectors.receipt_dict(found)

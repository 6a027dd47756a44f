"""`pamong audit verify`: recompute every leaf, every stored subtree hash and every signed tree head.

One streaming pass over the log (O(n) hashes, O(n) memory only for the recomputed inner nodes), naming the
first entry that does not match. Used by the command and by tests; reads only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max

from . import merkle, signing
from .models import AuditEntry, AuditNode, SignedTreeHead

CHUNK = 5000


@dataclass
class VerifyReport:
    size: int = 0
    tree_heads: int = 0
    problems: list[str] = field(default_factory=list)
    first_bad_index: int | None = None
    _named_by_entry: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def flag(self, index: int | None, message: str, *, derived: bool = False) -> None:
        """Record a problem. A `derived` one (a subtree or tree head that no longer matches) names an index
        only when no entry itself was found bad: the bad entry is the cause, the mismatches its echo."""
        self.problems.append(message)
        if index is None or (derived and self.first_bad_index is not None):
            return
        if derived or not self._named_by_entry or index < self.first_bad_index:
            self.first_bad_index = index
            self._named_by_entry = not derived


def verify_log() -> VerifyReport:
    """Verify the log as it stood when the check began. It takes no lock (a million-entry check must not stop the
    service), so appends go on while it reads: the tree heads are read first, then the size, then the entries
    below that size and the stored subtrees, then the size again. A subtree completed by an entry appended
    between the two sizes is left out (read without its entries it would look forged); one beyond both sizes, like
    a tree head beyond the first, means entries were removed. Entries are committed in index order under the
    append lock, so every index below a size read is there."""
    report = VerifyReport()
    heads = list(SignedTreeHead.objects.order_by("tree_size", "timestamp"))
    size = _committed_size()
    report.tree_heads = len(heads)
    wanted_sizes = {head.tree_size for head in heads}
    roots: dict[int, bytes] = {0: merkle.EMPTY_ROOT} if 0 in wanted_sizes else {}
    tree = merkle.CompactRange()
    inner: list[list[bytes]] = []  # recomputed perfect subtrees, per level (level 1 first)
    entries = _rows(AuditEntry, ("index", "entry", "leaf_hash", "payload"), order=("index",), below=size)
    for index, entry, stored_leaf, payload in entries:
        expected = tree.size
        if index != expected:
            report.flag(expected, f"entry #{expected} is missing (the next stored entry is #{index})")
            break
        leaf = _check_entry(report, index, entry, bytes(stored_leaf), payload)
        for level, _position, node in tree.append(leaf)[1:]:
            if len(inner) < level:
                inner.append([])
            inner[level - 1].append(node)
        if tree.size in wanted_sizes:
            roots[tree.size] = tree.root()
    report.size = tree.size
    _check_nodes(report, inner, size)
    _check_tree_heads(report, heads, roots)
    return report


def _committed_size() -> int:
    last = AuditEntry.objects.aggregate(last=Max("index"))["last"]
    return 0 if last is None else last + 1


def _rows(model, columns: tuple[str, ...], *, order: tuple[str, ...], below: int | None = None):
    """Rows straight from the cursor: no ORM objects and no JSON decoding, because this runs a million times.
    Only our own table and column names are formatted into the SQL. `below`: only entries with a lower index."""
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(name) for name in columns)
    ordering = ", ".join(quote(name) for name in order)
    where, params = (f" WHERE {quote('index')} < %s", [below]) if below is not None else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {table}{where} ORDER BY {ordering}", params)  # noqa: S608
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


# Canonical entries have a fixed shape (sorted keys, no spaces): these read the two fields verify needs without
# a JSON parser; an entry edited into another shape no longer matches its leaf hash anyway.
_INDEX = re.compile(r'"index":(-?\d+)[,}]')
_DIGEST = re.compile(r'"data_sha256":"([0-9a-f]{64})"')


def _check_entry(report: VerifyReport, index: int, entry: str, stored_leaf: bytes, payload: str) -> bytes:
    raw = entry.encode("utf-8")
    leaf = merkle.leaf_hash(raw)
    if leaf != stored_leaf:
        report.flag(index, f"entry #{index} does not match its leaf hash (content changed)")
    found_index, found_digest = _INDEX.search(entry), _DIGEST.search(entry)
    if found_index is None or found_digest is None:
        report.flag(index, f"entry #{index} is not a canonical audit entry")
        return leaf
    if int(found_index.group(1)) != index:
        report.flag(index, f"entry #{index} holds the content of entry #{found_index.group(1)} (reordered)")
    if hashlib.sha256(payload.encode("utf-8")).hexdigest() != found_digest.group(1):
        report.flag(index, f"entry #{index}: its private data does not match the digest in the entry")
    return leaf


def _check_nodes(report: VerifyReport, inner: list[list[bytes]], size: int) -> None:
    count, beyond = 0, []
    for level, position, node in _rows(AuditNode, ("level", "position", "hash"), order=("level", "position")):
        if (position + 1) << level > size:
            # completed by an entry appended since the check began, or left behind by removed entries
            beyond.append((level, position, node))
            continue
        count += 1
        recomputed = (
            inner[level - 1][position] if level <= len(inner) and position < len(inner[level - 1]) else None
        )
        if recomputed != bytes(node):
            first = position << level
            message = f"stored subtree hash ({level}, {position}) over entries #{first}.. does not match"
            report.flag(first, message, derived=True)
    expected = sum(len(nodes) for nodes in inner)
    if count != expected:
        report.flag(None, f"{count} stored subtree hashes, expected {expected}")
    now = _committed_size()
    for level, position, _node in beyond:
        if (end := (position + 1) << level) > now:
            message = f"stored subtree hash ({level}, {position}) covers entries up to #{end - 1}, past the log's end"
            report.flag(report.size, message)  # entries from the log's end on were there once


def _check_tree_heads(report: VerifyReport, heads: list[SignedTreeHead], roots: dict[int, bytes]) -> None:
    public_key, key_id = signing.public_key_bytes(), signing.key_id()
    previous = 0
    for head in heads:
        message = signing.tree_head_message(
            head.tree_size, bytes(head.root_hash), int(head.timestamp.timestamp() * 1000)
        )
        if head.key_id != key_id:
            report.flag(None, f"tree head of size {head.tree_size} is signed with unknown key {head.key_id}")
        elif not signing.verify(public_key, bytes(head.signature), message):
            report.flag(None, f"tree head of size {head.tree_size} has an invalid signature")
        if head.tree_size > report.size:
            message = f"tree head of size {head.tree_size} covers entries #{report.size}.. that the log no longer has"
            report.flag(report.size, message)
        elif roots.get(head.tree_size) != bytes(head.root_hash):
            message = f"tree head of size {head.tree_size} does not match entries #{previous}.."
            report.flag(previous, message, derived=True)
        else:
            previous = head.tree_size

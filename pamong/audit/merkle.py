"""RFC 6962 / RFC 9162 Merkle tree math for the audit log.

Pure Python (hashlib only, no Django) so it is fast to test and usable by offline verifiers.

Storage model: the log keeps the hash of every *perfect* subtree, addressed as ``(level, index)``:
the 2**level leaves starting at leaf ``index * 2**level`` (level 0 = the leaf hashes). A tree of any
size is those perfect subtrees plus a ragged right edge, which is rebuilt from O(log n) of them, so
roots and proofs cost O(log n) lookups and never re-read the log.

All proofs are ordered leaf-to-root, as in RFC 9162 §2.1.3 and §2.1.4.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) per RFC 6962 §2.1

# get_node(level, index) -> hash of the perfect subtree of 2**level leaves from leaf index * 2**level.
GetNode = Callable[[int, int], bytes]
# A perfect subtree as the storage persists it: (level, index, hash).
Node = tuple[int, int, bytes]

_sha256 = hashlib.sha256


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry): the prefix keeps leaves and inner nodes from ever colliding."""
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """Largest power of two strictly below n (n > 1): where RFC 6962 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def _next_layer(layer: list[bytes]) -> list[bytes]:
    pairs = iter(layer)
    sha = _sha256
    up = [sha(b"\x01" + left + right).digest() for left, right in zip(pairs, pairs, strict=False)]
    if len(layer) % 2:
        # A lone right-edge node is promoted unchanged; this reproduces the RFC's left-heavy split.
        up.append(layer[-1])
    return up


def root_from_leaves(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over all leaf hashes, layer by layer: O(n) hashes, no recursion."""
    if not leaf_hashes:
        return EMPTY_ROOT
    layer = list(leaf_hashes)
    while len(layer) > 1:
        layer = _next_layer(layer)
    return layer[0]


def perfect_subtrees(leaf_hashes: Sequence[bytes]) -> Iterator[Node]:
    """Every perfect subtree of the tree as (level, index, hash), level by level (a full rebuild)."""
    size = len(leaf_hashes)
    layer = list(leaf_hashes)
    level = 0
    while layer:
        # Entries past size >> level are promoted partial nodes, not perfect subtrees.
        for index in range(size >> level):
            yield level, index, layer[index]
        if len(layer) == 1:
            return
        layer = _next_layer(layer)
        level += 1


def right_edge(size: int) -> list[tuple[int, int]]:
    """(level, index) of the perfect subtrees that tile [0, size): one per set bit, largest first."""
    nodes = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            nodes.append((level, start >> level))
            start += 1 << level
    return nodes


def _fold_right(hashes: Sequence[bytes]) -> bytes:
    """Combine perfect subtrees, largest first, right to left: MTH of their concatenation."""
    root = hashes[-1]
    for h in reversed(hashes[:-1]):
        root = node_hash(h, root)
    return root


def subtree_root(start: int, end: int, get_node: GetNode) -> bytes:
    """MTH of leaves [start, end) from at most log2(end - start) + 1 stored perfect subtrees.

    start must be a multiple of the largest power of two <= end - start, which holds for the tree
    itself (start 0) and for every subtree an RFC 6962 proof names.
    """
    size = end - start
    if start < 0 or size < 0:
        raise ValueError(f"bad range [{start}, {end})")
    if size == 0:
        return EMPTY_ROOT
    if start % (1 << (size.bit_length() - 1)):
        raise ValueError(f"range [{start}, {end}) is not aligned to perfect subtrees")
    # start is a multiple of every chunk size, so absolute index = (start >> level) + relative index.
    return _fold_right([get_node(level, (start >> level) + index) for level, index in right_edge(size)])


def _check_index(index: int, size: int) -> None:
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} not in a tree of size {size}")


def inclusion_proof(index: int, size: int, get_node: GetNode) -> list[bytes]:
    """Audit path (RFC 9162 §2.1.3.1) for leaf `index` in the tree of `size` leaves; O(log n) lookups."""
    _check_index(index, size)
    proof = []
    for level in range((size - 1).bit_length()):
        sibling = (index >> level) ^ 1
        start, end = sibling << level, (sibling + 1) << level
        if end <= size:
            proof.append(get_node(level, sibling))
        elif start < size:
            # The one partial sibling a path can have (on the right edge): O(log n) lookups once.
            proof.append(subtree_root(start, size, get_node))
        # else: no sibling at this level; the node is alone on the right edge and is promoted.
    return proof


def consistency_proof(old_size: int, new_size: int, get_node: GetNode) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1, unrolled; empty when old_size is 0 or equals new_size."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"cannot prove {old_size} -> {new_size}")
    if old_size in (0, new_size):
        return []
    proof = []
    start, end, m, old_is_subtree = 0, new_size, old_size, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            proof.append(subtree_root(start + k, end, get_node))
            end = start + k
        else:
            level = k.bit_length() - 1
            proof.append(get_node(level, start >> level))
            start, m, old_is_subtree = start + k, m - k, False
    if not old_is_subtree:
        # The verifier cannot rebuild this node from old_root, so the proof must carry it.
        proof.append(subtree_root(start, end, get_node))
    # SUBPROOF emits the innermost node first; the loop above collected them outermost first.
    proof.reverse()
    return proof


def inclusion_proof_from_leaves(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) transcribed from RFC 9162 §2.1.3.1 over a list of leaf hashes (for tests, tools)."""
    _check_index(index, len(leaves))
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return [*inclusion_proof_from_leaves(index, leaves[:k]), root_from_leaves(leaves[k:])]
    return [*inclusion_proof_from_leaves(index - k, leaves[k:]), root_from_leaves(leaves[:k])]


def consistency_proof_from_leaves(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) transcribed from RFC 9162 §2.1.4.1 over a list of leaf hashes."""
    if not 0 <= m <= len(leaves):
        raise ValueError(f"cannot prove {m} -> {len(leaves)}")
    if m == 0:
        return []
    return _subproof(m, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], old_is_subtree: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if old_is_subtree else [root_from_leaves(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], old_is_subtree), root_from_leaves(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root_from_leaves(leaves[:k])]


def _well_formed(proof: Sequence[bytes]) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in proof)


def _shift_to_odd(fn: int, sn: int) -> tuple[int, int]:
    while not fn & 1 and fn:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2. The size is only as trustworthy as the signed tree head that binds it to root."""
    if not 0 <= index < size or not _well_formed(proof):
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            fn, sn = _shift_to_odd(fn, sn)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2, plus the cases the RFC leaves out.

    old_size == new_size: consistent iff the proof is empty and the roots are equal.
    old_size == 0: every tree extends the empty one, so consistent iff the proof is empty and
    old_root is the empty-tree hash (CT's C++ verifier agrees; transparency-dev/merkle errors instead).
    """
    if not 0 <= old_size <= new_size or not _well_formed(proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # A power-of-two old tree is itself a node of the new one, so the proof omits it.
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            fn, sn = _shift_to_odd(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


class CompactRange:
    """The right edge of a growing tree: one perfect-subtree hash per set bit of size, largest first.

    Appending costs O(1) amortised hashes and reports the perfect subtrees it completes, so the storage
    can persist them; the root is O(log n) at any time.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        """hashes: the stored perfect subtrees at right_edge(size), in that order."""
        if size < 0 or len(hashes) != size.bit_count():
            raise ValueError(f"a tree of size {size} has {max(size, 0).bit_count()} right-edge subtrees")
        self._size = size
        self._hashes = list(hashes)

    @classmethod
    def from_storage(cls, size: int, get_node: GetNode) -> CompactRange:
        return cls(size, [get_node(level, index) for level, index in right_edge(size)])

    @property
    def size(self) -> int:
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        return tuple(self._hashes)

    def append(self, leaf: bytes) -> list[Node]:
        """Add one leaf hash; return the perfect subtrees completed, (0, index, leaf) first."""
        index = self._size
        completed = [(0, index, leaf)]
        h, level = leaf, 0
        # Each trailing 1-bit of the old size is a left sibling waiting for exactly this node.
        while index >> level & 1:
            h = node_hash(self._hashes.pop(), h)
            level += 1
            completed.append((level, index >> level, h))
        self._hashes.append(h)
        self._size += 1
        return completed

    def root(self) -> bytes:
        return _fold_right(self._hashes) if self._hashes else EMPTY_ROOT

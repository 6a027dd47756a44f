"""Audit-log Merkle math at 1,000,000 leaves, against a raw hashlib baseline measured in the same run.

    .venv/bin/python bench/audit_merkle.py [--leaves 1000000] [--samples 10000]

Budgets: inclusion proof + verification < 1 ms (median); root of the whole log from scratch (what
`pamong audit verify` mostly does) well inside 10 s.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The path set-up above lets the script run from anywhere without an installed package.
from pamong.audit.merkle import (
    CompactRange,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)


def make_entries(n: int) -> list[bytes]:
    # Shaped like canonical audit JSON (sorted keys, ~150 bytes) so hashing cost is realistic.
    return [
        b'{"action":"decision.made","actor":"officer:%d","at":"2025-01-01T00:00:00Z",'
        b'"case":"C-%08d","outcome":"approved","seq":%d}' % (i % 97, i, i)
        for i in range(n)
    ]


def timed(fn, repeat: int = 3):
    """Best of `repeat` runs: the least disturbed one, for baseline and subject alike."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def baseline(entries: list[bytes]) -> None:
    sha = hashlib.sha256
    for e in entries:
        sha(e).digest()


def build_table(leaves: list[bytes]) -> tuple[dict[tuple[int, int], bytes], CompactRange]:
    table: dict[tuple[int, int], bytes] = {}
    cr = CompactRange()
    for leaf in leaves:
        for level, index, h in cr.append(leaf):
            table[level, index] = h
    return table, cr


def sample_us(samples: list[int]) -> str:
    us = sorted(s / 1000 for s in samples)
    return f"median {statistics.median(us):7.1f} µs   p99 {us[int(len(us) * 0.99)]:7.1f} µs"


def bench_inclusion(n, table, leaves, root, indices):
    gen, ver, both = [], [], []
    clock = time.perf_counter_ns
    for index in indices:
        t0 = clock()
        proof = inclusion_proof(index, n, lambda level, i: table[level, i])
        t1 = clock()
        ok = verify_inclusion(leaves[index], index, n, proof, root)
        t2 = clock()
        assert ok, index
        gen.append(t1 - t0)
        ver.append(t2 - t1)
        both.append(t2 - t0)
    return gen, ver, both


def bench_consistency(n, table, prefix_root, sizes, root):
    both = []
    clock = time.perf_counter_ns
    for m in sizes:
        old_root = prefix_root(m)  # not timed: a client already holds its old signed root
        t0 = clock()
        proof = consistency_proof(m, n, lambda level, i: table[level, i])
        ok = verify_consistency(m, n, old_root, root, proof)
        both.append(clock() - t0)
        assert ok, m
    return both


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    n, rng = args.leaves, random.Random(6962)

    entries = make_entries(n)
    t_base, _ = timed(lambda: baseline(entries))
    t_leaf, leaves = timed(lambda: [leaf_hash(e) for e in entries])
    t_root, root = timed(lambda: root_from_leaves(leaves))
    t_table, (table, cr) = timed(lambda: build_table(leaves), repeat=1)
    assert cr.root() == root

    print(
        f"audit merkle bench: {n:,} leaves, python {sys.version.split()[0]}, best of 3 for the bulk timings"
    )
    print(f"  baseline  raw sha256 loop over entries    {t_base:7.3f} s   1.00x")
    print(f"  verify    leaf hashes                     {t_leaf:7.3f} s   {t_leaf / t_base:.2f}x")
    print(f"  verify    root_from_leaves                {t_root:7.3f} s   {t_root / t_base:.2f}x")
    t_verify = t_leaf + t_root
    print(
        f"  verify    total (leaves + root)           {t_verify:7.3f} s   {t_verify / t_base:.2f}x   budget < 10 s"
    )
    print(
        f"  append    CompactRange -> dict table      {t_table:7.3f} s   {t_table / t_base:.2f}x   "
        f"({t_table / n * 1e6:.2f} µs/append, {len(table):,} nodes)"
    )

    per_hash_ns = t_base / n * 1e9
    indices = [rng.randrange(n) for _ in range(args.samples)]
    gen, ver, both = bench_inclusion(n, table, leaves, root, indices)
    print(f"  inclusion proof generation   {sample_us(gen)}")
    print(f"  inclusion proof verification {sample_us(ver)}")
    med = statistics.median(both)
    print(
        f"  inclusion gen + verify       {sample_us(both)}   "
        f"= {med / per_hash_ns:.0f}x one baseline sha256   budget < 1000 µs"
    )

    # Old roots for consistency come from a prefix of the same table, O(log n) each.
    def prefix_root(m: int) -> bytes:
        return CompactRange.from_storage(m, lambda level, i: table[level, i]).root()

    sizes = [rng.randrange(1, n + 1) for _ in range(max(1, args.samples // 10))]
    cons = bench_consistency(n, table, prefix_root, sizes, root)
    print(f"  consistency gen + verify     {sample_us(cons)}   ({len(sizes):,} samples)")


if __name__ == "__main__":
    main()

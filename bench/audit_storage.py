"""The audit log with its real storage (SQLite, WAL), against baselines measured in the same run.

    .venv/bin/python bench/audit_storage.py [--entries 1000000] [--appends 2000]

Figures: appends/s through `record_event` (one per transaction, and 500 per transaction) against raw
sqlite3 inserts of the same rows; inclusion-proof time at N entries through the stored subtree hashes (budget
< 1 ms); `pamong audit verify` (verify_log) over N entries (budget < 10 s) against the pure hashing of the
same leaves. Uses a throw-away database under a temporary PAMONG_VAR_DIR.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# PAMONG_BENCH_VAR_DIR lets bench/http_seed.py reuse fill() on its own throw-away database.
os.environ["PAMONG_VAR_DIR"] = os.environ.get("PAMONG_BENCH_VAR_DIR") or tempfile.mkdtemp(
    prefix="pamong-bench-"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings.local")
os.environ["DJANGO_DEBUG"] = "false"  # as in production: no per-query debug logging

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from pamong.audit import merkle, selectors, services  # noqa: E402
from pamong.audit.actions import Action  # noqa: E402
from pamong.audit.models import AuditEntry, AuditNode  # noqa: E402
from pamong.audit.verification import verify_log  # noqa: E402


def bench_appends(count: int) -> None:
    started = time.perf_counter()
    for n in range(count):
        services.record_event(
            actor="system:bench", action=Action.DECISION_RECORDED, subject="bench", data={"n": n}
        )
    single = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for start in range(0, count, 500):
        with transaction.atomic():
            for n in range(start, min(start + 500, count)):
                services.record_event(
                    actor="system:bench", action=Action.DECISION_RECORDED, subject="b", data={"n": n}
                )
    batched = count / (time.perf_counter() - started)
    raw = raw_sqlite_inserts(count)
    print(
        f"  appends, one per transaction   {single:10,.0f}/s   {single / raw:6.3f}x raw sqlite ({raw:,.0f}/s)"
    )
    print(f"  appends, 500 per transaction   {batched:10,.0f}/s   {batched / raw:6.3f}x raw sqlite")


def raw_sqlite_inserts(count: int) -> float:
    """Baseline: one INSERT of a ~200-byte row per committed transaction, same file system, WAL."""
    path = Path(os.environ["PAMONG_VAR_DIR"]) / "raw.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE t (i INTEGER PRIMARY KEY, entry TEXT, leaf BLOB)")
    started = time.perf_counter()
    for n in range(count):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?, ?, ?)", (n, "x" * 200, os.urandom(32)))
        db.execute("COMMIT")
    return count / (time.perf_counter() - started)


def fill(total: int) -> None:
    """Bulk-load valid entries and subtree hashes up to `total` (what years of appends would leave behind)."""
    existing = AuditEntry.objects.count()
    tree = merkle.CompactRange.from_storage(existing, services.stored_node)
    started = time.perf_counter()
    batch_entries, batch_nodes = [], []
    for index in range(existing, total):
        public = {
            "v": 1,
            "index": index,
            "time": "2026-01-05T01:02:03.000000Z",
            "actor": "system:bench",
            "action": "cases.decision_recorded",
            "subject": f"cases.application:{index}",
            "data_sha256": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",  # sha256("{}")
        }
        entry = services.canonical_json(public)
        leaf = merkle.leaf_hash(entry)
        batch_entries.append(
            AuditEntry(
                index=index,
                created_at="2026-01-05T01:02:03Z",
                actor="system:bench",
                action=public["action"],
                subject=public["subject"],
                entry=entry.decode(),
                leaf_hash=leaf,
                payload="{}",
            )
        )
        batch_nodes += [AuditNode(level=lv, position=pos, hash=h) for lv, pos, h in tree.append(leaf)[1:]]
        if len(batch_entries) >= 20_000:
            flush(batch_entries, batch_nodes)
    flush(batch_entries, batch_nodes)
    print(f"  (filled to {total:,} entries in {time.perf_counter() - started:.0f} s)")


def flush(entries: list, nodes: list) -> None:
    with transaction.atomic():
        AuditEntry.objects.bulk_create(entries, batch_size=5000)
        AuditNode.objects.bulk_create(nodes, batch_size=5000)
    entries.clear()
    nodes.clear()


def bench_proofs(size: int, samples: int = 2000) -> None:
    """Entry + inclusion proof as the API serves them (selectors.entry_with_proof), then verification."""
    head = services.current_tree_head()
    root = bytes(head.root_hash)
    times = []
    for index in random.Random(7).sample(range(size), samples):
        started = time.perf_counter()
        receipt = selectors.entry_with_proof(index=index, tree_head=head)
        ok = merkle.verify_inclusion(bytes(receipt.entry.leaf_hash), index, size, receipt.proof, root)
        times.append(time.perf_counter() - started)
        assert ok
    times.sort()
    median, p99 = statistics.median(times) * 1e3, times[int(len(times) * 0.99)] * 1e3
    print(
        f"  entry + inclusion proof from storage + verify   median {median:.3f} ms   p99 {p99:.3f} ms   (budget < 1 ms)"
    )


def bench_verify(size: int) -> None:
    started = time.perf_counter()
    report = verify_log()
    seconds = time.perf_counter() - started
    assert report.ok, report.problems[:3]
    leaves = [
        bytes(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True).iterator(chunk_size=20_000)
    ]
    started = time.perf_counter()
    merkle.root_from_leaves(leaves)
    hashing = time.perf_counter() - started
    print(
        f"  audit verify over {size:,} entries      {seconds:.2f} s   {seconds / hashing:5.1f}x the root over "
        f"the same leaves in memory ({hashing:.2f} s)   (budget < 10 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"audit storage bench: SQLite (WAL) in {os.environ['PAMONG_VAR_DIR']}, {connection.vendor}")
    bench_appends(args.appends)
    fill(args.entries)
    services.sign_tree_head()
    bench_proofs(args.entries)
    bench_verify(args.entries)


if __name__ == "__main__":
    main()

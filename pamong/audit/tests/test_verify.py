"""`pamong audit verify` detects tampering (changed, deleted, reordered entries) and names the index."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from pamong.audit import services
from pamong.audit.models import AuditEntry, AuditNode, SignedTreeHead
from pamong.audit.tests.factories import append_events
from pamong.audit.verification import verify_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_log():
    append_events(10)
    services.sign_tree_head()
    append_events(6)
    services.sign_tree_head()


def run_verify() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify")
    return str(raised.value)


def test_an_untouched_log_verifies(signed_log, capsys):
    call_command("audit_verify")
    assert "audit log OK: 16 entries, 2 signed tree heads consistent" in capsys.readouterr().out


def test_changed_entry_is_named(signed_log):
    entry = AuditEntry.objects.get(index=7)
    AuditEntry.objects.filter(index=7).update(entry=entry.entry.replace("test:subject", "test:subjekt"))
    assert "first bad entry: #7" in run_verify()
    assert verify_log().problems[0] == "entry #7 does not match its leaf hash (content changed)"


def test_changed_entry_with_recomputed_leaf_hash_is_still_caught(signed_log):
    from pamong.audit import merkle

    entry = AuditEntry.objects.get(index=3)
    forged = entry.entry.replace("test:subject", "test:subjekt")
    AuditEntry.objects.filter(index=3).update(entry=forged, leaf_hash=merkle.leaf_hash(forged.encode()))
    report = verify_log()
    assert report.first_bad_index == 2  # the first subtree that no longer matches: entries #2..#3
    assert "stored subtree hash (1, 1) over entries #2.. does not match" in report.problems
    assert "tree head of size 10 does not match entries #0.." in report.problems


def test_changed_private_data_is_caught(signed_log):
    AuditEntry.objects.filter(index=4).update(payload='{"n":400}')
    assert "first bad entry: #4" in run_verify()


def test_deleted_entry_is_named(signed_log):
    AuditEntry.objects.filter(index=12).delete()
    assert "first bad entry: #12" in run_verify()
    assert verify_log().problems[0] == "entry #12 is missing (the next stored entry is #13)"


def test_deleted_last_entry_is_caught_by_the_tree_head(signed_log):
    AuditEntry.objects.filter(index=15).delete()
    assert "first bad entry: #15" in run_verify()


def test_reordered_entries_are_named(signed_log):
    first, second = AuditEntry.objects.get(index=5), AuditEntry.objects.get(index=9)
    AuditEntry.objects.filter(index=5).update(
        entry=second.entry, leaf_hash=second.leaf_hash, payload=second.payload
    )
    AuditEntry.objects.filter(index=9).update(
        entry=first.entry, leaf_hash=first.leaf_hash, payload=first.payload
    )
    assert "first bad entry: #5" in run_verify()
    assert verify_log().problems[0] == "entry #5 holds the content of entry #9 (reordered)"


def test_forged_tree_head_signature_is_caught(signed_log):
    SignedTreeHead.objects.filter(tree_size=10).update(signature=b"\x00" * 64)
    assert "tree head of size 10 has an invalid signature" in verify_log().problems


def test_tampered_subtree_hash_is_caught(signed_log):
    AuditNode.objects.filter(level=2, position=1).update(hash=b"\x11" * 32)
    assert "first bad entry: #4" in run_verify()


def test_entries_appended_while_the_check_reads_are_not_tampering(signed_log, monkeypatch):
    """The check takes no lock. An entry appended after it read the entries but before it read the stored
    subtrees completes subtrees (#16 makes (1, 8)); read without its entry, that subtree looked forged (seen once
    in the two-node test on PostgreSQL: "stored subtree hash (1, 1366) … does not match")."""
    from pamong.audit import verification

    AuditEntry.objects.filter(index__gte=16).delete()  # the fixture's log ends at #15: 16 entries
    read = verification._rows

    def append_before_the_subtrees(model, *args, **kwargs):
        if model is AuditNode:
            append_events(2)  # #16 and #17: (1, 8) and, with (1, 9)'s sibling, nothing higher yet
        return read(model, *args, **kwargs)

    monkeypatch.setattr(verification, "_rows", append_before_the_subtrees)
    report = verify_log()
    assert report.ok, report.problems
    assert report.size == 16
    monkeypatch.undo()
    assert verify_log().ok and verify_log().size == 18


def test_a_subtree_left_by_removed_last_entries_is_caught(signed_log):
    """Removing the last two entries leaves their stored subtree (1, 7) behind: not a subtree appended meanwhile."""
    AuditEntry.objects.filter(index__in=(14, 15)).delete()
    report = verify_log()
    assert "stored subtree hash (1, 7) covers entries up to #15, past the log's end" in report.problems
    assert report.first_bad_index == 14

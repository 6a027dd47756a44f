"""The fixture snapshots (pamong/core/testing/snapshot.py): what a build wrote comes back exactly, the database is
left as it was in between, and a build that changes an older row is refused rather than reproduced wrongly."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from pamong.core.testing import snapshot

pytestmark = pytest.mark.django_db(transaction=True)  # capture commits, as the session fixtures do


def groups() -> list[tuple[int, str]]:
    return list(Group.objects.order_by("pk").values_list("pk", "name"))


def test_restore_brings_back_exactly_the_rows_the_build_added_and_nothing_else():
    Group.objects.create(name="sudah-ada")
    before = groups()

    taken = snapshot.capture("snapshot_test", lambda: [Group.objects.create(name=n) for n in ("satu", "dua")])

    assert groups() == before  # the build's rows are gone again
    assert [(t.model, t.rows) for t in taken.tables] == [(Group, 2)]
    snapshot.restore(taken)
    restored = groups()
    assert restored[0] == before[0] and [name for _pk, name in restored[1:]] == ["satu", "dua"]
    Group.objects.create(name="tiga")  # the ids go on after the restored rows (PostgreSQL's sequence too)
    snapshot.remove(taken)
    assert [name for _pk, name in groups()] == ["sudah-ada", "tiga"]


def test_a_build_that_changes_an_older_row_is_refused():
    Group.objects.create(name="lama")

    with pytest.raises(snapshot.SnapshotError, match="auth_group"):
        snapshot.capture("snapshot_refused", lambda: Group.objects.filter(name="lama").update(name="baru"))

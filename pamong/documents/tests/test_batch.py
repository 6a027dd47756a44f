"""Batch issue: progress counted, resumable after a crash, no letter issued twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from pamong.audit.models import AuditEntry
from pamong.cases.models import Decision
from pamong.documents import selectors, services
from pamong.documents.models import Batch, Letter

from .conftest import APPLY, SKTM_FORM, let_notices_lapse, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world, client_for):
    """Three final decisions whose letters were never queued (as if decided before the module existed)."""
    for user, service, form in (
        (world.warga, "bansos-pkh", world.forms[world.niks.WARGA_NIK]),
        (world.denied, "sktm", SKTM_FORM),
        (world.refer, "sktm", SKTM_FORM),
    ):
        post(client_for(user), APPLY, {"service": service, "form": form})
    let_notices_lapse()
    Letter.objects.all().delete()
    return Decision.objects.filter(final=True)


class Crash(Exception):
    pass


def test_a_crashed_batch_resumes_without_issuing_any_letter_twice(world, decided, monkeypatch):
    assert decided.count() == 3
    batch = services.start_batch(actor=world.supervisor, decisions=decided, label="uji")
    assert (batch.total, batch.done, Letter.objects.filter(status="pending").count()) == (3, 0, 3)
    real = services.issue_letter
    calls = []

    def crash_on_second(*, letter_id):
        calls.append(letter_id)
        if len(calls) == 2:
            raise Crash  # the worker dies mid-batch
        return real(letter_id=letter_id)

    monkeypatch.setattr(services, "issue_letter", crash_on_second)
    with pytest.raises(Crash):
        services.run_batch(batch_id=batch.pk)
    monkeypatch.undo()
    batch.refresh_from_db()
    assert (batch.status, batch.done) == ("running", 1)
    assert services.run_batch(batch_id=batch.pk) == 2  # resumed: only the two left
    assert services.run_batch(batch_id=batch.pk) == 0  # and again: nothing
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == ("done", 3, 3)
    assert Letter.objects.filter(status="valid").count() == 3
    assert AuditEntry.objects.filter(action="documents.letter_issued").count() == 3
    assert AuditEntry.objects.filter(action="documents.batch_started").count() == 1


def test_a_second_batch_leaves_out_decisions_that_have_letters(world, decided):
    first = services.start_batch(actor=world.supervisor, decisions=decided, label="satu")
    second = services.start_batch(actor=world.supervisor, decisions=decided, label="dua")
    assert (first.total, second.total) == (3, 0)
    assert Letter.objects.count() == 3


def test_the_command_issues_the_missing_letters_of_a_service(world, decided, capsys):
    call_command("documents_batch", "--service", "sktm", "--run")
    out = capsys.readouterr().out
    assert "2 letters queued" in out and "2 letters issued" in out
    assert Letter.objects.filter(status="valid", application__service__slug="sktm").count() == 2
    assert not selectors.decisions_without_letter(service=world.sktm).exists()


def test_progress_is_shown_to_supervisors_only(world, decided, client_for):
    batch = services.start_batch(actor=world.supervisor, decisions=decided, label="Terbit ulang")
    services.run_batch(batch_id=batch.pk)
    page = client_for(world.supervisor).get("/petugas/surat/batch/")
    assert page.status_code == 200
    assert "Terbit ulang" in page.content.decode() and "3 / 3" in page.content.decode()
    assert client_for(world.warga).get("/petugas/surat/batch/").status_code == 404
    assert client_for(world.petugas).get("/petugas/surat/batch/").status_code == 404
    assert Batch.objects.get().status == "done"

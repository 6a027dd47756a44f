"""The assistant's personal data: exported, erased and expired as declared in personal_data.py. A hand-over's
transcript and contact live in its complaint (pamong.complaints' personal data); the Handover row keeps none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pamong.assistant import personal_data, services
from pamong.assistant.models import Handover, Question
from pamong.complaints import personal_data as complaints_data

pytestmark = pytest.mark.django_db


def test_export_erase_and_expiry(world, settings):
    now = timezone.now()
    services.ask_question("sy mau ngomong sama petugas", user=world.warga, contact="0812")
    services.ask_question("syarat sktm", user=None, now=now - dt.timedelta(days=91))
    handover = Handover.objects.get()
    assert (handover.citizen, handover.transcript, handover.contact) == (None, [], "")
    assert personal_data.export(world.warga) == {}  # nothing of Siti's is in the assistant's rows
    exported = str(complaints_data.export(world.warga))
    assert handover.complaint.reference in exported and "sy mau ngomong sama petugas" in exported
    assert personal_data.expire(now, dry_run=True) == {"assistant_questions": 1, "assistant_handovers": 0}
    assert Question.objects.count() == 2
    personal_data.expire(now, dry_run=False)
    assert Question.objects.count() == 1
    later = now + dt.timedelta(days=personal_data.HANDOVER_DAYS + 1)
    assert personal_data.expire(later, dry_run=False)["assistant_handovers"] == 1
    assert not Handover.objects.exists()


def test_an_older_hand_over_keeps_its_own_transcript_until_erased(world):
    Handover.objects.create(
        agency=world.bansos.agency,
        citizen=world.warga,
        channel="web",
        reason="human",
        transcript=[{"from": "warga", "text": "sy mau ngomong sama petugas"}],
        contact="0812",
        opened_at=timezone.now(),
        answer_by=timezone.now(),
    )
    exported = personal_data.export(world.warga)["assistant_handovers"]
    assert [row["transcript"][0]["text"] for row in exported] == ["sy mau ngomong sama petugas"]
    assert personal_data.erase(world.warga) == {"assistant_handovers_erased": 1}
    handover = Handover.objects.get()
    assert (handover.citizen, handover.transcript, handover.contact) == (None, [], "")

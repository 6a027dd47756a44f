"""The assistant's personal data: exported, erased and expired as declared in personal_data.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pamong.assistant import personal_data, services
from pamong.assistant.models import Handover, Question

pytestmark = pytest.mark.django_db


def test_export_erase_and_expiry(world, settings):
    now = timezone.now()
    services.ask_question("sy mau ngomong sama petugas", user=world.warga, contact="0812")
    services.ask_question("syarat sktm", user=None, now=now - dt.timedelta(days=91))
    exported = personal_data.export(world.warga)["assistant_handovers"]
    assert [row["transcript"][0]["text"] for row in exported] == ["sy mau ngomong sama petugas"]
    assert personal_data.expire(now, dry_run=True) == {"assistant_questions": 1, "assistant_handovers": 0}
    assert Question.objects.count() == 2
    personal_data.expire(now, dry_run=False)
    assert Question.objects.count() == 1
    assert personal_data.erase(world.warga) == {"assistant_handovers_erased": 1}
    handover = Handover.objects.get()
    assert (handover.citizen, handover.transcript, handover.contact) == (None, [], "")

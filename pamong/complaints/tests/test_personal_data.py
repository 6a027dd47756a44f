"""What complaints hold about a person is exported, erased and expired by the privacy coordinator."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.utils import timezone

from pamong.complaints import personal_data, services
from pamong.complaints.models import Complaint, Photo

from .conftest import photo_with_metadata, report


def test_export_erase_and_expire(world):
    own = services.submit_complaint(report(world), actor=world.warga, reporter=world.warga)
    hidden = services.submit_complaint(
        report(world, anonymous=True, photos=(photo_with_metadata("Siti"),)),
        actor=world.warga,
        reporter=world.warga,
    )
    other = services.submit_complaint(report(world), actor=world.denied, reporter=world.denied)
    services.follow_complaint(other, actor=world.warga)
    exported = personal_data.export(world.warga)["complaints"]
    assert sorted(r["reference"] for r in exported["reports"]) == sorted([own.reference, hidden.reference])
    assert exported["followed"] == [other.reference]
    assert [r["photos"] for r in exported["reports"] if r["reference"] == hidden.reference] == [
        [hidden.photos.get().sha256]
    ]
    stored = hidden.photos.get().file.name

    assert personal_data.erase(world.warga) == {"complaints_cleared": 2, "complaint_follows_removed": 1}
    hidden.refresh_from_db()
    assert (
        hidden.description == personal_data.CLEARED
        and hidden.hidden_reporter == ""
        and hidden.reporter_index == ""
    )
    assert not Photo.objects.filter(complaint=hidden).exists()
    assert not default_storage.exists(stored)
    assert personal_data.export(world.warga)["complaints"] == {"reports": [], "followed": []}

    Complaint.objects.filter(pk=other.pk).update(status="closed")
    Complaint.objects.filter(pk=other.pk).update(updated_at=timezone.now() - dt.timedelta(days=10_000))
    assert personal_data.expire(timezone.now(), True) == {"complaints_cleared": 1}
    assert personal_data.expire(timezone.now(), False) == {"complaints_cleared": 1}
    assert personal_data.expire(timezone.now(), False) == {"complaints_cleared": 0}
    other.refresh_from_db()
    assert other.reporter is None and other.description == personal_data.CLEARED

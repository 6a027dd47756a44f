"""Personal data held by complaints: the reporter (an account, or for anonymous reports only encrypted), the
description (encrypted), contact details given without an account (encrypted), counter consent, photos and PDF
documents (encrypted, without metadata) and followers.

Retention: a closed report keeps its public summary (title, category, dates, status) for the statistics; its
description, contact and reporter link are cleared PAMONG_RETENTION_DAYS after closing. Erasure clears what the
person's own reports say about them (description, contact, reporter link, photos,
documents) and removes their follows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q

from pamong.core.personal_data import PersonalData, declare

from .models import Complaint, Follower
from .services import reporter_key

CLEARED = "[dihapus atas permintaan atau masa simpan berakhir]"


def _own(user):
    return Complaint.objects.filter(Q(reporter=user) | Q(reporter_index=reporter_key(user)))


def export(user) -> dict[str, Any]:
    return {
        "complaints": {"reports": _reports(user), "followed": _followed(user)},
    }


def _reports(user) -> list[dict[str, Any]]:
    return [
        {
            "reference": c.reference,
            "kind": c.kind,
            "service": c.service.slug,
            "status": c.status,
            "received_at": c.received_at.isoformat(),
            "title": c.title,
            "description": c.description,
            "anonymous": c.anonymous,
            "confidential": c.confidential,
            "answer": c.answer,
            "rating": c.rating,
            "photos": [p.sha256 for p in c.photos.all()],  # the files themselves: on the report's page
            "documents": [d.sha256 for d in c.documents.all()],
        }
        for c in _own(user).select_related("service")
    ]


def _followed(user) -> list[str]:
    return list(Follower.objects.filter(user=user).values_list("complaint__reference", flat=True))


def _clear(queryset) -> int:
    count = 0
    for complaint in queryset.iterator(chunk_size=500):
        complaint.description = CLEARED
        complaint.contact = ""
        complaint.hidden_reporter = ""
        complaint.reporter_index = ""
        complaint.reporter = None
        complaint.consent = {}
        complaint.personal_data_cleared = True
        for photo in complaint.photos.all():  # a photo may show the reporter, their house or their family
            photo.file.delete(save=False)
            photo.delete()
        for document in complaint.documents.all():  # a letter names the reporter and their circumstances
            document.file.delete(save=False)
            document.delete()
        complaint.save(
            update_fields=[
                "description",
                "contact",
                "hidden_reporter",
                "reporter_index",
                "reporter",
                "consent",
                "personal_data_cleared",
                "updated_at",
            ]
        )
        count += 1
    return count


def erase(user) -> dict[str, int]:
    follows, _ = Follower.objects.filter(user=user).delete()
    return {"complaints_cleared": _clear(_own(user)), "complaint_follows_removed": follows}


def expire(now: dt.datetime, dry_run: bool) -> dict[str, int]:
    old = Complaint.objects.filter(
        status__in=[Complaint.Status.CLOSED, Complaint.Status.MERGED],
        updated_at__lt=now - dt.timedelta(days=settings.PAMONG_RETENTION_DAYS),
        personal_data_cleared=False,
    )
    if dry_run:
        return {"complaints_cleared": old.count()}
    return {"complaints_cleared": _clear(old)}


declare(
    PersonalData(
        module="complaints",
        models=("complaints.Complaint", "complaints.Follower", "complaints.Photo", "complaints.Document"),
        retention="description, contact, reporter, photos and documents cleared PAMONG_RETENTION_DAYS after a report is closed; "
        "the public summary stays for the statistics",
        export=export,
        erase=erase,
        expire=expire,
    )
)

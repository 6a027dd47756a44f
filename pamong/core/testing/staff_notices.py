"""What staff were told: every staff notification goes through staffing's routing (issue 17), which holds a
non-urgent one until the person's working hours or digest. Tests ask here rather than in the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from pamong.staffing.models import StaffNotice


@dataclass(frozen=True)
class Told:
    recipient: object
    urgency: str
    subject: str
    body: str


def staff_told(template: str, **filters) -> list[Told]:
    """The notices routed to staff with this template (any status), rendered as the person will read them."""
    told = []
    for notice in (
        StaffNotice.objects.filter(template=template, **filters).select_related("recipient").order_by("pk")
    ):
        with translation.override("id"):
            subject, _, body = (
                render_to_string(f"notify/{template}.txt", notice.context).strip().partition("\n")
            )
        told.append(Told(notice.recipient, notice.urgency, subject.strip(), body.strip()))
    return told

"""What pamong.assistant keeps about people: questions (masked: NIK, phone and e-mail replaced; encrypted; no link
to an account) for PAMONG_ASSISTANT_QUESTION_DAYS to improve answers. A hand-over is a complaint (type *permintaan
informasi*): its masked transcript, contact and reporter are the complaints module's personal data (exported,
erased and expired there); the `Handover` row keeps only why, when and the link, one year. Rows opened before
hand-overs were complaints hold a transcript, contact and account: until answered and one year after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q

from pamong.core.personal_data import PersonalData, declare

from .models import Handover, Question

HANDOVER_DAYS = 365


def export(user) -> dict[str, Any]:
    """The person's hand-overs; no section when there are none (questions are kept without an account)."""
    rows = [
        {
            "opened_at": h.opened_at.isoformat(),
            "agency": h.agency.slug,
            "reason": h.reason,
            "status": h.status,
            "transcript": h.transcript,
            "contact": h.contact,
        }
        for h in Handover.objects.filter(citizen=user).select_related("agency").order_by("opened_at")
    ]
    return {"assistant_handovers": rows} if rows else {}


def erase(user) -> dict[str, int]:
    rows = Handover.objects.filter(citizen=user)
    count = rows.count()
    rows.update(transcript=[], contact="", citizen=None)
    return {"assistant_handovers_erased": count}


def expire(now: dt.datetime, dry_run: bool) -> dict[str, int]:
    questions = Question.objects.filter(
        asked_at__lt=now - dt.timedelta(days=settings.PAMONG_ASSISTANT_QUESTION_DAYS)
    )
    handovers = Handover.objects.filter(
        Q(status=Handover.Status.CLOSED) | Q(complaint__isnull=False),
        opened_at__lt=now - dt.timedelta(days=HANDOVER_DAYS),
    )
    counts = {"assistant_questions": questions.count(), "assistant_handovers": handovers.count()}
    if not dry_run:
        questions.delete()
        handovers.delete()
    return counts


declare(
    PersonalData(
        module="assistant",
        models=("assistant.Question", "assistant.Handover"),
        retention=f"questions asked (masked, no account) {settings.PAMONG_ASSISTANT_QUESTION_DAYS} days "
        f"(PAMONG_ASSISTANT_QUESTION_DAYS) to improve answers; a hand-over is a complaint (its transcript and "
        f"contact kept by pamong.complaints), the hand-over row (why, when, the link) {HANDOVER_DAYS} days; rows "
        f"from before hand-overs were complaints until answered and {HANDOVER_DAYS} days after",
        export=export,
        erase=erase,
        expire=expire,
    )
)

"""What pamong.assistant keeps about people: questions (masked: NIK, phone and e-mail replaced; encrypted; no link
to an account) for PAMONG_ASSISTANT_QUESTION_DAYS to improve answers; hand-overs (transcript masked and
encrypted, the contact given, the account when signed in) while the agency handles them and one year after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

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
        status=Handover.Status.CLOSED, opened_at__lt=now - dt.timedelta(days=HANDOVER_DAYS)
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
        f"(PAMONG_ASSISTANT_QUESTION_DAYS) to improve answers; hand-overs to an officer until answered and "
        f"{HANDOVER_DAYS} days after",
        export=export,
        erase=erase,
        expire=expire,
    )
)

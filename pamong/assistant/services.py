"""The assistant's writes: answer a question (and keep it, masked, for a while), and hand a conversation over to
a person of the agency (`open_handover`, the one place the lead points at the complaints module, type
*permintaan informasi*, after merging)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pamong.accounts import roles
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.catalog.models import Agency
from pamong.core.formatting import format_date
from pamong.core.workdays import add_working_days
from pamong.staffing.routing import notify_on_duty

from . import core, knowledge
from .masking import mask
from .models import Channel, Handover, Question


@dataclass(frozen=True)
class Reply:
    answer: core.Answer
    text: str  # what the person reads: the answer, or the hand-over notice
    handover: Handover | None = None


def ask_question(
    question: str,
    *,
    user: Any = None,
    channel: str = Channel.WEB,
    contact: str = "",
    now: dt.datetime | None = None,
) -> Reply:
    """Answer `question` for `user` (None: anonymous; only a signed-in citizen's own applications are read), keep
    the question masked, and open a hand-over when the assistant must not answer."""
    started = time.perf_counter()
    now = now or timezone.now()
    kb = knowledge.knowledge()
    citizen = (
        user if user is not None and user.is_authenticated and roles.WARGA in roles.roles_of(user) else None
    )
    cases = (
        knowledge.case_facts(citizen)
        if citizen is not None and core.is_own_case(core.tokens(question))
        else []
    )
    result = core.answer(
        question, kb, cases=cases, signed_in=citizen is not None, sign_in_doc=knowledge.sign_in_doc(kb)
    )
    handover = None
    text = result.text
    if result.handover:
        agency = Agency.objects.filter(slug=result.agency or kb.default_agency).first()
        if agency is not None:
            notice = handover_notice(result, agency=agency, now=now)
            handover = open_handover(
                agency=agency,
                citizen=citizen,
                channel=channel,
                reason=result.reason,
                urgency=result.urgency,
                transcript=[{"from": "warga", "text": question}, {"from": "asisten", "text": notice}],
                contact=contact,
                now=now,
            )
            text = notice
        else:
            text = "Maaf, saya belum dapat menjawab pertanyaan ini. Silakan hubungi loket layanan terdekat."
    top = result.top_source
    Question.objects.create(
        asked_at=now,
        channel=channel,
        text=mask(question)[:2000],
        intent=result.intent,
        top_source=f"{top.kind}:{top.slug}"[:160] if top else "",
        handover=result.handover,
        reason=result.reason,
        elapsed_ms=int((time.perf_counter() - started) * 1000),
    )
    return Reply(answer=result, text=text, handover=handover)


REASON_TEXT = {
    "distress": "Pesan Anda sudah kami teruskan sekarang juga kepada petugas jaga {agency}. "
    "Bila Anda dalam bahaya, hubungi layanan darurat 112.",
    "abuse": "Mohon gunakan kata-kata yang sopan. Pesan Anda kami teruskan kepada petugas {agency}.",
    "human": "Baik, pertanyaan Anda kami teruskan kepada petugas {agency}.",
    "other_agency": "Layanan itu tidak ada dalam katalog kami; mungkin diselenggarakan instansi lain. "
    "Pertanyaan Anda kami teruskan kepada petugas {agency} agar Anda diarahkan dengan benar.",
    "out_of_scope": "Maaf, pertanyaan ini di luar layanan yang kami ketahui, jadi saya tidak menjawabnya sendiri. "
    "Pertanyaan Anda kami teruskan kepada petugas {agency}.",
    "low_confidence": "Maaf, saya belum yakin dapat menjawab pertanyaan ini dengan benar. "
    "Pertanyaan Anda kami teruskan kepada petugas {agency}.",
}


def answer_due(*, urgency: str, now: dt.datetime) -> dt.datetime:
    """When a person answers: darurat within the hour (the officer on duty, any time); otherwise before the end
    of the next working day's opening hours (pamong.core.workdays)."""
    if urgency == "darurat":
        return now + dt.timedelta(hours=1)
    local = timezone.localtime(now)
    _start, end = settings.PAMONG_ASSISTANT_OFFICE_HOURS
    today = local.date()
    day = add_working_days(today, 1)
    return timezone.make_aware(dt.datetime.combine(day, end), timezone.get_current_timezone())


def handover_notice(result: core.Answer, *, agency: Agency, now: dt.datetime) -> str:
    due = answer_due(urgency=result.urgency, now=now)
    reason = REASON_TEXT.get(result.reason, REASON_TEXT["low_confidence"]).format(agency=agency.name)
    if result.urgency == "darurat":
        return reason
    local = timezone.localtime(due)
    return f"{reason} Jawaban paling lambat {format_date(local.date())} pukul {local:%H.%M} WIB."


@transaction.atomic
def open_handover(
    *,
    agency: Agency,
    citizen: Any,
    channel: str,
    reason: str,
    urgency: str,
    transcript: list[dict[str, str]],
    contact: str = "",
    now: dt.datetime | None = None,
) -> Handover:
    """Open a conversation with the agency, transcript attached (masked), and tell its staff. The one entry point
    of hand-overs: after merging, the lead points it at the complaints module (type *permintaan informasi*)."""
    now = now or timezone.now()
    handover = Handover.objects.create(
        agency=agency,
        citizen=citizen,
        channel=channel,
        reason=reason,
        urgency=urgency,
        transcript=[{"from": item["from"], "text": mask(item["text"])[:2000]} for item in transcript],
        contact=contact[:200],
        opened_at=now,
        answer_by=answer_due(urgency=urgency, now=now),
    )
    audit.record_event(
        actor=citizen or "system:assistant",
        action=Action.ASSISTANT_HANDOVER_OPENED,
        subject=f"assistant.handover:{handover.pk}",
        data={"agency": agency.slug, "channel": channel, "reason": reason, "urgency": urgency},
    )
    context = {
        "agency": agency.name,
        "reason": Handover.Reason(reason).label if reason in Handover.Reason.values else reason,
        "answer_by": format_date(timezone.localtime(handover.answer_by).date()),
        "url": "/instansi/tanya/",
    }
    notify_on_duty(
        agency=agency,
        function="complaints",
        urgency=urgency if urgency == "darurat" else "mendesak",
        template="assistant_handover",
        context=context,
    )
    return handover


def close_handover(handover: Handover, *, actor: Any) -> Handover:
    """An officer marks a hand-over answered."""
    with transaction.atomic():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        if locked.status == Handover.Status.CLOSED:
            return locked
        locked.status = Handover.Status.CLOSED
        locked.save(update_fields=["status"])
        audit.record_event(
            actor=actor,
            action=Action.ASSISTANT_HANDOVER_CLOSED,
            subject=f"assistant.handover:{locked.pk}",
            data={"agency": locked.agency.slug},
        )
    return locked

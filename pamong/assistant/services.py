"""The assistant's writes: answer a question (and keep it, masked, for a while); hand a conversation over to a
person of the agency (`open_handover`: a complaint of type *permintaan informasi* with the masked transcript);
answer a counter officer about the citizen they serve (`ask_at_counter`, logged for that citizen)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases.models import Application
from pamong.catalog.models import Agency, Service
from pamong.complaints import services as complaints
from pamong.complaints.models import Complaint
from pamong.core.formatting import format_date, reader_date
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
        service = handover_service(agency, result.service)
        if service is not None:
            with translation.override("id"):  # the transcript the agency's officer reads stays Indonesian
                logged = reason_text(result.reason, agency.name)
            handover = open_handover(
                agency=agency,
                citizen=citizen,
                channel=channel,
                reason=result.reason,
                urgency=result.urgency,
                transcript=[{"from": "warga", "text": question}, {"from": "asisten", "text": logged}],
                contact=contact,
                now=now,
                service=service,
            )
            said = reason_text(result.reason, agency.name)  # the person reads it in their language
            text = handover_notice(said, handover.complaint, signed_in=citizen is not None, contact=contact)
        else:
            text = gettext(NO_AGENCY_TEXT)
    keep_question(question, result, channel=channel, now=now, started=started)
    return Reply(answer=result, text=text, handover=handover)


# Fixed sentences: English msgids, Indonesian in the catalogue; translated when said, in the reader's language.
NO_AGENCY_TEXT = gettext_noop(
    "Sorry, I cannot answer this question yet. Please contact the nearest service counter."
)
COUNTER_UNSURE_TEXT = gettext_noop(
    "The assistant cannot answer this question with confidence. Check the status, reasons and deadlines on the "
    "case page at the counter, or ask an officer of the agency that handles it."
)


def keep_question(
    question: str, result: core.Answer, *, channel: str, now: dt.datetime, started: float
) -> Question:
    """The question, masked and without its asker, with how it was answered (to improve answers)."""
    top = result.top_source
    return Question.objects.create(
        asked_at=now,
        channel=channel,
        text=mask(question)[:2000],
        intent=result.intent,
        top_source=f"{top.kind}:{top.slug}"[:160] if top else "",
        handover=result.handover,
        reason=result.reason,
        elapsed_ms=int((time.perf_counter() - started) * 1000),
    )


def ask_at_counter(question: str, *, officer: Any, application: Application) -> Reply:
    """Answer a counter officer about the citizen they serve: `application` was found by reference + NIK
    (`cases.services.counter_find`, itself logged), so its applicant is the served citizen; nothing in the question
    picks a person. The citizen's applications are read, and every answer is written to the citizen's access log
    with the applications it told about. No hand-over: the officer is the person; an unsure answer says so."""
    started = time.perf_counter()
    now = timezone.now()
    kb = knowledge.knowledge()
    citizen = application.applicant
    words = core.tokens(question)
    cases = knowledge.case_facts(citizen) if core.is_own_case(words, serving=True) else []
    result = core.answer(question, kb, cases=cases, serving=True, sign_in_doc=knowledge.sign_in_doc(kb))
    told = [source.slug for source in result.sources if source.kind == "application"]
    with transaction.atomic():
        accounts.record_personal_data_access(
            actor=officer,
            citizen=citizen,
            what=(
                "jawaban asisten di loket: permohonan " + ", ".join(told)
                if told
                else "jawaban asisten di loket (tanpa data permohonan)"
            ),
            why=f"pertanyaan petugas loket yang melayani warga (dicari dengan {application.reference} dan NIK)",
        )
        keep_question(question, result, channel=Channel.COUNTER, now=now, started=started)
    return Reply(answer=result, text=gettext(COUNTER_UNSURE_TEXT) if result.handover else result.text)


REASON_TEXT = {
    "distress": gettext_noop(
        "Your message has been passed on right now to the on-duty officer of %(agency)s. If you are in danger, "
        "call the emergency number 112."
    ),
    "abuse": gettext_noop("Please use polite words. Your message is passed on to an officer of %(agency)s."),
    "human": gettext_noop("All right, your question is passed on to an officer of %(agency)s."),
    "other_agency": gettext_noop(
        "That service is not in our catalog; another agency may provide it. Your question is passed on to an "
        "officer of %(agency)s so that you are pointed the right way."
    ),
    "out_of_scope": gettext_noop(
        "Sorry, this question is outside the services we know about, so I do not answer it myself. Your "
        "question is passed on to an officer of %(agency)s."
    ),
    "low_confidence": gettext_noop(
        "Sorry, I am not yet sure I can answer this question correctly. Your question is passed on to an "
        "officer of %(agency)s."
    ),
}


def reason_text(reason: str, agency: str) -> str:
    """Why the question was passed on, in the active language."""
    return gettext(REASON_TEXT.get(reason, REASON_TEXT["low_confidence"])) % {"agency": agency}


# The complaint is filed by the assistant itself when nobody is signed in (audit actor).
ASSISTANT_ACTOR = "system:assistant"
COMPLAINT_CHANNEL = {
    Channel.WEB: Complaint.Channel.WEB,
    Channel.API: Complaint.Channel.API,
    Channel.GATEWAY: Complaint.Channel.API,
}


def handover_service(agency: Agency | None, slug: str = "") -> Service | None:
    """The complaint's category: the service the question came closest to when it is the agency's, else the
    agency's first service by name (a complaint needs one); None when the agency offers none."""
    if agency is None:
        return None
    services = Service.objects.filter(agency=agency).select_related("agency")
    return (slug and services.filter(slug=slug).first()) or services.order_by("name", "pk").first()


def last_day(due: dt.datetime) -> dt.date:
    """The local day a deadline falls on: one ending at 24:00 belongs to the day before."""
    return (timezone.localtime(due) - dt.timedelta(microseconds=1)).date()


def handover_notice(said: str, complaint: Complaint, *, signed_in: bool, contact: str) -> str:
    """What the person reads: why it was passed on, the report number, and when an officer answers (working
    hours and days from the calendar; darurat: the on-duty officer, by the clock)."""
    due = timezone.localtime(complaint.due_at)
    if complaint.urgency == Complaint.Urgency.DARURAT:
        when = gettext("The on-duty officer answers by %(date)s at %(time)s WIB.") % {
            "date": reader_date(due.date()),  # the notice is read in the reader's language
            "time": f"{due:%H.%M}",
        }
    else:
        when = gettext("An officer answers on %(hours)s, by %(date)s.") % {
            "hours": knowledge.office_hours_text(),
            "date": reader_date(last_day(complaint.due_at)),
        }
    if signed_in:
        where = gettext("The answer appears on your report's page: %(url)s") % {
            "url": f"/pengaduan/l/{complaint.reference}/"
        }
    elif contact.strip():
        where = gettext("An officer answers through the contact you gave.")
    else:
        where = gettext(
            "You left no contact: sign in, or write a phone number or e-mail, so that an officer can answer you."
        )
    return gettext("%(said)s Report number: %(reference)s. %(when)s %(where)s") % {
        "said": said,
        "reference": complaint.reference,
        "when": when,
        "where": where,
    }


def _transcript_text(transcript: list[dict[str, str]], *, reason: str, channel: str) -> str:
    speaker = {"warga": "Warga", "asisten": "Asisten"}
    with translation.override("id"):
        why = str(Handover.Reason(reason).label) if reason in Handover.Reason.values else reason
        via = str(Channel(channel).label) if channel in Channel.values else channel
    lines = [f"Percakapan dengan asisten Tanya, diteruskan kepada petugas ({why}; kanal: {via})."]
    lines += [
        f"{speaker.get(item['from'], item['from'])}: {mask(item['text'])[:2000]}" for item in transcript
    ]
    return "\n".join(lines)[: complaints.DESCRIPTION_MAX]


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
    service: Service | None = None,
) -> Handover:
    """Open a conversation with the agency: a confidential complaint of type *permintaan informasi* with the
    masked transcript (its reporter the signed-in citizen, else nobody; the contact given kept, encrypted, to
    answer), and a `Handover` row saying why. A *darurat* one reaches the on-duty officer at once (the complaints
    module alerts them); any other is announced to the agency's complaints function."""
    now = now or timezone.now()
    service = service or handover_service(agency)
    with translation.override("id"):
        title = f"Pertanyaan dari asisten: {Handover.Reason(reason).label}"[: complaints.TITLE_MAX]
    report = complaints.Report(
        service=service,
        title=title,
        description=_transcript_text(transcript, reason=reason, channel=channel),
        kind=Complaint.Kind.INFORMASI,
        confidential=True,  # a person's own question: never on the public list
        emergency=urgency == "darurat",
        contact=contact[:200],
    )
    complaint = complaints.submit_complaint(
        report,
        actor=citizen or ASSISTANT_ACTOR,
        reporter=citizen,
        channel=COMPLAINT_CHANNEL.get(channel, Complaint.Channel.WEB),
        now=now,
    )
    handover = Handover.objects.create(
        agency=agency,
        channel=channel,
        reason=reason,
        urgency=urgency,
        complaint=complaint,
        opened_at=now,
        answer_by=complaint.due_at,
    )
    audit.record_event(
        actor=citizen or ASSISTANT_ACTOR,
        action=Action.ASSISTANT_HANDOVER_OPENED,
        subject=f"assistant.handover:{handover.pk}",
        data={
            "agency": agency.slug,
            "channel": channel,
            "reason": reason,
            "urgency": urgency,
            "complaint": complaint.reference,
        },
    )
    if urgency != "darurat":
        with translation.override("id"):
            why = str(Handover.Reason(reason).label)
        notify_on_duty(
            agency=agency,
            function="complaints",
            urgency="mendesak",
            template="assistant_handover",
            context={
                "agency": agency.name,
                "reason": why,
                "reference": complaint.reference,
                "answer_by": format_date(last_day(complaint.due_at)),
                "url": f"/pengaduan/masuk/{complaint.pk}/",
            },
        )
    return handover


def close_handover(handover: Handover, *, actor: Any) -> Handover:
    """An officer marks a hand-over opened before hand-overs were complaints answered (a complaint is answered in
    the complaints inbox)."""
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

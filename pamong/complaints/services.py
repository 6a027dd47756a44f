"""Every write of the complaints module (CONVENTIONS §2): one transaction each, with its audit entry.

received → verified (classified) → forwarded (disposisi, also to another agency) → in progress (first response)
→ answered → closed when the reporter accepts and rates, or back to in progress when they reopen within 10
working days; the periodic job escalates at 80% of the deadline and when late, and closes answered reports whose
reopening window has passed. Status changes only through `transitions.move`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases.models import Application
from pamong.catalog.models import Agency, Service
from pamong.catalog.search import index_text, stems
from pamong.core.crypto import blind_index, encrypt_bytes
from pamong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from pamong.notify.services import notify_user
from pamong.staffing.routing import notify_on_duty, notify_staff

from . import deadlines, pdfs, photos, transitions
from .models import Complaint, Document, Follower, Photo

S = Complaint.Status
U = Complaint.Urgency
OPEN = (S.RECEIVED, S.VERIFIED, S.FORWARDED, S.IN_PROGRESS)
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TITLE_MIN, TITLE_MAX = 5, 150
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 5000
ANSWER_MIN = 40  # characters of real content, once greetings and template phrases are taken out
NOTE_MIN = 20
DUPLICATE_RADIUS_M = 200
# Template left unfilled: placeholders in brackets or braces, runs of dots or X's where a fact should be.
_PLACEHOLDER = re.compile(r"\[[^\]]*\]|\{[^}]*\}|<[^>]*>|\.{3,}|…|\b[Xx]{3,}\b|_{3,}")
# Courtesy phrases that carry no answer (said alone, they say nothing).
_COURTESY = (
    "terima kasih atas laporan anda",
    "terima kasih atas pengaduan anda",
    "laporan anda sedang kami tindak lanjuti",
    "laporan anda telah kami terima",
    "mohon maaf atas ketidaknyamanannya",
    "akan segera ditindaklanjuti",
    "sudah ditindaklanjuti",
    "terima kasih",
)
ANONYMOUS_ACTOR = "reporter:anonymous"  # audit label of an anonymous reporter: who it was is never logged


def staff_of(agency, *role_names: str):
    return (
        User.objects.filter(agency=agency, is_active=True, groups__name__in=role_names)
        .distinct()
        .order_by("pk")
    )


# --- submission ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """What a reporter tells, whatever the channel."""

    service: Service
    title: str
    description: str
    kind: str = Complaint.Kind.PENGADUAN
    anonymous: bool = False
    confidential: bool = False
    emergency: bool = False
    latitude: float | None = None
    longitude: float | None = None
    region_code: str = ""
    address: str = ""
    media_url: str = ""
    application: Any = None
    contact: str = ""
    photos: tuple[bytes, ...] = ()  # as sent; cleaned of metadata before anything is stored
    documents: tuple[bytes, ...] = ()  # PDFs as sent; copied without metadata before anything is stored


def _clean(report: Report) -> dict[str, str]:
    errors: dict[str, str] = {}
    title, description = report.title.strip(), report.description.strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        errors["title"] = _("Write the report's title in %(low)s–%(high)s characters.") % {
            "low": TITLE_MIN,
            "high": TITLE_MAX,
        }
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors["description"] = _("Tell what happened, when and where, in %(low)s–%(high)s characters.") % {
            "low": DESCRIPTION_MIN,
            "high": DESCRIPTION_MAX,
        }
    if report.kind not in Complaint.Kind.values:
        errors["kind"] = _(
            "Choose the kind of report: a complaint, an aspiration or a request for information."
        )
    if (report.latitude is None) != (report.longitude is None):
        errors["location"] = _("Fill in the latitude and the longitude together, or leave both empty.")
    elif report.latitude is not None and not (
        -90 <= report.latitude <= 90 and -180 <= report.longitude <= 180
    ):
        errors["location"] = _("Coordinates out of range: latitude −90..90, longitude −180..180.")
    if report.region_code and not re.fullmatch(r"\d{2}(\.?\d{2}){0,2}(\.?\d{4})?", report.region_code):
        errors["region_code"] = _("A Kemendagri region code is made of digits, for example 32.73.01.1001.")
    if len(report.address) > 300:
        errors["address"] = _("The address is at most 300 characters.")
    if report.media_url and not re.fullmatch(r"https?://[^\s]{4,490}", report.media_url):
        errors["media_url"] = _("media_url is a full http(s) address.")
    elif report.media_url and report.anonymous:
        # A link can name its owner (a photo album, a cloud drive): an anonymous reporter sends the photo itself.
        errors["media_url"] = _("An anonymous report takes no photo link; send the photo itself as a file.")
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in title + description):
        errors["description"] = _("The text holds control characters; remove them and send again.")
    return errors


def new_reference(today: dt.date) -> str:
    """ADU-YYYYMMDD-XXXXXXXX: 40 random bits a day, drawn again when taken (as application references)."""
    for _attempt in range(10):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _letter in range(8))
        reference = f"ADU-{today:%Y%m%d}-{code}"
        if not Complaint.objects.filter(reference=reference).exists():
            return reference
    raise Conflict(_("No report number could be made; try again."), code="reference_exhausted")


def reporter_key(user) -> str:
    return blind_index(f"user:{user.pk}", purpose="complaint-reporter")


def submit_complaint(
    report: Report,
    *,
    actor: Any,
    reporter=None,
    channel: str = Complaint.Channel.WEB,
    consent: dict | None = None,
    now: dt.datetime | None = None,
    cleaned_photos: list[photos.CleanPhoto] | None = None,
    cleaned_documents: list[pdfs.CleanDocument] | None = None,
) -> Complaint:
    """File a report. `actor` is who acts (the reporter, a counter officer, a machine client's label);
    `reporter` the citizen account it belongs to, if any. Anonymous: the account is kept only encrypted.
    Photos are checked and re-encoded before the transaction opens (CPU work holds no lock)."""
    errors = _clean(report)
    if errors:
        raise ValidationFailed(
            _("Check your report again: %(problems)s") % {"problems": " ".join(errors.values())},
            code="complaint_invalid",
            details=errors,
        )
    if cleaned_photos is None:
        cleaned_photos = photos.clean_all(list(report.photos))
    if cleaned_documents is None:
        cleaned_documents = pdfs.clean_all(list(report.documents))
    if channel == Complaint.Channel.COUNTER and not (
        consent and consent.get("method") and consent.get("statement")
    ):
        raise ValidationFailed(
            _("At the counter, record how the citizen gave consent and their statement."),
            code="consent_required",
        )
    if (
        report.application is not None
        and reporter is not None
        and report.application.applicant_id != reporter.pk
    ):
        raise NotFound(_("That application was not found."), code="application_not_found")
    now = now or timezone.now()
    # Built before the transaction opens (stems, reference, working-day clocks): the write lock is held only
    # for the writes.
    complaint = Complaint(
        reference=new_reference(now.astimezone(deadlines.JAKARTA).date()),
        token=secrets.token_hex(16),
        kind=report.kind,
        channel=channel,
        service=report.service,
        agency=report.service.agency,
        title=report.title.strip(),
        description=report.description.strip(),
        search_terms=index_text([report.title, report.description]),
        anonymous=report.anonymous,
        confidential=report.confidential,
        latitude=report.latitude,
        longitude=report.longitude,
        region_code=report.region_code.replace(".", ""),
        address=report.address.strip(),
        media_url=report.media_url,
        application=report.application,
        contact=report.contact.strip(),
        consent=consent or {},
        filed_by=actor if isinstance(actor, User) and actor != reporter else None,
        filed_by_client=actor if isinstance(actor, str) and actor.startswith("client:") else "",
        urgency=U.DARURAT if report.emergency else U.NORMATIF,
        received_at=now,
    )
    if reporter is not None and report.anonymous:
        complaint.hidden_reporter = f"user:{reporter.pk}"
        complaint.reporter_index = reporter_key(reporter)
    else:
        complaint.reporter = reporter
    deadlines.set_clocks(complaint)
    with transaction.atomic():
        complaint.save()
        _store_photos(complaint, cleaned_photos)
        _store_documents(complaint, cleaned_documents)
        audit.record_event(
            actor=ANONYMOUS_ACTOR if report.anonymous and actor == reporter else actor,
            action=Action.COMPLAINT_SUBMITTED,
            subject=f"complaint:{complaint.reference}",
            data={
                "channel": channel,
                "kind": complaint.kind,
                "service": report.service.slug,
                "agency": complaint.agency.slug,
                "urgency": complaint.urgency,
                "anonymous": complaint.anonymous,
                "confidential": complaint.confidential,
                "application": report.application.reference if report.application else None,
                "due_at": complaint.due_at.isoformat(),
                "photos": [photo.sha256 for photo in cleaned_photos],
                "documents": [document.sha256 for document in cleaned_documents],
            },
        )
        _tell_reporters(complaint, "complaint_received")
        if complaint.urgency == U.DARURAT:
            _alert_on_duty(complaint)
    return complaint


def submit_at_counter(
    report: Report, *, actor, nik: str, full_name: str, consent_method: str, consent_statement: str
) -> Complaint:
    """A counter officer files a report for a citizen who came in person: their account (made if new, as for
    applications) and their recorded consent, in one transaction."""
    if roles.PETUGAS_LOKET not in roles.roles_of(actor):
        raise PermissionDenied(
            _("Only a counter officer can record a report at the counter."), code="not_counter"
        )
    if consent_method not in Application.ConsentMethod.values or len(consent_statement.strip()) < 5:
        raise ValidationFailed(
            _("Record how the citizen gave consent and their statement."),
            code="consent_required",
            details={"consent": _("Choose how the citizen consented and write their statement.")},
        )
    cleaned = photos.clean_all(list(report.photos))
    cleaned_documents = pdfs.clean_all(list(report.documents))
    with transaction.atomic():
        citizen = accounts.citizen_for_nik(actor=actor, nik=nik, full_name=full_name.strip())
        return submit_complaint(
            report,
            cleaned_photos=cleaned,
            cleaned_documents=cleaned_documents,
            actor=actor,
            reporter=citizen,
            channel=Complaint.Channel.COUNTER,
            consent={
                "method": consent_method,
                "statement": consent_statement.strip(),
                "officer": f"user:{actor.pk}",
            },
        )


def _store_photos(complaint: Complaint, cleaned: list[photos.CleanPhoto]) -> list[Photo]:
    """Stored encrypted at rest under a random name (the photo shows a place and perhaps a person)."""
    stored = []
    for clean in cleaned:
        photo = Photo(
            complaint=complaint,
            content_type=clean.content_type,
            size=len(clean.content),
            width=clean.width,
            height=clean.height,
            sha256=clean.sha256,
            uploaded_at=timezone.now(),
        )
        photo.file.save(f"{secrets.token_hex(12)}.bin", ContentFile(encrypt_bytes(clean.content)), save=False)
        photo.save()
        stored.append(photo)
    return stored


def _store_documents(complaint: Complaint, cleaned: list[pdfs.CleanDocument]) -> list[Document]:
    """Stored encrypted at rest under a random name, as photos (a letter names people and places)."""
    stored = []
    for clean in cleaned:
        document = Document(
            complaint=complaint,
            size=len(clean.content),
            pages=clean.pages,
            sha256=clean.sha256,
            uploaded_at=timezone.now(),
        )
        document.file.save(
            f"{secrets.token_hex(12)}.bin", ContentFile(encrypt_bytes(clean.content)), save=False
        )
        document.save()
        stored.append(document)
    return stored


def may_add_photos(complaint: Complaint, actor: Any) -> bool:
    """The reporter, or the API client that filed the report, while it is open."""
    if complaint.status not in OPEN:
        return False
    if isinstance(actor, str):
        return bool(complaint.filed_by_client) and actor == complaint.filed_by_client
    return is_reporter(complaint, actor)


def _check_may_add(complaint: Complaint, actor: Any, closed_message: str) -> None:
    if not may_add_photos(complaint, actor):
        if complaint.status not in OPEN and (
            is_reporter(complaint, actor) or actor == complaint.filed_by_client
        ):
            raise Conflict(closed_message, code="complaint_not_open")
        raise NotFound(_("That report was not found."), code="complaint_not_found")


def add_photo(complaint: Complaint, *, actor: Any, content: bytes) -> Photo:
    """One more photo for an open report (the API: a report first, its photos after), up to MAX_PHOTOS."""
    return _add_file(
        complaint,
        actor=actor,
        clean=photos.clean_photo(content),
        closed=_("This report is already answered or closed; no photo can be added."),
        too_many=_("At most %(count)s photos per report.") % {"count": photos.MAX_PHOTOS},
        kind="photos",
        limit=photos.MAX_PHOTOS,
        store=_store_photos,
        action=Action.COMPLAINT_PHOTO_ADDED,
    )


def add_document(complaint: Complaint, *, actor: Any, content: bytes) -> Document:
    """One more PDF for an open report (the API), up to pdfs.MAX_DOCUMENTS (counted apart from photos)."""
    return _add_file(
        complaint,
        actor=actor,
        clean=pdfs.clean_document(content),
        closed=_("This report is already answered or closed; no document can be added."),
        too_many=_("At most %(count)s documents per report.") % {"count": pdfs.MAX_DOCUMENTS},
        kind="documents",
        limit=pdfs.MAX_DOCUMENTS,
        store=_store_documents,
        action=Action.COMPLAINT_DOCUMENT_ADDED,
    )


def _add_file(
    complaint: Complaint,
    *,
    actor: Any,
    clean,
    closed: str,
    too_many: str,
    kind: str,
    limit: int,
    store,
    action,
):
    """One more checked file (a photo or a document) for an open report, under the report's row lock, audited
    without the reporter's identity when the report is anonymous."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _check_may_add(complaint, actor, closed)
        if getattr(complaint, kind).count() >= limit:
            raise ValidationFailed(too_many, code=f"too_many_{kind}", details={kind: too_many})
        (stored,) = store(complaint, [clean])
        _record(
            complaint,
            action,
            ANONYMOUS_ACTOR if complaint.anonymous and not isinstance(actor, str) else actor,
            sha256=clean.sha256,
        )
    return stored


def _alert_on_duty(complaint: Complaint) -> None:
    notify_on_duty(
        agency=complaint.agency,
        function="complaints",
        urgency="darurat",
        template="complaint_emergency",
        context=_staff_context(complaint),
    )


def _staff_context(complaint: Complaint) -> dict[str, str]:
    """What a staff notification may say: never who reported."""
    return {
        "reference": complaint.reference,
        "title": complaint.title,
        "service": complaint.service.name,
        "due_at": timezone.localtime(complaint.due_at).strftime("%d-%m-%Y %H:%M"),
        "url": f"/pengaduan/masuk/{complaint.pk}/",
    }


# --- the people to tell -------------------------------------------------------------------------------------
def _reporter_of(complaint: Complaint) -> User | None:
    if complaint.reporter_id:
        return complaint.reporter
    if complaint.hidden_reporter.startswith("user:"):
        return User.objects.filter(pk=int(complaint.hidden_reporter.split(":", 1)[1])).first()
    return None


def _tell_reporters(complaint: Complaint, template: str, **extra: Any) -> None:
    """The reporter, the reporters of reports merged into this one, and every follower: each once."""
    people: dict[int, User] = {}
    # Reports merged into this one are looked up only when there are some: at 1M rows SQLite's statistics count
    # every NULL merged_into as one value and it scanned the table for each step (bench/complaints_cycle.py).
    merged = list(complaint.merged.order_by()) if complaint.merged_count else []
    for report in [complaint, *merged]:
        person = _reporter_of(report)
        if person is not None:
            people[person.pk] = person
    if complaint.ever_followed:  # no look-up before the first +1 (most reports are never followed)
        for follower in Follower.objects.filter(complaint=complaint).select_related("user"):
            people.setdefault(follower.user_id, follower.user)
    context = {
        "reference": complaint.reference,
        "title": complaint.title,
        "status": S(complaint.status).label,
        "url": f"/pengaduan/l/{complaint.reference}/",
        **extra,
    }
    for person in people.values():
        notify_user(user=person, template=template, context=context)


# --- staff steps --------------------------------------------------------------------------------------------
def _locked(complaint: Complaint) -> Complaint:
    # The steps never read the report's text, contact or consent: left in the row (loaded on access if ever).
    return (
        Complaint.objects.select_for_update()
        .select_related("agency", "service")
        .defer("description", "contact", "consent")
        .get(pk=complaint.pk)
    )


CLOCKS = ("forward_due", "response_due", "due_at", "escalate_at", "escalation_level")


def _save(complaint: Complaint, *fields: str) -> None:
    """Write only what the step changed: a full save re-encrypts the description, contact and hidden reporter
    (AES-GCM each) and rewrites ~45 columns; bench/complaints_cycle.py counts the difference."""
    complaint.save(update_fields=[*fields, "updated_at"])


def _check_staff(complaint: Complaint, actor) -> None:
    if not (
        isinstance(actor, User)
        and actor.agency_id == complaint.agency_id
        and roles.roles_of(actor) & {roles.PETUGAS, roles.SUPERVISOR}
    ):
        raise NotFound(_("That report was not found."), code="complaint_not_found")


def _record(complaint: Complaint, action: Action, actor: Any, **data: Any) -> None:
    audit.record_event(
        actor=actor,
        action=action,
        subject=f"complaint:{complaint.reference}",
        data={"status": complaint.status, **data},
    )


def verify_complaint(complaint: Complaint, *, actor, urgency: str, kind: str | None = None) -> Complaint:
    """Verified and classified: the urgency sets the answer deadline, counted from receipt."""
    if urgency not in U.values:
        raise ValidationFailed(_("Choose the report's urgency."), code="urgency_invalid")
    if kind is not None and kind not in Complaint.Kind.values:
        raise ValidationFailed(_("Choose the kind of report."), code="kind_invalid")
    with transaction.atomic():
        complaint = _locked(complaint)
        _check_staff(complaint, actor)
        transitions.move(complaint, S.VERIFIED)
        was_emergency = complaint.urgency == U.DARURAT
        complaint.urgency = urgency
        complaint.kind = kind or complaint.kind
        deadlines.set_clocks(complaint)
        _save(complaint, *CLOCKS, "status", "urgency", "kind")
        _record(
            complaint,
            Action.COMPLAINT_VERIFIED,
            actor,
            urgency=urgency,
            kind=complaint.kind,
            due_at=complaint.due_at.isoformat(),
        )
        _tell_reporters(complaint, "complaint_status")
        if urgency == U.DARURAT and not was_emergency:
            _alert_on_duty(complaint)
    return complaint


def forward_complaint(
    complaint: Complaint, *, actor, officer: User | None = None, agency: Agency | None = None, note: str = ""
) -> Complaint:
    """Disposisi: to an officer of this agency, or to another agency (its officers are told)."""
    if (officer is None) == (agency is None):
        raise ValidationFailed(
            _("Choose the receiving officer or the agency to send it to."), code="forward_target_required"
        )
    with transaction.atomic():
        complaint = _locked(complaint)
        _check_staff(complaint, actor)
        transitions.move(complaint, S.FORWARDED)
        if officer is not None:
            if officer.agency_id != complaint.agency_id or not roles.roles_of(officer) & {
                roles.PETUGAS,
                roles.SUPERVISOR,
            }:
                raise ValidationFailed(
                    _("That officer does not work at this agency."), code="officer_invalid"
                )
            complaint.assigned_to = officer
        else:
            if agency.pk == complaint.agency_id:
                raise ValidationFailed(_("The report is already at this agency."), code="same_agency")
            complaint.agency = agency
            complaint.assigned_to = None
        _save(complaint, "status", "assigned_to", "agency")
        _record(
            complaint,
            Action.COMPLAINT_FORWARDED,
            actor,
            agency=complaint.agency.slug,
            officer=f"user:{officer.pk}" if officer else None,
            note_chars=len(note),
        )
        if officer is not None:
            notify_staff(
                user=officer,
                urgency="mendesak",
                template="complaint_assigned",
                context=_staff_context(complaint),
            )
        else:
            notify_on_duty(
                agency=complaint.agency,
                function="complaints",
                urgency="mendesak",
                template="complaint_assigned",
                context=_staff_context(complaint),
            )
        _tell_reporters(complaint, "complaint_status")
    return complaint


def start_complaint(complaint: Complaint, *, actor, note: str) -> Complaint:
    """In progress, with a first response to the reporter (what the agency will do)."""
    note = note.strip()
    if len(note) < NOTE_MIN:
        raise ValidationFailed(
            _("Write a first response to the reporter, at least %(min)s characters.") % {"min": NOTE_MIN},
            code="note_too_short",
        )
    with transaction.atomic():
        complaint = _locked(complaint)
        _check_staff(complaint, actor)
        transitions.move(complaint, S.IN_PROGRESS)
        if complaint.assigned_to_id is None:  # by id: reading the officer would cost a query
            complaint.assigned_to = actor
        complaint.first_response_at = complaint.first_response_at or timezone.now()
        _save(complaint, "status", "assigned_to", "first_response_at")
        _record(complaint, Action.COMPLAINT_STARTED, actor, officer=f"user:{complaint.assigned_to_id}")
        _tell_reporters(complaint, "complaint_status", note=note)
    return complaint


def check_answer(text: str) -> str:
    """Refuse an answer that says nothing: an unfilled template, or too little left once courtesy is removed."""
    text = text.strip()
    if _PLACEHOLDER.search(text):
        raise ValidationFailed(
            _(
                "The answer still holds template parts that are not filled in (such as [..], {..} or dots). Fill them in with what was done."
            ),
            code="answer_template_unfilled",
        )
    content = text.lower()
    for phrase in _COURTESY:
        content = content.replace(phrase, " ")
    content = re.sub(r"[\W_]+", " ", content).strip()
    if len(content) < ANSWER_MIN:
        raise ValidationFailed(
            _(
                "The answer is too short: explain what was done, by whom and when "
                "(at least %(min)s characters besides greetings and thanks)."
            )
            % {"min": ANSWER_MIN},
            code="answer_too_short",
        )
    return text


def answer_complaint(
    complaint: Complaint, *, actor, answer: str, now: dt.datetime | None = None
) -> Complaint:
    answer = check_answer(answer)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint)
        _check_staff(complaint, actor)
        transitions.move(complaint, S.ANSWERED)
        complaint.answer = answer
        complaint.answered_at = now
        complaint.answer_days = deadlines.working_days_taken(complaint.received_at, now)
        complaint.first_response_at = complaint.first_response_at or now
        complaint.reopen_until = deadlines.reopen_until(now)
        _save(
            complaint, "status", "answer", "answered_at", "answer_days", "first_response_at", "reopen_until"
        )
        _record(
            complaint,
            Action.COMPLAINT_ANSWERED,
            actor,
            on_time=now <= complaint.due_at,
            working_days=complaint.answer_days,
        )
        _tell_reporters(
            complaint, "complaint_answered", reopen_until=complaint.reopen_until.strftime("%d-%m-%Y")
        )
    return complaint


# --- the reporter's steps -----------------------------------------------------------------------------------
def is_reporter(complaint: Complaint, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if complaint.reporter_id:
        return complaint.reporter_id == user.pk
    return bool(complaint.reporter_index) and complaint.reporter_index == reporter_key(user)


def _reporter_actor(complaint: Complaint, actor) -> Any:
    return ANONYMOUS_ACTOR if complaint.anonymous else actor


def rate_complaint(complaint: Complaint, *, actor, rating: int, comment: str = "") -> Complaint:
    """The reporter accepts the answer and rates it (1–5): closed."""
    if rating not in range(1, 6):
        raise ValidationFailed(_("Give a rating from 1 to 5."), code="rating_invalid")
    with transaction.atomic():
        complaint = _locked(complaint)
        if not is_reporter(complaint, actor):
            raise NotFound(_("That report was not found."), code="complaint_not_found")
        transitions.move(complaint, S.CLOSED)
        complaint.rating = rating
        complaint.closed_at = timezone.now()
        _save(complaint, "status", "rating", "closed_at")
        _record(
            complaint,
            Action.COMPLAINT_RATED,
            _reporter_actor(complaint, actor),
            rating=rating,
            comment_chars=len(comment.strip()),
        )
    return complaint


def reopen_complaint(
    complaint: Complaint, *, actor, reason: str, now: dt.datetime | None = None
) -> Complaint:
    """Within 10 working days of the answer, the reporter says it is not resolved: back in progress, new clock."""
    now = now or timezone.now()
    if len(reason.strip()) < NOTE_MIN:
        raise ValidationFailed(
            _("Explain why the problem is not solved, at least %(min)s characters.") % {"min": NOTE_MIN},
            code="reason_too_short",
        )
    with transaction.atomic():
        complaint = _locked(complaint)
        if not is_reporter(complaint, actor):
            raise NotFound(_("That report was not found."), code="complaint_not_found")
        transitions.require(complaint, S.ANSWERED)
        if now.astimezone(deadlines.JAKARTA).date() > complaint.reopen_until:
            raise ValidationFailed(
                _("The time to reopen has passed (%(date)s); send a new report.")
                % {"date": f"{complaint.reopen_until:%d-%m-%Y}"},
                code="reopen_too_late",
            )
        transitions.move(complaint, S.IN_PROGRESS)
        complaint.reopened += 1
        complaint.answered_at = complaint.answer_days = (
            None  # answered again later; the text stays until then
        )
        deadlines.set_clocks(complaint, start=now)
        _save(complaint, *CLOCKS, "status", "reopened", "answered_at", "answer_days")
        _record(
            complaint,
            Action.COMPLAINT_REOPENED,
            _reporter_actor(complaint, actor),
            due_at=complaint.due_at.isoformat(),
        )
        if complaint.assigned_to_id:
            notify_staff(
                user=complaint.assigned_to,
                urgency="mendesak",
                template="complaint_reopened",
                context=_staff_context(complaint),
            )
    return complaint


# --- duplicates ---------------------------------------------------------------------------------------------
def follow_complaint(complaint: Complaint, *, actor) -> Follower:
    """+1: a citizen follows a public report instead of filing the same one again."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first to follow a report."), code="login_required")
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.confidential or complaint.status in (S.CLOSED, S.MERGED):
            raise NotFound(_("That report was not found."), code="complaint_not_found")
        follower, created = Follower.objects.get_or_create(
            complaint=complaint, user=actor, defaults={"created_at": timezone.now()}
        )
        if created:
            if not complaint.ever_followed:
                complaint.ever_followed = True
                _save(complaint, "ever_followed")
            _record(complaint, Action.COMPLAINT_FOLLOWED, actor, followers=complaint.followers.count())
    return follower


def merge_complaints(duplicate: Complaint, *, into: Complaint, actor) -> Complaint:
    """An officer merges a duplicate into the report that stays: every reporter is told, and from now on hears
    about the one that stays."""
    if duplicate.pk == into.pk:
        raise ValidationFailed(_("A report cannot be merged with itself."), code="merge_same")
    with transaction.atomic():
        first, second = sorted([duplicate, into], key=lambda c: c.pk)
        locked = {c.pk: _locked(c) for c in (first, second)}
        duplicate, into = locked[duplicate.pk], locked[into.pk]
        _check_staff(duplicate, actor)
        _check_staff(into, actor)
        if into.status in (S.CLOSED, S.MERGED) or into.service_id != duplicate.service_id:
            raise ValidationFailed(
                _("Merge only into an open report of the same category."), code="merge_target_invalid"
            )
        transitions.move(duplicate, S.MERGED)
        duplicate.merged_into = into
        _save(duplicate, "status", "merged_into")
        into.merged_count += 1
        into.save(update_fields=["merged_count", "updated_at"])
        _record(duplicate, Action.COMPLAINT_MERGED, actor, into=into.reference)
        _tell_reporters(
            duplicate, "complaint_merged", into=into.reference, into_url=f"/pengaduan/l/{into.reference}/"
        )
    return into


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Haversine by hand: three lines, and a geospatial library would be heavier than the whole feature.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def similar_text(a_terms: str, b_terms: str) -> bool:
    """Similar by Indonesian roots: at least two roots shared, and at least half of the shorter text's roots."""
    a, b = set(a_terms.split()), set(b_terms.split())
    shared = a & b
    return len(shared) >= 2 and len(shared) * 2 >= min(len(a), len(b))


def possible_duplicates(report: Report, *, limit: int = 5) -> list[Complaint]:
    """Open, public reports in the same category near this one (200 m, or the same village) with similar text."""
    terms = index_text([report.title, report.description])
    if len(stems(report.title + " " + report.description)) < 2:
        return []
    candidates = Complaint.objects.filter(
        service=report.service,
        confidential=False,
        status__in=[S.RECEIVED, S.VERIFIED, S.FORWARDED, S.IN_PROGRESS],
    ).only(
        "pk",
        "reference",
        "title",
        "search_terms",
        "latitude",
        "longitude",
        "region_code",
        "received_at",
        "status",
        "service_id",
    )
    region = report.region_code.replace(".", "")
    found = []
    for candidate in candidates.order_by("-received_at")[:500]:
        near = bool(region) and len(region) == 10 and candidate.region_code == region
        if not near and report.latitude is not None and candidate.latitude is not None:
            near = (
                _distance_m(report.latitude, report.longitude, candidate.latitude, candidate.longitude)
                <= DUPLICATE_RADIUS_M
            )
        if near and similar_text(terms, candidate.search_terms):
            found.append(candidate)
            if len(found) == limit:
                break
    return found


# --- the periodic job ---------------------------------------------------------------------------------------
def escalate_overdue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Escalate to the agency's supervisors at 80% of the deadline (level 1) and when late (level 2); close
    answered reports whose reopening window has passed. Idempotent: each level is reached once per clock."""
    now = now or timezone.now()
    counts = {"warned": 0, "late": 0, "closed": 0}
    due = Complaint.objects.filter(status__in=OPEN, escalation_level__lt=2, escalate_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().select_related("agency", "service").get(pk=pk)
            level = 2 if now >= complaint.due_at else 1
            if complaint.status not in OPEN or complaint.escalation_level >= level:
                continue
            complaint.escalation_level = level
            complaint.save(update_fields=["escalation_level", "updated_at"])
            _record(
                complaint, Action.COMPLAINT_ESCALATED, None, level=level, due_at=complaint.due_at.isoformat()
            )
            for supervisor in staff_of(complaint.agency, roles.SUPERVISOR):
                notify_staff(
                    user=supervisor,
                    urgency="darurat" if complaint.urgency == U.DARURAT else "mendesak",
                    template="complaint_escalated",
                    context={**_staff_context(complaint), "level": level},
                )
            counts["late" if level == 2 else "warned"] += 1
    today = now.astimezone(deadlines.JAKARTA).date()
    expired = Complaint.objects.filter(status=S.ANSWERED, reopen_until__lt=today).values_list("pk", flat=True)
    for pk in list(expired):
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().get(pk=pk)
            if complaint.status != S.ANSWERED:
                continue
            transitions.move(complaint, S.CLOSED)
            complaint.closed_at = now
            _save(complaint, "status", "closed_at")
            _record(complaint, Action.COMPLAINT_CLOSED, None, reason="reopen_window_passed")
            counts["closed"] += 1
    return counts

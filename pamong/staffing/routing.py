"""Every notification to a staff member goes through here (issue 17), routed by urgency:

- *darurat*: now, at any hour, to the named person or the on-duty primary of the function; not acknowledged within
  15 minutes → the backup; again 15 minutes → the agency's supervisors;
- *mendesak*: held until the recipient's next working moment (their pattern, time zone, leave, the calendar);
- *biasa*: held for the daily digest sent at the start of the recipient's next working day.

Nothing non-urgent reaches anyone outside their working hours, on leave, on a weekend or a holiday: it waits as a
held StaffNotice and the periodic job (`route_due`, pamong.staffing.tasks) releases it. Messages themselves go
through the outbox (pamong.notify): staffing decides *who* and *when*, notify decides *how*.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.notify import services as notify

from . import hours
from .models import Function, Leave, Rota, Shift, StaffNotice, Urgency, WorkingPattern

ESCALATE_AFTER = dt.timedelta(minutes=15)
LEVEL_NAMED, LEVEL_BACKUP, LEVEL_SUPERVISOR = 0, 1, 2
# Who covers a function when the agency has no published rota for that moment: today's role holders.
FALLBACK_ROLE = {
    Function.ALERTS: roles.ANALIS,
    Function.COMPLAINTS: roles.SUPERVISOR,
    Function.COUNTER: roles.PETUGAS_LOKET,
    Function.REVIEW: roles.PETUGAS,
}


_replayed_at: ContextVar[dt.datetime | None] = ContextVar("staffing_replayed_at", default=None)


def now_() -> dt.datetime:
    """The routing's clock: the real time, or the moment a demo replay set (`replaying_at`)."""
    return _replayed_at.get() or timezone.now()


@contextmanager
def replaying_at(moment: dt.datetime) -> Iterator[None]:
    """Route as if it were `moment` (the demo replays a week of notices through the real routing)."""
    token = _replayed_at.set(moment)
    try:
        yield
    finally:
        _replayed_at.reset(token)


class UnknownUrgency(ValueError):
    pass


# Routed like a function but never on a rota: what a supervisor must look at (diskresi records, review patterns).
SUPERVISION = "supervision"


def _check(urgency: str, function: str | None = None) -> None:
    if urgency not in Urgency.values:
        raise UnknownUrgency(f"urgency must be one of {Urgency.values}, not {urgency!r}")
    if function is not None and function not in {*Function.values, SUPERVISION}:
        raise ValueError(f"function must be one of {Function.values} or {SUPERVISION!r}, not {function!r}")


# --- who and when -----------------------------------------------------------------------------------------------


def pattern_of(user, *, around: dt.datetime | None = None) -> hours.Pattern:
    """The person's working pattern with their leave days (from a week before `around` to SEARCH_DAYS after)."""
    around = around or now_()
    row = WorkingPattern.objects.filter(user=user).first()
    first = around.date() - dt.timedelta(days=7)
    last = around.date() + dt.timedelta(days=hours.SEARCH_DAYS)
    leave = set()
    for first_day, last_day in Leave.objects.filter(
        user=user, last_day__gte=first, first_day__lte=last
    ).values_list("first_day", "last_day"):
        day = first_day
        while day <= last_day:
            leave.add(day)
            day += dt.timedelta(days=1)
    if row is None:
        return hours.Pattern(leave=frozenset(leave))
    return hours.Pattern(
        time_zone=row.time_zone,
        weekdays=frozenset(row.weekdays),
        start=_time(row.start),
        end=_time(row.end),
        flexible=row.flexible,
        core_start=_time(row.core_start),
        core_end=_time(row.core_end),
        leave=frozenset(leave),
    )


def _time(value) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def on_leave(user, day: dt.date) -> bool:
    return Leave.objects.filter(user=user, first_day__lte=day, last_day__gte=day).exists()


def on_duty(agency, function: str, at: dt.datetime | None = None) -> Shift | None:
    """The published shift of `function` covering `at`, or None."""
    at = at or now_()
    return (
        Shift.objects.select_related("primary", "backup")
        .filter(
            rota__agency=agency,
            rota__status=Rota.Status.PUBLISHED,
            function=function,
            starts_at__lte=at,
            ends_at__gt=at,
        )
        .order_by("-rota__published_at")
        .first()
    )


def fallback_staff(agency, function: str):
    """The agency's active holders of the function's role (who was told before rotas existed)."""
    return (
        User.objects.filter(agency=agency, groups__name=FALLBACK_ROLE[function], is_active=True)
        .distinct()
        .order_by("pk")
    )


def supervisors_of(agency, *, exclude: set[int] = frozenset()):
    return (
        User.objects.filter(agency=agency, groups__name=roles.SUPERVISOR, is_active=True)
        .exclude(pk__in=exclude)
        .distinct()
        .order_by("pk")
    )


# --- the interface every module calls ---------------------------------------------------------------------------


def notify_staff(*, user, urgency: str, template: str, context: dict) -> None:
    """One named staff member, by urgency. Call inside the caller's transaction: delivery starts after commit."""
    _check(urgency)
    _route(
        user,
        agency=getattr(user, "agency", None),
        function="",
        urgency=urgency,
        template=template,
        context=context,
    )


def notify_on_duty(*, agency, function: str, urgency: str, template: str, context: dict) -> None:
    """Whoever is on duty for `function` in `agency`: the rota's primary (the backup when the primary is on leave);
    without a published rota, every holder of the function's role (so nothing is lost before rotas exist)."""
    _check(urgency, function)
    now = now_()
    shift = on_duty(agency, function, now) if function != SUPERVISION else None
    if shift is not None:
        available = [
            person
            for person in (shift.primary, shift.backup)
            if not on_leave(person, timezone.localtime(now).date())
        ]
        recipients = available[:1] or [shift.backup]
    elif function == SUPERVISION:
        recipients = list(supervisors_of(agency))
    else:
        recipients = list(fallback_staff(agency, function))
    if not recipients:  # nobody holds the function: its supervisors, else (but for alerts, which an officer
        # cannot act on) its officers, else the platform's operators (superusers): a message never reaches nobody
        recipients = (
            list(supervisors_of(agency))
            or (list(fallback_staff(agency, Function.REVIEW)) if function != Function.ALERTS else [])
            or list(User.objects.filter(is_superuser=True, is_active=True).order_by("pk"))
        )
    for person in recipients:
        _route(person, agency=agency, function=function, urgency=urgency, template=template, context=context)


def _route(
    user,
    *,
    agency,
    function: str,
    urgency: str,
    template: str,
    context: dict[str, Any],
    level: int = 0,
    chain_id: int | None = None,
) -> StaffNotice:
    now = now_()
    pattern = pattern_of(user, around=now)
    if urgency == Urgency.DARURAT:
        deliver_at = now
    elif urgency == Urgency.MENDESAK:
        deliver_at = _or_now(hours.next_working_moment, pattern, now)
    else:
        deliver_at = _or_now(hours.next_digest_time, pattern, now)
    notice = StaffNotice.objects.create(
        recipient=user,
        agency=agency,
        function=function,
        urgency=urgency,
        template=template,
        context={**context, "urgency": urgency},  # a message may say how urgent it is
        created_at=now,
        deliver_at=deliver_at,
        level=level,
        chain_id=chain_id,
    )
    if urgency == Urgency.DARURAT:
        if chain_id is None:
            notice.chain_id = notice.pk
        notice.escalate_at = now + ESCALATE_AFTER if level < LEVEL_SUPERVISOR else None
        notice.save(update_fields=["chain_id", "escalate_at"])
        _send(notice, pattern, now)
    elif urgency == Urgency.MENDESAK and deliver_at <= now:
        _send(notice, pattern, now)
    return notice


def _or_now(when, pattern: hours.Pattern, now: dt.datetime) -> dt.datetime:
    try:
        return when(pattern, now)
    except hours.NeverAtWork:  # nobody can wait four months: deliver at once rather than never
        return now


def ack_path(notice: StaffNotice) -> str:
    return f"/staf/terima/{notice.token}/"


def _send(notice: StaffNotice, pattern: hours.Pattern, now: dt.datetime) -> None:
    footer = ""
    if notice.urgency == Urgency.DARURAT:
        with translation.override("id"):
            footer = render_to_string(
                "staffing/ack_footer.txt", {"url": ack_path(notice), "code": reply_code(notice)}
            ).strip()
    # On the channels the person has first; an emergency ahead of any queue of citizen notices (issue 13).
    sent = notify.notify_user(
        user=notice.recipient,
        template=notice.template,
        context=notice.context,
        channels=notify.reachable_first(notice.recipient),
        immediate=notice.urgency == Urgency.DARURAT,
    )
    for row in sent if footer else ():
        # The acknowledgement link is staffing's: appended to the outbox row in this transaction, before the
        # outbox sends it (after commit), so notify and the callers' templates stay as they are.
        row.body = f"{row.body}\n\n{footer}"
        row.save(update_fields=["body"])
    notice.status = StaffNotice.Status.SENT
    notice.sent_at = now
    notice.outside_hours = not hours.is_at_work(pattern, now)
    notice.save(update_fields=["status", "sent_at", "outside_hours"])


# --- the periodic job: release what waited, send digests, escalate --------------------------------------------


def route_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Release held *mendesak* notices whose time came, send each person's *biasa* digest, escalate unacknowledged
    *darurat* notices. Idempotent; each person's work runs in its own transaction."""
    now = now or now_()
    counts = {"released": 0, "digests": 0, "escalated": 0}
    held = StaffNotice.objects.filter(status=StaffNotice.Status.HELD, deliver_at__lte=now)
    for user_id in held.order_by().values_list("recipient_id", flat=True).distinct():
        released, digest = _release_for(user_id, now)
        counts["released"] += released
        counts["digests"] += digest
    due = StaffNotice.objects.filter(
        urgency=Urgency.DARURAT, status=StaffNotice.Status.SENT, escalate_at__lte=now
    ).values_list("pk", flat=True)
    for notice_id in list(due):
        counts["escalated"] += _escalate(notice_id, now)
    return counts


def _release_for(user_id: int, now: dt.datetime) -> tuple[int, int]:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        pattern = pattern_of(user, around=now)
        notices = list(
            StaffNotice.objects.select_for_update()
            .filter(recipient=user, status=StaffNotice.Status.HELD, deliver_at__lte=now)
            .order_by("created_at", "pk")
        )
        if not hours.is_at_work(pattern, now):
            # Leave entered (or a pattern changed) since the notice was written: it waits again.
            later = _or_now(hours.next_working_moment, pattern, now)
            if later > now:
                StaffNotice.objects.filter(pk__in=[n.pk for n in notices]).update(deliver_at=later)
                return 0, 0
        urgent = [n for n in notices if n.urgency == Urgency.MENDESAK]
        digest = [n for n in notices if n.urgency == Urgency.BIASA]
        for notice in urgent:
            _send(notice, pattern, now)
        if digest:
            items = [_subject(n) for n in digest]
            notify.notify_user(
                user=user, template="staff_digest", context={"items": items, "count": len(items)}
            )
            outside = not hours.is_at_work(pattern, now)
            StaffNotice.objects.filter(pk__in=[n.pk for n in digest]).update(
                status=StaffNotice.Status.SENT, sent_at=now, outside_hours=outside
            )
        return len(urgent), 1 if digest else 0


def _subject(notice: StaffNotice) -> str:
    with translation.override("id"):
        return (
            render_to_string(f"notify/{notice.template}.txt", notice.context)
            .strip()
            .partition("\n")[0]
            .strip()
        )


def _escalate(notice_id: int, now: dt.datetime) -> int:
    with transaction.atomic():
        notice = (
            StaffNotice.objects.select_for_update().select_related("recipient").filter(pk=notice_id).first()
        )
        if notice is None or notice.escalate_at is None or notice.escalate_at > now:
            return 0
        notice.escalate_at = None
        notice.save(update_fields=["escalate_at"])
        if StaffNotice.objects.filter(chain_id=notice.chain_id, acknowledged_at__isnull=False).exists():
            return 0
        told = set(
            StaffNotice.objects.filter(chain_id=notice.chain_id).values_list("recipient_id", flat=True)
        )
        level, recipients = _next_in_line(notice, told, now)
        if not recipients:
            return 0
        for person in recipients:
            _route(
                person,
                agency=notice.agency,
                function=notice.function,
                urgency=Urgency.DARURAT,
                template=notice.template,
                context=notice.context,
                level=level,
                chain_id=notice.chain_id,
            )
        audit.record_event(
            actor=None,
            action=Action.STAFF_NOTICE_ESCALATED,
            subject=f"staffing.notice:{notice.chain_id}",
            data={
                "from": f"user:{notice.recipient_id}",
                "to": [f"user:{p.pk}" for p in recipients],
                "level": level,
            },
        )
        return 1


def _next_in_line(notice: StaffNotice, told: set[int], now: dt.datetime):
    agency = notice.agency or notice.recipient.agency
    if notice.level == LEVEL_NAMED:
        backup = _backup_of(notice, now)
        if (
            backup is not None
            and backup.pk not in told
            and not on_leave(backup, timezone.localtime(now).date())
        ):
            return LEVEL_BACKUP, [backup]
    if agency is None:
        return LEVEL_SUPERVISOR, []
    return LEVEL_SUPERVISOR, list(supervisors_of(agency, exclude=told))


def _backup_of(notice: StaffNotice, now: dt.datetime):
    """The backup of the shift in which the recipient is primary (for the notice's function, or any function)."""
    shifts = Shift.objects.select_related("backup").filter(
        rota__status=Rota.Status.PUBLISHED, primary=notice.recipient, starts_at__lte=now, ends_at__gt=now
    )
    if notice.function:
        shifts = shifts.filter(function=notice.function)
    shift = shifts.first()
    return shift.backup if shift else None


# --- one-click acknowledgement ----------------------------------------------------------------------------------


def acknowledge(*, token: str, actor=None, via: str = "link") -> StaffNotice | None:
    """Acknowledge the notice with this token and end its chain (no further escalation). None for a token that is
    not known. Idempotent: a second click changes nothing. `via`: "link", or "reply:<channel>" (audited)."""
    with transaction.atomic():
        notice = StaffNotice.objects.select_for_update().filter(token=token).first()
        if notice is None:
            return None
        if notice.acknowledged_at is not None:
            return notice
        now = now_()
        chain = Q(pk=notice.pk) | (Q(chain_id=notice.chain_id) if notice.chain_id else Q(pk=notice.pk))
        StaffNotice.objects.filter(chain).update(escalate_at=None)
        notice.acknowledged_at = now
        notice.acknowledged_by = actor if getattr(actor, "is_authenticated", False) else notice.recipient
        notice.status = StaffNotice.Status.ACKNOWLEDGED
        notice.save(update_fields=["acknowledged_at", "acknowledged_by", "status"])
        audit.record_event(
            actor=notice.acknowledged_by,
            action=Action.STAFF_NOTICE_ACKNOWLEDGED,
            subject=f"staffing.notice:{notice.chain_id or notice.pk}",
            data={
                "level": notice.level,
                "minutes": int((now - notice.created_at).total_seconds() // 60),
                "via": via,
            },
        )
        return notice


# --- acknowledgement by reply -----------------------------------------------------------------------------------
# A staff member may answer the WhatsApp/SMS message or the e-mail instead of clicking: "OK", "1", "ya"... The
# gateway's signed webhook (pamong.staffing.api) names the sender; their open *darurat* notice of the last day is
# acknowledged. With several open, the reply must carry the notice's four-digit code ("OK 4821", in the footer).

ACK_WORDS = frozenset(
    {"ok", "oke", "okay", "okey", "1", "y", "ya", "iya", "yes", "siap", "terima", "diterima"}
)
REPLY_WINDOW = dt.timedelta(hours=24)


def reply_code(notice: StaffNotice) -> str:
    """Four digits derived from the notice's secret token: they name it in a reply, they grant nothing alone."""
    return f"{int(hashlib.sha256(notice.token.encode()).hexdigest(), 16) % 10000:04d}"


def parse_reply(text: str) -> tuple[bool, str]:
    """(is it an acknowledgement, the code it names or ""). Only the first line of the answer counts: an e-mail
    reply quotes the original below it."""
    first = next(
        (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(">")), ""
    )
    words = re.findall(r"[a-z0-9]+", first.lower())
    if not words or words[0] not in ACK_WORDS:
        return False, ""
    return True, next((w for w in words[1:] if re.fullmatch(r"[0-9]{4}", w)), "")


@dataclass(frozen=True)
class ReplyOutcome:
    # acknowledged | unknown_sender | reply_not_understood | nothing_to_acknowledge | which_notice
    code: str
    notice: StaffNotice | None = None
    codes: tuple[str, ...] = ()

    @property
    def acknowledged(self) -> bool:
        return self.code == "acknowledged"


def acknowledge_reply(*, sender, text: str, channel: str) -> ReplyOutcome:
    """Acknowledge the notice a staff member answered (see above). Nothing changes unless it is acknowledged."""
    if sender is None:
        return ReplyOutcome("unknown_sender")
    understood, code = parse_reply(text)
    if not understood:
        return ReplyOutcome("reply_not_understood")
    open_notices = list(
        StaffNotice.objects.filter(
            recipient=sender,
            urgency=Urgency.DARURAT,
            status=StaffNotice.Status.SENT,
            sent_at__gte=now_() - REPLY_WINDOW,
        )
        .exclude(  # a chain someone else already acknowledged is no longer open
            chain_id__in=StaffNotice.objects.filter(
                acknowledged_at__isnull=False, chain_id__isnull=False
            ).values("chain_id")
        )
        .order_by("-sent_at", "-pk")
    )
    named = [n for n in open_notices if reply_code(n) == code] if code else open_notices
    if not named:
        return ReplyOutcome("nothing_to_acknowledge")
    if len(named) > 1:
        return ReplyOutcome("which_notice", codes=tuple(reply_code(n) for n in named))
    notice = acknowledge(token=named[0].token, actor=sender, via=f"reply:{channel}")
    return ReplyOutcome("acknowledged", notice=notice)

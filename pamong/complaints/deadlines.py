"""Every clock of a complaint. Working days come from pamong.core.workdays (weekends, national holidays and cuti
bersama excluded); *darurat* counts clock hours.

Defaults (overridable per agency with a ComplaintClock row), from published service standards of SP4N-LAPOR!
(PermenPANRB 62/2018 on the national complaints system): *ringan* 2, *normatif* 5, *tidak berkadar
pengawasan* 14, *berkadar pengawasan* 60 working days, *darurat* 4 hours. Forwarding (disposisi) within 3
working days, a first response within 5, and the reporter may reopen within 10 working days of the answer.

A deadline of n working days ends at the end (24:00 Asia/Jakarta) of the n-th working day after the day of
receipt. Escalation is at 80% of the working time between receipt and the deadline (non-working days do not
count), and again when the deadline has passed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pamong.core.workdays import add_working_days, is_working_day, working_days_between

from .models import Complaint, ComplaintClock

U = Complaint.Urgency
JAKARTA = ZoneInfo("Asia/Jakarta")
DEFAULTS: dict[str, int] = {
    U.DARURAT: 4,  # clock hours
    U.RINGAN: 2,
    U.NORMATIF: 5,
    U.TIDAK_BERKADAR: 14,
    U.BERKADAR: 60,
}
FORWARD_DAYS = 3
RESPONSE_DAYS = 5
REOPEN_DAYS = 10
ESCALATION_FRACTION = 0.8


def clock_amount(agency, urgency: str) -> int:
    """The agency's own clock for this urgency, else the default."""
    own = (
        ComplaintClock.objects.filter(agency=agency, urgency=urgency).values_list("amount", flat=True).first()
    )
    return own if own is not None else DEFAULTS[urgency]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=JAKARTA)


def end_of_working_day(received_at: dt.datetime, n: int) -> dt.datetime:
    """The end of the n-th working day after the local day of `received_at`."""
    day = add_working_days(received_at.astimezone(JAKARTA).date(), n)
    return _midnight(day + dt.timedelta(days=1))


def answer_due(received_at: dt.datetime, urgency: str, amount: int) -> dt.datetime:
    if urgency == U.DARURAT:
        return received_at + dt.timedelta(hours=amount)
    return end_of_working_day(received_at, amount)


def working_point(start: dt.datetime, end: dt.datetime, fraction: float) -> dt.datetime:
    """The instant at which `fraction` of the working time in [start, end] has passed (whole working days count,
    weekends and holidays do not). If there is no working time at all, `end`."""
    start_local, end_local = start.astimezone(JAKARTA), end.astimezone(JAKARTA)
    segments: list[tuple[dt.datetime, dt.datetime]] = []
    day = start_local.date()
    while day <= end_local.date():
        if is_working_day(day):
            begin = max(start_local, _midnight(day))
            finish = min(end_local, _midnight(day + dt.timedelta(days=1)))
            if finish > begin:
                segments.append((begin, finish))
        day += dt.timedelta(days=1)
    remaining = sum((finish - begin for begin, finish in segments), dt.timedelta()) * fraction
    for begin, finish in segments:
        if finish - begin >= remaining:
            return begin + remaining
        remaining -= finish - begin
    return end


def escalation_point(received_at: dt.datetime, due_at: dt.datetime, urgency: str) -> dt.datetime:
    if urgency == U.DARURAT:
        return received_at + (due_at - received_at) * ESCALATION_FRACTION
    return working_point(received_at, due_at, ESCALATION_FRACTION)


def set_clocks(complaint: Complaint, *, start: dt.datetime | None = None) -> None:
    """Set forward, first-response, answer and escalation times from `start` (default: receipt), in memory."""
    start = start or complaint.received_at
    complaint.forward_due = end_of_working_day(complaint.received_at, FORWARD_DAYS)
    complaint.response_due = end_of_working_day(complaint.received_at, RESPONSE_DAYS)
    amount = clock_amount(complaint.agency, complaint.urgency)
    complaint.due_at = answer_due(start, complaint.urgency, amount)
    complaint.escalate_at = escalation_point(start, complaint.due_at, complaint.urgency)
    complaint.escalation_level = 0


def reopen_until(answered_at: dt.datetime) -> dt.date:
    return add_working_days(answered_at.astimezone(JAKARTA).date(), REOPEN_DAYS)


def working_days_taken(received_at: dt.datetime, finished_at: dt.datetime) -> int:
    """Working days from the day of receipt to the day it was finished (the day of receipt does not count)."""
    return working_days_between(
        received_at.astimezone(JAKARTA).date(), finished_at.astimezone(JAKARTA).date()
    )

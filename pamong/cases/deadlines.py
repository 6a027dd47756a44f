"""Every legal clock of a case, in working days (holidays and cuti bersama excluded; pamong.core.workdays).

One place for the law's deadlines, so a newcomer (and a lawyer) can check them against their articles:
- decision due: `service.decision_days` after the application is complete (UU 30/2014 Art. 53 as amended by
  UU 6/2023; past it the application is deemed granted);
- information requested: the clock pauses and the deadline moves by the paused working days;
- objection (keberatan): filed within `service.objection_days` of the decision (UU 30/2014 Art. 77(1)),
  decided within 10 working days (Art. 77(4)), else deemed granted (Art. 77(5));
- appeal (banding): filed within 10 working days of the objection decision (Art. 78(1)), decided within
  `service.appeal_days` (Art. 78(4)), else deemed granted (Art. 78(5)).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pamong.core.workdays import add_working_days, working_days_between

OBJECTION_DECISION_DAYS = 10  # UU 30/2014 Art. 77(4): the agency decides an objection within 10 working days
APPEAL_FILING_DAYS = (
    10  # UU 30/2014 Art. 78(1): an appeal is filed within 10 working days of the objection decision
)
DEEMED_APPLICATION_BASIS = "UU 30/2014 Pasal 53 sebagaimana diubah dengan UU 6/2023"
DEEMED_OBJECTION_BASIS = "UU 30/2014 Pasal 77 ayat (5)"
DEEMED_APPEAL_BASIS = "UU 30/2014 Pasal 78 ayat (5)"


def local_today() -> dt.date:
    return timezone.localdate()


def decision_due(service, *, complete_on: dt.date) -> dt.date:
    """The last day to decide an application completed on `complete_on`."""
    return add_working_days(complete_on, service.decision_days)


def resumed_due(due: dt.date, *, paused_since: dt.date, resumed_on: dt.date) -> tuple[dt.date, int]:
    """(the new decision date, the paused working days) when the citizen answers an information request."""
    paused = working_days_between(paused_since, resumed_on)
    return add_working_days(due, paused), paused


NOTICE_DAYS = (
    5  # the right to be heard before an automated refusal is final (UU 30/2014 Art. 7(2) f, Art. 51)
)
DISCRETION_REVIEW_DAYS = 5  # a supervisor acknowledges a diskresi record within 5 working days


def notice_response_due(*, issued_on: dt.date) -> dt.date:
    """The last day to respond to a notice of intended refusal issued on `issued_on`."""
    return add_working_days(issued_on, NOTICE_DAYS)


def discretion_review_due(*, recorded_on: dt.date) -> dt.date:
    return add_working_days(recorded_on, DISCRETION_REVIEW_DAYS)


def objection_deadline(decision) -> dt.date:
    """The last day to object to `decision` (UU 30/2014 Art. 77(1); the service may set its own period)."""
    decided_on = timezone.localtime(decision.decided_at).date()
    return add_working_days(decided_on, decision.application.service.objection_days)


def objection_due(*, filed_on: dt.date) -> dt.date:
    return add_working_days(filed_on, OBJECTION_DECISION_DAYS)


def appeal_deadline(objection) -> dt.date:
    """The last day to appeal an objection decision (UU 30/2014 Art. 78(1))."""
    return add_working_days(timezone.localtime(objection.decided_at).date(), APPEAL_FILING_DAYS)


def appeal_due(service, *, filed_on: dt.date) -> dt.date:
    return add_working_days(filed_on, service.appeal_days)

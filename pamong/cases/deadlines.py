"""Every legal clock of a case, in working days (holidays and cuti bersama excluded; pamong.core.workdays).

One place for the law's deadlines, so a newcomer (and a lawyer) can check them against their articles:
- decision due: `service.decision_days` after the application is complete (UU 30/2014 Art. 53 as amended by
  UU 6/2023; past it the application is deemed granted);
- information requested: the clock pauses and the deadline moves by the paused working days;
- objection (keberatan): filed within `service.objection_days` of the decision being *made known* to the
  citizen (UU 30/2014 Art. 77(1): "sejak diumumkannya Keputusan tersebut"), decided within 10 working days
  (Art. 77(4)), else deemed granted (Art. 77(5));
- appeal (banding): filed within 10 working days of the objection decision being made known (Art. 78(1)),
  decided within `service.appeal_days` (Art. 78(4)), else deemed granted (Art. 78(5)).

When is a decision made known (issue 15)? The first of: a notice about the case delivered to one of the
citizen's channels, read on the site, or handed over as a printed letter at a counter
(`pamong.notify.services.notified_at`). A letter sent by post, or a notice nobody received, would keep a case
open for ever; so the clock starts at the latest `NOTIFICATION_UPPER_BOUND_DAYS` working days after the
decision (published here and on the status page): twice the longest delivery period the agency owes (10
working days for mass decisions, DESIGN §3), which leaves a posted letter time to arrive. Until the citizen is
told, the page shows the latest possible date.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pamong.core.workdays import add_working_days, working_days_between
from pamong.notify import services as notify

OBJECTION_DECISION_DAYS = 10  # UU 30/2014 Art. 77(4): the agency decides an objection within 10 working days
APPEAL_FILING_DAYS = (
    10  # UU 30/2014 Art. 78(1): an appeal is filed within 10 working days of the objection decision
)
# The published upper bound: a decision counts as made known at the latest this many working days after it.
NOTIFICATION_UPPER_BOUND_DAYS = 20
OBJECTION_CLOCK_BASIS = "UU 30/2014 Pasal 77 ayat (1)"
DEEMED_APPLICATION_BASIS = "UU 30/2014 Pasal 53 sebagaimana diubah dengan UU 6/2023"
DEEMED_OBJECTION_BASIS = "UU 30/2014 Pasal 77 ayat (5)"
DEEMED_APPEAL_BASIS = "UU 30/2014 Pasal 78 ayat (5)"


# How long a citizen has to answer an information request: Pamong's default, not a statutory period (the law
# pauses the clock, UU 30/2014 Art. 53 as amended, but sets no answering time); after it the request ends and the
# clock runs again, so a request can never hold a case for ever.
INFORMATION_ANSWER_DAYS = 10


def local_today() -> dt.date:
    return timezone.localdate()


def decision_due(service, *, complete_on: dt.date) -> dt.date:
    """The last day to decide an application completed on `complete_on`."""
    return add_working_days(complete_on, service.decision_days)


def resumed_due(due: dt.date, *, paused_since: dt.date, resumed_on: dt.date) -> tuple[dt.date, int]:
    """(the new decision date, the paused working days) when the citizen answers an information request."""
    paused = working_days_between(paused_since, resumed_on)
    return add_working_days(due, paused), paused


def made_known_on(application, *, decided_at: dt.datetime) -> tuple[dt.date, bool]:
    """(the day a decision taken at `decided_at` counts as made known, whether the citizen really was told):
    the first delivery, reading or hand-over of a notice about the case since then, or the upper bound."""
    bound = add_working_days(timezone.localtime(decided_at).date(), NOTIFICATION_UPPER_BOUND_DAYS)
    told = notify.notified_at(subject_ref=f"cases.application:{application.pk}", since=decided_at)
    if told is None:
        return bound, False
    return min(timezone.localtime(told).date(), bound), True


def information_answer_by(*, requested_on: dt.date) -> dt.date:
    return add_working_days(requested_on, INFORMATION_ANSWER_DAYS)


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
    """The last day to object to `decision`: `service.objection_days` working days after it was made known
    (UU 30/2014 Art. 77(1)); the latest possible date while the citizen has not been told."""
    application = decision.application
    start, _told = made_known_on(application, decided_at=decision.decided_at)
    return add_working_days(start, application.service.objection_days)


def objection_due(*, filed_on: dt.date) -> dt.date:
    return add_working_days(filed_on, OBJECTION_DECISION_DAYS)


def appeal_deadline(objection) -> dt.date:
    """The last day to appeal an objection decision: 10 working days after it was made known (UU 30/2014
    Art. 78(1)), with the same upper bound."""
    start, _told = made_known_on(objection.application, decided_at=objection.decided_at)
    return add_working_days(start, APPEAL_FILING_DAYS)


def appeal_due(service, *, filed_on: dt.date) -> dt.date:
    return add_working_days(filed_on, service.appeal_days)

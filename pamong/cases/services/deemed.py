"""Deemed approval (*fiktif positif*): what the state did not decide in time is granted by law."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pamong.core.formatting import format_date

from .. import deadlines, transitions
from ..models import Application, Decision, Objection
from .common import S, locked, notify_applicant, record_decision


def deem_overdue(*, today: dt.date | None = None) -> int:
    """Grant by law what was not decided in time: applications under review past their decision date, and
    objections and appeals past theirs (UU 30/2014 Art. 53, 77(5), 78(5)). Each in its own transaction."""
    today = today or deadlines.local_today()
    count = 0
    overdue = Application.objects.filter(status=S.UNDER_REVIEW, decision_due__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(overdue):
        count += _deem_application(pk, today)
    pending = Objection.objects.filter(status=Objection.Status.PENDING, due__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(pending):
        count += _deem_objection(pk, today)
    return count


def _deem_application(pk, today: dt.date) -> int:
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("service").get(pk=pk)
        if application.status != S.UNDER_REVIEW or application.decision_due >= today:
            return 0  # decided (or paused) in the meantime
        due = application.decision_due
        _grant_by_law(
            application,
            due=due,
            reasons=f"Tidak ada keputusan sampai batas waktu {format_date(due)}; "
            "permohonan dianggap dikabulkan menurut hukum.",
            legal_basis=deadlines.DEEMED_APPLICATION_BASIS,
            extra={"decision_due": due.isoformat()},
        )
    return 1


def _deem_objection(pk: int, today: dt.date) -> int:
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=pk)
        if objection.status != Objection.Status.PENDING or objection.due >= today:
            return 0
        application = locked(objection.application)
        appeal = objection.stage == Objection.Stage.APPEAL
        objection.status = Objection.Status.DEEMED_GRANTED
        objection.decided_at = timezone.now()
        objection.save()
        _grant_by_law(
            application,
            due=objection.due,
            reasons=f"{objection.get_stage_display()} tidak diputus sampai {format_date(objection.due)}; "
            "dianggap dikabulkan menurut hukum.",
            legal_basis=deadlines.DEEMED_APPEAL_BASIS if appeal else deadlines.DEEMED_OBJECTION_BASIS,
            extra={"objection": objection.pk},
        )
    return 1


def _grant_by_law(
    application: Application, *, due: dt.date, reasons: str, legal_basis: str, extra: dict
) -> None:
    """Fiktif positif: the state was silent past its own deadline, so the law grants; recorded and told."""
    record_decision(
        application,
        kind=Decision.Kind.DEEMED,
        outcome=Decision.Outcome.GRANT,
        final=True,
        actor=None,
        reasons=reasons,
        legal_basis=legal_basis,
        extra=extra,
    )
    transitions.move(application, S.DEEMED_GRANTED)
    application.save()
    notify_applicant(application, "deemed_granted", due=format_date(due))

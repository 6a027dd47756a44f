"""Writes of the surveys module (CONVENTIONS §2): a citizen's answer, and an agency's follow-up actions. Each runs
in one transaction with its audit entry. The answer's audit entry names no person and no application: it says
that a response to the service was recorded in a month, with its scores, so the count stays tamper-evident."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.audit.services import Action, record_event
from pamong.cases.models import Application
from pamong.cases.selectors import final_decision
from pamong.catalog.models import Agency, Service
from pamong.core.crypto import blind_index
from pamong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .forms import SurveyAnswers
from .ikm import ELEMENTS, SurveyError, parse_period
from .models import FollowUpAction, SurveyResponse

RESPONDENT = "survey:respondent"  # the audit actor of every answer: never the person
FOLLOWUP_ROLES = {roles.SUPERVISOR, roles.ADMIN_INSTANSI}


def application_token(application: Application) -> str:
    """The keyed digest that lets each application be answered once without storing which one answered."""
    return blind_index(str(application.pk), purpose="survey")


def response_subject(service_slug: str) -> str:
    """The audit subject of a response: the service, never the application or the person."""
    return f"surveys.service:{service_slug}"


def response_data(*, month: dt.date, channel: str, scores: dict[str, int]) -> dict[str, Any]:
    """The audit data of a response: its month, channel and scores (what the counts are rebuilt from)."""
    return {"month": month.strftime("%Y-%m"), "channel": str(channel), "scores": scores}


def has_responded(application: Application) -> bool:
    return SurveyResponse.objects.filter(application_token=application_token(application)).exists()


def check_can_respond(application: Application) -> None:
    """A survey is offered once a final decision is made, and once per application."""
    if final_decision(application) is None:
        raise Conflict(
            _("The survey opens once the application has its final decision."), code="survey_not_yet_open"
        )
    if has_responded(application):
        raise Conflict(
            _("This application's survey has already been answered. Thank you."), code="survey_answered"
        )


def record_response(
    application: Application, *, channel: str, answers: SurveyAnswers, today: dt.date | None = None
) -> None:
    """Record one anonymous response for a decided application (the caller has checked who may answer)."""
    if channel not in SurveyResponse.Channel.values:
        raise ValidationFailed(_("Unknown survey channel."), code="survey_channel_unknown")
    check_can_respond(application)
    day = today or timezone.localdate()
    month = day.replace(day=1)
    scores = {name: answers.scores[name] for name in ELEMENTS}
    try:
        with transaction.atomic():
            SurveyResponse.objects.create(
                service=application.service,
                application_token=application_token(application),
                channel=channel,
                month=month,
                comment=answers.comment,
                **answers.profile,
                **scores,
            )
            record_event(
                actor=RESPONDENT,
                action=Action.SURVEY_RESPONDED,
                subject=response_subject(application.service.slug),
                data=response_data(month=month, channel=channel, scores=scores),
            )
    except IntegrityError:  # answered at the same moment by another request: the unique token decides
        raise Conflict(
            _("This application's survey has already been answered. Thank you."), code="survey_answered"
        ) from None


def record_paper_response(
    service: Service, *, actor, answers: SurveyAnswers, month: dt.date
) -> SurveyResponse:
    """A paper questionnaire typed in by the agency (the regulation allows paper forms): no application to link,
    so its token is random. Only staff who may record follow-ups may type them in."""
    _require_followup_role(actor, service.agency_id)
    first = month.replace(day=1)
    if first > timezone.localdate():
        raise ValidationFailed(
            _("A paper questionnaire cannot come from a future month."), code="survey_month"
        )
    scores = {name: answers.scores[name] for name in ELEMENTS}
    with transaction.atomic():
        response = SurveyResponse.objects.create(
            service=service,
            application_token=blind_index(secrets.token_hex(16), purpose="survey-paper"),
            channel=SurveyResponse.Channel.PAPER,
            month=first,
            comment=answers.comment,
            **answers.profile,
            **scores,
        )
        record_event(
            actor=actor,
            action=Action.SURVEY_RESPONDED,
            subject=response_subject(service.slug),
            data=response_data(month=first, channel=SurveyResponse.Channel.PAPER, scores=scores),
        )
    return response


def _require_followup_role(actor, agency_id: int) -> None:
    if not roles.roles_of(actor) & FOLLOWUP_ROLES or actor.agency_id != agency_id:
        raise PermissionDenied(
            _("Only a supervisor or the administrator of this agency can record follow-up actions."),
            code="survey_followup_not_allowed",
        )


def record_followup(
    *,
    actor,
    agency: Agency,
    service: Service | None,
    period: str,
    element: str,
    action: str,
    responsible: str,
    due: dt.date | None,
) -> FollowUpAction:
    _require_followup_role(actor, agency.pk)
    if service is not None and service.agency_id != agency.pk:
        raise NotFound(_("Service not found."), code="service_not_found")
    errors: dict[str, str] = {}
    try:
        parse_period(period)
    except SurveyError:
        errors["period"] = _("Choose a period such as 2026, 2026-S1, 2026-Q3 or 2026-11.")
    if element not in ELEMENTS:
        errors["element"] = _("Choose the element the action improves.")
    action, responsible = action.strip(), responsible.strip()
    if not 10 <= len(action) <= 2000:
        errors["action"] = _("Describe the action in 10 to 2,000 characters.")
    if not 2 <= len(responsible) <= 200:
        errors["responsible"] = _("Name the unit in charge (2 to 200 characters).")
    if due is None:
        errors["due"] = _("Give the target date (YYYY-MM-DD).")
    if errors:
        raise ValidationFailed(
            _("Please correct the follow-up action."), code="followup_invalid", details=errors
        )
    with transaction.atomic():
        followup = FollowUpAction.objects.create(
            agency=agency,
            service=service,
            period=period,
            element=element,
            action=action,
            responsible=responsible,
            due=due,
            created_by=actor,
            created_at=timezone.now(),
        )
        record_event(
            actor=actor,
            action=Action.SURVEY_FOLLOWUP_RECORDED,
            subject=f"surveys.followup:{followup.pk}",
            data=_followup_data(followup),
        )
    return followup


def publish_followup(followup: FollowUpAction, *, actor, status: str | None = None) -> FollowUpAction:
    """Publish the action on the public pages (and set its status); publishing again updates the status."""
    _require_followup_role(actor, followup.agency_id)
    if status is not None and status not in FollowUpAction.Status.values:
        raise ValidationFailed(_("Unknown status."), code="followup_status_unknown")
    with transaction.atomic():
        locked = FollowUpAction.objects.select_for_update().get(pk=followup.pk)
        locked.published_at = locked.published_at or timezone.now()
        if status is not None:
            locked.status = status
        locked.save(update_fields=["published_at", "status"])
        record_event(
            actor=actor,
            action=Action.SURVEY_FOLLOWUP_PUBLISHED,
            subject=f"surveys.followup:{locked.pk}",
            data=_followup_data(locked),
        )
    return locked


def _followup_data(followup: FollowUpAction) -> dict[str, Any]:
    return {
        "agency": followup.agency_id,
        "service": followup.service_id,
        "period": followup.period,
        "element": followup.element,
        "action": followup.action,
        "responsible": followup.responsible,
        "due": followup.due.isoformat(),
        "status": followup.status,
        "published": followup.published_at is not None,
    }

"""Personal data held by surveys. A response holds no name, NIK or application id (only a keyed digest of the
application, for "one answer per application"), but its free-text comment may name people and its profile
(age band, sex, education, occupation) describes the respondent: both are exported to the person who answered,
blanked on erasure, and blanked two years after the survey month (the scores stay: they are the statistics).
Follow-up actions name the staff member who recorded them (accountability)."""

from __future__ import annotations

import datetime as dt

from pamong.cases.models import Application
from pamong.core.crypto import blind_index
from pamong.core.personal_data import PersonalData, declare

from .models import SurveyResponse

COMMENT_RETENTION_DAYS = 2 * 366
BLANK = {"comment": "", "age_band": "", "sex": "", "education": "", "occupation": ""}


def _responses_of(user):
    tokens = [
        blind_index(str(pk), purpose="survey")
        for pk in Application.objects.filter(applicant=user).values_list("pk", flat=True)
    ]
    return SurveyResponse.objects.filter(application_token__in=tokens)


def export(user) -> dict:
    rows = []
    for response in _responses_of(user).select_related("service").order_by("month", "pk"):
        rows.append(
            {
                "service": response.service.slug,
                "month": response.month.strftime("%Y-%m"),
                "channel": response.channel,
                "comment": response.comment,
                "age_band": response.age_band,
                "sex": response.sex,
                "education": response.education,
                "occupation": response.occupation,
            }
        )
    return {"survey_responses": rows} if rows else {}  # no section for someone who never answered


def erase(user) -> dict[str, int]:
    responses = list(_responses_of(user))
    for response in responses:  # one at a time: the comment is encrypted by the field on save
        for name, value in BLANK.items():
            setattr(response, name, value)
        response.save(update_fields=list(BLANK))
    return {"survey_responses_blanked": len(responses)}


def expire(now: dt.datetime, dry_run: bool) -> dict[str, int]:
    cutoff = (now.date() - dt.timedelta(days=COMMENT_RETENTION_DAYS)).replace(day=1)
    old = [  # the comment is encrypted: compared after reading, not in SQL
        response
        for response in SurveyResponse.objects.filter(month__lt=cutoff)
        if any(getattr(response, name) for name in BLANK)
    ]
    count = len(old)
    if not dry_run:
        for response in old:
            for name, value in BLANK.items():
                setattr(response, name, value)
            response.save(update_fields=list(BLANK))
    return {"survey_comments_expired": count}


declare(
    PersonalData(
        module="surveys",
        models=("surveys.SurveyResponse", "surveys.FollowUpAction"),
        retention="survey comments and respondent profile: 2 years after the survey month, then blanked; "
        "scores kept as statistics; follow-up actions: as long as the survey record (staff accountability)",
        export=export,
        erase=erase,
        expire=expire,
    )
)

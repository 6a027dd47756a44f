"""Reading a survey form (web page or counter kiosk): nine scores 1..4 required, a comment and the profile
optional. Returns the answers or a message per field; nothing is repaired."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from pamong.core.errors import ValidationFailed

from .ikm import ELEMENTS
from .models import SurveyResponse

PROFILE_FIELDS = {
    "age_band": SurveyResponse.AgeBand,
    "sex": SurveyResponse.Sex,
    "education": SurveyResponse.Education,
    "occupation": SurveyResponse.Occupation,
}
COMMENT_LIMIT = 1000


@dataclass(frozen=True)
class SurveyAnswers:
    scores: dict[str, int]
    comment: str = ""
    profile: dict[str, str] = field(default_factory=dict)


def clean_survey(data: Mapping[str, str]) -> SurveyAnswers:
    errors: dict[str, str] = {}
    scores: dict[str, int] = {}
    for name in ELEMENTS:
        raw = (data.get(name) or "").strip()
        if raw not in ("1", "2", "3", "4"):
            errors[name] = _("Choose one of the four answers.")
        else:
            scores[name] = int(raw)
    profile: dict[str, str] = {}
    for name, choices in PROFILE_FIELDS.items():
        raw = (data.get(name) or "").strip()
        if raw and raw not in choices.values:
            errors[name] = _("Choose one of the answers, or leave it empty.")
        profile[name] = raw
    comment = (data.get("comment") or "").strip()
    if len(comment) > COMMENT_LIMIT:
        errors["comment"] = _("Write at most 1,000 characters.")
    elif any(ord(ch) < 32 and ch not in "\n\r\t" for ch in comment):
        errors["comment"] = _("The comment contains characters that cannot be stored.")
    if errors:
        raise ValidationFailed(
            _("Please answer every question of the survey."), code="survey_invalid", details=errors
        )
    return SurveyAnswers(scores=scores, comment=comment, profile=profile)

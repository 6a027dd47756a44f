"""The published wording of the impact assessment (pamong.catalog.impact holds the points and the bands)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from . import impact

QUESTION_TEXT = {
    "rights": _("What does the decision affect for the person?"),
    "reversibility": _("Can a wrong decision be undone?"),
    "duration": _("How long does the effect of one decision last?"),
    "vulnerable": _("Are the people affected often vulnerable (poor, elderly, disabled, children)?"),
    "scale": _("How many decisions are made in a year?"),
    "automation": _("What does the machine decide?"),
    "data": _("Which data does the decision use?"),
}
ANSWER_TEXT = {
    "none": _("nothing of consequence"),
    "convenience": _("an administrative convenience"),
    "benefit": _("a benefit, a letter or a permit"),
    "basic_needs": _("basic needs or legal status"),
    "liberty": _("liberty or safety"),
    "easy": _("easily: apply again or object"),
    "effort": _("with effort"),
    "hard": _("with difficulty"),
    "irreversible": _("not at all"),
    "days": _("days"),
    "months": _("months"),
    "years": _("years"),
    "permanent": _("permanently"),
    "rarely": _("rarely"),
    "some": _("some of them"),
    "mostly": _("most of them"),
    "under_1000": _("fewer than 1,000"),
    "under_100000": _("fewer than 100,000"),
    "more": _("100,000 or more"),
    "recommends": _("it only recommends; a person decides"),
    "grants_only": _("it grants; a person decides every refusal"),
    "decides": _("it grants and refuses"),
    "form": _("only what the applicant writes"),
    "registries": _("personal data from government registries"),
    "sensitive": _("sensitive data (health, religion, biometrics, children)"),
}


def published(record: dict[str, Any]) -> dict[str, Any]:
    """The assessment as the register shows it: each question, the answer given and its points, the score."""
    answers = record.get("answers") or {}
    rows = [
        {
            "question": question,
            "question_text": str(QUESTION_TEXT[question]),
            "answer": answers.get(question, ""),
            "answer_text": str(ANSWER_TEXT.get(answers.get(question, ""), "")),
            "points": options.get(answers.get(question, ""), 0),
            "max_points": max(options.values()),
        }
        for question, options in impact.QUESTIONS.items()
    ]
    return {
        "rows": rows,
        "score": record.get("score"),
        "max": record.get("max"),
        "level": record.get("level"),
    }

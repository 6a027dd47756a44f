"""The algorithmic impact assessment that gives a service its impact level (issue 13), modelled on Canada's
Algorithmic Impact Assessment: a short published questionnaire kept in the service's pack, each answer worth
points, and the level read from the share of the maximum score (I up to a quarter, II up to a half, III up to
three quarters, IV above), exactly as the AIA's raw impact score bands. The level is computed, never typed.

Pure module (no Django): `pamong packs check` and the loader both use it. The question and answer wording
people read is in pamong.catalog.assessment (translated).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# question id -> answer id -> points. The order is the order of the published questionnaire.
QUESTIONS: dict[str, dict[str, int]] = {
    # What the decision affects for the person.
    "rights": {"none": 0, "convenience": 1, "benefit": 2, "basic_needs": 3, "liberty": 4},
    # Whether a wrong decision can be undone.
    "reversibility": {"easy": 0, "effort": 2, "hard": 3, "irreversible": 4},
    # How long the effect of one decision lasts.
    "duration": {"days": 0, "months": 1, "years": 2, "permanent": 3},
    # Whether those affected are often vulnerable (poor, elderly, disabled, children).
    "vulnerable": {"rarely": 0, "some": 1, "mostly": 3},
    # How many decisions a year.
    "scale": {"under_1000": 0, "under_100000": 1, "more": 2},
    # What the machine decides.
    "automation": {"recommends": 0, "grants_only": 1, "decides": 2},
    # Which data the decision uses.
    "data": {"form": 0, "registries": 1, "sensitive": 3},
}
MAX_SCORE = sum(max(points.values()) for points in QUESTIONS.values())
# Upper bound (share of MAX_SCORE, inclusive) of each level, as the AIA's bands.
BANDS = ((Fraction(1, 4), 1), (Fraction(1, 2), 2), (Fraction(3, 4), 3), (Fraction(1), 4))


@dataclass(frozen=True)
class Assessment:
    answers: dict[str, str]
    score: int
    level: int

    def as_record(self) -> dict:
        """What is stored with the service and published in the algorithm register."""
        return {"answers": dict(self.answers), "score": self.score, "max": MAX_SCORE, "level": self.level}


def level_for(score: int) -> int:
    share = Fraction(score, MAX_SCORE)  # exact: a score on a band's edge belongs to the lower level
    return next(level for bound, level in BANDS if share <= bound)


def problems(answers: dict[str, str]) -> list[tuple[str, str]]:
    """(question id, message) for every missing, unknown or wrongly answered question."""
    found = []
    for question, options in QUESTIONS.items():
        if question not in answers:
            found.append((question, f"question '{question}' is not answered (answers: {', '.join(options)})"))
        elif answers[question] not in options:
            found.append(
                (
                    question,
                    f"'{answers[question]}' is not an answer to '{question}' (answers: {', '.join(options)})",
                )
            )
    for question in answers:
        if question not in QUESTIONS:
            found.append((question, f"unknown question '{question}' (questions: {', '.join(QUESTIONS)})"))
    return found


def assess(answers: dict[str, str]) -> Assessment:
    """The score and level of complete, valid answers (check `problems` first)."""
    score = sum(QUESTIONS[question][answers[question]] for question in QUESTIONS)
    return Assessment(answers={q: answers[q] for q in QUESTIONS}, score=score, level=level_for(score))

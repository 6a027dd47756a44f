"""IKM answers for the demo's history (issue 20): the citizens whose applications got a final decision in the
demo's 90 days answer the survey at a realistic rate, so that the report, the service pages and the performance
pages show a full period on first run.

Written in bulk, as the demo history writes its applications: one `bulk_create` for the responses and one
`audit.record_events` for their entries (each the entry `services.record_response` would write), instead of a
transaction per answer. Deterministic: the same decisions, seed and `today` give the same answers.

The story the numbers tell (plausible, not measured anywhere): about a third of the people decided on the portal
answer (`RESPONSE_RATE`), more at the counter, where the officer turns the kiosk towards them; most rate the
elements 3 ("good"), the fee 4 (the services are free); each service has one weak element
(`WEAKEST`, e.g. completion time for bansos PKH); people who were refused rate everything lower; some leave a
comment; most fill in their profile.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.cases.models import Application, Decision

from .ikm import ELEMENTS, SCALE
from .models import SurveyResponse
from .services import RESPONDENT, application_token, response_data, response_subject

RESPONSE_RATE = {Application.Channel.COUNTER: 0.45, "other": 0.32}
MEANS = dict.fromkeys(ELEMENTS, 3.35) | {"biaya": 3.85, "perilaku": 3.5}  # on the 1..4 scale
WEAKEST = {  # the element each service's respondents rate lowest
    "bansos-pkh": "waktu",
    "sktm": "persyaratan",
    "nib-risiko-rendah": "prosedur",
    "akta-kelahiran": "sarana",
    "akta-kematian": "pengaduan",
    "kartu-keluarga": "waktu",
}
WEAK_MEAN = 2.7
REFUSED_SHIFT = -0.55  # a refusal colours every answer
SPREAD = 0.6  # how far one answer strays from the mean
COMMENT_RATE = 0.15
PROFILE_RATE = 0.7
MAX_DELAY_DAYS = 6  # portal answers come within days of the decision notice; kiosk answers the same day
COMMENTS = (
    "Pelayanan cepat dan petugas ramah.",
    "Prosesnya agak lama, mohon dipercepat.",
    "Persyaratan sebaiknya diumumkan lebih jelas di situs.",
    "Terima kasih, sangat membantu.",
    "Ruang tunggu loket penuh, kursinya kurang.",
    "Notifikasi status permohonan sangat membantu.",
    "Petugas menjelaskan alasan keputusan dengan baik.",
    "Sebaiknya ada layanan di hari Sabtu.",
    "Formulir daring mudah diisi dari ponsel.",
    "Saya belum tahu cara mengajukan keberatan.",
)
_PROFILE_CHOICES = {
    "age_band": (SurveyResponse.AgeBand.values, (2, 18, 26, 24, 18, 12)),
    "sex": (SurveyResponse.Sex.values, (48, 52)),
    "education": (SurveyResponse.Education.values, (18, 22, 38, 8, 12, 2, 0.2)),
    "occupation": (SurveyResponse.Occupation.values, (6, 1, 1, 30, 32, 30)),
}


@dataclass(frozen=True)
class Decided:
    """What the survey story needs of one application with a final decision."""

    application_id: str
    reference: str
    service_id: int
    service_slug: str
    channel: str
    outcome: str
    decided_at: dt.datetime


@dataclass
class SurveyHistory:
    responses: list[SurveyResponse] = field(default_factory=list)
    events: list[audit.PendingEvent] = field(default_factory=list)  # in time order


def decided(applications: Iterable[Application] | None = None) -> list[Decided]:
    """The first final decision of each application (of all applications when None), oldest first."""
    rows = Decision.objects.filter(final=True).order_by("decided_at", "pk")
    if applications is not None:
        ids = [a.pk for a in applications]
        chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)]
    else:
        chunks = [None]
    first: dict[str, Decided] = {}
    for chunk in chunks:
        found = rows if chunk is None else rows.filter(application_id__in=chunk)
        for row in found.values_list(
            "application_id", "application__reference", "application__service_id",
            "application__service__slug", "application__channel", "outcome", "decided_at",
        ):  # fmt: skip
            first.setdefault(str(row[0]), Decided(str(row[0]), *row[1:]))
    return sorted(first.values(), key=lambda d: (d.decided_at, d.reference))


def plan_history(candidates: Sequence[Decided], *, seed: int, today: dt.date) -> SurveyHistory:
    """The answers of `candidates` (unsaved) and their audit events, in time order. Applications already
    answered and answers that would fall after `today` are left out."""
    rng = random.Random(seed)
    answered = set(
        SurveyResponse.objects.values_list("application_token", flat=True)
    )  # few before the history
    history = SurveyHistory()
    for candidate in candidates:
        draw = _answer(rng, candidate)  # in the candidates' order: the same order gives the same draws
        if draw is None:
            continue
        moment, response = draw
        if timezone.localtime(moment).date() > today or response.application_token in answered:
            continue
        history.responses.append(response)
        scores = {name: getattr(response, name) for name in ELEMENTS}
        history.events.append(
            audit.PendingEvent(
                at=moment,
                actor=RESPONDENT,
                action=Action.SURVEY_RESPONDED,
                subject=response_subject(candidate.service_slug),
                data=response_data(month=response.month, channel=response.channel, scores=scores),
            )
        )
    history.events.sort(key=lambda e: e.at)
    return history


def write_history(
    *, seed: int, applications: Iterable[Application] | None = None, today: dt.date | None = None
) -> int:
    """Plan and write the answers to the final decisions of `applications` (all decided applications when None);
    returns the number of responses written. Their audit entries are appended after the log's current end, so
    call it before anything newer than the history is audited (or merge `plan_history(...).events` into the
    history's own events)."""
    history = plan_history(decided(applications), seed=seed, today=today or timezone.localdate())
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(history.responses, batch_size=2000)
        audit.record_events(history.events)
    return len(history.responses)


def application_token_of(candidate: Decided) -> str:
    return application_token(Application(pk=candidate.application_id))


def _answer(rng: random.Random, candidate: Decided) -> tuple[dt.datetime, SurveyResponse] | None:
    at_counter = candidate.channel == Application.Channel.COUNTER
    rate = RESPONSE_RATE[Application.Channel.COUNTER] if at_counter else RESPONSE_RATE["other"]
    draws = (rng.random(), rng.random(), rng.random(), rng.random(), rng.gauss(0, 0.3))
    answers, delay, comment, profile, mood = draws
    if answers >= rate:
        return None
    moment = candidate.decided_at + dt.timedelta(
        minutes=5 + int(delay * 60) if at_counter else int(delay * MAX_DELAY_DAYS * 24 * 60)
    )
    weak = WEAKEST.get(candidate.service_slug, "waktu")
    shift = mood + (REFUSED_SHIFT if candidate.outcome == Decision.Outcome.DENY else 0)
    scores = {name: _score(rng, (WEAK_MEAN if name == weak else MEANS[name]) + shift) for name in ELEMENTS}
    response = SurveyResponse(
        service_id=candidate.service_id,
        application_token=application_token_of(candidate),
        channel=SurveyResponse.Channel.KIOSK if at_counter else SurveyResponse.Channel.WEB,
        month=timezone.localtime(moment).date().replace(day=1),
        comment=rng.choice(COMMENTS) if comment < COMMENT_RATE else "",
        **(_profile(rng) if profile < PROFILE_RATE else {}),
        **scores,
    )
    return moment, response


def _score(rng: random.Random, mean: float) -> int:
    return min(SCALE[-1], max(SCALE[0], round(rng.gauss(mean, SPREAD))))


def _profile(rng: random.Random) -> dict[str, str]:
    return {
        name: rng.choices(values, weights=weights)[0] for name, (values, weights) in _PROFILE_CHOICES.items()
    }

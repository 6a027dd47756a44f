"""Satisfaction survey responses (PermenPANRB 14/2017) and the follow-up actions an agency records for its weakest
elements. Rows change only through pamong.surveys.services.

A response is anonymous to staff: it holds no link to the person or the application. Only a keyed digest of the
application (`application_token`, HMAC with the server's blind-index key) is kept, so that each application is
answered once, and only the month of the answer, so that a response cannot be matched to a decision by its time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.fields import EncryptedTextField

from .ikm import ELEMENTS

ELEMENT_LABELS = {
    "persyaratan": _("Requirements"),
    "prosedur": _("System, mechanism and procedure"),
    "waktu": _("Completion time"),
    "biaya": _("Fee or tariff"),
    "produk": _("Product specification of the service"),
    "kompetensi": _("Staff competence"),
    "perilaku": _("Staff behaviour"),
    "pengaduan": _("Handling of complaints, suggestions and input"),
    "sarana": _("Facilities and infrastructure"),
}
# The questionnaire of the regulation's appendix: one question per element, four answers from 1 to 4.
QUESTIONS = {
    "persyaratan": (
        _("How well do the service's requirements fit the service?"),
        (_("Do not fit"), _("Fit poorly"), _("Fit"), _("Fit very well")),
    ),
    "prosedur": (
        _("How easy is the service's procedure?"),
        (_("Not easy"), _("Not quite easy"), _("Easy"), _("Very easy")),
    ),
    "waktu": (
        _("How fast was the service delivered?"),
        (_("Not fast"), _("Not quite fast"), _("Fast"), _("Very fast")),
    ),
    "biaya": (
        _("How fair is the fee of the service?"),
        (_("Very expensive"), _("Quite expensive"), _("Cheap"), _("Free")),
    ),
    "produk": (
        _("Does what you received match what the service standard promises?"),
        (_("Does not match"), _("Matches poorly"), _("Matches"), _("Matches very well")),
    ),
    "kompetensi": (
        _("How competent were the staff?"),
        (_("Not competent"), _("Not quite competent"), _("Competent"), _("Very competent")),
    ),
    "perilaku": (
        _("How polite and friendly were the staff?"),
        (
            _("Not polite and friendly"),
            _("Not quite polite and friendly"),
            _("Polite and friendly"),
            _("Very polite and friendly"),
        ),
    ),
    "pengaduan": (
        _("How are complaints, suggestions and input handled?"),
        (
            _("There is no way to complain"),
            _("There is one, but it does not work"),
            _("It works, but not well"),
            _("It is handled well"),
        ),
    ),
    "sarana": (
        _("How good are the facilities and infrastructure?"),
        (_("Poor"), _("Adequate"), _("Good"), _("Very good")),
    ),
}
assert tuple(ELEMENT_LABELS) == ELEMENTS == tuple(QUESTIONS)


class SurveyResponse(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("portal")
        KIOSK = "kiosk", _("counter kiosk")
        PAPER = "paper", _("paper questionnaire")

    class AgeBand(models.TextChoices):
        UNDER_20 = "lt20", _("under 20")
        AGE_20 = "20-29", "20–29"
        AGE_30 = "30-39", "30–39"
        AGE_40 = "40-49", "40–49"
        AGE_50 = "50-59", "50–59"
        AGE_60 = "60+", _("60 or older")

    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    class Education(models.TextChoices):
        SD = "sd", _("Primary school or less")
        SMP = "smp", _("Junior secondary school")
        SMA = "sma", _("Senior secondary school")
        DIPLOMA = "diploma", _("Diploma (D1–D4)")
        S1 = "s1", _("Bachelor (S1)")
        S2 = "s2", _("Master (S2)")
        S3 = "s3", _("Doctorate (S3)")

    class Occupation(models.TextChoices):
        PNS = "pns", _("Civil servant")
        TNI = "tni", _("Armed forces")
        POLRI = "polri", _("Police")
        SWASTA = "swasta", _("Private employee")
        WIRAUSAHA = "wirausaha", _("Self-employed")
        OTHER = "lainnya", _("Other")

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="survey_responses")
    application_token = models.CharField(max_length=64, unique=True)  # HMAC of the application id: once each
    channel = models.CharField(max_length=8, choices=Channel.choices)
    month = models.DateField(db_index=True)  # the first day of the month of the answer; no finer time is kept
    persyaratan = models.PositiveSmallIntegerField()
    prosedur = models.PositiveSmallIntegerField()
    waktu = models.PositiveSmallIntegerField()
    biaya = models.PositiveSmallIntegerField()
    produk = models.PositiveSmallIntegerField()
    kompetensi = models.PositiveSmallIntegerField()
    perilaku = models.PositiveSmallIntegerField()
    pengaduan = models.PositiveSmallIntegerField()
    sarana = models.PositiveSmallIntegerField()
    comment = EncryptedTextField(blank=True)  # free text may name people: encrypted at rest
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(max_length=8, choices=Education.choices, blank=True)
    occupation = models.CharField(max_length=10, choices=Occupation.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 4}), name=f"survey_{name}_1_to_4"
            )
            for name in ELEMENTS
        ]
        indexes = [models.Index(fields=["service", "month"])]

    def __str__(self) -> str:
        return f"IKM response {self.pk} ({self.service_id}, {self.month:%Y-%m})"


class FollowUpAction(models.Model):
    """What an agency will do about a weak element (the regulation's *rencana tindak lanjut*), published on the
    service's public performance page once the agency publishes it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="survey_followups")
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="survey_followups"
    )
    period = models.CharField(max_length=8)  # the survey period the action answers: "2026", "2026-Q4", ...
    element = models.CharField(max_length=12, choices=[(name, ELEMENT_LABELS[name]) for name in ELEMENTS])
    action = models.TextField()
    responsible = models.CharField(max_length=200)  # the unit in charge, not a person
    due = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"follow-up {self.pk} on {self.element} ({self.period})"

"""What the assistant keeps: the questions asked (masked, for a limited time, to improve answers) and the
conversations handed over to a person of the agency. A hand-over is a complaint of type *permintaan informasi*
(pamong.complaints), which holds the masked transcript and the contact; the `Handover` row keeps only why and
when, and the link. Rows opened before hand-overs became complaints keep their own transcript (complaint empty)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.fields import EncryptedJSONField, EncryptedTextField


class Channel(models.TextChoices):
    WEB = "web", _("web page")
    API = "api", _("API")
    GATEWAY = "gateway", _("messaging gateway")
    COUNTER = "counter", _("counter")


class Question(models.Model):
    """One question and how it was answered. The text is masked (NIK, phone, e-mail) and encrypted; no link to
    the account that asked. Deleted after PAMONG_ASSISTANT_QUESTION_DAYS (pamong retention apply)."""

    asked_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    text = EncryptedTextField()
    intent = models.CharField(max_length=20, blank=True)
    top_source = models.CharField(max_length=160, blank=True)  # "kind:slug" of the first cited source
    handover = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, blank=True)
    elapsed_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"{self.asked_at:%Y-%m-%d %H:%M} {self.channel}"


class Handover(models.Model):
    """A question the assistant passed to a person of the agency: the complaint it opened, why and how urgent."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        CLOSED = "closed", _("answered")

    class Reason(models.TextChoices):
        LOW_CONFIDENCE = "low_confidence", _("the assistant was not sure")
        OUT_OF_SCOPE = "out_of_scope", _("not about the agency's services")
        OTHER_AGENCY = "other_agency", _("a service of another agency")
        HUMAN = "human", _("the person asked for an officer")
        DISTRESS = "distress", _("the person may be in distress")
        ABUSE = "abuse", _("abusive words")

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="assistant_handovers")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    urgency = models.CharField(max_length=12, default="biasa")  # biasa | mendesak | darurat
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the conversation with the agency (type informasi); empty for rows opened before, and after retention
    # Rows opened before hand-overs became complaints only: the conversation (masked) and where to answer.
    transcript = EncryptedJSONField(default=list, blank=True)  # [{"from": "warga"|"asisten", "text": ...}]
    contact = EncryptedTextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    answer_by = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["agency", "status", "opened_at"])]

    def __str__(self) -> str:
        return f"handover {self.pk}"

"""Complaints (SP4N-LAPOR! style): reports, their per-agency clocks and their followers.

The reporter of an anonymous report is never stored in clear: `reporter` stays empty and the account id sits
encrypted in `hidden_reporter`, read only by the services that tell the reporter what happened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.crypto import decrypt_bytes
from pamong.core.fields import EncryptedTextField


class Complaint(models.Model):
    class Kind(models.TextChoices):
        PENGADUAN = "pengaduan", _("Complaint")
        ASPIRASI = "aspirasi", _("Suggestion")
        INFORMASI = "informasi", _("Information request")

    class Urgency(models.TextChoices):
        DARURAT = "darurat", _("Emergency")
        RINGAN = "ringan", _("Minor")
        NORMATIF = "normatif", _("Normative")
        TIDAK_BERKADAR = "tidak_berkadar", _("Without supervisory weight")
        BERKADAR = "berkadar", _("With supervisory weight")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFIED = "verified", _("Verified")
        FORWARDED = "forwarded", _("Forwarded")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        COUNTER = "counter", _("Counter")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    reference = models.CharField(max_length=24, unique=True)
    token = models.CharField(max_length=40, unique=True)  # Open311 token: find a request before it has an id
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PENGADUAN)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="complaints")
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="complaints")
    title = models.CharField(_("title"), max_length=150)
    description = EncryptedTextField()
    search_terms = models.TextField(default="", blank=True)  # Sastrawi roots, " a b c ", for duplicates
    anonymous = models.BooleanField(default=False)
    confidential = models.BooleanField(default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    hidden_reporter = EncryptedTextField(blank=True, default="")  # anonymous: "user:<id>"
    reporter_index = models.CharField(
        max_length=64, blank=True, db_index=True
    )  # blind index of hidden_reporter
    contact = EncryptedTextField(blank=True, default="")  # name / e-mail / phone given without an account
    consent = models.JSONField(default=dict, blank=True)  # counter: method and statement
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_by_client = models.CharField(
        max_length=80, blank=True
    )  # "client:<id>": the API client that filed it
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    region_code = models.CharField(max_length=13, blank=True)
    address = models.CharField(max_length=300, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    application = models.ForeignKey(
        "cases.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMATIF)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField()
    forward_due = models.DateTimeField()  # disposisi within 3 working days
    response_due = models.DateTimeField()  # a first response within 5 working days
    due_at = models.DateTimeField()  # the answer, by urgency
    escalate_at = models.DateTimeField()  # 80% of the way from received_at to due_at
    escalation_level = models.PositiveSmallIntegerField(default=0)  # 1: warned at 80%, 2: late
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_response_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_days = models.PositiveSmallIntegerField(
        null=True, blank=True
    )  # working days to the answer (statistics)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    reopen_until = models.DateField(null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_count = models.PositiveIntegerField(
        default=0
    )  # reports merged into this one (skip the look-up at 0)
    ever_followed = models.BooleanField(
        default=False
    )  # set at the first +1: skip the followers look-up before
    personal_data_cleared = models.BooleanField(default=False)  # erased or past retention (personal_data.py)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"]),
            models.Index(fields=["status", "escalate_at"]),
            models.Index(fields=["service", "status"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.MERGED, self.Status.ANSWERED)


class ComplaintClock(models.Model):
    """An agency's own clock for one urgency class (otherwise the defaults in deadlines.DEFAULTS)."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="complaint_clocks")
    urgency = models.CharField(max_length=16, choices=Complaint.Urgency.choices)
    amount = models.PositiveSmallIntegerField()  # working days; clock hours for darurat

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "urgency"], name="complaint_clock_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.urgency} {self.amount}"


class Follower(models.Model):
    """A citizen who follows a report (+1, "saya juga mengalami") and is told of each step."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "user"], name="complaint_follower_unique")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} +1"


class Photo(models.Model):
    """A photo sent with a report: re-encoded without any metadata (pamong.complaints.photos), stored encrypted,
    served only through access checks. No original file name is kept: it can name the reporter."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="complaint-photos/%Y/%m/")
    content_type = models.CharField(max_length=40, default="image/jpeg")
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)  # of the cleaned photo
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} photo {self.pk}"

    def read_content(self) -> bytes:
        with self.file.open("rb") as stored:
            return decrypt_bytes(stored.read())


class Document(models.Model):
    """A PDF sent with a report (a letter, a receipt): copied without its metadata (pamong.complaints.pdfs),
    stored encrypted, served only to the reporter and the agency's staff. No original file name is kept."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="complaint-documents/%Y/%m/")
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)  # of the cleaned copy
    uploaded_at = models.DateTimeField()

    content_type = "application/pdf"

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} document {self.pk}"

    def read_content(self) -> bytes:
        with self.file.open("rb") as stored:
            return decrypt_bytes(stored.read())

"""Issued documents: decision letters and service products (DESIGN §2.11). A `Letter` row is first the job
"issue this letter" (status pending, written inside the decision's transaction), then the issued, signed file.
Rows change only through pamong.documents.services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.crypto import decrypt_bytes


class Letter(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", _("Decision letter: granted")
        REFUSAL = "refusal", _("Decision letter: refused")
        DEEMED = "deemed", _("Decision letter: granted by law (deemed approval)")
        OBJECTION = "objection", _("Decision letter on an objection")
        APPEAL = "appeal", _("Decision letter on an appeal")
        PRODUCT = "product", _("Service product")

    class Document(models.TextChoices):
        LETTER = "letter", _("decision letter")
        PRODUCT = "product", _("service product")

    class Status(models.TextChoices):
        PENDING = "pending", _("being issued")
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")

    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="+")
    # One letter (and at most one product) per final decision: the unique constraint is what makes the job safe
    # to run twice.
    decision = models.ForeignKey("cases.Decision", on_delete=models.PROTECT, related_name="+")
    document = models.CharField(max_length=8, choices=Document.choices, default=Document.LETTER)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    # Public verification code in the QR (/v/<code>): 100 random bits, base32, so not enumerable.
    code = models.CharField(max_length=32, unique=True)
    number = models.CharField(max_length=64, blank=True)  # printed on the letter; set when issued
    masked_name = models.CharField(max_length=120, blank=True)  # as printed; the page shows only this
    outcome = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    issued_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="letters/%Y/%m/", blank=True)  # the signed PDF, encrypted at rest
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)  # of the signed PDF as issued
    audit_index = models.BigIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    revoke_audit_index = models.BigIntegerField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey("documents.Batch", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "document"], name="one_document_of_a_kind_per_decision"
            )
        ]

    def __str__(self) -> str:
        return self.number or self.code

    def read_content(self) -> bytes:
        with self.file.open("rb") as stored:
            return decrypt_bytes(stored.read())


class Batch(models.Model):
    """A batch issue (e.g. re-issuing every letter of a service): progress counted as the job runs; the job
    resumes after a crash, and the letters' unique constraint keeps any from being issued twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    label = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.label


class VaultDocument(models.Model):
    """A document in a citizen's vault (once-only): uploaded by the citizen (KTP, KK, certificates) and offered
    again on every later application. Typed by the citizen, checked by content; encrypted at rest; kept until
    `keep_until` (retention) or until the citizen deletes it."""

    class Type(models.TextChoices):
        KTP = "ktp", _("Identity card (KTP-el)")
        KK = "kk", _("Family card (Kartu Keluarga)")
        BIRTH = "akta_kelahiran", _("Birth certificate")
        DIPLOMA = "ijazah", _("School certificate (ijazah)")
        OTHER = "lainnya", _("Other document")

    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=20, choices=Type.choices)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=80)  # detected from the content, never from the name
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="vault/%Y/%m/")
    uploaded_at = models.DateTimeField()
    keep_until = models.DateField()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.doc_type}: {self.original_name}"

    def read_content(self) -> bytes:
        with self.file.open("rb") as stored:
            return decrypt_bytes(stored.read())


class VaultConsent(models.Model):
    """A citizen's recorded consent that an agency may read their vault (documents uploaded or issued by another
    agency). Withdrawn by setting `withdrawn_at`; a new consent is a new row."""

    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "agency"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="vault_one_open_consent_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} → {self.agency_id}"

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
        WITHDRAWAL = "withdrawal", _("Letter confirming the withdrawal of an application")

    class Document(models.TextChoices):
        LETTER = "letter", _("decision letter")
        PRODUCT = "product", _("service product")

    class Status(models.TextChoices):
        PENDING = "pending", _("being issued")
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")

    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="+")
    # One letter (and at most one product) per final decision: the unique constraint is what makes the job safe
    # to run twice. A withdrawal letter has no decision (the citizen withdrew): one per application.
    decision = models.ForeignKey(
        "cases.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.CharField(max_length=8, choices=Document.choices, default=Document.LETTER)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    # Public verification code in the QR (/v/<code>): 100 random bits, base32, so not enumerable.
    code = models.CharField(max_length=32, unique=True)
    number = models.CharField(max_length=64, blank=True)  # printed on the letter; set when issued
    masked_name = models.CharField(max_length=120, blank=True)  # as printed; the page shows only this
    outcome = models.CharField(max_length=8)  # the decision's (GRANT, DENY), or WITHDRAW
    # "id": Bahasa Indonesia only; "en": the Indonesian letter (the text that binds, UU 24/2009 Art. 27) followed
    # by its English translation, for a citizen who chose English (`LetterPreference`).
    language = models.CharField(max_length=5, default="id")
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
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(kind="withdrawal"),
                name="one_withdrawal_letter_per_application",
            ),
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
    # Who put it there: the citizen (null: the owner), or the counter officer who scanned a paper document.
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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


class LetterPreference(models.Model):
    """A citizen's choice of letter language, made on /akun/dokumen/: Bahasa Indonesia only (the default), or
    Bahasa Indonesia with an English translation. Read when a letter is queued."""

    class Language(models.TextChoices):
        INDONESIAN = "id", _("Bahasa Indonesia")
        ENGLISH = "en", _("Bahasa Indonesia with an English translation")

    owner = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.INDONESIAN)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.language}"

"""Budget transparency (DESIGN §2.13): an agency's budget (DPA lines) and realisation imported from the regional
financial system's CSV export, procurement processes read from OCDS releases, and the red flags raised on them
for the inspectorate (APIP).

Rows change only through pamong.budget.services; every state change writes its audit entry there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.errors import words


class BudgetImport(models.Model):
    """One imported file: what it was (its SHA-256), who imported it and how many rows it held."""

    class Kind(models.TextChoices):
        CSV = "csv", _("Budget and realisation (CSV)")
        OCDS = "ocds", _("Procurement (OCDS)")

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    imported_at = models.DateTimeField()
    imported_by = models.CharField(max_length=80)  # the audit log's actor label ("user:12", "system:cli")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "sha256"], name="budget_import_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


class BudgetLine(models.Model):
    """One line of the budget (`plan`: a DPA line with the month of its cash plan) or of its realisation (a
    payment, with its supplier). Amounts are whole rupiah."""

    class Kind(models.TextChoices):
        PLAN = "anggaran", _("Budget")
        REALISATION = "realisasi", _("Realisation")

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(BudgetImport, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()  # the line in the imported file
    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    date = models.DateField()
    program_code = models.CharField(max_length=40)
    program = models.CharField(max_length=255)
    activity_code = models.CharField(max_length=40)
    activity = models.CharField(max_length=255)
    sub_activity_code = models.CharField(max_length=40)
    sub_activity = models.CharField(max_length=255)
    account_code = models.CharField(max_length=40)
    account = models.CharField(max_length=255)
    item = models.CharField(max_length=255)
    unit = models.CharField(max_length=40)
    quantity = models.DecimalField(max_digits=18, decimal_places=4)
    unit_price = models.BigIntegerField()
    amount = models.BigIntegerField()
    supplier = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "kind", "year"]), models.Index(fields=["kind", "year"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.date} {self.item} {self.amount}"


class Contract(models.Model):
    """One procurement process (an OCDS compiled release, merged from its releases by ocdsmerge)."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(BudgetImport, on_delete=models.CASCADE, related_name="contracts")
    ocid = models.CharField(max_length=200)
    title = models.CharField(max_length=500, blank=True)
    date = models.DateField()
    method = models.CharField(max_length=20, blank=True)  # tender.procurementMethod
    tenderers = models.PositiveIntegerField(null=True, blank=True)  # tender.numberOfTenderers
    amount = models.BigIntegerField(
        null=True, blank=True
    )  # rupiah: contracts' value, else awards', else tender's
    release = models.JSONField()  # the compiled release as merged

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "ocid"], name="budget_contract_ocid")]

    def __str__(self) -> str:
        return self.ocid


class Flag(models.Model):
    """A red flag in the inspectorate's (APIP) queue: a reason to look, with its evidence and explanation, never
    an accusation and never naming a person. Open until an auditor dismisses it with a written reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)  # the same pattern found again is the same flag
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)  # in Bahasa Indonesia, as raised (search, exports, old rows)
    explanation = models.TextField()
    # The same words kept in their English source with parameters ({"title": {"text": ..., "params": ...},
    # "explanation": ...}, pamong.core.errors.stored), read in the reader's language. Empty for flags raised
    # before words were kept: those show their Indonesian title and explanation as they are.
    texts = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField()
    lines = models.ManyToManyField(BudgetLine, related_name="flags", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField()
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dismissal_reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="budget_flag_once")]
        indexes = [models.Index(fields=["status", "raised_at"])]
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (the stored Indonesian one for flags raised before)."""
        return str(words(self.texts["title"])) if self.texts.get("title") else self.title

    @property
    def shown_explanation(self) -> str:
        return str(words(self.texts["explanation"])) if self.texts.get("explanation") else self.explanation

"""Agencies and their services, each carrying the 14 service-standard components of UU 25/2009 as detailed by
PermenPANRB 15/2014 (six on delivery, eight on management). Services are written only by loading service packs."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """An instansi. `region_code` is its Kemendagri area code (e.g. 32.73 for Kota Bandung)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    region_code = models.CharField(_("Kemendagri region code"), max_length=13)
    region_name = models.CharField(_("region"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Who answers for the agency's decisions, automated ones included (named on decisions and in the register).
    accountable_official = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class ImpactLevel(models.IntegerChoices):
        LITTLE = 1, _("Level I — little to no impact")
        MODERATE = 2, _("Level II — moderate impact")
        HIGH = 3, _("Level III — high impact")
        VERY_HIGH = 4, _("Level IV — very high impact")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    category = models.CharField(_("category"), max_length=80)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)

    # Service-standard components on delivery (komponen penyampaian pelayanan).
    requirements = models.JSONField(_("requirements"), default=list)
    procedure = models.JSONField(_("procedure"), default=list)
    completion_days = models.PositiveSmallIntegerField(_("completion time (working days)"))
    fee = models.PositiveBigIntegerField(_("fee (rupiah)"), default=0)
    fee_note = models.CharField(_("fee note"), max_length=300, blank=True)
    product = models.TextField(_("service product"))
    complaint_handling = models.TextField(_("complaints, suggestions and feedback"))

    # Components on management (komponen pengelolaan pelayanan).
    legal_basis = models.JSONField(_("legal basis"), default=list)
    facilities = models.JSONField(_("facilities and infrastructure"), default=list)
    staff_competence = models.TextField(_("staff competence"))
    internal_supervision = models.TextField(_("internal supervision"))
    staff_count = models.CharField(_("number of staff"), max_length=200)
    service_guarantee = models.TextField(_("service guarantee"))
    security_guarantee = models.TextField(_("security and safety guarantee"))
    performance_evaluation = models.TextField(_("staff performance evaluation"))

    impact_level = models.PositiveSmallIntegerField(
        _("impact level"),
        choices=ImpactLevel.choices,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    # Computed from the assessment in the pack, never typed (pamong.catalog.impact): answers, score, max, level.
    impact_assessment = models.JSONField(default=dict, blank=True)
    automated = models.BooleanField(_("automated decisions"), default=False)
    decision_days = models.PositiveSmallIntegerField(_("decision deadline (working days)"), default=5)
    objection_days = models.PositiveSmallIntegerField(_("objection window (working days)"), default=21)
    appeal_days = models.PositiveSmallIntegerField(_("appeal deadline (working days)"), default=10)
    repeat_allowed = models.BooleanField(_("several applications per person allowed"), default=False)
    form_fields = models.JSONField(_("form fields"), default=list)
    # Why automated refusals of this (impact level 1) service are final at once, without a notice (published).
    refusal_notice_opt_out = models.TextField(blank=True)

    # Stemmed words of name, summary and keywords (see pamong.catalog.search); rebuilt on every pack load.
    search_terms = models.TextField(editable=False, default="")
    pack_hash = models.CharField(max_length=64, editable=False, default="")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class PackRuleVersion(models.Model):
    """A rule-set version found in a service's pack, by version and content hash (issue 13: four eyes for pack
    versions). The versions present when the platform's packs are first loaded are its baseline; every version
    loaded after that is pending until a second person approves it through the oversight sandbox, which then
    publishes it (the same four-eyes path as a draft). Only baseline files are read from the pack to decide."""

    class Status(models.TextChoices):
        BASELINE = "baseline", _("in force since installation")
        PENDING = "pending", _("awaiting a second approver")
        APPROVED = "approved", _("approved by a second person")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="rule_versions")
    version_id = models.CharField(max_length=40)
    content_hash = models.CharField(max_length=80)
    file_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices)
    loaded_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["service", "version_id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version_id"], name="catalog_pack_rule_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.version_id} ({self.status})"

"""Reference data (regions, poverty lines, KBLI risk) and a synthetic stand-in for the population registries
(Dukcapil, DTSEN, Korlantas, Dapodik). Personal data is encrypted at rest (pamong.core.fields); NIKs and KK
numbers are found through keyed blind indexes. Rows are written only by pamong.registry.services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.fields import EncryptedDateField, EncryptedFloatField, EncryptedTextField


class ReferenceDataset(models.Model):
    """One load of one dataset: where it came from, its SHA-256 and when. Rows point at the load that wrote them,
    so every fact taken from reference data can name its source (provenance)."""

    class Name(models.TextChoices):
        REGIONS = "regions", _("regions")
        POVERTY_LINES = "poverty_lines", _("poverty lines")
        KBLI_RISK = "kbli_risk", _("KBLI risk levels")
        POPULATION = "population", _("synthetic population")

    name = models.CharField(max_length=40, choices=Name.choices)
    source = models.CharField(_("source file"), max_length=300)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField()
    loaded_by = models.CharField(max_length=120, default="system")

    class Meta:
        ordering = ["name", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["name", "sha256"], name="registry_dataset_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.sha256[:12]}"


class Region(models.Model):
    """A Kemendagri administrative area. `code` is stored without dots: 32 / 3273 / 327309 / 3273091003."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        REGENCY = "regency", _("regency/city")
        DISTRICT = "district", _("district (kecamatan)")
        VILLAGE = "village", _("village (desa/kelurahan)")

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent_code = models.CharField(max_length=10, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.dotted_code} {self.name}"

    @property
    def dotted_code(self) -> str:
        code = self.code
        parts = [code[:2], code[2:4], code[4:6], code[6:]]
        return ".".join(p for p in parts if p)


class PovertyLine(models.Model):
    """BPS poverty line of a regency/city (rupiah per capita per month) for one period."""

    regency_code = models.CharField(max_length=4)
    amount = models.PositiveBigIntegerField()
    period = models.CharField(max_length=7, help_text="survey period, e.g. 2024-03")
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300)
    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["regency_code", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["regency_code", "period"], name="registry_poverty_line_period")
        ]

    def __str__(self) -> str:
        return f"{self.regency_code} {self.period}: Rp{self.amount}"


class KbliRisk(models.Model):
    """Risk level of a KBLI 2020 business activity under risk-based licensing."""

    kbli_code = models.CharField(max_length=5)
    title = models.CharField(max_length=300)
    risk_level = models.CharField(max_length=20)
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300)
    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kbli_code", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kbli_code", "effective_from"], name="registry_kbli_risk_from")
        ]

    def __str__(self) -> str:
        return f"KBLI {self.kbli_code}: {self.risk_level}"


class Household(models.Model):
    """A family card (Kartu Keluarga) with its address, and its DTSEN status."""

    kk_number = EncryptedTextField()
    kk_index = models.CharField(max_length=64, unique=True)
    regency_code = models.CharField(max_length=4, db_index=True)
    district_code = models.CharField(max_length=6, db_index=True)
    village_code = models.CharField(max_length=10, blank=True)
    latitude = EncryptedFloatField(null=True, blank=True)  # the home's position: personal data (UU 27/2022)
    longitude = EncryptedFloatField(null=True, blank=True)
    in_dtsen = models.BooleanField(default=False)
    welfare_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:  # no personal data: admin lists and logs show this
        return f"KK #{self.pk} ({self.regency_code})"


class Person(models.Model):
    class Sex(models.TextChoices):
        MALE = "L", _("male")
        FEMALE = "P", _("female")

    class Relation(models.TextChoices):
        HEAD = "kepala", _("head of family")
        SPOUSE = "pasangan", _("spouse")
        CHILD = "anak", _("child")
        PARENT = "orang_tua", _("parent")
        OTHER = "lainnya", _("other")

    nik = EncryptedTextField()
    nik_index = models.CharField(max_length=64, unique=True)
    full_name = EncryptedTextField()
    birth_date = EncryptedDateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    relation = models.CharField(max_length=10, choices=Relation.choices)
    disability = models.BooleanField(default=False)
    mother_nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    birth_registered = models.BooleanField(default=True, help_text="a birth certificate has been issued")

    class Meta:
        ordering = ["household_id", "id"]

    def __str__(self) -> str:  # no personal data: admin lists and logs show this
        return f"Penduduk #{self.pk}"


class VehicleRecord(models.Model):
    """A registered motor vehicle (Korlantas), keyed by the owner's NIK blind index."""

    owner_nik_index = models.CharField(max_length=64, db_index=True)
    wheels = models.PositiveSmallIntegerField()
    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Kendaraan #{self.pk} ({self.wheels} roda)"


class SchoolEnrollment(models.Model):
    """A pupil enrolled in school (Dapodik)."""

    class Level(models.TextChoices):
        SD = "sd", "SD"
        SMP = "smp", "SMP"
        SMA = "sma", "SMA/SMK"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrollments")
    level = models.CharField(max_length=3, choices=Level.choices)

    def __str__(self) -> str:
        return f"{self.get_level_display()} #{self.person_id}"

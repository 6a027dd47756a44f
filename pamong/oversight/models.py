"""Oversight of automated decisions (DESIGN §2.7): what the rules decided, per rule and region (tallies that
make monitoring cheap), circuit breakers, rule-set drafts for the sandbox, and background jobs with progress.

Rows change only through pamong.oversight.services; every state change writes its audit entry there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionObservation(models.Model):
    """One row per rules evaluation recorded on an application (automatic decision or proposal), with the
    region it is counted under. Aggregated in SQL for the dashboard, fairness and the register."""

    decision = models.OneToOneField("cases.Decision", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey("cases.Application", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(
        max_length=10, blank=True
    )  # digits, most specific known ("3204", "320405")
    decided_at = models.DateTimeField()
    outcome = models.CharField(max_length=8)  # GRANT | DENY | REFER (the rules' outcome, breakers applied)
    proposed = models.BooleanField(default=False)  # a DENY only proposed (impact level >= 3)
    rerun = models.BooleanField(default=False)  # recorded by a re-run after a data fix or a rule change

    class Meta:
        indexes = [
            models.Index(fields=["service", "decided_at"]),
            models.Index(fields=["service", "region_code", "decided_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.region_code} {self.outcome}"


class RuleTally(models.Model):
    """Per service, rule, region and hour: how often the rule was evaluated, failed, or could not be judged.
    Incremented with F() on every evaluation, so a spike check reads O(groups × hours), never every decision."""

    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    rule_id = models.CharField(max_length=80)
    region_code = models.CharField(max_length=10, blank=True)
    hour = models.DateTimeField()  # start of the UTC hour
    evaluated = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "rule_id", "region_code", "hour"], name="oversight_rule_tally_bucket"
            )
        ]
        indexes = [models.Index(fields=["service", "hour"])]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.region_code} {self.hour:%Y-%m-%d %H}: {self.failed}/{self.evaluated}"


class MonitorState(models.Model):
    """Per service: when its spike check last ran and what it found. Locked while a check runs, so two checks
    of one service never open the same breaker twice."""

    service = models.OneToOneField("catalog.Service", on_delete=models.CASCADE, related_name="+")
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_result = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"monitor {self.service_id}"


class CircuitBreaker(models.Model):
    """While open, the rule's DENY becomes REFER (DESIGN §3) for the service in the region (a code prefix;
    null = every region). Opened automatically on a spike (opened_by null) or by an analyst; closed only by an
    analyst with a written justification."""

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    rule_id = models.CharField(max_length=80)
    region_code = models.CharField(max_length=10, null=True, blank=True)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    statistics = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_justification = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["service", "closed_at"])]

    def __str__(self) -> str:
        return f"breaker {self.rule_id} {self.region_code or '*'} ({'open' if self.is_open else 'closed'})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def automatic(self) -> bool:
        return self.opened_by_id is None


class RuleSetDraft(models.Model):
    """A proposed rule-set version: simulated on history in the sandbox, approved by a second person (four eyes),
    then published with an effective date. Published YAML is never edited: publish a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    version_id = models.CharField(max_length=40)
    yaml_text = models.TextField()
    content_hash = models.CharField(max_length=80)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # "sandbox": written here; "pack": a version loaded from the service's pack after installation, proposed
    # here so that it passes the same four eyes (pamong.catalog.models.PackRuleVersion).
    origin = models.CharField(max_length=8, default="sandbox")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    effective_from = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    simulation = models.JSONField(default=dict, blank=True)  # the last sandbox summary (counts, groups)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version_id"], name="oversight_draft_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.version_id} ({self.status})"


class Job(models.Model):
    """A background job whose progress people watch (re-evaluating pending cases after a publication)."""

    class Kind(models.TextChoices):
        REEVALUATE = "reevaluate", _("re-evaluate pending cases")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey(
        RuleSetDraft, null=True, blank=True, on_delete=models.PROTECT, related_name="jobs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"job {self.pk} {self.kind} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

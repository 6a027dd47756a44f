"""Applications and everything decided on them (DESIGN §3). Rows change only through pamong.cases.services,
whose guarded transitions (`transitions.py`) are the only code that assigns `status`."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.core.crypto import decrypt_bytes
from pamong.core.fields import EncryptedJSONField, EncryptedTextField
from pamong.rules.model import Outcome as RuleOutcome


class Application(models.Model):
    class Status(models.TextChoices):
        UNDER_REVIEW = "under_review", _("being reviewed by an officer")
        REFUSAL_NOTICE = "refusal_notice", _("refusal intended: you may respond")
        INFO_REQUESTED = "info_requested", _("waiting for more information from you")
        GRANTED = "granted", _("granted")
        DENIED = "denied", _("refused")
        DEEMED_GRANTED = "deemed_granted", _("deemed granted (no decision in time)")
        OBJECTION = "objection", _("objection being decided")
        APPEAL = "appeal", _("appeal being decided")
        WITHDRAWN = "withdrawn", _("withdrawn at your request")

    class Channel(models.TextChoices):
        WEB = "web", _("portal")
        COUNTER = "counter", _("counter (assisted)")
        API = "api", _("API")

    class ConsentMethod(models.TextChoices):
        """How a citizen gave consent to an application filed for them at a counter (kept in `consent`)."""

        SIGNATURE = "tanda_tangan", _("Signature on the printed statement")
        SPOKEN_WITNESSED = "lisan_disaksikan", _("Spoken, with a witness")
        FINGERPRINT = "sidik_jari", _("Fingerprint")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=24, unique=True)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assisted_applications",
    )
    consent = models.JSONField(
        default=dict, blank=True
    )  # assisted channel: how the citizen consented, and when
    form_data = EncryptedJSONField(default=dict)  # answers may hold NIKs, incomes, addresses
    statement = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    filed_at = models.DateTimeField()
    completed_at = models.DateTimeField()  # the legal clock starts when the application is complete
    decision_due = models.DateField(db_index=True)
    paused_since = models.DateField(null=True, blank=True)  # while information is requested, the clock stops
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_applications",
    )
    priority_score = models.IntegerField(default=0)  # orders the queue after the deadline; never decides
    idempotency_key = models.CharField(max_length=128, blank=True)
    request_digest = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # In memory only, never stored: what the request that filed this instance knows without reading it back.
    # `filed_now`: this instance was created by the request (so it has no letters yet); `decided_now`: the final
    # decision recorded through this instance (the answer to the filing shows it).
    filed_now: bool = False
    decided_now: Decision | None = None

    class Meta:
        ordering = ["-filed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="application_idempotency_key_unique",
            )
        ]
        indexes = [
            models.Index(fields=["status", "decision_due"]),
            # A citizen's applications for one service (the duplicate check of every submission): without it
            # SQLite walks every application of the service.
            models.Index(fields=["applicant", "service", "status"], name="application_mine"),
        ]

    def __str__(self) -> str:
        return self.reference


class Decision(models.Model):
    """A decision record (DESIGN §3): facts with provenance, rule-set version and hash, every rule's result,
    the outcome, who or what decided, and the audit leaf index. Never edited; a later decision supersedes it."""

    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", _("automatic, by published rules")
        PROPOSAL = "proposal", _("proposal by the rules, for an officer")
        HUMAN = "human", _("by an officer")
        OVERRIDE = "override", _("by an officer using discretion")
        DEEMED = "deemed", _("deemed granted by law")
        OBJECTION = "objection", _("on objection")
        APPEAL = "appeal", _("on appeal")

    class Outcome(models.TextChoices):
        # The rules engine's outcomes (pamong.rules.Outcome) are the one source of these codes.
        GRANT = RuleOutcome.GRANT.value, _("granted")
        DENY = RuleOutcome.DENY.value, _("refused")
        REFER = RuleOutcome.REFER.value, _("referred to an officer")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    final = models.BooleanField(default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    decided_at = models.DateTimeField()
    reasons = models.TextField(blank=True)
    legal_basis = models.TextField(blank=True)
    # The rules engine's result (rules, scores, version, hash) and the input facts with their source and fetch
    # time: personal data (incomes, birth dates, NIKs of family members), so encrypted at rest.
    evaluation = EncryptedJSONField(default=dict, blank=True)
    facts = EncryptedJSONField(default=dict, blank=True)
    audit_index = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.kind} {self.outcome}"


class Discretion(models.Model):
    """A *diskresi* record (UU 30/2014 Art. 22–32): recorded, sent to the supervisor, reported as discretion."""

    class Purpose(models.TextChoices):
        SMOOTH_GOVERNMENT = "smooth_government", _("keep government running smoothly")
        FILL_LEGAL_GAP = "fill_legal_gap", _("fill a legal gap")
        LEGAL_CERTAINTY = "legal_certainty", _("give legal certainty")
        OVERCOME_STAGNATION = "overcome_stagnation", _("overcome stagnation in the public interest")

    class Verdict(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        SUPPORTED = "supported", _("supported")
        RETURNED = "returned", _("returned to the officer")

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="discretion")
    purpose = models.CharField(max_length=24, choices=Purpose.choices)
    objective_reasons = models.TextField()
    legal_basis = models.TextField()
    conflict_of_interest = models.BooleanField()  # the officer declares whether there is any
    conflict_note = models.TextField(blank=True)
    supervisor_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervisor_acknowledged_at = models.DateTimeField(null=True, blank=True)
    # The supervisor's register: each record is acknowledged within REVIEW_DAYS working days, with a verdict.
    review_due = models.DateField(null=True, blank=True)
    verdict = models.CharField(max_length=12, choices=Verdict.choices, blank=True)
    supervisor_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"diskresi on {self.decision}"


class InformationRequest(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="information_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField()
    requested_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(default=0)
    # The last day to answer (issue 17): the citizen is reminded before it; after it the request ends unanswered
    # and the clock runs again (`ended_at`). Null for requests made before the date existed.
    answer_by = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"information request on {self.application}"


class Objection(models.Model):
    """*Keberatan* to the deciding agency, then possibly *banding* (appeal) to the superior level."""

    class Stage(models.TextChoices):
        OBJECTION = "objection", _("objection (keberatan)")
        APPEAL = "appeal", _("appeal (banding)")

    class Status(models.TextChoices):
        PENDING = "pending", _("being decided")
        UPHELD = "upheld", _("decision upheld")
        OVERTURNED = "overturned", _("decision overturned: granted")
        DEEMED_GRANTED = "deemed_granted", _("deemed granted (no decision in time)")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    contested = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="objections")
    statement = models.TextField()
    filed_at = models.DateTimeField()
    due = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["filed_at"]

    def __str__(self) -> str:
        return f"{self.stage} on {self.application}"


class Attachment(models.Model):
    """A document a citizen (or the counter officer for them) attaches to an application or an objection.
    Kept outside the public media URL: it is served only through access checks."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    objection = models.ForeignKey(
        Objection, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=80)  # detected from the content, never from the name
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def read_content(self) -> bytes:
        """The file's bytes: stored encrypted at rest (pamong.core.crypto.encrypt_bytes), decrypted here."""
        with self.file.open("rb") as stored:
            return decrypt_bytes(stored.read())


class RefusalNotice(models.Model):
    """*Pemberitahuan rencana penolakan*: before an automated refusal becomes final the citizen sees the reasons
    and the facts and has `NOTICE_DAYS` working days to respond. A response goes to a person; silence makes the
    refusal final (and starts the objection clock)."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for your response")
        ANSWERED = "answered", _("response received: an officer decides")
        FINAL = "final", _("no response: the refusal became final")

    class Circumstance(models.TextChoices):
        NONE = "", _("none")
        DISASTER = "disaster", _("natural or other disaster")
        MOVED = "moved", _("I moved house")
        ILLNESS = "illness", _("illness")
        DATA_ERROR = "data_error", _("the data used is wrong")
        OTHER = "other", _("another special circumstance")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="refusal_notices")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")  # the intended refusal
    issued_at = models.DateTimeField()
    respond_by = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = EncryptedTextField(blank=True)  # the citizen's words: may hold health or family details
    circumstance = models.CharField(max_length=12, choices=Circumstance.choices, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"refusal notice on {self.application}"


class DataCorrectionRequest(models.Model):
    """ "Data ini tidak benar": the citizen disputes one registry fact that decided the case. Routed to the
    agency's officers with a deadline; when the data is corrected that one case is re-run and the citizen told."""

    class Status(models.TextChoices):
        OPEN = "open", _("being checked")
        CORRECTED = "corrected", _("corrected: your case was checked again")
        REJECTED = "rejected", _("checked: the data is correct")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="data_corrections")
    fact = models.CharField(max_length=80)
    source = models.CharField(max_length=120)
    statement = EncryptedTextField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    due = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"data correction {self.fact} on {self.application}"


class RuleFlag(models.Model):
    """A case officer's flag on a rule (or the data source behind it) that looks harmful. Goes to the agency's
    analysts; flags from two officers within 24 hours open a provisional breaker (pamong.oversight). The
    flagger's identity is kept for the audit log only and is never used in appraisal."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="rule_flags")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    rule_id = models.CharField(max_length=80)
    region_code = models.CharField(max_length=10, blank=True)
    reason = models.TextField()
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-flagged_at"]

    def __str__(self) -> str:
        return f"flag {self.rule_id} on {self.application}"

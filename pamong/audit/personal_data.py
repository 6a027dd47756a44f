"""The audit log names actors (as "user:<id>") and keeps private payloads beside public digests. It is append-only
and kept for accountability: never exported as a person's own data (the citizen's timeline shows it) and never
erased (a gap would break the Merkle tree)."""

from pamong.core.personal_data import PersonalData, declare

declare(
    PersonalData(
        module="audit",
        models=("audit.AuditEntry",),
        retention="permanent: the tamper-evident record of what the agency did",
    )
)

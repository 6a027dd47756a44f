"""Every audited action, as a registered, namespaced constant (CONVENTIONS §5). `record_event` refuses others."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CATALOG_SERVICE_LOADED = "catalog.service_loaded"
    RULES_PUBLISHED = "rules.rule_set_published"
    APPLICATION_SUBMITTED = "cases.application_submitted"
    DECISION_RECORDED = "cases.decision_recorded"
    DECISION_OVERRIDDEN = "cases.decision_overridden"
    INFORMATION_REQUESTED = "cases.information_requested"
    INFORMATION_PROVIDED = "cases.information_provided"
    OBJECTION_FILED = "cases.objection_filed"
    OBJECTION_DECIDED = "cases.objection_decided"
    APPEAL_FILED = "cases.appeal_filed"
    APPEAL_DECIDED = "cases.appeal_decided"
    DEEMED_APPROVED = "cases.deemed_approved"
    DOCUMENT_ATTACHED = "cases.document_attached"
    ROLE_CHANGED = "accounts.role_changed"
    ACCOUNT_CREATED = "accounts.account_created"
    PERSONAL_DATA_OPENED = "accounts.personal_data_opened"
    LOGIN_LOCKED = "accounts.login_failed_locked"
    TOTP_ENROLLED = "accounts.totp_enrolled"
    TOTP_RESET = "accounts.totp_reset"
    PASSWORD_CHANGED = "accounts.password_changed"  # noqa: S105  (an action name, not a secret)
    PASSWORD_RESET = "accounts.password_reset"  # noqa: S105  (an action name, not a secret)
    ACTIVATION_CODE_ISSUED = "accounts.activation_code_issued"
    ACCOUNT_CLAIMED = "accounts.account_claimed"
    ACCOUNT_STATUS_CHANGED = "accounts.account_status_changed"
    LOGIN_CODE_CHANGED = "accounts.login_code_setting_changed"
    NOTIFICATION_CHANNELS_CHANGED = "accounts.notification_channels_changed"
    RETENTION_APPLIED = "accounts.retention_applied"
    PERSONAL_DATA_ERASED = "accounts.personal_data_erased"
    BREAKER_OPENED = "oversight.breaker_opened"
    BREAKER_CLOSED = "oversight.breaker_closed"
    RERUN_STARTED = "oversight.rerun_started"
    DECISION_REOPENED = "cases.decision_reopened"
    RULES_DRAFT_CREATED = "rules.draft_created"
    RULES_DRAFT_SIMULATED = "rules.draft_simulated"
    RULES_DRAFT_APPROVED = "rules.draft_approved"
    REEVALUATION_STARTED = "oversight.reevaluation_started"
    REEVALUATION_FINISHED = "oversight.reevaluation_finished"
    CLIENT_REGISTERED = "clients.client_registered"
    CLIENT_TOKEN_ISSUED = "clients.token_issued"  # noqa: S105  (an action name, not a secret)
    WEBHOOK_REGISTERED = "clients.webhook_registered"
    WEBHOOK_DISABLED = "clients.webhook_disabled"
    LETTER_ISSUED = "documents.letter_issued"
    LETTER_REVOKED = "documents.letter_revoked"
    LETTER_BATCH_STARTED = "documents.batch_started"

"""The decision path (DESIGN §3), split by sub-domain. Every public function is one transaction that writes its
audit entry inside it (CONVENTIONS §2, §5); notifications go out after commit; rows two people could act on at
once are locked with select_for_update. The legal clocks are in `pamong.cases.deadlines`.

- submission: file an application (citizen, API) or at a counter for a citizen;
- automation: gather facts and run the rules before the write; record the result; re-run after a data fix;
- review: claim, decide (diskresi when against the rules), ask for information;
- documents: attach a document to an open case;
- objections: objection (keberatan) and appeal (banding);
- counter: any counter officer finds a case by reference + NIK and acts for the citizen; printed letters;
- deemed: deemed approval (fiktif positif) when the state is late;
- handover: cases that move when an officer is away, and deadline warnings;
- notice: the notice of intended refusal (the right to be heard); corrections: "Data ini tidak benar";
- voice: officers flag rules; supervisors review diskresi records.
"""

from ..selectors import final_decision, latest_proposal, subject_of
from .automation import RuleRun, evaluate_rules, record_rule_run, rerun_application, run_rules, system_facts
from .common import locked, notify_applicant, record_decision, status_text
from .corrections import open_corrections, request_data_correction, resolve_data_correction
from .counter import consent_for, counter_find, hand_over_letter, is_counter_officer
from .deemed import deem_overdue
from .documents import MAX_ATTACHMENTS, OPEN_FOR_DOCUMENTS, attach_document
from .handover import follow_information_requests, release_case, release_claims_of
from .notice import finalise_lapsed_notices, open_notice, respond_to_notice
from .objections import decide_objection, file_appeal, file_objection
from .review import (
    DiscretionInput,
    claim_application,
    decide_application,
    provide_information,
    request_information,
)
from .submission import (
    CounterContact,
    ToldBy,
    check_counter_name,
    contact_problems,
    counter_problems,
    new_reference,
    refuse_duplicate,
    request_digest,
    submit_application,
    submit_at_counter,
    submit_for_citizen,
)
from .voice import discretion_register, flag_rule, review_discretion
from .withdrawal import WITHDRAWABLE, withdraw_application

__all__ = [
    "MAX_ATTACHMENTS",
    "OPEN_FOR_DOCUMENTS",
    "WITHDRAWABLE",
    "CounterContact",
    "DiscretionInput",
    "RuleRun",
    "ToldBy",
    "attach_document",
    "check_counter_name",
    "claim_application",
    "consent_for",
    "contact_problems",
    "counter_find",
    "counter_problems",
    "decide_application",
    "decide_objection",
    "deem_overdue",
    "discretion_register",
    "evaluate_rules",
    "file_appeal",
    "file_objection",
    "final_decision",
    "finalise_lapsed_notices",
    "flag_rule",
    "follow_information_requests",
    "hand_over_letter",
    "is_counter_officer",
    "latest_proposal",
    "locked",
    "new_reference",
    "notify_applicant",
    "open_corrections",
    "open_notice",
    "provide_information",
    "record_decision",
    "record_rule_run",
    "refuse_duplicate",
    "release_case",
    "release_claims_of",
    "request_data_correction",
    "request_digest",
    "request_information",
    "rerun_application",
    "resolve_data_correction",
    "respond_to_notice",
    "review_discretion",
    "run_rules",
    "status_text",
    "subject_of",
    "submit_application",
    "submit_at_counter",
    "submit_for_citizen",
    "system_facts",
    "withdraw_application",
]

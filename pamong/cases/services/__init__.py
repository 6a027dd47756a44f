"""The decision path (DESIGN §3), split by sub-domain. Every public function is one transaction that writes its
audit entry inside it (CONVENTIONS §2, §5); notifications go out after commit; rows two people could act on at
once are locked with select_for_update. The legal clocks are in `pamong.cases.deadlines`.

- submission: file an application (citizen, API) or at a counter for a citizen;
- automation: gather facts and run the rules before the write; record the result; re-run after a data fix;
- review: claim, decide (diskresi when against the rules), ask for information;
- documents: attach a document to an open case;
- objections: objection (keberatan) and appeal (banding);
- deemed: deemed approval (fiktif positif) when the state is late;
- notice: the notice of intended refusal (the right to be heard); corrections: "Data ini tidak benar";
- voice: officers flag rules; supervisors review diskresi records.
"""

from ..selectors import final_decision, latest_proposal, subject_of
from .automation import RuleRun, evaluate_rules, record_rule_run, rerun_application, run_rules, system_facts
from .common import locked, notify_applicant, record_decision, status_text
from .corrections import open_corrections, request_data_correction, resolve_data_correction
from .deemed import deem_overdue
from .documents import MAX_ATTACHMENTS, OPEN_FOR_DOCUMENTS, attach_document
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
    counter_problems,
    new_reference,
    request_digest,
    submit_application,
    submit_at_counter,
    submit_for_citizen,
)
from .voice import discretion_register, flag_rule, review_discretion

__all__ = [
    "MAX_ATTACHMENTS",
    "OPEN_FOR_DOCUMENTS",
    "DiscretionInput",
    "RuleRun",
    "attach_document",
    "claim_application",
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
    "latest_proposal",
    "locked",
    "new_reference",
    "notify_applicant",
    "open_corrections",
    "open_notice",
    "provide_information",
    "record_decision",
    "record_rule_run",
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
]

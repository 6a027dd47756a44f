"""Reads for citizens and staff: own applications, the review queue, the timeline, explanation and next steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from pamong.audit.models import AuditEntry
from pamong.core.formatting import format_date
from pamong.core.workdays import working_days_between

from .deadlines import appeal_deadline, local_today, objection_deadline
from .models import Application, Decision, Objection

S = Application.Status


def subject_of(application: Application) -> str:
    """The audit subject of an application: its timeline is read from the audit entries under it."""
    return f"cases.application:{application.pk}"


def final_decision(application: Application) -> Decision | None:
    return application.decisions.filter(final=True).order_by("-decided_at", "-pk").first()


def latest_proposal(application: Application) -> Decision | None:
    return application.decisions.filter(kind=Decision.Kind.PROPOSAL).order_by("-decided_at", "-pk").first()


TIMELINE_TEXT = {
    "cases.application_submitted": "Permohonan diterima",
    "cases.decision_recorded": "Keputusan dicatat",
    "cases.decision_overridden": "Diputus petugas dengan diskresi",
    "cases.information_requested": "Petugas meminta informasi tambahan (batas waktu dihentikan sementara)",
    "cases.information_provided": "Informasi tambahan diterima (batas waktu berjalan lagi)",
    "cases.objection_filed": "Keberatan diajukan",
    "cases.objection_decided": "Keberatan diputus",
    "cases.appeal_filed": "Banding diajukan",
    "cases.appeal_decided": "Banding diputus",
    "cases.deemed_approved": "Dianggap dikabulkan karena tidak diputus tepat waktu",
}
KIND_TEXT = {
    Decision.Kind.AUTOMATIC: "otomatis, berdasarkan aturan yang dipublikasikan",
    Decision.Kind.PROPOSAL: "usulan aturan; diperiksa petugas",
    Decision.Kind.HUMAN: "oleh petugas",
    Decision.Kind.OVERRIDE: "oleh petugas dengan diskresi",
    Decision.Kind.DEEMED: "dianggap dikabulkan menurut hukum",
    Decision.Kind.OBJECTION: "atas keberatan",
    Decision.Kind.APPEAL: "atas banding",
}
OUTCOME_TEXT = {"GRANT": "dikabulkan", "DENY": "ditolak", "REFER": "diteruskan ke petugas"}


def applications_of(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("service__agency").order_by("-filed_at")


def review_queue(user, *, service_slug: str = "") -> QuerySet[Application]:
    """The agency's open cases, most urgent deadline first, then the most vulnerable (priority score)."""
    queue = Application.objects.filter(
        service__agency_id=user.agency_id, status__in=[S.UNDER_REVIEW, S.INFO_REQUESTED]
    ).select_related("service", "assigned_to")
    if service_slug:
        queue = queue.filter(service__slug=service_slug)
    return queue.order_by("decision_due", "-priority_score", "filed_at")


def pending_objections(user) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(
            application__service__agency_id=user.agency_id, status=Objection.Status.PENDING
        )
        .select_related("application__service", "contested")
        .order_by("due")
    )


def sla_working_days_left(application: Application, today: dt.date | None = None) -> int:
    return working_days_between(today or local_today(), application.decision_due)


def timeline(application: Application) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(subject=subject_of(application)).order_by("index")
    return [
        {
            "at": entry.created_at,
            "action": entry.action,
            "text": _timeline_text(entry),
            "audit_index": entry.index,
        }
        for entry in entries
    ]


def _timeline_text(entry: AuditEntry) -> str:
    text = TIMELINE_TEXT.get(entry.action, entry.action)
    outcome = entry.data.get("outcome")
    kind = entry.data.get("kind")
    if outcome and kind:
        text = f"{text}: {OUTCOME_TEXT.get(outcome, outcome)} ({KIND_TEXT.get(kind, kind)})"
    return text


@dataclass(frozen=True)
class Explanation:
    decision: Decision | None
    outcome_text: str
    kind_text: str
    rules: list[dict[str, Any]]
    reasons: str
    legal_basis: str
    rule_set: str


def explanation(application: Application) -> Explanation:
    """What was decided, by whom or what, each rule's result in plain Bahasa Indonesia, and the legal basis."""
    decision = final_decision(application) or application.decisions.order_by("-decided_at", "-pk").first()
    if decision is None:
        return Explanation(None, "belum diputus", "", [], "", "", "")
    source = decision if decision.evaluation else _last_evaluated(application)
    evaluation = source.evaluation if source else {}
    version = (
        f"{evaluation.get('version_id', '')} ({evaluation.get('content_hash', '')[:19]})"
        if evaluation
        else ""
    )
    return Explanation(
        decision=decision,
        outcome_text=OUTCOME_TEXT.get(decision.outcome, decision.outcome),
        kind_text=KIND_TEXT.get(decision.kind, decision.kind),
        rules=list(evaluation.get("rules", [])),
        reasons=decision.reasons,
        legal_basis=decision.legal_basis,
        rule_set=version,
    )


def _last_evaluated(application: Application) -> Decision | None:
    # The evaluation is encrypted, so "has one" is decided here rather than in SQL; a case has few decisions.
    return next((d for d in application.decisions.order_by("-decided_at", "-pk") if d.evaluation), None)


def next_steps(application: Application, today: dt.date | None = None) -> list[str]:
    today = today or local_today()
    status = application.status
    if status == S.UNDER_REVIEW:
        return [
            f"Petugas akan memutus paling lambat {format_date(application.decision_due)}.",
            "Bila sampai tanggal itu belum ada keputusan, permohonan Anda dianggap dikabulkan (fiktif positif).",
        ]
    if status == S.INFO_REQUESTED:
        return [
            "Jawab permintaan informasi dari petugas; batas waktu keputusan berhenti sampai Anda menjawab."
        ]
    if status == S.DENIED:
        return _after_denial(application, today)
    if status in (S.OBJECTION, S.APPEAL):
        pending = application.objections.filter(status=Objection.Status.PENDING).first()
        due = format_date(pending.due) if pending else "-"
        return [f"Putusan paling lambat {due}; bila tidak diputus sampai tanggal itu, dianggap dikabulkan."]
    return ["Tidak ada yang perlu Anda lakukan. Unduh tanda terima keputusan untuk bukti."]


def _after_denial(application: Application, today: dt.date) -> list[str]:
    last = application.objections.order_by("-filed_at").first()
    if last is None:
        deadline = objection_deadline(final_decision(application))
        if today <= deadline:
            return [f"Anda dapat mengajukan keberatan sampai {format_date(deadline)}."]
        return [f"Batas waktu keberatan berakhir pada {format_date(deadline)}. Anda masih dapat mengadu."]
    if last.stage == Objection.Stage.OBJECTION:
        return ["Keberatan Anda ditolak. Anda dapat mengajukan banding kepada atasan dalam 10 hari kerja."]
    return ["Banding Anda ditolak. Anda dapat menggugat ke Pengadilan Tata Usaha Negara."]


# --- what the pages may offer (added for pamong.cases.views; the services still check every guard) ----------


def citizen_actions(application: Application, today: dt.date | None = None) -> dict[str, Any]:
    """Which citizen forms the status page shows: the open information request, objection, appeal."""
    today = today or local_today()
    open_request = application.information_requests.filter(answered_at__isnull=True).last()
    last = application.objections.order_by("-filed_at").first()
    contested = final_decision(application) if application.status == S.DENIED else None
    objection_until = objection_deadline(contested) if contested and last is None else None
    appeal_until = None
    if contested and last and last.stage == Objection.Stage.OBJECTION and last.decided_at:
        appeal_until = appeal_deadline(last)
    return {
        "open_request": open_request if application.status == S.INFO_REQUESTED else None,
        "objection_until": objection_until if objection_until and today <= objection_until else None,
        "appeal_until": appeal_until if appeal_until and today <= appeal_until else None,
        "objections": list(application.objections.order_by("filed_at")),
    }


def case_actions(application: Application, user) -> dict[str, Any]:
    """Which staff forms the case page shows, and the rules' proposal the officer confirms or departs from."""
    open_status = application.status in (S.UNDER_REVIEW, S.INFO_REQUESTED)
    mine = application.assigned_to_id == user.pk
    pending = (
        application.objections.filter(status=Objection.Status.PENDING).select_related("contested").first()
    )
    return {
        "proposal": latest_proposal(application),
        "can_claim": open_status and application.assigned_to_id is None,
        "claimed_by_other": open_status and application.assigned_to_id not in (None, user.pk),
        "can_decide": application.status == S.UNDER_REVIEW and mine,
        "can_request_information": application.status == S.UNDER_REVIEW and mine,
        "pending_objection": pending,
        "information_requests": list(application.information_requests.order_by("requested_at")),
        "objections": list(application.objections.order_by("filed_at")),
    }

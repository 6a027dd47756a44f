"""The only place that assigns Complaint.status (CONVENTIONS §6): each status names where it may be reached from."""

from __future__ import annotations

from pamong.core.errors import InvalidTransition, gettext_noop

from .models import Complaint

S = Complaint.Status

ALLOWED: dict[str, set[str]] = {
    S.VERIFIED: {S.RECEIVED},
    S.FORWARDED: {S.VERIFIED, S.FORWARDED, S.IN_PROGRESS},  # disposisi, also onwards to another agency
    S.IN_PROGRESS: {S.FORWARDED, S.ANSWERED},  # ANSWERED: the reporter reopened it
    S.ANSWERED: {S.IN_PROGRESS},
    S.CLOSED: {S.ANSWERED},
    S.MERGED: {S.RECEIVED, S.VERIFIED, S.FORWARDED, S.IN_PROGRESS},
}


def require(complaint: Complaint, *statuses: str) -> None:
    if complaint.status not in statuses:
        current = S(complaint.status).label
        raise InvalidTransition(
            gettext_noop("Report %(reference)s is %(status)s; this action cannot be taken now."),
            details={"status": complaint.status, "required": sorted(statuses)},
            params={"reference": complaint.reference, "status": current},
        )


def move(complaint: Complaint, to: str) -> None:
    """Change the status in memory; the caller saves it in its transaction."""
    require(complaint, *ALLOWED[to])
    complaint.status = to

"""The only place that assigns Application.status (CONVENTIONS §6): each transition names where it may start."""

from __future__ import annotations

from pamong.core.errors import InvalidTransition, gettext_noop

from .models import Application

S = Application.Status

ALLOWED: dict[str, set[str]] = {
    # DENIED: re-opened after a data fix (oversight); REFUSAL_NOTICE: the citizen responded to the notice
    S.UNDER_REVIEW: {S.INFO_REQUESTED, S.DENIED, S.REFUSAL_NOTICE},
    S.REFUSAL_NOTICE: {S.UNDER_REVIEW},  # an automated refusal is first only intended (notice)
    S.INFO_REQUESTED: {S.UNDER_REVIEW},
    S.GRANTED: {S.UNDER_REVIEW, S.OBJECTION, S.APPEAL},
    S.DENIED: {S.UNDER_REVIEW, S.OBJECTION, S.REFUSAL_NOTICE},  # REFUSAL_NOTICE: silence made it final
    S.DEEMED_GRANTED: {S.UNDER_REVIEW, S.OBJECTION, S.APPEAL},
    S.OBJECTION: {S.DENIED},
    S.APPEAL: {S.DENIED},
    # The applicant withdraws before the final decision (also while a re-opened refusal is being re-examined).
    S.WITHDRAWN: {S.UNDER_REVIEW, S.INFO_REQUESTED, S.REFUSAL_NOTICE},
}


def require(application: Application, *statuses: str) -> None:
    """Raise InvalidTransition unless the application is in one of `statuses`."""
    if application.status not in statuses:
        current = S(application.status).label
        raise InvalidTransition(
            gettext_noop("Application %(reference)s: %(status)s; this action cannot be taken now."),
            details={"status": application.status, "required": list(statuses)},
            params={"reference": application.reference, "status": current},
        )


def move(application: Application, to: str) -> None:
    """Change the status in memory; the caller saves in its transaction. Raises InvalidTransition otherwise."""
    require(application, *ALLOWED[to])
    application.status = to

"""Who may see and act in oversight (CONVENTIONS §4). Analysts and supervisors of the agency oversee its
services; auditors read everything and change nothing; the algorithm register is public. A client-supplied id
becomes an object only here, and "missing" and "not yours" give the same 404."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.catalog.models import Service
from pamong.core.errors import NotFound, PermissionDenied

from .models import CircuitBreaker, Job, RuleSetDraft

ACTING_ROLES = {roles.ANALIS, roles.SUPERVISOR}


def role_names(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_pamong_roles"):
        user._pamong_roles = set(user.groups.values_list("name", flat=True))
    return user._pamong_roles


def is_auditor(user) -> bool:
    return roles.AUDITOR in role_names(user)


def can_view(user, agency_id: int | None = None) -> bool:
    """The dashboard: analysts and supervisors of the agency (any agency: `agency_id=None`), or an auditor."""
    if is_auditor(user):
        return True
    if not role_names(user) & ACTING_ROLES or user.agency_id is None:
        return False
    return agency_id is None or user.agency_id == agency_id


def can_act(user, agency_id: int) -> bool:
    return bool(role_names(user) & ACTING_ROLES) and user.agency_id == agency_id


def require_act(user, agency_id: int) -> None:
    if not can_act(user, agency_id):
        raise PermissionDenied(
            _("Only an analyst or supervisor of this agency can take oversight actions."),
            code="oversight_not_allowed",
        )


def require_supervisor(user, agency_id: int) -> None:
    if roles.SUPERVISOR not in role_names(user) or user.agency_id != agency_id:
        raise PermissionDenied(
            _("The second approval must be given by a supervisor of this agency."), code="supervisor_required"
        )


def visible_services(user):
    """Automated services the user may oversee, agency joined."""
    services = Service.objects.filter(automated=True).select_related("agency").order_by("name")
    if is_auditor(user):
        return services
    if not can_view(user):
        return services.none()
    return services.filter(agency_id=user.agency_id)


def access_service_by_slug(user, slug: str, *, for_write: bool = False) -> Service:
    service = visible_services(user).filter(slug=slug).first()
    if service is None:
        raise NotFound(_("Service not found."), code="service_not_found")
    if for_write:
        require_act(user, service.agency_id)
    return service


def access_breaker_by_id(user, breaker_id: int, *, for_write: bool = False) -> CircuitBreaker:
    breaker = CircuitBreaker.objects.select_related("service__agency").filter(pk=breaker_id).first()
    if breaker is None or not can_view(user, breaker.service.agency_id):
        raise NotFound(_("Circuit breaker not found."), code="breaker_not_found")
    if for_write:
        require_act(user, breaker.service.agency_id)
    return breaker


def access_draft_by_id(user, draft_id: int, *, for_write: bool = False) -> RuleSetDraft:
    draft = RuleSetDraft.objects.select_related("service__agency", "created_by", "approved_by").filter(
        pk=draft_id
    )
    draft = draft.first()
    if draft is None or not can_view(user, draft.service.agency_id):
        raise NotFound(_("Rule draft not found."), code="draft_not_found")
    if for_write:
        require_act(user, draft.service.agency_id)
    return draft


def access_job_by_id(user, job_id: int) -> Job:
    job = Job.objects.select_related("service").filter(pk=job_id).first()
    if job is None or not can_view(user, job.service.agency_id):
        raise NotFound(_("Job not found."), code="job_not_found")
    return job

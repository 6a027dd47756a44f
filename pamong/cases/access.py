"""Who may see and act on an application (CONVENTIONS §4). A client-supplied id becomes an object only here,
and "missing" and "not yours" give the same 404."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.core.errors import NotFound, PermissionDenied

from .models import Application, Objection

DECIDING_ROLES = {roles.PETUGAS, roles.SUPERVISOR}
READING_STAFF_ROLES = {roles.PETUGAS, roles.SUPERVISOR, roles.ANALIS, roles.ADMIN_INSTANSI}


def role_names(user) -> set[str]:
    if not hasattr(user, "_pamong_roles"):
        user._pamong_roles = (
            set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        )
    return user._pamong_roles


def can_read(user, application: Application) -> bool:
    user_roles = role_names(user)
    if application.applicant_id == user.pk:
        return True
    if roles.AUDITOR in user_roles:
        return True
    if roles.PETUGAS_LOKET in user_roles and application.assisted_by_id == user.pk:
        return True
    return bool(user_roles & READING_STAFF_ROLES) and application.service.agency_id == user.agency_id


def can_decide(user, application: Application) -> bool:
    return bool(role_names(user) & DECIDING_ROLES) and application.service.agency_id == user.agency_id


def access_application_by_id(user, application_id, *, for_decision: bool = False) -> Application:
    not_found = NotFound(_("Application not found."), code="application_not_found")
    try:
        key = uuid.UUID(str(application_id))
    except ValueError:
        raise not_found from None
    application = (
        Application.objects.select_related("service__agency", "applicant", "assigned_to")
        .filter(pk=key)
        .first()
    )
    if application is None or not can_read(user, application):
        raise not_found
    if for_decision and not can_decide(user, application):
        raise PermissionDenied(_("You may not decide this application."), code="not_a_deciding_officer")
    return application


def access_objection_by_id(user, objection_id: int) -> Objection:
    objection = (
        Objection.objects.select_related("application__service__agency").filter(pk=objection_id).first()
    )
    if objection is None or not can_read(user, objection.application):
        raise NotFound(_("Objection not found."), code="objection_not_found")
    if not can_decide(user, objection.application):
        raise PermissionDenied(_("You may not decide this objection."), code="not_a_deciding_officer")
    return objection


def objection_decision_refusal(user, objection: Objection) -> PermissionDenied | None:
    """Why `user` may not decide this objection or appeal, or None when they may. The case page shows the form
    only when this is None and the reason otherwise; the service raises the same error, so both agree."""
    if objection.stage == Objection.Stage.APPEAL:
        if roles.SUPERVISOR not in role_names(user):
            return PermissionDenied(
                _("An appeal is decided at the supervisor's level; your supervisor will decide it."),
                code="supervisor_required",
            )
        return None
    if objection.contested.decided_by_id == user.pk:
        return PermissionDenied(
            _("Decided by another officer or the supervisor, because you decided this application."),
            code="same_officer",
        )
    return None

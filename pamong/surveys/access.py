"""Who may do what with surveys (CONVENTIONS §4). A citizen answers for their own decided application; a counter
officer opens the kiosk for an application of their agency; supervisors, analysts and the agency administrator
read their agency's report (auditors every agency's); supervisors and administrators record follow-up actions.
Nobody can read a single response: reports show totals, means and comments sorted by text."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.cases.access import access_application_by_id
from pamong.cases.models import Application
from pamong.catalog.models import Agency
from pamong.core.errors import NotFound

from .models import FollowUpAction

REPORT_ROLES = {roles.SUPERVISOR, roles.ANALIS, roles.ADMIN_INSTANSI}
FOLLOWUP_ROLES = {roles.SUPERVISOR, roles.ADMIN_INSTANSI}


def own_application(user, application_id) -> Application:
    """The signed-in citizen's own application (anyone else, staff included, gets the 404 of a missing id)."""
    application = access_application_by_id(user, application_id)
    if application.applicant_id != user.pk:
        raise NotFound(_("Application not found."), code="application_not_found")
    return application


def is_counter_officer(user) -> bool:
    return roles.PETUGAS_LOKET in roles.roles_of(user) and user.agency_id is not None


def kiosk_application(user, reference: str) -> Application:
    """An application of the counter officer's agency, by its reference number."""
    application = (
        Application.objects.select_related("service__agency")
        .filter(reference=reference.strip().upper(), service__agency_id=user.agency_id)
        .first()
    )
    if application is None or not is_counter_officer(user):
        raise NotFound(_("Application number not found at this agency."), code="application_not_found")
    return application


def can_read_reports(user) -> bool:
    held = roles.roles_of(user)
    return roles.AUDITOR in held or (bool(held & REPORT_ROLES) and user.agency_id is not None)


def report_agencies(user):
    if roles.AUDITOR in roles.roles_of(user):
        return Agency.objects.order_by("name")
    if can_read_reports(user):
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def can_record_followups(user, agency_id: int) -> bool:
    return bool(roles.roles_of(user) & FOLLOWUP_ROLES) and user.agency_id == agency_id


def access_followup_by_id(user, followup_id: int) -> FollowUpAction:
    followup = FollowUpAction.objects.select_related("agency", "service").filter(pk=followup_id).first()
    if followup is None or not can_record_followups(user, followup.agency_id):
        raise NotFound(_("Follow-up action not found."), code="followup_not_found")
    return followup

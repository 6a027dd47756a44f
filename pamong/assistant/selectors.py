"""Reads: the hand-overs an agency's staff see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.complaints.models import Complaint
from pamong.core.errors import NotFound

from .models import Handover

# Who in an agency reads the hand-overs of that agency.
HANDOVER_ROLES = (roles.PETUGAS, roles.SUPERVISOR, roles.PETUGAS_LOKET, roles.ADMIN_INSTANSI)
S = Complaint.Status
COMPLAINT_WAITING = (S.RECEIVED, S.VERIFIED, S.FORWARDED, S.IN_PROGRESS)
# Waiting: a complaint not yet answered, or a row from before hand-overs were complaints still open.
WAITING = Q(complaint__status__in=COMPLAINT_WAITING) | Q(complaint__isnull=True, status=Handover.Status.OPEN)


def handover_agency(user) -> int | None:
    """The agency whose hand-overs `user` may read, or None."""
    if not user.is_authenticated or not user.agency_id:
        return None
    return user.agency_id if roles.roles_of(user) & set(HANDOVER_ROLES) else None


def handovers_of(agency_id: int, *, status: str = Handover.Status.OPEN) -> QuerySet[Handover]:
    """The agency's hand-overs, waiting (`open`) or answered (`closed`): by the complaint's status."""
    queryset = Handover.objects.filter(agency_id=agency_id)
    queryset = queryset.filter(WAITING) if status == Handover.Status.OPEN else queryset.exclude(WAITING)
    return queryset.select_related("agency", "citizen", "complaint").order_by("-urgency", "answer_by", "pk")


def access_handover_by_id(user, handover_id: int) -> Handover:
    """A hand-over of the user's own agency from before hand-overs were complaints (a complaint is answered in
    the complaints inbox); the same NotFound for missing, another agency's and a complaint's."""
    agency_id = handover_agency(user)
    handover = (
        Handover.objects.filter(pk=handover_id, agency_id=agency_id, complaint__isnull=True)
        .select_related("agency")
        .first()
    )
    if agency_id is None or handover is None:
        raise NotFound(_("Not found."))
    return handover

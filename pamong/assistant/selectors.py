"""Reads: the hand-overs an agency's staff see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pamong.accounts import roles
from pamong.core.errors import NotFound

from .models import Handover

# Who in an agency reads the hand-overs of that agency.
HANDOVER_ROLES = (roles.PETUGAS, roles.SUPERVISOR, roles.PETUGAS_LOKET, roles.ADMIN_INSTANSI)


def handover_agency(user) -> int | None:
    """The agency whose hand-overs `user` may read, or None."""
    if not user.is_authenticated or not user.agency_id:
        return None
    return user.agency_id if roles.roles_of(user) & set(HANDOVER_ROLES) else None


def handovers_of(agency_id: int, *, status: str = Handover.Status.OPEN) -> QuerySet[Handover]:
    return (
        Handover.objects.filter(agency_id=agency_id, status=status)
        .select_related("agency", "citizen")
        .order_by("-urgency", "answer_by", "pk")
    )


def access_handover_by_id(user, handover_id: int) -> Handover:
    """A hand-over of the user's own agency; the same NotFound for missing and for another agency's."""
    agency_id = handover_agency(user)
    handover = Handover.objects.filter(pk=handover_id, agency_id=agency_id).select_related("agency").first()
    if agency_id is None or handover is None:
        raise NotFound(_("Not found."))
    return handover

"""Notifications to staff, through the one interface the staffing module's routing provides (pamong.staffing,
built in parallel): whoever is on duty for a function, or one named staff member. Until staffing is merged this
module-local stand-in sends to the agency's staff of the matching role through pamong.notify."""

from __future__ import annotations

from typing import Any

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.notify import services as notify

# function -> the roles that serve it, first that has anyone wins (alerts: analysts, else supervisors)
FUNCTION_ROLES = {
    "review": (roles.PETUGAS, roles.SUPERVISOR),
    "alerts": (roles.ANALIS, roles.SUPERVISOR),
    "supervision": (roles.SUPERVISOR,),
    "counter": (roles.PETUGAS_LOKET,),
    "complaints": (roles.PETUGAS, roles.SUPERVISOR),
}


def notify_staff(*, user, urgency: str, template: str, context: dict[str, Any]) -> None:
    notify.notify_user(user=user, template=template, context={**context, "urgency": urgency})


def notify_on_duty(*, agency, function: str, urgency: str, template: str, context: dict[str, Any]) -> None:
    for role in FUNCTION_ROLES.get(function, (roles.SUPERVISOR,)):
        people = list(User.objects.filter(agency=agency, groups__name=role, is_active=True).distinct())
        if people:
            for user in people:
                notify_staff(user=user, urgency=urgency, template=template, context=context)
            return

"""The roles of DESIGN §1. Each is a Django group; staff roles are scoped to one agency (User.agency)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WARGA = "warga"
PETUGAS_LOKET = "petugas_loket"
PETUGAS = "petugas"
SUPERVISOR = "supervisor"
ANALIS = "analis"
AUDITOR = "auditor"
ADMIN_INSTANSI = "admin_instansi"

ROLE_LABELS = {
    WARGA: _("Citizen"),
    PETUGAS_LOKET: _("Counter officer"),
    PETUGAS: _("Case officer"),
    SUPERVISOR: _("Supervisor"),
    ANALIS: _("Oversight analyst"),
    AUDITOR: _("Auditor"),
    ADMIN_INSTANSI: _("Agency administrator"),
}
ALL_ROLES = tuple(ROLE_LABELS)
STAFF_ROLES = tuple(role for role in ALL_ROLES if role != WARGA)
# The roles an agency administrator may give within their own agency. Auditors work across agencies and are
# appointed by the platform operator; nobody is made a citizen or a superuser here.
AGENCY_ROLES = (PETUGAS_LOKET, PETUGAS, SUPERVISOR, ANALIS, ADMIN_INSTANSI)


def roles_of(user) -> set[str]:
    """The user's role names, read once per request object (cached on the user as pamong.cases.access does)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_pamong_roles"):
        user._pamong_roles = set(user.groups.values_list("name", flat=True))
    return user._pamong_roles


def is_staff_member(user) -> bool:
    """Anyone who is not only a citizen: a staff role, the is_staff flag, or a superuser. Staff need TOTP."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.is_staff or roles_of(user) & set(STAFF_ROLES))

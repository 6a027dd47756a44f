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

"""The main menu and the landing page after sign-in, per role (docs/security.md, Permissions).

The menu shows a page only to the roles the permissions table allows, so nobody follows a link to a 404; the
landing page is the first page of the person's daily work. Pages are named by URL name, so this module imports
no other module's views.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import roles


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: everyone, signed in or not; frozenset(): only the signed-out
    prefix: str  # the path prefix that marks this entry as the current one

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ANONYMOUS: frozenset[str] = frozenset()
OVERSIGHT = frozenset({roles.SUPERVISOR, roles.ANALIS, roles.AUDITOR})

MENU = (
    MenuItem("counter", _("Counter"), "cases:counter", frozenset({roles.PETUGAS_LOKET}), "/loket/"),
    MenuItem(
        "queue", _("Review queue"), "cases:queue", frozenset({roles.PETUGAS, roles.SUPERVISOR}), "/petugas/"
    ),
    MenuItem(
        "discretion",
        _("Diskresi register"),
        "cases:discretion-register",
        frozenset({roles.SUPERVISOR}),
        "/petugas/diskresi/",
    ),
    MenuItem("audit", _("Audit log"), "audit-log", frozenset({roles.AUDITOR}), "/audit/"),
    MenuItem("oversight", _("Oversight"), "oversight:dashboard", OVERSIGHT, "/pengawasan/"),
    MenuItem("staff", _("Agency staff"), "accounts:staff", frozenset({roles.ADMIN_INSTANSI}), "/instansi/"),
    MenuItem(
        "webhooks",
        _("Webhook subscribers"),
        "clients:webhooks",
        frozenset({roles.ADMIN_INSTANSI}),
        "/instansi/webhook/",
    ),
    MenuItem("kiosk", _("Survey kiosk"), "surveys:kiosk", frozenset({roles.PETUGAS_LOKET}), "/survei/kiosk/"),
    MenuItem(
        "ikm",
        _("Satisfaction survey"),
        "surveys:report",
        frozenset({roles.SUPERVISOR, roles.ANALIS, roles.AUDITOR, roles.ADMIN_INSTANSI}),
        "/survei/laporan/",
    ),
    MenuItem(
        "my_work",
        _("My work and rota"),
        "staffing:mine",
        frozenset({roles.PETUGAS_LOKET, roles.PETUGAS, roles.SUPERVISOR, roles.ANALIS, roles.ADMIN_INSTANSI}),
        "/staf/",
    ),
    MenuItem(
        "complaints-inbox",
        _("Complaints inbox"),
        "complaints:inbox",
        frozenset({roles.PETUGAS, roles.SUPERVISOR}),
        "/pengaduan/masuk/",
    ),
    MenuItem("services", _("Services"), "service-list", None, "/layanan/"),
    MenuItem("mine", _("My applications"), "cases:my-applications", frozenset({roles.WARGA}), "/permohonan/"),
    MenuItem("account", _("My account"), "accounts:account", frozenset({roles.WARGA}), "/akun/"),
    MenuItem("complaints", _("Complaints"), "complaints:public", None, "/pengaduan/"),
    MenuItem("register", _("Algorithm register"), "oversight:register", None, "/algoritma/"),
    MenuItem("budget", _("Budget"), "budget:public", None, "/anggaran/"),
    MenuItem("apip", _("Budget red flags"), "budget:apip", frozenset({roles.AUDITOR}), "/apip/"),
    MenuItem("ask", _("Ask"), "assistant:ask", None, "/tanya/"),
    MenuItem(
        "handovers",
        _("Questions for an officer"),
        "assistant:handovers",
        frozenset({roles.PETUGAS_LOKET, roles.PETUGAS, roles.SUPERVISOR, roles.ADMIN_INSTANSI}),
        "/instansi/tanya/",
    ),
    MenuItem("performance", _("Service performance"), "transparency:index", None, "/kinerja/"),
    MenuItem("api", _("API"), "api:openapi-view", ANONYMOUS, "/api/"),
)

# The first page of each role's work, in order of precedence when a person holds several roles.
LANDING = (
    (roles.PETUGAS_LOKET, "cases:counter"),
    (roles.PETUGAS, "cases:queue"),
    (roles.SUPERVISOR, "cases:queue"),
    (roles.ANALIS, "oversight:dashboard"),
    (roles.AUDITOR, "audit-log"),
    (roles.ADMIN_INSTANSI, "accounts:staff"),
    (roles.WARGA, "cases:my-applications"),
)


def menu_for(user) -> list[MenuItem]:
    signed_in = getattr(user, "is_authenticated", False)
    held = roles.roles_of(user)
    staff = roles.is_staff_member(user)
    shown = []
    for item in MENU:
        if item.roles is None:
            if not staff:  # staff find the pages open to everyone in the footer (public_pages_for)
                shown.append(item)
        elif not item.roles:
            if not signed_in:
                shown.append(item)
        elif held & item.roles:
            shown.append(item)
    return shown


def public_pages_for(user) -> list[MenuItem]:
    """The pages open to everyone, in the footer for staff: their menu keeps to their daily work. The algorithm
    register is left out: the footer links it for everyone."""
    if not roles.is_staff_member(user):
        return []
    return [item for item in MENU if item.roles is None and item.key != "register"]


def landing_url(user) -> str:
    held = roles.roles_of(user)
    for role, url_name in LANDING:
        if role in held:
            return reverse(url_name)
    return reverse("home")

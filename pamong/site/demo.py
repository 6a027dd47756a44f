"""Demo data: the shipped service packs and one account per role (DESIGN §1). Loading twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.catalog import services as catalog
from pamong.catalog.models import Agency
from pamong.documents import signing as document_signing
from pamong.registry import demo as registry_demo
from pamong.registry import services as registry

DEMO_PASSWORD = "pamong-demo-2026"  # noqa: S105  (published on purpose: demo only, refused in production)
# Staff sign in with TOTP; every demo staff account has this published secret (README, `pamong demo` prints the
# otpauth URI and the current code). Never used outside the demo: install_totp_device refuses production.
DEMO_TOTP_SECRET = "PAMONGDEMOTOTPJAWABARATBANDUNG23"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency: str | None
    full_name: str
    nik: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("warga", roles.WARGA, None, "Siti Nurhaliza", registry_demo.WARGA_NIK),
    DemoAccount("warga-ditolak", roles.WARGA, None, "Bambang Sutrisno", registry_demo.DENIED_NIK),
    DemoAccount("warga-rujuk", roles.WARGA, None, "Asep Saepudin", registry_demo.REFER_NIK),
    DemoAccount("loket", roles.PETUGAS_LOKET, "dinsos-kota-bandung", "Budi Santoso"),
    DemoAccount("petugas", roles.PETUGAS, "dinsos-kota-bandung", "Dewi Lestari"),
    DemoAccount("petugas2", roles.PETUGAS, "dinsos-kota-bandung", "Rudi Hartono"),
    DemoAccount("supervisor", roles.SUPERVISOR, "dinsos-kota-bandung", "Agus Wibowo"),
    DemoAccount("analis", roles.ANALIS, "dinsos-kota-bandung", "Rina Marlina"),
    DemoAccount("auditor", roles.AUDITOR, None, "Hendra Gunawan"),
    DemoAccount("admin", roles.ADMIN_INSTANSI, "dinsos-kota-bandung", "Yusuf Rahman"),
    DemoAccount("petugas-dukcapil", roles.PETUGAS, "disdukcapil-kota-bandung", "Maya Sari"),
]


def load_demo(*, packs_root: Path) -> catalog.LoadReport:
    with transaction.atomic():
        report = catalog.load_packs(root=packs_root, actor="system:demo")
        registry.load_reference_data(actor="system:demo", population=True)
        accounts.ensure_role_groups()
        for account in DEMO_ACCOUNTS:
            if User.objects.filter(username=account.username).exists():
                continue
            agency = Agency.objects.get(slug=account.agency) if account.agency else None
            user = accounts.create_account(
                actor="system:demo",
                username=account.username,
                password=DEMO_PASSWORD,
                role=account.role,
                agency=agency,
                full_name=account.full_name,
                nik=account.nik,
            )
            if account.role in roles.STAFF_ROLES:
                accounts.install_totp_device(actor="system:demo", user=user, secret=DEMO_TOTP_SECRET)
    document_signing.ensure_demo_certificates()  # the demo CA and agency certificate that sign letters
    return report

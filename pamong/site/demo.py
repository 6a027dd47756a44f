"""Demo data: the shipped service packs and one account per role (DESIGN §1). Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.budget import demo as budget_demo
from pamong.catalog import services as catalog
from pamong.catalog.models import Agency, Service
from pamong.complaints.demo import load_demo_complaints
from pamong.documents import signing as document_signing
from pamong.registry import demo as registry_demo
from pamong.registry import services as registry
from pamong.staffing import demo as staffing_demo
from pamong.surveys import services as surveys
from pamong.surveys.forms import clean_survey
from pamong.surveys.ikm import ELEMENTS
from pamong.surveys.models import SurveyResponse

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


def load_demo(*, packs_root: Path, population_scale: int = 1) -> catalog.LoadReport:
    """Packs, reference data, the synthetic population (`population_scale` × the test size) and one account
    per role. The 90-day history is separate (`pamong.site.history`, run by the `demo` command)."""
    with transaction.atomic():
        report = catalog.load_packs(root=packs_root, actor="system:demo")
        registry.load_reference_data(actor="system:demo", population=True, scale=population_scale)
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
        budget_demo.load_demo_budget(actor="system:demo")
        load_demo_surveys()
        # Working patterns and a week of staff notices routed by urgency (the staffing dashboard's demo week).
        staffing_demo.load(Agency.objects.get(slug="dinsos-kota-bandung"))
        load_demo_complaints()
    document_signing.ensure_demo_certificates()  # the demo CA and agency certificate that sign letters
    return report


# Demo IKM answers for bansos PKH, typed in as paper questionnaires (the regulation allows paper forms): a fixed
# seed, so every demo shows the same index; completion time and complaint handling are the weak elements.
DEMO_SURVEY_RESPONSES = 48
DEMO_SURVEY_LEAN = {"waktu": -1, "pengaduan": -1, "biaya": 1}


def load_demo_surveys() -> None:
    service = Service.objects.get(slug="bansos-pkh")
    if SurveyResponse.objects.filter(service=service).exists():
        return
    supervisor = User.objects.get(username="supervisor")
    draw = random.Random(2026)  # demo data, not security
    today = timezone.localdate()
    for i in range(DEMO_SURVEY_RESPONSES):
        month = dt.date(today.year, 1 + i % today.month, 1)
        scores = {
            name: str(
                max(1, min(4, draw.choice((3, 3, 3, 4, 4, 2)) + DEMO_SURVEY_LEAN.get(name, 0) * (i % 2)))
            )
            for name in ELEMENTS
        }
        surveys.record_paper_response(service, actor=supervisor, answers=clean_survey(scores), month=month)
    followup = surveys.record_followup(
        actor=supervisor,
        agency=service.agency,
        service=service,
        period=str(today.year),
        element="waktu",
        action="Verifikasi lapangan dijadwalkan dalam 3 hari kerja setelah permohonan lengkap; antrean dipantau "
        "setiap pagi oleh supervisor.",
        responsible="Bidang Perlindungan dan Jaminan Sosial",
        due=dt.date(today.year, 12, 31),
    )
    surveys.publish_followup(followup, actor=supervisor, status="in_progress")

"""Demo complaints (`pamong demo`): a report about Bambang's refused bansos application, forwarded and in
progress; an anonymous, confidential one; and an answered suggestion. Idempotent: nothing when any exists."""

from __future__ import annotations

from pamong.accounts.models import User
from pamong.cases import services as cases
from pamong.catalog.models import Service
from pamong.registry import demo as registry_demo

from . import services
from .models import Complaint


def load_demo_complaints() -> None:
    if Complaint.objects.exists():
        return
    people = User.objects.in_bulk(
        ["warga", "warga-ditolak", "warga-rujuk", "petugas", "petugas2"], field_name="username"
    )
    bansos = Service.objects.get(slug="bansos-pkh")
    bambang, officer, officer2 = people["warga-ditolak"], people["petugas"], people["petugas2"]
    application, _ = cases.submit_application(
        actor=bambang,
        service=bansos,
        applicant=bambang,
        form=dict(registry_demo.DEMO_BANSOS_FORMS[registry_demo.DENIED_NIK]),
    )
    application.refresh_from_db()
    if application.status == "under_review":  # a DENY proposed for a person to confirm (impact level ≥ 3)
        cases.claim_application(application, actor=officer2)
        cases.decide_application(
            application,
            actor=officer2,
            outcome="DENY",
            reasons="Penghasilan per kapita di atas garis kemiskinan.",
        )
        application.refresh_from_db()
    about_refusal = services.submit_complaint(
        services.Report(
            service=bansos,
            title="Permohonan PKH saya ditolak padahal mobil sudah dijual",
            description="Permohonan bansos PKH saya ditolak karena tercatat punya mobil, padahal mobil itu sudah "
            "dijual tahun lalu dan surat jual belinya ada. Mohon data saya diperiksa ulang.",
            application=application if application.status == "denied" else None,
            region_code="3273011001",
        ),
        actor=bambang,
        reporter=bambang,
    )
    services.verify_complaint(about_refusal, actor=officer, urgency=Complaint.Urgency.NORMATIF)
    services.forward_complaint(about_refusal, actor=officer, officer=officer2)
    services.submit_complaint(
        services.Report(
            service=bansos,
            title="Pendamping meminta imbalan pencairan",
            description="Pendamping PKH di kelurahan kami meminta uang Rp100.000 dari setiap keluarga agar bantuan "
            "cepat cair.",
            anonymous=True,
            confidential=True,
            region_code="3273011001",
        ),
        actor=people["warga"],
        reporter=people["warga"],
    )
    suggestion = services.submit_complaint(
        services.Report(
            service=bansos,
            kind=Complaint.Kind.ASPIRASI,
            title="Loket bansos sebaiknya buka sejak pukul tujuh",
            description="Antrean loket bansos sudah panjang sejak subuh; mohon loket dibuka pukul tujuh pagi.",
            latitude=-6.9147,
            longitude=107.6098,
        ),
        actor=people["warga-rujuk"],
        reporter=people["warga-rujuk"],
    )
    services.verify_complaint(suggestion, actor=officer, urgency=Complaint.Urgency.RINGAN)
    services.forward_complaint(suggestion, actor=officer, officer=officer)
    services.start_complaint(suggestion, actor=officer, note="Usulan Bapak kami bahas dalam rapat pelayanan.")
    services.answer_complaint(
        suggestion,
        actor=officer,
        answer="Mulai 1 Desember loket bansos di Dinas Sosial dibuka pukul 07.00, dan nomor antrean dapat diambil "
        "sejak pukul 06.30 di pos satpam.",
    )

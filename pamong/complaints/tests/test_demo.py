"""From the demo: Bambang's report about his refused application is forwarded, escalated at 80% of its deadline
with no answer, answered and rated; the audit log holds every step."""

from __future__ import annotations

import pytest

from pamong.accounts.models import User
from pamong.audit.models import AuditEntry
from pamong.complaints import services
from pamong.complaints.models import Complaint
from pamong.site.demo import load_demo
from pamong.staffing.models import StaffNotice


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_story(packs_root, client):
    load_demo(packs_root=packs_root)
    load_demo(packs_root=packs_root)  # idempotent
    assert Complaint.objects.count() == 3
    complaint = Complaint.objects.get(application__isnull=False)
    assert complaint.application.status == "denied" and complaint.status == "forwarded"
    assert not Complaint.objects.get(anonymous=True).reporter_id
    people = User.objects.in_bulk(["warga-ditolak", "petugas2", "supervisor"], field_name="username")

    assert services.escalate_overdue(now=complaint.escalate_at)["warned"] == 1
    # routed by staffing to the supervisor (a non-urgent notice waits for working hours)
    assert (
        StaffNotice.objects.filter(template="complaint_escalated", recipient=people["supervisor"]).count()
        == 1
    )
    services.start_complaint(
        complaint, actor=people["petugas2"], note="Kami periksa bukti jual beli mobil Bapak."
    )
    services.answer_complaint(
        complaint,
        actor=people["petugas2"],
        answer="Bukti jual beli mobil sudah kami terima dan data registri diperbarui; permohonan Bapak kami buka "
        "kembali dan diputus ulang dalam 5 hari kerja.",
    )
    services.rate_complaint(complaint, actor=people["warga-ditolak"], rating=5)
    steps = list(
        AuditEntry.objects.filter(subject=f"complaint:{complaint.reference}")
        .order_by("index")
        .values_list("action", flat=True)
    )
    assert steps == [
        "complaints.submitted",
        "complaints.verified",
        "complaints.forwarded",
        "complaints.escalated",
        "complaints.started",
        "complaints.answered",
        "complaints.rated",
    ]
    public = client.get("/pengaduan/").content.decode()
    assert "Loket bansos sebaiknya buka sejak pukul tujuh" in public
    assert "Pendamping meminta imbalan" not in public  # confidential

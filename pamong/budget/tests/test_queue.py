"""Red flags in the inspectorate's (APIP) queue: raised from the demo budget with their evidence and audit entries,
never naming a person, raised once, dismissed only by an auditor with a written reason; and the public pages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum
from django.template.loader import render_to_string

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit.models import AuditEntry
from pamong.budget import csvfile, demo, flags, services
from pamong.budget.models import BudgetLine, Flag
from pamong.catalog.models import Agency
from pamong.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from pamong.staffing.models import StaffNotice

pytestmark = [pytest.mark.django_db]
REASON = "Harga kursi roda elektrik, bukan manual; kontrak dan spesifikasi sudah diperiksa."


@pytest.fixture
def auditor(world):
    return accounts.create_account(actor="system:test", username="apip", password=None, role=roles.AUDITOR)


@pytest.fixture
def analis(world):
    agency = Agency.objects.get(slug="dinsos-kota-bandung")
    return accounts.create_account(
        actor="system:test", username="analis", password=None, role=roles.ANALIS, agency=agency
    )


@pytest.fixture
def loaded(world, auditor):
    raised = demo.load_demo_budget(actor="system:test")
    assert raised == 4
    return Flag.objects.order_by("kind")


def test_the_demo_budget_raises_its_four_flags_with_evidence_and_audit_entries(loaded, auditor):
    by_kind = {flag.kind: flag for flag in loaded}
    assert set(by_kind) == {flags.PRICE, flags.SPLIT, flags.SPIKE, flags.SINGLE_BIDDER}
    assert by_kind[flags.SINGLE_BIDDER].evidence == {
        "ocid": "ocds-demo-dinsos-2025-002",
        "method": "open",
        "tenderers": 1,
        "amount": 2_180_000_000 * 97 // 100,
    }
    price = by_kind[flags.PRICE]
    assert price.evidence["unit_price"] == 5_400_000
    assert price.lines.get().item == "Kursi roda"
    split = by_kind[flags.SPLIT]
    assert split.evidence["total"] == (720 + 700 + 760) * 250_000
    assert sorted(split.lines.values_list("date__day", flat=True)) == [2, 6, 11]
    assert by_kind[flags.SPIKE].year == 2025
    for flag in loaded:
        assert flag.status == "open"
        assert (
            AuditEntry.objects.filter(action="budget.flag_raised", subject=f"budget:flag:{flag.pk}").count()
            == 1
        )
    # one digest for the auditor, routed by staffing as a non-urgent notice (it waits for working hours)
    notes = StaffNotice.objects.filter(recipient=auditor, template="budget_flags_raised")
    assert notes.count() == 1 and notes.get().urgency == "biasa"
    assert "bukan tuduhan" in render_to_string("notify/budget_flags_raised.txt", notes.get().context)


def test_flags_never_name_a_supplier_or_a_person(loaded):
    for flag in loaded:
        text = f"{flag.title} {flag.explanation} {flag.evidence}"
        assert not any(supplier in text for supplier in demo.SUPPLIERS), flag.title


def test_running_the_flags_again_raises_nothing_new(loaded):
    before = AuditEntry.objects.count()
    report = services.raise_flags(actor="system:test")
    assert report.raised == []
    assert report.already_known == 4
    assert AuditEntry.objects.count() == before


def test_two_runs_at_once_record_each_flag_once(loaded, monkeypatch):
    """The second run read the data before the first one wrote: its insert meets the unique key and it stops
    with a conflict, recording nothing."""
    Flag.objects.all().delete()
    known = AuditEntry.objects.count()
    original = services._record_flags

    def first_run_meanwhile(fresh, agencies, *, actor):
        original(fresh, agencies, actor=actor)  # the other run commits first
        return original(fresh, agencies, actor=actor)

    monkeypatch.setattr(services, "_record_flags", first_run_meanwhile)
    with pytest.raises(Conflict):
        services.raise_flags(actor="system:test")
    assert Flag.objects.count() == 4
    assert AuditEntry.objects.count() == known + 4


def test_nothing_imported_nothing_raised(world):
    report = services.raise_flags(actor="system:test")
    assert (report.raised, report.already_known) == ([], 0)
    assert Flag.objects.count() == 0


def test_the_flag_command_raises_and_then_finds_nothing_new(world, auditor):
    agency = Agency.objects.get(slug=demo.AGENCY)
    services.import_budget_csv(
        csvfile.write(demo.demo_rows()).encode(), agency=agency, actor="system:test", file_name="demo.csv"
    )
    out = StringIO()
    call_command("budget_flag", stdout=out)
    call_command("budget_flag", stdout=out)
    assert out.getvalue().splitlines() == [
        "OK: 3 tanda baru, 0 sudah dikenal",
        "OK: 0 tanda baru, 3 sudah dikenal",
    ]
    assert AuditEntry.objects.filter(action="budget.flag_raised", actor="system:cli").count() == 3


def test_dismissing_needs_an_auditor_and_a_written_reason(loaded, auditor, analis):
    flag = loaded.get(kind=flags.PRICE)
    with pytest.raises(PermissionDenied):
        services.dismiss_flag(flag, actor=analis, reason=REASON)
    with pytest.raises(ValidationFailed):
        services.dismiss_flag(flag, actor=auditor, reason="   wajar   ")
    flag.refresh_from_db()
    assert flag.status == "open"
    assert not AuditEntry.objects.filter(action="budget.flag_dismissed").exists()

    services.dismiss_flag(flag, actor=auditor, reason=REASON)
    flag.refresh_from_db()
    assert (flag.status, flag.dismissed_by, flag.dismissal_reason) == ("dismissed", auditor, REASON)
    entry = AuditEntry.objects.get(action="budget.flag_dismissed")
    assert (entry.subject, entry.actor) == (f"budget:flag:{flag.pk}", f"user:{auditor.pk}")
    with pytest.raises(InvalidTransition):
        services.dismiss_flag(flag, actor=auditor, reason=REASON)
    assert services.raise_flags(actor="system:test").raised == []  # a dismissed pattern is not raised again


def test_the_public_page_shows_plan_and_realisation_from_the_database(loaded, client):
    agency = Agency.objects.get(slug=demo.AGENCY)
    index = client.get("/anggaran/")
    assert index.status_code == 200
    assert f"?instansi={agency.slug}" in index.content.decode()
    response = client.get(f"/anggaran/?instansi={agency.slug}&tahun=2025")
    assert response.status_code == 200
    html = response.content.decode()
    lines = BudgetLine.objects.filter(agency=agency, year=2025)
    plan = lines.filter(kind="anggaran").aggregate(s=Sum("amount"))["s"]
    realised = lines.filter(kind="realisasi").aggregate(s=Sum("amount"))["s"]
    assert flags.rupiah(plan) in html
    assert flags.rupiah(realised) in html
    rehab = lines.filter(kind="realisasi", program_code="1.06.04").aggregate(s=Sum("amount"))["s"]
    assert flags.rupiah(rehab) in html
    december = lines.filter(kind="realisasi", date__month=12).aggregate(s=Sum("amount"))["s"]
    assert flags.rupiah(december) in html
    assert '<td data-label="Bulan">Desember</td>' in html
    assert "<svg" in html and "<script" not in html
    assert len(response.content) < 100_000
    assert "CV " not in html and "PT " not in html  # no supplier on the public page


def test_the_figures_download_as_csv(loaded, client):
    agency = Agency.objects.get(slug=demo.AGENCY)
    response = client.get(f"/anggaran/?instansi={agency.slug}&tahun=2025&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = [line.split(";") for line in response.content.decode().splitlines()]
    assert rows[0] == ["tahun", "bagian", "kode", "nama", "anggaran", "realisasi"]
    lines = BudgetLine.objects.filter(agency=agency, year=2025)
    plan = lines.filter(kind="anggaran").aggregate(s=Sum("amount"))["s"]
    realised = lines.filter(kind="realisasi").aggregate(s=Sum("amount"))["s"]
    assert rows[-1] == ["2025", "total", "", "", str(plan), str(realised)]
    months = [row for row in rows if row[1] == "bulan"]
    assert len(months) == 12
    assert sum(int(row[5]) for row in months) == realised
    programs = [row for row in rows if row[1] == "program"]
    assert [row[2] for row in programs] == ["1.06.01", "1.06.04", "1.06.06"]


@pytest.mark.parametrize("query", ["?instansi=tidak-ada", "?instansi=dinsos-kota-bandung&tahun=1999"])
def test_an_unknown_agency_or_year_is_404(loaded, client, query):
    assert client.get(f"/anggaran/{query}").status_code == 404


def test_the_apip_queue_is_for_auditors_only(loaded, client_for, auditor, analis, client):
    assert client.get("/apip/").status_code == 302  # sign in first
    assert client_for(analis).get("/apip/").status_code == 404
    page = client_for(auditor).get("/apip/")
    html = page.content.decode()
    assert page.status_code == 200
    assert flags.NOT_AN_ACCUSATION in html  # the statement in Indonesian, word for word as the flag stores it
    for flag in loaded:
        assert f"?tanda={flag.pk}" in html
    english = client_for(auditor)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "is a reason to look, not an accusation" in english.get("/apip/").content.decode()


def test_an_auditor_reads_the_evidence_and_dismisses_on_the_page(loaded, client_for, auditor):
    flag = loaded.get(kind=flags.SPLIT)
    client = client_for(auditor)
    detail = client.get(f"/apip/?tanda={flag.pk}").content.decode()
    assert flag.explanation.split(":")[0] in detail
    assert f"{demo.FILE_NAME}:" in detail  # each line's source, to open the record
    assert '<dt>Jumlah bersama (Rp)</dt><dd class="mono">545000000</dd>' in detail
    assert "PT Priangan Abadi" not in detail
    short = client.post("/apip/", {"tanda": flag.pk, "alasan": "ok"}, follow=True)
    assert "paling sedikit" in short.content.decode()
    flag.refresh_from_db()
    assert flag.status == "open"
    client.post("/apip/", {"tanda": flag.pk, "alasan": REASON})
    flag.refresh_from_db()
    assert flag.status == "dismissed"
    assert client.get("/apip/?tanda=999999").status_code == 404
    assert client.get("/apip/?tanda=abc").status_code == 404

"""Importing a budget CSV and OCDS releases: all or nothing, every problem with file, line and field, audited."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from pamong.audit.models import AuditEntry
from pamong.budget import csvfile, services
from pamong.budget.models import BudgetImport, BudgetLine, Contract
from pamong.catalog.models import Agency
from pamong.core.errors import Conflict, ValidationFailed

pytestmark = [pytest.mark.django_db]


def row(**overrides) -> dict[str, object]:
    base = {
        "tahun": 2026,
        "jenis": "realisasi",
        "kode_program": "1.06.04",
        "nama_program": "Program Rehabilitasi Sosial",
        "kode_kegiatan": "1.06.04.2.01",
        "nama_kegiatan": "Rehabilitasi Sosial",
        "kode_sub_kegiatan": "1.06.04.2.01.0001",
        "nama_sub_kegiatan": "Penyediaan alat bantu",
        "kode_rekening": "5.1.02.01.01.0031",
        "nama_rekening": "Belanja alat bantu",
        "uraian": "Kursi roda",
        "satuan": "unit",
        "volume": "3",
        "harga_satuan": "1.800.000",
        "jumlah": "5400000",
        "penyedia": "CV Mitra Karya",
        "tanggal": "2026-03-10",
    }
    return {**base, **overrides}


def csv_bytes(*rows) -> bytes:
    return csvfile.write(list(rows)).encode("utf-8")


@pytest.fixture
def agency(world):
    return Agency.objects.get(slug="dinsos-kota-bandung")


def test_a_valid_file_is_imported_with_its_audit_entry(agency):
    data = csv_bytes(
        row(), row(jenis="anggaran", penyedia="", volume="2,5", harga_satuan="1800000", jumlah="4500000")
    )
    source = services.import_budget_csv(data, agency=agency, actor="system:test", file_name="dinsos.csv")
    lines = list(BudgetLine.objects.filter(source=source).order_by("line_no"))
    assert [(x.line_no, x.kind, x.amount, str(x.quantity)) for x in lines] == [
        (2, "realisasi", 5_400_000, "3.0000"),
        (3, "anggaran", 4_500_000, "2.5000"),
    ]
    entry = AuditEntry.objects.get(action="budget.imported")
    assert entry.subject == f"budget:import:{source.pk}"
    assert source.rows == 2


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"harga_satuan": "1800000,50"}, "harga_satuan", "rupiah bulat"),
        ({"harga_satuan": "1.5"}, "harga_satuan", "rupiah bulat"),
        ({"volume": "1.000"}, "volume", "koma desimal"),
        ({"volume": "0"}, "volume", "lebih dari nol"),
        ({"jumlah": "5400001"}, "jumlah", "volume × harga_satuan"),
        ({"tanggal": "10/03/2026"}, "tanggal", "TTTT-BB-HH"),
        ({"tanggal": "2025-12-31"}, "tanggal", "tahun anggaran 2026"),
        ({"jenis": "rencana"}, "jenis", "anggaran"),
        ({"penyedia": ""}, "penyedia", "wajib diisi untuk realisasi"),
        ({"uraian": ""}, "uraian", "wajib diisi"),
    ],
)
def test_a_bad_field_is_named_with_file_and_line_and_nothing_is_stored(agency, overrides, field, words):
    data = csv_bytes(row(), row(**overrides))
    with pytest.raises(ValidationFailed) as caught:
        services.import_budget_csv(data, agency=agency, actor="system:test", file_name="dinsos.csv")
    problems = caught.value.details
    assert [(p["file"], p["line"], p["field"]) for p in problems] == [("dinsos.csv", 3, field)]
    assert words in problems[0]["message"]
    assert caught.value.code == "budget_file_invalid"
    assert "dinsos.csv:3: kolom " + field in caught.value.message
    assert BudgetLine.objects.count() == 0
    assert BudgetImport.objects.count() == 0
    assert not AuditEntry.objects.filter(action="budget.imported").exists()


def test_a_missing_column_and_an_unknown_one_are_named_on_the_header_line(agency):
    text = csvfile.write([row()]).replace("penyedia", "vendor")
    with pytest.raises(ValidationFailed) as caught:
        services.import_budget_csv(text.encode(), agency=agency, actor="system:test", file_name="x.csv")
    assert [(p["line"], p["field"]) for p in caught.value.details] == [(1, "penyedia"), (1, "vendor")]


def test_comma_separated_files_and_a_byte_order_mark_are_read(agency):
    text = csvfile.write([row()]).replace(";", ",")
    source = services.import_budget_csv(
        ("\ufeff" + text).encode("utf-8"), agency=agency, actor="system:test", file_name="koma.csv"
    )
    assert source.rows == 1


def test_not_utf8_is_refused_with_its_line(agency):
    data = csv_bytes(row()) + "5;é\n".encode("latin-1")
    with pytest.raises(ValidationFailed) as caught:
        services.import_budget_csv(data, agency=agency, actor="system:test", file_name="x.csv")
    assert caught.value.details[0]["line"] == 3
    assert "UTF-8" in caught.value.details[0]["message"]


def test_the_same_file_twice_is_refused(agency):
    data = csv_bytes(row())
    services.import_budget_csv(data, agency=agency, actor="system:test", file_name="a.csv")
    with pytest.raises(Conflict):
        services.import_budget_csv(data, agency=agency, actor="system:test", file_name="a-lagi.csv")
    assert BudgetLine.objects.count() == 1
    assert AuditEntry.objects.filter(action="budget.imported").count() == 1


def test_the_command_prints_every_problem_as_file_line_field(agency, tmp_path):
    path = tmp_path / "realisasi.csv"
    path.write_bytes(csv_bytes(row(), row(harga_satuan="abc"), row(tanggal="kemarin")))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("budget_import", str(path), agency=agency.slug, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"{path}:3: harga_satuan: rupiah bulat")
    assert lines[1].startswith(f"{path}:4: tanggal: tanggal dengan format")
    assert BudgetLine.objects.count() == 0


def test_the_problems_are_in_the_readers_language(agency, tmp_path):
    """Indonesian by default, English when English is chosen (ADR 51): the same refused file, read twice; the
    command still names file, line and field."""
    path = tmp_path / "realisasi.csv"
    path.write_bytes(csv_bytes(row(), row(harga_satuan="abc", penyedia="")))
    said = {}
    for language in ("id", "en"):
        err = StringIO()
        with translation.override(language), pytest.raises(CommandError) as caught:
            call_command("budget_import", str(path), agency=agency.slug, stderr=err)
        said[language] = (err.getvalue().splitlines(), str(caught.value))
    assert said["id"][0] == [
        f"{path}:3: harga_satuan: rupiah bulat tanpa desimal, misalnya 1500000 atau 1.500.000",
        f"{path}:3: penyedia: wajib diisi untuk realisasi",
    ]
    assert said["en"][0] == [
        f"{path}:3: harga_satuan: whole rupiah without decimals, for example 1500000 or 1.500.000",
        f"{path}:3: penyedia: required for realisasi",
    ]
    assert said["id"][1].startswith(f"Berkas {path} tidak diimpor: 2 masalah, yang pertama {path}:3: kolom ")
    assert said["en"][1].startswith(f"File {path} was not imported: 2 problems, the first {path}:3: column ")
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.import_ocds(b"[1, 2]", agency=agency, actor="system:test", file_name="x.json")
    assert caught.value.details[0]["message"].startswith("not an OCDS release package")


def test_the_command_imports_and_says_how_many(agency, tmp_path):
    path = tmp_path / "realisasi.csv"
    path.write_bytes(csv_bytes(row(), row(volume="1", jumlah="1800000")))
    out = StringIO()
    call_command("budget_import", str(path), agency=agency.slug, stdout=out)
    assert "OK: 2 baris" in out.getvalue()
    with pytest.raises(CommandError, match="instansi tidak dikenal"):
        call_command("budget_import", str(path), agency="tidak-ada")


def release(i, tag, **fields):
    return {
        "ocid": "ocds-pamong-1",
        "id": f"r{i}",
        "date": f"2025-0{i}-01T00:00:00+07:00",
        "tag": [tag],
        "initiationType": "tender",
        **fields,
    }


def package(*releases):
    return json.dumps(
        {
            "uri": "https://contoh.go.id/ocds/1",
            "publishedDate": "2025-06-01T00:00:00Z",
            "version": "1.1",
            "publisher": {"name": "LPSE"},
            "releases": list(releases),
        }
    ).encode()


def test_ocds_releases_are_merged_into_one_process_per_ocid(agency):
    data = package(
        release(
            1,
            "tender",
            tender={
                "id": "t1",
                "title": "Pengadaan tenda",
                "procurementMethod": "open",
                "value": {"amount": 900_000_000, "currency": "IDR"},
            },
        ),
        release(
            2,
            "award",
            tender={"id": "t1", "numberOfTenderers": 1},
            awards=[
                {
                    "id": "a1",
                    "date": "2025-02-15T00:00:00+07:00",
                    "value": {"amount": 850_000_000, "currency": "IDR"},
                }
            ],
        ),
        release(
            3,
            "contract",
            contracts=[
                {
                    "id": "c1",
                    "awardID": "a1",
                    "dateSigned": "2025-03-02T00:00:00+07:00",
                    "value": {"amount": 845_000_000, "currency": "IDR"},
                }
            ],
        ),
    )
    source = services.import_ocds(data, agency=agency, actor="system:test", file_name="lpse.json")
    contract = Contract.objects.get(source=source)
    assert (contract.ocid, contract.method, contract.tenderers, contract.amount, contract.title) == (
        "ocds-pamong-1",
        "open",
        1,
        845_000_000,
        "Pengadaan tenda",
    )
    assert contract.date.isoformat() == "2025-03-02"
    assert contract.release["tag"] == ["compiled"]
    assert AuditEntry.objects.filter(action="budget.imported", subject=f"budget:import:{source.pk}").exists()
    with pytest.raises(Conflict):
        services.import_ocds(
            package(release(4, "tender")), agency=agency, actor="system:test", file_name="lagi.json"
        )


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"tender": {"procurementMethod": "undian"}}, "tender/procurementMethod"),
        ({"tender": {"value": {"amount": 5, "currency": "USD"}}}, "tender/value/currency"),
        ({"awards": [{"id": "a", "date": "kemarin"}]}, "awards/0/date"),
        ({"initiationType": None}, "initiationType"),
    ],
)
def test_an_invalid_release_is_named_and_nothing_is_stored(agency, bad, field):
    data = package(release(1, "tender"), release(2, "tender", **bad))
    with pytest.raises(ValidationFailed) as caught:
        services.import_ocds(data, agency=agency, actor="system:test", file_name="lpse.json")
    problem = caught.value.details[0]
    assert (problem["file"], problem["line"], problem["field"]) == ("lpse.json", 2, field)
    assert "rilis ke-2 (ocds-pamong-1)" in problem["message"]
    assert Contract.objects.count() == 0


def test_a_file_that_is_not_ocds_is_refused(agency):
    with pytest.raises(ValidationFailed, match="bukan paket rilis"):
        services.import_ocds(b'{"hello": 1}', agency=agency, actor="system:test", file_name="x.json")
    with pytest.raises(ValidationFailed, match="bukan JSON"):
        services.import_ocds(b'{"a": NaN}', agency=agency, actor="system:test", file_name="x.json")

"""Demo budget: four years (2023-2026) of Dinas Sosial Kota Bandung's budget and realisation (a CSV in the import's columns,
seeded, so the demo goes through the real import) with a few patterns the red flags find: a wheelchair bought at
three times its usual price, three food-parcel purchases just under the direct-procurement ceiling within ten days,
and a December 2025 with a third of the year's spending (usually about 12 %); and, from OCDS releases, a tender
with a single bid. Suppliers are fictitious businesses."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np

from pamong.catalog.models import Agency

from . import csvfile, services
from .models import BudgetImport

AGENCY = "dinsos-kota-bandung"
FILE_NAME = "demo/dinsos-kota-bandung-2023-2026.csv"
OCDS_FILE_NAME = "demo/dinsos-kota-bandung-ocds-2025.json"
PROGRAMS = {
    "1.06.01": "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
    "1.06.04": "Program Rehabilitasi Sosial",
    "1.06.06": "Program Penanganan Bencana",
}
# item, unit, usual unit price, program, account
ITEMS = (
    ("Kertas HVS A4 70 gram", "rim", 55_000, "1.06.01", "5.1.02.01.01.0024"),
    ("Tinta printer", "botol", 120_000, "1.06.01", "5.1.02.01.01.0025"),
    ("Konsumsi rapat", "orang", 35_000, "1.06.01", "5.1.02.01.01.0052"),
    ("Laptop", "unit", 12_000_000, "1.06.01", "5.2.02.10.01.0002"),
    ("Kursi roda", "unit", 1_800_000, "1.06.04", "5.1.02.01.01.0031"),
    ("Paket sembako", "paket", 250_000, "1.06.04", "5.1.02.03.03.0001"),
    ("Matras", "buah", 350_000, "1.06.06", "5.1.02.01.01.0060"),
    ("Sewa tenda pengungsian", "unit", 1_500_000, "1.06.06", "5.1.02.02.01.0031"),
    ("Beras medium", "kg", 13_000, "1.06.06", "5.1.02.03.03.0002"),
)
SUPPLIERS = (
    "CV Sumber Rejeki",
    "PT Bandung Sejahtera",
    "CV Mitra Karya",
    "UD Berkah Jaya",
    "PT Priangan Abadi",
    "CV Cahaya Mandiri",
    "PT Sinar Pasundan",
    "CV Tunas Harapan",
)
YEARS = (2023, 2024, 2025, 2026)
MONTH_WEIGHTS = np.array([4, 5, 6, 7, 8, 8, 8, 9, 9, 10, 11, 13], dtype=float)


def demo_rows(seed: int = 19) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    planned: dict[tuple[int, int, int], int] = {}

    def line(kind, when: dt.date, index: int, quantity: int, price: int, supplier: str = "") -> None:
        item, unit, _usual, program, account = ITEMS[index]
        rows.append(
            {
                "tahun": when.year,
                "jenis": kind,
                "kode_program": program,
                "nama_program": PROGRAMS[program],
                "kode_kegiatan": f"{program}.2.01",
                "nama_kegiatan": f"Kegiatan {PROGRAMS[program].removeprefix('Program ')}",
                "kode_sub_kegiatan": f"{program}.2.01.0001",
                "nama_sub_kegiatan": f"Penyediaan {item}",
                "kode_rekening": account,
                "nama_rekening": f"Belanja {item}",
                "uraian": item,
                "satuan": unit,
                "volume": str(quantity),
                "harga_satuan": str(price),
                "jumlah": str(quantity * price),
                "penyedia": supplier,
                "tanggal": when.isoformat(),
            }
        )

    for year in YEARS:
        last_month = 11 if year == 2026 else 12  # the demo runs at the end of November 2026
        weights = MONTH_WEIGHTS.copy()
        if year == 2025:
            weights[11] = 55  # the year-end spike the flag should find
        weights = weights[:last_month] / weights[:last_month].sum()
        for _ in range(220):
            index = int(rng.integers(0, len(ITEMS)))
            usual = ITEMS[index][2]
            month = int(rng.choice(np.arange(1, last_month + 1), p=weights))
            when = dt.date(year, month, int(rng.integers(1, 29)))
            price = int(round(usual * float(rng.lognormal(0, 0.08)), -2))
            quantity = int(max(1, min(round(rng.lognormal(np.log(8), 0.7)), 40_000_000 // price)))
            supplier = SUPPLIERS[int(rng.integers(0, len(SUPPLIERS)))]
            line("realisasi", when, index, quantity, price, supplier)
            key = (year, month, index)
            planned[key] = planned.get(key, 0) + quantity
    # A wheelchair at three times its usual price.
    line("realisasi", dt.date(2025, 8, 14), 4, 6, 5_400_000, "CV Cahaya Mandiri")
    planned[(2025, 8, 4)] = planned.get((2025, 8, 4), 0) + 18
    # Food parcels bought three times in ten days from one supplier, each under Rp200 million, together over.
    for day, quantity in ((2, 720), (6, 700), (11, 760)):
        line("realisasi", dt.date(2025, 9, day), 5, quantity, 250_000, "PT Priangan Abadi")
    planned[(2025, 9, 5)] = planned.get((2025, 9, 5), 0) + 2_180
    # The budget: per month and item, the cash plan at the usual price, a little above what was bought.
    for (year, month, index), quantity in sorted(planned.items()):
        line("anggaran", dt.date(year, month, 1), index, int(quantity * 1.15) + 1, ITEMS[index][2])
    for month in (12,):  # 2026's December is planned but not yet realised
        for index in range(len(ITEMS)):
            line("anggaran", dt.date(2026, month, 1), index, 10, ITEMS[index][2])
    return rows


def demo_ocds() -> bytes:
    """An OCDS 1.1 release package of three tenders, one of which received a single bid (its releases: tender,
    award, contract, merged on import)."""

    def release(ocid: str, n: int, tag: str, when: str, **fields) -> dict:
        return {
            "ocid": ocid,
            "id": f"{ocid}-{n}",
            "date": f"{when}T09:00:00+07:00",
            "tag": [tag],
            "initiationType": "tender",
            "buyer": {"id": "ID-DINSOS-3273", "name": "Dinas Sosial Kota Bandung"},
            **fields,
        }

    def value(amount: int) -> dict:
        return {"amount": amount, "currency": "IDR"}

    releases = []
    for ocid, title, method, tenderers, amount, month in (
        ("ocds-demo-dinsos-2025-001", "Pengadaan kursi roda dan alat bantu", "open", 6, 1_450_000_000, 3),
        ("ocds-demo-dinsos-2025-002", "Pengadaan tenda dan matras pengungsian", "open", 1, 2_180_000_000, 6),
        ("ocds-demo-dinsos-2025-003", "Jasa kebersihan kantor", "direct", 1, 180_000_000, 1),
    ):
        tender = {"id": "t1", "title": title, "procurementMethod": method, "value": value(amount)}
        releases.append(release(ocid, 1, "tender", f"2025-{month:02d}-03", tender=tender))
        award = {
            "id": "a1",
            "date": f"2025-{month + 1:02d}-10T10:00:00+07:00",
            "value": value(amount * 97 // 100),
        }
        releases.append(
            release(
                ocid,
                2,
                "award",
                f"2025-{month + 1:02d}-10",
                tender={"id": "t1", "numberOfTenderers": tenderers},
                awards=[award],
            )
        )
        contract = {
            "id": "c1",
            "awardID": "a1",
            "dateSigned": f"2025-{month + 1:02d}-20T10:00:00+07:00",
            "value": value(amount * 97 // 100),
        }
        releases.append(release(ocid, 3, "contract", f"2025-{month + 1:02d}-20", contracts=[contract]))
    package = {
        "uri": "https://pamong.example/ocds/demo-dinsos-2025.json",
        "version": "1.1",
        "publishedDate": "2025-12-31T00:00:00+07:00",
        "publisher": {"name": "Dinas Sosial Kota Bandung (demo)"},
        "releases": releases,
    }
    return json.dumps(package, ensure_ascii=False).encode("utf-8")


def load_demo_budget(*, actor: str = "system:demo") -> int:
    """Import the demo budget and procurement once and raise the flags. Returns the number of flags raised (0 when
    already loaded)."""
    agency = Agency.objects.filter(slug=AGENCY).first()
    if agency is None or BudgetImport.objects.filter(agency=agency).exists():
        return 0
    data = csvfile.write(demo_rows()).encode("utf-8")
    services.import_budget_csv(data, agency=agency, actor=actor, file_name=FILE_NAME)
    services.import_ocds(demo_ocds(), agency=agency, actor=actor, file_name=OCDS_FILE_NAME)
    return len(services.raise_flags(actor=actor).raised)

"""Fixed, documented demo people in the synthetic registry. Nobody here is real; the NIKs are structurally
valid for the demo regions (pamong/registry/data/regions.csv). Tests and demo accounts rely on these values.

What each should get from the bansos-pkh rule set 2026-01 (filing date in January–June 2026) with the form in
DEMO_BANSOS_FORMS:
- WARGA_NIK   Siti Nurhaliza, Kota Bandung, in DTSEN, low income, two school children, an elderly parent,
              no car                                                     -> GRANT
- DENIED_NIK  Bambang Sutrisno, Kota Bandung, not in DTSEN, a car registered, income well above the poverty
              line                                                        -> DENY (proposed: impact level 3)
- REFER_NIK   Asep Saepudin, KK in Kabupaten Bandung (32.04) but declares Kota Bandung (32.73); otherwise
              eligible                                                    -> REFER (address differs from KK)
- UNREGISTERED_NIK  structurally valid, in no registry                    -> REFER (registry facts unknown)
"""

from __future__ import annotations

import datetime as dt

from .synthetic import HouseholdSpec, PersonSpec

# Siti Nurhaliza: woman (day 01 + 40 = 41), born 1987-08-01, registered in Bandung Wetan (32.73.09);
# the "warga" demo account. Her KK is in Kelurahan Cihapit (32.73.09.1003), the demo kelurahan office.
WARGA_NIK = "3273094108870002"
WARGA_HUSBAND_NIK = "3273091503840001"  # Dedi Supriadi, head of the family, owns a motorcycle (2 wheels)
WARGA_CHILD_SD_NIK = "3273092007140003"  # Rizky Ramadhan, 11, SD; birth certificate issued
WARGA_CHILD_SMP_NIK = "3273095002120004"  # Putri Ayu Lestari, 13, SMP
WARGA_MOTHER_NIK = "3273094511570005"  # Enah Suhaenah, 68: counts as elderly (>= 60)
WARGA_KK = "3273090101100001"

# Bambang Sutrisno: man, born 1975-06-12, Sukajadi (32.73.07); not in DTSEN and a car registered to him.
DENIED_NIK = "3273071206750001"
DENIED_SPOUSE_NIK = "3273076309780002"  # Ratna Sari
DENIED_CHILD_NIK = "3273070204090003"  # Andi Pratama, 16, SMA
DENIED_KK = "3273070101050001"

# Asep Saepudin: man, born 1980-01-25, KK in Cileunyi, Kabupaten Bandung (32.04.05); lives in Kota Bandung.
REFER_NIK = "3204052501800001"
REFER_SPOUSE_NIK = "3204055410830002"  # Euis Komariah
REFER_CHILD_NIK = "3204054312150003"  # Dinda Aulia, 10, SD
REFER_KK = "3204050101080001"

# Valid structure (Coblong, 32.73.02; woman born 1990-03-12) but nobody in the registry has it.
UNREGISTERED_NIK = "3273025203900009"

# Form answers that produce the outcomes above (the citizen's own statement; money in rupiah).
DEMO_BANSOS_FORMS: dict[str, dict[str, object]] = {
    WARGA_NIK: {
        "household_size": 5,
        "household_income": 2_000_000,
        "assets_value": 10_000_000,
        "has_pkh_component": True,
        "declared_regency_code": "3273",
    },
    DENIED_NIK: {
        "household_size": 3,
        "household_income": 4_500_000,
        "assets_value": 150_000_000,
        "has_pkh_component": True,
        "declared_regency_code": "3273",
    },
    REFER_NIK: {
        "household_size": 3,
        "household_income": 1_200_000,
        "assets_value": 5_000_000,
        "has_pkh_component": True,
        "declared_regency_code": "3273",
    },
}
DEMO_BANSOS_OUTCOMES = {WARGA_NIK: "GRANT", DENIED_NIK: "DENY", REFER_NIK: "REFER", UNREGISTERED_NIK: "REFER"}


def _p(nik: str, name: str, born: str, sex: str, relation: str, **extra: object) -> PersonSpec:
    return PersonSpec(
        nik=nik, full_name=name, birth_date=dt.date.fromisoformat(born), sex=sex, relation=relation, **extra
    )  # type: ignore[arg-type]


DEMO_HOUSEHOLDS: tuple[HouseholdSpec, ...] = (
    HouseholdSpec(
        kk_number=WARGA_KK,
        regency_code="3273",
        district_code="327309",
        village_code="3273091003",
        latitude=-6.90389,
        longitude=107.62361,
        in_dtsen=True,
        welfare_decile=1,
        members=(
            _p(WARGA_HUSBAND_NIK, "Dedi Supriadi", "1984-03-15", "L", "kepala", vehicles=(2,)),
            _p(WARGA_NIK, "Siti Nurhaliza", "1987-08-01", "P", "pasangan"),
            _p(
                WARGA_CHILD_SD_NIK,
                "Rizky Ramadhan",
                "2014-07-20",
                "L",
                "anak",
                mother_nik=WARGA_NIK,
                school_level="sd",
            ),
            _p(
                WARGA_CHILD_SMP_NIK,
                "Putri Ayu Lestari",
                "2012-02-10",
                "P",
                "anak",
                mother_nik=WARGA_NIK,
                school_level="smp",
            ),
            _p(WARGA_MOTHER_NIK, "Enah Suhaenah", "1957-11-05", "P", "orang_tua"),
        ),
    ),
    HouseholdSpec(
        kk_number=DENIED_KK,
        regency_code="3273",
        district_code="327307",
        village_code="3273071005",
        latitude=-6.89250,
        longitude=107.59480,
        in_dtsen=False,
        welfare_decile=8,
        members=(
            _p(DENIED_NIK, "Bambang Sutrisno", "1975-06-12", "L", "kepala", vehicles=(4, 2)),
            _p(DENIED_SPOUSE_NIK, "Ratna Sari", "1978-09-23", "P", "pasangan"),
            _p(
                DENIED_CHILD_NIK,
                "Andi Pratama",
                "2009-04-02",
                "L",
                "anak",
                mother_nik=DENIED_SPOUSE_NIK,
                school_level="sma",
            ),
        ),
    ),
    HouseholdSpec(
        kk_number=REFER_KK,
        regency_code="3204",
        district_code="320405",
        village_code="3204052001",
        latitude=-6.93890,
        longitude=107.74560,
        in_dtsen=True,
        welfare_decile=2,
        members=(
            _p(REFER_NIK, "Asep Saepudin", "1980-01-25", "L", "kepala"),
            _p(REFER_SPOUSE_NIK, "Euis Komariah", "1983-10-14", "P", "pasangan"),
            _p(
                REFER_CHILD_NIK,
                "Dinda Aulia",
                "2015-12-03",
                "P",
                "anak",
                mother_nik=REFER_SPOUSE_NIK,
                school_level="sd",
            ),
        ),
    ),
)

# Households generated at random per regency, beside the fixed ones (Kota Bandung carries the demo).
DEMO_POPULATION_COUNTS = {
    "3273": 300,
    "3204": 12,
    "3275": 8,
    "3171": 4,
    "3172": 4,
    "3173": 4,
    "3174": 4,
    "3175": 4,
    "3578": 6,
    "1271": 6,
    "5203": 6,
}

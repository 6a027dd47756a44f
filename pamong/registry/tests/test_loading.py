"""Loading reference data and the synthetic population: provenance, idempotence, nothing personal in clear."""

from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from pamong.core.errors import ApplicationError
from pamong.registry import demo, services
from pamong.registry.models import (
    Household,
    KbliRisk,
    Person,
    PovertyLine,
    ReferenceDataset,
    Region,
    SchoolEnrollment,
    VehicleRecord,
)
from pamong.registry.nik import parse_nik
from pamong.registry.synthetic import REFERENCE_DATE

ALL_MODELS = [
    ReferenceDataset,
    Region,
    PovertyLine,
    KbliRisk,
    Household,
    Person,
    VehicleRecord,
    SchoolEnrollment,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def test_reference_data_is_loaded_with_its_provenance(db):
    report = services.load_reference_data()
    assert report.outcomes == {"regions": "created", "poverty_lines": "created", "kbli_risk": "created"}
    regions = ReferenceDataset.objects.get(name="regions")
    assert regions.source == "pamong/registry/data/regions.csv"
    assert len(regions.sha256) == 64 and regions.loaded_by == "system"
    assert regions.row_count == Region.objects.count()
    bandung = Region.objects.get(code="3273")
    assert (bandung.name, bandung.level, bandung.parent_code, bandung.dotted_code) == (
        "Kota Bandung",
        "regency",
        "32",
        "32.73",
    )
    assert Region.objects.filter(parent_code="3273", level="district").count() == 30
    assert Region.objects.get(code="3273091003").name == "Cihapit"
    assert PovertyLine.objects.get(regency_code="3273", period="2025-03").amount == 620_500


def test_loading_twice_changes_nothing(registry_data):
    before = counts()
    person = Person.objects.get(nik_index=services.selectors.nik_index(demo.WARGA_NIK))
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM registry_person WHERE id = %s", [person.pk])
        ciphertext = cursor.fetchone()[0]
    report = services.load_reference_data(population=True)
    assert set(report.outcomes.values()) == {"unchanged"} and not report.changed
    assert counts() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM registry_person WHERE id = %s", [person.pk])
        assert cursor.fetchone()[0] == ciphertext


def test_a_changed_file_is_loaded_as_a_new_dataset(reference_data, tmp_path: Path):
    for name in ("regions.csv", "poverty_lines.csv", "kbli_risk.csv"):
        (tmp_path / name).write_bytes((services.DATA_DIR / name).read_bytes())
    with (tmp_path / "kbli_risk.csv").open("a") as handle:
        handle.write('47721,Perdagangan eceran barang farmasi,menengah_rendah,2025-01-01,,"uji"\n')
    report = services.load_reference_data(data_dir=tmp_path)
    assert report.outcomes == {"regions": "unchanged", "poverty_lines": "unchanged", "kbli_risk": "created"}
    assert ReferenceDataset.objects.filter(name="kbli_risk").count() == 2
    assert KbliRisk.objects.get(kbli_code="47721").risk_level == "menengah_rendah"


def test_reloading_the_right_file_after_a_wrong_one_brings_it_back_into_force(reference_data, tmp_path: Path):
    right = services.DATA_DIR
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    for name in ("regions.csv", "kbli_risk.csv"):
        (wrong / name).write_bytes((right / name).read_bytes())
    lines = (right / "poverty_lines.csv").read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("32.04,") or line.startswith("3204,"))
    code, amount, *rest = lines[row].split(",")
    lines[row] = ",".join([code, "295000", *rest])
    (wrong / "poverty_lines.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    regency, period = code.replace(".", ""), rest[0]

    def line_in_force() -> int:
        return PovertyLine.objects.get(regency_code=regency, period=period).amount

    assert services.load_reference_data(data_dir=wrong).outcomes["poverty_lines"] == "created"
    assert line_in_force() == 295_000
    again = services.load_reference_data(data_dir=right)
    assert again.outcomes == {
        "regions": "unchanged",
        "poverty_lines": "reactivated",
        "kbli_risk": "unchanged",
    }
    assert line_in_force() == int(amount)
    assert (
        ReferenceDataset.objects.filter(name="poverty_lines").count() == 2
    )  # no duplicate record of the file
    assert services.load_reference_data(data_dir=right).outcomes["poverty_lines"] == "unchanged"


def test_a_bad_file_loads_nothing_and_names_the_line(reference_data, tmp_path: Path):
    for name in ("regions.csv", "poverty_lines.csv", "kbli_risk.csv"):
        (tmp_path / name).write_bytes((services.DATA_DIR / name).read_bytes())
    with (tmp_path / "poverty_lines.csv").open("a") as handle:
        handle.write('99.99,500000,2025-03,2026-01-01,,"uji"\n')
    before = counts()
    with pytest.raises(services.RegistryDataInvalid) as caught:
        services.load_reference_data(data_dir=tmp_path)
    assert caught.value.details == ["baris 29: kabupaten/kota 99.99 tidak ada dalam data wilayah"]
    assert caught.value.message == "poverty_lines.csv: 1 masalah; tidak ada data yang dimuat."
    assert counts() == before
    with translation.override("en"), pytest.raises(services.RegistryDataInvalid) as caught:
        services.load_reference_data(data_dir=tmp_path)
    assert caught.value.details == ["line 29: regency/city 99.99 is not in the region data"]
    assert caught.value.message.startswith(
        "poverty_lines.csv: 1 masalah"
    )  # the message: in the reader's language
    with translation.override("en"):
        assert caught.value.message == "poverty_lines.csv: problems found: 1; no data was loaded."


def test_the_population_is_valid_and_holds_the_demo_people(registry_data):
    districts = set(Region.objects.filter(level="district").values_list("code", flat=True))
    people = list(Person.objects.select_related("household"))
    assert len(people) == ReferenceDataset.objects.get(name="population").row_count > 1000
    assert Household.objects.filter(regency_code="3273").count() >= 300
    for person in people:
        info = parse_nik(person.nik, region_exists=districts, today=REFERENCE_DATE)
        assert (info.claimed_birth_date, info.claimed_sex) == (person.birth_date, person.sex)
    siti = services.selectors.person_by_nik(demo.WARGA_NIK)
    assert (siti.full_name, siti.household.village_code, siti.household.in_dtsen) == (
        "Siti Nurhaliza",
        "3273091003",
        True,
    )
    assert services.selectors.person_by_nik(demo.UNREGISTERED_NIK) is None


def test_the_population_is_reproducible(reference_data):
    assert services.demo_population() == services.demo_population()
    assert services.demo_population(seed=1) != services.demo_population()


def test_synthetic_people_are_refused_in_production(reference_data, settings):
    settings.PAMONG_ENVIRONMENT = "production"
    with pytest.raises(ApplicationError) as caught:
        services.load_synthetic_population()
    assert caught.value.code == "synthetic_in_production"
    assert Person.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_no_nik_or_name_is_stored_in_clear():
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite database file")
    services.load_reference_data(population=True)
    households = services.demo_population()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    path = Path(connection.settings_dict["NAME"])
    stored = path.read_bytes() + (Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b"")
    assert b"Cihapit" in stored  # the file is the one written: reference data is in clear
    secrets = [h.kk_number for h in households] + [m.nik for h in households for m in h.members]
    assert len(secrets) > 1000
    assert [s for s in secrets if s.encode() in stored] == []
    names = [m.full_name for h in demo.DEMO_HOUSEHOLDS for m in h.members]
    assert [n for n in names if n.encode() in stored] == []

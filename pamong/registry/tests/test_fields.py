"""Encrypted model fields: ciphertext in the database, plaintext in Python, no lookups that cannot work."""

import datetime as dt

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.utils import timezone

from pamong.registry import demo, selectors
from pamong.registry.models import Person


def raw_row(person: Person) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, full_name, birth_date FROM registry_person WHERE id = %s", [person.pk])
        return cursor.fetchone()


def test_values_are_encrypted_in_the_database_and_plain_in_python(registry_data):
    person = selectors.person_by_nik(demo.WARGA_NIK)
    nik, name, born = raw_row(person)
    assert all(value.startswith("v1:dev:") for value in (nik, name, born))
    assert demo.WARGA_NIK not in nik and "Siti" not in name and "1987" not in born
    assert (person.nik, person.full_name, person.birth_date) == (
        demo.WARGA_NIK,
        "Siti Nurhaliza",
        dt.date(1987, 8, 1),
    )


def test_saving_again_re_encrypts_with_a_fresh_nonce(registry_data):
    person = selectors.person_by_nik(demo.WARGA_NIK)
    before = raw_row(person)
    person.save(update_fields=["full_name"])
    after = raw_row(person)
    assert after[1] != before[1] and after[0] == before[0]
    person.refresh_from_db()
    assert person.full_name == "Siti Nurhaliza"


@pytest.mark.parametrize("lookup", ["nik", "nik__startswith", "full_name__icontains", "birth_date__gte"])
def test_lookups_on_ciphertext_are_refused(registry_data, lookup):
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(Person.objects.filter(**{lookup: "3273"}))


def test_isnull_still_works(registry_data):
    assert not Person.objects.filter(nik__isnull=True).exists()


def test_household_coordinates_are_encrypted_and_read_back_exactly(registry_data):
    household = selectors.person_by_nik(demo.WARGA_NIK).household
    with connection.cursor() as cursor:
        cursor.execute("SELECT latitude, longitude FROM registry_household WHERE id = %s", [household.pk])
        latitude, longitude = cursor.fetchone()
    assert latitude.startswith("v1:dev:") and longitude.startswith("v1:dev:")
    assert (household.latitude, household.longitude) == (-6.90389, 107.62361)


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_existing_coordinates_and_can_be_reversed():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("registry", "0001_initial")], [("registry", "0002_encrypt_household_coordinates")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        plain = executor.loader.project_state(before[0]).apps  # models as 0001 had them: REAL columns
        dataset = plain.get_model("registry", "ReferenceDataset").objects.create(
            name="population", source="t", sha256="0" * 64, loaded_at=timezone.now()
        )
        plain.get_model("registry", "Household").objects.create(
            kk_number="x",
            kk_index="idx",
            regency_code="3273",
            district_code="327309",
            latitude=-6.5,
            longitude=107.25,
            dataset_id=dataset.pk,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        sealed = executor.loader.project_state(after[0]).apps.get_model("registry", "Household")
        household = sealed.objects.get(kk_index="idx")
        assert (household.latitude, household.longitude) == (-6.5, 107.25)
        with connection.cursor() as cursor:
            cursor.execute("SELECT latitude FROM registry_household WHERE kk_index = 'idx'")
            assert cursor.fetchone()[0].startswith("v1:")
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute("SELECT latitude, longitude FROM registry_household WHERE kk_index = 'idx'")
            assert tuple(map(float, cursor.fetchone())) == (-6.5, 107.25)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

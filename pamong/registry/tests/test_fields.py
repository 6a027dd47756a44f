"""Encrypted model fields: ciphertext in the database, plaintext in Python, no lookups that cannot work."""

import datetime as dt

import pytest
from django.core.exceptions import FieldError
from django.db import connection

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

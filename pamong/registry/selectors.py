"""Reads of the registry: people by NIK (through the blind index), regions, summaries for staff screens."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from pamong.core.crypto import blind_index

from .models import Household, Person, ReferenceDataset, Region, SchoolEnrollment
from .nik import NikInfo, mask_nik, normalize_nik, parse_nik
from .synthetic import age_on


def nik_index(nik: str) -> str:
    """The blind index stored in Person.nik_index (and VehicleRecord.owner_nik_index) for a NIK."""
    return blind_index(normalize_nik(nik), purpose="nik")


def kk_index(kk_number: str) -> str:
    return blind_index(normalize_nik(kk_number), purpose="kk")


def person_by_nik(nik: str) -> Person | None:
    """The registered person with this NIK, household joined; None if nobody has it."""
    return Person.objects.select_related("household").filter(nik_index=nik_index(nik)).first()


def household_members(household: Household) -> list[Person]:
    """The members as facts and summaries count them: birth date, NIK blind index, and `in_school` (enrolled
    in Dapodik), in one query. Their names and NIKs are not read, so not decrypted."""
    enrolled = SchoolEnrollment.objects.filter(person=OuterRef("pk"))
    return list(
        Person.objects.filter(household=household)
        .only("household_id", "birth_date", "nik_index")
        .annotate(in_school=Exists(enrolled))
    )


def district_exists(code: str) -> bool:
    return Region.objects.filter(code=code, level=Region.Level.DISTRICT).exists()


def validate_nik(nik: str, *, today: dt.date | None = None) -> NikInfo:
    """Structure check of a NIK against the loaded regions; raises NikError (code + Indonesian message)."""
    return parse_nik(nik, region_exists=district_exists, today=today or timezone.localdate())


def region_exists(code: str) -> bool:
    """Whether a Kemendagri area of this code (any level, dots allowed) is in the loaded reference data."""
    return Region.objects.filter(code=code.replace(".", "").strip()).exists()


def region_names(codes: list[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))


def latest_dataset(name: str) -> ReferenceDataset | None:
    return ReferenceDataset.objects.filter(name=name).order_by("-loaded_at", "-id").first()


def person_summary(person: Person, *, today: dt.date | None = None) -> dict[str, object]:
    """What a case officer needs to see of a person: masked NIK, name, age, household and welfare status.
    Plain, JSON-ready values; the full NIK is never included (it is in the application the officer holds)."""
    today = today or timezone.localdate()
    household = person.household
    members = household_members(household)
    names = region_names([household.regency_code, household.district_code, household.village_code])
    return {
        "nik_masked": mask_nik(person.nik),
        "full_name": person.full_name,
        "sex": person.sex,
        "age": age_on(person.birth_date, today),
        "relation": person.relation,
        "disability": person.disability,
        "household": {
            "regency_code": household.regency_code,
            "regency": names.get(household.regency_code, ""),
            "district": names.get(household.district_code, ""),
            "village": names.get(household.village_code, ""),
            "members": len(members),
            "elderly": sum(1 for m in members if age_on(m.birth_date, today) >= 60),
            "in_school": sum(1 for m in members if m.in_school),
            "in_dtsen": household.in_dtsen,
            "welfare_decile": household.welfare_decile,
        },
    }

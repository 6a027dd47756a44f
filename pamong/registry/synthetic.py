"""A reproducible synthetic population standing in for the Dukcapil, DTSEN, Korlantas and Dapodik registries.
Pure Python (no Django): the same seed and regions give the same people, byte for byte, so a reload is a no-op.

Nobody here is real. Names are common Indonesian names drawn at random; NIKs are structurally valid
(pamong.registry.nik) for the household's district, with +40 on the birth day for women.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from .nik import build_nik

# Ages are computed against this fixed date, not today, so the generated data never changes by itself.
REFERENCE_DATE = dt.date(2026, 1, 1)
DEFAULT_SEED = 2026
GENERATOR_VERSION = 1

_MALE = [
    "Agus",
    "Asep",
    "Budi",
    "Dadang",
    "Dedi",
    "Eko",
    "Hendra",
    "Iwan",
    "Joko",
    "Ujang",
    "Rudi",
    "Yayan",
    "Rizky",
    "Fajar",
    "Dimas",
    "Bayu",
    "Aditya",
    "Cecep",
    "Deden",
    "Galih",
    "Ilham",
    "Wahyu",
    "Yusuf",
]
_FEMALE = [
    "Siti",
    "Dewi",
    "Euis",
    "Neneng",
    "Rina",
    "Sri",
    "Yuli",
    "Wati",
    "Ani",
    "Lilis",
    "Nurul",
    "Putri",
    "Ayu",
    "Dinda",
    "Intan",
    "Nining",
    "Tuti",
    "Yanti",
    "Fitri",
    "Rahmawati",
    "Salsabila",
    "Cucu",
]
_FAMILY = [
    "Saputra",
    "Hidayat",
    "Kurniawan",
    "Permana",
    "Gunawan",
    "Setiawan",
    "Nugraha",
    "Suryana",
    "Ramdani",
    "Hermawan",
    "Rahayu",
    "Lestari",
    "Susanti",
    "Maulana",
    "Firmansyah",
    "Sutisna",
    "Wijaya",
    "Pratama",
    "Kusnadi",
    "Sopandi",
    "Hakim",
    "Siregar",
    "Nasution",
    "Harahap",
    "Pohan",
]


@dataclass(frozen=True)
class PersonSpec:
    nik: str
    full_name: str
    birth_date: dt.date
    sex: str  # "L" | "P"
    relation: str  # kepala | pasangan | anak | orang_tua | lainnya
    disability: bool = False
    mother_nik: str = ""
    birth_registered: bool = True
    school_level: str = ""  # "" | sd | smp | sma (Dapodik enrolment)
    vehicles: tuple[int, ...] = ()  # wheels of each vehicle registered to this person (Korlantas)


@dataclass(frozen=True)
class HouseholdSpec:
    kk_number: str
    regency_code: str
    district_code: str
    village_code: str
    latitude: float | None
    longitude: float | None
    in_dtsen: bool
    welfare_decile: int | None
    members: tuple[PersonSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RegionInfo:
    """What the generator needs to know of a district: its villages and its regency's centre."""

    district_code: str
    villages: tuple[str, ...]
    latitude: float | None
    longitude: float | None


def school_level(age: int) -> str:
    if 7 <= age <= 12:
        return "sd"
    if 13 <= age <= 15:
        return "smp"
    if 16 <= age <= 18:
        return "sma"
    return ""


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class _Generator:
    def __init__(self, seed: int, used_niks: Iterable[str]) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set(used_niks)

    def birth_date(self, min_age: int, max_age: int) -> dt.date:
        oldest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - max_age - 1) + dt.timedelta(days=1)
        youngest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - min_age)
        return oldest + dt.timedelta(days=self.rng.randrange((youngest - oldest).days + 1))

    def number(self, district: str, day: dt.date, sex: str) -> str:
        while True:
            nik = build_nik(region_code=district, birth_date=day, sex=sex, serial=self.rng.randint(1, 9999))
            if nik not in self.used:
                self.used.add(nik)
                return nik

    def person(
        self, district: str, relation: str, sex: str, ages: tuple[int, int], family: str, mother_nik: str = ""
    ) -> PersonSpec:
        born = self.birth_date(*ages)
        first = self.rng.choice(_MALE if sex == "L" else _FEMALE)
        level = school_level(age_on(born, REFERENCE_DATE)) if relation == "anak" else ""
        return PersonSpec(
            nik=self.number(district, born, sex),
            full_name=f"{first} {family}",
            birth_date=born,
            sex=sex,
            relation=relation,
            disability=self.rng.random() < 0.02,
            mother_nik=mother_nik,
            birth_registered=self.rng.random() < 0.95,
            school_level=level if level and self.rng.random() < 0.92 else "",
        )

    def household(self, region: RegionInfo) -> HouseholdSpec:
        rng = self.rng
        decile = rng.choices(range(1, 11), weights=[14, 13, 12, 11, 10, 10, 9, 8, 7, 6])[0]
        family = rng.choice(_FAMILY)
        head_sex = "L" if rng.random() < 0.85 else "P"
        head = self.person(region.district_code, "kepala", head_sex, (25, 70), family)
        members = [head]
        mother = head if head_sex == "P" else None
        if head_sex == "L" and rng.random() < 0.85:
            mother = self.person(region.district_code, "pasangan", "P", (22, 65), family)
            members.append(mother)
        for _ in range(rng.choice([0, 1, 1, 2, 2, 2, 3, 4])):
            sex = rng.choice("LP")
            members.append(
                self.person(region.district_code, "anak", sex, (0, 20), family, mother.nik if mother else "")
            )
        if rng.random() < 0.15:
            members.append(self.person(region.district_code, "orang_tua", rng.choice("LP"), (60, 85), family))
        members[0] = _with_vehicles(head, self._vehicles(decile))
        kk_day = self.birth_date(0, 15)
        return HouseholdSpec(
            kk_number=self.number(region.district_code, kk_day, "L"),
            regency_code=region.district_code[:4],
            district_code=region.district_code,
            village_code=rng.choice(region.villages) if region.villages else "",
            latitude=_jitter(rng, region.latitude),
            longitude=_jitter(rng, region.longitude),
            in_dtsen=rng.random() < (0.9 if decile <= 4 else 0.6 if decile <= 6 else 0.2),
            welfare_decile=decile,
            members=tuple(members),
        )

    def _vehicles(self, decile: int) -> tuple[int, ...]:
        wheels = [2] if self.rng.random() < 0.7 else []
        car_chance = 0.5 if decile >= 7 else 0.15 if decile >= 4 else 0.02
        if self.rng.random() < car_chance:
            wheels.append(4)
        return tuple(wheels)


def _with_vehicles(person: PersonSpec, wheels: tuple[int, ...]) -> PersonSpec:
    return PersonSpec(**{**asdict(person), "vehicles": wheels})


def _jitter(rng: random.Random, centre: float | None) -> float | None:
    return None if centre is None else round(centre + rng.uniform(-0.03, 0.03), 5)


def generate_population(
    *,
    regions: Sequence[RegionInfo],
    counts: dict[str, int],
    fixed: Sequence[HouseholdSpec] = (),
    reserved: Iterable[str] = (),
    seed: int = DEFAULT_SEED,
) -> list[HouseholdSpec]:
    """`fixed` households first (the documented demo people), then `counts[regency_code]` random households in
    each regency, spread evenly at random over its districts; no generated number equals one in `reserved`.
    Same arguments -> same list."""
    used = [m.nik for h in fixed for m in h.members] + [h.kk_number for h in fixed] + list(reserved)
    generator = _Generator(seed, used)
    households = list(fixed)
    for regency, count in sorted(counts.items()):
        districts = sorted(
            (r for r in regions if r.district_code[:4] == regency), key=lambda r: r.district_code
        )
        if not districts:
            raise ValueError(f"no districts for regency {regency}")
        households += [generator.household(generator.rng.choice(districts)) for _ in range(count)]
    return households


def population_hash(households: Sequence[HouseholdSpec]) -> str:
    """SHA-256 of the canonical JSON of the whole population (and the generator version)."""
    body = {"generator": GENERATOR_VERSION, "households": [asdict(h) for h in households]}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

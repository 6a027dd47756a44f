"""Many citizens at once, for oversight scenarios: accounts with valid NIKs and an in-memory stand-in for the
person registries (Dukcapil, DTSEN, Korlantas, Dapodik), so thousands of applications go through the real
decision path quickly. Reference data (the poverty map) stays the real registry's: it is what goes wrong."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pamong.accounts.models import User
from pamong.cases.services import documents as cases_documents
from pamong.core.crypto import blind_index
from pamong.registry import services as registry_services
from pamong.registry.adapters import AdapterResult, FactValue, now_iso
from pamong.registry.models import Household, Person, ReferenceDataset
from pamong.registry.nik import build_nik

DISTRICTS = {"3204": ["320405", "320408", "320412", "320428"], "3273": ["327302", "327307", "327309"]}
# Rule set 2026-07 (in force from July 2026): per-capita income at most 120% of the regency's poverty line.
LINE_2025 = {"3204": 470_100, "3273": 620_500}


@dataclass
class Citizen:
    user: User
    nik: str
    regency: str
    sex: str
    born: dt.date
    disability: bool
    facts: dict[str, object]
    form: dict[str, object]

    @property
    def per_capita(self) -> int:
        return int(self.form["household_income"]) // int(self.form["household_size"])


@dataclass
class Population:
    """Citizens with registry facts; `install(monkeypatch)` makes the registry adapters answer from memory."""

    rng: random.Random = field(default_factory=lambda: random.Random(7))
    citizens: list[Citizen] = field(default_factory=list)
    by_nik: dict[str, Citizen] = field(default_factory=dict)
    _used: set[str] = field(default_factory=set)

    def make(
        self,
        count: int,
        *,
        regency: str,
        per_capita: tuple[int, int] = (150_000, 800_000),
        in_dtsen: float = 0.92,
        has_component: float = 0.95,
        disability: float = 0.0,
        female: float = 0.5,
    ) -> list[Citizen]:
        rng, made = self.rng, []
        users = []
        for _ in range(count):
            sex = "P" if rng.random() < female else "L"
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
            nik = self._nik(rng.choice(DISTRICTS[regency]), born, sex)
            size = rng.randint(1, 6)
            income = rng.randrange(*per_capita, 1000) * size
            facts = {
                "in_dtsen": rng.random() < in_dtsen,
                "owns_car": rng.random() < 0.03,
                "kk_regency_code": regency,
                "elderly_count": rng.choice([0, 0, 1]),
                "school_children_count": rng.choice([0, 1, 2]),
            }
            form = {
                "household_size": str(size),
                "household_income": str(income),
                "assets_value": str(rng.randrange(0, 40_000_000, 100_000)),
                "has_pkh_component": rng.random() < has_component,
                "declared_regency_code": regency,
            }
            user = User(
                username=f"w{len(self.citizens) + len(made)}-{nik[-6:]}", nik=nik, nik_index=blind_index(nik)
            )
            user.set_unusable_password()
            users.append(user)
            made.append(Citizen(user, nik, regency, sex, born, rng.random() < disability, facts, form))
        for user, citizen in zip(User.objects.bulk_create(users), made, strict=True):
            citizen.user = user
            self.by_nik[citizen.nik] = citizen
        self.citizens += made
        return made

    def _nik(self, district: str, born: dt.date, sex: str) -> str:
        while True:
            nik = build_nik(region_code=district, birth_date=born, sex=sex, serial=self.rng.randint(1, 9999))
            if nik not in self._used:
                self._used.add(nik)
                return nik

    def install(self, monkeypatch) -> None:
        population = self
        # Application references are PMG-<date>-<3 random bytes>: with thousands of applications in one day two
        # of them collide (birthday bound; reported to pamong.cases). Unique serials keep this scenario about
        # oversight.
        serials = itertools.count(1)
        monkeypatch.setattr(cases_documents.secrets, "token_hex", lambda n: f"{next(serials):0{2 * n}x}")

        class MemoryRegistry:
            def __init__(self, name: str):
                self.name = name

            def fetch(self, *, nik: str, facts: list[str], context=None) -> AdapterResult:
                citizen = population.by_nik.get(nik)
                at = now_iso()
                values = citizen.facts if citizen else {}
                return AdapterResult(
                    facts={
                        f: FactValue(values.get(f), f"registry:{self.name}", at) for f in facts if f in values
                    }
                )

        monkeypatch.setattr(registry_services, "get_adapter", lambda name: MemoryRegistry(name))

    def register_people(self, citizens: list[Citizen]) -> None:
        """Write the citizens into the registry tables too (for the disability flag of the fairness report)."""
        dataset = ReferenceDataset.objects.filter(name=ReferenceDataset.Name.POPULATION).first()
        households = Household.objects.bulk_create(
            Household(
                kk_number=f"KK{c.nik}",
                kk_index=blind_index(f"KK{c.nik}", purpose="kk"),
                regency_code=c.regency,
                district_code=c.nik[:6],
                dataset=dataset,
            )
            for c in citizens
        )
        Person.objects.bulk_create(
            Person(
                nik=c.nik,
                nik_index=c.user.nik_index,
                full_name="Warga Uji",
                birth_date=c.born,
                sex=c.sex,
                household=h,
                relation="kepala",
                disability=c.disability,
            )
            for c, h in zip(citizens, households, strict=True)
        )


def poverty_map(tmp_path: Path, name: str, *, amounts: dict[str, int], note: str) -> Path:
    """A copy of the registry's data directory whose 2025-03 poverty lines are replaced for some regencies."""
    directory = tmp_path / name
    directory.mkdir()
    for file in ("regions.csv", "kbli_risk.csv"):
        shutil.copy(registry_services.DATA_DIR / file, directory / file)
    lines = (registry_services.DATA_DIR / "poverty_lines.csv").read_text(encoding="utf-8").splitlines()
    out = [f"# {note}"]
    for line in lines:
        parts = line.split(",")
        code = parts[0].replace(".", "")
        if not line.startswith("#") and code in amounts and parts[2] == "2025-03":
            parts[1] = str(amounts[code])
            line = ",".join(parts)
        out.append(line)
    (directory / "poverty_lines.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    return directory

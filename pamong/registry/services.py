"""Registry services: load reference data and the synthetic population (idempotent, with provenance), gather
the facts a rule set declares (form + registry adapters + reference tables), each with its source and time."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from pamong.audit.services import actor_label
from pamong.core import generations
from pamong.core.errors import ApplicationError, Text, stored

from . import convert, demo, selectors
from .adapters import NOT_GIVEN, FactValue, RegistryAdapter, SourceUnavailable, get_adapter, now_iso
from .models import (
    Household,
    KbliRisk,
    Person,
    PovertyLine,
    ReferenceDataset,
    Region,
    SchoolEnrollment,
    VehicleRecord,
)
from .nik import NikError, normalize_region_code, parse_nik
from .synthetic import (
    DEFAULT_SEED,
    GENERATOR_VERSION,
    REFERENCE_DATE,
    HouseholdSpec,
    RegionInfo,
    generate_population,
    population_hash,
)

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE, POVERTY_FILE, KBLI_FILE = "regions.csv", "poverty_lines.csv", "kbli_risk.csv"
_LEVEL_LENGTH = {"province": 2, "regency": 4, "district": 6, "village": 10}


class RegistryDataInvalid(ApplicationError):
    code = "registry_data_invalid"
    status = 422


# --- loading --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoadReport:
    outcomes: dict[str, str]  # dataset name -> "created" | "reactivated" | "unchanged"

    @property
    def changed(self) -> bool:
        return any(outcome != "unchanged" for outcome in self.outcomes.values())


def load_reference_data(
    *,
    actor: Any = None,
    population: bool = False,
    data_dir: Path | None = None,
    seed: int = DEFAULT_SEED,
    scale: int = 1,
) -> LoadReport:
    """Load regions, poverty lines and KBLI risk levels from `data_dir` (default: the files shipped in
    pamong/registry/data) and, with `population=True`, the synthetic population (never in production; `scale`
    multiplies its random households: the demo with its history loads 10×, the tests 1×).
    A dataset whose SHA-256 is the one in force is skipped, so running twice changes nothing; a file that was
    in force before and has been replaced since is brought back ("reactivated")."""
    data_dir = data_dir or DATA_DIR
    loaded_by = actor_label(actor)
    outcomes: dict[str, str] = {}
    with transaction.atomic():
        outcomes["regions"] = _load_file(
            data_dir / REGIONS_FILE, ReferenceDataset.Name.REGIONS, _write_regions, loaded_by
        )
        outcomes["poverty_lines"] = _load_file(
            data_dir / POVERTY_FILE, ReferenceDataset.Name.POVERTY_LINES, _write_poverty_lines, loaded_by
        )
        outcomes["kbli_risk"] = _load_file(
            data_dir / KBLI_FILE, ReferenceDataset.Name.KBLI_RISK, _write_kbli, loaded_by
        )
        if population:
            outcomes["population"] = load_synthetic_population(actor=actor, seed=seed, scale=scale)
    return LoadReport(outcomes=outcomes)


def _load_file(path: Path, name: str, writer, loaded_by: str) -> str:
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    earlier = ReferenceDataset.objects.filter(name=name, sha256=digest).first()
    if earlier is not None and earlier == selectors.latest_dataset(name):
        return "unchanged"
    rows = _read_csv(path, content)
    if earlier is not None:
        # A file loaded before and since replaced (a wrong file, then the right one again): bring it back into
        # force, as the same dataset, so provenance keeps pointing at one record of that file.
        earlier.loaded_at, earlier.loaded_by, earlier.source = timezone.now(), loaded_by, _relative(path)
        earlier.save(update_fields=["loaded_at", "loaded_by", "source"])
        writer(rows, earlier, path)
        return "reactivated"
    dataset = ReferenceDataset.objects.create(
        name=name,
        source=_relative(path),
        sha256=digest,
        row_count=len(rows),
        loaded_at=timezone.now(),
        loaded_by=loaded_by,
    )
    writer(rows, dataset, path)
    return "created"


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


def _read_csv(path: Path, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; lines starting with '#' are the file's header comments."""
    lines = content.decode("utf-8").splitlines()
    numbered = [
        (n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")
    ]
    if not numbered:
        raise RegistryDataInvalid(_("%(file)s: the file is empty"), params={"file": path.name})
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in numbered)))
    return [
        (numbered[i + 1][0], {k: (v or "").strip() for k, v in row.items()}) for i, row in enumerate(reader)
    ]


def _invalid(path: Path, problems: list[str]) -> None:
    if problems:
        raise RegistryDataInvalid(
            _("%(file)s: problems found: %(count)s; no data was loaded."),
            params={"file": path.name, "count": len(problems)},
            details=problems,
        )


def _write_regions(rows, dataset: ReferenceDataset, path: Path) -> None:
    problems, regions = [], []
    codes = {normalize_region_code(row["code"]) for _, row in rows}
    for line, row in rows:
        code, parent = normalize_region_code(row["code"]), normalize_region_code(row["parent_code"])
        level = row["level"]
        if _LEVEL_LENGTH.get(level) != len(code) or not code.isdigit():
            problems.append(
                gettext("line %(line)s: code %(code)s does not match the level %(level)s")
                % {"line": line, "code": row["code"], "level": level}
            )
        if level != "province" and (parent not in codes or not code.startswith(parent)):
            problems.append(
                gettext("line %(line)s: the parent %(parent)s of %(code)s does not exist")
                % {"line": line, "parent": row["parent_code"], "code": row["code"]}
            )
        regions.append(
            Region(
                code=code,
                name=row["name"],
                level=level,
                parent_code=parent,
                latitude=_float(row.get("lat")),
                longitude=_float(row.get("lon")),
                dataset=dataset,
            )
        )
    _invalid(path, problems)
    Region.objects.all().delete()
    Region.objects.bulk_create(regions)


def _float(text: str | None) -> float | None:
    return float(text) if text else None


def _write_poverty_lines(rows, dataset: ReferenceDataset, path: Path) -> None:
    regencies = set(Region.objects.filter(level=Region.Level.REGENCY).values_list("code", flat=True))
    problems, lines = [], []
    for line, row in rows:
        code = normalize_region_code(row["regency_code"])
        if code not in regencies:
            problems.append(
                gettext("line %(line)s: regency/city %(code)s is not in the region data")
                % {"line": line, "code": row["regency_code"]}
            )
        try:
            lines.append(
                PovertyLine(
                    regency_code=code,
                    amount=convert.to_type(row["amount"], "money"),
                    period=row["period"],
                    **_period(row),
                    source=row["source"],
                    dataset=dataset,
                )
            )
        except ValueError as exc:
            problems.append(gettext("line %(line)s: %(error)s") % {"line": line, "error": exc})
    _invalid(path, problems)
    PovertyLine.objects.all().delete()
    PovertyLine.objects.bulk_create(lines)


def _period(row: Mapping[str, str]) -> dict[str, dt.date | None]:
    until = row.get("effective_until")
    return {
        "effective_from": dt.date.fromisoformat(row["effective_from"]),
        "effective_until": dt.date.fromisoformat(until) if until else None,
    }


def _write_kbli(rows, dataset: ReferenceDataset, path: Path) -> None:
    problems, risks = [], []
    for line, row in rows:
        if len(row["kbli_code"]) != 5 or not row["kbli_code"].isdigit():
            problems.append(
                gettext("line %(line)s: KBLI code %(code)s must be 5 digits")
                % {"line": line, "code": row["kbli_code"]}
            )
        try:
            risks.append(
                KbliRisk(
                    kbli_code=row["kbli_code"],
                    title=row["title"],
                    risk_level=row["risk_level"],
                    **_period(row),
                    source=row["source"],
                    dataset=dataset,
                )
            )
        except ValueError as exc:
            problems.append(gettext("line %(line)s: %(error)s") % {"line": line, "error": exc})
    _invalid(path, problems)
    KbliRisk.objects.all().delete()
    KbliRisk.objects.bulk_create(risks)


def demo_population(*, seed: int = DEFAULT_SEED, scale: int = 1) -> list[HouseholdSpec]:
    """The demo population (fixed demo people + seeded random households, `scale` times the usual number) over
    the loaded regions."""
    return generate_population(
        regions=_region_infos(),
        counts={regency: count * scale for regency, count in demo.DEMO_POPULATION_COUNTS.items()},
        fixed=demo.DEMO_HOUSEHOLDS,
        reserved=[demo.UNREGISTERED_NIK],
        seed=seed,
    )


def load_synthetic_population(*, actor: Any = None, seed: int = DEFAULT_SEED, scale: int = 1) -> str:
    """Replace the registry tables with the synthetic population, unless that exact population is loaded."""
    if settings.PAMONG_ENVIRONMENT == "production":
        raise ApplicationError(
            _("Synthetic population data may not be loaded in production."),
            code="synthetic_in_production",
        )
    households = demo_population(seed=seed, scale=scale)
    digest = population_hash(households)
    if ReferenceDataset.objects.filter(name=ReferenceDataset.Name.POPULATION, sha256=digest).exists():
        return "unchanged"
    _check_niks(households)
    with transaction.atomic():
        dataset = ReferenceDataset.objects.create(
            name=ReferenceDataset.Name.POPULATION,
            source=f"pamong.registry.synthetic (seed {seed}, scale {scale}, generator v{GENERATOR_VERSION})",
            sha256=digest,
            row_count=sum(len(h.members) for h in households),
            loaded_at=timezone.now(),
            loaded_by=actor_label(actor),
        )
        _write_population(households, dataset)
    return "created"


def _region_infos() -> list[RegionInfo]:
    regions = list(Region.objects.values_list("code", "level", "latitude", "longitude"))
    centres = {code: (lat, lon) for code, level, lat, lon in regions if level == Region.Level.REGENCY}
    villages: dict[str, list[str]] = defaultdict(list)
    for code, level, _lat, _lon in regions:
        if level == Region.Level.VILLAGE:
            villages[code[:6]].append(code)
    return [
        RegionInfo(code, tuple(sorted(villages[code])), *centres.get(code[:4], (None, None)))
        for code, level, _lat, _lon in regions
        if level == Region.Level.DISTRICT
    ]


def _check_niks(households: Sequence[HouseholdSpec]) -> None:
    districts = set(Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True))
    today = REFERENCE_DATE  # the generator's fixed 'today': every synthetic birth date is on or before it
    problems = []
    for household in households:
        for person in household.members:
            try:
                info = parse_nik(person.nik, region_exists=districts, today=today)
            except NikError as exc:
                problems.append(f"{person.full_name}: {exc.message}")
                continue
            if info.claimed_birth_date != person.birth_date or info.claimed_sex != person.sex:
                problems.append(
                    gettext("%(name)s: the NIK does not match the date of birth or sex")
                    % {"name": person.full_name}
                )
    if problems:
        raise RegistryDataInvalid(_("The synthetic population data is not valid."), details=problems)


def _write_population(households: Sequence[HouseholdSpec], dataset: ReferenceDataset) -> None:
    VehicleRecord.objects.all().delete()
    Household.objects.all().delete()  # cascades to people and enrolments
    created = Household.objects.bulk_create(
        Household(
            kk_number=h.kk_number,
            kk_index=selectors.kk_index(h.kk_number),
            regency_code=h.regency_code,
            district_code=h.district_code,
            village_code=h.village_code,
            latitude=h.latitude,
            longitude=h.longitude,
            in_dtsen=h.in_dtsen,
            welfare_decile=h.welfare_decile,
            dataset=dataset,
        )
        for h in households
    )
    people, levels, vehicles = [], [], []
    for spec, household in zip(households, created, strict=True):
        for member in spec.members:
            index = selectors.nik_index(member.nik)
            people.append(
                Person(
                    nik=member.nik,
                    nik_index=index,
                    full_name=member.full_name,
                    birth_date=member.birth_date,
                    sex=member.sex,
                    household=household,
                    relation=member.relation,
                    disability=member.disability,
                    mother_nik_index=selectors.nik_index(member.mother_nik) if member.mother_nik else "",
                    birth_registered=member.birth_registered,
                )
            )
            levels.append(member.school_level)
            vehicles += [
                VehicleRecord(owner_nik_index=index, wheels=w, dataset=dataset) for w in member.vehicles
            ]
    people = Person.objects.bulk_create(people)
    SchoolEnrollment.objects.bulk_create(
        SchoolEnrollment(person=person, level=level)
        for person, level in zip(people, levels, strict=True)
        if level
    )
    VehicleRecord.objects.bulk_create(vehicles)


# --- reference tables -------------------------------------------------------------------------------------------
@dataclass
class ReferenceTables:
    tables: dict[str, dict[str, object]]
    provenance: dict[str, dict[str, object]]
    problems: list[Text] = field(default_factory=list)


def reference_tables(names: Iterable[str], on_date: dt.date) -> ReferenceTables:
    """Each named table as {key: value} with the rows in force on `on_date`, and where they came from.
    Known tables: poverty_line ({regency code "3273": rupiah}) and kbli_risk ({"56102": "rendah"}). Read once
    per generation of the reference data (pamong.core.generations); each caller gets its own copy."""
    key = ("tables", tuple(sorted(set(names))), on_date)
    return copy.deepcopy(generations.cached("reference", key, lambda: _read_tables(key[1], on_date)))


def _read_tables(names: tuple[str, ...], on_date: dt.date) -> ReferenceTables:
    result = ReferenceTables(tables={}, provenance={})
    for name in names:
        model = _TABLES.get(name)
        if model is None:
            result.tables[name] = {}
            result.problems.append(
                Text(_("Reference table %(table)s is not known to the registry module."), {"table": name})
            )
            continue
        rows = _in_force(model, on_date)
        result.tables[name] = {_key(row): _value(row) for row in rows}
        result.provenance[name] = _table_provenance(name, rows, on_date)
        if not rows:
            result.problems.append(
                Text(
                    _("Reference table %(table)s holds no data in force on %(date)s."),
                    {"table": name, "date": on_date.isoformat()},
                )
            )
    return result


_TABLES = {"poverty_line": PovertyLine, "kbli_risk": KbliRisk}


def _in_force(model, on_date: dt.date) -> list:
    # Ordered by start date, so when periods overlap the latest one wins in the dict.
    rows = (
        model.objects.filter(effective_from__lte=on_date).select_related("dataset").order_by("effective_from")
    )
    return [row for row in rows if row.effective_until is None or row.effective_until >= on_date]


def _key(row) -> str:
    return row.regency_code if isinstance(row, PovertyLine) else row.kbli_code


def _value(row) -> object:
    return row.amount if isinstance(row, PovertyLine) else row.risk_level


def _table_provenance(name: str, rows: list, on_date: dt.date) -> dict[str, object]:
    datasets = {row.dataset_id: row.dataset for row in rows}
    return {
        "source": f"reference:{name}",
        "on_date": on_date.isoformat(),
        "rows": len(rows),
        "published_by": sorted({row.source for row in rows}),
        "periods": sorted({getattr(row, "period", "") or row.effective_from.isoformat() for row in rows}),
        "datasets": [
            {"id": d.pk, "sha256": d.sha256, "file": d.source, "loaded_at": d.loaded_at.isoformat()}
            for d in datasets.values()
        ],
    }


# --- gathering facts --------------------------------------------------------------------------------------------
@dataclass
class GatheredFacts:
    facts: dict[str, FactValue]
    tables: dict[str, dict[str, object]]
    table_provenance: dict[str, dict[str, object]]
    problems: list[Text | str]  # each put in the reader's language when shown (ADR 51)
    on_date: dt.date
    gathered_at: str

    def values(self) -> dict[str, object]:
        """Plain {fact: value} for the rules engine; None means unknown."""
        return {name: fact.value for name, fact in self.facts.items()}

    def provenance(self) -> dict[str, object]:
        """JSON-ready record of where every fact and table came from (no values: those are in the facts)."""
        return {
            "gathered_at": self.gathered_at,
            "on_date": self.on_date.isoformat(),
            "facts": {name: fact.provenance() for name, fact in self.facts.items()},
            "tables": self.table_provenance,
            "problems": [stored(problem) for problem in self.problems],
        }


def gather_facts(
    *,
    fact_specs: Mapping[str, Any],
    form: Mapping[str, Any],
    nik: str,
    on_date: dt.date,
    tables: Iterable[str] = (),
    system: Mapping[str, Any] | None = None,
    adapters: Mapping[str, RegistryAdapter] | None = None,
) -> GatheredFacts:
    """Every declared fact, typed, with provenance. `fact_specs`: {name: (type, source)} or {name: Fact} (any
    object with .type and .source, e.g. RuleSet.facts). Sources: "form", "system" (from `system`, plus
    filing_date = on_date), "registry:<adapter>". A source that fails leaves its facts None (unknown) and adds a
    problem, so the rules engine refers the case to a person: missing data never becomes a denial."""
    specs = {name: _spec(spec) for name, spec in fact_specs.items()}
    gathered_at = now_iso()
    system_values = {"filing_date": on_date, **(system or {})}
    facts: dict[str, FactValue] = {}
    problems: list[Text | str] = []
    by_adapter: dict[str, list[str]] = defaultdict(list)
    for name, (type_name, source) in specs.items():
        if source == "form":
            facts[name] = _typed(name, form.get(name), type_name, "form", gathered_at, problems)
        elif source == "system":
            facts[name] = _typed(name, system_values.get(name), type_name, "system", gathered_at, problems)
            if facts[name].value is None and name not in system_values:
                problems.append(Text(_("System data %(fact)s was not given."), {"fact": name}))
        elif source.startswith("registry:"):
            by_adapter[source.removeprefix("registry:")].append(name)
        else:
            facts[name] = FactValue(None, source, gathered_at, Text(_("unknown source")))
            problems.append(
                Text(_("Data source %(source)s for %(fact)s is not known."), {"source": source, "fact": name})
            )
    context = {"on_date": on_date, "form": dict(form), "memo": {}}
    for adapter_name, names in by_adapter.items():
        adapter = (adapters or {}).get(adapter_name) or get_adapter(adapter_name)
        facts.update(_from_adapter(adapter_name, adapter, names, specs, nik, context, problems))
    refs = reference_tables(tables, on_date)
    return GatheredFacts(
        facts={name: facts[name] for name in specs},
        tables=refs.tables,
        table_provenance=refs.provenance,
        problems=problems + refs.problems,
        on_date=on_date,
        gathered_at=gathered_at,
    )


def _spec(spec: Any) -> tuple[str, str]:
    if isinstance(spec, tuple | list):
        return str(spec[0]), str(spec[1])
    return str(spec.type), str(spec.source)


def _typed(name: str, raw: object, type_name: str, source: str, at: str, problems: list) -> FactValue:
    try:
        value = convert.to_type(raw, type_name)
    except ValueError:
        problems.append(
            Text(
                _("The value of %(fact)s from %(source)s cannot be read."),
                {"fact": name, "source": _SOURCE_NAMES.get(source, source)},
            )
        )
        return FactValue(None, source, at, Text(_("the value cannot be read")))
    return FactValue(value, source, at, "" if value is not None else Text(_("not filled in")))


_SOURCE_NAMES = {"form": Text(_("the form")), "system": Text(_("the system"))}


def _from_adapter(
    adapter_name: str,
    adapter: RegistryAdapter | None,
    names: list[str],
    specs: Mapping[str, tuple[str, str]],
    nik: str,
    context: Mapping[str, Any],
    problems: list[Text | str],
) -> dict[str, FactValue]:
    source, at = f"registry:{adapter_name}", now_iso()
    if adapter is None:
        problems.append(Text(_("Data source %(source)s is not available yet."), {"source": adapter_name}))
        return {name: FactValue(None, source, at, Text(_("source not available yet"))) for name in names}
    try:
        result = adapter.fetch(nik=nik, facts=list(names), context=context)
    except SourceUnavailable as exc:
        problems.append(
            Text(
                _("Data source %(source)s is not available: %(reason)s"),
                {"source": adapter_name, "reason": exc.reason},
            )
        )
        return {
            name: FactValue(
                None, source, at, Text(_("source not available: %(reason)s"), {"reason": exc.reason})
            )
            for name in names
        }
    except Exception:  # a bug in an adapter must not turn into a decision; it is logged and referred
        logger.exception("registry adapter %s failed", adapter_name)
        problems.append(
            Text(
                _("Data source %(source)s failed to give data because of a system error."),
                {"source": adapter_name},
            )
        )
        return {name: FactValue(None, source, at, Text(_("system error"))) for name in names}
    problems.extend(result.problems)
    return {
        name: _checked(name, result.facts.get(name), specs[name][0], source, at, problems) for name in names
    }


def _checked(
    name: str, fact: FactValue | None, type_name: str, source: str, at: str, problems: list
) -> FactValue:
    if fact is None:
        problems.append(
            Text(
                _("Data source %(source)s did not give %(fact)s."),
                {"source": source.removeprefix("registry:"), "fact": name},
            )
        )
        return FactValue(None, source, at, NOT_GIVEN)
    try:
        value = convert.to_type(fact.value, type_name)
    except ValueError:
        problems.append(
            Text(
                _("Data source %(source)s gave an invalid value of %(fact)s."),
                {"source": source.removeprefix("registry:"), "fact": name},
            )
        )
        return FactValue(
            None, fact.source, fact.fetched_at, Text(_("invalid value from the source")), fact.dataset
        )
    return FactValue(value, fact.source, fact.fetched_at, fact.note, fact.dataset)

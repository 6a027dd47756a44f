"""gather_facts: every declared fact typed and with provenance; a failing source means unknown -> REFER."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import translation

from pamong.core.errors import words
from pamong.registry import demo, selectors, services
from pamong.registry.adapters import AdapterResult, FactValue, HttpJsonAdapter, SourceUnavailable, get_adapter
from pamong.registry.nik import NikError
from pamong.rules import load_rule_sets, select_version

from .test_adapters import silent_port  # noqa: F401  (a fixture)

PACKS = Path(__file__).resolve().parents[3] / "packs"
SPRING, AUTUMN = dt.date(2026, 3, 2), dt.date(2026, 8, 3)  # bansos-pkh 2026-01 and 2026-07 in force


def bansos(on_date: dt.date):
    return select_version(load_rule_sets(PACKS / "bansos-pkh" / "rules"), on_date)


def decide(nik: str, on_date: dt.date, form: dict | None = None, **options):
    rule_set = bansos(on_date)
    gathered = services.gather_facts(
        fact_specs=rule_set.facts,
        form=form
        if form is not None
        else demo.DEMO_BANSOS_FORMS.get(nik, demo.DEMO_BANSOS_FORMS[demo.WARGA_NIK]),
        nik=nik,
        on_date=on_date,
        tables=rule_set.tables,
        **options,
    )
    return gathered, rule_set.evaluate(gathered.values(), gathered.tables, impact_level=3)


@pytest.mark.parametrize("on_date", [SPRING, AUTUMN])
@pytest.mark.parametrize("nik", list(demo.DEMO_BANSOS_OUTCOMES))
def test_the_demo_people_get_the_documented_outcome(registry_data, nik, on_date):
    _, evaluation = decide(nik, on_date)
    assert str(evaluation.outcome) == demo.DEMO_BANSOS_OUTCOMES[nik]


def test_the_granted_citizen_in_detail(registry_data):
    gathered, evaluation = decide(demo.WARGA_NIK, SPRING)
    assert gathered.values() == {
        "in_dtsen": True,
        "household_income": 2_000_000,
        "household_size": 5,
        "assets_value": 10_000_000,
        "owns_car": False,
        "has_pkh_component": True,
        "declared_regency_code": "3273",
        "kk_regency_code": "3273",
        "elderly_count": 1,
        "school_children_count": 2,
    }
    assert gathered.tables["poverty_line"]["3273"] == 620_500
    assert gathered.problems == []
    assert evaluation.values["income_per_capita"] == 400_000


def test_every_fact_and_table_has_provenance(registry_data):
    gathered, _ = decide(demo.WARGA_NIK, SPRING)
    provenance = gathered.provenance()
    json.dumps(provenance)  # JSON-ready
    assert set(provenance["facts"]) == set(bansos(SPRING).facts)
    for name, record in provenance["facts"].items():
        assert record["source"] in {
            "form",
            "registry:dtsen",
            "registry:korlantas",
            "registry:dukcapil",
            "registry:dapodik",
        }, name
        assert dt.datetime.fromisoformat(record["fetched_at"]), name
        if record["source"].startswith("registry:"):
            assert len(record["dataset"].split(":")[1]) == 64, name
    table = provenance["tables"]["poverty_line"]
    assert table["periods"] == ["2025-03"] and table["rows"] == 11
    assert table["datasets"][0]["file"] == "pamong/registry/data/poverty_lines.csv"
    assert len(table["datasets"][0]["sha256"]) == 64
    assert provenance["on_date"] == "2026-03-02" and provenance["problems"] == []


class Unreachable:
    name = "dtsen"

    def fetch(self, *, nik, facts, context=None):
        raise SourceUnavailable("sumber data dtsen tidak menjawab dalam 3 detik")


class Broken:
    name = "korlantas"

    def fetch(self, *, nik, facts, context=None):
        raise RuntimeError("bug in an adapter")


class Garbled:
    name = "dapodik"

    def fetch(self, *, nik, facts, context=None):
        return AdapterResult(facts={"school_children_count": FactValue("dua", "registry:dapodik", "t")})


def test_an_unreachable_source_makes_its_facts_unknown_and_the_case_refer(registry_data):
    gathered, evaluation = decide(demo.DENIED_NIK, SPRING, adapters={"dtsen": Unreachable()})
    assert gathered.values()["in_dtsen"] is None
    assert words(gathered.provenance()["facts"]["in_dtsen"]["note"]).startswith("sumber tidak tersedia")
    assert [str(p) for p in gathered.problems] == [
        "Sumber data dtsen tidak tersedia: sumber data dtsen tidak menjawab dalam 3 detik"
    ]
    rules = {r.rule_id: str(r.status) for r in evaluation.rules}
    assert rules["registered_in_dtsen"] == "unknown"
    # The other failures of this applicant still deny; with only the unknown fact failing, it refers:
    _, only_unknown = decide(demo.WARGA_NIK, SPRING, adapters={"dtsen": Unreachable()})
    assert str(only_unknown.outcome) == "REFER"


def test_a_broken_or_garbled_adapter_never_decides(registry_data):
    gathered, evaluation = decide(
        demo.WARGA_NIK, SPRING, adapters={"korlantas": Broken(), "dapodik": Garbled()}
    )
    assert (gathered.values()["owns_car"], gathered.values()["school_children_count"]) == (None, None)
    assert [str(p) for p in gathered.problems] == [
        "Sumber data korlantas gagal memberikan data karena kesalahan sistem.",
        "Sumber data dapodik memberikan nilai school_children_count yang tidak sah.",
    ]
    assert str(evaluation.outcome) == "REFER"


def test_a_configured_http_source_that_never_answers_refers(registry_data, settings):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        settings.PAMONG_REGISTRY_HTTP_ADAPTERS = {
            "dtsen": {"base_url": f"http://127.0.0.1:{listener.getsockname()[1]}", "timeout": 0.3}
        }
        gathered, evaluation = decide(demo.WARGA_NIK, SPRING)
    finally:
        listener.close()
    assert gathered.values()["in_dtsen"] is None
    assert [str(p) for p in gathered.problems] == [
        "Sumber data dtsen tidak tersedia: sumber data dtsen tidak menjawab dalam 0.3 detik"
    ]
    assert str(evaluation.outcome) == "REFER"


def test_form_values_are_typed_and_unreadable_ones_are_unknown(registry_data):
    form = {
        "household_size": "5",
        "household_income": "2.000.000",
        "assets_value": "banyak",
        "has_pkh_component": "ya",
        "declared_regency_code": " 3273 ",
    }
    gathered, evaluation = decide(demo.WARGA_NIK, SPRING, form=form)
    values = gathered.values()
    assert (values["household_size"], values["household_income"], values["has_pkh_component"]) == (
        5,
        2_000_000,
        True,
    )
    assert values["assets_value"] is None and values["declared_regency_code"] == "3273"
    assert [str(p) for p in gathered.problems] == [
        "Nilai assets_value dari isian formulir tidak dapat dibaca."
    ]
    assert str(evaluation.outcome) == "REFER"


def test_a_missing_form_value_is_unknown_with_a_note(registry_data):
    form = dict(demo.DEMO_BANSOS_FORMS[demo.WARGA_NIK])
    del form["declared_regency_code"]
    gathered, evaluation = decide(demo.WARGA_NIK, SPRING, form=form)
    assert gathered.values()["declared_regency_code"] is None
    assert words(gathered.provenance()["facts"]["declared_regency_code"]["note"]) == "tidak diisi"
    assert str(evaluation.outcome) == "REFER"


def test_system_facts_come_from_the_caller(registry_data):
    specs = {
        "filing_date": ("date", "system"),
        "office_village_code": ("str", "system"),
        "kk_village_code": ("str", "registry:dukcapil"),
    }
    gathered = services.gather_facts(
        fact_specs=specs,
        form={},
        nik=demo.WARGA_NIK,
        on_date=SPRING,
        system={"office_village_code": "3273091003"},
    )
    assert gathered.values() == {
        "filing_date": SPRING,
        "office_village_code": "3273091003",
        "kk_village_code": "3273091003",
    }
    missing = services.gather_facts(fact_specs=specs, form={}, nik=demo.WARGA_NIK, on_date=SPRING)
    assert [str(p) for p in missing.problems] == ["Data sistem office_village_code tidak diberikan."]


def test_unknown_sources_and_tables_are_problems(registry_data):
    gathered = services.gather_facts(
        fact_specs={"x": ("bool", "registry:bpjs"), "y": ("int", "oracle")},
        form={},
        nik=demo.WARGA_NIK,
        on_date=SPRING,
        tables=["land_prices"],
    )
    assert gathered.values() == {"x": None, "y": None}
    assert [str(p) for p in gathered.problems] == [
        "Sumber data oracle untuk y tidak dikenal.",
        "Sumber data bpjs belum tersedia.",
        "Tabel rujukan land_prices tidak dikenal oleh modul registry.",
    ]


@pytest.mark.parametrize(
    ("on_date", "amount", "period"),
    [
        (dt.date(2025, 6, 1), 601_290, "2024-03"),
        (dt.date(2025, 12, 31), 601_290, "2024-03"),
        (dt.date(2026, 1, 1), 620_500, "2025-03"),
    ],
)
def test_the_poverty_line_in_force_on_the_date(reference_data, on_date, amount, period):
    tables = services.reference_tables(["poverty_line", "kbli_risk"], on_date)
    assert tables.tables["poverty_line"]["3273"] == amount
    assert tables.provenance["poverty_line"]["periods"] == [period]
    assert tables.tables["kbli_risk"]["56102"] == "rendah"
    assert tables.problems == []


def test_no_poverty_line_before_the_first_period(reference_data):
    tables = services.reference_tables(["poverty_line"], dt.date(2024, 6, 1))
    assert tables.tables == {"poverty_line": {}}
    assert [str(p) for p in tables.problems] == [
        "Tabel rujukan poverty_line tidak berisi data yang berlaku pada 2024-06-01."
    ]


@pytest.mark.parametrize(
    "rules_file", sorted(PACKS.glob("*/rules/*.yaml")), ids=lambda p: f"{p.parent.parent.name}/{p.stem}"
)
def test_every_pack_gets_its_registry_facts_and_tables(registry_data, rules_file):
    rule_set = next(r for r in load_rule_sets(rules_file.parent) if r.source_file.endswith(rules_file.name))
    gathered = services.gather_facts(
        fact_specs=rule_set.facts,
        form={"mother_nik": demo.WARGA_NIK, "birth_date": "2026-02-20"},
        nik=demo.WARGA_NIK,
        on_date=rule_set.effective_from,
        tables=rule_set.tables,
        system={"office_village_code": "3273091003"},
    )
    registry_facts = {n for n, f in rule_set.facts.items() if f.source.startswith("registry:")}
    assert all(gathered.values()[name] is not None for name in registry_facts)
    assert [p for p in gathered.problems if "registry" in p or "Sumber" in p or "Tabel" in p] == []
    rule_set.evaluate(gathered.values(), gathered.tables)  # types accepted by the engine


def test_person_lookup_and_summary(registry_data):
    person = selectors.person_by_nik("3273 0941 0887 0002")
    assert person is not None and person.full_name == "Siti Nurhaliza"
    summary = selectors.person_summary(person, today=SPRING)
    assert summary == {
        "nik_masked": "327309********02",
        "full_name": "Siti Nurhaliza",
        "sex": "P",
        "age": 38,
        "relation": "pasangan",
        "disability": False,
        "household": {
            "regency_code": "3273",
            "regency": "Kota Bandung",
            "district": "Bandung Wetan",
            "village": "Cihapit",
            "members": 5,
            "elderly": 1,
            "in_school": 2,
            "in_dtsen": True,
            "welfare_decile": 1,
        },
    }


def test_validate_nik_uses_the_loaded_regions(reference_data):
    info = selectors.validate_nik(demo.REFER_NIK, today=SPRING)
    assert (info.region_code, info.claimed_sex) == ("320405", "L")
    with pytest.raises(NikError) as caught:
        selectors.validate_nik("3273314108870002", today=SPRING)  # no 31st district in Kota Bandung
    assert caught.value.code == "nik_region_unknown"


@pytest.mark.parametrize("nik", list(demo.DEMO_BANSOS_OUTCOMES))
def test_one_gathering_reads_the_person_and_household_once(registry_data, nik, django_assert_max_num_queries):
    """The four local adapters of one application share its person, household members and dataset label (issue
    12: the person was read five times per submission); each adapter asked alone gives the same values."""
    rule_set = bansos(AUTUMN)
    form = demo.DEMO_BANSOS_FORMS.get(nik, demo.DEMO_BANSOS_FORMS[demo.WARGA_NIK])
    with django_assert_max_num_queries(7):  # label, person, members, vehicles, two tables with their datasets
        gathered = services.gather_facts(fact_specs=rule_set.facts, form=form, nik=nik, on_date=AUTUMN)
    alone = {}
    for source in {spec.source for spec in rule_set.facts.values() if spec.source.startswith("registry:")}:
        adapter = get_adapter(source.removeprefix("registry:"))
        names = [n for n, spec in rule_set.facts.items() if spec.source == source]
        result = adapter.fetch(nik=nik, facts=names, context={"on_date": AUTUMN, "form": form})
        alone.update({name: fact.value for name, fact in result.facts.items()})
    assert alone and {name: gathered.facts[name].value for name in alone} == alone


def test_a_sources_problems_are_kept_in_english_and_read_in_the_readers_language(registry_data, silent_port):  # noqa: F811
    """A registry that times out: the case record keeps the English source and its parameters (JSON), and
    each reader gets them in their language (ADR 51); the language at gathering time does not matter."""
    slow = HttpJsonAdapter(name="dtsen", base_url=f"http://127.0.0.1:{silent_port}", timeout=0.3)
    with translation.override("en"):
        gathered, _ = decide(demo.WARGA_NIK, SPRING, adapters={"dtsen": slow})
    kept = json.loads(json.dumps(gathered.provenance()))
    assert [words(p) for p in kept["problems"]] == [
        "Sumber data dtsen tidak tersedia: sumber data dtsen tidak menjawab dalam 0.3 detik"
    ]
    with translation.override("en"):
        assert [words(p) for p in kept["problems"]] == [
            "Data source dtsen is not available: data source dtsen did not answer within 0.3 seconds"
        ]
        assert words(kept["facts"]["in_dtsen"]["note"]).startswith("source not available: data source dtsen")

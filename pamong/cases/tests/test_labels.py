"""Every value a shipped pack's rules name has a label in both languages (`pamong.cases.labels`), and the
officer's case page shows labels, not identifiers (issue 20 point 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from pamong.cases import services
from pamong.cases.labels import LABELS, SOURCE_LABELS, fact_label, source_label

SECTIONS = ("facts", "derived", "tables", "scores")


def shipped_names() -> set[str]:
    names = set()
    for path in sorted(Path(settings.PACKS_DIR).glob("*/rules/*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in SECTIONS:
            names.update((spec.get(section) or {}).keys())
    return names


def test_every_value_a_shipped_pack_names_has_a_label_in_both_languages():
    names = shipped_names()
    assert {"has_pkh_component", "income_per_capita", "poverty_line", "vulnerability"} <= names
    assert sorted(names - set(LABELS)) == []
    for name in names:
        with translation.override("en"):
            english = fact_label(name)
        with translation.override("id"):
            indonesian = fact_label(name)
        assert english != indonesian, name  # translated in the catalogue
        assert "_" not in english + indonesian


def test_every_source_a_shipped_pack_names_has_words_in_both_languages():
    sources = set()
    for path in sorted(Path(settings.PACKS_DIR).glob("*/rules/*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        sources.update(str(fact["source"]) for fact in (spec.get("facts") or {}).values())
    assert {"form", "registry:dukcapil", "registry:korlantas"} <= sources
    assert sorted(sources - set(SOURCE_LABELS)) == []
    for source in sources:
        with translation.override("en"):
            english = source_label(source)
        with translation.override("id"):
            assert source_label(source) != english and ":" not in english
    with translation.override("en"):
        assert source_label("registry:bpjs_kesehatan") == "official register (BPJS KESEHATAN)"
        assert source_label("reference:poverty_line") == "reference data"


def test_a_name_outside_the_table_is_said_with_its_description_or_as_undescribed():
    with translation.override("en"):
        assert fact_label("new_fact", {"new_fact": "Fakta baru"}) == "Fakta baru"
        assert fact_label("new_fact") == "a value the rules do not describe"
    with translation.override("id"):
        assert fact_label("new_fact") == "nilai yang tidak dijelaskan dalam aturan"


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_officers_case_page_names_facts_by_their_labels(world, client_for):
    application, _ = services.submit_application(
        actor=world.denied, service=world.bansos, applicant=world.denied, form=world.forms[world.denied.nik]
    )
    client = client_for(world.petugas)
    page = visible(client.get(f"/petugas/permohonan/{application.pk}/").content.decode())
    assert "Keluarga memiliki komponen PKH" in page and "Penghasilan per orang per bulan" in page
    client.cookies["django_language"] = "en"
    english = visible(client.get(f"/petugas/permohonan/{application.pk}/").content.decode())
    assert "Family has a PKH component" in english and "Income per person per month" in english
    assert "Keluarga memiliki komponen PKH" not in english
    assert "Korlantas Polri (vehicle register)" in english and "the application form" in english
    for shown in (page, english):
        leaks = ("has_pkh_component", "owns_car", "income_per_capita", "registry:korlantas", "reference:")
        assert not [name for name in leaks if name in shown]


def test_a_source_problem_names_the_fact_and_the_register_in_words():
    from pamong.cases.views import _provenance

    problems = {
        "problems": [
            {
                "text": "Data source %(source)s did not give %(fact)s.",
                "params": {"source": "korlantas", "fact": "owns_car"},
            },
            "An old problem kept as plain words.",
        ]
    }
    with translation.override("id"):
        assert _provenance(problems)["problems"] == [
            "Sumber data Korlantas Polri (data kendaraan bermotor) tidak memberikan data anggota keluarga memiliki "
            "mobil.",
            "An old problem kept as plain words.",
        ]
    with translation.override("en"):
        assert _provenance(problems)["problems"][0] == (
            "Data source Korlantas Polri (vehicle register) did not give a family member owns a car."
        )

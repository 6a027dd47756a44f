"""The algorithm register says a rule's condition and the values it names in the reader's language (issue 20
point 3): operators and digit groups in words of the language, every fact, derived value and table by its label
(`pamong.cases.labels`), never by its identifier (`has_pkh_component`)."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.utils import translation

from pamong.cases.labels import LABELS
from pamong.oversight import register

pytestmark = pytest.mark.django_db

PAGE = "/algoritma/bansos-pkh/"
IDENTIFIERS = ("has_pkh_component", "owns_car", "assets_value", "declared_regency_code", "kk_regency_code")


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_register_in_indonesian_names_values_by_their_labels(world, client):
    page = visible(client.get(PAGE).content.decode())
    assert "Syarat: keluarga memiliki komponen PKH" in page
    assert "nilai aset keluarga ≤ 60000000 dan (tidak anggota keluarga memiliki mobil)" in page
    assert "kabupaten/kota yang dinyatakan pemohon sama dengan kabupaten/kota pada Kartu Keluarga" in page
    # the terms: the label, then the pack's own description
    assert (
        "Keluarga memiliki komponen PKH: Ada ibu hamil, balita, anak sekolah, lansia atau penyandang disabilitas "
        "berat dalam keluarga" in page
    )
    # what the applicant reads, its placeholders by their labels
    assert "Nilai aset keluarga Anda [nilai aset keluarga] melebihi Rp60.000.000" in page
    assert not [name for name in IDENTIFIERS if name in page]


def test_the_register_in_english_says_the_condition_in_english(world, client):
    client.cookies["django_language"] = "en"
    page = visible(client.get(PAGE).content.decode())
    assert "Requirement: family has a PKH component" in page
    assert "value of the family's assets ≤ 60000000 and (not a family member owns a car)" in page
    assert "regency or city the applicant declared equals regency or city on the family card" in page
    assert "Family has a PKH component: Ada ibu hamil" in page  # the pack's description, in Indonesian
    for indonesian in (" sama dengan ", " dan (tidak ", "Syarat:", "Keluarga memiliki komponen PKH"):
        assert indonesian not in page
    assert not [name for name in IDENTIFIERS if name in page]


@pytest.mark.parametrize(
    ("expression", "indonesian", "english"),
    [
        ("a != b", "a tidak sama dengan b", "a does not equal b"),
        ("a // b", "a dibagi b", "a divided by b"),
        ("a or b", "a atau b", "a or b"),
        ("a == True", "a sama dengan ya", "a equals yes"),
        ("a == False", "a sama dengan tidak", "a equals no"),
        ('a in ["x", "y"]', 'a termasuk salah satu dari ["x", "y"]', 'a is one of ["x", "y"]'),
        ('a not in ["x"]', 'a tidak termasuk salah satu dari ["x"]', 'a is not one of ["x"]'),
        ("not a and b <= 1_000", "tidak a dan b ≤ 1.000", "not a and b ≤ 1,000"),
    ],
)
def test_readable_speaks_the_readers_language(expression, indonesian, english):
    with translation.override("id"):
        assert register.readable(expression) == indonesian
    with translation.override("en"):
        assert register.readable(expression) == english


def test_a_name_without_a_label_is_said_with_the_packs_description_never_as_an_identifier():
    assert "new_fact" not in LABELS
    with translation.override("en"):
        said = register.readable("new_fact", {"new_fact": "Fakta baru"})
    assert said == "fakta baru"

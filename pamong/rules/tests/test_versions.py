"""Version selection, overlaps and gaps, and a content hash that only semantic changes move."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.rules import (
    RuleError,
    check_versions,
    load_rule_set,
    load_rule_set_text,
    load_rule_sets,
    select_version,
)
from pamong.rules.tests.helpers import PACKS, one_rule

BANSOS = PACKS / "bansos-pkh/rules/2026-01.yaml"

# Published versions never change. If one of these fails, a published file was edited: revert it and
# publish the change as a new version instead.
PUBLISHED = {
    "bansos-pkh/rules/2026-01.yaml": "sha256:99c6ddd5a40d5114dbe242cd0d23327297f67afc0803c961b4511b0930793fd2",
    "bansos-pkh/rules/2026-07.yaml": "sha256:effd8786adb8e9eee74ff7e5f2563e10c63f2e91d43decb6a6a8ac131a0061c1",
    "akta-kelahiran/rules/2026-01.yaml": "sha256:42f87242fb7001c955f0322d7075c8603fd006dcfc51bf2c9b39c4a70baa4fed",
    "nib-risiko-rendah/rules/2026-01.yaml": "sha256:a198b1688e8e0491f63203fe904960381c410c2356e5ee494c990102084e8a13",
    "sktm/rules/2026-01.yaml": "sha256:75084b8c46a93342257072b2a3c829eedc6fb5bc2791e952ae931e291aadb944",
}


@pytest.mark.parametrize(("path", "content_hash"), PUBLISHED.items())
def test_published_versions_keep_their_hash(path: str, content_hash: str) -> None:
    assert load_rule_set(PACKS / path).content_hash == content_hash


@pytest.mark.parametrize("pack", ["bansos-pkh", "akta-kelahiran", "nib-risiko-rendah", "sktm"])
def test_demo_packs_have_no_gaps_or_overlaps(pack: str) -> None:
    assert check_versions(load_rule_sets(PACKS / pack / "rules")) == []


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (dt.date(2026, 1, 1), "2026-01"),
        (dt.date(2026, 6, 30), "2026-01"),
        (dt.date(2026, 7, 1), "2026-07"),
        (dt.date(2031, 1, 1), "2026-07"),
    ],
)
def test_select_version_in_force_on_a_date(day: dt.date, version: str) -> None:
    assert select_version(load_rule_sets(PACKS / "bansos-pkh/rules"), day).version_id == version


def test_no_version_in_force_before_the_first() -> None:
    with pytest.raises(RuleError) as caught:
        select_version(load_rule_sets(PACKS / "bansos-pkh/rules"), dt.date(2025, 12, 31))
    assert str(caught.value) == "<rules>: no rule-set version of 'bansos-pkh' is in force on 2025-12-31"


def _version(version: str, start: str, until: str | None = None, service: str = "demo") -> object:
    text = one_rule("income > 1").replace('version: "1"', f"version: {version}")
    text = text.replace("service: demo", f"service: {service}")
    text = text.replace(
        "effective_from: 2026-01-01",
        f"effective_from: {start}" + (f"\neffective_until: {until}" if until else ""),
    )
    return load_rule_set_text(text, f"rules/{version}.yaml")


@pytest.mark.parametrize(
    ("versions", "messages"),
    [
        ([("2026-01", "2026-01-01", "2026-06-30"), ("2026-07", "2026-07-01", None)], []),
        ([("2026-01", "2026-01-01", None), ("2026-07", "2026-07-01", None)], []),
        (
            [("2026-01", "2026-01-01", "2026-07-15"), ("2026-07", "2026-07-01", None)],
            ["rules/2026-07.yaml: versions '2026-01' and '2026-07' overlap from 2026-07-01 to 2026-07-15"],
        ),
        (
            [("2026-01", "2026-01-01", "2026-05-31"), ("2026-07", "2026-07-01", None)],
            [
                "rules/2026-07.yaml: gap between versions '2026-01' and '2026-07': "
                "no version is in force from 2026-06-01 to 2026-06-30"
            ],
        ),
        (
            [("2026-01", "2026-01-01", None), ("2026-01b", "2026-01-01", None)],
            [
                "rules/2026-01b.yaml: versions '2026-01' and '2026-01b' overlap: both take effect on 2026-01-01"
            ],
        ),
    ],
)
def test_check_versions_reports_overlaps_and_gaps(versions: list, messages: list[str]) -> None:
    assert [str(e) for e in check_versions([_version(*v) for v in versions])] == messages


def test_check_versions_reports_mixed_services_and_duplicates() -> None:
    rule_sets = [_version("2026-01", "2026-01-01"), _version("2026-01", "2026-03-01", service="other")]
    assert [str(e) for e in check_versions(rule_sets)] == [
        "<rules>: versions of different services in one directory: demo, other",
        "rules/2026-01.yaml: version '2026-01' is defined twice (also in rules/2026-01.yaml)",
    ]


# ---- the content hash ---------------------------------------------------------------------------------
SAME_CONTENT = [
    ("a comment", lambda t: "# catatan perancang\n" + t.replace("rules:\n", "rules:  # aturan\n")),
    ("blank lines and indentation", lambda t: t.replace("facts:\n", "\n\nfacts:\n")),
    ("quote style", lambda t: t.replace("service: bansos-pkh", "service: 'bansos-pkh'")),
    (
        "key order in a mapping",
        lambda t: t.replace("    on_fail: deny\n    explain:", "    explain:", 1).replace(
            "    legal_basis: Permensos 1/2018 Pasal 3 ayat (1); Inpres 4/2025 tentang DTSEN",
            "    legal_basis: Permensos 1/2018 Pasal 3 ayat (1); Inpres 4/2025 tentang DTSEN\n    on_fail: deny",
            1,
        ),
    ),
    (
        "expression spacing and parentheses",
        lambda t: t.replace(
            "require: income_per_capita <= regional_poverty_line",
            "require: (income_per_capita<=regional_poverty_line)",
        ),
    ),
    ("digit separators", lambda t: t.replace("50_000_000 and", "50000000 and")),
    (
        "re-wrapped sentence",
        lambda t: t.replace(
            "tidak melebihi garis kemiskinan\n        wilayah Anda",
            "tidak melebihi garis\n        kemiskinan wilayah Anda",
        ),
    ),
]
CHANGED_CONTENT = [
    ("a threshold", lambda t: t.replace("50_000_000 and", "50_000_001 and")),
    ("on_fail", lambda t: t.replace("    on_fail: refer", "    on_fail: deny")),
    ("an explanation", lambda t: t.replace("sesuai dengan alamat pada Kartu Keluarga.", "sesuai dengan KK.")),
    ("a legal basis", lambda t: t.replace("Permensos 1/2018 Pasal 5", "Permensos 1/2018 Pasal 6")),
    ("effective_until", lambda t: t.replace("effective_until: 2026-06-30", "effective_until: 2026-06-29")),
    ("a fact description", lambda t: t.replace("Jumlah anggota keluarga\n", "Jumlah anggota rumah tangga\n")),
    ("a fact source", lambda t: t.replace("source: registry:korlantas", "source: form")),
    ("a table's value type", lambda t: t.replace("    value: money", "    value: int")),
    (
        "an English title",
        lambda t: t.replace(
            "    title: Terdaftar dalam DTSEN\n", "    title: Terdaftar dalam DTSEN\n    title_en: In DTSEN\n"
        ),
    ),
]


@pytest.mark.parametrize(("case", "edit"), SAME_CONTENT, ids=[c for c, _ in SAME_CONTENT])
def test_layout_edits_keep_the_hash(case: str, edit) -> None:
    text = BANSOS.read_text()
    edited = edit(text)
    assert edited != text
    assert load_rule_set_text(edited, str(BANSOS)).content_hash == load_rule_set(BANSOS).content_hash


@pytest.mark.parametrize(("case", "edit"), CHANGED_CONTENT, ids=[c for c, _ in CHANGED_CONTENT])
def test_semantic_edits_change_the_hash(case: str, edit) -> None:
    text = BANSOS.read_text()
    edited = edit(text)
    assert edited != text
    assert load_rule_set_text(edited, str(BANSOS)).content_hash != load_rule_set(BANSOS).content_hash


def test_an_english_title_is_read_and_optional() -> None:
    """``title_en`` (English pages) is hashed only when given: adding the field moved no published version."""
    text = BANSOS.read_text().replace(
        "    title: Terdaftar dalam DTSEN\n",
        "    title: Terdaftar dalam DTSEN\n    title_en: Registered in DTSEN\n",
    )
    titled = load_rule_set_text(text, str(BANSOS))
    first = titled.rules[0]
    assert (first.title, first.title_en) == (
        "Terdaftar dalam DTSEN",
        "Registered in DTSEN",
    )
    assert all(r.title_en == "" for r in load_rule_set(BANSOS).rules)
    assert '"title_en"' in titled.canonical and '"title_en"' not in load_rule_set(BANSOS).canonical

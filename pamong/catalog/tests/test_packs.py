"""Pack validation: every problem names file, line and field, and an invalid pack set loads nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pamong.audit.models import AuditEntry
from pamong.catalog import impact, services
from pamong.catalog.models import Agency, Service
from pamong.catalog.packs import PackInvalid, read_pack_set


@pytest.fixture
def packs_copy(tmp_path: Path, packs_root: Path) -> Path:
    root = tmp_path / "packs"
    shutil.copytree(packs_root, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(root: Path) -> list[str]:
    return [str(problem) for problem in read_pack_set(root).problems]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


def test_the_shipped_packs_are_valid(packs_root):
    pack_set = read_pack_set(packs_root)
    assert pack_set.problems == []
    assert len(pack_set.packs) >= 6
    assert len({pack.service.agency for pack in pack_set.packs}) >= 3


def test_missing_field(packs_copy):
    path = packs_copy / "sktm" / "service.yaml"
    edit(
        path,
        "product: Surat Keterangan Tidak Mampu bertanda tangan elektronik dan kode QR, berlaku 6 bulan\n",
        "",
    )
    assert problems_of(packs_copy) == ["packs/sktm/service.yaml:1: product: field required"]


def test_wrong_type_names_line_and_field(packs_copy):
    path = packs_copy / "sktm" / "service.yaml"
    edit(path, "completion_days: 1", "completion_days: satu")
    line = line_of(path, "completion_days: satu")
    assert problems_of(packs_copy) == [
        f"packs/sktm/service.yaml:{line}: completion_days: Input should be a valid integer"
    ]


def test_nested_wrong_type_points_at_the_nested_line(packs_copy):
    path = packs_copy / "bansos-pkh" / "service.yaml"
    edit(path, "    type: integer\n    min: 1", "    type: number\n    min: 1")
    line = line_of(path, "type: number")
    [problem] = problems_of(packs_copy)
    assert problem.startswith(f"packs/bansos-pkh/service.yaml:{line}: form.1.type: Input should be 'text'")


def test_unknown_agency(packs_copy):
    path = packs_copy / "sktm" / "service.yaml"
    edit(path, "agency: kelurahan-cihapit", "agency: kelurahan-antah-berantah")
    assert problems_of(packs_copy) == [
        "packs/sktm/service.yaml:2: agency: unknown agency 'kelurahan-antah-berantah' (known: "
        "dinsos-kota-bandung, disdukcapil-kota-bandung, dpmptsp-kota-bandung, kelurahan-cihapit)"
    ]


def test_duplicate_slug(packs_copy):
    shutil.copytree(packs_copy / "sktm", packs_copy / "sktm-lama")
    assert problems_of(packs_copy) == [
        "packs/sktm-lama/service.yaml:1: slug: duplicate slug 'sktm': already used by packs/sktm/service.yaml"
    ]


def test_duplicate_agency_slug(packs_copy):
    path = packs_copy / "agencies.yaml"
    edit(path, "  - slug: kelurahan-cihapit", "  - slug: dinsos-kota-bandung")
    line = line_of(path, "slug: dinsos-kota-bandung")  # the first is the original; the duplicate comes later
    second = next(
        n
        for n, text in enumerate(path.read_text().splitlines(), start=1)
        if "slug: dinsos-kota-bandung" in text and n != line
    )
    assert problems_of(packs_copy)[0] == (
        f"packs/agencies.yaml:{second}: agencies.3.slug: duplicate slug 'dinsos-kota-bandung'"
    )


def test_bad_yaml(packs_copy):
    path = packs_copy / "sktm" / "service.yaml"
    edit(path, "fee: 0\n", "fee: [0\n")
    [problem] = problems_of(packs_copy)
    assert problem.startswith("packs/sktm/service.yaml:")
    assert "invalid YAML" in problem


def test_duplicate_yaml_key(packs_copy):
    path = packs_copy / "sktm" / "service.yaml"
    edit(path, "fee: 0\n", "fee: 0\nfee: 5000\n")
    line = line_of(path, "fee: 5000")
    assert problems_of(packs_copy) == [f"packs/sktm/service.yaml:{line}: invalid YAML: duplicate key 'fee'"]


def test_unknown_field_is_reported(packs_copy):
    path = packs_copy / "sktm" / "service.yaml"
    edit(path, "fee: 0\n", "fee: 0\nbiaya: 0\n")
    line = line_of(path, "biaya: 0")
    assert problems_of(packs_copy) == [
        f"packs/sktm/service.yaml:{line}: biaya: unknown field (check the spelling against docs/packs.md)"
    ]


def test_all_problems_are_reported_at_once(packs_copy):
    edit(packs_copy / "sktm" / "service.yaml", "impact_level: 2", "impact_level: 7")
    edit(packs_copy / "nib-risiko-rendah" / "service.yaml", "fee: 0", "fee: -5")
    problems = problems_of(packs_copy)
    assert len(problems) == 2
    assert any("impact_level: Input should be less than or equal to 4" in p for p in problems)
    assert any("fee: Input should be greater than or equal to 0" in p for p in problems)


@pytest.mark.django_db
def test_an_invalid_pack_set_loads_nothing(packs_copy):
    edit(packs_copy / "sktm" / "service.yaml", "agency: kelurahan-cihapit", "agency: nowhere")
    with pytest.raises(PackInvalid) as raised:
        services.load_packs(root=packs_copy)
    assert "unknown agency 'nowhere'" in str(raised.value)
    assert Service.objects.count() == 0
    assert Agency.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_loading_twice_changes_nothing_the_second_time(packs_root):
    first = services.load_packs(root=packs_root)
    entries = AuditEntry.objects.count()
    second = services.load_packs(root=packs_root)
    assert len(first.created) == Service.objects.count() >= 6
    assert second.created == [] and second.updated == []
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_changed_pack_updates_its_service_and_is_audited(packs_copy):
    services.load_packs(root=packs_copy)
    edit(packs_copy / "sktm" / "service.yaml", "completion_days: 1", "completion_days: 2")
    report = services.load_packs(root=packs_copy)
    assert report.updated == ["sktm"]
    assert Service.objects.get(slug="sktm").completion_days == 2
    last = AuditEntry.objects.order_by("-index").first()
    assert (last.action, last.subject, last.data["outcome"]) == (
        "catalog.service_loaded",
        "catalog.service:sktm",
        "updated",
    )


def test_a_broken_rule_is_reported_with_file_line_and_rule(packs_copy):
    path = packs_copy / "sktm" / "rules" / "2026-01.yaml"
    edit(path, "require: has_rt_rw_letter", "require: has_rt_rw_leter")
    line = line_of(path, "require: has_rt_rw_leter")
    [problem] = problems_of(packs_copy)
    assert problem.startswith(f"packs/sktm/rules/2026-01.yaml:{line}: rule ")
    assert "unknown name 'has_rt_rw_leter'" in problem


def test_a_form_fact_without_a_form_field_is_reported(packs_copy):
    path = packs_copy / "sktm" / "service.yaml"
    edit(path, "  - name: has_rt_rw_letter", "  - name: has_rt_letter")
    rules = packs_copy / "sktm" / "rules" / "2026-01.yaml"
    line = line_of(rules, "  has_rt_rw_letter:")
    assert problems_of(packs_copy) == [
        f"packs/sktm/rules/2026-01.yaml:{line}: facts.has_rt_rw_letter: fact 'has_rt_rw_letter' comes from the "
        "form, but service.yaml has no form field of that name"
    ]


def test_overlapping_rule_versions_are_reported(packs_copy):
    rules = packs_copy / "bansos-pkh" / "rules"
    edit(rules / "2026-01.yaml", "effective_until: 2026-06-30", "effective_until: 2026-07-15")
    problems = problems_of(packs_copy)
    assert len(problems) == 1
    assert problems[0].startswith("packs/bansos-pkh/rules/")
    assert "overlap" in problems[0]


def test_money_counts_and_dates_without_ranges_are_refused(packs_copy):
    """Issue 21: a number or a date means what the citizen meant only within a declared range."""
    sktm = packs_copy / "sktm" / "service.yaml"
    edit(sktm, "    max: 1000000000  # Rp1 miliar a month: above it, a typing mistake\n", "")
    edit(sktm, "    min: 1\n    max: 30\n", "    min: 1\n")
    birth = packs_copy / "akta-kelahiran" / "service.yaml"
    edit(birth, "    earliest: 1900-01-01\n    latest: today\n", "    latest: today\n")
    income_line = line_of(sktm, "  - name: household_income")
    size_line = line_of(sktm, "  - name: household_size")
    birth_line = line_of(birth, "  - name: birth_date")
    assert problems_of(packs_copy) == [
        f"packs/akta-kelahiran/service.yaml:{birth_line}: form.1.earliest: 'earliest' is required on date "
        "fields (see docs/packs.md)",
        f"packs/sktm/service.yaml:{size_line}: form.1.max: 'max' is required on integer fields (see docs/packs.md)",
        f"packs/sktm/service.yaml:{income_line}: form.2.max: 'max' is required on money fields (see docs/packs.md)",
    ]


def test_a_range_on_the_wrong_type_or_upside_down_is_refused(packs_copy):
    sktm = packs_copy / "sktm" / "service.yaml"
    edit(sktm, "    min: 1\n    max: 30\n", "    min: 31\n    max: 30\n    earliest: 2000-01-01\n")
    line = line_of(sktm, "    max: 30")
    earliest = line_of(sktm, "    earliest: 2000-01-01")
    assert problems_of(packs_copy) == [
        f"packs/sktm/service.yaml:{earliest}: form.1.earliest: 'earliest' does not apply to integer fields",
        f"packs/sktm/service.yaml:{line}: form.1.max: max (30) is below min (31)",
    ]


def test_only_an_impact_level_1_service_may_opt_out_of_the_notice_of_intended_refusal(packs_copy):
    sktm = packs_copy / "sktm" / "service.yaml"
    edit(sktm, "impact_level: 2\n", "impact_level: 2\nrefusal_notice_opt_out: Tidak perlu.\n")
    line = line_of(sktm, "refusal_notice_opt_out:")
    [problem] = problems_of(packs_copy)
    assert problem.startswith(f"packs/sktm/service.yaml:{line}: refusal_notice_opt_out: ")
    assert "allowed only for impact level 1, and the impact assessment gives level 2" in problem
    # Typing level 1 by hand does not help: the level is the assessment's.
    edit(sktm, "impact_level: 2\n", "impact_level: 1\n")
    assert any(
        "declared impact level 1, but the impact assessment gives level 2" in p
        for p in problems_of(packs_copy)
    )
    # Answers that truly give level 1 (a letter of convenience, read from the form, only recommended) do.
    for old, new in (
        ("  rights: benefit", "  rights: convenience"),
        ("  vulnerable: mostly", "  vulnerable: rarely"),
        ("  data: registries", "  data: form"),
    ):
        edit(sktm, old, new)
    assert problems_of(packs_copy) == []


def test_the_impact_level_is_computed_from_the_assessment(packs_root):
    levels = {pack.service.slug: pack.assessment for pack in read_pack_set(packs_root).packs}
    # Every shipped pack's declared level is the one its answers give (else packs check would fail above).
    assert {slug: a.level for slug, a in levels.items()} == {
        "akta-kelahiran": 2,
        "akta-kematian": 1,
        "bansos-pkh": 3,
        "kartu-keluarga": 1,
        "nib-risiko-rendah": 2,
        "sktm": 2,
    }
    assert (levels["sktm"].score, levels["bansos-pkh"].score) == (10, 15)


@pytest.mark.parametrize(
    ("score", "level"), [(0, 1), (5, 1), (6, 2), (10, 2), (11, 3), (15, 3), (16, 4), (21, 4)]
)
def test_the_bands_are_the_aia_quarters_with_exact_edges(score, level):
    assert impact.MAX_SCORE == 21
    assert impact.level_for(score) == level


def test_a_declared_level_that_disagrees_is_refused_with_file_line_and_field(packs_copy):
    sktm = packs_copy / "sktm" / "service.yaml"
    edit(sktm, "  duration: months", "  duration: permanent")  # 10 - 1 + 3 = 12 of 21: level III
    line = line_of(sktm, "impact_level: 2")
    assert problems_of(packs_copy) == [
        f"packs/sktm/service.yaml:{line}: impact_level: declared impact level 2, but the impact assessment gives "
        "level 3 (score 12 of 21): correct the answers or the declared level (the assessment decides)"
    ]


def test_unanswered_and_unknown_answers_name_their_line(packs_copy):
    sktm = packs_copy / "sktm" / "service.yaml"
    edit(sktm, "  scale: under_100000\n", "")
    edit(sktm, "  data: registries", "  data: rahasia")
    data = line_of(sktm, "  data: rahasia")
    block = line_of(sktm, "impact_assessment:")
    assert problems_of(packs_copy) == [
        f"packs/sktm/service.yaml:{block}: impact_assessment.scale: question 'scale' is not answered "
        "(answers: under_1000, under_100000, more)",
        f"packs/sktm/service.yaml:{data}: impact_assessment.data: 'rahasia' is not an answer to 'data' "
        "(answers: form, registries, sensitive)",
    ]


def test_a_service_without_automation_cannot_answer_that_the_machine_decides(packs_copy):
    kk = packs_copy / "kartu-keluarga" / "service.yaml"
    edit(kk, "  automation: recommends", "  automation: grants_only")
    line = line_of(kk, "  automation: grants_only")
    assert problems_of(packs_copy) == [
        f"packs/kartu-keluarga/service.yaml:{line}: impact_assessment.automation: 'grants_only' but the service "
        "is not automated (automated: false): answer 'recommends'"
    ]


@pytest.mark.django_db
def test_the_computed_level_and_its_assessment_are_recorded_and_audited(packs_root):
    services.load_packs(root=packs_root)
    sktm = Service.objects.get(slug="sktm")
    assert sktm.impact_level == 2
    assert sktm.impact_assessment == {
        "answers": {
            "rights": "benefit",
            "reversibility": "easy",
            "duration": "months",
            "vulnerable": "mostly",
            "scale": "under_100000",
            "automation": "decides",
            "data": "registries",
        },
        "score": 10,
        "max": 21,
        "level": 2,
    }
    entry = AuditEntry.objects.get(subject="catalog.service:sktm")
    assert entry.data["impact_assessment"]["level"] == 2

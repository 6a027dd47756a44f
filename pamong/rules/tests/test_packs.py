"""The demo packs as input -> output tables a lawyer can check."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.rules import RuleError, load_rule_set, load_rule_sets, select_version
from pamong.rules.tests.helpers import PACKS

POVERTY_LINE = {"poverty_line": {"3273": 600_000, "3204": 520_000}}  # Kota Bandung, Kabupaten Bandung
P, F, U = "passed", "failed", "unknown"


def statuses(evaluation) -> tuple[str, ...]:
    return tuple(str(r.status) for r in evaluation.rules)


# ---- bansos PKH ---------------------------------------------------------------------------------------
BANSOS = {
    "in_dtsen": True,
    "household_income": 2_000_000,
    "household_size": 4,
    "assets_value": 10_000_000,
    "owns_car": False,
    "has_pkh_component": True,
    "declared_regency_code": "3273",
    "kk_regency_code": "3273",
    "elderly_count": 1,
    "school_children_count": 2,
}
# rules: registered_in_dtsen, income_below_poverty_line, no_high_value_assets, has_pkh_component, address_matches_kk
BANSOS_CASES = [
    ("eligible", {}, "GRANT", False, (P, P, P, P, P), 55),
    (
        "income per capita Rp700.000 above Rp600.000",
        {"household_income": 2_800_000},
        "DENY",
        True,
        (P, F, P, P, P),
        45,
    ),
    (
        "declared address differs from KK: a person checks",
        {"declared_regency_code": "3204"},
        "REFER",
        False,
        (P, P, P, P, F),
        55,
    ),
    ("DTSEN status unknown", {"in_dtsen": None}, "REFER", False, (U, P, P, P, P), 55),
    ("owns a car", {"owns_car": True}, "DENY", True, (P, P, F, P, P), 55),
    (
        "assets unknown but owns a car",
        {"assets_value": None, "owns_car": True},
        "DENY",
        True,
        (P, P, F, P, P),
        55,
    ),
    ("assets unknown, no car", {"assets_value": None}, "REFER", False, (P, P, U, P, P), 55),
    (
        "no PKH component and a data mismatch",
        {"has_pkh_component": False, "declared_regency_code": "3204"},
        "DENY",
        True,
        (P, P, P, F, F),
        45,
    ),
    (
        "region missing from the poverty-line table",
        {"kk_regency_code": "9999", "declared_regency_code": "9999"},
        "REFER",
        False,
        (P, U, P, P, P),
        None,
    ),
    ("household size 0: per capita unknown", {"household_size": 0}, "REFER", False, (P, U, P, P, P), None),
]


@pytest.mark.parametrize(
    ("case", "change", "outcome", "proposed", "results", "score"),
    BANSOS_CASES,
    ids=[c[0] for c in BANSOS_CASES],
)
def test_bansos_2026_01(
    case: str, change: dict, outcome: str, proposed: bool, results: tuple, score: int | None
) -> None:
    rule_set = load_rule_set(f"{PACKS}/bansos-pkh/rules/2026-01.yaml")
    evaluation = rule_set.evaluate({**BANSOS, **change}, POVERTY_LINE, impact_level=3)
    assert (str(evaluation.outcome), evaluation.proposed, statuses(evaluation)) == (
        outcome,
        proposed,
        results,
    )
    assert evaluation.scores == {"vulnerability": score}


def test_bansos_explanations_are_indonesian_with_rupiah() -> None:
    rule_set = load_rule_set(f"{PACKS}/bansos-pkh/rules/2026-01.yaml")
    evaluation = rule_set.evaluate({**BANSOS, "household_income": 2_800_000}, POVERTY_LINE, impact_level=3)
    income = evaluation.rules[1]
    assert income.explanation == (
        "Penghasilan per kapita keluarga Anda Rp700.000 melebihi garis kemiskinan wilayah Anda Rp600.000."
    )
    assert income.legal_basis == "UU 13/2011 Pasal 1 angka 1; Permensos 1/2018 Pasal 3 ayat (1)"
    assert evaluation.values == {"income_per_capita": 700_000, "regional_poverty_line": 600_000}


def test_bansos_unknown_rule_names_the_missing_data() -> None:
    rule_set = load_rule_set(f"{PACKS}/bansos-pkh/rules/2026-01.yaml")
    evaluation = rule_set.evaluate({**BANSOS, "assets_value": None}, POVERTY_LINE, impact_level=3)
    assets = evaluation.rules[2]
    assert (assets.explanation, assets.unknown_facts) == (
        "Belum dapat dinilai karena data berikut belum tersedia: Perkiraan nilai aset keluarga selain rumah yang ditempati.",
        ("assets_value",),
    )
    assert evaluation.unknown_facts == ("assets_value",)


def test_bansos_2026_07_admits_families_up_to_120_percent_of_the_poverty_line() -> None:
    versions = load_rule_sets(f"{PACKS}/bansos-pkh/rules")
    facts = {**BANSOS, "household_income": 2_800_000}  # Rp700.000 per capita, line Rp600.000
    outcomes = [
        (
            str(on),
            select_version(versions, on).version_id,
            str(select_version(versions, on).evaluate(facts, POVERTY_LINE, 3).outcome),
        )
        for on in (dt.date(2026, 6, 30), dt.date(2026, 7, 1))
    ]
    assert outcomes == [("2026-06-30", "2026-01", "DENY"), ("2026-07-01", "2026-07", "GRANT")]


def test_open_circuit_breaker_turns_a_deny_into_refer() -> None:
    rule_set = load_rule_set(f"{PACKS}/bansos-pkh/rules/2026-01.yaml")
    evaluation = rule_set.evaluate(
        {**BANSOS, "owns_car": True}, POVERTY_LINE, impact_level=3, open_breakers={"no_high_value_assets"}
    )
    assert (str(evaluation.outcome), evaluation.proposed, evaluation.rules[2].on_fail) == (
        "REFER",
        False,
        "refer",
    )


# ---- akta kelahiran -----------------------------------------------------------------------------------
AKTA = {
    "birth_date": dt.date(2026, 1, 1),
    "filing_date": dt.date(2026, 3, 2),
    "has_birth_letter": True,
    "has_marriage_certificate": False,
    "has_sptjm_marriage": True,
    "mother_nik_registered": True,
    "birth_already_recorded": False,
}
# rules: birth_date_not_in_future, reported_within_60_days, birth_letter_attached, parents_marriage_document,
#        mother_registered, not_recorded_before
AKTA_CASES = [
    ("reported on day 60", {}, "GRANT", (P, P, P, P, P, P)),
    (
        "reported on day 61: late, a person checks",
        {"birth_date": dt.date(2025, 12, 31)},
        "REFER",
        (P, F, P, P, P, P),
    ),
    ("birth date after filing", {"birth_date": dt.date(2026, 3, 3)}, "REFER", (F, P, P, P, P, P)),
    ("no birth letter", {"has_birth_letter": False}, "REFER", (P, P, F, P, P, P)),
    ("neither marriage book nor SPTJM", {"has_sptjm_marriage": False}, "REFER", (P, P, P, F, P, P)),
    ("already recorded", {"birth_already_recorded": True}, "DENY", (P, P, P, P, P, F)),
    ("birth date unknown", {"birth_date": None}, "REFER", (U, U, P, P, P, P)),
]


@pytest.mark.parametrize(("case", "change", "outcome", "results"), AKTA_CASES, ids=[c[0] for c in AKTA_CASES])
def test_akta_kelahiran(case: str, change: dict, outcome: str, results: tuple) -> None:
    rule_set = load_rule_set(f"{PACKS}/akta-kelahiran/rules/2026-01.yaml")
    evaluation = rule_set.evaluate({**AKTA, **change}, {}, impact_level=2)
    assert (str(evaluation.outcome), evaluation.proposed, statuses(evaluation)) == (outcome, False, results)


def test_akta_late_report_explanation_gives_days_and_dates() -> None:
    rule_set = load_rule_set(f"{PACKS}/akta-kelahiran/rules/2026-01.yaml")
    evaluation = rule_set.evaluate({**AKTA, "birth_date": "2025-12-31"}, {}, impact_level=2)
    assert [r.explanation for r in evaluation.rules[:2]] == [
        "Tanggal lahir anak 31 Desember 2025 tidak sesudah tanggal permohonan 2 Maret 2026.",
        "Kelahiran dilaporkan 61 hari sejak kelahiran, melewati batas 60 hari. "
        "Akta tetap dapat diterbitkan; petugas akan memeriksa permohonan pencatatan terlambat ini.",
    ]


# ---- NIB for low-risk businesses ----------------------------------------------------------------------
KBLI = {"kbli_risk": {"47111": "rendah", "10792": "menengah_rendah"}}
NIB = {
    "kbli_code": "47111",
    "capital": 25_000_000,
    "applicant_birth_date": dt.date(1990, 5, 17),
    "filing_date": dt.date(2026, 2, 10),
    "nik_verified": True,
}
# rules: kbli_low_risk, micro_or_small_business, applicant_adult, nik_verified
NIB_CASES = [
    ("low-risk retail", {}, "GRANT", (P, P, P, P)),
    ("medium-low risk bakery", {"kbli_code": "10792"}, "DENY", (F, P, P, P)),
    ("KBLI not in the table", {"kbli_code": "99999"}, "REFER", (U, P, P, P)),
    ("capital above Rp5 billion", {"capital": 5_000_000_001}, "DENY", (P, F, P, P)),
    ("applicant is 16", {"applicant_birth_date": dt.date(2009, 2, 11)}, "REFER", (P, P, F, P)),
    (
        "applicant turns 17 on the filing date",
        {"applicant_birth_date": dt.date(2009, 2, 10)},
        "GRANT",
        (P, P, P, P),
    ),
]


@pytest.mark.parametrize(("case", "change", "outcome", "results"), NIB_CASES, ids=[c[0] for c in NIB_CASES])
def test_nib_risiko_rendah(case: str, change: dict, outcome: str, results: tuple) -> None:
    rule_set = load_rule_set(f"{PACKS}/nib-risiko-rendah/rules/2026-01.yaml")
    evaluation = rule_set.evaluate({**NIB, **change}, KBLI, impact_level=2)
    assert (str(evaluation.outcome), statuses(evaluation)) == (outcome, results)


def test_nib_explanation_names_the_risk_level() -> None:
    rule_set = load_rule_set(f"{PACKS}/nib-risiko-rendah/rules/2026-01.yaml")
    evaluation = rule_set.evaluate({**NIB, "kbli_code": "10792"}, KBLI, impact_level=2)
    assert evaluation.rules[0].explanation == (
        "Kegiatan usaha dengan KBLI 10792 bertingkat risiko menengah_rendah, sehingga selain NIB diperlukan "
        "sertifikat standar atau izin. Silakan ajukan melalui layanan perizinan berusaha lainnya."
    )


# ---- SKTM ---------------------------------------------------------------------------------------------
SKTM = {
    "purpose": "pendidikan",
    "household_size": 5,
    "household_income": 2_500_000,
    "kk_regency_code": "3273",
    "kk_village_code": "3273010001",
    "office_village_code": "3273010001",
    "applicant_birth_date": dt.date(1985, 1, 1),
    "filing_date": dt.date(2026, 2, 10),
    "has_rt_rw_letter": True,
}
# rules: purpose_allowed, income_below_poverty_line, lives_in_village, applicant_adult, rt_rw_letter_attached
SKTM_CASES = [
    ("eligible", {}, "GRANT", (P, P, P, P, P)),
    ("other purpose: a person decides", {"purpose": "lainnya"}, "REFER", (F, P, P, P, P)),
    ("income per capita Rp600.001", {"household_income": 3_000_005}, "DENY", (P, F, P, P, P)),
    ("lives in another kelurahan", {"kk_village_code": "3273010002"}, "REFER", (P, P, F, P, P)),
    ("no RT/RW letter", {"has_rt_rw_letter": False}, "REFER", (P, P, P, P, F)),
]


@pytest.mark.parametrize(("case", "change", "outcome", "results"), SKTM_CASES, ids=[c[0] for c in SKTM_CASES])
def test_sktm(case: str, change: dict, outcome: str, results: tuple) -> None:
    rule_set = load_rule_set(f"{PACKS}/sktm/rules/2026-01.yaml")
    evaluation = rule_set.evaluate({**SKTM, **change}, POVERTY_LINE, impact_level=2)
    assert (str(evaluation.outcome), evaluation.proposed, statuses(evaluation)) == (outcome, False, results)


def test_evaluation_to_dict_is_json_ready() -> None:
    rule_set = load_rule_set(f"{PACKS}/akta-kelahiran/rules/2026-01.yaml")
    data = rule_set.evaluate({**AKTA, "has_birth_letter": None}, {}, impact_level=2).to_dict()
    assert data["outcome"] == "REFER"
    assert data["rules"][2] == {
        "rule_id": "birth_letter_attached",
        "title": "Surat keterangan kelahiran dilampirkan",
        "status": "unknown",
        "on_fail": "refer",
        "explanation": "Belum dapat dinilai karena data berikut belum tersedia: Surat keterangan kelahiran dari "
        "rumah sakit, puskesmas, bidan atau kepala desa/lurah dilampirkan.",
        "legal_basis": "Perpres 96/2018 Pasal 33 ayat (1) dan ayat (2)",
        "unknown_facts": ["has_birth_letter"],
        "parts": [
            {
                "claim": "",
                "source": "has_birth_letter",
                "status": "unknown",
                "text": "Surat keterangan kelahiran dari rumah sakit, puskesmas, bidan atau kepala desa/lurah "
                "dilampirkan belum diketahui",
            }
        ],
    }
    assert (data["values"], data["unknown_facts"], data["version_id"]) == (
        {"days_since_birth": 60},
        ["has_birth_letter"],
        "2026-01",
    )
    assert data["content_hash"] == rule_set.content_hash


def test_wrong_fact_type_is_refused() -> None:
    rule_set = load_rule_set(f"{PACKS}/bansos-pkh/rules/2026-01.yaml")
    with pytest.raises(RuleError) as caught:
        rule_set.evaluate({**BANSOS, "household_income": "2000000"}, POVERTY_LINE)
    assert caught.value.message == "fact 'household_income' must be money or None, got str '2000000'"


def test_missing_table_is_refused() -> None:
    rule_set = load_rule_set(f"{PACKS}/bansos-pkh/rules/2026-01.yaml")
    with pytest.raises(RuleError) as caught:
        rule_set.evaluate(BANSOS, {})
    assert caught.value.message == "tables not supplied: poverty_line"

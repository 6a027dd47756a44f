"""The words a reader sees for a value the rules name (a fact, derived value, table or score): `household_income`
is an identifier of the rules language, never a word on a page (issue 20).

One table for every name the shipped packs use (`packs/*/rules/*.yaml`; a test checks that each has a label),
English in the code and Indonesian in the catalogue, so the officer's case page and the algorithm register say
"Penghasilan keluarga per bulan" / "Household income per month". A name means the same thing in every pack that
uses it. A name outside the table (a pack written later, a sandbox draft) is shown with the description its rule
set declares (the pack's own words, in Indonesian), else with words saying it is not described: never the bare
identifier, nor the identifier with its underscores turned into spaces.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext, gettext_lazy

LABELS: dict[str, object] = {
    # akta-kelahiran
    "birth_date": gettext_lazy("Child's date of birth"),
    "filing_date": gettext_lazy("Date the application was received"),
    "has_birth_letter": gettext_lazy("Birth letter attached"),
    "has_marriage_certificate": gettext_lazy("Parents' marriage certificate attached"),
    "has_sptjm_marriage": gettext_lazy("Sworn statement of marriage (SPTJM) attached"),
    "mother_nik_registered": gettext_lazy("Mother's NIK registered"),
    "birth_already_recorded": gettext_lazy("Birth already recorded"),
    "days_since_birth": gettext_lazy("Days from the birth to the application"),
    # bansos-pkh
    "in_dtsen": gettext_lazy("Family registered in DTSEN"),
    "household_income": gettext_lazy("Household income per month"),
    "household_size": gettext_lazy("Number of family members"),
    "assets_value": gettext_lazy("Value of the family's assets"),
    "owns_car": gettext_lazy("A family member owns a car"),
    "has_pkh_component": gettext_lazy("Family has a PKH component"),
    "declared_regency_code": gettext_lazy("Regency or city the applicant declared"),
    "kk_regency_code": gettext_lazy("Regency or city on the family card"),
    "elderly_count": gettext_lazy("Family members aged 60 or over"),
    "school_children_count": gettext_lazy("School-age children in the family"),
    "income_per_capita": gettext_lazy("Income per person per month"),
    "regional_poverty_line": gettext_lazy("Poverty line of the regency or city"),
    "poverty_line": gettext_lazy("Poverty lines by regency or city"),
    "vulnerability": gettext_lazy("Vulnerability score"),
    # nib-risiko-rendah
    "kbli_code": gettext_lazy("Business activity code (KBLI)"),
    "capital": gettext_lazy("Business capital"),
    "applicant_birth_date": gettext_lazy("Applicant's date of birth"),
    "nik_verified": gettext_lazy("Applicant's NIK verified"),
    "risk_level": gettext_lazy("Risk level of the business activity"),
    "applicant_age": gettext_lazy("Applicant's age"),
    "kbli_risk": gettext_lazy("Risk levels by KBLI code"),
    # sktm
    "purpose": gettext_lazy("Purpose of the letter"),
    "kk_village_code": gettext_lazy("Village on the family card"),
    "office_village_code": gettext_lazy("Village of the issuing office"),
    "has_rt_rw_letter": gettext_lazy("RT/RW cover letter attached"),
}


# Where a fact came from (a rule set's `source:`), in words: the officer's case page shows these, not the codes.
SOURCE_LABELS: dict[str, object] = {
    "form": gettext_lazy("the application form"),
    "system": gettext_lazy("computed by Pamong"),
    "registry:dukcapil": gettext_lazy("Dukcapil (population register)"),
    "registry:dtsen": gettext_lazy("DTSEN (social and economic register)"),
    "registry:korlantas": gettext_lazy("Korlantas Polri (vehicle register)"),
    "registry:dapodik": gettext_lazy("Dapodik (school register)"),
}


def source_label(source: str) -> str:
    """A fact's source in words; a register without a label by its name in capitals ("registry:bpjs": BPJS)."""
    if source in SOURCE_LABELS:
        return str(SOURCE_LABELS[source])
    if source.startswith("registry:") and source.removeprefix("registry:"):
        name = source.removeprefix("registry:").replace("_", " ").upper()
        return gettext("official register (%(name)s)") % {"name": name}
    if source.startswith("reference:"):
        return gettext("reference data")
    return gettext("another source") if source else ""


def fact_label(name: str, descriptions: Mapping[str, str] | None = None) -> str:
    """`name` in words, in the reader's language: the table's label, else the description the rule set declares
    (`descriptions`, e.g. `RuleSet.descriptions`), else words saying the rules do not describe it."""
    if name in LABELS:
        return str(LABELS[name])
    described = (descriptions or {}).get(name, "").strip()
    return described or gettext("a value the rules do not describe")


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter in lower case unless it starts an acronym ("NIK ibu")."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]

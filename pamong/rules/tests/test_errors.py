"""Every way a rule file can be wrong is refused at load time, with file, line, rule id and a clear message.

Each row: the rule's ``require`` expression (or a whole file) -> the exact error text.
"""

from __future__ import annotations

import pytest

from pamong.rules import RuleError, load_rule_set_text
from pamong.rules.tests.helpers import HEADER, RULE_LINE, one_rule

AT = f"<test>:{RULE_LINE}: rule 'r1': "
FACTS = "declared facts: born, income, lat, lon, member, other, ratio, region, size, today"
ALLOWED_FUNCTIONS = "allowed: abs, age_on, date, days_between, geo_distance_km, lookup, max, min, round"

EXPRESSION_ERRORS = [
    # unknown names
    ("incme > 5", f"unknown name 'incme'; did you mean 'income'? ({FACTS})"),
    ("penghasilan > 5", f"unknown name 'penghasilan' ({FACTS})"),
    ("line > 0", "table 'line' can only be used as lookup(line, key)"),
    # wrong types
    ("income + 1", "'require' must be true/false (bool), got money"),
    ("income > region", "cannot compare money and str with '>'"),
    ("region < 'a'", "cannot compare str and str with '<' (str can only be compared with == or !=)"),
    (
        "income + born > 1",
        "'+' needs numbers, got money and date (use days_between(a, b) for the days between two dates)",
    ),
    ("member + 1 > 0", "'+' needs numbers, got bool and int"),
    ("-region == 'a'", "'-' needs a number, got str"),
    ("income and member", "'and' needs true/false values, got money"),
    ("not income", "'not' needs true/false values, got money"),
    ("(1 if income else 2) > 0", "the condition of 'x if condition else y' must be true/false, got money"),
    (
        "(1 if member else 'a') == 1",
        "both branches of 'x if condition else y' must have the same type, got int and str",
    ),
    (
        "income // ratio > 0",
        "'//' needs whole numbers (int or money), got money and number; use round() first",
    ),
    ("income * income > 0", "'*' cannot multiply two amounts of money"),
    ("region in [1, 2]", "'in' compares str with a list, but item 1 is int"),
    ("size in ['1']", "'in' compares int with a list, but item 1 is str"),
    ("member in [True]", "'in' works on numbers and text, got bool"),
    ("region in [region]", "list items must be literal numbers or texts"),
    ("lookup(line, size) > 0", "lookup key for table 'line' must be str, got int"),
    ("age_on(income, today) > 1", "argument 1 of 'age_on' must be date, got money"),
    ("min(income, region) > 0", "function 'min' needs all numbers or all dates, got money, str"),
    # unsupported syntax
    ("income.real > 1", "unsupported syntax: attribute access (a.b)"),
    ("region[0] == 'a'", "unsupported syntax: indexing (a[b])"),
    ("region.upper() == 'A'", "unsupported syntax: calling something that is not a function name"),
    ("(lambda: 1)() > 0", "unsupported syntax: calling something that is not a function name"),
    ("[x for x in region] == 1", "unsupported syntax: comprehensions"),
    ("f'{income}' == 'a'", "unsupported syntax: f-strings"),
    ("income ** 2 > 1", "unsupported syntax: the power operator '**'"),
    ("income & 1 > 0", "unsupported syntax: the operator '&' (write 'and')"),
    ("~size > 0", "unsupported syntax: the operator '~' (write 'not')"),
    ("member is True", "unsupported syntax: 'is' / 'is not' (write == or !=)"),
    ("(x := 1) > 0", "unsupported syntax: assignment (:=)"),
    ("{1: 2} == 1", "unsupported syntax: dictionaries ({...})"),
    ("(income, size) == 1", "unsupported syntax: tuples"),
    ("b'x' == 'x'", "unsupported syntax: bytes literals"),
    ("round(ratio, ndigits=2) > 0", "unsupported syntax: keyword arguments in function calls"),
    ("region in region", '\'in\' needs a list of literal values, e.g. x in ["a", "b"]'),
    ("size in [1] == True", "'in [...]' cannot be chained with another comparison"),
    (
        "income > None",
        "None is not allowed in rules; unknown values are handled automatically "
        "(a rule with an unknown input is unknown and the case goes to a person)",
    ),
    ("income > 5 if member", "invalid expression: expected 'else' after 'if' expression (column 1)"),
    ("income >", "invalid expression: invalid syntax"),
    ("", "expression is empty"),
    # constant division by zero
    ("income / 0 > 1", "division by zero: the divisor of '/' is always 0"),
    ("income // (2 - 2) > 1", "division by zero: the divisor of '//' is always 0"),
    ("income % 0 == 1", "division by zero: the divisor of '%' is always 0"),
    ("income / (1.5 - 1.5) > 1", "division by zero: the divisor of '/' is always 0"),
    # nesting and size
    ("income > " + "1" * 1995, "expression is too long (2004 characters; the limit is 2000)"),
    ("income > " + " + ".join(["1"] * 300), "expression is too large (903 parts; the limit is 400)"),
    ("-" * 40 + "income > 0", "expression is nested too deeply (more than 32 levels)"),
    ("region in [" + ", ".join(["'a'"] * 300) + "]", "list has 300 items; the limit is 256"),
    ("region == '" + "a" * 600 + "'", "text is too long (600 characters; the limit is 500)"),
    ("income > 9007199254740993", "number 9007199254740993 is too large (the limit is 9007199254740992)"),
    ("ratio > 1e999", "number is too large"),
    # functions outside the whitelist, and misuse of whitelisted ones
    ("eval('1') == 1", f"function 'eval' is not allowed ({ALLOWED_FUNCTIONS})"),
    ("__import__('os') == 1", f"function '__import__' is not allowed ({ALLOWED_FUNCTIONS})"),
    ("len(region) > 0", f"function 'len' is not allowed ({ALLOWED_FUNCTIONS})"),
    ("round(ratio, 2) > 0", "function 'round' takes 1 argument, got 2"),
    ("min(income) > 0", "function 'min' takes at least 2 arguments, got 1"),
    ("geo_distance_km(lat, lon, 1) > 0", "function 'geo_distance_km' takes 4 arguments, got 3"),
    ("lookup(line) > 0", "function 'lookup' takes 2 arguments, got 1"),
    (
        "lookup(region, region) > 0",
        "the first argument of lookup must be a declared table (declared tables: line, weights)",
    ),
    ("born < date(today)", 'date() takes one literal text "YYYY-MM-DD", e.g. date("2026-01-31")'),
    ("born < date('2026-13-01')", "date() got '2026-13-01', which is not a date written YYYY-MM-DD"),
]


@pytest.mark.parametrize(
    ("require", "message"), EXPRESSION_ERRORS, ids=[r[:30] for r, _ in EXPRESSION_ERRORS]
)
def test_invalid_expression_is_refused_with_its_message(require: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        load_rule_set_text(one_rule(require), "<test>")
    assert str(caught.value) == AT + message
    assert (caught.value.file, caught.value.line, caught.value.rule_id, caught.value.field) == (
        "<test>",
        RULE_LINE,
        "r1",
        "require",
    )


VALID = one_rule("income > 1")
OTHER = "  other: {type: bool, source: form, description: Pernyataan lain}"
PROTECTED = "nationality, ethnicity, religion and race may never be rule inputs"


def _fact(line: str) -> str:
    return VALID.replace(OTHER, line)


PROTECTED_ATTRIBUTES = [
    (
        "  agama: {type: str, source: form, description: Agama pemohon}",
        f"<test>:12: fact 'agama': name uses a protected attribute ('agama'); {PROTECTED}",
    ),
    (
        "  applicant_religion: {type: str, source: form, description: Keyakinan}",
        f"<test>:12: fact 'applicant_religion': name uses a protected attribute ('religion'); {PROTECTED}",
    ),
    (
        "  nationality: {type: str, source: form, description: Country}",
        f"<test>:12: fact 'nationality': name uses a protected attribute ('nationality'); {PROTECTED}",
    ),
    (
        "  other: {type: str, source: form, description: Suku bangsa pemohon}",
        f"<test>:12: fact 'other': description mentions a protected attribute ('suku'); {PROTECTED}",
    ),
    (
        "  other: {type: str, source: form, description: Kewarganegaraan (WNI/WNA)}",
        f"<test>:12: fact 'other': description mentions a protected attribute ('kewarganegaraan'); {PROTECTED}",
    ),
    (
        "  other: {type: bool, source: form, description: Pemohon warga negara asing}",
        f"<test>:12: fact 'other': description mentions a protected attribute ('warga negara'); {PROTECTED}",
    ),
    (
        "  other: {type: str, source: form, description: Race of the applicant}",
        f"<test>:12: fact 'other': description mentions a protected attribute ('race'); {PROTECTED}",
    ),
    (
        "  other: {type: str, source: form, description: EthnicGroup code}",
        f"<test>:12: fact 'other': description mentions a protected attribute ('ethnic'); {PROTECTED}",
    ),
    (
        "  other: {type: str, source: registry:etnis, description: Kode}",
        f"<test>:12: fact 'other': source mentions a protected attribute ('etnis'); {PROTECTED}",
    ),
]


@pytest.mark.parametrize(("fact_line", "message"), PROTECTED_ATTRIBUTES)
def test_protected_attributes_are_refused(fact_line: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        load_rule_set_text(_fact(fact_line), "<test>")
    assert str(caught.value) == message


def test_protected_attribute_in_a_table_description_is_refused() -> None:
    text = VALID.replace("Bobot per jumlah anggota", "Bobot per ras")
    with pytest.raises(RuleError) as caught:
        load_rule_set_text(text, "<test>")
    assert (
        str(caught.value)
        == f"<test>:17: table 'weights': description mentions a protected attribute ('ras'); {PROTECTED}"
    )


def test_words_that_only_contain_a_protected_word_are_accepted() -> None:
    line = "  other: {type: bool, source: form, description: 'Menerima beras, suku bunga rendah, prasarana, trace'}"
    assert list(load_rule_set_text(_fact(line), "<test>").facts)[7] == "other"


FILE_ERRORS = [
    ("empty file", "", "<test>: file is empty"),
    ("not a mapping", "- a\n- b\n", "<test>:1: a rule-set file must be a mapping of names to values"),
    ("too large", "# " + "x" * 300_000, "<test>: file is too large (300002 characters; the limit is 256000)"),
    (
        "invalid YAML",
        _fact("  other: {type: bool, source: form, description: [Pernyataan"),
        "<test>:13: invalid YAML: did not find expected ',' or ']'",
    ),
    (
        "anchors",
        _fact("  other: &x {type: bool, source: form, description: X}\n  other2: *x"),
        "<test>:12: YAML anchors and aliases (&, *) are not allowed",
    ),
    ("duplicate key", _fact(OTHER + "\n" + OTHER), "<test>:13: duplicate key 'other'"),
    (
        "unknown fact field",
        _fact("  other: {type: bool, source: form, description: X, unit: kg}"),
        "<test>:12: fact 'other': unknown field 'unit' (allowed: type, source, description)",
    ),
    (
        "unknown type",
        _fact("  other: {type: float, source: form, description: X}"),
        "<test>:12: fact 'other': unknown type 'float' (allowed: bool, date, int, money, number, str)",
    ),
    (
        "unknown source",
        _fact("  other: {type: bool, source: database, description: X}"),
        "<test>:12: fact 'other': source 'database' must be form, system, reference or registry:<name>",
    ),
    (
        "missing description",
        _fact("  other: {type: bool, source: form}"),
        "<test>:12: fact 'other': missing 'description'",
    ),
    (
        "keyword as a name",
        _fact("  lambda: {type: bool, source: form, description: X}"),
        "<test>:12: fact 'lambda': name 'lambda' must be lowercase letters, digits and '_', start with a letter, "
        "and not be a Python keyword or a function name",
    ),
    (
        "fact and table share a name",
        _fact("  line: {type: bool, source: form, description: X}"),
        "<test>:16: table 'line': the name is already used by a fact",
    ),
    (
        "missing facts",
        "service: demo\nversion: '1'\neffective_from: 2026-01-01\nrules: []\n",
        "<test>:1: the rule set is missing 'facts'",
    ),
    ("no rules", HEADER + "rules: []\n", "<test>:18: 'rules' must be a non-empty list"),
    (
        "invalid date",
        VALID.replace("effective_from: 2026-01-01", "effective_from: 2026-02-30"),
        "<test>:3: 'effective_from' must be a date written YYYY-MM-DD, got '2026-02-30'",
    ),
    (
        "until before from",
        VALID.replace(
            "effective_from: 2026-01-01", "effective_from: 2026-01-01\neffective_until: 2025-12-31"
        ),
        "<test>:4: effective_until is before effective_from",
    ),
    (
        "unknown rule field",
        VALID.replace("    on_fail: deny", "    on_fail: deny\n    severity: high"),
        "<test>:22: rule 'r1': unknown field 'severity' (allowed: id, title, title_en, require, on_fail, explain, legal_basis)",
    ),
    (
        "missing explain",
        VALID.replace('    explain: "Penjelasan."\n', ""),
        "<test>:19: rule 'r1': missing 'explain'",
    ),
    (
        "on_fail not deny or refer",
        VALID.replace("on_fail: deny", "on_fail: reject"),
        "<test>:21: rule 'r1': on_fail must be deny or refer, got 'reject'",
    ),
    (
        "duplicate rule id",
        VALID + "  - {id: r1, require: 'True', on_fail: refer, explain: Ya., legal_basis: Pasal 1}\n",
        "<test>:24: rule 'r1': duplicate rule id",
    ),
    (
        "invalid rule id",
        VALID.replace("id: r1", "id: R-1"),
        "<test>:19: rule 'R-1': name 'R-1' must be lowercase letters, digits and '_', start with a letter, "
        "and not be a Python keyword or a function name",
    ),
    (
        "unknown placeholder",
        one_rule("income > 1", explain="Penghasilan {incme}."),
        "<test>:22: rule 'r1': unknown placeholder '{incme}' in explanation "
        "(known: born, income, lat, lon, member, other, ratio, region, size, today)",
    ),
    (
        "placeholder with a format",
        one_rule("income > 1", explain="Penghasilan {income:,}."),
        "<test>:22: rule 'r1': placeholder '{income}' may not have a format; values are formatted automatically",
    ),
    (
        "unclosed placeholder",
        one_rule("income > 1", explain="Penghasilan {income."),
        "<test>:22: rule 'r1': invalid placeholder in explanation: expected '}' before end of string "
        "(write {{ and }} for literal braces)",
    ),
    (
        "derived money from a number",
        VALID.replace(
            "rules:\n",
            "derived:\n  pc: {expr: income / size, type: money, description: Per kapita}\nrules:\n",
        ),
        "<test>:19: derived 'pc': declared type money does not match the expression's type number; "
        "use // or round() to get whole rupiah",
    ),
    (
        "score that is not a number",
        VALID + "scores:\n  s: {expr: member, description: Skor}\n",
        "<test>:25: score 's': a score must be a number, got bool",
    ),
]


@pytest.mark.parametrize(("case", "text", "message"), FILE_ERRORS, ids=[c[0] for c in FILE_ERRORS])
def test_invalid_file_is_refused_with_its_message(case: str, text: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        load_rule_set_text(text, "<test>")
    assert str(caught.value) == message


def test_version_must_match_the_file_name() -> None:
    with pytest.raises(RuleError) as caught:
        load_rule_set_text(VALID, "packs/demo/rules/2026-02.yaml")
    assert (
        str(caught.value)
        == "packs/demo/rules/2026-02.yaml:2: version '1' does not match the file name '2026-02.yaml'"
    )


def test_a_string_literal_never_becomes_code() -> None:
    """A drafter's text reaches the generated Python only as repr() of a checked literal."""
    nasty = "'); import os; os.system('x'); ('"
    rule_set = load_rule_set_text(one_rule(f"region == {nasty!r}"), "<test>")
    assert rule_set.scalar_function({"region": nasty}, {})[1] == (True,)
    assert "import os" not in rule_set.scalar_source.replace(repr(nasty), "")


def test_the_engine_refuses_a_fact_beyond_exact_arithmetic():
    """2^53 + 1 is not representable in the vectorised evaluator's floats: both evaluators would disagree."""
    from pamong.rules import RuleError as Refused

    rule_set = next(iter(_bansos_rule_sets()))
    money_fact = next(name for name, fact in rule_set.facts.items() if fact.type == "money")
    with pytest.raises(Refused, match=money_fact):
        rule_set.prepare_facts({money_fact: 2**53 + 1})
    assert rule_set.prepare_facts({money_fact: 2**53 - 1})[money_fact] == 2**53 - 1


def _bansos_rule_sets():
    from pathlib import Path

    from pamong.rules import load_rule_sets

    return load_rule_sets(Path(__file__).resolve().parents[3] / "packs" / "bansos-pkh" / "rules")

"""The strict contract per field type (issue 21): every channel accepts the same values, and an accepted value
never changes magnitude."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pamong.cases.forms import FormInvalid, clean_form, clean_money

TODAY = dt.date(2026, 3, 9)
INCOME = {"name": "income", "label": "Penghasilan", "type": "money", "min": 0, "max": 10**12}
SIZE = {"name": "size", "label": "Jumlah anggota", "type": "integer", "min": 1, "max": 30}
BORN = {"name": "born", "label": "Tanggal lahir", "type": "date", "earliest": "1900-01-01", "latest": "today"}
NAME = {"name": "name", "label": "Nama", "type": "text"}
NOTE = {"name": "note", "label": "Catatan", "type": "textarea", "required": False}
FLAG = {"name": "flag", "label": "Ada surat", "type": "boolean"}
FIELDS = [INCOME, SIZE, BORN, NAME, NOTE, FLAG]
VALID_FORM = {"income": "Rp2.000.000", "size": "3", "born": "1987-08-01", "name": "Siti", "flag": "ya"}
VALID_JSON = {"income": 2_000_000, "size": 3, "born": "1987-08-01", "name": "Siti", "flag": True}
CLEANED = {"income": 2_000_000, "size": 3, "born": "1987-08-01", "name": "Siti", "flag": True}


def errors_of(data, source="form"):
    with pytest.raises(FormInvalid) as caught:
        clean_form(FIELDS, data, today=TODAY, source=source)
    return caught.value.errors


def test_a_valid_form_and_the_same_values_in_json_clean_to_the_same_answers():
    assert clean_form(FIELDS, VALID_FORM, today=TODAY, source="form") == CLEANED
    assert clean_form(FIELDS, VALID_JSON, today=TODAY, source="json") == CLEANED


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [
        ("2.000.000", 2_000_000),
        ("Rp2.000.000", 2_000_000),
        ("Rp 2.000.000", 2_000_000),
        ("rp2000000", 2_000_000),
        ("2000000", 2_000_000),
        (" 1.250.000 ", 1_250_000),
        ("0", 0),
        ("999", 999),
        ("1.000", 1000),
    ],
)
def test_money_on_a_page_is_whole_rupiah_written_the_indonesian_way(typed, rupiah):
    assert clean_money(typed, "Penghasilan") == rupiah


MONEY_MESSAGE = (
    "Penghasilan harus jumlah rupiah bulat tanpa sen, mis. 2.000.000 (tanpa koma atau titik desimal)."
)


@pytest.mark.parametrize(
    "typed",
    [
        "1234.56",
        "0.5",
        "1..2",
        "rp. 5",
        "Rp.5",
        "1,5",
        "2,000,000",
        "2.000,00",
        "1.2.3",
        "12.34",
        "0.500",
        "007",
        "-5",
        "5 000",
        "lima",
        "2jt",
        "1e6",
        "٣",
        "2.000.000,-",
        ".5",
        "5.",
        "Rp",
        "2.0000",
    ],
)
def test_money_with_cents_separators_stray_dots_or_letters_is_refused_naming_the_field(typed):
    errors = errors_of({**VALID_FORM, "income": typed})
    assert errors == {"income": MONEY_MESSAGE}


@pytest.mark.parametrize("value", [1234.56, 0.5, 5.0, True, "2000000", "2.000.000", {"a": 1}, [1]])
def test_money_in_json_is_a_json_integer_only(value):
    errors = errors_of({**VALID_JSON, "income": value}, source="json")
    assert list(errors) == ["income"]
    assert errors["income"].startswith("Penghasilan harus ")


def test_ranges_are_the_fields_own():
    assert errors_of({**VALID_JSON, "size": 0}, "json") == {"size": "Jumlah anggota paling sedikit 1."}
    assert errors_of({**VALID_JSON, "size": 31}, "json") == {"size": "Jumlah anggota paling banyak 30."}
    assert errors_of({**VALID_JSON, "income": -1}, "json") == {"income": "Penghasilan paling sedikit Rp0."}
    assert errors_of({**VALID_JSON, "income": 10**12 + 1}, "json") == {
        "income": "Penghasilan paling banyak Rp1.000.000.000.000."
    }
    assert errors_of({**VALID_JSON, "income": 10**40}, "json") == {
        "income": "Penghasilan paling banyak Rp1.000.000.000.000."
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": 1}, "Nama harus berupa teks."),
        (True, "Nama harus berupa teks."),
        (12, "Nama harus berupa teks."),
        ("Si\x00ti", "Nama berisi karakter kendali yang tidak diterima; tulis teks biasa."),
        ("Si\nti", "Nama berisi karakter kendali yang tidak diterima; tulis teks biasa."),
        ("Si\ud800ti", "Nama berisi karakter kendali yang tidak diterima; tulis teks biasa."),
        ("x" * 501, "Nama terlalu panjang (paling banyak 500 karakter)."),
    ],
)
def test_text_is_text_without_control_characters_within_its_length(value, message):
    assert errors_of({**VALID_JSON, "name": value}, "json") == {"name": message}


def test_text_is_nfc_normalised_and_a_textarea_keeps_its_lines():
    cleaned = clean_form(
        FIELDS, {**VALID_JSON, "name": "Jose\u0301", "note": "a\r\nb\tc"}, today=TODAY, source="json"
    )
    assert cleaned["name"] == "Jos\u00e9"
    assert cleaned["note"] == "a\nb\tc"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01", "Tanggal lahir paling awal 1900-01-01."),
        ("1899-12-31", "Tanggal lahir paling awal 1900-01-01."),
        ("2026-03-10", "Tanggal lahir tidak boleh di masa depan."),
        ("2026-W01-1", "Tanggal lahir harus tanggal dengan format TTTT-BB-HH, mis. 2026-01-05."),
        ("20260101", "Tanggal lahir harus tanggal dengan format TTTT-BB-HH, mis. 2026-01-05."),
        ("2026-02-30", "Tanggal lahir harus tanggal dengan format TTTT-BB-HH, mis. 2026-01-05."),
        ("2026-001", "Tanggal lahir harus tanggal dengan format TTTT-BB-HH, mis. 2026-01-05."),
        (20260101, "Tanggal lahir harus berupa teks."),
    ],
)
def test_dates_are_iso_calendar_dates_within_the_fields_range(value, message):
    assert errors_of({**VALID_JSON, "born": value}, "json") == {"born": message}


@pytest.mark.parametrize("value", ["true", "ya", 1, 0, "yes", [True]])
def test_booleans_in_json_are_json_booleans(value):
    errors = errors_of({**VALID_JSON, "flag": value}, "json")
    assert errors == {"flag": "Ada surat: jawab ya atau tidak (true atau false)."}


def test_a_page_answers_yes_or_no_in_words():
    assert clean_form(FIELDS, {**VALID_FORM, "flag": "tidak"}, today=TODAY)["flag"] is False
    assert errors_of({**VALID_FORM, "flag": "mungkin"}) == {"flag": "Ada surat: jawab ya atau tidak."}


# --- properties ------------------------------------------------------------------------------------------


def grouped(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@settings(deadline=None)  # timings vary on a shared machine; the properties do not
@given(
    st.integers(min_value=0, max_value=10**15 - 1), st.sampled_from(["", "Rp", "Rp ", "rp"]), st.booleans()
)
def test_money_round_trips_exactly(value, prefix, group):
    typed = prefix + (grouped(value) if group else str(value))
    assert clean_money(typed, "Penghasilan") == value
    assert clean_money(value, "Penghasilan", source="json") == value


@settings(deadline=None)  # timings vary on a shared machine; the properties do not
@given(st.text(alphabet="0123456789.,Rrp -", max_size=14))
def test_an_accepted_amount_never_changes_magnitude(typed):
    """Whatever is accepted reads as the digits typed, with only dots between groups of three removed: the
    number of digits (the magnitude) is the number of digits typed."""
    try:
        value = clean_money(typed, "Penghasilan")
    except ValueError:
        return
    digits = "".join(char for char in typed if char.isdigit())
    assert str(value) == digits
    if "." in typed:
        groups = typed.strip().lstrip("Rrp ").split(".")
        assert all(len(group) == 3 for group in groups[1:]) and 1 <= len(groups[0]) <= 3


@settings(deadline=None)  # timings vary on a shared machine; the properties do not
@given(st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12) | st.booleans())
def test_json_money_takes_integers_only(value):
    with pytest.raises(ValueError):
        clean_money(value, "Penghasilan", source="json")


@settings(deadline=None)  # timings vary on a shared machine; the properties do not
@given(st.text(max_size=40))
def test_accepted_text_has_no_control_characters_and_is_nfc(value):
    import unicodedata

    try:
        cleaned = clean_form([NAME], {"name": value}, today=TODAY, source="json")
    except FormInvalid:
        return
    text = cleaned["name"]
    assert text == unicodedata.normalize("NFC", text) == text.strip()
    assert not any(unicodedata.category(char) in {"Cc", "Cs"} for char in text)

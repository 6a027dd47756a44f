"""NIK structure: input -> output tables a lawyer can read, and generated NIKs that must round-trip."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pamong.registry.nik import NikError, NikInfo, build_nik, mask_nik, parse_nik

TODAY = dt.date(2026, 3, 1)
DISTRICTS = {"327309", "327302", "320405", "317109"}


def parse(nik: str) -> NikInfo:
    return parse_nik(nik, region_exists=DISTRICTS, today=TODAY)


@pytest.mark.parametrize(
    ("nik", "region", "birth_date", "sex"),
    [
        ("3273094108870002", "327309", "1987-08-01", "P"),  # woman: day 41 = 01 + 40
        ("3273091503840001", "327309", "1984-03-15", "L"),
        ("3273 0941 0887 0002", "327309", "1987-08-01", "P"),  # spaces as typed from a KTP
        ("32.73.09.410887.0002", "327309", "1987-08-01", "P"),
        ("3204057112990001", "320405", "1999-12-31", "P"),  # day 71 = 31 + 40
        ("3273092902000002", "327309", "2000-02-29", "L"),  # 2000 is a leap year
        ("3273090103260001", "327309", "2026-03-01", "L"),  # born today: this century
        ("3273091503250001", "327309", "2025-03-15", "L"),
        ("3273091503260001", "327309", "1926-03-15", "L"),  # 2026-03-15 is after today: last century
        ("3171090101000001", "317109", "2000-01-01", "L"),
    ],
)
def test_valid_niks(nik, region, birth_date, sex):
    info = parse(nik)
    assert (info.region_code, info.claimed_birth_date.isoformat(), info.claimed_sex) == (
        region,
        birth_date,
        sex,
    )
    assert info.nik == nik.replace(" ", "").replace(".", "")
    assert info.regency_code == region[:4]


@pytest.mark.parametrize(
    ("nik", "code", "message"),
    [
        ("327309410887000", "nik_length", "NIK harus terdiri dari 16 angka; yang Anda masukkan 15 angka."),
        ("32730941088700021", "nik_length", "NIK harus terdiri dari 16 angka; yang Anda masukkan 17 angka."),
        ("", "nik_length", "NIK harus terdiri dari 16 angka; yang Anda masukkan 0 angka."),
        ("32730941088700O2", "nik_digits", "NIK hanya boleh berisi angka 0 sampai 9."),
        ("٣٢٧٣٠٩٤١٠٨٨٧٠٠٠٢", "nik_digits", "NIK hanya boleh berisi angka 0 sampai 9."),  # non-ASCII digits
        ("3273994108870002", "nik_region_unknown", "Enam angka pertama NIK (327399) bukan kode kecamatan"),
        ("3273093208870002", "nik_birth_date_invalid", "Angka ke-7 sampai ke-12 NIK (320887)"),  # day 32
        ("3273097208870002", "nik_birth_date_invalid", "(720887)"),  # woman's day 72 = 32
        ("3273090008870002", "nik_birth_date_invalid", "(000887)"),  # day 0
        ("3273091013870002", "nik_birth_date_invalid", "(101387)"),  # month 13
        ("3273092902230002", "nik_birth_date_invalid", "(290223)"),  # 29 Feb 2023 and 1923: no such day
        ("3273094108870000", "nik_serial_invalid", "Empat angka terakhir NIK tidak boleh 0000."),
    ],
)
def test_invalid_niks(nik, code, message):
    with pytest.raises(NikError) as caught:
        parse(nik)
    assert caught.value.code == code
    assert message in caught.value.message
    assert caught.value.status == 422


def test_region_check_may_be_a_callable():
    asked = []
    info = parse_nik("3273094108870002", region_exists=lambda code: asked.append(code) or True, today=TODAY)
    assert asked == ["327309"] and info.serial == "0002"


def test_mask_keeps_region_and_last_two_digits():
    assert mask_nik("3273094108870002") == "327309********02"
    assert mask_nik("123") == "***"


@given(
    region=st.sampled_from(sorted(DISTRICTS)),
    born=st.dates(min_value=dt.date(TODAY.year - 99, 1, 1), max_value=TODAY),
    sex=st.sampled_from(["L", "P"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_generated_niks_round_trip(region, born, sex, serial):
    nik = build_nik(region_code=region, birth_date=born, sex=sex, serial=serial)
    info = parse(nik)
    assert (info.region_code, info.claimed_birth_date, info.claimed_sex, int(info.serial)) == (
        region,
        born,
        sex,
        serial,
    )


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_any_sixteen_digits_parse_or_fail_with_a_known_code(digits):
    try:
        parse(digits)
    except NikError as exc:
        assert exc.code in {"nik_region_unknown", "nik_birth_date_invalid", "nik_serial_invalid"}

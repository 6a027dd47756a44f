"""NIK (Nomor Induk Kependudukan) structure checks. Pure Python: no Django import.

A NIK has 16 digits: PP RR DD | DDMMYY | SSSS
- 1–6: Kemendagri code of the district (kecamatan) where the person was first registered: province (2),
  regency/city (2), district (2). It must exist in the regions table (passed in, so this stays pure).
- 7–12: birth date DDMMYY, with 40 added to the day for women.
- 13–16: a serial number, never 0000.

!!! The birth date and sex read from a NIK are CLAIMS, not facts. !!!
Real NIKs carry wrong dates (registration errors, unknown birth dates recorded as 01-01 or 31-12), a sex that
no longer matches the civil record, and a district code of first registration rather than of residence. They are
returned as ``claimed_birth_date`` and ``claimed_sex`` so that no caller mistakes them for data from the civil
registry; rules decide on registry facts (``registry:dukcapil``), never on what a NIK seems to say.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from pamong.core.errors import ValidationFailed, gettext_noop

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40
_SEPARATORS = re.compile(r"[\s.\-]")

RegionCheck = Callable[[str], bool] | Collection[str]


class NikError(ValidationFailed):
    """A NIK that cannot be right. ``code`` is one of nik_length, nik_digits, nik_region_unknown,
    nik_birth_date_invalid, nik_serial_invalid; the message tells the citizen what to check."""


@dataclass(frozen=True)
class NikInfo:
    nik: str  # normalised: 16 digits
    region_code: str  # district code, 6 digits (e.g. "327309")
    claimed_birth_date: dt.date  # a claim read from digits 7–12, not a registry fact
    claimed_sex: Literal["L", "P"]  # L = laki-laki, P = perempuan; a claim, not a registry fact
    serial: str

    @property
    def regency_code(self) -> str:
        return self.region_code[:4]

    @property
    def province_code(self) -> str:
        return self.region_code[:2]


def normalize_nik(text: str) -> str:
    """Drop the spaces, dots and dashes people type or copy ("3273 0941 0887 0002")."""
    return _SEPARATORS.sub("", text or "")


def parse_nik(text: str, *, region_exists: RegionCheck, today: dt.date) -> NikInfo:
    """Check a NIK's structure and read its parts. Raises NikError with a machine code and a message (translated
    when read, ADR 51).

    ``region_exists``: a callable taking a 6-digit district code, or a collection of such codes.
    ``today``: the two-digit year gets the latest century that does not put the birth date after ``today``.
    """
    nik = normalize_nik(text)
    if nik and not (nik.isascii() and nik.isdigit()):
        raise NikError(
            gettext_noop(
                "A NIK holds only the digits 0 to 9. Check the NIK on your e-KTP or Family Card (Kartu Keluarga)."
            ),
            code="nik_digits",
        )
    if len(nik) != NIK_LENGTH:
        raise NikError(
            gettext_noop("A NIK has %(expected)s digits; you entered %(length)s."),
            code="nik_length",
            details={"length": len(nik)},
            params={"expected": NIK_LENGTH, "length": len(nik)},
        )
    region = nik[:6]
    if not _region_known(region, region_exists):
        raise NikError(
            gettext_noop(
                "The first six digits of the NIK (%(region)s) are not a registered district code. "
                "Check the NIK on your e-KTP or Family Card (Kartu Keluarga)."
            ),
            code="nik_region_unknown",
            details={"region_code": region},
            params={"region": region},
        )
    birth_date, sex = _birth_date_and_sex(nik[6:12], today)
    serial = nik[12:]
    if serial == "0000":
        raise NikError(
            gettext_noop(
                "The last four digits of the NIK cannot be 0000. "
                "Check the NIK on your e-KTP or Family Card (Kartu Keluarga)."
            ),
            code="nik_serial_invalid",
        )
    return NikInfo(nik=nik, region_code=region, claimed_birth_date=birth_date, claimed_sex=sex, serial=serial)


def is_valid_nik(text: str, *, region_exists: RegionCheck, today: dt.date) -> bool:
    try:
        parse_nik(text, region_exists=region_exists, today=today)
    except NikError:
        return False
    return True


def _region_known(region: str, region_exists: RegionCheck) -> bool:
    if callable(region_exists):
        return bool(region_exists(region))
    return region in region_exists


def _birth_date_and_sex(part: str, today: dt.date) -> tuple[dt.date, Literal["L", "P"]]:
    day, month, year2 = int(part[:2]), int(part[2:4]), int(part[4:])
    sex: Literal["L", "P"] = "L"
    if day > FEMALE_DAY_OFFSET:
        day, sex = day - FEMALE_DAY_OFFSET, "P"
    century = today.year // 100 * 100
    # Latest century first: a NIK of someone born in 1998 reads "98", which must not become 2098.
    for year in (century + year2, century - 100 + year2):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate, sex
    raise NikError(
        gettext_noop(
            "Digits 7 to 12 of the NIK (%(part)s) are not a possible birth date (day, month, year; for women "
            "40 is added to the day). Check the NIK on your e-KTP or Family Card (Kartu Keluarga)."
        ),
        code="nik_birth_date_invalid",
        details={"birth_part": part},
        params={"part": part},
    )


def build_nik(*, region_code: str, birth_date: dt.date, sex: Literal["L", "P"], serial: int) -> str:
    """The NIK whose parts are these (for synthetic data and tests)."""
    if not (len(region_code) == 6 and region_code.isdigit()) or not 1 <= serial <= 9999:
        raise ValueError("region_code must be 6 digits and serial 1..9999")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == "P" else 0)
    return f"{region_code}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def mask_nik(nik: str) -> str:
    """For staff screens and logs: region and the last two digits only ("327309********02")."""
    nik = normalize_nik(nik)
    if len(nik) != NIK_LENGTH:
        return "*" * len(nik)
    return f"{nik[:6]}{'*' * 8}{nik[-2:]}"


def normalize_region_code(code: str) -> str:
    """Kemendagri codes are written dotted ("32.73.09.1003"); the registry stores digits ("3273091003")."""
    return (code or "").replace(".", "").strip()

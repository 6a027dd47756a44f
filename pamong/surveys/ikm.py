"""The Community Satisfaction Index (*Indeks Kepuasan Masyarakat*, IKM) exactly as PermenPANRB 14/2017 computes it.
Pure Python (no Django): exact arithmetic with `Fraction`, rounded only where the regulation shows a figure.

The regulation (Lampiran, "Pengolahan Data Survei"):
- nine service elements (*unsur pelayanan*, Pasal 4 / Lampiran I.C), each answered on a scale of 1 to 4;
- the mean of each element over the respondents (*nilai rata-rata per unsur*, NRR);
- each element weighted equally: weight = 1 / number of elements = 1/9 (the regulation prints it rounded as 0,11;
  we keep 1/9 exactly, so nine means of 3 give exactly 75,00 and not 74,25);
- IKM = sum of the weighted means (the *nilai indeks*, 1..4) × 25 (the *nilai konversi*, 25..100);
- the conversion table: A (Sangat Baik) 88,31–100,00; B (Baik) 76,61–88,30; C (Kurang Baik) 65,00–76,60;
  D (Tidak Baik) 25,00–64,99, read on the converted value rounded to two decimals (half up), as published.
The minimum number of respondents is read from Krejcie and Morgan's table (1970), which the regulation reproduces.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# The nine elements in the regulation's order (Lampiran I.C, "Ruang lingkup"): U1..U9.
ELEMENTS: tuple[str, ...] = (
    "persyaratan",  # U1 requirements
    "prosedur",  # U2 system, mechanism and procedure
    "waktu",  # U3 completion time
    "biaya",  # U4 fee / tariff
    "produk",  # U5 product specification of the service type
    "kompetensi",  # U6 staff competence
    "perilaku",  # U7 staff behaviour
    "pengaduan",  # U8 handling of complaints, suggestions and input
    "sarana",  # U9 facilities and infrastructure
)
SCALE = (1, 2, 3, 4)
WEIGHT = Fraction(1, len(ELEMENTS))
CONVERSION = 25
TWO_PLACES = Decimal("0.01")

# (lowest converted value of the band, band, the regulation's words for the quality and the unit's performance)
BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)

# Krejcie & Morgan (1970), "Determining sample size for research activities", Table 1, as reproduced in the
# regulation: population N → sample S (95 % confidence, 5 % margin, p = 0,5).
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44), (55, 48),
    (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76), (100, 80), (110, 86),
    (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132),
    (210, 136), (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162), (290, 165),
    (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254), (800, 260), (850, 265),
    (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327), (2400, 331), (2600, 335),
    (2800, 338), (3000, 341), (3500, 346), (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364),
    (8000, 367), (9000, 368), (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380),
    (50000, 381), (75000, 382), (1000000, 384),
)  # fmt: skip
_KM_POPULATIONS = [n for n, _ in KREJCIE_MORGAN]


class SurveyError(ValueError):
    """An answer outside the regulation's scale or an unknown element."""


def minimum_sample(population: int) -> int:
    """The minimum number of respondents for `population` people served in the period: the sample of the
    smallest tabulated population at least as large (the conservative reading of the table); a population below
    10 is asked in full; above 1,000,000 the table's last value (384) holds."""
    if population < 0:
        raise SurveyError("population cannot be negative")
    if population <= KREJCIE_MORGAN[0][0]:
        return population
    at = bisect.bisect_left(_KM_POPULATIONS, population)
    return KREJCIE_MORGAN[min(at, len(KREJCIE_MORGAN) - 1)][1]


def krejcie_morgan_formula(population: int) -> Fraction:
    """The formula behind the table: s = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)), χ² = 3,841, P = 0,5, d = 0,05."""
    chi2, p, d = Fraction(3841, 1000), Fraction(1, 2), Fraction(1, 20)
    return chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))


def round2(value: Fraction) -> Decimal:
    """A value as the regulation prints it: two decimals, half up."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP
    )


def band_of(converted: Fraction | Decimal) -> tuple[str, str]:
    """(band, quality) for a converted value 25..100, read on its two-decimal figure."""
    value = round2(converted) if isinstance(converted, Fraction) else converted.quantize(TWO_PLACES)
    if not Decimal(25) <= value <= Decimal(100):
        raise SurveyError(f"a converted IKM value lies between 25 and 100, not {value}")
    for lowest, band, quality in BANDS:
        if value >= lowest:
            return band, quality
    raise AssertionError("unreachable: D starts at 25")  # pragma: no cover


@dataclass(frozen=True)
class ElementResult:
    element: str
    total: int  # sum of the scores (*jumlah nilai per unsur*)
    mean: Fraction  # NRR
    weighted: Fraction  # NRR × 1/9
    converted: Fraction  # NRR × 25: the element's own value on the IKM scale
    band: str


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: tuple[ElementResult, ...] = field(default_factory=tuple)
    index: Fraction | None = None  # sum of weighted means, 1..4 (*nilai indeks*)
    ikm: Fraction | None = None  # × 25, 25..100 (*nilai IKM setelah dikonversi*)

    @property
    def ikm_2dp(self) -> Decimal | None:
        return None if self.ikm is None else round2(self.ikm)

    @property
    def band(self) -> str | None:
        return None if self.ikm is None else band_of(self.ikm)[0]

    @property
    def quality(self) -> str | None:
        return None if self.ikm is None else band_of(self.ikm)[1]

    def weakest(self, count: int = 3) -> list[ElementResult]:
        """The elements with the lowest means (ties in the regulation's order): the ones to act on first."""
        order = {name: i for i, name in enumerate(ELEMENTS)}
        return sorted(self.elements, key=lambda e: (e.mean, order[e.element]))[:count]


def compute(responses: Iterable[Mapping[str, int]]) -> IkmResult:
    """IKM of a set of responses, each a mapping of the nine elements to a score 1..4 (every element answered)."""
    totals = dict.fromkeys(ELEMENTS, 0)
    count = 0
    for response in responses:
        for name in ELEMENTS:
            score = response.get(name)
            if score not in SCALE or isinstance(score, bool):
                raise SurveyError(f"{name}: a score is 1, 2, 3 or 4, not {score!r}")
            totals[name] += score
        count += 1
    return from_totals(totals, count)


def from_totals(totals: Mapping[str, int], respondents: int) -> IkmResult:
    """IKM from the sum of scores per element (what a database aggregate gives) and the number of respondents."""
    if respondents == 0:
        return IkmResult(respondents=0)
    elements = []
    for name in ELEMENTS:
        total = int(totals[name])
        if not respondents * SCALE[0] <= total <= respondents * SCALE[-1]:
            raise SurveyError(f"{name}: a total of {total} is impossible for {respondents} respondents")
        mean = Fraction(total, respondents)
        converted = mean * CONVERSION
        elements.append(ElementResult(name, total, mean, mean * WEIGHT, converted, band_of(converted)[0]))
    index = sum((e.weighted for e in elements), Fraction(0))
    return IkmResult(respondents=respondents, elements=tuple(elements), index=index, ikm=index * CONVERSION)


# --- periods ------------------------------------------------------------------------------------------------
PERIOD = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])|S(?P<half>[12])))?$"
)


@dataclass(frozen=True)
class Period:
    code: str  # "2026", "2026-S2", "2026-Q4", "2026-11"
    start: dt.date  # first day
    end: dt.date  # first day after

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def parse_period(code: str) -> Period:
    """A survey period: a year, a half year (S1/S2), a quarter (Q1..Q4) or a month."""
    match = PERIOD.match(code.strip())
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise SurveyError(f"unknown period {code!r}: use 2026, 2026-S1, 2026-Q3 or 2026-11")
    year = int(match["year"])
    if match["month"]:
        first, months = int(match["month"]), 1
    elif match["quarter"]:
        first, months = 3 * int(match["quarter"]) - 2, 3
    elif match["half"]:
        first, months = 6 * int(match["half"]) - 5, 6
    else:
        first, months = 1, 12
    return Period(match[0], _month_start(year, first), _month_start(year, first + months))


def month_labels(period: Period) -> Sequence[dt.date]:
    """The first day of each month in the period."""
    months, day = [], period.start
    while day < period.end:
        months.append(day)
        day = _month_start(day.year, day.month + 1)
    return months

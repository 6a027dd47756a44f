"""A seeded synthetic regional budget with planted anomalies of each flag kind, and the evaluation of the flags
against what was planted (docs/budget.md describes both). Pure: NumPy and Polars, no Django.

Normal spending: agencies in regions; each line item buys an item of a catalogue whose price depends on the
region (±15 %) with noise (log-normal, σ 0.12); quantities are log-normal; spending ramps up through the year
(December about 13 %); each agency buys from its own suppliers with Zipf-like shares.

Planted (the `planted` column of a line, and the `planted` tables of agency-years and contracts):
- harga_satuan: a line's unit price multiplied by 2-6;
- pemecahan_paket: 2-4 purchases of one item from one supplier, 0-7 days apart, each 40-99 % of the ceiling;
- lonjakan_desember: an agency-year with 30-50 % of its other months' lines moved to December;
- konsentrasi_penyedia: an agency-year with 50-80 % of its lines given to one supplier;
- penawar_tunggal / penunjukan_langsung_di_atas_batas: contracts with one tenderer in an open tender, or a
  direct award above the ceiling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from . import flags

MONTH_WEIGHTS = np.array([4, 5, 6, 7, 8, 8, 8, 9, 9, 10, 11, 13], dtype=float)
UNITS = ("unit", "buah", "paket", "rim", "liter", "orang/hari", "set", "kg", "lembar", "OH")
WORDS = (
    "kertas",
    "tinta",
    "laptop",
    "meja",
    "kursi",
    "bensin",
    "konsumsi rapat",
    "sewa tenda",
    "spanduk",
    "semen",
    "pasir",
    "cat",
    "obat",
    "masker",
    "beras",
    "seragam",
    "printer",
    "proyektor",
    "AC",
    "genset",
)


@dataclass(frozen=True)
class Budget:
    lines: pl.DataFrame  # flags.LINE_SCHEMA + program, activity, planted (kind or null)
    contracts: pl.DataFrame  # flags.CONTRACT_SCHEMA + planted
    planted_agency_years: pl.DataFrame  # agency, year, kind


def generate(
    *,
    lines: int = 1_000_000,
    agencies: int = 40,
    years: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025),
    regions: int = 10,
    items: int = 400,
    suppliers_per_agency: int = 120,
    price_anomalies: float = 0.002,
    split_groups: int = 300,
    spikes: int = 8,
    concentrated: int = 6,
    contracts: int = 20_000,
    seed: int = 2026,
    agency_names: list[str] | None = None,
) -> Budget:
    rng = np.random.default_rng(seed)
    ceiling = flags.value("direct_procurement_ceiling")
    names = agency_names or [f"instansi-{a:02d}" for a in range(agencies)]
    agencies = len(names)
    agency_region = np.arange(agencies) % regions
    base_price = np.round(np.exp(rng.uniform(np.log(5e3), np.log(5e7), items)), -2)
    region_factor = rng.uniform(0.9, 1.15, (items, regions))
    item_names = np.array(
        [f"{WORDS[i % len(WORDS)]} tipe {i:03d} ({UNITS[i % len(UNITS)]})" for i in range(items)]
    )
    item_popularity = 1.0 / np.arange(1, items + 1) ** 0.6
    item_popularity /= item_popularity.sum()
    supplier_weights = 1.0 / np.arange(1, suppliers_per_agency + 1) ** 1.1
    supplier_weights /= supplier_weights.sum()

    n = lines  # normal lines; split groups are appended in place of the last ones, keeping `lines` in all
    agency = rng.integers(0, agencies, n)
    year = rng.choice(np.array(years), n)
    month = rng.choice(np.arange(1, 13), n, p=MONTH_WEIGHTS / MONTH_WEIGHTS.sum())
    day = rng.integers(1, 29, n)
    item = rng.choice(items, n, p=item_popularity)
    region = agency_region[agency]
    unit_price = np.round(base_price[item] * region_factor[item, region] * rng.lognormal(0, 0.12, n), -2)
    quantity = np.maximum(1, np.round(rng.lognormal(np.log(4), 0.9, n)))
    quantity = np.minimum(
        quantity, np.maximum(1, np.floor(60e6 / unit_price))
    )  # routine purchases stay modest
    supplier = rng.choice(suppliers_per_agency, n, p=supplier_weights)
    planted = np.full(n, None, dtype=object)

    # Year-end spikes and concentration, planted on distinct agency-years.
    pairs = [(a, y) for a in range(agencies) for y in years]
    chosen = rng.choice(len(pairs), spikes + concentrated, replace=False)
    spike_pairs = [pairs[i] for i in chosen[:spikes]]
    conc_pairs = [pairs[i] for i in chosen[spikes:]]
    for a, y in spike_pairs:
        members = np.flatnonzero((agency == a) & (year == y) & (month != 12))
        moved = members[rng.random(members.size) < rng.uniform(0.3, 0.5)]
        month[moved] = 12
    for a, y in conc_pairs:
        members = np.flatnonzero((agency == a) & (year == y))
        taken = members[rng.random(members.size) < rng.uniform(0.5, 0.8)]
        supplier[taken] = rng.integers(0, suppliers_per_agency)

    # Unit-price anomalies on random lines (not on the few lines that make splits: those are appended below).
    marked = rng.choice(n - split_groups * 4, int(price_anomalies * lines), replace=False)
    unit_price[marked] = np.round(unit_price[marked] * rng.uniform(2.0, 6.0, marked.size), -2)
    planted[marked] = flags.PRICE

    # Split purchases: appended groups.
    s_agency, s_year, s_month, s_day, s_item, s_price, s_qty, s_supplier = ([] for _ in range(8))
    affordable = np.flatnonzero(base_price * 1.2 < 0.5 * ceiling)
    for _ in range(split_groups):
        a = int(rng.integers(0, agencies))
        y = int(rng.choice(np.array(years)))
        it = int(rng.choice(affordable))
        sup = int(rng.integers(0, suppliers_per_agency))
        start = dt.date(y, int(rng.integers(1, 12)), int(rng.integers(1, 20)))
        when = start
        parts = int(rng.integers(2, 5))
        for _k in range(parts):
            when = when + dt.timedelta(days=int(rng.integers(0, 8)))
            price = float(np.round(base_price[it] * region_factor[it, agency_region[a]], -2))
            target = rng.uniform(max(0.4, 1.05 / parts), 0.99) * ceiling  # together over the ceiling
            s_agency.append(a)
            s_year.append(when.year)
            s_month.append(when.month)
            s_day.append(when.day)
            s_item.append(it)
            s_price.append(price)
            s_qty.append(max(1.0, float(np.floor(target / price))))
            s_supplier.append(sup)
    split_planted = [flags.SPLIT] * len(s_agency)
    # Normal, not planted: each agency's recurring monthly payment (rent, cleaning, security services), 30-60 %
    # of the ceiling, to one supplier on about the same day of every month: they must not look like splits.
    for a in range(agencies):
        it = int(rng.choice(affordable))
        sup = int(rng.integers(0, suppliers_per_agency))
        price = float(np.round(base_price[it] * region_factor[it, agency_region[a]], -2))
        qty = max(1.0, float(np.floor(rng.uniform(0.3, 0.6) * ceiling / price)))
        pay_day = int(rng.integers(1, 10))
        for y in years:
            for m in range(1, 13):
                s_agency.append(a)
                s_year.append(y)
                s_month.append(m)
                s_day.append(min(28, pay_day + int(rng.integers(0, 3))))
                s_item.append(it)
                s_price.append(price)
                s_qty.append(qty)
                s_supplier.append(sup)
                split_planted.append(None)
    keep = lines - len(s_agency)
    split_planted = np.array(split_planted, dtype=object)

    def join(normal, extra, dtype=None):
        return np.concatenate([normal[:keep], np.array(extra, dtype=dtype or normal.dtype)])

    agency = join(agency, s_agency)
    year = join(year, s_year)
    month = join(month, s_month)
    day = join(day, s_day)
    item = join(item, s_item)
    unit_price = join(unit_price, s_price)
    quantity = join(quantity, s_qty)
    supplier = join(supplier, s_supplier)
    planted = np.concatenate([planted[:keep], split_planted])
    region = agency_region[agency]
    amount = np.round(unit_price * quantity)

    frame = pl.DataFrame(
        {
            "id": np.arange(1, lines + 1, dtype=np.int64),
            "agency": np.array(names)[agency],
            "region": np.char.add("R", region.astype(str)),
            "year": year.astype(np.int32),
            "month": month.astype(np.int8),
            "day": day.astype(np.int8),
            "item": item_names[item],
            "quantity": quantity.astype(np.float64),
            "unit_price": unit_price.astype(np.int64),
            "amount": amount.astype(np.int64),
            "supplier": np.char.add(np.char.add(np.array(names)[agency], "/penyedia-"), supplier.astype(str)),
            "program": np.char.add("Program ", (item % 6 + 1).astype(str)),
            "planted": pl.Series(planted.tolist(), dtype=pl.Utf8),
        }
    )
    frame = frame.with_columns(date=pl.date("year", "month", "day")).drop("year", "month", "day")
    agency_years = pl.DataFrame(
        {
            "agency": [names[a] for a, _ in spike_pairs] + [names[a] for a, _ in conc_pairs],
            "year": [y for _, y in spike_pairs] + [y for _, y in conc_pairs],
            "kind": [flags.SPIKE] * len(spike_pairs) + [flags.CONCENTRATION] * len(conc_pairs),
        },
        schema={"agency": pl.Utf8, "year": pl.Int32, "kind": pl.Utf8},
    )
    return Budget(
        lines=frame.select(*flags.LINE_SCHEMA, "program", "planted"),
        contracts=_contracts(rng, contracts, names, years, ceiling),
        planted_agency_years=agency_years,
    )


def _contracts(rng, count: int, names: list[str], years, ceiling: float) -> pl.DataFrame:
    method = rng.choice(np.array(["open", "selective", "limited", "direct"]), count, p=[0.55, 0.15, 0.1, 0.2])
    tenderers = np.where(np.isin(method, ["open", "selective"]), rng.integers(2, 12, count), 1)
    amount = np.round(np.exp(rng.uniform(np.log(5e7), np.log(5e9), count)), -3)
    amount = np.where(method == "direct", np.minimum(amount, rng.uniform(0.3, 0.99, count) * ceiling), amount)
    planted = np.full(count, None, dtype=object)
    competitive = np.flatnonzero(np.isin(method, ["open", "selective"]))
    single = rng.choice(competitive, max(1, count // 100), replace=False)
    tenderers[single] = 1
    planted[single] = flags.SINGLE_BIDDER
    direct = np.flatnonzero(method == "direct")
    above = rng.choice(direct, max(1, count // 200), replace=False)
    amount[above] = np.round(rng.uniform(1.05, 5.0, above.size) * ceiling, -3)
    planted[above] = flags.DIRECT_ABOVE_CEILING
    start = np.array([dt.date(min(years), 1, 1).toordinal()])
    span = dt.date(max(years), 12, 31).toordinal() - start[0]
    dates = [dt.date.fromordinal(int(d)) for d in start[0] + rng.integers(0, span + 1, count)]
    return pl.DataFrame(
        {
            "id": np.arange(1, count + 1, dtype=np.int64),
            "agency": np.array(names)[rng.integers(0, len(names), count)],
            "ocid": [f"ocds-synth-{i:06d}" for i in range(1, count + 1)],
            "date": dates,
            "method": method,
            "tenderers": tenderers.astype(np.int64),
            "amount": amount.astype(np.int64),
            "planted": pl.Series(planted.tolist(), dtype=pl.Utf8),
        }
    )


# --- evaluation ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    kind: str
    planted: int
    flagged: int
    found: int  # planted and flagged
    negatives: int  # units not planted with this kind

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def false_positives(self) -> int:
        return self.flagged - self.found

    @property
    def false_positive_rate(self) -> float:
        """False positives among the units that were not planted."""
        return self.false_positives / self.negatives if self.negatives else 0.0

    @property
    def false_discovery(self) -> float:
        """False positives among the flags raised (what an inspector would waste time on)."""
        return self.false_positives / self.flagged if self.flagged else 0.0


def evaluate(budget: Budget, flagged: dict[str, pl.DataFrame]) -> list[Score]:
    """Recall and false positives per kind, counted on the kind's unit (line, agency-year, contract)."""
    lines = budget.lines
    scores = []
    for kind in flags.LINE_KINDS:
        frame = flagged.get(kind)
        if frame is None:
            continue
        ids = frame["id"] if kind == flags.PRICE else frame["ids"].explode()
        flagged_ids = pl.DataFrame({"id": ids.unique()})
        truth = lines.filter(pl.col("planted") == kind).select("id")
        found = flagged_ids.join(truth, on="id").height
        scores.append(Score(kind, truth.height, flagged_ids.height, found, lines.height - truth.height))
    years = lines.select("agency", pl.col("date").dt.year().alias("year")).unique()
    for kind in flags.AGENCY_YEAR_KINDS:
        frame = flagged.get(kind)
        if frame is None:
            continue
        truth = budget.planted_agency_years.filter(pl.col("kind") == kind).select("agency", "year")
        got = frame.select("agency", pl.col("year").cast(pl.Int32))
        found = got.join(truth, on=["agency", "year"]).height
        scores.append(Score(kind, truth.height, got.height, found, years.height - truth.height))
    for kind in flags.CONTRACT_KINDS:
        frame = flagged.get(kind)
        if frame is None:
            continue
        truth = budget.contracts.filter(pl.col("planted") == kind).select("id")
        found = frame.select("id").join(truth, on="id").height
        scores.append(Score(kind, truth.height, frame.height, found, budget.contracts.height - truth.height))
    return scores

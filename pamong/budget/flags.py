"""Budget red flags, a pure core on Polars (no Django): each function takes the realisation line items as a
DataFrame and returns the flagged units with their evidence. `findings` explains each in text that names no
person (suppliers are shown by a pseudonymous code, never by name), kept as a `Text`: its English source with its
parameters (numbers as `Number`), read in the reader's language (pamong.core.errors).

Line items (`LINE_SCHEMA`): one purchase each, realised (paid). Contracts (`CONTRACT_SCHEMA`): one OCDS compiled
release each (pamong/budget/ocds.py). Thresholds come from data/thresholds.yaml with their legal basis.

A flag is a reason to look, never a finding of wrongdoing: the inspectorate (APIP) decides what it means.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pamong.core.errors import Number, Text, gettext_noop

PRICE = "harga_satuan"
SPLIT = "pemecahan_paket"
SPIKE = "lonjakan_desember"
CONCENTRATION = "konsentrasi_penyedia"
SINGLE_BIDDER = "penawar_tunggal"
DIRECT_ABOVE_CEILING = "penunjukan_langsung_di_atas_batas"
LINE_KINDS = (PRICE, SPLIT)  # units are line items
AGENCY_YEAR_KINDS = (SPIKE, CONCENTRATION)  # units are (agency, year)
CONTRACT_KINDS = (SINGLE_BIDDER, DIRECT_ABOVE_CEILING)  # units are contracts (OCDS)
KINDS = (*LINE_KINDS, *AGENCY_YEAR_KINDS, *CONTRACT_KINDS)

LINE_SCHEMA = {
    "id": pl.Int64,
    "agency": pl.Utf8,
    "region": pl.Utf8,
    "date": pl.Date,
    "item": pl.Utf8,  # the item's key: its standard-price code, or its normalised description + unit
    "quantity": pl.Float64,
    "unit_price": pl.Int64,  # rupiah
    "amount": pl.Int64,  # rupiah
    "supplier": pl.Utf8,
}
CONTRACT_SCHEMA = {
    "id": pl.Int64,
    "agency": pl.Utf8,
    "ocid": pl.Utf8,
    "date": pl.Date,
    "method": pl.Utf8,  # OCDS tender.procurementMethod: open | selective | limited | direct
    "tenderers": pl.Int64,  # OCDS tender.numberOfTenderers (null: not published)
    "amount": pl.Int64,  # rupiah, the awarded or contracted value
}
THRESHOLDS_FILE = Path(__file__).with_name("data") / "thresholds.yaml"
MAD_TO_SD = (
    1.4826  # the median absolute deviation of a normal distribution times this is its standard deviation
)


@dataclass(frozen=True)
class Threshold:
    name: str
    value: float
    effective_from: dt.date
    basis: str


@cache
def thresholds() -> dict[str, Threshold]:
    raw = yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8"))
    return {
        row["name"]: Threshold(
            row["name"], float(row["value"]), row["effective_from"], " ".join(row["basis"].split())
        )
        for row in raw
    }


def value(name: str) -> float:
    return thresholds()[name].value


def lines_frame(rows: list[dict[str, Any]] | None = None) -> pl.DataFrame:
    return pl.DataFrame(rows or [], schema=LINE_SCHEMA)


def contracts_frame(rows: list[dict[str, Any]] | None = None) -> pl.DataFrame:
    return pl.DataFrame(rows or [], schema=CONTRACT_SCHEMA)


# --- the flags ------------------------------------------------------------------------------------------------


def price_outliers(lines: pl.DataFrame) -> pl.DataFrame:
    """Unit prices far above the same item's typical price in the same region: at least `price_ratio` × the
    median and `price_robust_z` robust standard deviations above it (median/MAD resist the outliers they look
    for). A region with fewer than `price_min_peers` purchases of the item uses the item's median everywhere."""
    ratio, robust_z, min_peers = value("price_ratio"), value("price_robust_z"), value("price_min_peers")
    price = pl.col("unit_price").cast(pl.Float64)
    typical = [
        price.median().alias("median"),
        (price - price.median()).abs().median().alias("mad"),
        pl.len().alias("peers"),
    ]
    regional = lines.group_by("item", "region").agg(typical)
    # The item's figures everywhere are needed only for items bought too rarely in some region.
    rare = regional.filter(pl.col("peers") < min_peers).select("item").unique()
    national = (
        lines.join(rare, on="item", how="semi")
        .group_by("item")
        .agg(typical)
        .rename({"median": "median_all", "mad": "mad_all", "peers": "peers_all"})
    )
    joined = (
        lines.select("id", "agency", "region", "date", "item", "unit_price", "supplier")
        .join(regional, on=["item", "region"], how="left")
        .join(national, on="item", how="left")
        .with_columns(
            local=pl.col("peers") >= min_peers,
        )
        .with_columns(
            typical=pl.when("local").then("median").otherwise("median_all"),
            spread=pl.when("local").then("mad").otherwise("mad_all") * MAD_TO_SD,
            peers=pl.when("local").then("peers").otherwise("peers_all"),
        )
    )
    return (
        joined.filter(
            (pl.col("peers") >= min_peers)
            & (pl.col("unit_price") >= ratio * pl.col("typical"))
            & (pl.col("unit_price") >= pl.col("typical") + robust_z * pl.col("spread"))
        )
        .with_columns(times=pl.col("unit_price") / pl.col("typical"))
        .select(
            "id",
            "agency",
            "region",
            "date",
            "item",
            "unit_price",
            "typical",
            "times",
            "peers",
            "local",
            "supplier",
        )
        .sort("id")
    )


def split_purchases(lines: pl.DataFrame) -> pl.DataFrame:
    """Purchases split to stay under the direct-procurement ceiling: two or more purchases of the same item from
    the same supplier by the same agency, each under the ceiling (and at least `split_min_share` of it), whose
    consecutive dates are at most `split_window_days` apart, together over the ceiling. One row per group."""
    ceiling, window, share = (
        value("direct_procurement_ceiling"),
        value("split_window_days"),
        value("split_min_share"),
    )
    keys = ["agency", "supplier", "item"]
    candidates = (
        lines.filter((pl.col("amount") < ceiling) & (pl.col("amount") >= share * ceiling))
        .select("id", *keys, "date", "amount")
        .sort([*keys, "date"])
    )
    # Sorted by the keys, a group starts where a key changes or the gap since the previous purchase is too long
    # (comparing with the previous row is cheaper than a window over the keys).
    same = pl.all_horizontal(pl.col(k) == pl.col(k).shift(1) for k in keys).fill_null(False)
    gap = pl.col("date").diff().dt.total_days()
    grouped = candidates.with_columns(group=(~same | (gap > window)).cum_sum())
    return (
        grouped.group_by("group")
        .agg(
            pl.col("agency").first(),
            pl.col("supplier").first(),
            pl.col("item").first(),
            pl.col("date").min().alias("first"),
            pl.col("date").max().alias("last"),
            pl.col("amount").sum().alias("total"),
            pl.col("amount").max().alias("largest"),
            pl.len().alias("purchases"),
            pl.col("id").alias("ids"),
        )
        .filter((pl.col("purchases") >= 2) & (pl.col("total") > ceiling))
        .drop("group")
        .sort("agency", "first", "supplier", "item")
    )


def year_end_spikes(lines: pl.DataFrame) -> pl.DataFrame:
    """A year whose December share of spending is far above the agency's own history: at least `spike_ratio` ×
    the median December share of the agency's other years and `spike_min_excess` above it. Needs two other
    years of the agency's own history. Only complete years count, as history or as flagged: a year with no
    spending recorded in December is still running (its December share would be a false 0)."""
    ratio, excess = value("spike_ratio"), value("spike_min_excess")
    december = pl.col("date").dt.month() == 12
    yearly = (
        lines.group_by("agency", pl.col("date").dt.year().alias("year"))
        .agg(
            pl.col("amount").sum().alias("total"),
            pl.col("amount").filter(december).sum().alias("december"),
            december.any().alias("complete"),
        )
        .filter("complete")
        .drop("complete")
        .with_columns(share=pl.col("december") / pl.col("total"))
    )
    others = yearly.select("agency", pl.col("year").alias("other_year"), pl.col("share").alias("other_share"))
    history = (
        yearly.select("agency", "year")
        .join(others, on="agency")
        .filter(pl.col("year") != pl.col("other_year"))
        .group_by("agency", "year")
        .agg(pl.col("other_share").median().alias("usual"), pl.len().alias("history_years"))
    )
    return (
        yearly.join(history, on=["agency", "year"])
        .filter(
            (pl.col("history_years") >= 2)
            & (pl.col("share") >= ratio * pl.col("usual"))
            & (pl.col("share") >= pl.col("usual") + excess)
        )
        .sort("agency", "year")
    )


def supplier_concentration(lines: pl.DataFrame) -> pl.DataFrame:
    """Spending of an agency in a year concentrated on few suppliers: the Herfindahl-Hirschman index (sum of the
    squared shares of suppliers in the year's spending) at least `hhi_threshold`."""
    threshold = value("hhi_threshold")
    by_supplier = lines.group_by("agency", pl.col("date").dt.year().alias("year"), "supplier").agg(
        pl.col("amount").sum().alias("spent")
    )
    return (
        by_supplier.with_columns(share=pl.col("spent") / pl.col("spent").sum().over("agency", "year"))
        .group_by("agency", "year")
        .agg(
            (pl.col("share") ** 2).sum().alias("hhi"),
            pl.col("share").max().alias("top_share"),
            pl.col("supplier").sort_by("share", descending=True).first().alias("top_supplier"),
            pl.len().alias("suppliers"),
        )
        .filter(pl.col("hhi") >= threshold)
        .sort("agency", "year")
    )


def single_bidder(contracts: pl.DataFrame) -> pl.DataFrame:
    """OCP red-flags guide, "only one bid received": a competitive procedure (open or selective) with one
    tenderer. Contracts that do not publish the number of tenderers are not judged."""
    return contracts.filter(pl.col("method").is_in(["open", "selective"]) & (pl.col("tenderers") == 1)).sort(
        "id"
    )


def direct_above_ceiling(contracts: pl.DataFrame) -> pl.DataFrame:
    """OCP red-flags guide, "non-competitive award above the threshold": a direct award worth more than the
    direct-procurement ceiling."""
    return contracts.filter(
        (pl.col("method") == "direct") & (pl.col("amount") > value("direct_procurement_ceiling"))
    ).sort("id")


def flag_lines(lines: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Every line-item flag at once (the benchmark's unit of work)."""
    return {
        PRICE: price_outliers(lines),
        SPLIT: split_purchases(lines),
        SPIKE: year_end_spikes(lines),
        CONCENTRATION: supplier_concentration(lines),
    }


def flag_contracts(contracts: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {SINGLE_BIDDER: single_bidder(contracts), DIRECT_ABOVE_CEILING: direct_above_ceiling(contracts)}


# --- findings: one per flagged unit, explained in the reader's language -------------------------------------

NOT_AN_ACCUSATION = (
    "Tanda ini adalah alasan untuk memeriksa, bukan tuduhan: pola yang sama dapat memiliki penjelasan yang sah. "
    "Aparat Pengawasan Intern Pemerintah (APIP) yang menilai."
)


def supplier_code(supplier: str) -> str:
    """A stable pseudonymous code for a supplier: flags never show a name, which may be a person's."""
    return "P-" + hashlib.sha256(supplier.encode("utf-8")).hexdigest()[:8].upper()


def rupiah(amount: float) -> str:
    """Rp1.234.567 in the current language's way (Rp1,234,567 in English)."""
    return str(Number.rupiah(amount))


def percent(share: float) -> str:
    """45,2% in the current language's way (45.2% in English)."""
    return str(Number.percent(share))


@dataclass(frozen=True)
class Finding:
    kind: str
    agency: str
    key: str  # stable: the same pattern found twice is one flag
    year: int
    title: Text  # English source and parameters: read (str) in the reader's language; `stored` keeps it
    explanation: Text
    evidence: dict[str, Any]
    line_ids: tuple[int, ...] = field(default=())


def findings(flagged: dict[str, pl.DataFrame]) -> list[Finding]:
    """Findings of every kind, each with its evidence and an explanation naming no person (a `Text`)."""
    out: list[Finding] = []
    for kind, frame in flagged.items():
        out.extend(EXPLAIN[kind](row) for row in frame.iter_rows(named=True))
    return out


def _times(value: float) -> Number:
    """A threshold or ratio as written in thresholds.yaml: no decimals when whole (3), else as given (2.5)."""
    number = float(value)
    return Number(number, 0 if number.is_integer() else len(repr(number).split(".")[1]))


def _price(row: dict[str, Any]) -> Finding:
    where = (
        Text(gettext_noop("the same region"))
        if row["local"]
        else Text(gettext_noop("all regions (too few comparable purchases in this region)"))
    )
    return Finding(
        kind=PRICE,
        agency=row["agency"],
        key=f"{PRICE}:{row['id']}",
        year=row["date"].year,
        title=Text(
            gettext_noop("Unit price of %(item)s %(times)s× the fair price"),
            {"item": row["item"], "times": Number(row["times"], 1)},
        ),
        explanation=Text(
            gettext_noop(
                "The unit price %(price)s for %(item)s on %(date)s is %(times)s times the median %(typical)s of "
                "%(peers)s purchases of the same item in %(where)s (threshold: %(ratio)s times the median and "
                "%(z)s robust standard deviations above it)."
            ),
            {
                "price": Number.rupiah(row["unit_price"]),
                "item": row["item"],
                "date": f"{row['date']:%d-%m-%Y}",
                "times": Number(row["times"], 1),
                "typical": Number.rupiah(row["typical"]),
                "peers": row["peers"],
                "where": where,
                "ratio": _times(value("price_ratio")),
                "z": _times(value("price_robust_z")),
            },
        ),
        evidence={
            "line_id": row["id"],
            "item": row["item"],
            "region": row["region"],
            "unit_price": row["unit_price"],
            "typical_price": round(row["typical"]),
            "times": round(row["times"], 2),
            "peers": row["peers"],
            "supplier": supplier_code(row["supplier"]),
        },
        line_ids=(row["id"],),
    )


def _split(row: dict[str, Any]) -> Finding:
    ceiling = value("direct_procurement_ceiling")
    ids = tuple(sorted(row["ids"]))
    return Finding(
        kind=SPLIT,
        agency=row["agency"],
        key=f"{SPLIT}:{ids[0]}:{len(ids)}",
        year=row["first"].year,
        title=Text(
            gettext_noop("%(purchases)s purchases of %(item)s from one supplier, together above the ceiling"),
            {"purchases": row["purchases"], "item": row["item"]},
        ),
        explanation=Text(
            gettext_noop(
                "%(purchases)s purchases of %(item)s from supplier %(supplier)s between %(first)s and %(last)s: "
                "each below the direct procurement ceiling of %(ceiling)s (largest %(largest)s), together "
                "%(total)s. Presidential Regulation 16/2018 Article 20 forbids splitting a package to avoid a "
                "tender."
            ),
            {
                "purchases": row["purchases"],
                "item": row["item"],
                "supplier": supplier_code(row["supplier"]),
                "first": f"{row['first']:%d-%m-%Y}",
                "last": f"{row['last']:%d-%m-%Y}",
                "ceiling": Number.rupiah(ceiling),
                "largest": Number.rupiah(row["largest"]),
                "total": Number.rupiah(row["total"]),
            },
        ),
        evidence={
            "line_ids": list(ids),
            "item": row["item"],
            "supplier": supplier_code(row["supplier"]),
            "first": row["first"].isoformat(),
            "last": row["last"].isoformat(),
            "total": row["total"],
            "largest": row["largest"],
            "ceiling": int(ceiling),
        },
        line_ids=ids,
    )


def _spike(row: dict[str, Any]) -> Finding:
    return Finding(
        kind=SPIKE,
        agency=row["agency"],
        key=f"{SPIKE}:{row['year']}",
        year=row["year"],
        title=Text(
            gettext_noop("December %(year)s spending: %(share)s of the year"),
            {"year": row["year"], "share": Number.percent(row["share"])},
        ),
        explanation=Text(
            gettext_noop(
                "In %(year)s, %(share)s of the year's spending (%(december)s of %(total)s) happened in December, "
                "while this agency usually spends %(usual)s then (median of its %(history)s other years)."
            ),
            {
                "year": row["year"],
                "share": Number.percent(row["share"]),
                "december": Number.rupiah(row["december"]),
                "total": Number.rupiah(row["total"]),
                "usual": Number.percent(row["usual"]),
                "history": row["history_years"],
            },
        ),
        evidence={
            "year": row["year"],
            "december": row["december"],
            "total": row["total"],
            "share": round(row["share"], 4),
            "usual_share": round(row["usual"], 4),
            "history_years": row["history_years"],
        },
    )


def _concentration(row: dict[str, Any]) -> Finding:
    return Finding(
        kind=CONCENTRATION,
        agency=row["agency"],
        key=f"{CONCENTRATION}:{row['year']}",
        year=row["year"],
        title=Text(
            gettext_noop("%(year)s spending concentrated on few suppliers (HHI %(hhi)s)"),
            {"year": row["year"], "hhi": Number(row["hhi"], 2)},
        ),
        explanation=Text(
            gettext_noop(
                "The Herfindahl-Hirschman index of suppliers in %(year)s is %(hhi)s (threshold %(threshold)s; 1 "
                "means a single supplier). The largest supplier, %(supplier)s, received %(share)s of that year's "
                "spending among %(suppliers)s suppliers."
            ),
            {
                "year": row["year"],
                "hhi": Number(row["hhi"], 2),
                "threshold": _times(value("hhi_threshold")),
                "supplier": supplier_code(row["top_supplier"]),
                "share": Number.percent(row["top_share"]),
                "suppliers": row["suppliers"],
            },
        ),
        evidence={
            "year": row["year"],
            "hhi": round(row["hhi"], 4),
            "top_share": round(row["top_share"], 4),
            "top_supplier": supplier_code(row["top_supplier"]),
            "suppliers": row["suppliers"],
        },
    )


def _single_bidder(row: dict[str, Any]) -> Finding:
    return Finding(
        kind=SINGLE_BIDDER,
        agency=row["agency"],
        key=f"{SINGLE_BIDDER}:{row['ocid']}",
        year=row["date"].year,
        title=Text(gettext_noop("Tender %(ocid)s with a single bidder"), {"ocid": row["ocid"]}),
        explanation=Text(
            gettext_noop(
                "Process %(ocid)s (%(method)s) received only one bid, worth %(amount)s. The Open Contracting "
                "Partnership's red flags guide marks competition that did not happen."
            ),
            {
                "ocid": row["ocid"],
                "method": Text(gettext_noop("open tender"))
                if row["method"] == "open"
                else Text(gettext_noop("selective tender")),
                "amount": Number.rupiah(row["amount"]),
            },
        ),
        evidence={
            "ocid": row["ocid"],
            "method": row["method"],
            "tenderers": row["tenderers"],
            "amount": row["amount"],
        },
    )


def _direct(row: dict[str, Any]) -> Finding:
    ceiling = value("direct_procurement_ceiling")
    return Finding(
        kind=DIRECT_ABOVE_CEILING,
        agency=row["agency"],
        key=f"{DIRECT_ABOVE_CEILING}:{row['ocid']}",
        year=row["date"].year,
        title=Text(
            gettext_noop("Direct award %(ocid)s above %(ceiling)s"),
            {"ocid": row["ocid"], "ceiling": Number.rupiah(ceiling)},
        ),
        explanation=Text(
            gettext_noop(
                "Process %(ocid)s was awarded without competition (direct method) for %(amount)s, above the "
                "direct procurement ceiling of %(ceiling)s (Presidential Regulation 16/2018 as amended by "
                "Presidential Regulation 12/2021). Lawful exceptions exist (an emergency, for example); its "
                "documents need checking."
            ),
            {"ocid": row["ocid"], "amount": Number.rupiah(row["amount"]), "ceiling": Number.rupiah(ceiling)},
        ),
        evidence={
            "ocid": row["ocid"],
            "method": row["method"],
            "amount": row["amount"],
            "ceiling": int(ceiling),
        },
    )


EXPLAIN = {
    PRICE: _price,
    SPLIT: _split,
    SPIKE: _spike,
    CONCENTRATION: _concentration,
    SINGLE_BIDDER: _single_bidder,
    DIRECT_ABOVE_CEILING: _direct,
}

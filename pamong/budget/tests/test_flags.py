"""The red flags' pure core: hand-made cases a reader can check, and recall / false positives on a small
generated budget with planted anomalies of every kind (the benchmark runs the same at 1,000,000 items)."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.budget import flags, synthetic

CEILING = 200_000_000


def line(
    i,
    *,
    item="kertas (rim)",
    price=100_000,
    qty=1,
    date=dt.date(2025, 3, 1),
    supplier="CV A",
    agency="a",
    region="R1",
):
    return {
        "id": i,
        "agency": agency,
        "region": region,
        "date": date,
        "item": item,
        "quantity": float(qty),
        "unit_price": price,
        "amount": price * qty,
        "supplier": supplier,
    }


def test_thresholds_carry_their_source_and_date():
    loaded = flags.thresholds()
    assert loaded["direct_procurement_ceiling"].value == CEILING
    assert "Perpres 12/2021" in loaded["direct_procurement_ceiling"].basis
    assert loaded["direct_procurement_ceiling"].effective_from == dt.date(2021, 2, 2)
    assert all(t.basis and t.effective_from for t in loaded.values())


def test_no_data_no_flags():
    found = {**flags.flag_lines(flags.lines_frame()), **flags.flag_contracts(flags.contracts_frame())}
    assert {kind: frame.height for kind, frame in found.items()} == dict.fromkeys(flags.KINDS, 0)
    assert flags.findings(found) == []


def test_a_unit_price_three_times_the_median_is_flagged_and_one_and_a_half_times_is_not():
    prices = [95_000, 98_000, 100_000, 100_000, 101_000, 102_000, 99_000, 100_000, 103_000, 97_000]
    rows = [line(i, price=p) for i, p in enumerate(prices, start=1)]
    rows += [line(11, price=300_000), line(12, price=150_000)]
    found = flags.price_outliers(flags.lines_frame(rows))
    assert found["id"].to_list() == [11]
    assert found["typical"].to_list() == [100_000.0]
    assert found["times"].to_list() == [3.0]
    assert found["local"].to_list() == [True]


def test_a_region_with_few_purchases_is_compared_with_the_item_everywhere():
    rows = [line(i, price=100_000, region="R1") for i in range(1, 11)]
    rows += [line(20, price=100_000, region="R2"), line(21, price=400_000, region="R2")]
    found = flags.price_outliers(flags.lines_frame(rows))
    assert found["id"].to_list() == [21]
    assert found["local"].to_list() == [False]
    assert found["peers"].to_list() == [12]


def test_three_purchases_in_ten_days_each_under_the_ceiling_together_over_are_a_split():
    rows = [
        line(1, price=1_000_000, qty=150, date=dt.date(2025, 9, 2)),
        line(2, price=1_000_000, qty=140, date=dt.date(2025, 9, 6)),
        line(3, price=1_000_000, qty=190, date=dt.date(2025, 9, 12)),
        line(4, price=1_000_000, qty=190, date=dt.date(2025, 11, 12)),  # two months later: not part of it
    ]
    found = flags.split_purchases(flags.lines_frame(rows))
    assert found.height == 1
    assert sorted(found["ids"][0].to_list()) == [1, 2, 3]
    assert found["total"].to_list() == [480_000_000]
    assert found["largest"].to_list() == [190_000_000]


@pytest.mark.parametrize(
    ("amounts_and_days", "why"),
    [
        ([(150, 5), (150, 33), (150, 61)], "a monthly payment: 28 days apart"),
        ([(90, 1), (100, 3)], "together under the ceiling"),
        ([(250, 1), (150, 3)], "one purchase over the ceiling (a tender, not a direct purchase)"),
        ([(150, 1)], "one purchase"),
    ],
)
def test_what_is_not_a_split(amounts_and_days, why):
    start = dt.date(2025, 1, 1)
    rows = [
        line(i, price=1_000_000, qty=millions, date=start + dt.timedelta(days=day))
        for i, (millions, day) in enumerate(amounts_and_days, start=1)
    ]
    assert flags.split_purchases(flags.lines_frame(rows)).height == 0, why


def test_purchases_from_two_suppliers_or_of_two_items_are_not_one_split():
    rows = [
        line(1, price=1_000_000, qty=150, date=dt.date(2025, 9, 2), supplier="CV A"),
        line(2, price=1_000_000, qty=150, date=dt.date(2025, 9, 3), supplier="CV B"),
        line(3, price=1_000_000, qty=150, date=dt.date(2025, 9, 4), supplier="CV C", item="tenda (unit)"),
    ]
    assert flags.split_purchases(flags.lines_frame(rows)).height == 0


def spending(agency, year, december_share, total=1_000_000, start=0):
    """Eleven months of equal spending and December taking `december_share` of the year."""
    december = round(total * december_share)
    rest = (total - december) // 11
    rows = [line(start + m, price=rest, date=dt.date(year, m, 10), agency=agency) for m in range(1, 12)]
    return [*rows, line(start + 12, price=december, date=dt.date(year, 12, 10), agency=agency)]


def test_a_december_far_above_the_agencys_own_history_is_a_spike():
    rows = []
    for i, (year, share) in enumerate([(2022, 0.12), (2023, 0.14), (2024, 0.13), (2025, 0.40)]):
        rows += spending("a", year, share, start=i * 100)
    found = flags.year_end_spikes(flags.lines_frame(rows))
    assert found["year"].to_list() == [2025]
    assert found["usual"].to_list() == [pytest.approx(0.13, abs=0.001)]
    assert found["history_years"].to_list() == [3]


def test_a_year_still_running_is_neither_history_nor_flagged():
    rows = []
    for i, (year, share) in enumerate([(2023, 0.12), (2024, 0.13), (2025, 0.40)]):
        rows += spending("a", year, share, start=i * 100)
    rows += spending("a", 2026, 0.0, start=900)[:10]  # January to October 2026 only
    found = flags.year_end_spikes(flags.lines_frame(rows))
    assert found["year"].to_list() == [2025]
    assert found["usual"].to_list() == [pytest.approx(0.125, abs=0.001)]  # 2023 and 2024; 2026 is not history
    assert found["history_years"].to_list() == [2]


def test_an_agency_that_always_spends_a_quarter_in_december_is_not_flagged():
    rows = []
    for i, year in enumerate([2022, 2023, 2024, 2025]):
        rows += spending("a", year, 0.25, start=i * 100)
    assert flags.year_end_spikes(flags.lines_frame(rows)).height == 0


def test_herfindahl_index_of_two_equal_suppliers_is_one_half_and_of_ten_is_a_tenth():
    two = [line(i, supplier=f"S{i % 2}", agency="two") for i in range(10)]
    ten = [line(100 + i, supplier=f"S{i % 10}", agency="ten") for i in range(20)]
    found = flags.supplier_concentration(flags.lines_frame(two + ten))
    assert found["agency"].to_list() == ["two"]
    assert found["hhi"].to_list() == [pytest.approx(0.5)]
    assert found["top_share"].to_list() == [pytest.approx(0.5)]


def test_ocp_indicators_single_bidder_and_direct_award_above_the_ceiling():
    contracts = flags.contracts_frame(
        [
            {
                "id": 1,
                "agency": "a",
                "ocid": "o-1",
                "date": dt.date(2025, 1, 1),
                "method": "open",
                "tenderers": 1,
                "amount": 5 * 10**8,
            },
            {
                "id": 2,
                "agency": "a",
                "ocid": "o-2",
                "date": dt.date(2025, 1, 1),
                "method": "open",
                "tenderers": 4,
                "amount": 5 * 10**8,
            },
            {
                "id": 3,
                "agency": "a",
                "ocid": "o-3",
                "date": dt.date(2025, 1, 1),
                "method": "direct",
                "tenderers": 1,
                "amount": 3 * 10**8,
            },
            {
                "id": 4,
                "agency": "a",
                "ocid": "o-4",
                "date": dt.date(2025, 1, 1),
                "method": "direct",
                "tenderers": 1,
                "amount": CEILING,
            },
            {
                "id": 5,
                "agency": "a",
                "ocid": "o-5",
                "date": dt.date(2025, 1, 1),
                "method": "selective",
                "tenderers": None,
                "amount": 10**9,
            },
        ]
    )
    found = flags.flag_contracts(contracts)
    assert found[flags.SINGLE_BIDDER]["ocid"].to_list() == ["o-1"]
    assert found[flags.DIRECT_ABOVE_CEILING]["ocid"].to_list() == ["o-3"]


@pytest.fixture(scope="module")
def generated():
    budget = synthetic.generate(
        lines=60_000, agencies=20, split_groups=60, spikes=5, concentrated=5, contracts=3_000, seed=7
    )
    flagged = {
        **flags.flag_lines(budget.lines.select(*flags.LINE_SCHEMA)),
        **flags.flag_contracts(budget.contracts),
    }
    return budget, flagged


def test_every_kind_finds_at_least_nine_in_ten_planted_with_at_most_five_percent_false_positives(generated):
    budget, flagged = generated
    scores = {score.kind: score for score in synthetic.evaluate(budget, flagged)}
    assert set(scores) == set(flags.KINDS)
    for kind, score in scores.items():
        assert score.planted > 0, kind
        assert score.recall >= 0.9, (kind, score)
        assert score.false_positive_rate <= 0.05, (kind, score)
        assert score.false_discovery <= 0.05, (kind, score)


def test_evaluation_counts_a_missed_and_a_false_flag():
    budget = synthetic.generate(
        lines=20_000, agencies=10, split_groups=10, spikes=2, concentrated=2, contracts=500, seed=3
    )
    flagged = flags.flag_lines(budget.lines.select(*flags.LINE_SCHEMA))
    planted_price = budget.lines.filter(budget.lines["planted"] == flags.PRICE)["id"].to_list()
    unplanted = budget.lines.filter(budget.lines["planted"].is_null())["id"].head(1)
    price = flagged[flags.PRICE]
    tampered = price.filter(price["id"] != planted_price[0]).vstack(price.head(1).with_columns(id=unplanted))
    before = {s.kind: s for s in synthetic.evaluate(budget, {flags.PRICE: price})}[flags.PRICE]
    after = {s.kind: s for s in synthetic.evaluate(budget, {flags.PRICE: tampered})}[flags.PRICE]
    assert after.found == before.found - 1
    assert after.false_positives == before.false_positives + 1


def test_findings_explain_in_indonesian_and_never_name_a_supplier(generated):
    budget, flagged = generated
    found = flags.findings(flagged)
    assert {f.kind for f in found} == set(flags.KINDS)
    suppliers = set(budget.lines["supplier"].unique().to_list())
    for finding in found:
        text = f"{finding.title} {finding.explanation} {finding.evidence}"
        assert not any(name in text for name in suppliers), finding
    split = next(f for f in found if f.kind == flags.SPLIT)
    assert "di bawah batas pengadaan langsung Rp200.000.000" in str(split.explanation)
    assert split.line_ids and split.key.startswith("pemecahan_paket:")


def test_the_order_of_the_lines_does_not_change_what_is_flagged(generated):
    budget, flagged = generated
    shuffled = budget.lines.select(*flags.LINE_SCHEMA).sample(fraction=1.0, shuffle=True, seed=11)
    again = flags.flag_lines(shuffled)
    assert sorted(again[flags.PRICE]["id"].to_list()) == sorted(flagged[flags.PRICE]["id"].to_list())
    assert sorted(sorted(ids) for ids in again[flags.SPLIT]["ids"].to_list()) == sorted(
        sorted(ids) for ids in flagged[flags.SPLIT]["ids"].to_list()
    )
    for kind in flags.AGENCY_YEAR_KINDS:
        assert (
            again[kind]
            .select("agency", "year")
            .sort("agency", "year")
            .equals(flagged[kind].select("agency", "year").sort("agency", "year"))
        )

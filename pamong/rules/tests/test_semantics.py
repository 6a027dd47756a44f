"""One semantics, two evaluators: each row is an expression, its facts and the value both must give.

None stands for unknown (null). These rows are the documented semantics of docs/rules-language.md.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pamong.rules.tests.helpers import one_value, scalar_value, vector_value

D = dt.date
SEMANTICS = [
    # arithmetic; null propagates; division by zero is unknown
    ("income + 5", {"income": 10}, 15),
    ("income - size", {"income": 10, "size": None}, None),
    ("income * 3", {"income": 7}, 21),
    ("income / size", {"income": 7, "size": 2}, 3.5),
    ("income / size", {"income": 7, "size": 0}, None),
    ("income // size", {"income": -7, "size": 2}, -4),
    ("income // size", {"income": 7, "size": 0}, None),
    ("income % size", {"income": -7, "size": 2}, 1),
    ("income % size", {"income": 7, "size": 0}, None),
    ("ratio / 4", {"ratio": 1.0}, 0.25),
    ("-income", {"income": 5}, -5),
    ("-income", {"income": None}, None),
    # comparisons, chained
    ("income < 10", {"income": 9}, True),
    ("income < 10", {"income": None}, None),
    ("1 <= size <= 3", {"size": 3}, True),
    ("1 <= size <= 3", {"size": 4}, False),
    ("region == '3171'", {"region": "3171"}, True),
    ("born < today", {"born": D(2020, 1, 1), "today": D(2026, 1, 1)}, True),
    # Kleene logic
    ("member and other", {"member": False, "other": None}, False),
    ("member and other", {"member": True, "other": None}, None),
    ("member and other", {"member": None, "other": False}, False),
    ("member or other", {"member": True, "other": None}, True),
    ("member or other", {"member": False, "other": None}, None),
    ("member or other", {"member": None, "other": True}, True),
    ("not member", {"member": None}, None),
    ("not member", {"member": False}, True),
    # conditional: an unknown condition gives unknown
    ("10 if member else 20", {"member": True}, 10),
    ("10 if member else 20", {"member": False}, 20),
    ("10 if member else 20", {"member": None}, None),
    ("10 if member else income", {"member": True, "income": None}, 10),
    # membership
    ("region in ['3171', '3273']", {"region": "3273"}, True),
    ("region not in ['3171', '3273']", {"region": "3273"}, False),
    ("region in ['3171']", {"region": None}, None),
    ("size in [1, 2, 3]", {"size": 4}, False),
    ("ratio in [0.5, 1]", {"ratio": 1.0}, True),
    # functions; any unknown argument gives unknown
    ("min(income, 5, size)", {"income": 10, "size": 3}, 3),
    ("min(income, 5)", {"income": None}, None),
    ("max(born, today)", {"born": D(2020, 1, 1), "today": D(2026, 1, 1)}, D(2026, 1, 1)),
    ("abs(income)", {"income": -12}, 12),
    ("round(ratio)", {"ratio": 2.5}, 2),
    ("round(ratio)", {"ratio": 3.5}, 4),
    ("round(ratio)", {"ratio": -0.5}, 0),
    ("age_on(born, today)", {"born": D(2008, 3, 1), "today": D(2026, 2, 28)}, 17),
    ("age_on(born, today)", {"born": D(2008, 3, 1), "today": D(2026, 3, 1)}, 18),
    ("age_on(born, today)", {"born": D(2008, 2, 29), "today": D(2026, 2, 28)}, 17),
    ("days_between(born, today)", {"born": D(2026, 1, 1), "today": D(2026, 3, 2)}, 60),
    ("days_between(born, today)", {"born": D(2026, 1, 2), "today": D(2026, 1, 1)}, -1),
    ("days_between(born, date('2026-01-31'))", {"born": D(2026, 1, 1)}, 30),
    ("lookup(line, region)", {"region": "3171"}, 800_000),
    ("lookup(line, region)", {"region": "9999"}, None),
    ("lookup(weights, size)", {"size": 2}, 1.5),
    ("income // lookup(line, region)", {"income": 5, "region": "0000"}, None),
]


@pytest.mark.parametrize(("expr", "facts", "expected"), SEMANTICS)
def test_scalar_and_vectorised_give_the_documented_value(expr: str, facts: dict, expected: object) -> None:
    rule_set = one_value(expr)
    assert scalar_value(rule_set, facts) == expected
    assert vector_value(rule_set, facts) == expected


def test_geo_distance_km_jakarta_to_bandung() -> None:
    """Haversine on a 6371.0088 km sphere; the law of cosines gives 116.2366 km too."""
    rule_set = one_value("geo_distance_km(lat, lon, -6.9175, 107.6191)")
    facts = {"lat": -6.2088, "lon": 106.8456}
    assert round(scalar_value(rule_set, facts), 3) == 116.237
    assert round(vector_value(rule_set, facts), 3) == 116.237


def test_polars_boolean_operators_are_kleene() -> None:
    """The vectorised evaluator relies on this; if Polars ever changed it, this test says so."""
    values = [True, False, None]
    df = pl.DataFrame(
        {"a": [a for a in values for _ in values], "b": values * 3}, schema={"a": pl.Boolean, "b": pl.Boolean}
    )
    out = df.select(
        (pl.col("a") & pl.col("b")).alias("and"),
        (pl.col("a") | pl.col("b")).alias("or"),
        (~pl.col("a")).alias("not"),
    )
    assert out["and"].to_list() == [True, False, None, False, False, False, None, False, None]
    assert out["or"].to_list() == [True, True, True, True, False, None, True, None, None]
    assert out["not"].to_list() == [False, False, False, True, True, True, None, None, None]

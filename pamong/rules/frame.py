"""Evaluate a rule set over a Polars frame of applications (lazily; collected by the caller)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import polars as pl

from pamong.rules.errors import RuleError
from pamong.rules.types import BOOL, DATE, INTEGRAL, NUMBER, POLARS_DTYPES, STR
from pamong.rules.vector import DERIVED_PREFIX, RULE_PREFIX, SCORE_PREFIX, outcome_exprs, to_polars

if TYPE_CHECKING:
    from pamong.rules.model import Fact, RuleSet, Table

TableInput = Mapping[object, object] | pl.DataFrame


def evaluate_lazy(
    rule_set: RuleSet,
    df: pl.DataFrame | pl.LazyFrame,
    tables: Mapping[str, TableInput],
    impact_level: int,
    keep: Sequence[str],
    open_breakers: Collection[str],
    include_values: bool,
) -> pl.LazyFrame:
    lazy = df.lazy() if isinstance(df, pl.DataFrame) else df
    schema = lazy.collect_schema()
    lookups = {
        name: _table_series(table, tables, rule_set.source_file) for name, table in rule_set.tables.items()
    }
    inputs = [_fact_column(fact, schema, rule_set.source_file) for fact in rule_set.facts.values()]
    # Text facts given as Enum columns stay coded: lookups and equality then work on the codes.
    coded = {
        fact.name: schema[fact.name]
        for fact in rule_set.facts.values()
        if fact.type == STR and isinstance(schema.get(fact.name), pl.Enum)
    }
    lazy = lazy.select([pl.col(k) for k in keep] + inputs)
    for name, derived in rule_set.derived.items():  # in order: a derived value may use earlier ones
        value = to_polars(derived.tree, lookups, coded).cast(POLARS_DTYPES[derived.type])
        lazy = lazy.with_columns(value.alias(DERIVED_PREFIX + name))
    rule_cols = [
        to_polars(r.tree, lookups, coded).cast(pl.Boolean).alias(RULE_PREFIX + r.id) for r in rule_set.rules
    ]
    score_cols = [
        to_polars(s.tree, lookups, coded).cast(POLARS_DTYPES[s.type]).alias(SCORE_PREFIX + name)
        for name, s in rule_set.scores.items()
    ]
    lazy = lazy.with_columns(rule_cols + score_cols)
    deny = [r.id for r in rule_set.rules if r.on_fail == "deny" and r.id not in open_breakers]
    refer = [r.id for r in rule_set.rules if r.on_fail == "refer" or r.id in open_breakers]
    lazy = lazy.with_columns(outcome_exprs(deny, refer, impact_level))
    values = [DERIVED_PREFIX + name for name in rule_set.derived] if include_values else []
    names = [RULE_PREFIX + r.id for r in rule_set.rules] + [SCORE_PREFIX + s for s in rule_set.scores]
    return lazy.select([*keep, *names, *values, "outcome", "proposed"])


def _fact_column(fact: Fact, schema: pl.Schema, file: str) -> pl.Expr:
    """The fact's column in the engine's dtype; a missing column is all unknown (as a missing dict key)."""
    target = POLARS_DTYPES[fact.type]
    if fact.name not in schema:
        return pl.lit(None, dtype=target).alias(fact.name)
    dtype = schema[fact.name]
    accepted = {
        BOOL: dtype == pl.Boolean or dtype == pl.Null,
        STR: dtype in (pl.String, pl.Categorical, pl.Null) or isinstance(dtype, pl.Enum),
        DATE: dtype in (pl.Date, pl.Null),
        NUMBER: dtype.is_numeric() or dtype == pl.Null,
    }.get(fact.type, dtype.is_integer() or dtype == pl.Null)
    if not accepted or (fact.type in INTEGRAL and dtype.is_float()):
        raise RuleError(
            f"column '{fact.name}' has dtype {dtype}, but the fact is {fact.type}",
            file=file,
            field=f"facts.{fact.name}",
        )
    if fact.type == STR and isinstance(dtype, pl.Enum):
        return pl.col(fact.name)  # kept coded; the compiler turns it into text where it must
    column = pl.col(fact.name).cast(target)
    if fact.type == NUMBER and dtype.is_float():
        column = column.fill_nan(None)  # NaN is not a value here: treat it as unknown, like None
    return column


def _table_series(table: Table, tables: Mapping[str, TableInput], file: str) -> tuple[pl.Series, pl.Series]:
    if table.name not in tables:
        raise RuleError(f"tables not supplied: {table.name}", file=file, field="tables")
    supplied = tables[table.name]
    key_type, value_type = POLARS_DTYPES[table.key_type], POLARS_DTYPES[table.value_type]
    try:
        if isinstance(supplied, pl.DataFrame):
            return supplied["key"].cast(key_type, strict=True), supplied["value"].cast(
                value_type, strict=True
            )
        return (
            pl.Series(list(supplied.keys()), dtype=key_type, strict=True),
            pl.Series(list(supplied.values()), dtype=value_type, strict=True),
        )
    except (pl.exceptions.PolarsError, TypeError, ValueError) as exc:
        message = f"table '{table.name}' must map {table.key_type} to {table.value_type}: {exc}"
        raise RuleError(message[:300], file=file, field="tables") from None

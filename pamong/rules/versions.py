"""Which version is in force on a date, and whether a service's versions leave gaps or overlap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise

from pamong.rules.errors import RuleError
from pamong.rules.model import RuleSet

ONE_DAY = dt.timedelta(days=1)


def check_versions(rule_sets: Sequence[RuleSet]) -> list[RuleError]:
    """Problems in one service's versions: mixed services, duplicate ids, overlaps and gaps.

    A version without ``effective_until`` is in force until the next version takes effect; one with
    ``effective_until`` (inclusive) must be followed by a version from the next day on.
    """
    errors: list[RuleError] = []
    services = sorted({rs.service for rs in rule_sets})
    if len(services) > 1:
        errors.append(RuleError(f"versions of different services in one directory: {', '.join(services)}"))
    seen: dict[str, RuleSet] = {}
    for rs in rule_sets:
        if rs.version_id in seen:
            message = (
                f"version '{rs.version_id}' is defined twice (also in {seen[rs.version_id].source_file})"
            )
            errors.append(RuleError(message, file=rs.source_file))
        seen[rs.version_id] = rs
    ordered = sorted(rule_sets, key=lambda rs: (rs.effective_from, rs.version_id))
    for before, after in pairwise(ordered):
        problem = _between(before, after)
        if problem:
            errors.append(RuleError(problem, file=after.source_file, field="effective_from"))
    return errors


def _between(before: RuleSet, after: RuleSet) -> str | None:
    if before.effective_from == after.effective_from:
        return (
            f"versions '{before.version_id}' and '{after.version_id}' overlap: "
            f"both take effect on {after.effective_from.isoformat()}"
        )
    until = before.effective_until
    if until is None:
        return None
    if until >= after.effective_from:
        return (
            f"versions '{before.version_id}' and '{after.version_id}' overlap from "
            f"{after.effective_from.isoformat()} to {until.isoformat()}"
        )
    if until + ONE_DAY < after.effective_from:
        return (
            f"gap between versions '{before.version_id}' and '{after.version_id}': no version is in force from "
            f"{(until + ONE_DAY).isoformat()} to {(after.effective_from - ONE_DAY).isoformat()}"
        )
    return None


def select_version(rule_sets: Sequence[RuleSet], on_date: dt.date) -> RuleSet:
    """The version in force on ``on_date``: of those whose period covers it, the one that took effect last."""
    covering = [rs for rs in rule_sets if rs.in_force_on(on_date)]
    if not covering:
        service = rule_sets[0].service if rule_sets else "?"
        raise RuleError(f"no rule-set version of '{service}' is in force on {on_date.isoformat()}")
    return max(covering, key=lambda rs: (rs.effective_from, rs.version_id))

"""Which version is in force on a date, and whether a service's versions leave gaps or overlap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise

from pamong.rules.errors import RuleError, said
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
        errors.append(
            RuleError(
                "versions of different services in one directory: %(services)s",
                params={"services": ", ".join(services)},
            )
        )
    seen: dict[str, RuleSet] = {}
    for rs in rule_sets:
        if rs.version_id in seen:
            message = "version '%(version)s' is defined twice (also in %(file)s)"
            params = {"version": rs.version_id, "file": seen[rs.version_id].source_file}
            errors.append(RuleError(message, file=rs.source_file, params=params))
        seen[rs.version_id] = rs
    ordered = sorted(rule_sets, key=lambda rs: (rs.effective_from, rs.version_id))
    for before, after in pairwise(ordered):
        problem = _between(before, after)
        if problem:
            errors.append(
                RuleError(
                    problem["text"], file=after.source_file, field="effective_from", params=problem["params"]
                )
            )
    return errors


def _between(before: RuleSet, after: RuleSet) -> dict | None:
    versions = {"before": before.version_id, "after": after.version_id}
    if before.effective_from == after.effective_from:
        return said(
            "versions '%(before)s' and '%(after)s' overlap: both take effect on %(date)s",
            **versions,
            date=after.effective_from.isoformat(),
        )
    until = before.effective_until
    if until is None:
        return None
    if until >= after.effective_from:
        return said(
            "versions '%(before)s' and '%(after)s' overlap from %(start)s to %(end)s",
            **versions,
            start=after.effective_from.isoformat(),
            end=until.isoformat(),
        )
    if until + ONE_DAY < after.effective_from:
        return said(
            "gap between versions '%(before)s' and '%(after)s': no version is in force from %(start)s to %(end)s",
            **versions,
            start=(until + ONE_DAY).isoformat(),
            end=(after.effective_from - ONE_DAY).isoformat(),
        )
    return None


def select_version(rule_sets: Sequence[RuleSet], on_date: dt.date) -> RuleSet:
    """The version in force on ``on_date``: of those whose period covers it, the one that took effect last."""
    covering = [rs for rs in rule_sets if rs.in_force_on(on_date)]
    if not covering:
        service = rule_sets[0].service if rule_sets else "?"
        raise RuleError(
            "no rule-set version of '%(service)s' is in force on %(date)s",
            params={"service": service, "date": on_date.isoformat()},
        )
    return max(covering, key=lambda rs: (rs.effective_from, rs.version_id))

"""Which rule-set version decides an application: the one in force on the filing date, from the service's pack.

Rule sets are loaded once per process (they are immutable once published; a new version is a new file).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from django.conf import settings

from pamong.rules import RuleSet, load_rule_sets, select_version


@cache
def rule_sets_for(service_slug: str) -> tuple[RuleSet, ...]:
    directory = Path(settings.PACKS_DIR) / service_slug / "rules"
    return tuple(load_rule_sets(directory)) if directory.is_dir() else ()


def rule_set_in_force(service_slug: str, on_date: dt.date) -> RuleSet | None:
    rule_sets = rule_sets_for(service_slug)
    return select_version(list(rule_sets), on_date) if rule_sets else None

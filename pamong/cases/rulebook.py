"""Which rule-set version decides an application: the one in force on the filing date, from the service's pack
plus the versions published through the oversight sandbox (four-eyes approved), which oversight supplies
through the safeguards port.

Rule sets are immutable once published: pack files are loaded once per process, published drafts are parsed once
per content hash (one small query per call tells which are published).
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings

from pamong.rules import RuleSet, load_rule_set_text, load_rule_sets, select_version

from . import safeguards


@cache
def pack_rule_sets(service_slug: str) -> tuple[RuleSet, ...]:
    directory = Path(settings.PACKS_DIR) / service_slug / "rules"
    return tuple(load_rule_sets(directory)) if directory.is_dir() else ()


@lru_cache(maxsize=256)
def _published(draft_id: int, content_hash: str, yaml_text: str) -> RuleSet:
    return load_rule_set_text(yaml_text, filename=f"<published draft {draft_id}>")


def rule_sets_for(service_slug: str) -> tuple[RuleSet, ...]:
    published = tuple(_published(*row) for row in safeguards.current().published_rule_versions(service_slug))
    return pack_rule_sets(service_slug) + published


def rule_set_in_force(service_slug: str, on_date: dt.date) -> RuleSet | None:
    rule_sets = rule_sets_for(service_slug)
    return select_version(list(rule_sets), on_date) if rule_sets else None

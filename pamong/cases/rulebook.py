"""Which rule-set version decides an application: the one in force on the filing date, from the service's pack
plus the versions published through the oversight sandbox (four-eyes approved), which oversight supplies
through the safeguards port. Of the pack's files only the baseline versions (pamong.catalog.models.PackRuleVersion)
are read: a version added to a pack later takes effect only through the same four-eyes publication.

Rule sets are immutable once published: pack files are loaded once per process, published drafts are parsed once
per content hash (one small query per call tells which are published).
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings

from pamong.catalog import selectors as catalog_selectors
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
    """The pack's baseline versions (in force since installation) and the published ones. A pack version loaded
    later is not read from its file: it decides only once published after four-eyes approval (issue 13)."""
    baseline = catalog_selectors.baseline_rule_versions(service_slug)
    in_pack = tuple(r for r in pack_rule_sets(service_slug) if (r.version_id, r.content_hash) in baseline)
    published = tuple(_published(*row) for row in safeguards.current().published_rule_versions(service_slug))
    return in_pack + published


def rule_set_in_force(service_slug: str, on_date: dt.date) -> RuleSet | None:
    rule_sets = rule_sets_for(service_slug)
    return select_version(list(rule_sets), on_date) if rule_sets else None

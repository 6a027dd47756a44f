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
from django.utils import timezone
from django.utils.translation import get_language, gettext

from pamong.catalog import selectors as catalog_selectors
from pamong.core import generations
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
    later is not read from its file: it decides only once published after four-eyes approval (issue 13). Read
    once per generation of the "rules" tables (pamong.core.generations)."""
    # The pack directory and the installed safeguards (swapped by tests) are part of what is read, so of the key.
    key = ("rule_sets", service_slug, str(settings.PACKS_DIR), safeguards.current())
    return generations.cached("rules", key, lambda: _read_rule_sets(service_slug))


def _read_rule_sets(service_slug: str) -> tuple[RuleSet, ...]:
    baseline = catalog_selectors.baseline_rule_versions(service_slug)
    in_pack = tuple(r for r in pack_rule_sets(service_slug) if (r.version_id, r.content_hash) in baseline)
    published = tuple(_published(*row) for row in safeguards.current().published_rule_versions(service_slug))
    return in_pack + published


def rule_set_in_force(service_slug: str, on_date: dt.date) -> RuleSet | None:
    rule_sets = rule_sets_for(service_slug)
    return select_version(list(rule_sets), on_date) if rule_sets else None


class RuleTitles(dict[str, str]):
    """Rule id -> title in the reader's language; an id no version knows gets a humane fallback, not the id."""

    def __missing__(self, rule_id: str) -> str:
        return unknown_rule_title(rule_id)


def rule_titles(service_slug: str) -> RuleTitles:
    """The titles of a service's rules as a reader sees them (the one lookup for every page that names a rule).

    Every version is read (the pack's files, also those awaiting four eyes, and the published ones), so a rule
    dropped from the version in force keeps the title of the version it came from. When versions differ, a
    version that decides (rule_sets_for) wins over one that does not, then the one in force today, then the
    newest. Under English the rule's ``title_en`` when the version gives one, else its Indonesian title (the
    legal wording). A rule no version titles gets unknown_rule_title."""
    english = (get_language() or settings.LANGUAGE_CODE).startswith("en")
    deciding = rule_sets_for(service_slug)
    decides = {r.content_hash for r in deciding}
    today = timezone.localdate()
    versions = sorted(
        {r.content_hash: r for r in (*pack_rule_sets(service_slug), *deciding)}.values(),
        key=lambda r: (r.content_hash in decides, r.in_force_on(today), r.effective_from, r.version_id),
    )
    titles = RuleTitles()
    for rule_set in versions:  # later wins: the version in force is last
        for rule in rule_set.rules:
            title = (rule.title_en if english and rule.title_en else rule.title).strip()
            if title and title != rule.id:
                titles[rule.id] = title
    return titles


def unknown_rule_title(rule_id: str) -> str:
    """A rule no version of the service's rules names, or names without a title: never the bare identifier on a
    page, but its words, marked as such, so two unknown rules stay apart and the analyst can still tell which."""
    words = rule_id.replace("_", " ").strip().capitalize() or "?"
    return gettext("%(words)s (no title in the rules)") % {"words": words}

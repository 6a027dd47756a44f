"""The safeguards port: what the decision path asks of the oversight layer above it, without importing it.

`cases` sits below `oversight` (docs/ARCHITECTURE.md, "Layers"), yet a decision must respect the circuit breakers
that oversight opens, use the rule versions it publishes, and be counted by its spike detection. So `cases`
declares this small port with a default that asks nothing of anyone, and oversight installs its own
implementation in `OversightConfig.ready()` (the shape of saleor's plugin manager: the core calls a manager,
plugins register). Tests may install a fake with `installed(...)`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol


class Safeguards(Protocol):
    def open_breaker_rule_ids(self, *, service_slug: str, region_code: str) -> frozenset[str]:
        """Rule ids of this service whose breaker is open for this region: their DENY becomes REFER."""

    def published_rule_versions(self, service_slug: str) -> Sequence[tuple[int, str, str]]:
        """(id, content hash, YAML) of rule-set versions published after four-eyes approval."""

    def decision_recorded(self, decision: Any, *, rerun: bool) -> None:
        """A rules evaluation was recorded (in its transaction): count it, check for spikes."""

    def rule_flagged(self, flag: Any) -> bool:
        """A case officer flagged a rule (in its transaction). True when this opened a provisional breaker."""

    def review_decided(self, decision: Any) -> None:
        """An officer decided a case the rules had proposed (in its transaction): watch review patterns."""


class NoOversight:
    """The default when no oversight is installed: no breaker is open, no version was published beyond the
    packs, and nobody counts decisions. Deciding by the published pack rules alone is the safe baseline."""

    def open_breaker_rule_ids(self, *, service_slug: str, region_code: str) -> frozenset[str]:
        return frozenset()

    def published_rule_versions(self, service_slug: str) -> Sequence[tuple[int, str, str]]:
        return ()

    def decision_recorded(self, decision: Any, *, rerun: bool) -> None:
        return None

    def rule_flagged(self, flag: Any) -> bool:
        return False

    def review_decided(self, decision: Any) -> None:
        return None


_installed: Safeguards = NoOversight()


def install(safeguards: Safeguards) -> None:
    global _installed
    _installed = safeguards


def current() -> Safeguards:
    return _installed


@contextmanager
def installed(safeguards: Safeguards) -> Iterator[Safeguards]:
    """Install `safeguards` for the duration of a block (tests), then restore what was there."""
    previous = current()
    install(safeguards)
    try:
        yield safeguards
    finally:
        install(previous)

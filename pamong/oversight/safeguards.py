"""Oversight's side of the cases safeguards port (pamong.cases.safeguards), installed in OversightConfig.ready():
open circuit breakers hold their rules, published drafts join the rule versions, every evaluation is counted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import guard, selectors, services


class OversightSafeguards:
    def open_breaker_rule_ids(self, *, service_slug: str, region_code: str) -> frozenset[str]:
        return selectors.open_breaker_rule_ids(service_slug=service_slug, region_code=region_code)

    def published_rule_versions(self, service_slug: str) -> Sequence[tuple[int, str, str]]:
        return selectors.published_drafts(service_slug)

    def decision_recorded(self, decision: Any, *, rerun: bool) -> None:
        # A re-run is counted but does not itself trigger a spike check (the re-run is the response to one).
        services.observe_decision(decision, rerun=rerun, check=not rerun)

    def rule_flagged(self, flag: Any) -> bool:
        return guard.flag_received(flag)

    def review_decided(self, decision: Any) -> None:
        guard.review_decided(decision)

"""Reads of the catalog."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from pamong.core.errors import NotFound, gettext_noop

from . import search
from .models import Agency, PackRuleVersion, Service


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.order_by("name")


def service_list(*, query: str = "", agency: str = "") -> list[Service]:
    """Services matching every filter; with a query, ranked by how many of its root words they contain."""
    services = Service.objects.select_related("agency").order_by("name")
    if agency:
        services = services.filter(agency__slug=agency)
    if not query.strip():
        return list(services)
    roots = search.stems(query)
    if not roots:
        return []
    matching = Q()
    for root in roots:
        matching |= Q(search_terms__contains=f" {root} ")
    ranked = [(search.score(roots, service.search_terms), service) for service in services.filter(matching)]
    ranked.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [service for _, service in ranked]


def service_get(*, slug: str) -> Service:
    service = Service.objects.select_related("agency").filter(slug=slug).first()
    if service is None:
        raise NotFound(
            gettext_noop("Service '%(slug)s' not found."), code="service_not_found", params={"slug": slug}
        )
    return service


def baseline_rule_versions(service_slug: str) -> set[tuple[str, str]]:
    """(version, content hash) of the pack rule versions in force since installation: only these are read from
    the pack's files to decide; a later version decides only once published after four-eyes approval."""
    return set(
        PackRuleVersion.objects.filter(
            service__slug=service_slug, status=PackRuleVersion.Status.BASELINE
        ).values_list("version_id", "content_hash")
    )


def pending_rule_versions(service_ids) -> QuerySet[PackRuleVersion]:
    """Pack rule versions loaded since installation that no second person has approved yet."""
    return PackRuleVersion.objects.filter(
        service_id__in=service_ids, status=PackRuleVersion.Status.PENDING
    ).select_related("service")

"""Writes to the catalog. Services come only from service packs; a pack set with any problem loads nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from pamong.audit import services as audit

from . import search
from .models import Agency, Service
from .packs import AgencySpec, LoadedPack, PackInvalid, read_pack_set


@dataclass(frozen=True)
class LoadReport:
    agencies: int
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def load_packs(*, root: Path, actor=None, only: list[Path] | None = None) -> LoadReport:
    """Validate every pack under `root`, then write all of them in one transaction (or nothing)."""
    pack_set = read_pack_set(root, only=only)
    if pack_set.problems:
        raise PackInvalid(pack_set.problems)
    with transaction.atomic():
        agencies = {spec.slug: _upsert_agency(spec) for spec in pack_set.agencies}
        created, updated, unchanged = [], [], []
        for pack in pack_set.packs:
            outcome = _upsert_service(pack, agencies[pack.service.agency])
            {"created": created, "updated": updated, "unchanged": unchanged}[outcome].append(
                pack.service.slug
            )
            if outcome != "unchanged":
                audit.record_event(
                    actor=actor,
                    action=audit.Action.CATALOG_SERVICE_LOADED,
                    subject=f"catalog.service:{pack.service.slug}",
                    data={
                        "outcome": outcome,
                        "pack_hash": pack.content_hash,
                        "impact_assessment": pack.assessment.as_record(),
                    },
                )
    return LoadReport(agencies=len(agencies), created=created, updated=updated, unchanged=unchanged)


def _upsert_agency(spec: AgencySpec) -> Agency:
    agency, _ = Agency.objects.update_or_create(slug=spec.slug, defaults=spec.model_dump(exclude={"slug"}))
    return agency


def _upsert_service(pack: LoadedPack, agency: Agency) -> str:
    spec = pack.service
    existing = Service.objects.filter(slug=spec.slug).only("pack_hash").first()
    if existing and existing.pack_hash == pack.content_hash:
        return "unchanged"
    fields = spec.model_dump(mode="json", exclude={"slug", "agency", "form", "impact_level"})
    fields.update(
        agency=agency,
        impact_level=pack.assessment.level,  # computed from the assessment; a declared level was only checked
        impact_assessment=pack.assessment.as_record(),
        form_fields=[form_field.model_dump(mode="json") for form_field in spec.form],
        pack_hash=pack.content_hash,
        search_terms=search.index_text(
            [spec.name, spec.name_en, spec.summary, spec.category, *spec.keywords]
        ),
    )
    Service.objects.update_or_create(slug=spec.slug, defaults=fields)
    return "updated" if existing else "created"

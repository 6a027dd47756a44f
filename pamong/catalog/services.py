"""Writes to the catalog. Services come only from service packs; a pack set with any problem loads nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from pamong.audit import services as audit
from pamong.rules import load_rule_sets

from . import search
from .models import Agency, PackRuleVersion, Service
from .packs import AgencySpec, LoadedPack, PackInvalid, PackProblem, read_pack_set


@dataclass(frozen=True)
class LoadReport:
    agencies: int
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    pending_rules: list[str] = field(default_factory=list)  # "service version": waiting for a second approver


def load_packs(*, root: Path, actor=None, only: list[Path] | None = None) -> LoadReport:
    """Validate every pack under `root`, then write all of them in one transaction (or nothing)."""
    pack_set = read_pack_set(root, only=only)
    if pack_set.problems:
        raise PackInvalid(pack_set.problems)
    with transaction.atomic():
        installing = not PackRuleVersion.objects.exists()  # the first load ever: the packs are the baseline
        agencies = {spec.slug: _upsert_agency(spec) for spec in pack_set.agencies}
        created, updated, unchanged, pending = [], [], [], []
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
            pending += _record_rule_versions(pack, root, actor, installing=installing)
    return LoadReport(
        agencies=len(agencies), created=created, updated=updated, unchanged=unchanged, pending_rules=pending
    )


def _record_rule_versions(pack: LoadedPack, root: Path, actor, *, installing: bool) -> list[str]:
    """Record each rule-set version of the pack. A version new since installation waits for four eyes
    (pamong.oversight publishes it once a second person approves); a version that already took effect may not
    change under the same name (the whole load is refused, naming the file)."""
    directory = pack.directory / "rules"
    service = Service.objects.get(slug=pack.service.slug)
    known = {row.version_id: row for row in PackRuleVersion.objects.filter(service=service)}
    pending, problems = [], []
    for rule_set in load_rule_sets(directory) if directory.is_dir() else ():
        file_name = Path(rule_set.source_file).name if rule_set.source_file else ""
        row = known.get(rule_set.version_id)
        if row is not None and row.content_hash == rule_set.content_hash:
            if row.status == PackRuleVersion.Status.PENDING:
                pending.append(f"{service.slug} {rule_set.version_id}")
            continue
        if row is not None and row.status != PackRuleVersion.Status.PENDING:
            display = f"{root.name}/{pack.directory.name}/rules/{file_name}"
            message = (
                f"version '{rule_set.version_id}' already took effect with another content ({row.content_hash[:19]}"
                "…): a rule version is never edited; write a new version with its own version and effective_from"
            )
            problems.append(PackProblem(display, 1, "version", message))
            continue
        status = PackRuleVersion.Status.BASELINE if installing else PackRuleVersion.Status.PENDING
        PackRuleVersion.objects.update_or_create(
            service=service,
            version_id=rule_set.version_id,
            defaults={
                "content_hash": rule_set.content_hash,
                "file_name": file_name,
                "status": status,
                "loaded_at": timezone.now(),
            },
        )
        audit.record_event(
            actor=actor,
            action=audit.Action.CATALOG_RULES_LOADED,
            subject=f"rules.rule_set:{service.slug}:{rule_set.version_id}",
            data={"status": status, "content_hash": rule_set.content_hash, "file": file_name},
        )
        if status == PackRuleVersion.Status.PENDING:
            pending.append(f"{service.slug} {rule_set.version_id}")
    if problems:
        raise PackInvalid(problems)  # inside the load's transaction: nothing of this load is kept
    return pending


def mark_rule_version_approved(*, service: Service, version_id: str, content_hash: str) -> bool:
    """The oversight layer published a pending pack version after four-eyes approval (in its transaction)."""
    updated = PackRuleVersion.objects.filter(
        service=service,
        version_id=version_id,
        content_hash=content_hash,
        status=PackRuleVersion.Status.PENDING,
    ).update(status=PackRuleVersion.Status.APPROVED, approved_at=timezone.now())
    return bool(updated)


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

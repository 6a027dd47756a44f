"""Writes of the budget module (CONVENTIONS §2): imports, raising red flags, dismissing them. Each runs in one
transaction with its audit entry; files are read and checked before the transaction opens (gather, then write)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.catalog.models import Agency
from pamong.core.errors import Conflict, InvalidTransition, PermissionDenied, Text, ValidationFailed, stored
from pamong.staffing.routing import notify_staff

from . import csvfile, flags, ocds
from .models import BudgetImport, BudgetLine, Contract, Flag

logger = logging.getLogger(__name__)
MIN_REASON = 20


class BudgetFileInvalid(ValidationFailed):
    code = "budget_file_invalid"


@dataclass(frozen=True)
class RaiseReport:
    raised: list[Flag]
    already_known: int


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse(problems: list[csvfile.Problem], file_name: str) -> BudgetFileInvalid:
    first = problems[0]
    return BudgetFileInvalid(
        _(
            "File %(file)s was not imported: %(count)s problems, the first %(first)s. "
            "Correct the file and import it again; no row was saved."
        )
        % {"file": file_name, "count": len(problems), "first": first},
        details=[problem.as_dict() for problem in problems],
    )


def _check_new(agency: Agency, kind: str, sha256: str, file_name: str) -> None:
    if BudgetImport.objects.filter(agency=agency, kind=kind, sha256=sha256).exists():
        raise Conflict(
            _("File %(file)s with the same content was already imported for %(agency)s.")
            % {"file": file_name, "agency": agency.name},
            code="budget_already_imported",
        )


def import_budget_csv(data: bytes, *, agency: Agency, actor, file_name: str) -> BudgetImport:
    """Import a budget / realisation CSV (pamong/budget/csvfile.py): every row is checked first; one problem
    and nothing is stored. The same content twice for one agency is refused."""
    rows, problems = csvfile.read(data, file=file_name)
    if problems:
        raise _refuse(problems, file_name)
    sha256 = _sha256(data)
    _check_new(agency, BudgetImport.Kind.CSV, sha256, file_name)
    with transaction.atomic():
        try:
            source = BudgetImport.objects.create(
                agency=agency,
                kind=BudgetImport.Kind.CSV,
                file_name=file_name[:255],
                sha256=sha256,
                rows=len(rows),
                imported_at=timezone.now(),
                imported_by=audit.actor_label(actor),
            )
        except IntegrityError:
            raise Conflict(
                _("File %(file)s is being or has been imported.") % {"file": file_name},
                code="budget_already_imported",
            ) from None
        BudgetLine.objects.bulk_create(
            (
                BudgetLine(
                    agency=agency,
                    source=source,
                    line_no=row.line,
                    kind=row.kind,
                    year=row.year,
                    date=row.date,
                    program_code=row.program_code,
                    program=row.program,
                    activity_code=row.activity_code,
                    activity=row.activity,
                    sub_activity_code=row.sub_activity_code,
                    sub_activity=row.sub_activity,
                    account_code=row.account_code,
                    account=row.account,
                    item=row.item,
                    unit=row.unit,
                    quantity=row.quantity,
                    unit_price=row.unit_price,
                    amount=row.amount,
                    supplier=row.supplier,
                )
                for row in rows
            ),
            batch_size=2000,
        )
        audit.record_event(
            actor=actor,
            action=Action.BUDGET_IMPORTED,
            subject=f"budget:import:{source.pk}",
            data={
                "agency": agency.slug,
                "kind": source.kind,
                "file": source.file_name,
                "sha256": sha256,
                "rows": len(rows),
                "plan_rows": sum(1 for r in rows if r.kind == BudgetLine.Kind.PLAN),
                "realisation_rows": sum(1 for r in rows if r.kind == BudgetLine.Kind.REALISATION),
            },
        )
    return source


def import_ocds(data: bytes, *, agency: Agency, actor, file_name: str) -> BudgetImport:
    """Import procurement processes from an OCDS file (pamong/budget/ocds.py); a process already imported for the
    agency (same ocid) is refused, so a later package must carry only new processes."""
    processes, problems = ocds.read(data, file=file_name)
    if problems:
        raise _refuse(problems, file_name)
    sha256 = _sha256(data)
    _check_new(agency, BudgetImport.Kind.OCDS, sha256, file_name)
    known = set(
        Contract.objects.filter(agency=agency, ocid__in=[p.ocid for p in processes]).values_list(
            "ocid", flat=True
        )
    )
    if known:
        raise Conflict(
            _("File %(file)s: %(count)s processes were already imported (for example %(example)s).")
            % {"file": file_name, "count": len(known), "example": sorted(known)[0]},
            code="budget_already_imported",
        )
    with transaction.atomic():
        source = BudgetImport.objects.create(
            agency=agency,
            kind=BudgetImport.Kind.OCDS,
            file_name=file_name[:255],
            sha256=sha256,
            rows=len(processes),
            imported_at=timezone.now(),
            imported_by=audit.actor_label(actor),
        )
        Contract.objects.bulk_create(
            Contract(
                agency=agency,
                source=source,
                ocid=p.ocid,
                title=p.title,
                date=p.date,
                method=p.method,
                tenderers=p.tenderers,
                amount=p.amount,
                release=p.compiled,
            )
            for p in processes
        )
        audit.record_event(
            actor=actor,
            action=Action.BUDGET_IMPORTED,
            subject=f"budget:import:{source.pk}",
            data={
                "agency": agency.slug,
                "kind": source.kind,
                "file": source.file_name,
                "sha256": sha256,
                "rows": len(processes),
            },
        )
    return source


# --- red flags --------------------------------------------------------------------------------------------------


def realisation_frame(agency_ids: list[int] | None = None) -> pl.DataFrame:
    """Every realisation line (of the given agencies, else all) as the flags' input. Prices are compared across
    agencies of a region, so `raise_flags` reads every agency's lines."""
    lines = BudgetLine.objects.filter(kind=BudgetLine.Kind.REALISATION)
    if agency_ids is not None:
        lines = lines.filter(agency_id__in=agency_ids)
    rows = lines.values_list(
        "id",
        "agency__slug",
        "agency__region_code",
        "date",
        "item",
        "unit",
        "quantity",
        "unit_price",
        "amount",
        "supplier",
    ).iterator(chunk_size=10_000)
    columns = list(zip(*rows, strict=True)) or [()] * 10
    ids, agencies, regions, dates, items, units, quantities, unit_prices, amounts, suppliers = columns
    return pl.DataFrame(
        {
            "id": ids,
            "agency": agencies,
            "region": regions,
            "date": dates,
            "item": [csvfile.item_key(item, unit) for item, unit in zip(items, units, strict=True)],
            "quantity": [float(q) for q in quantities],
            "unit_price": unit_prices,
            "amount": amounts,
            "supplier": suppliers,
        },
        schema=flags.LINE_SCHEMA,
    )


def contracts_frame() -> pl.DataFrame:
    rows = Contract.objects.values_list("id", "agency__slug", "ocid", "date", "method", "tenderers", "amount")
    return flags.contracts_frame(
        [
            {
                "id": pk,
                "agency": slug,
                "ocid": ocid,
                "date": date,
                "method": method,
                "tenderers": tenderers,
                "amount": amount,
            }
            for pk, slug, ocid, date, method, tenderers, amount in rows
        ]
    )


def raise_flags(*, actor) -> RaiseReport:
    """Run every red flag over all imported data; each finding not yet known becomes an open flag in the APIP
    queue with its audit entry (a dismissed flag is not raised again: the same key is the same pattern).
    Auditors are told once per run that new flags wait."""
    found = flags.findings(
        {**flags.flag_lines(realisation_frame()), **flags.flag_contracts(contracts_frame())}
    )
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in={f.agency for f in found})}
    known = set(Flag.objects.filter(key__in=[f.key for f in found]).values_list("agency__slug", "key"))
    fresh = [f for f in found if (f.agency, f.key) not in known]
    try:
        raised = _record_flags(fresh, agencies, actor=actor)
    except IntegrityError:  # another run recorded the same flags meanwhile (unique agency + key)
        raise Conflict(
            _("Budget flags are being raised by another run; run again in a moment."),
            code="flags_running",
        ) from None
    return RaiseReport(raised=raised, already_known=len(found) - len(fresh))


def in_indonesian(text: Text) -> str:
    """The Bahasa Indonesia form kept in a flag's title and explanation columns (search, exports)."""
    with override("id"):
        return str(text)


def _record_flags(fresh: list[flags.Finding], agencies: dict[str, Agency], *, actor) -> list[Flag]:
    raised: list[Flag] = []
    with transaction.atomic():
        now = timezone.now()
        for finding in fresh:
            flag = Flag.objects.create(
                agency=agencies[finding.agency],
                kind=finding.kind,
                key=finding.key,
                year=finding.year,
                title=in_indonesian(finding.title)[:300],
                explanation=in_indonesian(finding.explanation),
                texts={"title": stored(finding.title), "explanation": stored(finding.explanation)},
                evidence=finding.evidence,
                raised_at=now,
            )
            if finding.line_ids:
                flag.lines.set(finding.line_ids)
            audit.record_event(
                actor=actor,
                action=Action.BUDGET_FLAG_RAISED,
                subject=flag_subject(flag),
                data={
                    "agency": finding.agency,
                    "kind": finding.kind,
                    "key": finding.key,
                    "evidence": finding.evidence,
                },
            )
            raised.append(flag)
        if raised:
            for auditor in User.objects.filter(groups__name=roles.AUDITOR, is_active=True):
                notify_staff(
                    user=auditor,
                    urgency="biasa",
                    template="budget_flags_raised",
                    context={"count": len(raised), "agencies": sorted({f.agency.name for f in raised})},
                )
    return raised


def flag_subject(flag: Flag) -> str:
    return f"budget:flag:{flag.pk}"


def dismiss_flag(flag: Flag, *, actor, reason: str) -> Flag:
    """An auditor (APIP) closes a flag with a written reason: what was checked and why the pattern is
    explained. The flag stays on record with its reason; the audit log keeps both."""
    if roles.AUDITOR not in roles.roles_of(actor):
        raise PermissionDenied(_("Only an auditor (APIP) can close a flag."), code="budget_not_allowed")
    text = reason.strip()
    if len(text) < MIN_REASON:
        raise ValidationFailed(
            _(
                "Write why it is closed (at least %(min)s characters): what was checked and why this pattern is sound."
            )
            % {"min": MIN_REASON},
            code="reason_required",
        )
    with transaction.atomic():
        flag = Flag.objects.select_for_update(of=("self",)).select_related("agency").get(pk=flag.pk)
        if flag.status != Flag.Status.OPEN:
            raise InvalidTransition(_("This flag is already closed."), code="flag_already_dismissed")
        flag.status = Flag.Status.DISMISSED
        flag.dismissed_at = timezone.now()
        flag.dismissed_by = actor
        flag.dismissal_reason = text
        flag.save(update_fields=["status", "dismissed_at", "dismissed_by", "dismissal_reason"])
        audit.record_event(
            actor=actor,
            action=Action.BUDGET_FLAG_DISMISSED,
            subject=flag_subject(flag),
            data={"agency": flag.agency.slug, "kind": flag.kind, "key": flag.key, "reason": text},
        )
    return flag

"""Reads of issued documents: for the case pages (through cases' port), the public verification page, and other
modules that need a case's current letter (e.g. a printed copy for a citizen a notice did not reach)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import translation

from pamong.audit.models import AuditEntry
from pamong.cases.letters import LetterSummary
from pamong.cases.models import Decision

from . import services
from .models import Batch, Letter


def letter_by_code(code: str) -> Letter | None:
    return (
        Letter.objects.select_related("application__service__agency", "replaced_by")
        .filter(code=code.strip().lower())
        .first()
    )


def current_letter(application, *, document: str = Letter.Document.LETTER) -> Letter | None:
    """The newest letter (or product) of the application that is valid or still being issued (never revoked)."""
    return (
        Letter.objects.filter(
            application=application,
            document=document,
            status__in=(Letter.Status.VALID, Letter.Status.PENDING),
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def letter_summary(application) -> LetterSummary | None:
    """The provider installed in pamong.cases.letters."""
    letter = current_letter(application)
    if letter is None:
        return None
    product = current_letter(application, document=Letter.Document.PRODUCT)
    with translation.override("id"):
        kind_text = str(Letter.Kind(letter.kind).label)
    return LetterSummary(
        number=letter.number,
        issued_at=letter.issued_at,
        kind_text=kind_text,
        product_number=product.number if product else "",
        product_issued_at=product.issued_at if product else None,
        product_issuable=product is None
        and letter.outcome == "GRANT"
        and bool(services.product_template(application.service)),
    )


def letter_number_and_pdf(application) -> tuple[str, bytes] | None:
    """The PDF provider installed in pamong.cases.letters: the current issued letter's number and file."""
    found = current_letter_pdf(application)
    return (found[0].number, found[1]) if found else None


def current_letter_pdf(application, *, document: str = Letter.Document.LETTER) -> tuple[Letter, bytes] | None:
    """A case's current issued letter (or product) and its signed PDF, e.g. to print it for a citizen by post.
    None when none has been issued yet (a pending one has no file)."""
    letter = (
        Letter.objects.filter(application=application, document=document, status=Letter.Status.VALID)
        .exclude(file="")  # erased with the citizen's personal data: the row stays for verification only
        .order_by("-created_at", "-pk")
        .first()
    )
    if letter is None:
        return None
    return letter, letter.read_content()


def letters_of(application) -> list[Letter]:
    return list(Letter.objects.filter(application=application).order_by("created_at", "pk"))


@dataclass(frozen=True)
class AuditLink:
    index: int
    leaf_hash: str


def audit_link(index: int | None) -> AuditLink | None:
    if index is None:
        return None
    entry = AuditEntry.objects.filter(index=index).only("index", "leaf_hash").first()
    return AuditLink(entry.index, bytes(entry.leaf_hash).hex()) if entry else None


def decisions_without_letter(*, service) -> QuerySet[Decision]:
    """Final grants and refusals of a service that have no letter (e.g. decided before letters existed)."""
    return Decision.objects.filter(
        application__service=service,
        final=True,
        outcome__in=(Decision.Outcome.GRANT, Decision.Outcome.DENY),
    ).exclude(
        Exists(Letter.objects.filter(decision=OuterRef("pk"), document=Letter.Document.LETTER))
        | Exists(  # only an application's latest final decision: an earlier one was superseded
            Decision.objects.filter(
                application=OuterRef("application"), final=True, decided_at__gt=OuterRef("decided_at")
            )
        )
    )


def batch_list(*, limit: int = 20) -> list:
    return list(Batch.objects.order_by("-created_at", "-pk")[:limit])


def issued_to(user) -> list[Letter]:
    """The valid letters and products issued to a citizen (shown in their vault beside what they uploaded)."""
    return list(
        Letter.objects.filter(application__applicant=user, status=Letter.Status.VALID)
        .exclude(file="")
        .select_related("application__service__agency")
        .order_by("-issued_at", "-pk")
    )

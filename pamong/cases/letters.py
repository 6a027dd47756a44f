"""A port through which the case pages learn whether a signed decision letter exists for an application
(CONVENTIONS §15). pamong.documents installs a provider in its AppConfig.ready(); with none, there is no letter
and the pages show no link. The pages link to the letter by URL name only (`documents:application-letter`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LetterSummary:
    number: str
    issued_at: dt.datetime | None  # None while it is being issued
    kind_text: str
    product_number: str = ""  # the service product (a pack's product document), once issued
    product_issued_at: dt.datetime | None = None
    product_issuable: bool = (
        False  # granted, the pack declares a product, none issued yet: an officer's click
    )


Provider = Callable[[Any], "LetterSummary | None"]
_provider: Provider | None = None


def install(provider: Provider) -> None:
    global _provider
    _provider = provider


def current_letter(application: Any) -> LetterSummary | None:
    """The application's current letter (valid or being issued), or None."""
    return _provider(application) if _provider is not None else None


# The signed file itself, for a counter that prints it for a citizen the notices could not reach (issue 15).
PdfProvider = Callable[[Any], "tuple[str, bytes] | None"]
_pdf_provider: PdfProvider | None = None


def install_pdf(provider: PdfProvider) -> None:
    global _pdf_provider
    _pdf_provider = provider


def current_letter_pdf(application: Any) -> tuple[str, bytes] | None:
    """(number, signed PDF) of the application's current issued letter, or None (none issued, or no documents)."""
    return _pdf_provider(application) if _pdf_provider is not None else None

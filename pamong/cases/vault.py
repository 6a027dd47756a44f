"""A port through which the application form offers documents the citizen already holds in their vault
(once-only, CONVENTIONS §15), and through which a counter officer serving a citizen attaches a document from the
citizen's vault or scans a paper one into it, with the citizen's consent. pamong.documents installs a provider in
its AppConfig.ready(); with none, the form offers nothing and the counter page shows no vault."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Offered:
    id: int
    name: str
    uploaded_on: Any


@dataclass(frozen=True)
class DocumentAsk:
    doc_type: str
    label: str
    offered: list[Offered] = field(default_factory=list)  # empty: the vault does not hold it; the form asks


class Provider(Protocol):
    def documents_for(self, user: Any, service: Any) -> list[DocumentAsk]: ...

    def attach_chosen(self, application: Any, *, actor: Any, chosen: list[str]) -> int: ...

    def counter_offer(self, citizen: Any) -> list[Offered]: ...

    def document_types(self) -> list[tuple[str, str]]: ...

    def counter_attach(self, application: Any, *, actor: Any, chosen: list[str], consent: dict) -> int: ...

    def counter_scan(
        self, application: Any, *, actor: Any, doc_type: str, uploaded: Any, consent: dict
    ) -> int: ...


_provider: Provider | None = None


def install(provider: Provider) -> None:
    global _provider
    _provider = provider


def documents_for(user: Any, service: Any) -> list[DocumentAsk]:
    """The documents the service asks for, each with what the citizen's vault already holds of that type."""
    return _provider.documents_for(user, service) if _provider is not None else []


def attach_chosen(application: Any, *, actor: Any, chosen: list[str]) -> int:
    """Attach the vault documents the citizen ticked on the form; returns how many were attached."""
    return _provider.attach_chosen(application, actor=actor, chosen=chosen) if _provider is not None else 0


# --- the counter (a counter officer serving the citizen; every call logged for the citizen) ---------------------


def counter_offer(citizen: Any) -> list[Offered]:
    """What the citizen's vault holds, by type and date (not the files), for the counter's form."""
    return _provider.counter_offer(citizen) if _provider is not None else []


def document_types() -> list[tuple[str, str]]:
    """The vault's document types (value, label), for the counter's scan form."""
    return _provider.document_types() if _provider is not None else []


def counter_attach(application: Any, *, actor: Any, chosen: list[str], consent: dict) -> int:
    """Attach the chosen vault documents of the applicant to the case, with the citizen's consent."""
    return (
        _provider.counter_attach(application, actor=actor, chosen=chosen, consent=consent) if _provider else 0
    )


def counter_scan(application: Any, *, actor: Any, doc_type: str, uploaded: Any, consent: dict) -> int:
    """Keep a scanned paper document in the applicant's vault and attach it to the case, with consent."""
    if _provider is None:
        return 0
    return _provider.counter_scan(
        application, actor=actor, doc_type=doc_type, uploaded=uploaded, consent=consent
    )
